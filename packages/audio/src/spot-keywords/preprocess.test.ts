import { describe, expect, it } from 'vitest';
import {
  EMBEDDING_FRAMES,
  EMBEDDING_SIZE,
  EmbeddingBuffer,
  MEL_BANDS,
  MelBuffer,
  melWindows,
  StepFramer,
  startupNoise,
  toInt16Scale,
} from './preprocess.js';

describe('toInt16Scale', () => {
  it('maps [-1, 1] floats to rounded, clipped int16 values (not ±1)', () => {
    expect([...toInt16Scale(Float32Array.of(0, 0.5, -1, 1, 2, -2, 1 / 32768))]).toEqual([
      0, 16384, -32768, 32767, 32767, -32768, 1,
    ]);
  });
});

describe('StepFramer', () => {
  const signal = Float32Array.from({ length: 1280 * 7 + 333 }, (_, i) => i);

  it('gives 1280 samples first, then each step with its 480 samples of context', () => {
    const f = new StepFramer();
    const w = f.push(signal);
    expect(w.length).toBe(7);
    expect(w[0]!.length).toBe(1280);
    expect(w[0]![0]).toBe(0);
    expect(w[1]!.length).toBe(1760);
    expect(w[1]![0]).toBe(1280 - 480);
    expect(w[1]![1759]).toBe(2 * 1280 - 1);
    expect(w[6]![1759]).toBe(7 * 1280 - 1);
    expect(f.steps).toBe(7);
  });

  it.each([1, 128, 1000, 1280, 4096])('gives the same windows whatever the chunk size (%i)', (size) => {
    const whole = new StepFramer().push(signal);
    const f = new StepFramer();
    const got: Float32Array[] = [];
    for (let i = 0; i < signal.length; i += size) got.push(...f.push(signal.subarray(i, i + size)));
    expect(got).toEqual(whole);
  });
});

describe('MelBuffer', () => {
  it('starts as ones(76, 32) and applies x / 10 + 2 to new frames', () => {
    const m = new MelBuffer();
    expect(m.length).toBe(EMBEDDING_FRAMES);
    expect(m.lastWindow().every((v) => v === 1)).toBe(true);
    m.append(new Float32Array(8 * MEL_BANDS).fill(-20));
    const w = m.lastWindow();
    expect(w.length).toBe(EMBEDDING_FRAMES * MEL_BANDS);
    expect(w[0]).toBe(1);
    expect(w[w.length - 1]).toBe(0);
    expect(w[(EMBEDDING_FRAMES - 8) * MEL_BANDS]).toBe(0);
    expect(w[(EMBEDDING_FRAMES - 9) * MEL_BANDS]).toBe(1);
  });

  it('keeps at most 10 s of frames', () => {
    const m = new MelBuffer();
    for (let i = 0; i < 200; i++) m.append(new Float32Array(8 * MEL_BANDS).fill(i));
    expect(m.length).toBe(970);
    const w = m.lastWindow();
    expect(w[w.length - 1]).toBeCloseTo(199 / 10 + 2, 5);
    expect(w[0]).toBeCloseTo(190 / 10 + 2, 5); // 76 frames back = 9.5 appends
  });
});

describe('EmbeddingBuffer', () => {
  it('returns the last n embeddings, oldest first, and drops the oldest when full', () => {
    const b = new EmbeddingBuffer(3);
    for (let i = 0; i < 5; i++) b.push(new Float32Array(EMBEDDING_SIZE).fill(i));
    expect(b.length).toBe(3);
    const w = b.window(2);
    expect(w.length).toBe(2 * EMBEDDING_SIZE);
    expect(w[0]).toBe(3);
    expect(w[EMBEDDING_SIZE]).toBe(4);
  });
});

describe('melWindows / startupNoise', () => {
  it('cuts 76-frame windows every 8 frames, dropping short ones', () => {
    const spec = new Float32Array(397 * MEL_BANDS);
    expect(melWindows(spec).length).toBe(41);
  });

  it('is deterministic noise in [-1000, 1000)', () => {
    const a = startupNoise(1000);
    expect(a).toEqual(startupNoise(1000));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1000);
    expect(Math.max(...a)).toBeLessThan(1000);
    expect(a.every(Number.isInteger)).toBe(true);
  });
});
