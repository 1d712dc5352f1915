import type * as Ort from 'onnxruntime-common';
import { getConfig, isNode } from '../env.js';
import { AbortedError, BackendUnavailableError, DisposedError, ModelLoadError } from '../errors.js';
import { storeDerivedModel } from '../model/derived.js';
import { type LoadModelOptions, type ModelSpec, modelKey } from '../model/spec.js';
import { loadModel } from '../model/store.js';
import { nativeRuntimeIsPrivate } from '../privacy.js';
import { type BrowserBackend, chooseBrowserEngine } from './browser-choice.js';
import { getOrt } from './onnx.js';
import { defaultThreads } from './threads.js';

export { defaultThreads };
import { type GraphModel, getTfjs, graphModelFromFiles } from './tfjs.js';

/**
 * Which engine runs a model. `auto`: onnxruntime-node in Node where the model has an ONNX form and
 * onnxruntime-node loads (measured 0.2–0.55× tfjs-wasm's time on the vision models), else tfjs
 * (browsers, worker threads that cannot switch onnxruntime's telemetry off, onnxruntime-node not
 * installed). `tfjs`: always tfjs (its backend from `configure({ backend })`). `onnx`: always
 * onnxruntime (native in Node, its WASM build in a worker thread that cannot run the native one).
 */
export type EngineName = 'auto' | 'tfjs' | 'onnx';

/**
 * Engine names, default first (for option schemas).
 *
 * @example
 * ```ts
 * const engine = z.enum(ENGINE_NAMES).default('auto');
 * ```
 */
export const ENGINE_NAMES = ['auto', 'tfjs', 'onnx'] as const satisfies readonly EngineName[];

/**
 * Which onnxruntime build runs ONNX models: `node` (native, Node only) or `web` (WASM, anywhere).
 * `auto`: `node` in Node where onnxruntime-node is installed, else `web`. (Defined here, not beside
 * `getOrt`, so that core's main entry can export it without onnxruntime's types.)
 *
 * @example
 * ```ts
 * const head = await loadOnnxKeywordHead(bytes, { name: 'hey_computer', runtime: 'web' satisfies OnnxRuntimeName });
 * ```
 */
export type OnnxRuntimeName = 'auto' | 'node' | 'web';

/** The runtime an {@link Engine} runs on. */
export type EngineRuntime = 'tfjs' | 'onnxruntime-node' | 'onnxruntime-web';

/** A float32 tensor: its values (row-major) and its dimensions. */
export interface EngineTensor {
  data: Float32Array;
  dims: readonly number[];
}

/** A loaded model on one runtime: named float32 inputs in, named float32 outputs out. */
export interface Engine {
  /** The runtime it runs on. */
  readonly runtime: EngineRuntime;
  /** The model's input names, in its order. */
  readonly inputNames: readonly string[];
  /** The model's output names, in its order. */
  readonly outputNames: readonly string[];
  /**
   * Runs the model. `outputs` names the nodes to return (default: {@link outputNames}); on tfjs
   * any node of the graph may be named, on onnxruntime only the model's outputs. Rejects with
   * `DisposedError` after {@link dispose}.
   */
  run(
    inputs: Readonly<Record<string, EngineTensor>>,
    outputs?: readonly string[],
  ): Promise<Record<string, EngineTensor>>;
  /** Frees the model (after the runs in flight have finished). Idempotent. */
  dispose(): void;
}

/** What {@link loadEngine} may pass on to a model's own loaders. */
export type EngineLoadOptions = Pick<LoadModelOptions, 'modelPath' | 'signal' | 'onProgress'>;

