import {
  type AudioInput,
  addModelPackageRoot,
  checkFinite,
  DisposedError,
  type DomType,
  decodeAudio,
  InputError,
  isNode,
  lazyDefault,
  OptionsError,
  parseOptions,
  StreamingResampler,
  throwIfAborted,
} from '@ondevice/core';
import {
  copyContext,
  type EmbeddingContext,
  FeatureModels,
  packageRoot,
  type SilentState,
} from './features.js';
import { type KeywordHead, loadBuiltinKeywordHead } from './heads.js';
import { loadOpenKeywordHead, OPEN_KEYWORDS, type OpenKeyword } from '../custom-keywords/head.js';

const isOpenKeyword = (k: string): k is OpenKeyword => (OPEN_KEYWORDS as readonly string[]).includes(k);
import { type ListenOptions, tapMediaStream } from './listen.js';
import {
  type KeywordSpotterOptions,
  keywordSpotterOptionsSchema,
  type ParsedKeywordSpotterOptions,
} from './options.js';
import { DetectionTracker } from './postprocess.js';
import {
  BLOCK_STEPS,
  EmbeddingBuffer,
  MEL_CONTEXT_SAMPLES,
  PIPELINE_SAMPLE_RATE,
  STEP_SECONDS,
  StepFramer,
  stackWindows,
  TAIL_SECONDS,
  toInt16Scale,
} from './preprocess.js';
import type { KeywordDetection } from './result.js';

/**
 * A keyword spotter: a streaming openWakeWord pipeline (mel → speech embedding → keyword heads) on
 * onnxruntime. Feed it audio in chunks of any size; each keyword said once fires once.
 *
 * @example
 * ```ts
 * const spotter: KeywordSpotter = await createKeywordSpotter({ keywords: ['alexa'] });
 * const detections = await spotter.process(chunk);
 * ```
 */
export interface KeywordSpotter {
  /** The labels that can be reported, in head order. */
  readonly keywords: readonly string[];
  /** The sample rate `process()` expects. */
  readonly sampleRate: number;
  /**
   * Feeds the next chunk of the stream (mono samples in [-1, 1] at `sampleRate`, any length) and
   * resolves to the detections it completed. Calls are processed in order.
   */
  process(samples: Float32Array): Promise<KeywordDetection[]>;
  /**
   * Ends the stream: processes what the resampler still holds and 1 s of silence after it (so a
   * keyword at the very end is judged whole; detections there end at the end of the audio), returns
   * the last detections, and resets.
   */
  flush(): Promise<KeywordDetection[]>;
  /**
   * Spots keywords in a whole clip (WAV path in Node, WAV bytes, or `{ samples, sampleRate }`) as one
   * fresh stream; the streaming state of `process()` is untouched.
   */
  spot(audio: AudioInput, options?: { signal?: AbortSignal }): Promise<KeywordDetection[]>;
  /**
   * Browsers: listens to a MediaStream (e.g. the microphone) through an AudioWorklet and calls
   * `onDetection` for each detection. Resolves to a function that stops listening.
   */
  listen(
    stream: DomType<'MediaStream'>,
    onDetection: (detection: KeywordDetection) => void,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  /** Starts a new stream for `process()` (from the state after silence, like every stream). */
  reset(): Promise<void>;
  /**
   * Stops any `listen()` taps and releases the models. Calls queued or in progress reject with
   * `DisposedError` (the one in progress at its next block of steps — at most 2.56 s of audio,
   * tens of milliseconds of work), as do later calls.
   */
  dispose(): Promise<void>;
  [Symbol.dispose](): void;
}

interface HeadSlot {
  head: KeywordHead;
  owned: boolean;
  trackers: (DetectionTracker | undefined)[];
}

/**
 * The scores of a head at each of the last `n` steps (n × labels, step by step): one call of its
 * `predictBatch` when it has one, else `predict` per step.
 */
async function predictSteps(
  head: KeywordHead,
  embeddings: EmbeddingBuffer,
  n: number,
): Promise<ArrayLike<number>> {
  const windows = embeddings.windows(head.windowSize, n);
  if (head.predictBatch) return head.predictBatch(windows, n);
  const labels = head.labels.length;
  const size = windows.length / n;
  const out = new Float64Array(n * labels);
  for (let k = 0; k < n; k++) {
    const s = await head.predict(windows.subarray(k * size, (k + 1) * size));
    for (let i = 0; i < labels; i++) out[k * labels + i] = Number(s[i] ?? 0);
  }
  return out;
}

/**
 * One stream's state: resampler, step framer, the embedding stages' context, the embedding
 * history, head trackers. A stream starts from the front end's state after digital silence
 * (480 samples of zero context, the embedding stages as after 76 mel frames of zeros, the history
 * full of the embedding of silence), so its first steps are real features rather than start-up
 * buffers, and nothing needs hiding behind a warm-up.
 */
class Stream {
  readonly resampler: StreamingResampler | undefined;
  readonly framer = new StepFramer(new Float32Array(MEL_CONTEXT_SAMPLES));
  /** What the embedding model's stages keep of the stream so far. */
  readonly context: EmbeddingContext;
  readonly embeddings: EmbeddingBuffer;
  /** Per head, one tracker per label (undefined for labels never reported). */
  readonly trackers: (DetectionTracker | undefined)[][];
  /** 16 kHz samples of real audio fed (not the tail of silence). */
  realSamples = 0;

