// The batched pipeline (mel, embedding and heads run once per block of steps instead of once per
// 80 ms step) must give what the per-step pipeline gave: every score of every step, the
// detections and the speech embeddings, on real recordings, as whole clips and as streams cut
// into chunks of odd sizes (also at 48 kHz); and hey_jarvis's own synthetic fixture, on which that
// head's score passes 0.5 and its verifier network runs. test/fixtures/scores-golden.json was recorded with
// the per-step pipeline (commit 7b0cceb) by test/fixtures/make-scores-golden.mjs.
import { readFileSync } from 'node:fs';
import { addModelPackageRoot, decodeAudio } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { describe, expect, it } from 'vitest';
import {
  createKeywordSpotter,
  type KeywordDetection,
  loadBuiltinKeywordHead,
  OPENWAKEWORD_WAKE_WORDS,
} from '../src/index.js';
import { createSpeechEmbedder } from '../src/internals.js';
import { packageRoot } from '../src/spot-keywords/features.js';

interface Recorded {
  labels: string[];
  steps: number;
  firstStep: number;
  scores: string;
  detections: KeywordDetection[];
}
const golden = JSON.parse(
  readFileSync(new URL('./fixtures/scores-golden.json', import.meta.url), 'utf8'),
) as {
  keywords: string[];
  chunks: number[];
  clips: Record<string, Partial<Record<'spot' | 'stream' | 'stream48k', Recorded>>>;
  embeddings: { clip: string; count: number; values: string; silence: string };
};
const floats = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};
/** Largest absolute difference between two equally long arrays. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}
/** Scores are probabilities: float rounding moves them by far less than this. */
const SCORE_TOLERANCE = 1e-5;

/** A dataset recording, or one of this package's fixtures (`fixtures/…`). */
const pathOf = (file: string) =>
  file.startsWith('fixtures/')
    ? new URL(`./${file}`, import.meta.url).pathname
    : datasetPath('keyword_spotting', file);

async function run(file: string, mode: 'spot' | 'stream', sampleRate: number) {
  const clip = await decodeAudio(pathOf(file), { sampleRate });
  const steps: number[] = [];
  const scores: number[] = [];
  let labels: string[] | undefined;
  const spotter = await createKeywordSpotter({
    keywords: golden.keywords as never,
    sampleRate: clip.sampleRate,
    onScores: (t, s) => {
      labels ??= Object.keys(s);
      steps.push(t);
      for (const l of labels) scores.push(s[l]!);
    },
  });
  const detections: KeywordDetection[] = [];
  try {
    if (mode === 'spot') detections.push(...(await spotter.spot(clip)));
    else {
      let at = 0;
      for (let i = 0; at < clip.samples.length; i++) {
        const n = golden.chunks[i % golden.chunks.length]!;
        detections.push(...(await spotter.process(clip.samples.subarray(at, at + n))));
        at += n;
      }
      detections.push(...(await spotter.flush()));
    }
  } finally {
    await spotter.dispose();
  }
  return { labels, steps, scores, detections };
}

describe('keyword spotting gives the per-step pipeline’s scores and detections on real recordings', () => {
  const cases = Object.entries(golden.clips).flatMap(([file, modes]) =>
    Object.entries(modes).map(([mode, rec]) => ({ file, mode, rec: rec! })),
  );
  it.each(cases)('$file, $mode', async ({ file, mode, rec }) => {
    const got = await run(file, mode === 'spot' ? 'spot' : 'stream', mode === 'stream48k' ? 48_000 : 16_000);
    expect(got.labels).toEqual(rec.labels);
    expect(got.steps.length).toBe(rec.steps);
    expect(got.steps[0]).toBeCloseTo(rec.firstStep, 9);
    expect(maxDiff(got.scores, floats(rec.scores))).toBeLessThan(SCORE_TOLERANCE);
    expect(got.detections.map(({ score, ...d }) => d)).toEqual(rec.detections.map(({ score, ...d }) => d));
    for (let i = 0; i < rec.detections.length; i++) {
      expect(Math.abs(got.detections[i]!.score - rec.detections[i]!.score)).toBeLessThan(SCORE_TOLERANCE);
    }
  });

  it('createSpeechEmbedder(): the same embeddings, row for row', async () => {
    const embedder = await createSpeechEmbedder();
    try {
      const clip = await decodeAudio(datasetPath('keyword_spotting', golden.embeddings.clip));
      const { embeddings, count } = await embedder.embed(clip);
      expect(count).toBe(golden.embeddings.count);
      // Embedding values reach ~50: 1e-4 is float32 rounding, not a different computation.
      expect(maxDiff(embeddings, floats(golden.embeddings.values))).toBeLessThan(1e-4);
      expect(maxDiff(await embedder.silence(), floats(golden.embeddings.silence))).toBeLessThan(1e-4);
    } finally {
      await embedder.dispose();
    }
  });

  it('every built-in head scores a block of steps in one run (hey_jarvis too, its If as a Where)', async () => {
    addModelPackageRoot(packageRoot());
    for (const k of [...OPENWAKEWORD_WAKE_WORDS, 'timer', 'weather'] as const) {
      const head = await loadBuiltinKeywordHead(k);
      try {
        expect(typeof head.predictBatch, k).toBe('function');
        const w = Float32Array.from({ length: 3 * head.windowSize * 96 }, (_, i) => Math.sin(i) * 5);
        const batch = await head.predictBatch!(w, 3);
        const size = head.windowSize * 96;
        for (let k2 = 0; k2 < 3; k2++) {
          const one = await head.predict(w.slice(k2 * size, (k2 + 1) * size));
          const row = Array.from(batch).slice(k2 * head.labels.length, (k2 + 1) * head.labels.length);
          expect(maxDiff(row, one)).toBeLessThan(SCORE_TOLERANCE);
        }
      } finally {
        await head.dispose?.();
      }
    }
  });
});