/** A model as {@link loadEngine} takes it: a TFJS graph model and, optionally, its ONNX form. */
export interface EngineModel {
  /** The TFJS graph model (SHA-256 verified through the model store). */
  tfjs: ModelSpec;
  /**
   * The graph files tfjs loads instead of the spec's own (e.g. a variant derived from them).
   * Default: the spec's files from the model store.
   */
  tfjsFiles?: (options: EngineLoadOptions) => Promise<ReadonlyMap<string, Uint8Array>>;
  /**
   * The ONNX form: its spec (one `.onnx` file whose size and SHA-256 are recorded) and how to make
   * its bytes on the device (e.g. by converting `tfjs`) when the model store does not hold it. The
   * derived bytes are checked against the spec (`ModelIntegrityError` when they differ) and cached.
   * Default: none, so the model runs on tfjs.
   */
  onnx?: {
    spec: ModelSpec;
    derive(options: EngineLoadOptions): Promise<Uint8Array>;
  };
}

/** Options of {@link loadEngine}. */
export interface LoadEngineOptions extends EngineLoadOptions {
  /** Which engine. Default: `auto` (see {@link EngineName}). */
  engine?: EngineName;
}

let saidFallback = false;
function sayFallbackOnce(reason: string): void {
  if (saidFallback) return;
  saidFallback = true;
  getConfig().logger.debug(`native engine unavailable (${reason}): vision models run on tfjs instead.`);
}

/** Wraps a runtime's run/release so that dispose() waits for runs in flight. */
function guarded(
  runtime: EngineRuntime,
  inputNames: readonly string[],
  outputNames: readonly string[],
  run: Engine['run'],
  release: () => void,
): Engine {
  let disposed = false;
  let inFlight = 0;
  const what = `This ${runtime} model`;
  return {
    runtime,
    inputNames,
    outputNames,
    async run(inputs, outputs) {
      if (disposed) throw new DisposedError(what);
      inFlight++;
      try {
        return await run(inputs, outputs);
      } catch (error) {
        if (disposed) throw new DisposedError(what);
        throw error;
      } finally {
        inFlight--;
        if (disposed && inFlight === 0) release();
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (inFlight === 0) release();
    },
  };
}

async function tfjsEngine(model: EngineModel, options: EngineLoadOptions): Promise<Engine> {
  const files = model.tfjsFiles
    ? await model.tfjsFiles(options)
    : (await Promise.all([getTfjs(), loadModel(model.tfjs, options)]))[1].files;
  const graph: GraphModel = await graphModelFromFiles(modelKey(model.tfjs), files);
  const { tf } = await getTfjs();
  const strip = (n: string) => n.replace(/:0$/, '');
  const inputNames = graph.inputs.map((i) => strip(i.name));
  const outputNames = graph.outputs.map((o) => strip(o.name));
  return guarded(
    'tfjs',
    inputNames,
    outputNames,
    async (inputs, outputs = outputNames) => {
      const feed: Record<string, ReturnType<typeof tf.tensor>> = {};
      let results: ReturnType<typeof tf.tensor>[] = [];
      try {
        for (const [name, t] of Object.entries(inputs))
          feed[name] = tf.tensor(t.data, [...t.dims], 'float32');
        const out = graph.execute(feed, [...outputs]);
        results = Array.isArray(out) ? out : [out];
        const values = await Promise.all(results.map((r) => r.data()));
        const named: Record<string, EngineTensor> = {};
        outputs.forEach((name, i) => {
          const v = values[i]!;
          named[name] = {
            data: v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>),
            dims: results[i]!.shape,
          };
        });
        return named;
      } finally {
        for (const t of Object.values(feed)) t.dispose();
        for (const r of results) r.dispose();
      }
    },
    () => graph.dispose(),
  );
}

/** ONNX files being read or derived, by model key: concurrent loads share one derivation. */
const pending = new Map<string, Promise<Uint8Array>>();

function onnxBytes(model: EngineModel, options: EngineLoadOptions): Promise<Uint8Array> {
  const key = modelKey(model.onnx!.spec);
  let p = pending.get(key);
  if (!p) {
    p = readOrDeriveOnnx(model, options).finally(() => pending.delete(key));
    pending.set(key, p);
  }
  return p;
}

