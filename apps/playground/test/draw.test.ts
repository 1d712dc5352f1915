// Overlay colours and label placement (src/draw.ts): WCAG AA contrast for every label colour,
// and labels that do not cover each other.
import { COCO_LABELS } from '@ondevice/vision';
import { describe, expect, it } from 'vitest';
import { colorFor, contrast, LABEL_CONTRAST, parseHex, placeLabels, textColorOn } from '../src/draw.js';

const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

describe('label colours', () => {
  it('every COCO class colour carries its label text at 4.5:1 or more (WCAG AA)', () => {
    const worst = COCO_LABELS.map((label) => {
      const bg = colorFor(label);
      const text = parseHex(textColorOn(bg));
      return { label, bg, ratio: contrast(parseHex(bg), text) };
    }).sort((a, b) => a.ratio - b.ratio);
    expect(COCO_LABELS).toHaveLength(80);
    expect(worst[0]!.ratio, `${worst[0]!.label} ${worst[0]!.bg}`).toBeGreaterThanOrEqual(LABEL_CONTRAST);
  });

  it('colours stay distinct per label', () => {
    expect(new Set(COCO_LABELS.map(colorFor)).size).toBeGreaterThanOrEqual(60);
  });

  it('the face label (yellow) gets dark text, not white', () => {
    expect(contrast(parseHex('#ffc400'), [255, 255, 255])).toBeLessThan(2);
    expect(textColorOn('#ffc400')).toBe('#1b1f24');
    expect(contrast(parseHex('#ffc400'), parseHex('#1b1f24'))).toBeGreaterThanOrEqual(LABEL_CONTRAST);
  });

  it('contrast matches the WCAG definition (black on white is 21:1)', () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrast([118, 118, 118], [255, 255, 255])).toBeCloseTo(4.54, 2);
  });
});

describe('placeLabels', () => {
  it('labels of boxes that share a corner do not cover each other', () => {
    // Five boxes stacked at the same top-left corner (a shelf of cups), each with a 60×18 label.
    const boxes = [0, 1, 2, 3, 4].map((i) => ({
      box: { x: 100, y: 100 + i * 4, width: 120 - i * 10, height: 80 },
      width: 60,
      height: 18,
    }));
    const spots = placeLabels(boxes, { width: 640, height: 480 });
    let covered = 0;
    for (let i = 0; i < spots.length; i++)
      for (let j = i + 1; j < spots.length; j++) covered += overlap(spots[i]!, spots[j]!);
    expect(covered).toBe(0);
  });

  it('keeps labels inside the picture at its edges', () => {
    const spots = placeLabels(
      [
        { box: { x: 600, y: 0, width: 40, height: 30 }, width: 80, height: 18 },
        { box: { x: 0, y: 460, width: 50, height: 20 }, width: 80, height: 18 },
      ],
      { width: 640, height: 480 },
    );
    for (const s of spots) {
      expect(s.x).toBeGreaterThanOrEqual(0);
      expect(s.y).toBeGreaterThanOrEqual(0);
      expect(s.x + s.width).toBeLessThanOrEqual(640);
      expect(s.y + s.height).toBeLessThanOrEqual(480);
    }
  });

  it('a lone box gets its label just above its top-left corner', () => {
    const [spot] = placeLabels([{ box: { x: 50, y: 100, width: 100, height: 100 }, width: 60, height: 18 }], {
      width: 640,
      height: 480,
    });
    expect(spot).toEqual({ x: 50, y: 82, width: 60, height: 18 });
  });
});
