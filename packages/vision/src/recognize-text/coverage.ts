import type { EngineLine } from './engine.js';
import type { Quad } from './geometry.js';

/** What the line-coverage check found for one image (`TextResult.coverage`). */
export interface TextCoverage {
  /** Text regions PP-OCR's detector found, read or not. */
  regions: number;
  /** Regions that gave no confident line: under the box threshold, or read with low confidence. */
  unread: number;
  /**
   * The engine whose lines filled the unread regions (`engine: 'auto'` only, when the other engine
   * can read the requested languages here): Tesseract's lines over unread regions that no PP-OCR
   * line covers were added.
   */
  filledFrom?: 'tesseract';
  /** Lines added from `filledFrom`. */
  added: number;
}

function inside(q: Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const c = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x);
    if (Math.abs(c) < 1e-9) continue;
    const s = c > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/** Points along a line's centre line (from the middle of its left edge to the middle of its right). */
function centreLine(q: Quad, n = 9): { x: number; y: number }[] {
  const a = { x: (q[0].x + q[3].x) / 2, y: (q[0].y + q[3].y) / 2 };
  const b = { x: (q[1].x + q[2].x) / 2, y: (q[1].y + q[2].y) / 2 };
  return Array.from({ length: n }, (_, i) => {
    const t = (i + 0.5) / n;
    return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
  });
}

/**
 * The lines of another engine that fill regions the first one left unread: each `other` line
 * (confidence at least `minConfidence`) whose centre line runs at least 30 % inside unread regions
 * and less than 50 % inside the lines of `lines` (centre lines, not boxes: the boxes of a photo's
 * tilted lines overlap their neighbours).
 *
 * @example
 * ```ts
 * const extra = linesToFill(ppocr.lines, ppocr.unread ?? [], tesseract.lines);
 * ```
 */
export function linesToFill(
  lines: readonly EngineLine[],
  unread: readonly Quad[],
  other: readonly EngineLine[],
  minConfidence = 0.5,
): EngineLine[] {
  return other.filter((l) => {
    if (l.confidence < minConfidence || !l.text.trim()) return false;
    const pts = centreLine(l.quad);
    const share = (quads: readonly Quad[]) =>
      pts.filter((p) => quads.some((q) => inside(q, p.x, p.y))).length / pts.length;
    return share(unread) >= 0.3 && share(lines.map((x) => x.quad)) < 0.5;
  });
}
