import { resolve } from 'node:path';
import { defineConfig } from 'vite';

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
] as const;

export default defineConfig({
  base: '/',
  plugins: [
    {
      // onnxruntime-web references its .wasm through import.meta.url, so Vite emits a hashed copy;
      // the app loads the one in /wasm/ (configure({ wasmBaseUrl })), so drop the unused 14 MB duplicate.
      name: 'drop-unused-ort-wasm',
      generateBundle(_options, bundle) {
        for (const name of Object.keys(bundle)) if (/ort-wasm[^/]*\.wasm$/.test(name)) delete bundle[name];
      },
    },
  ],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: Object.fromEntries(PAGES.map((p) => [p, resolve(import.meta.dirname, `${p}.html`)])),
    },
  },
  // Keep class names through minification: @ondevice's errors take their name from their class
  // (ModelLoadError, InputError…), which the page shows; mangled they read "p: …".
  esbuild: { keepNames: true },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
