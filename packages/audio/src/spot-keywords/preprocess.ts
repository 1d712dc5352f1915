/**
 * The pure parts of openWakeWord's streaming feature pipeline (no model calls): int16 scaling,
 * 80 ms steps with their mel context, and the mel and embedding buffers.
 */

/** The rate every model in the pipeline runs at. */
export const PIPELINE_SAMPLE_RATE = 16_000;
/** Samples per pipeline step (80 ms): one new embedding and one head prediction per step. */
export const STEP_SAMPLES = 1280;
/** Samples of earlier audio the mel model sees before each step (3 × 10 ms hop). */
export const MEL_CONTEXT_SAMPLES = 480;
/** Mel bands per frame. */
export const MEL_BANDS = 32;
/** Mel frames (10 ms each) per embedding window. */
export const EMBEDDING_FRAMES = 76;
/** Values per embedding. */
export const EMBEDDING_SIZE = 96;
/** Seconds per step. */
export const STEP_SECONDS = STEP_SAMPLES / PIPELINE_SAMPLE_RATE;
/** Mel frames the reference keeps (10 s). */
const MEL_MAX_FRAMES = 970;
/**
 * Seconds of digital silence appended after a clip (whole-clip `spot()` and `flush()`), like the
 * reference's `predict_clip(padding=1)`: a keyword that ends at the very end of a clip still
 * reaches the position in the head's window it was trained at.
 */
export const TAIL_SECONDS = 1;

/**
 * Float samples in [-1, 1] → the int16 values the reference pipeline feeds its mel model, as
 * floats (rounded and clipped like a 16-bit PCM sample; not scaled back to ±1).
 *
 * @example
 * ```ts
 * toInt16Scale(Float32Array.of(0.5, -1)); // Float32Array [16384, -32768]
 * ```
 */
export function toInt16Scale(samples: Float32Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i]! * 32768);
    out[i] = Math.min(32767, Math.max(-32768, v));
  }
  return out;
}

/**
 * Cuts a 16 kHz stream into the reference's 1280-sample steps, whatever the size of the chunks it
 * is fed. Each step's window is the step plus up to 480 samples before it. Without `context` the
 * very first step has none, as in the reference's streaming buffer; with it (e.g. 480 zeros: the
 * stream is taken to follow silence) every step, the first included, gives 8 mel frames.
 *
 * @example
 * ```ts
 * const framer = new StepFramer(new Float32Array(480));
 * for (const window of framer.push(chunk)) runMel(window); // 1760 samples each
 * ```
 */
export class StepFramer {
  private pending = new Float32Array(STEP_SAMPLES + MEL_CONTEXT_SAMPLES);
  /** Valid samples in `pending` (context + the step being filled). */
  private filled = 0;
  /** How many of the valid samples are context from earlier steps. */
  private context = 0;
  /** Steps emitted so far. */
  steps = 0;

  constructor(context?: Float32Array) {
    if (context) {
      const c = context.subarray(Math.max(0, context.length - MEL_CONTEXT_SAMPLES));
      this.pending.set(c);
      this.filled = this.context = c.length;
    }
  }

  /** Feeds samples; returns the windows of the steps completed by them, oldest first. */
  push(samples: Float32Array): Float32Array[] {
    const windows: Float32Array[] = [];
    let i = 0;
    while (i < samples.length) {
      const need = this.context + STEP_SAMPLES - this.filled;
      const take = Math.min(need, samples.length - i);
      this.pending.set(samples.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled === this.context + STEP_SAMPLES) {
        windows.push(this.pending.slice(0, this.filled));
        this.steps++;
        // Keep the last 480 samples as the next step's context.
        const keep = Math.min(MEL_CONTEXT_SAMPLES, this.filled);
        this.pending.copyWithin(0, this.filled - keep, this.filled);
        this.filled = keep;
        this.context = keep;
      }
    }
    return windows;
  }
}

/**
 * The mel-frame buffer: starts as 76 copies of `initialFrame` (32 transformed values; default
 * ones, the reference's ones(76, 32)), takes each step's frames after the reference's
 * `x / 10 + 2`, and keeps the last 10 s.
 *
 * @example
 * ```ts
 * const mel = new MelBuffer();
 * mel.append(rawFrames); // rawFrames: n × 32 straight from the mel model
 * const window = mel.lastWindow(); // 76 × 32
 * ```
 */
