import { describe, expect, it } from 'vitest';
import {
  type Candidates,
  type CenterNetMaps,
  decodeCenterNet,
  finalizeDetections,
  lowestScoreThreshold,
  mergeFlippedCenterNet,
  scoreThresholdFor,
} from './postprocess.js';
import { modelToInput } from './preprocess.js';

const identity = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 };

/** A 4×4 grid with 3 classes and zero sides; `set` writes one heatmap cell and its sides. */
function grid(width = 4, height = 4, classes = 3) {
  const maps: CenterNetMaps = {
    heatmap: new Float32Array(width * height * classes),
    sides: new Float32Array(width * height * 4),
    width,
    height,
    classes,
  };
  const set = (
    x: number,
    y: number,
    c: number,
    score: number,
    sides: [number, number, number, number] = [1, 1, 1, 1],
  ) => {
    maps.heatmap[(y * width + x) * classes + c] = score;
    maps.sides.set(sides, (y * width + x) * 4);
  };
  return { maps, set };
}

const opts = {
  stride: 4,
  scoreThreshold: 0.3,
  topK: 100,
  toInput: identity,
  imageWidth: 100,
  imageHeight: 100,
};

describe('decodeCenterNet', () => {
  it('turns local maxima into boxes around column × stride, best first', () => {
    const { maps, set } = grid();
    set(1, 1, 0, 0.9, [2, 3, 4, 5]);
    set(3, 2, 2, 0.6, [1, 1, 1, 1]);
    const c = decodeCenterNet(maps, opts);
    expect(c.scores).toEqual([expect.closeTo(0.9, 6), expect.closeTo(0.6, 6)]);
    expect(c.classes).toEqual([0, 2]);
    // centre (4, 4): x1 = 4 - 2, y1 = 4 - 3, x2 = 4 + 4, y2 = 4 + 5
    expect(c.boxes[0]).toEqual({ x: 2, y: 1, width: 6, height: 8 });
    expect(c.boxes[1]).toEqual({ x: 11, y: 7, width: 2, height: 2 });
  });

  it('drops neighbours of a peak of the same class but keeps other classes in the same cell', () => {
    const { maps, set } = grid();
    set(1, 1, 0, 0.9);
    set(2, 1, 0, 0.8); // beside a better peak of class 0: not a peak
    set(1, 1, 1, 0.5); // same cell, other class: a peak
    set(3, 3, 0, 0.7); // two cells away: a peak
    const c = decodeCenterNet(maps, opts);
    expect(c.classes).toEqual([0, 0, 1]);
    expect(c.scores.map((s) => +s.toFixed(2))).toEqual([0.9, 0.7, 0.5]);
  });

  it('keeps one peak on a plateau of equal scores', () => {
    const { maps, set } = grid();
    set(1, 1, 0, 0.5);
    set(2, 1, 0, 0.5);
    set(1, 2, 0, 0.5);
    expect(decodeCenterNet(maps, opts).boxes).toHaveLength(1);
  });

  it('applies the score threshold and top-k', () => {
    const { maps, set } = grid();
    set(0, 0, 0, 0.95);
    set(2, 0, 0, 0.5);
    set(0, 2, 0, 0.4);
    set(3, 3, 0, 0.2);
    expect(decodeCenterNet(maps, opts).boxes).toHaveLength(3);
    expect(decodeCenterNet(maps, { ...opts, topK: 2 }).scores.map((s) => +s.toFixed(2))).toEqual([0.95, 0.5]);
  });

  it('maps to input pixels and clips to the image', () => {
    const { maps, set } = grid();
    set(0, 0, 0, 0.9, [10, 10, 6, 2]);
    const toInput = modelToInput(200, 100, 16, 'stretch'); // x × 12.5, y × 6.25
    const c = decodeCenterNet(maps, { ...opts, toInput, imageWidth: 200, imageHeight: 100 });
    expect(c.boxes[0]).toEqual({ x: 0, y: 0, width: 75, height: 12.5 });
  });

  it('drops boxes that are empty after clipping', () => {
    const { maps, set } = grid();
    set(3, 3, 0, 0.9, [-20, -20, 30, 30]); // entirely right/below a 12×12 image
    expect(decodeCenterNet(maps, { ...opts, imageWidth: 12, imageHeight: 12 }).boxes).toHaveLength(0);
  });
});

