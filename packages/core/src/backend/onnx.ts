import { loadNativeOnnxRuntime, loadWebOnnxRuntime } from '#platform/ort';
import type * as Ort from 'onnxruntime-common';
import { getConfig, isNode } from '../env.js';
import { BackendUnavailableError, ModelLoadError } from '../errors.js';
import { type LoadModelOptions, type ModelSpec, modelKey } from '../model/spec.js';
import { loadModel } from '../model/store.js';
import { nativeRuntimeIsPrivate } from '../privacy.js';

import type { OnnxRuntimeName } from './engine.js';

export type { OnnxRuntimeName } from './engine.js';

/** The onnxruntime module (Tensor, InferenceSession, env). */
export type OrtModule = typeof Ort;

/**
 * Files onnxruntime-web needs served in browsers (from `onnxruntime-web/dist`, at `wasmBaseUrl`):
 * its WASM binary, the binary's loader, and its own script, which pages import from there at run
 * time rather than from their bundle (so no bundler emits a second copy of the 14 MB binary into
 * pages that never run an ONNX model).
 *
 * @example
 * ```ts
 * for (const file of ORT_WASM_FILES) await copyFile(join(ortDist, file), join('public/wasm', file));
 * ```
 */
export const ORT_WASM_FILES = [
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort.wasm.min.mjs',
] as const;

const runtimes = new Map<string, Promise<OrtModule>>();

const WORKER_TELEMETRY_ADVICE =
  'onnxruntime-node would send telemetry from this worker thread: a worker cannot switch it off, because native code reads the real environment, not the worker\'s copy of process.env. Import @ondevice/core (or set ORT_DISABLE_TELEMETRY=1) in the main thread before starting the worker, or use runtime "web".';

let warnedWorker = false;

/** What `auto` resolved to in Node (onnxruntime-node, or the WASM build when it is not installed). */
let autoRuntime: Promise<OrtModule> | undefined;

/**
 * Says how to get the native engine. onnxruntime-node is an optional peer dependency: its
 * postinstall downloads CUDA files from a NuGet feed on linux/x64, so a default install of every
 * package stays registry-only and the native engine is one command away.
 *
 * @example
 * ```ts
 * if (!(await nativeRuntimeAvailable())) console.info(NATIVE_MISSING);
 * ```
 */
export const NATIVE_MISSING =
  'onnxruntime-node is not installed, so models run on WASM (3-6x slower in Node). For native speed: npm install onnxruntime-node@1.30 --ignore-scripts (or pnpm add onnxruntime-node@1.30; its CPU build is in the package, the install script only fetches CUDA files).';

function isNotInstalled(error: unknown): boolean {
  const e = (error as { cause?: unknown })?.cause ?? error;
  const code = (e as { code?: string })?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((e as Error)?.message ?? '').includes('onnxruntime-node')
  );
}

/**
 * Whether onnxruntime-node (the native engine) can be loaded here: installed, in Node, and in a
 * thread whose environment keeps its telemetry off. Never throws.
 *
 * @example
 * ```ts
 * if (!(await nativeRuntimeAvailable())) console.warn(NATIVE_MISSING);
 * ```
 */
export async function nativeRuntimeAvailable(): Promise<boolean> {
  if (!isNode() || !nativeRuntimeIsPrivate()) return false;
  try {
    await getOrt('node');
    return true;
  } catch {
    return false;
  }
}

/** onnxruntime-node only where its telemetry is off; otherwise `auto` takes the WASM build. */
function nativeRuntimeAllowedHere(): boolean {
  if (nativeRuntimeIsPrivate()) return true;
  if (!warnedWorker) {
    warnedWorker = true;
    getConfig().logger.info(`${WORKER_TELEMETRY_ADVICE} Using onnxruntime-web (WASM) here instead.`);
  }
  return false;
}

/**
 * Returns an onnxruntime module: `onnxruntime-node` in Node (`auto`), `onnxruntime-web`'s WASM
 * build in browsers, with its `.wasm` served from `configure({ wasmBaseUrl })`, never a CDN.
 *
 * @example
 * ```ts
 * const ort = await getOrt();
 * const t = new ort.Tensor('float32', data, [1, 3, 48, 320]);
 * ```
 */
