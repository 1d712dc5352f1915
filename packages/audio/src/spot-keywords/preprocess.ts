/**
 * The pure parts of openWakeWord's streaming feature pipeline (no model calls): int16 scaling,
 * 80 ms steps with their mel context, and the embedding history.
 */

/** The rate every model in the pipeline runs at. */
export const PIPELINE_SAMPLE_RATE = 16_000;
/** Samples per pipeline step (80 ms): one new embedding and one head prediction per step. */
export const STEP_SAMPLES = 1280;
/** Samples of earlier audio the mel model sees before each step (3 × 10 ms hop). */
export const MEL_CONTEXT_SAMPLES = 480;
/** Samples the mel model reads per step: the step and its context. */
export const WINDOW_SAMPLES = STEP_SAMPLES + MEL_CONTEXT_SAMPLES;
/** Mel bands per frame. */
export const MEL_BANDS = 32;
/** Mel frames (10 ms each) per step; also the embedding model's stride along time. */
export const FRAMES_PER_STEP = 8;
/**
 * Most steps (80 ms each) the models are run on at once: 2.56 s of audio per run of the mel, the
 * embedding and each head model, 40 ms of compute or so; abort and dispose take effect between
 * blocks.
 */
export const BLOCK_STEPS = 32;
/** Mel frames (10 ms each) per embedding window. */
export const EMBEDDING_FRAMES = 76;
/** Values per embedding. */
export const EMBEDDING_SIZE = 96;
/** Seconds per step. */
export const STEP_SECONDS = STEP_SAMPLES / PIPELINE_SAMPLE_RATE;
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
 * `n` step windows of 1760 samples from `windows[from]` on, one after the other (the mel model's
 * batch input).
 *
 * @example
 * ```ts
 * const batch = stackWindows(framer.push(chunk), 0, 4); // 4 × 1760 samples
 * ```
 */
export function stackWindows(windows: readonly Float32Array[], from: number, n: number): Float32Array {
  const out = new Float32Array(n * WINDOW_SAMPLES);
  for (let k = 0; k < n; k++) {
    const w = windows[from + k]!;
    if (w.length !== WINDOW_SAMPLES)
      throw new RangeError(`step windows of ${WINDOW_SAMPLES} samples expected, got ${w.length}`);
    out.set(w, k * WINDOW_SAMPLES);
  }
  return out;
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
    this.pushMany(embedding, 1);
  }

  /** Appends `count` embeddings (count × 96, oldest first), dropping the oldest beyond capacity. */
  pushMany(embeddings: Float32Array, count: number): void {
    const n = Math.min(count, this.capacity);
    const skip = count - n;
    const drop = Math.max(0, this.count + n - this.capacity);
    if (drop > 0) {
      this.data.copyWithin(0, drop * EMBEDDING_SIZE, this.count * EMBEDDING_SIZE);
      this.count -= drop;
    }
    this.data.set(
      embeddings.subarray(skip * EMBEDDING_SIZE, count * EMBEDDING_SIZE),
      this.count * EMBEDDING_SIZE,
    );
    this.count += n;
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

  /**
   * The windows of `n` embeddings that end at each of the last `count` embeddings, oldest window
   * first, one after the other (count × n × 96): what a head reads at each of the last `count`
   * steps. Needs `n + count − 1` embeddings held.
   */
  windows(n: number, count: number): Float32Array {
    const size = n * EMBEDDING_SIZE;
    if (this.count < n + count - 1) {
      throw new RangeError(`${count} windows of ${n} need ${n + count - 1} embeddings; ${this.count} held.`);
    }
    const out = new Float32Array(count * size);
    const first = this.count - count - n + 1;
    for (let k = 0; k < count; k++) {
      out.set(
        this.data.subarray((first + k) * EMBEDDING_SIZE, (first + k) * EMBEDDING_SIZE + size),
        k * size,
      );
    }
    return out;
  }
}
