import { describe, expect, it } from 'vitest';
import {
  EMBEDDING_SIZE,
  EmbeddingBuffer,
  StepFramer,
  stackWindows,
  toInt16Scale,
  WINDOW_SAMPLES,
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

  const rows = (from: number, count: number) => {
    const e = new Float32Array(count * EMBEDDING_SIZE);
    for (let i = 0; i < count; i++) e.fill(from + i, i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE);
    return e;
  };

  it('takes a block of embeddings at once as it takes them one by one', () => {
    const one = new EmbeddingBuffer(5);
    const many = new EmbeddingBuffer(5);
    for (let i = 0; i < 9; i++) one.push(rows(i, 1));
    many.pushMany(rows(0, 2), 2);
    many.pushMany(rows(2, 7), 7); // more than its capacity: the oldest are dropped
    expect(many.length).toBe(5);
    expect(many.window(5)).toEqual(one.window(5));
    expect(many.window(5)[0]).toBe(4);
  });

  it('gives the window each of the last steps reads, oldest first', () => {
    const b = new EmbeddingBuffer(6);
    b.pushMany(rows(0, 6), 6);
    const w = b.windows(3, 4); // windows ending at embeddings 2, 3, 4, 5
    expect(w.length).toBe(4 * 3 * EMBEDDING_SIZE);
    for (let k = 0; k < 4; k++) {
      expect(w.subarray(k * 3 * EMBEDDING_SIZE, (k + 1) * 3 * EMBEDDING_SIZE)).toEqual(rows(k, 3));
    }
    expect(() => b.windows(3, 5)).toThrow(RangeError); // would need 7 embeddings
  });
});

describe('stackWindows', () => {
  it('lays step windows one after the other, refusing short ones', () => {
    const f = new StepFramer(new Float32Array(480));
    const windows = f.push(Float32Array.from({ length: 1280 * 3 }, (_, i) => i + 1));
    const batch = stackWindows(windows, 1, 2);
    expect(batch.length).toBe(2 * WINDOW_SAMPLES);
    expect(batch.subarray(0, WINDOW_SAMPLES)).toEqual(windows[1]);
    expect(batch.subarray(WINDOW_SAMPLES)).toEqual(windows[2]);
    expect(() => stackWindows([new Float32Array(1280)], 0, 1)).toThrow(RangeError);
  });
});