async function readOrDeriveOnnx(model: EngineModel, options: EngineLoadOptions): Promise<Uint8Array> {
  const { spec, derive } = model.onnx!;
  const file = spec.files.find((f) => f.path.endsWith('.onnx'))?.path;
  if (!file) throw new ModelLoadError(`${modelKey(spec)} has no .onnx file.`);
  try {
    const stored = await loadModel(spec, { signal: options.signal, onProgress: options.onProgress });
    const bytes = stored.files.get(file);
    if (bytes) return bytes;
  } catch (error) {
    if (error instanceof AbortedError) throw error;
    getConfig().logger.debug(`${modelKey(spec)} not stored yet, deriving it: ${String(error)}`);
  }
  const bytes = await derive(options);
  // Checks size and SHA-256 against the spec (ModelIntegrityError) before caching.
  await storeDerivedModel(spec, new Map([[file, bytes]]));
  return bytes;
}

async function onnxEngine(model: EngineModel, ort: typeof Ort, options: EngineLoadOptions): Promise<Engine> {
  const native = isNode() && nativeRuntimeIsPrivate();
  const bytes = await onnxBytes(model, options);
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      ...(native ? { intraOpNumThreads: getConfig().threads ?? defaultThreads(), interOpNumThreads: 1 } : {}),
    });
  } catch (error) {
    throw new ModelLoadError(
      `${modelKey(model.onnx!.spec)} could not be opened by onnxruntime: ${String((error as Error)?.message ?? error)}`,
      { cause: error },
    );
  }
  return guarded(
    native ? 'onnxruntime-node' : 'onnxruntime-web',
    session.inputNames,
    session.outputNames,
    async (inputs, outputs) => {
      const feeds: Record<string, Ort.Tensor> = {};
      for (const [name, t] of Object.entries(inputs))
        feeds[name] = new ort.Tensor('float32', t.data, [...t.dims]);
      const out = outputs ? await session.run(feeds, [...outputs]) : await session.run(feeds);
      const named: Record<string, EngineTensor> = {};
      for (const [name, t] of Object.entries(out)) {
        named[name] = { data: t.data as Float32Array, dims: t.dims };
      }
      return named;
    },
    () => {
      session.release().catch(() => {});
    },
  );
}

/**
 * Loads a model on an engine: onnxruntime-node in Node where the model has an ONNX form (derived
 * on first use, SHA-256 checked and cached), tfjs otherwise (and where forced with
 * `engine: 'tfjs'`). Tasks run every engine through the same {@link Engine} interface. Falling
 * back to tfjs under `auto` is said once, at debug level.
 *
 * @example
 * ```ts
 * const engine = await loadEngine({ tfjs: IRIS, onnx: { spec: IRIS_ONNX, derive } });
 * const out = await engine.run({ input_1: { data, dims: [1, 64, 64, 3] } });
 * engine.dispose();
 * ```
 */
export async function loadEngine(model: EngineModel, options: LoadEngineOptions = {}): Promise<Engine> {
  const { engine = 'auto', ...load } = options;
  const node = isNode();
  // Browsers under `auto`: the tfjs backend the page's probe chose decides (see planEngine).
  const tfjsBackend = engine === 'auto' && model.onnx && !node ? (await getTfjs()).info.backend : undefined;
  const plan = planEngine({
    engine,
    model: model.tfjs.id,
    hasOnnx: Boolean(model.onnx),
    node,
    tfjsBackend,
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    nativeIsPrivate: node && nativeRuntimeIsPrivate(),
  });
  if (plan.run === 'tfjs') {
    if (plan.fallback) sayFallbackOnce(plan.reason);
    else if (plan.reason) getConfig().logger.debug(plan.reason);
    return tfjsEngine(model, load);
  }
  if (!model.onnx)
    throw new BackendUnavailableError(
      `${modelKey(model.tfjs)} has no ONNX form, so engine "onnx" cannot run it.`,
    );
  if (plan.run === 'onnxruntime-web') {
    getConfig().logger.debug(plan.reason);
    return onnxEngine(model, await getOrt('web'), load);
  }
  if (plan.run === 'onnx-auto') return onnxEngine(model, await getOrt('auto'), load);
  let ort: typeof Ort;
  try {
    ort = await getOrt('node');
  } catch (error) {
    sayFallbackOnce(`onnxruntime-node could not be loaded: ${String((error as Error)?.message ?? error)}`);
    return tfjsEngine(model, load);
  }
  return onnxEngine(model, ort, load);
}

