import type { BoundingBox, Point } from '@ondevice/core';

/** Four corners clockwise on screen from the top-left of the text as read: tl, tr, br, bl. */
export type Quad = [Point, Point, Point, Point];

/** A rotated rectangle: centre, size along its own axes, and the unit vector of its width axis. */
export interface RotatedRect {
  cx: number;
  cy: number;
  /** Length along `u` (the reading direction). */
  width: number;
  /** Length across `u`. */
  height: number;
  /** Unit vector of the reading direction. */
  ux: number;
  uy: number;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/**
 * Convex hull (Andrew's monotone chain), counter-clockwise in a y-up frame, no repeated end point.
 *
 * @example
 * ```ts
 * convexHull([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }, { x: 0.2, y: 0.2 }]).length; // 3
 * ```
 */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (pts.length <= 2) return pts;
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0)
      lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0)
      upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * The minimum-area rectangle around points (rotating calipers over the hull). The width axis is
 * the longer side, pointing right (or down when the rectangle is vertical).
 *
 * @example
 * ```ts
 * const r = minAreaRect(points); // { cx, cy, width, height, ux, uy }
 * ```
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, ux: 1, uy: 0 };
  if (hull.length === 1) return { cx: hull[0]!.x, cy: hull[0]!.y, width: 0, height: 0, ux: 1, uy: 0 };
  let best: RotatedRect | undefined;
  let bestArea = Number.POSITIVE_INFINITY;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len < 1e-9) continue;
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    let minU = Number.POSITIVE_INFINITY;
    let maxU = Number.NEGATIVE_INFINITY;
    let minV = Number.POSITIVE_INFINITY;
    let maxV = Number.NEGATIVE_INFINITY;
    for (const p of hull) {
      const pu = p.x * ux + p.y * uy;
      const pv = -p.x * uy + p.y * ux;
      if (pu < minU) minU = pu;
      if (pu > maxU) maxU = pu;
      if (pv < minV) minV = pv;
      if (pv > maxV) maxV = pv;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = {
        cx: cu * ux - cv * uy,
        cy: cu * uy + cv * ux,
        width: maxU - minU,
        height: maxV - minV,
        ux,
        uy,
      };
    }
  }
  return normalizeRect(best ?? { cx: hull[0]!.x, cy: hull[0]!.y, width: 0, height: 0, ux: 1, uy: 0 });
}

/** Makes the width the longer side and points it right (down for vertical rectangles). */
export function normalizeRect(r: RotatedRect): RotatedRect {
  let { width, height, ux, uy } = r;
  if (height > width) {
    [width, height] = [height, width];
    [ux, uy] = [-uy, ux];
  }
  // Reading direction: rightwards; for near-vertical rectangles, downwards.
  if (Math.abs(ux) >= Math.abs(uy) * 0.999 ? ux < 0 : uy < 0) {
    ux = -ux;
    uy = -uy;
  }
  return { cx: r.cx, cy: r.cy, width, height, ux, uy };
}

/**
 * Corners of a rotated rectangle: top-left, top-right, bottom-right, bottom-left relative to its
 * reading direction (clockwise on screen).
 *
 * @example
 * ```ts
 * rectCorners({ cx: 5, cy: 5, width: 10, height: 2, ux: 1, uy: 0 })[0]; // { x: 0, y: 4 }
 * ```
 */
export function rectCorners(r: RotatedRect): Quad {
  const hx = (r.ux * r.width) / 2;
  const hy = (r.uy * r.width) / 2;
  // v is u turned 90° clockwise on screen (y down): the "down" of the text.
  const vx = (-r.uy * r.height) / 2;
  const vy = (r.ux * r.height) / 2;
  return [
    { x: r.cx - hx - vx, y: r.cy - hy - vy },
    { x: r.cx + hx - vx, y: r.cy + hy - vy },
    { x: r.cx + hx + vx, y: r.cy + hy + vy },
    { x: r.cx - hx + vx, y: r.cy - hy + vy },
  ];
}

/**
 * Axis-aligned box around points.
 *
 * @example
 * ```ts
 * quadBox(rectCorners(r)); // { x, y, width, height }
 * ```
 */
export function quadBox(points: readonly Point[]): BoundingBox {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (p.x < x0) x0 = p.x;
    if (p.y < y0) y0 = p.y;
    if (p.x > x1) x1 = p.x;
    if (p.y > y1) y1 = p.y;
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Clips a box to an image and rounds it to 2 decimals. */
export function tidyBox(b: BoundingBox, width: number, height: number): BoundingBox {
  const x0 = Math.max(0, Math.min(width, b.x));
  const y0 = Math.max(0, Math.min(height, b.y));
  const x1 = Math.max(0, Math.min(width, b.x + b.width));
  const y1 = Math.max(0, Math.min(height, b.y + b.height));
  return { x: round2(x0), y: round2(y0), width: round2(x1 - x0), height: round2(y1 - y0) };
}

/** Rounds to 2 decimals. */
export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Angle of a quad's reading direction in degrees, clockwise on screen (0 = horizontal, left to right). */
export function quadAngle(q: Quad): number {
  return (Math.atan2(q[1].y - q[0].y, q[1].x - q[0].x) * 180) / Math.PI;
}

/** The quad rotated by 180° (its reading direction reversed). */
export function flipQuad(q: Quad): Quad {
  return [q[2], q[3], q[0], q[1]];
}

/** Point at fractions (s along the reading direction, t across it) inside a quad. */
export function quadPoint(q: Quad, s: number, t: number): Point {
  const top = { x: q[0].x + (q[1].x - q[0].x) * s, y: q[0].y + (q[1].y - q[0].y) * s };
  const bottom = { x: q[3].x + (q[2].x - q[3].x) * s, y: q[3].y + (q[2].y - q[3].y) * s };
  return { x: top.x + (bottom.x - top.x) * t, y: top.y + (bottom.y - top.y) * t };
}

/** The part of a quad between fractions s0 and s1 of its reading direction. */
export function subQuad(q: Quad, s0: number, s1: number): Quad {
  return [quadPoint(q, s0, 0), quadPoint(q, s1, 0), quadPoint(q, s1, 1), quadPoint(q, s0, 1)];
}