  constructor(inRate: number, silent: SilentState, capacity: number, slots: HeadSlot[]) {
    this.resampler =
      inRate === PIPELINE_SAMPLE_RATE ? undefined : new StreamingResampler(inRate, PIPELINE_SAMPLE_RATE);
    this.context = copyContext(silent.context);
    this.embeddings = new EmbeddingBuffer(capacity);
    for (let i = 0; i < capacity; i++) this.embeddings.push(silent.embedding);
    this.trackers = slots.map((s) =>
      s.trackers.map((t) => (t ? new DetectionTracker(t.keyword, t.options) : undefined)),
    );
  }
}

/**
 * Creates a keyword spotter on openWakeWord's pipeline. The mel and speech-embedding models are
 * Apache-2.0; **the built-in wake-word heads (`hey_jarvis`, `alexa`, `hey_mycroft`, `hey_rhasspy`,
 * `timer`, `weather`) are openWakeWord's, licensed CC BY-NC-SA 4.0 — non-commercial use only.** Pass
 * heads of your own (`KeywordHead`) to avoid them.
 *
 * @example
 * ```ts
 * const spotter = await createKeywordSpotter({ keywords: ['hey_jarvis'], sampleRate: 48000 });
 * for await (const chunk of micChunks) {
 *   for (const d of await spotter.process(chunk)) console.log(d.keyword, d.endTime);
 * }
 * await spotter.dispose();
 * ```
 */
export async function createKeywordSpotter(options: KeywordSpotterOptions = {}): Promise<KeywordSpotter> {
  const opts: ParsedKeywordSpotterOptions = parseOptions(
    keywordSpotterOptionsSchema,
    options,
    'createKeywordSpotter',
  );
  if (isNode()) addModelPackageRoot(packageRoot());
  throwIfAborted(opts.signal, 'createKeywordSpotter');
  const loadOpts = {
    runtime: opts.runtime,
    modelPath: opts.modelPath,
    onProgress: opts.onProgress,
    signal: opts.signal,
  };
  const features = await FeatureModels.load(loadOpts);
  const slots: HeadSlot[] = [];
  try {
    for (const k of opts.keywords) {
      const head =
        typeof k !== 'string'
          ? k
          : isOpenKeyword(k)
            ? await loadOpenKeywordHead(k)
            : await loadBuiltinKeywordHead(k, loadOpts);
      slots.push({ head, owned: typeof k === 'string', trackers: [] });
    }
    const silent = await features.silentState();
    const seen = new Set<string>();
    for (const slot of slots) {
      const threshold = slot.head.threshold ?? opts.threshold;
      slot.trackers = slot.head.labels.map((label) => {
        if (label === null) return undefined;
        if (seen.has(label))
          throw new OptionsError(`createKeywordSpotter: keyword "${label}" is given twice.`);
        seen.add(label);
        return new DetectionTracker(label, {
          threshold,
          refractoryPeriod: opts.refractoryPeriod,
          warmup: opts.warmup,
          windowSize: slot.head.windowSize,
          stepSeconds: STEP_SECONDS,
          zeroedPredictions: 0,
        });
      });
    }
    return makeSpotter(opts, features, slots, silent, [...seen]);
  } catch (error) {
    await Promise.all(slots.filter((s) => s.owned).map((s) => s.head.dispose?.()));
    await features.release();
    throw error;
  }
}

function makeSpotter(
  opts: ParsedKeywordSpotterOptions,
  features: FeatureModels,
  slots: HeadSlot[],
  silent: SilentState,
  keywords: string[],
): KeywordSpotter {
  // Room for the longest head window at each step of a block.
  const capacity = Math.max(16, ...slots.map((s) => s.head.windowSize)) + BLOCK_STEPS - 1;
  const newStream = (rate: number) => new Stream(rate, silent, capacity, slots);
  let main = newStream(opts.sampleRate);
  // dispose() sets `disposed` at once: queued calls reject when their turn comes, the call in
  // progress rejects at its next block of steps, and the sessions are released only after it stops.
  let disposed = false;
  let released: Promise<void> | undefined;
  const gone = () => new DisposedError('KeywordSpotter');
  /** The stop functions of the listen() taps running. */
  const taps = new Set<() => Promise<void>>();
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    if (disposed) return Promise.reject(gone());
    const p = chain.then(() => {
      if (disposed) throw gone();
      return work();
    });
    chain = p.catch(() => undefined);
    return p;
  };

