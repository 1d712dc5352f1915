import {
  InputError,
  type LoadModelOptions,
  ModelLoadError,
  type ModelSpec,
  type OnnxRuntimeName,
} from '@ondevice/core';
import { getOrt, type OrtModule } from '@ondevice/core/onnx';
import { BUILTIN_KEYWORD_HEADS, type BuiltinKeyword, OPENWAKEWORD_HEAD_LICENSE } from '../models.js';
import { onnxBytes, openSession } from './features.js';
import { onnxOpTypes, withFreeShapes, withIfAsWhere } from './onnx-edit.js';
import { labelsFromOutputName } from './postprocess.js';
import { EMBEDDING_SIZE } from './preprocess.js';

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

/**
 * A keyword classifier on the shared speech embedding: it reads the last `windowSize` embeddings
 * (each 96 values, one per 80 ms) and returns one score in [0, 1] per label. The built-in
 * openWakeWord heads are loaded as this interface, and so can any head of your own (an ONNX file
 * through {@link loadOnnxKeywordHead}, or a plain JavaScript object such as a small MLP).
 *
 * @example
 * ```ts
 * const head: KeywordHead = {
 *   labels: ['hey_there'],
 *   windowSize: 16,
 *   license: 'Apache-2.0',
 *   predict: (window) => [myMlp(window)], // window: 16 × 96 floats, oldest first
 * };
 * const spotter = await createKeywordSpotter({ keywords: [head] });
 * ```
 */
export interface KeywordHead {
  /** One name per score the head returns; `null` marks a class never reported (background). */
  readonly labels: readonly (string | null)[];
  /** How many of the latest embeddings the head reads (16 for openWakeWord's wake words). */
  readonly windowSize: number;
  /** Score threshold for this head's labels; the spotter's `threshold` when absent. */
  readonly threshold?: number;
  /** Licence of the head's weights (shown in docs and listings). */
  readonly license?: string;
  /** Scores one window: `windowSize × 96` floats, oldest embedding first. */
  predict(window: Float32Array): ArrayLike<number> | Promise<ArrayLike<number>>;
  /**
   * Optional: scores `count` windows at once (`count × windowSize × 96` floats, the windows one
   * after the other, each oldest embedding first) and returns `count × labels.length` scores,
   * window by window — the same scores `predict` gives each window. The spotter uses it to score
   * a block of steps in one call; without it, it calls `predict` once per window.
   */
  predictBatch?(windows: Float32Array, count: number): ArrayLike<number> | Promise<ArrayLike<number>>;
  /** Frees the head's resources; called by the spotter only for heads it loaded itself. */
  dispose?(): void | Promise<void>;
}

/**
 * Options of {@link loadOnnxKeywordHead}.
 *
 * @example
 * ```ts
 * const options: OnnxKeywordHeadOptions = { name: 'hey_there', threshold: 0.6, license: 'Apache-2.0' };
 * ```
 */
export interface OnnxKeywordHeadOptions extends LoadModelOptions {
  /** The keyword's name for a one-output head. Default: the spec's id, or `keyword`. */
  name?: string;
  /** Names of the outputs (`null` = not reported). Default: from the model (see below). */
  labels?: (string | null)[];
  /** Embeddings the head reads when its input shape does not say. */
  windowSize?: number;
  /** Threshold for this head. Default: the spotter's. */
  threshold?: number;
  /** Licence to record. Default: the spec's, else none. */
  license?: string;
  /** Which onnxruntime runs it. Default: `auto` (onnxruntime-node in Node). */
  runtime?: OnnxRuntimeName;
}

/**
 * Most embeddings a head may read per prediction (128 × 80 ms ≈ 10 s of audio).
 *
 * @example
 * ```ts
 * const windowSize = Math.min(seconds / 0.08, MAX_HEAD_WINDOW_SIZE);
 * ```
 */
export const MAX_HEAD_WINDOW_SIZE = 128;

/**
 * Whether a value looks like a {@link KeywordHead} (windowSize an integer from 1 to
 * {@link MAX_HEAD_WINDOW_SIZE}).
 *
 * @example
 * ```ts
 * isKeywordHead({ labels: ['x'], windowSize: 16, predict: () => [0] }); // true
 * ```
 */
