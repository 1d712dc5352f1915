import {
  type AudioInput,
  decodeAudio,
  InputError,
  parseOptions,
  resample,
  throwIfAborted,
} from '@ondevice/core';
import { createSpeechEmbedder, type SpeechEmbedder } from '../spot-keywords/embeddings.js';
import { EMBEDDING_SIZE, STEP_SECONDS } from '../spot-keywords/preprocess.js';
import { augmentedStream, gatherWindows, labelWindows, nonSpeechStream } from './augment.js';
import {
  compactWeights,
  keywordHeadFromJson,
  loadBuiltinNegatives,
  type SerializableKeywordHead,
} from './head.js';
import { MlpHead, trainMlp } from './mlp.js';
import { type EnrollKeywordOptions, enrollKeywordOptionsSchema } from './options.js';

/** Embeddings per window of an enrolled head (16 × 80 ms steps, about 2 s of audio). */
export const ENROLL_WINDOW_SIZE = 16;

/** Windows (every `stride`-th) of continuous embedding streams, all labelled 0. */
export function negativeWindows(
  streams: Float32Array[],
  windowSize: number,
  stride = 1,
  skip = 0,
): Float32Array[] {
  const out: Float32Array[] = [];
  for (const s of streams) {
    const rows = s.length / EMBEDDING_SIZE;
    for (let k = windowSize - 1 + skip; k < rows; k += stride) {
      out.push(s.subarray((k - windowSize + 1) * EMBEDDING_SIZE, (k + 1) * EMBEDDING_SIZE));
    }
  }
  return out;
}

async function to16k(input: AudioInput): Promise<Float32Array> {
  const { samples, sampleRate } = await decodeAudio(input);
  return sampleRate === 16_000 ? samples : resample(samples, sampleRate, 16_000);
}

/**
 * Teaches the spotter a keyword of your own from a few recordings (3–10), in seconds, in Node or a
 * browser: each recording is augmented (gain, noise, speed, time shift), turned into the speech
 * embedding the spotter uses, and a small MLP head (~3,000 weights) is trained with Adam against
 * the shipped bank of non-keyword speech and non-speech signals (silence, DC, noise, tones) plus
 * any `negatives` you give; every augmented stream starts and ends with silence or low noise, as
 * clips do. The threshold is set just above the highest score among the negatives (at least 0.5)
 * unless you pass one.
 *
 * The result is a `KeywordHead` for `createKeywordSpotter({ keywords: [head] })`; `JSON.stringify(head)`
 * saves it and `keywordHeadFromJson()` revives it.
 *
 * @example
 * ```ts
 * const head = await enrollKeyword({ name: 'hey_computer', examples: ['take1.wav', 'take2.wav', 'take3.wav'] });
 * const spotter = await createKeywordSpotter({ keywords: [head] });
 * await writeFile('hey_computer.json', JSON.stringify(head));
 * ```
 */
