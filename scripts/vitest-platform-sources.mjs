// A Vite plugin for each package's vitest config: the package's own `#platform/<name>` imports
// (package.json `imports`, which point at dist/ for Node and bundlers) resolve to the Node module's
// source, src/platform/<name>.node.ts, so tests run the code beside them, never a stale build. Only
// imports from the package's own src/ and test/ are redirected: another package's dist keeps its
// own dist modules, so no module is loaded twice (once from src, once from dist).
import { join, sep } from 'node:path';

/**
 * @param {string} packageDir the package's folder (`import.meta.dirname` in its vitest.config.ts)
 * @returns {import('vite').Plugin}
 * @example
 * ```ts
 * export default defineConfig({ plugins: [platformSources(import.meta.dirname)], test: { … } });
 * ```
 */
export function platformSources(packageDir) {
  const own = [join(packageDir, 'src') + sep, join(packageDir, 'test') + sep];
  return {
    name: 'ondevice-platform-sources',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!id.startsWith('#platform/') || !importer) return null;
      const from = importer.split('?')[0];
      if (!own.some((dir) => from.startsWith(dir))) return null;
      return join(packageDir, 'src', 'platform', `${id.slice('#platform/'.length)}.node.ts`);
    },
  };
}
