import { resolveWasmBase } from '../backend/wasm-base.js';
import { getConfig } from '../env.js';
import type { LoadModelOptions, ModelSpec } from '../model/spec.js';
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
    // The binary through the model store (SHA-256 checked, cached, one download shared with a
    // prefetch of runtimeWasmSpec, which reports its progress), while the models download.
    const spec = selfHostedSpec('onnxruntime-web', runtime.version ?? ONNXRUNTIME_WEB_VERSION, runtime.wasm);
    const wasmBinary = spec ? (await loadModel(spec, options)).files.get(runtime.wasm) : undefined;
    return {
      script: new URL(runtime.script, base).href,
      wasmPaths: base,
      ...(wasmBinary ? { wasmBinary } : {}),
    };
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
  if (getConfig().assets !== 'cdn') {
    const base = resolveWasmBase();
    const chosen = tfjsBinary(runtime.files, features);
    const spec = chosen
      ? selfHostedSpec('@tensorflow/tfjs-backend-wasm', runtime.version, chosen)
      : undefined;
    if (!chosen || !spec) return base;
    const bytes = (await loadModel(spec, options)).files.get(chosen);
    if (!bytes) return base;
    const paths: Record<string, string> = Object.fromEntries(
      runtime.files.map((f) => [f, new URL(f, base).href]),
    );
    paths[chosen] = blobUrl(bytes, 'application/wasm');
    return paths;
  }
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

/** One recorded runtime file as a spec served from the self-hosted WASM folder; undefined when not recorded. */
function selfHostedSpec(pkg: string, version: string, file: string): ModelSpec | undefined {
  try {
    return runtimeSpec(runtimeAssets(pkg, version, [file]), resolveWasmBase());
  } catch {
    return undefined; // A version without recorded sums: the runtime fetches its file itself, as before.
  }
}

/** The runtimes whose binary {@link runtimeWasmSpec} names. */
export type RuntimeWasmName = 'onnxruntime-web' | 'tfjs-wasm';

/**
 * The `.wasm` a browser's runtime loads (onnxruntime-web's, 14.2 MB, or the tfjs WASM backend's
 * for this browser's features, ≈0.4 MB) as a model spec of the model store: from the self-hosted
 * WASM folder (`<assetsUrl>wasm/`), or the npm CDN with `assets: 'cdn'`. Prefetch it with
 * `prefetchModel` beside the models to see its download in the same progress events and to start
 * both downloads together; the runtime then takes the checked, cached bytes from the store and
 * fetches nothing itself. `threads` (tfjs only) says whether tfjs will pick its threaded build.
 * Default: whether the page is cross-origin isolated.
 *
 * @example
 * ```ts
 * await Promise.all([CENTERNET, runtimeWasmSpec('tfjs-wasm')].map((s) => prefetchModel(s, { onProgress })));
 * ```
 */
export function runtimeWasmSpec(runtime: RuntimeWasmName, options: { threads?: boolean } = {}): ModelSpec {
  const cdn = getConfig().assets === 'cdn';
  const [pkg, version, file] =
    runtime === 'onnxruntime-web'
      ? (['onnxruntime-web', ONNXRUNTIME_WEB_VERSION, 'ort-wasm-simd-threaded.wasm'] as const)
      : ([
          '@tensorflow/tfjs-backend-wasm',
          TFJS_WASM_VERSION,
          (options.threads ?? globalThis.crossOriginIsolated === true)
            ? 'tfjs-backend-wasm-threaded-simd.wasm'
            : 'tfjs-backend-wasm-simd.wasm',
        ] as const);
  // From the CDN onnxruntime-web's script and loader come through the store too (ortWebFiles):
  // the same files, so a prefetch and the runtime's own load share one download.
  const files =
    cdn && runtime === 'onnxruntime-web' ? ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', file] : [file];
  const assets = runtimeAssets(pkg, version, files);
  return runtimeSpec(assets, cdn ? npmCdnUrl(assets.npm) : resolveWasmBase());
}

/** The tfjs-backend-wasm version whose files are recorded (the one @ondevice's packages pin). */
const TFJS_WASM_VERSION = '4.22.0';