export async function enrollKeyword(
  options: EnrollKeywordOptions,
  deps: { embedder?: SpeechEmbedder } = {},
): Promise<SerializableKeywordHead> {
  const o = parseOptions(enrollKeywordOptionsSchema, options, 'enrollKeyword');
  const signal = o.signal;
  throwIfAborted(signal, 'enrollKeyword');
  const examples = await Promise.all(o.examples.map((e) => to16k(e as AudioInput)));
  for (const [i, e] of examples.entries()) {
    if (e.length < 0.15 * 16_000) throw new InputError(`examples[${i}] is shorter than 0.15 s.`);
  }
  const userNegatives = await Promise.all(o.negatives.map((e) => to16k(e as AudioInput)));
  const embedder =
    deps.embedder ??
    (await createSpeechEmbedder({
      runtime: o.runtime,
      ...(o.modelPath === undefined ? {} : { modelPath: o.modelPath }),
      ...(signal === undefined ? {} : { signal }),
    }));
  const T = ENROLL_WINDOW_SIZE;
  try {
    // Positives: every example several times, each copy augmented, in streams of 8 copies.
    const copies: Float32Array[] = [];
    for (let a = 0; a < o.augmentations; a++) copies.push(...examples);
    const posWindows: Float32Array[] = [];
    const negFromPos: Float32Array[] = [];
    for (let i = 0; i < copies.length; i += 8) {
      throwIfAborted(signal, 'enrollKeyword');
      const stream = augmentedStream(copies.slice(i, i + 8), { seed: o.seed * 7919 + i });
      const { embeddings, count } = await embedder.embed({ samples: stream.samples, sampleRate: 16_000 });
      const { rows, labels } = labelWindows(count, stream.segments, {
        windowSize: T,
        stepSeconds: STEP_SECONDS,
        staleAfter: 0.8,
      });
      const all = gatherWindows(embeddings, rows, T);
      labels.forEach((l, j) => {
        (l === 1 ? posWindows : negFromPos).push(
          all.subarray(j * T * EMBEDDING_SIZE, (j + 1) * T * EMBEDDING_SIZE),
        );
      });
    }
    if (posWindows.length === 0)
      throw new InputError('No usable keyword windows were found in the examples.');
    // Negatives: the user's recordings (augmented a little) and the built-in bank.
    const negStreams: Float32Array[] = [];
    for (const [i, n] of userNegatives.entries()) {
      throwIfAborted(signal, 'enrollKeyword');
      for (let a = 0; a < 3; a++) {
        const stream = augmentedStream([n], { seed: o.seed * 104729 + i * 3 + a, gap: [0.2, 0.4] });
        // Every window: streams start from the state after silence, so the lead (silence or low
        // noise) and the 1 s of zeros after the stream are negatives like the speech.
        const { embeddings } = await embedder.embed({ samples: stream.samples, sampleRate: 16_000 });
        negStreams.push(embeddings);
      }
    }
    const bank = o.builtinNegatives ? await loadBuiltinNegatives() : [];
    // Signals that are not speech (silence, DC, clipping, noise, tones, hum, clicks), weighted ×3.
    throwIfAborted(signal, 'enrollKeyword');
    const nonSpeech = (
      await embedder.embed({ samples: nonSpeechStream(o.seed * 31 + 5, 15), sampleRate: 16_000 })
    ).embeddings;
    const nonSpeechWindows = negativeWindows([nonSpeech], T);
    const negatives = [
      ...negativeWindows(negStreams, T),
      ...negativeWindows(bank, T),
      ...nonSpeechWindows,
      ...nonSpeechWindows,
      ...nonSpeechWindows,
      ...negFromPos,
    ];
    if (negatives.length === 0)
      throw new InputError('No negatives: pass negatives or keep builtinNegatives.');
    throwIfAborted(signal, 'enrollKeyword');
    const n = posWindows.length + negatives.length;
    const windows = new Float32Array(n * T * EMBEDDING_SIZE);
    const labels = new Uint8Array(n);
    posWindows.forEach((w, i) => {
      windows.set(w, i * T * EMBEDDING_SIZE);
      labels[i] = 1;
    });
    negatives.forEach((w, i) => {
      windows.set(w, (posWindows.length + i) * T * EMBEDDING_SIZE);
    });
    const weights = compactWeights(
      trainMlp(
        windows,
        labels,
        { windowSize: T, embeddingSize: EMBEDDING_SIZE },
        { epochs: o.epochs, seed: o.seed, shouldStop: () => signal?.aborted === true },
      ),
    );
    throwIfAborted(signal, 'enrollKeyword');
    const mlp = new MlpHead(weights);
    let maxNeg = 0;
    for (const w of negatives) maxNeg = Math.max(maxNeg, mlp.predict(w));
    let minPos = 1;
    for (const w of posWindows) minPos = Math.min(minPos, mlp.predict(w));
    const threshold = o.threshold ?? Math.min(0.95, Math.max(0.5, maxNeg + 0.05));
    return keywordHeadFromJson({
      format: 'ondevice-keyword-head',
      version: 1,
      name: o.name,
      threshold: Number(threshold.toFixed(4)),
      license: o.license,
      description: `Enrolled from ${examples.length} recording(s).`,
      training: {
        method: 'enrollKeyword',
        examples: examples.length,
        augmentations: o.augmentations,
        positiveWindows: posWindows.length,
        negativeWindows: negatives.length,
        userNegatives: userNegatives.length,
        builtinNegatives: o.builtinNegatives,
        maxNegativeScore: Number(maxNeg.toFixed(4)),
        minPositiveScore: Number(minPos.toFixed(4)),
      },
      mlp: weights,
    });
  } finally {
    if (!deps.embedder) await embedder.dispose();
  }
}