export function isKeywordHead(value: unknown): value is KeywordHead {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<KeywordHead>;
  return (
    Array.isArray(v.labels) &&
    typeof v.windowSize === 'number' &&
    Number.isInteger(v.windowSize) &&
    v.windowSize >= 1 &&
    v.windowSize <= MAX_HEAD_WINDOW_SIZE &&
    typeof v.predict === 'function'
  );
}

/**
 * Loads an ONNX keyword head — a model with input `[1, N, 96]` (the last N embeddings) and output
 * `[1, K]` scores — from a {@link ModelSpec} or the ONNX bytes. N is read from the input shape;
 * a multi-output head's labels come from openWakeWord's JSON class map in its output name.
 *
 * @example
 * ```ts
 * const bytes = await readFile('hey_there.onnx');
 * const head = await loadOnnxKeywordHead(bytes, { name: 'hey_there', license: 'Apache-2.0' });
 * const spotter = await createKeywordSpotter({ keywords: [head] });
 * ```
 */
export async function loadOnnxKeywordHead(
  model: ModelSpec | Uint8Array,
  options: OnnxKeywordHeadOptions = {},
): Promise<KeywordHead> {
  const isBytes = model instanceof Uint8Array;
  const what = isBytes ? 'The keyword head' : `Keyword head ${model.id}`;
  const [ort, bytes] = await Promise.all([
    getOrt(options.runtime),
    isBytes ? model : onnxBytes(model, options),
  ]);
  let session = await openSession(ort, bytes, options.runtime, what);
  const input = session.inputMetadata[0];
  const output = session.outputMetadata[0];
  if (!input?.isTensor || !output?.isTensor) {
    await session.release();
    throw new ModelLoadError(`${what} must have one tensor input and one tensor output.`);
  }
  const shape = input.shape;
  const last = shape[shape.length - 1];
  if (shape.length !== 3 || (typeof last === 'number' && last !== EMBEDDING_SIZE)) {
    await session.release();
    throw new ModelLoadError(
      `${what} has input shape [${shape.join(', ')}]; expected [1, N, ${EMBEDDING_SIZE}] (N embeddings).`,
    );
  }
  const windowSize = typeof shape[1] === 'number' ? shape[1] : options.windowSize;
  if (!windowSize || !Number.isInteger(windowSize) || windowSize < 1) {
    await session.release();
    throw new ModelLoadError(`${what} does not state how many embeddings it reads; pass windowSize.`);
  }
  const outShape = output.shape;
  const outputs =
    typeof outShape[outShape.length - 1] === 'number' ? (outShape[outShape.length - 1] as number) : 1;
  const name = options.name ?? (isBytes ? 'keyword' : model.id);
  const labels = options.labels ?? labelsFromOutputName(output.name, outputs, name);
  if (labels.length !== outputs) {
    await session.release();
    throw new InputError(`${what} has ${outputs} outputs but ${labels.length} labels were given.`);
  }
  const inputName = input.name;
  const outputName = output.name;
  const license = options.license ?? (isBytes ? undefined : model.license);
  const run = async (windows: Float32Array, count: number) => {
    const feeds = { [inputName]: new ort.Tensor('float32', windows, [count, windowSize, EMBEDDING_SIZE]) };
    const out = await session.run(feeds);
    const t = out[outputName]!;
    const scores = Float32Array.from(t.data as Float32Array);
    t.dispose?.();
    return scores;
  };
  const batched = await batchSession(ort, bytes, options.runtime, what, run, {
    inputName,
    outputName,
    windowSize,
    outputs,
  });
  if (batched) {
    await session.release();
    session = batched;
  }
  const checkWindows = (windows: Float32Array, count: number) => {
    if (!Number.isInteger(count) || count < 1 || windows.length !== count * windowSize * EMBEDDING_SIZE) {
      throw new InputError(
        `${count === 1 ? 'A window' : `${count} windows`} of ${windowSize} × ${EMBEDDING_SIZE} values ${count === 1 ? 'was' : 'were'} expected.`,
      );
    }
  };
  return {
    labels,
    windowSize,
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    ...(license === undefined ? {} : { license }),
    async predict(window: Float32Array) {
      checkWindows(window, 1);
      return run(window, 1);
    },
    ...(batched
      ? {
          async predictBatch(windows: Float32Array, count: number) {
            checkWindows(windows, count);
            return run(windows, count);
          },
        }
      : {}),
    async dispose() {
      await session.release();
    },
  };
}