describe('mergeFlippedCenterNet', () => {
  it('flips the mirrored maps back and swaps left and right sides', () => {
    const a = grid(2, 1, 1);
    const b = grid(2, 1, 1);
    a.set(0, 0, 0, 0.8, [1, 2, 3, 4]);
    b.set(1, 0, 0, 0.4, [30, 20, 10, 40]); // mirrored: column 1 is column 0 of the original
    const m = mergeFlippedCenterNet(a.maps, b.maps, 4);
    expect(m.heatmap[0]).toBeCloseTo(0.6);
    // Sides are measured from the cell's left edge, so the mirror's sides are one stride off.
    expect(Array.from(m.sides.subarray(0, 4))).toEqual([
      (1 + 10 - 4) / 2,
      (2 + 20) / 2,
      (3 + 30 + 4) / 2,
      (4 + 40) / 2,
    ]);
  });

  it('rejects maps of different sizes', () => {
    expect(() => mergeFlippedCenterNet(grid(2, 2).maps, grid(3, 2).maps, 4)).toThrow(RangeError);
  });
});

describe('modelToInput', () => {
  it('letterbox keeps the aspect ratio with padding at right and bottom', () => {
    expect(modelToInput(1000, 500, 500, 'letterbox')).toEqual({
      scaleX: 2,
      scaleY: 2,
      offsetX: 0,
      offsetY: 0,
    });
  });
});

describe('finalizeDetections', () => {
  const labels = ['a', 'b', 'c'];
  const box = (x: number) => ({ x, y: 0, width: 10, height: 10 });
  const cands: Candidates = {
    boxes: [box(0), box(1), box(2), box(50), box(80)],
    scores: [0.9, 0.8, 0.7, 0.6, 0.2],
    classes: [0, 0, 1, 2, 0],
  };
  const base = { labels, scoreThreshold: 0.3, iouThreshold: 0.5, maxResults: 10 };

  it('suppresses overlapping boxes of the same class only, sorted by score', () => {
    const r = finalizeDetections(cands, base);
    expect(r.map((o) => [o.label, o.score, o.categoryIndex])).toEqual([
      ['a', 0.9, 0],
      ['b', 0.7, 1],
      ['c', 0.6, 2],
    ]);
    expect(r[0]!.box).toEqual(box(0));
  });

  it('honours allow and deny lists and maxResults', () => {
    expect(finalizeDetections(cands, { ...base, allowed: new Set([2]) }).map((o) => o.label)).toEqual(['c']);
    expect(finalizeDetections(cands, { ...base, denied: new Set([0]) }).map((o) => o.label)).toEqual([
      'b',
      'c',
    ]);
    expect(finalizeDetections(cands, { ...base, maxResults: 1 })).toHaveLength(1);
    expect(finalizeDetections(cands, { ...base, scoreThreshold: 0.1 })).toHaveLength(4);
  });

  it('returns copies, not the candidate boxes', () => {
    const r = finalizeDetections(cands, base);
    r[0]!.box.x = 99;
    expect(cands.boxes[0]!.x).toBe(0);
  });
});

describe('size-aware score thresholds', () => {
  const rule = { base: -1.93, slope: 0.297 };
  it('needs a lower score from larger boxes, and a plain number stays flat', () => {
    const small = scoreThresholdFor(rule, { x: 0, y: 0, width: 32, height: 32 }, 640, 480);
    const large = scoreThresholdFor(rule, { x: 0, y: 0, width: 320, height: 320 }, 640, 480);
    expect(small).toBeCloseTo(0.261, 2);
    expect(large).toBeCloseTo(0.151, 2);
    expect(scoreThresholdFor(0.3, { x: 0, y: 0, width: 320, height: 320 }, 640, 480)).toBe(0.3);
    expect(lowestScoreThreshold(rule)).toBeCloseTo(1 / (1 + Math.exp(1.93)), 6);
  });

  it('finalizeDetections keeps a large box at 0.2 and drops a small one at 0.2', () => {
    const candidates = {
      boxes: [
        { x: 0, y: 0, width: 300, height: 300 },
        { x: 400, y: 400, width: 20, height: 20 },
      ],
      scores: [0.2, 0.2],
      classes: [0, 0],
    };
    const out = finalizeDetections(candidates, {
      labels: ['a'],
      scoreThreshold: rule,
      imageWidth: 640,
      imageHeight: 480,
      iouThreshold: 0.5,
      maxResults: 20,
    });
    expect(out.map((o) => o.box.width)).toEqual([300]);
    expect(() =>
      finalizeDetections(candidates, {
        labels: ['a'],
        scoreThreshold: rule,
        iouThreshold: 0.5,
        maxResults: 20,
      }),
    ).toThrow(RangeError);
  });
});