/** What {@link planEngine} is asked: the request and the facts of the platform it runs on. */
export interface EngineQuery {
  /** The engine asked for. */
  engine: EngineName;
  /** The model's TFJS spec id (the key of the browser measurements). */
  model: string;
  /** Whether the model has an ONNX form. */
  hasOnnx: boolean;
  /** Whether this is Node. */
  node: boolean;
  /** In browsers under `auto`: the tfjs backend the page's probe chose (`webgpu`, `webgl`, `wasm`, `cpu`). */
  tfjsBackend?: string;
  /** Whether the page is cross-origin isolated (WASM threads possible). */
  crossOriginIsolated: boolean;
  /** In Node: whether onnxruntime-node can run with its telemetry off (false in a worker thread whose environment lacks the switch). */
  nativeIsPrivate: boolean;
}

/** What {@link planEngine} decided. */
export interface EnginePlan {
  /**
   * `tfjs`; `onnxruntime-web` (browsers, measured faster for this model); `onnxruntime-node`
   * (tried first, tfjs if it cannot load); `onnx-auto` (engine `onnx`: the native runtime where it
   * loads, else its WASM build).
   */
  run: 'tfjs' | 'onnxruntime-web' | 'onnxruntime-node' | 'onnx-auto';
  /** Why, for the debug log ('' when there is nothing to say). */
  reason: string;
  /** True when `auto` fell back to tfjs although the model has an ONNX form (said once, at debug level). */
  fallback?: boolean;
}

/**
 * Decides which runtime {@link loadEngine} uses, from the request and the platform alone (no I/O),
 * so the choice can be read and tested apart from the loading.
 *
 * @example
 * ```ts
 * planEngine({ engine: 'auto', model: 'facemesh', hasOnnx: true, node: false, tfjsBackend: 'wasm', crossOriginIsolated: false, nativeIsPrivate: false });
 * // { run: 'onnxruntime-web', reason: 'facemesh on wasm: …' }
 * ```
 */
export function planEngine(query: EngineQuery): EnginePlan {
  const { engine, hasOnnx, node } = query;
  if (engine === 'tfjs') return { run: 'tfjs', reason: '' };
  // Engine `onnx` on a model without an ONNX form is refused by loadEngine.
  if (engine === 'onnx') return { run: 'onnx-auto', reason: '' };
  if (!hasOnnx) return { run: 'tfjs', reason: '' };
  if (!node) {
    if (!query.tfjsBackend || query.tfjsBackend === 'cpu') return { run: 'tfjs', reason: '' };
    const pick = chooseBrowserEngine({
      model: query.model,
      backend: query.tfjsBackend as BrowserBackend,
      crossOriginIsolated: query.crossOriginIsolated,
    });
    return { run: pick.runtime === 'onnxruntime-web' ? 'onnxruntime-web' : 'tfjs', reason: pick.reason };
  }
  if (!query.nativeIsPrivate)
    return {
      run: 'tfjs',
      reason: 'a worker thread cannot switch onnxruntime-node telemetry off',
      fallback: true,
    };
  return { run: 'onnxruntime-node', reason: '' };
}

/**
 * @internal For tests: the fallback message is said again.
 *
 * @example
 * ```ts
 * afterEach(() => resetEngineNotices());
 * ```
 */
export function resetEngineNotices(): void {
  saidFallback = false;
}