/**
 * Ops that compute each row of a batch on its own (given a batch-first input): a head made only
 * of these can score many windows in one run once its input and output shapes are freed.
 */
const ROW_WISE_OPS = new Set([
  'Abs',
  'Add',
  'BatchNormalization',
  'Cast',
  'Clip',
  'Constant',
  'Div',
  'Elu',
  'Equal',
  'Erf',
  'Exp',
  'Flatten',
  'Gemm',
  'Greater',
  'GreaterOrEqual',
  'HardSigmoid',
  'Identity',
  'LeakyRelu',
  'Less',
  'LessOrEqual',
  'Log',
  'LogSoftmax',
  'MatMul',
  'Max',
  'Min',
  'Mul',
  'Neg',
  'Not',
  'Pow',
  'PRelu',
  'ReduceMean',
  'Relu',
  'Sigmoid',
  'Softmax',
  'Sqrt',
  'Sub',
  'Tanh',
  'Where',
]);

/**
 * The head opened so that it takes any batch size — when its graph is made only of row-wise ops
 * and two windows scored at once give what each gives alone (checked here on two fixed windows,
 * so a head that mixes rows, e.g. through an axis-0 reduction, is caught) — else undefined.
 * openWakeWord's `hey_jarvis` gates a second network with an `If` (run the verifier when the
 * first network scores ≥ 0.5), which takes one row only: it is opened with the `If` as a `Where`
 * over both networks (the same score per row).
 */
async function batchSession(
  ort: OrtModule,
  bytes: Uint8Array,
  runtime: OnnxRuntimeName | undefined,
  what: string,
  single: (windows: Float32Array, count: number) => Promise<Float32Array>,
  io: { inputName: string; outputName: string; windowSize: number; outputs: number },
): Promise<Session | undefined> {
  let free: Uint8Array;
  try {
    const rowWise = onnxOpTypes(bytes).includes('If') ? withIfAsWhere(bytes) : bytes;
    if (!onnxOpTypes(rowWise).every((op) => ROW_WISE_OPS.has(op))) return undefined;
    free = withFreeShapes(rowWise);
  } catch {
    return undefined;
  }
  let session: Session;
  try {
    session = await openSession(ort, free, runtime, what);
  } catch {
    return undefined;
  }
  try {
    const size = io.windowSize * EMBEDDING_SIZE;
    const probe = new Float32Array(2 * size);
    for (let i = 0; i < probe.length; i++)
      probe[i] = 4 * Math.sin(i * 0.37) + (i < size ? 0 : 2 * Math.cos(i * 0.11));
    const a = await single(probe.subarray(0, size).slice(), 1);
    const b = await single(probe.subarray(size).slice(), 1);
    const out = await session.run({
      [io.inputName]: new ort.Tensor('float32', probe, [2, io.windowSize, EMBEDDING_SIZE]),
    });
    const t = out[io.outputName];
    const both = t ? Float32Array.from(t.data as Float32Array) : new Float32Array();
    t?.dispose?.();
    const same =
      both.length === 2 * io.outputs &&
      a.length === io.outputs &&
      [...a, ...b].every((v, i) => Math.abs(v - both[i]!) <= 1e-6 * Math.max(1, Math.abs(v)));
    if (same) return session;
  } catch {
    // not batchable after all
  }
  await session.release();
  return undefined;
}

/**
 * Loads one of the built-in openWakeWord heads. **These weights are licensed CC BY-NC-SA 4.0
 * (non-commercial use only).**
 *
 * @example
 * ```ts
 * const head = await loadBuiltinKeywordHead('hey_jarvis');
 * ```
 */
export function loadBuiltinKeywordHead(
  keyword: BuiltinKeyword,
  options: Omit<OnnxKeywordHeadOptions, 'name' | 'labels' | 'license'> = {},
): Promise<KeywordHead> {
  const spec = BUILTIN_KEYWORD_HEADS[keyword];
  return loadOnnxKeywordHead(spec, { ...options, name: keyword, license: OPENWAKEWORD_HEAD_LICENSE });
}
