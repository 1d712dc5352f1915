// Node half of finding text's installed packages (selected by `#platform/packages` in
// package.json `imports`).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @internal The folder a `file:` URL of this package names (e.g. its root from `new URL('../../', import.meta.url)`). */
export function packageFolder(url: URL): string | undefined {
  return fileURLToPath(url);
}

/**
 * @internal `<dir>/` inside the installed package `pkg`, resolved from `from` (a module's
 * `import.meta.url`) and then from the working directory; undefined when it is in neither.
 */
export function installedFolder(from: string, pkg: string, dir: string): string | undefined {
  for (const base of [from, join(process.cwd(), 'noop.js')]) {
    try {
      const manifest = createRequire(base).resolve(`${pkg}/package.json`);
      return join(dirname(manifest), dir, '/');
    } catch {
      // not installed there
    }
  }
  return undefined;
}
