// Whole-clip spotting at the edges of a clip: short clips, keywords right at the start or the end,
// and a stream start that is the state after silence (no start-up artefact for a warm-up to hide).
import { decodeAudio } from '@ondevice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeywordSpotter, type KeywordHead, type KeywordSpotter, spotKeywords } from '../src/index.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
/** 0.9 s cut (sox trim 7.35 0.9) of the real "alexa" in Porcupine's en_multiple_keywords.wav (Apache-2.0). */
const REAL_ALEXA = `${FIXTURES}real_alexa_0.9s.wav`;

let spotter: KeywordSpotter;
beforeAll(async () => {
  spotter = await createKeywordSpotter({ keywords: ['alexa', 'hey_jarvis'] });
});
afterAll(async () => {
  await spotter?.dispose();
});

describe('short clips', () => {
  it('finds the keyword in a 0.9 s real "alexa" (shorter than the head window and the old warm-up)', async () => {
    const found = await spotKeywords(REAL_ALEXA, { keywords: ['alexa'] });
    expect(found.map((d) => d.keyword)).toEqual(['alexa']);
    // The detection lies inside the clip: times never point into the padding.
    expect(found[0]!.endTime).toBeLessThanOrEqual(0.9);
    expect(found[0]!.startTime).toBe(0);
  });

  it('finds it too when the clip is cut right after the word or starts right on it', async () => {
    const { samples } = await decodeAudio(REAL_ALEXA);
    // Speech ≈ 0.2–0.85 s of the cut.
    const tight = samples.subarray(Math.round(0.18 * 16000), Math.round(0.86 * 16000));
    const found = await spotter.spot({ samples: tight, sampleRate: 16000 });
    expect(found.map((d) => d.keyword)).toEqual(['alexa']);
  });

  it('gives the same detection streamed in small chunks and flushed', async () => {
    const { samples } = await decodeAudio(REAL_ALEXA);
    const whole = await spotter.spot({ samples, sampleRate: 16000 });
    await spotter.reset();
    const streamed = [];
    for (let i = 0; i < samples.length; i += 300)
      streamed.push(...(await spotter.process(samples.subarray(i, i + 300))));
    streamed.push(...(await spotter.flush()));
    expect(streamed).toEqual(whole);
    expect(whole.length).toBe(1);
  });
});

describe('stream start', () => {
  /** A head that reports nothing but records each window's mean (a fingerprint of what it sees). */
  function probe(): KeywordHead & { seen: number[] } {
    const seen: number[] = [];
    return {
      labels: ['probe'],
      windowSize: 16,
      seen,
      predict: (w) => {
        let s = 0;
        for (let i = 0; i < w.length; i++) s += w[i]! * (1 + (i % 7));
        seen.push(s / w.length);
        return [0];
      },
    };
  }

  it('is the state after silence: a clip alone and the clip after 3.2 s of zeros give the heads the same windows', async () => {
    const { samples } = await decodeAudio(REAL_ALEXA);
    const lead = 40 * 1280; // a whole number of 80 ms steps
    const padded = new Float32Array(lead + samples.length);
    padded.set(samples, lead);
    const a = probe();
    const b = probe();
    const sa = await createKeywordSpotter({ keywords: [a] });
    const sb = await createKeywordSpotter({ keywords: [b] });
    try {
      await sa.spot({ samples, sampleRate: 16000 });
      await sb.spot({ samples: padded, sampleRate: 16000 });
    } finally {
      await sa.dispose();
      await sb.dispose();
    }
    const tail = b.seen.slice(40);
    expect(tail.length).toBe(a.seen.length);
    for (let i = 0; i < tail.length; i++) expect(a.seen[i]).toBeCloseTo(tail[i]!, 4);
  });
});
