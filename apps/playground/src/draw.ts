// Drawing results over pictures and video: colours whose labels meet WCAG AA contrast (4.5:1),
// and label placement that keeps labels from covering each other. The colour and placement maths
// are pure (unit-tested in Node); drawBoxes puts them on a canvas.

/** An axis-aligned rectangle in pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** sRGB channel (0–255) to linear light. */
function linear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of an RGB colour. */
export function luminance([r, g, b]: readonly [number, number, number]): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two RGB colours (1–21). */
export function contrast(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** HSL (degrees, 0–1, 0–1) to RGB 0–255. */
export function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(255 * f(0)), Math.round(255 * f(8)), Math.round(255 * f(4))];
}

const hex = (rgb: readonly number[]) => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const WHITE = [255, 255, 255] as const;

/** Contrast a label's text must have on its colour: WCAG AA for normal text. */
export const LABEL_CONTRAST = 4.5;

/**
 * A distinct colour per label, dark enough that white text on it has at least 4.5:1 contrast
 * (WCAG AA): the hue comes from the label, the lightness is lowered until the contrast holds.
 *
 * @example
 * ```ts
 * ctx.fillStyle = colorFor('person'); // '#b8322e'-like; white text on it reads at ≥ 4.5:1
 * ```
 */
export function colorFor(label: string): string {
  let h = 0;
  for (const c of label) h = (h * 31 + c.charCodeAt(0)) % 360;
  let l = 0.42;
  let rgb = hslToRgb(h, 0.8, l);
  // A little margin over 4.5 for rounding in the canvas.
  while (contrast(rgb, WHITE) < LABEL_CONTRAST + 0.1 && l > 0.1) {
    l -= 0.01;
    rgb = hslToRgb(h, 0.8, l);
  }
  return hex(rgb);
}

/** Parses '#rrggbb'. */
export function parseHex(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The text colour (white or near-black) that reads best on `background` ('#rrggbb').
 *
 * @example
 * ```ts
 * textColorOn('#ffc400'); // '#1b1f24' (white on that yellow would be 1.6:1)
 * ```
 */
export function textColorOn(background: string): string {
  const bg = parseHex(background);
  return contrast(bg, WHITE) >= contrast(bg, [27, 31, 36]) ? '#ffffff' : '#1b1f24';
}

const overlapArea = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/**
 * Places one label per box so that labels do not cover each other: for each box in turn (give
 * them best first), the first spot that overlaps no label placed before, of: above its top edge,
 * inside at the top, below its bottom edge, inside at the bottom, then further down inside and
 * further up above (crowded corners), each at the box's left and then right edge and moved
 * inside the picture; failing all, the spot with the least overlap. Returns the label rectangles.
 *
 * @example
 * ```ts
 * const spots = placeLabels(boxes.map((b) => ({ box: b, width: 60, height: 18 })), { width: 640, height: 480 });
 * ```
 */
export function placeLabels(
  items: readonly { box: Rect; width: number; height: number }[],
  area: { width: number; height: number },
): Rect[] {
  const placed: Rect[] = [];
  for (const { box, width: w, height: h } of items) {
    const left = box.x;
    const right = box.x + box.width - w;
    const candidates: Rect[] = [];
    // Then, for crowded corners, further down inside the box and further up above it.
    const ys = [box.y - h, box.y, box.y + box.height, box.y + box.height - h];
    for (let k = 1; k <= 4; k++) ys.push(box.y + k * h, box.y - (k + 1) * h);
    for (const y of ys)
      for (const x of [left, right])
        candidates.push({
          x: Math.max(0, Math.min(x, area.width - w)),
          y: Math.max(0, Math.min(y, area.height - h)),
          width: w,
          height: h,
        });
    let best = candidates[0]!;
    let bestOverlap = Number.POSITIVE_INFINITY;
    for (const c of candidates) {
      const overlap = placed.reduce((s, p) => s + overlapArea(c, p), 0);
      if (overlap < bestOverlap) {
        best = c;
        bestOverlap = overlap;
        if (overlap === 0) break;
      }
    }
    placed.push(best);
  }
  return placed;
}

/** One box to draw: where, its colour, its label. */
export interface LabeledBox {
  box: Rect;
  color: string;
  label: string;
  /** An outline instead of the rectangle (e.g. a rotated text line). */
  corners?: readonly { x: number; y: number }[];
}

/**
 * Draws boxes and their labels (placed by {@link placeLabels}, text in the colour that reads on
 * the label's background). `unit` is picture pixels per CSS pixel, so lines and text keep their
 * on-screen size at any scale.
 *
 * @example
 * ```ts
 * drawBoxes(ctx, objects.map((o) => ({ box: o.box, color: colorFor(o.label), label: o.label })), 1, canvas);
 * ```
 */
export function drawBoxes(
  ctx: CanvasRenderingContext2D,
  boxes: readonly LabeledBox[],
  unit: number,
  area: { width: number; height: number },
): void {
  ctx.lineWidth = 2 * unit;
  for (const b of boxes) {
    ctx.strokeStyle = b.color;
    if (b.corners && b.corners.length >= 3) {
      ctx.beginPath();
      for (const [i, p] of b.corners.entries()) {
        if (i) ctx.lineTo(p.x, p.y);
        else ctx.moveTo(p.x, p.y);
      }
      ctx.closePath();
      ctx.stroke();
    } else ctx.strokeRect(b.box.x, b.box.y, b.box.width, b.box.height);
  }
  const labeled = boxes.filter((b) => b.label);
  if (!labeled.length) return;
  ctx.font = `${Math.round(13 * unit)}px system-ui, sans-serif`;
  const h = 18 * unit;
  const spots = placeLabels(
    labeled.map((b) => ({ box: b.box, width: ctx.measureText(b.label).width + 8 * unit, height: h })),
    area,
  );
  for (const [i, b] of labeled.entries()) {
    const s = spots[i]!;
    ctx.fillStyle = b.color;
    ctx.fillRect(s.x, s.y, s.width, s.height);
    ctx.fillStyle = textColorOn(b.color);
    ctx.fillText(b.label, s.x + 4 * unit, s.y + 13.5 * unit);
  }
}
