// `@ondevice/cli/vite`: the Vite plugin form of `ondevice assets`. The same plan (which files the
// tasks load, their SHA-256, where they are installed) and the same check; in `vite build` the
// files are emitted into the output under `ondevice/`, in `vite dev` they are served from there.
// Typed structurally, so the CLI needs no dependency on Vite (tested with Vite 7).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelSpec } from '@ondevice/core';
import { type AssetPlan, assetPlan, checkedBytes } from './commands/assets.js';

/** Options of {@link ondeviceAssets}. */
export interface OndeviceAssetsOptions {
  /** The tasks the app runs (as `ondevice assets --tasks`): `detect`, `faces`, `ocr`, `keywords`, `wake-words`, `langid`, `translate`. */
  tasks: readonly string[];
  /**
   * The folder inside the output (and the URL path under Vite's `base`) the files go to. Default:
   * `ondevice`, served at `/ondevice/`, the default of `configure({ assetsUrl })`. With another
   * folder or a `base` other than `/`, set `configure({ assetsUrl: import.meta.env.BASE_URL + '<dir>/' })`.
   */
  dir?: string;
  /** Model specs of your own to copy too (their files from their `npm` package). */
  models?: readonly ModelSpec[];
}

type Next = (error?: unknown) => void;

/** The parts of Vite's plugin API this plugin uses. */
export interface OndeviceVitePlugin {
  name: string;
  configResolved(config: { root: string; base: string; command: string }): void;
  buildStart(this: { error(message: string): never }): Promise<void>;
  configureServer(server: {
    middlewares: { use(fn: (req: IncomingMessage, res: ServerResponse, next: Next) => void): void };
  }): void;
  generateBundle(this: {
    emitFile(file: { type: 'asset'; fileName: string; source: Uint8Array }): string;
    error(message: string): never;
  }): Promise<void>;
}

const TYPES: Record<string, string> = {
  wasm: 'application/wasm',
  mjs: 'text/javascript',
  js: 'text/javascript',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
};

/**
 * A Vite plugin that puts exactly the runtime WASM and model files the given tasks load where the
 * library looks for them (`/ondevice/` by default): emitted into the build output by `vite build`,
 * served by `vite dev`, each checked against its SHA-256 first — a missing file or a wrong sum
 * fails the build (and answers 500 in dev) naming the file and the package to install.
 *
 * @example
 * ```ts
 * // vite.config.ts
 * import { defineConfig } from 'vite';
 * import { ondeviceAssets } from '@ondevice/cli/vite';
 * export default defineConfig({ plugins: [ondeviceAssets({ tasks: ['detect', 'ocr'] })] });
 * ```
 */
export function ondeviceAssets(options: OndeviceAssetsOptions): OndeviceVitePlugin {
  const dir = (options.dir ?? 'ondevice').replace(/^\/+|\/+$/g, '');
  let root = process.cwd();
  let base = '/';
  let planned: Promise<AssetPlan> | undefined;
  const plan = () => {
    planned ??= assetPlan(options.tasks, { root, ...(options.models ? { models: options.models } : {}) });
    return planned;
  };
  const problems = (p: AssetPlan) => p.files.filter((f) => f.problem).map((f) => `${f.path}: ${f.problem}`);
  return {
    name: 'ondevice-assets',
    configResolved(config) {
      root = config.root;
      base = config.base.endsWith('/') ? config.base : `${config.base}/`;
    },
    async buildStart() {
      const bad = problems(await plan());
      if (bad.length) this.error(`[ondevice-assets] ${bad.join('\n')}`);
    },
    configureServer(server) {
      const prefix = `${base}${dir}/`;
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        if (!path.startsWith(prefix)) return next();
        const wanted = path.slice(prefix.length);
        plan()
          .then(async (p) => {
            const asset = p.files.find((f) => f.path === wanted);
            if (!asset) {
              res.statusCode = 404;
              res.end(`${wanted} is not one of the files of ${p.tasks.join(', ')} (ondeviceAssets tasks)`);
              return;
            }
            const bytes = await checkedBytes(asset);
            if (typeof bytes === 'string') {
              res.statusCode = 500;
              res.end(bytes);
              return;
            }
            res.setHeader(
              'content-type',
              TYPES[asset.path.split('.').pop() ?? ''] ?? 'application/octet-stream',
            );
            res.setHeader('content-length', bytes.byteLength);
            res.end(bytes);
          })
          .catch(next);
      });
    },
    async generateBundle() {
      const p = await plan();
      for (const asset of p.files) {
        const bytes = await checkedBytes(asset);
        if (typeof bytes === 'string') this.error(`[ondevice-assets] ${asset.path}: ${bytes}`);
        this.emitFile({ type: 'asset', fileName: `${dir}/${asset.path}`, source: bytes });
      }
    },
  };
}
