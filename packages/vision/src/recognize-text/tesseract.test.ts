import { describe, expect, it } from 'vitest';
import { pageToOutput } from './tesseract.js';

const bbox = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });

describe('pageToOutput', () => {
  // A page tilted 15° counter-clockwise: Tesseract reports the correction it applied, +15°.
  const page = {
    rotateRadians: (15 * Math.PI) / 180,
    blocks: [
      {
        paragraphs: [
          {
            lines: [
              {
                bbox: bbox(200, 190, 400, 210),
                confidence: 91,
                words: [
                  { text: 'Hello', bbox: bbox(200, 190, 290, 210), confidence: 95 },
                  { text: ' ', bbox: bbox(290, 190, 300, 210), confidence: 0 },
                  { text: 'world', bbox: bbox(300, 190, 400, 210), confidence: 87 },
                ],
              },
            ],
          },
        ],
      },
    ],
  };

  it('maps boxes from the straightened image back onto the tilted input', () => {
    const out = pageToOutput(page as never, 400, 400);
    expect(out.angle).toBeCloseTo(-15, 5);
    expect(out.blocks).toEqual([[0]]);
    const [line] = out.lines;
    expect(line!.text).toBe('Hello world');
    expect(line!.confidence).toBeCloseTo(0.91);
    const [tl, tr] = line!.quad;
    expect((Math.atan2(tr.y - tl.y, tr.x - tl.x) * 180) / Math.PI).toBeCloseTo(-15, 5);
    // The right end of a line right of the centre rises on a counter-clockwise tilt.
    expect(tr.y).toBeLessThan(tl.y);
    expect(line!.words.map((w) => w.text)).toEqual(['Hello', 'world']);
  });

  it('keeps boxes as they are when Tesseract did not rotate', () => {
    const out = pageToOutput({ ...page, rotateRadians: 0 } as never, 400, 400);
    expect(out.lines[0]!.quad[0]).toEqual({ x: 200, y: 190 });
    expect(out.angle).toBe(0);
  });
});
