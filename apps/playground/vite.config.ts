import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { ISOLATION_HEADERS } from './scripts/serve.mjs';

// One HTML page per task. Model files and WASM runtimes are served from public/models and
// public/wasm (copied there by scripts/copy-assets.mjs), never from a CDN.
export const PAGES = [
  'index',
  'detect-objects',
  'face-landmarks',
  'recognize-text',
  'spot-keywords',
  'identify-language',
  'translate',
  'virtual-lipstick',
  'live-text',
] as const;

/**
 * onnxruntime-web references its .wasm through import.meta.url, so Vite emits a hashed copy; the app
 * loads the one in /wasm/ (configure({ wasmBaseUrl })), so drop the unused 14 MB duplicate.
 */
const dropUnusedOrtWasm = (): Plugin => ({
  name: 'drop-unused-ort-wasm',
  generateBundle(_options, bundle) {
    for (const name of Object.keys(bundle)) if (/ort-wasm[^/]*\.wasm$/.test(name)) delete bundle[name];
  },
});

export default defineConfig({
  base: '/',
  plugins: [dropUnusedOrtWasm()],
  // The task workers (src/worker/*.worker.ts) are ES modules: they import the task packages,
  // which split into chunks.
  worker: { format: 'es', plugins: () => [dropUnusedOrtWasm()] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: Object.fromEntries(PAGES.map((p) => [p, resolve(import.meta.dirname, `${p}.html`)])),
    },
  },
  // No esbuild keepNames: @ondevice's errors set their own `name`, and keepNames wraps functions in
  // a `__name` helper that breaks code run from a function's source text: tfjs-backend-wasm starts
  // its threaded build's workers from `factory.toString()` ("u is not defined" once the page is
  // cross-origin isolated and tfjs picks threads).
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  // Cross-origin isolated in `vite dev` and `vite preview` too (COOP/COEP, CORP on its own files),
  // as the static server (scripts/serve.mjs) makes the built app: SharedArrayBuffer, WASM threads.
  server: { host: '127.0.0.1', headers: { ...ISOLATION_HEADERS } },
  preview: { host: '127.0.0.1', headers: { ...ISOLATION_HEADERS } },
});
