import {
  type AudioInput,
  addModelPackageRoot,
  DisposedError,
  decodeAudio,
  isNode,
  type LoadModelOptions,
  type OnnxRuntimeName,
  StreamingResampler,
} from '@ondevice/core';
import { copyContext, FeatureModels, packageRoot } from './features.js';
import {
  BLOCK_STEPS,
  EMBEDDING_SIZE,
  MEL_CONTEXT_SAMPLES,
  PIPELINE_SAMPLE_RATE,
  STEP_SECONDS,
  StepFramer,
  stackWindows,
  TAIL_SECONDS,
  toInt16Scale,
} from './preprocess.js';

/**
 * The speech embeddings of a clip: one 96-value row per 80 ms step of the stream.
 *
 * @example
 * ```ts
 * const { embeddings, count } = await embedder.embed(clip);
 * const last = embeddings.subarray((count - 1) * 96, count * 96);
 * ```
 */
export interface SpeechEmbeddings {
  /** `count × 96` values, row k being the embedding after step k + 1 (ending at (k + 1) × 0.08 s). */
  embeddings: Float32Array;
  count: number;
  /** Seconds per row (0.08). */
  stepSeconds: number;
}

/**
 * A loaded front end that turns clips into the embeddings keyword heads read.
 *
 * @example
 * ```ts
 * const embedder: SpeechEmbedder = await createSpeechEmbedder();
 * ```
 */
export interface SpeechEmbedder {
  embed(audio: AudioInput): Promise<SpeechEmbeddings>;
  /** The embedding of digital silence: what a stream's history holds before its first row. */
  silence(): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/**
 * Creates a speech embedder: the spotter's mel → embedding front end (Apache-2.0 models only), for
 * computing the exact embeddings a keyword head sees — e.g. to train a head of your own. The
 * rows are those of a stream started on the clip (same resampling, steps and embedding context as the
 * spotter, from the state after silence), followed by the rows of the 1 s of silence the spotter
 * appends at the end of a clip; the history of silence the heads see before row 0 is not included
 * (it is {@link SpeechEmbedder.silence} repeated).
 *
 * @example
 * ```ts
 * const embedder = await createSpeechEmbedder();
 * const { embeddings, count } = await embedder.embed('hey-there.wav'); // count × 96
 * await embedder.dispose();
 * ```
 */
export async function createSpeechEmbedder(
  options: LoadModelOptions & { runtime?: OnnxRuntimeName } = {},
): Promise<SpeechEmbedder> {
  if (isNode()) addModelPackageRoot(packageRoot());
  const features = await FeatureModels.load(options);
  let disposed = false;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    embed(audio) {
      if (disposed) return Promise.reject(new DisposedError('SpeechEmbedder'));
      const work = chain.then(async () => {
        if (disposed) throw new DisposedError('SpeechEmbedder');
        const { samples, sampleRate } = await decodeAudio(audio);
        let at16k = samples;
        if (sampleRate !== PIPELINE_SAMPLE_RATE) {
          const r = new StreamingResampler(sampleRate, PIPELINE_SAMPLE_RATE);
          const a = r.push(samples);
          const b = r.flush();
          at16k = new Float32Array(a.length + b.length);
          at16k.set(a);
          at16k.set(b, a.length);
        }
        const silent = await features.silentState();
        const framer = new StepFramer(new Float32Array(MEL_CONTEXT_SAMPLES));
        const context = copyContext(silent.context);
        const windows = framer.push(toInt16Scale(at16k));
        windows.push(...framer.push(new Float32Array(TAIL_SECONDS * PIPELINE_SAMPLE_RATE)));
        const out = new Float32Array(windows.length * EMBEDDING_SIZE);
        for (let b = 0; b < windows.length; b += BLOCK_STEPS) {
          // dispose() stops a clip in progress at its next block of steps.
          if (disposed) throw new DisposedError('SpeechEmbedder');
          const n = Math.min(BLOCK_STEPS, windows.length - b);
          const frames = await features.melSteps(stackWindows(windows, b, n), n);
          out.set(await features.embedSteps(context, frames, n), b * EMBEDDING_SIZE);
        }
        return { embeddings: out, count: windows.length, stepSeconds: STEP_SECONDS };
      });
      chain = work.catch(() => undefined);
      return work;
    },
    async silence() {
      if (disposed) throw new DisposedError('SpeechEmbedder');
      return (await features.silentState()).embedding.slice();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await chain;
      await features.release();
    },
  };
}