export class MelBuffer {
  private data = new Float32Array(MEL_MAX_FRAMES * MEL_BANDS);
  private frames = 0;

  constructor(private readonly initialFrame?: Float32Array) {
    this.reset();
  }

  /** Back to the initial 76 frames. */
  reset(): void {
    const f = this.initialFrame;
    if (!f) this.data.fill(1, 0, EMBEDDING_FRAMES * MEL_BANDS);
    else for (let i = 0; i < EMBEDDING_FRAMES; i++) this.data.set(f.subarray(0, MEL_BANDS), i * MEL_BANDS);
    this.frames = EMBEDDING_FRAMES;
  }

  /** Frames held. */
  get length(): number {
    return this.frames;
  }

  /** Appends raw mel-model frames (n × 32), applying `x / 10 + 2`. */
  append(raw: Float32Array): void {
    const n = Math.floor(raw.length / MEL_BANDS);
    if (this.frames + n > MEL_MAX_FRAMES) {
      const keep = Math.max(0, MEL_MAX_FRAMES - n);
      this.data.copyWithin(0, (this.frames - keep) * MEL_BANDS, this.frames * MEL_BANDS);
      this.frames = keep;
    }
    const at = this.frames * MEL_BANDS;
    for (let i = 0; i < n * MEL_BANDS; i++) this.data[at + i] = raw[i]! / 10 + 2;
    this.frames += n;
  }

  /** The last 76 frames (76 × 32), the embedding model's input. */
  lastWindow(): Float32Array {
    return this.data.slice((this.frames - EMBEDDING_FRAMES) * MEL_BANDS, this.frames * MEL_BANDS);
  }
}

/**
 * The embedding history the heads read: a bounded list of 96-value embeddings.
 *
 * @example
 * ```ts
 * const buf = new EmbeddingBuffer(34);
 * buf.push(embedding);
 * const window = buf.window(16); // 16 × 96, oldest first
 * ```
 */
export class EmbeddingBuffer {
  private data: Float32Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.data = new Float32Array(capacity * EMBEDDING_SIZE);
  }

  /** Embeddings held. */
  get length(): number {
    return this.count;
  }

  /** Appends one embedding (96 values), dropping the oldest when full. */
  push(embedding: Float32Array): void {
    if (this.count === this.capacity) {
      this.data.copyWithin(0, EMBEDDING_SIZE);
      this.count--;
    }
    this.data.set(embedding.subarray(0, EMBEDDING_SIZE), this.count * EMBEDDING_SIZE);
    this.count++;
  }

  /** Replaces the contents with `embeddings` (n × 96), keeping the last `capacity`. */
  fill(embeddings: Float32Array): void {
    this.count = 0;
    for (let i = 0; i + EMBEDDING_SIZE <= embeddings.length; i += EMBEDDING_SIZE) {
      this.push(embeddings.subarray(i, i + EMBEDDING_SIZE));
    }
  }

  /** The last `n` embeddings (n × 96, oldest first); fewer rows when fewer are held. */
  window(n: number): Float32Array {
    const from = Math.max(0, this.count - n);
    return this.data.slice(from * EMBEDDING_SIZE, this.count * EMBEDDING_SIZE);
  }
}

/**
 * Windows of 76 frames every 8 frames over a whole mel spectrogram (frames × 32), as the
 * reference's batch `_get_embeddings` cuts them; short trailing windows are dropped.
 *
 * @example
 * ```ts
 * const windows = melWindows(spectrogram); // each 76 × 32
 * ```
 */
export function melWindows(spectrogram: Float32Array): Float32Array[] {
  const frames = Math.floor(spectrogram.length / MEL_BANDS);
  const out: Float32Array[] = [];
  for (let i = 0; i + EMBEDDING_FRAMES <= frames; i += 8) {
    out.push(spectrogram.slice(i * MEL_BANDS, (i + EMBEDDING_FRAMES) * MEL_BANDS));
  }
  return out;
}

/**
 * The reference seeds its embedding history with the embeddings of 4 s of random int16 noise in
 * [-1000, 1000). This is the same kind of noise from a fixed seed, so every stream starts alike.
 *
 * @example
 * ```ts
 * const noise = startupNoise(); // 64 000 int16-valued floats
 * ```
 */
export function startupNoise(length = 4 * PIPELINE_SAMPLE_RATE, seed = 0x6f776b77): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = Math.floor(r * 2000) - 1000;
  }
  return out;
}
