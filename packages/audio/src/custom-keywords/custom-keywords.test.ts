import { describe, expect, it } from 'vitest';
import { augmentedStream, changeSpeed, labelWindows, speechBounds } from './augment.js';
import {
  decodeEmbeddingBank,
  encodeEmbeddingBank,
  keywordHeadFromJson,
  type KeywordHeadJson,
} from './head.js';
import { MlpHead, seededRandom, trainMlp } from './mlp.js';

function tone(seconds: number, amp: number, rate = 16_000): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => amp * Math.sin(i * 0.3));
}

describe('trainMlp', () => {
  it('separates two synthetic window classes and serialises losslessly enough', () => {
    const T = 4;
    const E = 96;
    const rand = seededRandom(3);
    const n = 400;
    const windows = new Float32Array(n * T * E);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 4 === 0 ? 1 : 0;
      for (let j = 0; j < T * E; j++) {
        // positives: the last embedding's first 8 dims are raised
        const bump = labels[i] && j >= (T - 1) * E && j < (T - 1) * E + 8 ? 1.5 : 0;
        windows[i * T * E + j] = rand() * 2 - 1 + bump;
      }
    }
    const w = trainMlp(windows, labels, { windowSize: T, embeddingSize: E }, { epochs: 25, seed: 2 });
    const head = new MlpHead(w);
    let correct = 0;
    for (let i = 0; i < n; i++)
      correct += (head.predict(windows, i * T * E) >= 0.5 ? 1 : 0) === labels[i] ? 1 : 0;
    expect(correct / n).toBeGreaterThan(0.95);
    const json: KeywordHeadJson = {
      format: 'ondevice-keyword-head',
      version: 1,
      name: 'bump',
      threshold: 0.6,
      license: 'Apache-2.0',
      mlp: w,
    };
    const revived = keywordHeadFromJson(JSON.stringify(json));
    expect(revived.labels).toEqual(['bump']);
    expect(revived.threshold).toBe(0.6);
    expect(revived.windowSize).toBe(T);
    const s = revived.predict(windows.slice(0, T * E)) as number[];
    expect(s[0]).toBeCloseTo(head.predict(windows, 0), 6);
    expect(JSON.parse(JSON.stringify(revived)).name).toBe('bump');
  });

  it('rejects malformed heads with InputError', () => {
    expect(() => keywordHeadFromJson('{')).toThrow(/not valid JSON/);
    expect(() => keywordHeadFromJson({ format: 'x' } as never)).toThrow(/Not an @ondevice keyword head/);
  });
});

describe('augmentation', () => {
  it('finds speech bounds and changes speed', () => {
    const clip = new Float32Array(16_000);
    clip.set(tone(0.3, 0.5), 4_000);
    const b = speechBounds(clip);
    expect(b.start / 16_000).toBeCloseTo(0.25, 1);
    expect(b.end / 16_000).toBeCloseTo(0.55, 1);
    expect(changeSpeed(clip, 1.25).length).toBe(12_800);
  });

  it('builds a stream whose segments label the windows ending just after each keyword', () => {
    const clip = new Float32Array(12_000);
    clip.set(tone(0.4, 0.4), 2_000);
    const s = augmentedStream([clip, clip, clip], { seed: 5 });
    expect(s.segments).toHaveLength(3);
    for (const seg of s.segments) expect(seg.end - seg.start).toBeGreaterThan(0.3);
    const count = Math.floor(s.samples.length / 1280);
    const { rows, labels } = labelWindows(count, s.segments, { windowSize: 16, stepSeconds: 0.08 });
    const positives = rows.filter((_, i) => labels[i] === 1);
    expect(positives.length).toBeGreaterThanOrEqual(12); // ~5 per keyword
    for (const k of positives) {
      const end = (k + 1) * 0.08;
      expect(s.segments.some((g) => end >= g.end - 0.08 && end <= g.end + 0.32)).toBe(true);
    }
  });

  it('round-trips an embedding bank through 8-bit quantisation', () => {
    const a = Float32Array.from({ length: 96 * 5 }, (_, i) => Math.sin(i) * 3);
    const bank = encodeEmbeddingBank([a], { license: 'Apache-2.0', sources: ['test'] });
    const [b] = decodeEmbeddingBank(JSON.parse(JSON.stringify(bank)));
    expect(b!.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(b![i]! - a[i]!)).toBeLessThan(0.02);
  });
});