  /** Runs the pipeline on 16 kHz samples of a stream (`tail`: the silence appended at its end). */
  async function run(
    stream: Stream,
    at16k: Float32Array,
    signal?: AbortSignal,
    tail = false,
  ): Promise<KeywordDetection[]> {
    const found: KeywordDetection[] = [];
    if (!tail) stream.realSamples += at16k.length;
    // Detections made in the tail end where the real audio ends.
    const realEnd = Math.round((stream.realSamples / PIPELINE_SAMPLE_RATE) * 1e4) / 1e4;
    const windows = stream.framer.push(toInt16Scale(at16k));
    const first = stream.framer.steps - windows.length;
    // The models run once per block of up to BLOCK_STEPS steps; the heads' trackers still see
    // every step in order.
    for (let b = 0; b < windows.length; b += BLOCK_STEPS) {
      throwIfAborted(signal, 'Keyword spotting');
      if (disposed) throw new DisposedError('KeywordSpotter');
      const n = Math.min(BLOCK_STEPS, windows.length - b);
      const frames = await features.melSteps(stackWindows(windows, b, n), n);
      stream.embeddings.pushMany(await features.embedSteps(stream.context, frames, n), n);
      const outs: ArrayLike<number>[] = [];
      for (const { head } of slots) outs.push(await predictSteps(head, stream.embeddings, n));
      for (let k = 0; k < n; k++) {
        const step = first + b + k + 1;
        const scores: Record<string, number> | undefined = opts.onScores ? {} : undefined;
        for (let h = 0; h < slots.length; h++) {
          const trackers = stream.trackers[h]!;
          const out = outs[h]!;
          const at = k * slots[h]!.head.labels.length;
          for (let i = 0; i < trackers.length; i++) {
            const tracker = trackers[i];
            if (!tracker) continue;
            const score = Number(out[at + i] ?? 0);
            if (scores) scores[tracker.keyword] = score;
            const d = tracker.update(step, score);
            if (d) found.push(d.endTime > realEnd ? { ...d, endTime: realEnd } : d);
          }
        }
        if (scores) opts.onScores?.(step * STEP_SECONDS, scores);
      }
    }
    return found;
  }

  function feed(stream: Stream, samples: Float32Array, signal?: AbortSignal): Promise<KeywordDetection[]> {
    const at16k = stream.resampler ? stream.resampler.push(samples) : samples;
    return run(stream, at16k, signal);
  }

  /**
   * Ends a stream: what the resampler holds, then 1 s of digital silence (the reference's
   * `predict_clip` padding), so a keyword at the very end of the audio is judged whole.
   */
  async function end(stream: Stream, signal?: AbortSignal): Promise<KeywordDetection[]> {
    const found = stream.resampler ? await run(stream, stream.resampler.flush(), signal) : [];
    const silence = new Float32Array(TAIL_SECONDS * PIPELINE_SAMPLE_RATE);
    found.push(...(await run(stream, silence, signal, true)));
    return found;
  }

