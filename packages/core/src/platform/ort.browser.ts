// Browser half of loading onnxruntime (selected by `#platform/ort` in package.json `imports`).
//
// onnxruntime-web is not bundled with the page: its default ESM build references its 14 MB `.wasm`
// through `import.meta.url`, so every bundler would emit a copy of it into every page that could
// reach onnxruntime (a detection page on tfjs included), and that copy is never the one loaded.
// Its build without an inlined loader, `ort.wasm.min.mjs`, is one of the runtime files served with
// the `.wasm` (ORT_WASM_FILES) and is imported from there at run time (or, with `assets: 'cdn'`,
// from checked bytes: see ortWebFiles), so only a page that runs an ONNX model fetches any of it.
import type * as Ort from 'onnxruntime-common';
import { ortWebFiles } from '../assets/wasm.js';
import { BackendUnavailableError } from '../errors.js';

/** @internal onnxruntime-node runs only in Node.js: rejects with BackendUnavailableError. */
export function loadNativeOnnxRuntime(): Promise<typeof Ort> {
  return Promise.reject(
    new BackendUnavailableError('onnxruntime-node runs only in Node.js; use runtime "web" in browsers.'),
  );
}

/**
 * @internal onnxruntime-web's WASM build, imported from where the runtime files are served, its
 * `wasmPaths` (and, from the CDN, `wasmBinary`) set.
 */
export async function loadWebOnnxRuntime(): Promise<typeof Ort> {
  // The names of ORT_WASM_FILES, by role.
  const files = await ortWebFiles({
    script: 'ort.wasm.min.mjs',
    loader: 'ort-wasm-simd-threaded.mjs',
    wasm: 'ort-wasm-simd-threaded.wasm',
  });
  let ort: typeof Ort;
  try {
    ort = (await import(/* @vite-ignore */ /* webpackIgnore: true */ files.script)) as typeof Ort;
  } catch (error) {
    throw new BackendUnavailableError(
      `onnxruntime-web could not be loaded from ${files.script} (${String((error as Error)?.message ?? error)}). Serve the runtime files there (ORT_WASM_FILES from onnxruntime-web/dist, as \`ondevice assets\` lays them out), or set configure({ assetsUrl }) to where they are.`,
      { cause: error },
    );
  }
  ort.env.wasm.wasmPaths = files.wasmPaths;
  if (files.wasmBinary) ort.env.wasm.wasmBinary = files.wasmBinary;
  return ort;
}
