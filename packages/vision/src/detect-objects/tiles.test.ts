import { describe, expect, it } from 'vitest';
import { cropPixels, mergeTileCandidates, tileGrid } from './tiles.js';

describe('tileGrid', () => {
  it('covers a 4:3 photo with 2 × 2 overlapping squares at zoom 1.75', () => {
    const tiles = tileGrid(640, 480, 1.75, 0.2);
    expect(tiles).toEqual([
      { x: 0, y: 0, width: 366, height: 366 },
      { x: 274, y: 0, width: 366, height: 366 },
      { x: 0, y: 114, width: 366, height: 366 },
      { x: 274, y: 114, width: 366, height: 366 },
    ]);
  });

  it('keeps neighbours overlapping by at least the asked fraction and reaches every edge', () => {
    for (const [w, h, zoom] of [
      [1920, 1080, 2],
      [500, 375, 1.75],
      [333, 1000, 3],
    ] as const) {
      const tiles = tileGrid(w, h, zoom, 0.2);
      const side = Math.round(Math.max(w, h) / zoom);
      const xs = [...new Set(tiles.map((t) => t.x))];
      for (let i = 1; i < xs.length; i++)
        expect(xs[i - 1]! + side - xs[i]!).toBeGreaterThanOrEqual(0.2 * side - 1);
      expect(Math.max(...tiles.map((t) => t.x + t.width))).toBe(w);
      expect(Math.max(...tiles.map((t) => t.y + t.height))).toBe(h);
    }
  });
});

describe('cropPixels', () => {
  it('copies the region row by row', () => {
    const data = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => i);
    const crop = cropPixels({ data, width: 4, height: 3, channels: 3 }, { x: 1, y: 1, width: 2, height: 2 });
    expect([...crop.data]).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
  });
});

describe('mergeTileCandidates', () => {
  const whole = { boxes: [{ x: 10, y: 10, width: 300, height: 200 }], scores: [0.9], classes: [0] };
  const tiles = [
    { x: 0, y: 0, width: 366, height: 366 },
    { x: 274, y: 0, width: 366, height: 366 },
  ];
  it('maps tile boxes into the image and drops boxes cut by an inner tile edge or large for the tile', () => {
    const perTile = [
      {
        boxes: [
          { x: 100, y: 50, width: 20, height: 20 }, // kept
          { x: 350, y: 50, width: 16, height: 20 }, // touches the inner right edge: cut
          { x: 0, y: 0, width: 250, height: 100 }, // longer side > half the tile
        ],
        scores: [0.5, 0.6, 0.7],
        classes: [1, 2, 3],
      },
      { boxes: [{ x: 0, y: 5, width: 10, height: 10 }], scores: [0.4], classes: [4] }, // inner left edge
    ];
    const merged = mergeTileCandidates(whole, tiles, perTile, {
      imageWidth: 640,
      imageHeight: 366,
      edgeMargin: 4,
      maxSideFraction: 0.5,
    });
    expect(merged.boxes).toEqual([whole.boxes[0], { x: 100, y: 50, width: 20, height: 20 }]);
    expect(merged.scores).toEqual([0.9, 0.5]);
    expect(merged.classes).toEqual([0, 1]);
  });
});
