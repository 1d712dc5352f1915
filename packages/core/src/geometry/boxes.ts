import type { BoundingBox, Point } from './types.js';

/**
 * Intersection over union of two boxes; 0 when either is empty.
 *
 * @example
 * ```ts
 * iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 }); // 1/3
 * ```
 */
export function iou(a: BoundingBox, b: BoundingBox): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Options of {@link nonMaxSuppression}. */
export interface NmsOptions {
  /** Boxes overlapping a kept box by more than this IoU are dropped. */
  iouThreshold: number;
  /** Boxes scoring below this are dropped first. Default 0. */
  scoreThreshold?: number;
  /** At most this many boxes are kept. Default: all. */
  maxResults?: number;
  /** When given, only boxes of the same class suppress each other. */
  classes?: ArrayLike<number>;
}

/**
 * Greedy non-max suppression. Returns the indices of the kept boxes, best score first.
 *
 * @example
 * ```ts
 * const keep = nonMaxSuppression(boxes, scores, { iouThreshold: 0.5, maxResults: 10 });
 * ```
 */
export function nonMaxSuppression(
  boxes: readonly BoundingBox[],
  scores: ArrayLike<number>,
  options: NmsOptions,
): number[] {
  const { iouThreshold, scoreThreshold = 0, maxResults = Number.POSITIVE_INFINITY, classes } = options;
  const order: number[] = [];
  for (let i = 0; i < boxes.length; i++) if ((scores[i] ?? 0) >= scoreThreshold) order.push(i);
  // Stable sort by score: equal scores keep input order, so results are deterministic.
  order.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= maxResults) break;
    const box = boxes[i]!;
    let suppressed = false;
    for (const k of kept) {
      if (classes && classes[k] !== classes[i]) continue;
      if (iou(box, boxes[k]!) > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push(i);
  }
  return kept;
}

/**
 * Clips a box to an image of the given size.
 *
 * @example
 * ```ts
 * clipBox({ x: -5, y: 0, width: 20, height: 10 }, 10, 10); // { x: 0, y: 0, width: 10, height: 10 }
 * ```
 */
export function clipBox(box: BoundingBox, width: number, height: number): BoundingBox {
  const x1 = Math.min(Math.max(box.x, 0), width);
  const y1 = Math.min(Math.max(box.y, 0), height);
  const x2 = Math.min(Math.max(box.x + box.width, 0), width);
  const y2 = Math.min(Math.max(box.y + box.height, 0), height);
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/**
 * Box from two corners.
 *
 * @example
 * ```ts
 * boxFromCorners(1, 2, 11, 22); // { x: 1, y: 2, width: 10, height: 20 }
 * ```
 */
export function boxFromCorners(x1: number, y1: number, x2: number, y2: number): BoundingBox {
  return { x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

/**
 * The smallest axis-aligned box around some points.
 *
 * @example
 * ```ts
 * boxFromPoints([{ x: 1, y: 1 }, { x: 4, y: 3 }]); // { x: 1, y: 1, width: 3, height: 2 }
 * ```
 */
export function boxFromPoints(points: readonly Point[]): BoundingBox {
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  if (!points.length) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/**
 * Scales a box about its centre (e.g. 1.4 to enlarge a face box for a mesh crop); with `square`
 * the longer side is used for both.
 *
 * @example
 * ```ts
 * scaleBox({ x: 10, y: 10, width: 10, height: 20 }, 2, { square: true }); // 40×40 around (15, 20)
 * ```
 */
export function scaleBox(box: BoundingBox, factor: number, options: { square?: boolean } = {}): BoundingBox {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let w = box.width * factor;
  let h = box.height * factor;
  if (options.square) w = h = Math.max(w, h);
  return { x: cx - w / 2, y: cy - h / 2, width: w, height: h };
}

/**
 * A uniform scale and offset mapping from one frame to another: `dst = src * scale + offset`.
 * Use it to map model coordinates back to input pixels.
 */
export interface Transform2D {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

/**
 * The transform that fits `srcW×srcH` into `dstW×dstH` keeping the aspect ratio, centred (letterbox),
 * or top-left aligned with `align: 'top-left'`.
 *
 * @example
 * ```ts
 * const t = letterbox(1280, 720, 512, 512);
 * const back = invertTransform(t); // model pixels -> input pixels
 * ```
 */
export function letterbox(
  srcW: number,
  srcH: number,
  dstW: number,
  dstH: number,
  options: { align?: 'center' | 'top-left' } = {},
): Transform2D {
  const s = Math.min(dstW / srcW, dstH / srcH);
  const center = (options.align ?? 'center') === 'center';
  return {
    scaleX: s,
    scaleY: s,
    offsetX: center ? (dstW - srcW * s) / 2 : 0,
    offsetY: center ? (dstH - srcH * s) / 2 : 0,
  };
}

/**
 * The inverse of a {@link Transform2D}.
 *
 * @example
 * ```ts
 * applyTransformToPoint(invertTransform(t), applyTransformToPoint(t, p)); // ≈ p
 * ```
 */
export function invertTransform(t: Transform2D): Transform2D {
  return {
    scaleX: 1 / t.scaleX,
    scaleY: 1 / t.scaleY,
    offsetX: -t.offsetX / t.scaleX,
    offsetY: -t.offsetY / t.scaleY,
  };
}

/**
 * Applies a {@link Transform2D} to a point.
 *
 * @example
 * ```ts
 * applyTransformToPoint({ scaleX: 2, scaleY: 2, offsetX: 1, offsetY: 0 }, { x: 1, y: 1 }); // { x: 3, y: 2 }
 * ```
 */
export function applyTransformToPoint<P extends Point>(t: Transform2D, p: P): P {
  return { ...p, x: p.x * t.scaleX + t.offsetX, y: p.y * t.scaleY + t.offsetY };
}

/**
 * Applies a {@link Transform2D} to a box.
 *
 * @example
 * ```ts
 * applyTransformToBox(invertTransform(letterbox(w, h, 512, 512)), modelBox);
 * ```
 */
export function applyTransformToBox(t: Transform2D, b: BoundingBox): BoundingBox {
  return {
    x: b.x * t.scaleX + t.offsetX,
    y: b.y * t.scaleY + t.offsetY,
    width: b.width * t.scaleX,
    height: b.height * t.scaleY,
  };
}

/**
 * Rotates a point by `angle` radians (counter-clockwise in a y-up frame; clockwise on screen) about a centre.
 *
 * @example
 * ```ts
 * rotatePoint({ x: 1, y: 0 }, { x: 0, y: 0 }, Math.PI / 2); // ≈ { x: 0, y: 1 }
 * ```
 */
export function rotatePoint<P extends Point>(p: P, center: Point, angle: number): P {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const dx = p.x - center.x;
  const dy = p.y - center.y;
  return { ...p, x: center.x + dx * c - dy * s, y: center.y + dx * s + dy * c };
}