  function checkSamples(samples: unknown): asserts samples is Float32Array {
    if (!(samples instanceof Float32Array)) {
      throw new InputError(
        'process() takes a Float32Array of mono samples in [-1, 1] at the spotter’s sampleRate.',
      );
    }
    checkFinite(samples, 'The chunk given to process()');
  }

  const spotter: KeywordSpotter = {
    keywords,
    sampleRate: opts.sampleRate,
    process(samples) {
      try {
        checkSamples(samples);
      } catch (error) {
        return Promise.reject(error);
      }
      // Copy now: callers often reuse their buffers.
      const copy = samples.slice();
      return enqueue(() => feed(main, copy));
    },
    flush() {
      return enqueue(async () => {
        const last = await end(main);
        main = newStream(opts.sampleRate);
        return last;
      });
    },
    async spot(audio, callOptions = {}) {
      // Decoding is queued too, so calls run in the order they were made.
      return enqueue(async () => {
        const { samples, sampleRate } = await decodeAudio(audio);
        const stream = newStream(sampleRate);
        const found = await feed(stream, samples, callOptions.signal);
        found.push(...(await end(stream, callOptions.signal)));
        return found;
      });
    },
    async listen(mediaStream, onDetection, listenOptions = {}) {
      if (disposed) throw gone();
      if (typeof onDetection !== 'function') throw new InputError('listen() needs an onDetection callback.');
      const userOnError = listenOptions.onError ?? ((e: unknown) => console.error(e));
      // Chunks still queued when the spotter is disposed are dropped, not reported as errors.
      const onError = (e: unknown) => {
        if (!(e instanceof DisposedError)) userOnError(e);
      };
      let stream: Stream | undefined;
      const tap = await tapMediaStream(
        mediaStream,
        (chunk) => {
          const s = stream;
          if (!s || disposed) return;
          enqueue(() => feed(s, chunk)).then((ds) => {
            for (const d of ds) onDetection(d);
          }, onError);
        },
        listenOptions,
      );
      if (disposed) {
        // dispose() ran while the tap was starting.
        await tap.stop();
        throw gone();
      }
      stream = newStream(tap.sampleRate);
      const stop = async () => {
        stream = undefined;
        taps.delete(stop);
        await tap.stop();
      };
      taps.add(stop);
      return stop;
    },
    reset() {
      return enqueue(async () => {
        main = newStream(opts.sampleRate);
      });
    },
    dispose() {
      if (!released) {
        disposed = true;
        const stopping = [...taps].map((stop) => stop());
        released = (async () => {
          await Promise.allSettled(stopping);
          await chain;
          await Promise.all(slots.filter((s) => s.owned).map((s) => s.head.dispose?.()));
          await features.release();
        })();
      }
      return released;
    },
    [Symbol.dispose]() {
      void spotter.dispose();
    },
  };
  return spotter;
}

const defaultSpotter = lazyDefault(() => createKeywordSpotter());

/**
 * Spots keywords in a whole clip: a WAV file path (Node), WAV bytes, or `{ samples, sampleRate }`
 * at any rate. Without options it reuses one default spotter armed with openWakeWord's four wake
 * words (**CC BY-NC-SA 4.0, non-commercial**); with options it creates a spotter for the call.
 *
 * @example
 * ```ts
 * const detections = await spotKeywords('hey-jarvis.wav');
 * // [{ keyword: 'hey_jarvis', score: 0.97, startTime: 0.31, endTime: 2.24 }]
 * ```
 */
export async function spotKeywords(
  audio: AudioInput,
  options?: KeywordSpotterOptions,
): Promise<KeywordDetection[]> {
  if (
    options === undefined ||
    (typeof options === 'object' && options && Object.keys(options).length === 0)
  ) {
    return (await defaultSpotter.get()).spot(audio);
  }
  const spotter = await createKeywordSpotter(options);
  try {
    return await spotter.spot(audio, { signal: (options as { signal?: AbortSignal }).signal });
  } finally {
    await spotter.dispose();
  }
}
