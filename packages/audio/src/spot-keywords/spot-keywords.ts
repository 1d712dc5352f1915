import {
  type AudioInput,
  addModelPackageRoot,
  DisposedError,
  decodeAudio,
  InputError,
  isNode,
  lazyDefault,
  OptionsError,
  parseOptions,
  StreamingResampler,
  throwIfAborted,
} from '@ondevice/core';
import { FeatureModels, packageRoot } from './features.js';
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
  EmbeddingBuffer,
  MelBuffer,
  PIPELINE_SAMPLE_RATE,
  STEP_SECONDS,
  StepFramer,
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
  /** Ends the stream: processes what the resampler still holds, returns the last detections, and resets. */
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
    stream: MediaStream,
    onDetection: (detection: KeywordDetection) => void,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  /** Starts a new stream for `process()` (the first second of it is quiet again). */
  reset(): Promise<void>;
  /** Releases the models. Later calls reject with `DisposedError`. */
  dispose(): Promise<void>;
  [Symbol.dispose](): void;
}

interface HeadSlot {
  head: KeywordHead;
  owned: boolean;
  trackers: (DetectionTracker | undefined)[];
}

/** One stream's state: resampler, step framer, mel and embedding buffers, head trackers. */
class Stream {
  readonly resampler: StreamingResampler | undefined;
  readonly framer = new StepFramer();
  readonly mel = new MelBuffer();
  readonly embeddings: EmbeddingBuffer;
  /** Per head, one tracker per label (undefined for labels never reported). */
  readonly trackers: (DetectionTracker | undefined)[][];

  constructor(inRate: number, startup: Float32Array, capacity: number, slots: HeadSlot[]) {
    this.resampler =
      inRate === PIPELINE_SAMPLE_RATE ? undefined : new StreamingResampler(inRate, PIPELINE_SAMPLE_RATE);
    this.embeddings = new EmbeddingBuffer(capacity);
    this.embeddings.fill(startup);
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
    const startup = await features.startupEmbeddings();
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
        });
      });
    }
    return makeSpotter(opts, features, slots, startup, [...seen]);
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
  startup: Float32Array,
  keywords: string[],
): KeywordSpotter {
  const capacity = Math.max(16, ...slots.map((s) => s.head.windowSize));
  const newStream = (rate: number) => new Stream(rate, startup, capacity, slots);
  let main = newStream(opts.sampleRate);
  let disposed = false;
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    if (disposed) return Promise.reject(new DisposedError('KeywordSpotter'));
    const p = chain.then(work);
    chain = p.catch(() => undefined);
    return p;
  };

  /** Runs the pipeline on 16 kHz samples of a stream. */
  async function run(stream: Stream, at16k: Float32Array, signal?: AbortSignal): Promise<KeywordDetection[]> {
    const found: KeywordDetection[] = [];
    const windows = stream.framer.push(toInt16Scale(at16k));
    const first = stream.framer.steps - windows.length;
    for (let w = 0; w < windows.length; w++) {
      const window = windows[w]!;
      throwIfAborted(signal, 'Keyword spotting');
      if (disposed) throw new DisposedError('KeywordSpotter');
      stream.mel.append(await features.mel(window));
      stream.embeddings.push(await features.embed([stream.mel.lastWindow()]));
      const step = first + w + 1;
      const scores: Record<string, number> | undefined = opts.onScores ? {} : undefined;
      for (let h = 0; h < slots.length; h++) {
        const { head } = slots[h]!;
        const trackers = stream.trackers[h]!;
        const out = await head.predict(stream.embeddings.window(head.windowSize));
        for (let i = 0; i < trackers.length; i++) {
          const tracker = trackers[i];
          if (!tracker) continue;
          const score = Number(out[i] ?? 0);
          if (scores) scores[tracker.keyword] = score;
          const d = tracker.update(step, score);
          if (d) found.push(d);
        }
      }
      if (scores) opts.onScores?.(step * STEP_SECONDS, scores);
    }
    return found;
  }

  function feed(stream: Stream, samples: Float32Array, signal?: AbortSignal): Promise<KeywordDetection[]> {
    const at16k = stream.resampler ? stream.resampler.push(samples) : samples;
    return run(stream, at16k, signal);
  }

  async function end(stream: Stream, signal?: AbortSignal): Promise<KeywordDetection[]> {
    if (!stream.resampler) return [];
    return run(stream, stream.resampler.flush(), signal);
  }

  function checkSamples(samples: unknown): asserts samples is Float32Array {
    if (!(samples instanceof Float32Array)) {
      throw new InputError(
        'process() takes a Float32Array of mono samples in [-1, 1] at the spotter’s sampleRate.',
      );
    }
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
      const { samples, sampleRate } = await decodeAudio(audio);
      return enqueue(async () => {
        const stream = newStream(sampleRate);
        const found = await feed(stream, samples, callOptions.signal);
        found.push(...(await end(stream, callOptions.signal)));
        return found;
      });
    },
    async listen(mediaStream, onDetection, listenOptions = {}) {
      if (disposed) throw new DisposedError('KeywordSpotter');
      if (typeof onDetection !== 'function') throw new InputError('listen() needs an onDetection callback.');
      const onError = listenOptions.onError ?? ((e: unknown) => console.error(e));
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
      stream = newStream(tap.sampleRate);
      return async () => {
        stream = undefined;
        await tap.stop();
      };
    },
    reset() {
      return enqueue(async () => {
        main = newStream(opts.sampleRate);
      });
    },
    async dispose() {
      if (disposed) return;
      await chain;
      disposed = true;
      await Promise.all(slots.filter((s) => s.owned).map((s) => s.head.dispose?.()));
      await features.release();
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
