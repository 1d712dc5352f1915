import { describe, expect, it } from 'vitest';
import { DEFAULT_PPOCR_SETTINGS, type Piece, recBatches } from './ppocr.js';

const piece = (line: number, width: number, x0 = 0): Piece => ({ line, x0, x1: x0 + width });

describe('recBatches (the recogniser runs, by width bucket)', () => {
  const s = { minRecWidth: 96, widthStep: 8, padRight: 0, batchSize: 8, batchColumns: 1024 };

  it('pads no piece to a wider neighbour: one input width per bucket, narrow buckets first', () => {
    const pieces = [piece(0, 300), piece(1, 50), piece(2, 297), piece(3, 90), piece(4, 420)];
    const runs = recBatches(pieces, s);
    expect(runs.map((r) => [r.width, r.batch.map((p) => p.line)])).toEqual([
      [96, [1, 3]], // both under the narrowest input
      [304, [0, 2]], // 297 and 300 round up to the same multiple of 8
      [424, [4]],
    ]);
    for (const r of runs) {
      for (const p of r.batch) {
        const w = p.x1 - p.x0;
        expect(r.width).toBeGreaterThanOrEqual(w);
        expect(r.width === s.minRecWidth || r.width - w < s.widthStep).toBe(true);
      }
    }
  });

  it('splits a bucket at batchSize pieces and batchColumns columns, keeping at least one per run', () => {
    const narrow = Array.from({ length: 20 }, (_, i) => piece(i, 100, 0));
    expect(recBatches(narrow, s).map((r) => r.batch.length)).toEqual([8, 8, 4]);
    const wide = Array.from({ length: 5 }, (_, i) => piece(i, 400));
    expect(recBatches(wide, s).map((r) => r.batch.length)).toEqual([2, 2, 1]); // 1024 / 400
    expect(recBatches([piece(0, 2000)], s).map((r) => r.batch.length)).toEqual([1]);
  });

  it('runs every piece exactly once with the default settings', () => {
    const pieces = Array.from({ length: 57 }, (_, i) => piece(i % 9, 60 + ((i * 37) % 600), i));
    const runs = recBatches(pieces, DEFAULT_PPOCR_SETTINGS);
    const seen = runs.flatMap((r) => r.batch);
    expect(seen.length).toBe(pieces.length);
    expect(new Set(seen)).toEqual(new Set(pieces));
    for (const r of runs) {
      expect(r.batch.length).toBeLessThanOrEqual(DEFAULT_PPOCR_SETTINGS.batchSize);
      expect(r.width % DEFAULT_PPOCR_SETTINGS.widthStep).toBe(0);
    }
  });
});