export function getOrt(runtime: OnnxRuntimeName = 'auto'): Promise<OrtModule> {
  if (runtime === 'auto') {
    if (!isNode() || !nativeRuntimeAllowedHere()) return getOrt('web');
    autoRuntime ??= getOrt('node').catch((error: unknown) => {
      if (!isNotInstalled(error)) {
        autoRuntime = undefined;
        throw error;
      }
      getConfig().logger.debug(`${NATIVE_MISSING} Using onnxruntime-web (WASM) instead.`);
      return getOrt('web');
    });
    return autoRuntime;
  }
  const which = runtime;
  let p = runtimes.get(which);
  if (!p) {
    p = (async () => {
      if (which === 'node') {
        if (!isNode())
          throw new BackendUnavailableError(
            'onnxruntime-node runs only in Node.js; use runtime "web" in browsers.',
          );
        if (!nativeRuntimeIsPrivate()) throw new BackendUnavailableError(WORKER_TELEMETRY_ADVICE);
        return await loadNativeOnnxRuntime();
      }
      // One thread is as fast on 2 cores and avoids SharedArrayBuffer (COOP/COEP) requirements.
      // In browsers from the served runtime files, its wasmPaths set (see platform/ort.browser.ts).
      const ort = await loadWebOnnxRuntime();
      ort.env.wasm.numThreads = 1;
      return ort;
    })().catch((error: unknown) => {
      runtimes.delete(which);
      if (error instanceof BackendUnavailableError) throw error;
      throw new BackendUnavailableError(
        `onnxruntime (${which}) could not be loaded: ${String((error as Error)?.message ?? error)}`,
        {
          cause: error,
        },
      );
    });
    runtimes.set(which, p);
  }
  return p;
}

/** Options of {@link createOnnxSession}. */
export interface OnnxSessionOptions extends LoadModelOptions {
  /** Which file of the spec is the ONNX graph. Default: the first `.onnx` file. */
  file?: string;
  /** Which onnxruntime to use. Default: `auto`. */
  runtime?: OnnxRuntimeName;
  /**
   * Passed to `InferenceSession.create`. Default: all graph optimisations; in onnxruntime-node
   * `configure({ threads })` intra-op threads (1 when unset) and 1 inter-op thread.
   */
  sessionOptions?: Ort.InferenceSession.SessionOptions;
}

/**
 * Opens an onnxruntime session on ONNX bytes already in memory, with the same settings as
 * {@link createOnnxSession}: all graph optimisations and, in onnxruntime-node, `configure({ threads
 * })` intra-op threads (1 when unset) and 1 inter-op thread. For graphs a task derives itself (a cut
 * subgraph, a retrained head). A failure is a `ModelLoadError` naming `what`.
 *
 * @example
 * ```ts
 * const ort = await getOrt();
 * const session = await openOnnxSession(ort, bytes, { what: 'my head' });
 * ```
 */
export async function openOnnxSession(
  ort: OrtModule,
  bytes: Uint8Array,
  options: {
    /** Which onnxruntime `ort` is (threads are set only for onnxruntime-node). Default: `auto`. */
    runtime?: OnnxRuntimeName | undefined;
    /** Names the model in the error message. */
    what: string;
    /** Passed to `InferenceSession.create` over the defaults above. */
    sessionOptions?: Ort.InferenceSession.SessionOptions | undefined;
  },
): Promise<Ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      ...(isNode() && (options.runtime ?? 'auto') !== 'web'
        ? { intraOpNumThreads: getConfig().threads ?? 1, interOpNumThreads: 1 }
        : {}),
      ...options.sessionOptions,
    });
  } catch (error) {
    throw new ModelLoadError(
      `${options.what} could not be opened by onnxruntime: ${String((error as Error)?.message ?? error)}`,
      { cause: error },
    );
  }
}

/**
 * Loads an ONNX model through the model store and opens an inference session on it.
 *
 * @example
 * ```ts
 * const { session, ort } = await createOnnxSession(PPOCR_DET);
 * const out = await session.run({ x: new ort.Tensor('float32', data, dims) });
 * ```
 */
export async function createOnnxSession(
  spec: ModelSpec,
  options: OnnxSessionOptions = {},
): Promise<{ session: Ort.InferenceSession; ort: OrtModule }> {
  const file = options.file ?? spec.files.find((f) => f.path.endsWith('.onnx'))?.path;
  if (!file) throw new ModelLoadError(`${modelKey(spec)} has no .onnx file.`);
  const [ort, loaded] = await Promise.all([getOrt(options.runtime), loadModel(spec, options)]);
  const bytes = loaded.files.get(file);
  if (!bytes) throw new ModelLoadError(`${modelKey(spec)} has no file "${file}".`);
  const session = await openOnnxSession(ort, bytes, {
    runtime: options.runtime,
    what: `${modelKey(spec)} "${file}"`,
    sessionOptions: options.sessionOptions,
  });
  return { session, ort };
}
