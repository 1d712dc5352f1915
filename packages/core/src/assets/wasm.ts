import { resolveWasmBase } from '../backend/wasm-base.js';
import { getConfig } from '../env.js';
import type { LoadModelOptions } from '../model/spec.js';
import { loadModel } from '../model/store.js';
import { npmCdnUrl } from './locations.js';
import { ONNXRUNTIME_WEB_VERSION, runtimeAssets, runtimeSpec } from './runtimes.js';

/** How a page loads onnxruntime-web: see {@link ortWebFiles}. */
export interface OrtWebFiles {
  /** The URL to `import()` onnxruntime-web's script from. */
  script: string;
  /** For `ort.env.wasm.wasmPaths`: the runtime files' folder, or the URL of the checked loader. */
  wasmPaths: string | { mjs: string };
  /** For `ort.env.wasm.wasmBinary` (CDN only): the checked `.wasm` bytes; onnxruntime then fetches none. */
  wasmBinary?: Uint8Array;
}

/** The onnxruntime-web files a page loads, by role (names from `ORT_WASM_FILES`). */
export interface OrtWebRuntime {
  /** The onnxruntime-web version. Default: {@link ONNXRUNTIME_WEB_VERSION}, the one core depends on. */
  version?: string;
  /** Its script, e.g. `ort.wasm.min.mjs`. */
  script: string;
  /** The WASM binary's loader, e.g. `ort-wasm-simd-threaded.mjs`. */
  loader: string;
  /** The WASM binary, e.g. `ort-wasm-simd-threaded.wasm`. */
  wasm: string;
}

const blobUrl = (bytes: Uint8Array, type: string) =>
  URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));

/**
 * Where a page gets onnxruntime-web. Self-hosted (the default): its script, loader and `.wasm` from
 * {@link resolveWasmBase} (`/ondevice/wasm/`). With `configure({ assets: 'cdn' })`: all three
 * files of the exact version are fetched from the npm CDN through the model store — each SHA-256
 * checked against its recorded sum, and cached — and handed over as checked bytes: the script and
 * the loader as `blob:` URLs of those bytes, the binary as `wasmBinary`, so onnxruntime fetches
 * nothing itself and runs no byte that was not checked. A page whose Content-Security-Policy
 * refuses `blob:` scripts must self-host instead.
 *
 * @example
 * ```ts
 * const files = await ortWebFiles({ script: 'ort.wasm.min.mjs', loader: 'ort-wasm-simd-threaded.mjs', wasm: 'ort-wasm-simd-threaded.wasm' });
 * const ort = await import(files.script);
 * ort.env.wasm.wasmPaths = files.wasmPaths;
 * if (files.wasmBinary) ort.env.wasm.wasmBinary = files.wasmBinary;
 * ```
 */
export async function ortWebFiles(
  runtime: OrtWebRuntime,
  options: LoadModelOptions = {},
): Promise<OrtWebFiles> {
  if (getConfig().assets !== 'cdn') {
    const base = resolveWasmBase();
    return { script: new URL(runtime.script, base).href, wasmPaths: base };
  }
  const names = [runtime.script, runtime.loader, runtime.wasm];
  const assets = runtimeAssets('onnxruntime-web', runtime.version ?? ONNXRUNTIME_WEB_VERSION, names);
  const { files } = await loadModel(runtimeSpec(assets, npmCdnUrl(assets.npm)), options);
  const [script, loader, wasm] = names.map((n) => files.get(n) as Uint8Array) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  return {
    script: blobUrl(script, 'text/javascript'),
    wasmPaths: { mjs: blobUrl(loader, 'text/javascript') },
    wasmBinary: wasm,
  };
}

/** A runtime the caller has loaded: its exact version and the file names its code loads. */
export interface WasmRuntime {
  /** The loaded package's version (tfjs-backend-wasm's `version_wasm`). */
  version: string;
  /** The names of its files (`TFJS_WASM_FILES`). */
  files: readonly string[];
}

/** What tfjs's WASM backend reports about this browser (its `WASM_HAS_*` flags). */
export interface TfjsWasmFeatures {
  simd: boolean;
  threads: boolean;
}

/** The binary tfjs-backend-wasm picks for these features (its own rule). */
function tfjsBinary(files: readonly string[], features: TfjsWasmFeatures): string | undefined {
  const want =
    features.simd && features.threads
      ? 'threaded-simd.wasm'
      : features.simd
        ? '-simd.wasm'
        : 'tfjs-backend-wasm.wasm';
  return files.find((f) => f.endsWith(want) && (want !== '-simd.wasm' || !f.includes('threaded')));
}

/**
 * The argument for tfjs-backend-wasm's `setWasmPaths` in a browser. Self-hosted (the default):
 * {@link resolveWasmBase}. With `configure({ assets: 'cdn' })`: a map from each file name to its
 * URL, where the one binary this browser will load (chosen from `features` by tfjs's own rule) is
 * fetched from the npm CDN at the exact version, SHA-256 checked and cached by the model store, and
 * given as a `blob:` URL of the checked bytes; the others (never loaded here) point at the CDN.
 * A page whose Content-Security-Policy refuses `blob:` for `connect-src` must self-host instead.
 *
 * @example
 * ```ts
 * const features = { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };
 * wasm.setWasmPaths(await tfjsWasmPaths({ version: wasm.version_wasm, files: TFJS_WASM_FILES }, features));
 * ```
 */
export async function tfjsWasmPaths(
  runtime: WasmRuntime,
  features: TfjsWasmFeatures,
  options: LoadModelOptions = {},
): Promise<string | Record<string, string>> {
  if (getConfig().assets !== 'cdn') return resolveWasmBase();
  const all = runtimeAssets('@tensorflow/tfjs-backend-wasm', runtime.version, runtime.files);
  const chosen = tfjsBinary(runtime.files, features);
  const paths: Record<string, string> = Object.fromEntries(
    all.files.map((f) => [f.path, npmCdnUrl(all.npm, f.path)]),
  );
  if (!chosen) return paths;
  const one = { ...all, files: all.files.filter((f) => f.path === chosen) };
  const loaded = await loadModel(runtimeSpec(one, npmCdnUrl(all.npm)), options);
  const bytes = loaded.files.get(chosen);
  if (bytes) paths[chosen] = blobUrl(bytes, 'application/wasm');
  return paths;
}
