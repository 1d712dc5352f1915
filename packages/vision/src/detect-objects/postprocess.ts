import { type BoundingBox, nonMaxSuppression, type Transform2D } from '@ondevice/core';
import type { DetectedObject } from './result.js';

/**
 * Raw detections before filtering: parallel arrays, boxes already in input pixels.
 * Every decoder returns this; {@link finalizeDetections} turns it into results.
 */
export interface Candidates {
  boxes: BoundingBox[];
  scores: number[];
  classes: number[];
}

/** A CenterNet output: a class heatmap `[height, width, classes]` and box sides `[height, width, 4]`. */
export interface CenterNetMaps {
  /** Per-cell class probabilities (after the sigmoid), row-major `[height][width][classes]`. */
  heatmap: Float32Array;
  /** Per-cell distances from the cell centre to the box's left, top, right and bottom, in model-input pixels. */
  sides: Float32Array;
  width: number;
  height: number;
  classes: number;
}

/** Options of {@link decodeCenterNet}. */
export interface CenterNetDecodeOptions {
  /** Model-input pixels per heatmap cell. */
  stride: number;
  /** Peaks below this score are ignored. */
  scoreThreshold: number;
  /** At most this many peaks (best first), as the reference model's top-k. */
  topK: number;
  /** Maps model-input pixels to input pixels. */
  toInput: Transform2D;
  /** Input size, to clip boxes. */
  imageWidth: number;
  imageHeight: number;
}

/**
 * Decodes a CenterNet heatmap: every cell whose class score is a local maximum of its 3×3
 * neighbourhood (the max-pool trick that replaces NMS in CenterNet) and at least `scoreThreshold`
 * becomes a box `[cx - left, cy - top, cx + right, cy + bottom]` with `cx = column × stride`,
 * mapped to input pixels and clipped. Pure; no tensors.
 *
 * @example
 * ```ts
 * const c = decodeCenterNet(maps, { stride: 4, scoreThreshold: 0.3, topK: 100, toInput, imageWidth: 640, imageHeight: 480 });
 * ```
 */
export function decodeCenterNet(maps: CenterNetMaps, options: CenterNetDecodeOptions): Candidates {
  const { heatmap, sides, width: w, height: h, classes: nc } = maps;
  const { stride, scoreThreshold, topK, toInput, imageWidth, imageHeight } = options;
  const peaks: { score: number; cell: number; cls: number }[] = [];
  const floor = Math.max(scoreThreshold, Number.MIN_VALUE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const base = (y * w + x) * nc;
      for (let c = 0; c < nc; c++) {
        const s = heatmap[base + c]!;
        if (s < floor || !isLocalMax(heatmap, w, h, nc, x, y, c, s)) continue;
        peaks.push({ score: s, cell: y * w + x, cls: c });
      }
    }
  }
  peaks.sort((a, b) => b.score - a.score || a.cell - b.cell || a.cls - b.cls);
  const out: Candidates = { boxes: [], scores: [], classes: [] };
  for (const p of peaks.slice(0, topK)) {
    const cx = (p.cell % w) * stride;
    const cy = Math.floor(p.cell / w) * stride;
    const o = p.cell * 4;
    const x1 = (cx - sides[o]!) * toInput.scaleX + toInput.offsetX;
    const y1 = (cy - sides[o + 1]!) * toInput.scaleY + toInput.offsetY;
    const x2 = (cx + sides[o + 2]!) * toInput.scaleX + toInput.offsetX;
    const y2 = (cy + sides[o + 3]!) * toInput.scaleY + toInput.offsetY;
    const box = clipCorners(x1, y1, x2, y2, imageWidth, imageHeight);
    if (box.width <= 0 || box.height <= 0) continue;
    out.boxes.push(box);
    out.scores.push(p.score);
    out.classes.push(p.cls);
  }
  return out;
}

function isLocalMax(
  hm: Float32Array,
  w: number,
  h: number,
  nc: number,
  x: number,
  y: number,
  c: number,
  s: number,
): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= h) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= w || (dx === 0 && dy === 0)) continue;
      // Ties keep the first cell in raster order, so a flat plateau gives one peak.
      const v = hm[(yy * w + xx) * nc + c]!;
      if (v > s || (v === s && (dy < 0 || (dy === 0 && dx < 0)))) return false;
    }
  }
  return true;
}

function clipCorners(x1: number, y1: number, x2: number, y2: number, w: number, h: number): BoundingBox {
  const a = Math.min(Math.max(Math.min(x1, x2), 0), w);
  const b = Math.min(Math.max(Math.min(y1, y2), 0), h);
  const c = Math.min(Math.max(Math.max(x1, x2), 0), w);
  const d = Math.min(Math.max(Math.max(y1, y2), 0), h);
  return { x: a, y: b, width: c - a, height: d - b };
}

/**
 * Averages CenterNet maps of an image and of its mirror image (test-time flip augmentation, as in
 * the CenterNet paper): the mirrored maps are flipped back column-wise (cell x ↔ width − 1 − x), and
 * their left/right box sides swap. Box sides are measured from the cell's left edge (x × stride), so
 * a side from the mirror image is off by one stride and corrected. Pure; returns new arrays.
 *
 * @example
 * ```ts
 * const merged = mergeFlippedCenterNet(plain, mirrored, 4);
 * ```
 */
export function mergeFlippedCenterNet(
  plain: CenterNetMaps,
  mirrored: CenterNetMaps,
  stride: number,
): CenterNetMaps {
  const { width: w, height: h, classes: nc } = plain;
  if (mirrored.width !== w || mirrored.height !== h || mirrored.classes !== nc)
    throw new RangeError('mergeFlippedCenterNet: the two maps differ in size');
  const heatmap = new Float32Array(plain.heatmap.length);
  const sides = new Float32Array(plain.sides.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = y * w + x;
      const b = y * w + (w - 1 - x);
      for (let c = 0; c < nc; c++)
        heatmap[a * nc + c] = (plain.heatmap[a * nc + c]! + mirrored.heatmap[b * nc + c]!) / 2;
      sides[a * 4] = (plain.sides[a * 4]! + mirrored.sides[b * 4 + 2]! - stride) / 2;
      sides[a * 4 + 1] = (plain.sides[a * 4 + 1]! + mirrored.sides[b * 4 + 1]!) / 2;
      sides[a * 4 + 2] = (plain.sides[a * 4 + 2]! + mirrored.sides[b * 4]! + stride) / 2;
      sides[a * 4 + 3] = (plain.sides[a * 4 + 3]! + mirrored.sides[b * 4 + 3]!) / 2;
    }
  }
  return { heatmap, sides, width: w, height: h, classes: nc };
}

/**
 * A score threshold that depends on the box's size: `sigmoid(base − slope × ln(side))`, where
 * `side` is √(width × height) of the box over the image's longer side, clamped to [1/64, 1]. With
 * `slope > 0` large boxes need a lower score (CenterNet scores large objects lower for the same
 * precision). Fitted per model, see the README.
 */
export interface SizeAwareThreshold {
  /** The threshold's logit for a box as large as the image. */
  base: number;
  /** How much the threshold's logit rises per unit of −ln(side). */
  slope: number;
}

/**
 * The score a box needs under a size-aware threshold (a plain number is returned as it is). Pure.
 *
 * @example
 * ```ts
 * scoreThresholdFor({ base: -1.93, slope: 0.3 }, { x: 0, y: 0, width: 32, height: 32 }, 640, 480); // ≈ 0.26
 * ```
 */
export function scoreThresholdFor(
  threshold: number | SizeAwareThreshold,
  box: BoundingBox,
  imageWidth: number,
  imageHeight: number,
): number {
  if (typeof threshold === 'number') return threshold;
  const side =
    Math.sqrt(Math.max(0, box.width) * Math.max(0, box.height)) / Math.max(imageWidth, imageHeight, 1);
  const z = threshold.base - threshold.slope * Math.log(Math.min(1, Math.max(1 / 64, side)));
  return 1 / (1 + Math.exp(-z));
}

/**
 * The lowest score any box can need under a threshold (to skip weaker candidates early). Pure.
 *
 * @example
 * ```ts
 * lowestScoreThreshold({ base: -1.93, slope: 0.3 }); // ≈ 0.127 (a box as large as the image)
 * ```
 */
export function lowestScoreThreshold(threshold: number | SizeAwareThreshold): number {
  if (typeof threshold === 'number') return threshold;
  const at = (side: number) => 1 / (1 + Math.exp(-(threshold.base - threshold.slope * Math.log(side))));
  return Math.min(at(1), at(1 / 64));
}

/** Options of {@link finalizeDetections}. */
export interface FinalizeOptions {
  labels: readonly string[];
  /** A flat threshold, or a size-aware one (then `imageWidth`/`imageHeight` are needed). */
  scoreThreshold: number | SizeAwareThreshold;
  /** The image's size, for a size-aware threshold. */
  imageWidth?: number;
  imageHeight?: number;
  iouThreshold: number;
  maxResults: number;
  /** Only these class indices are kept (undefined: all). */
  allowed?: ReadonlySet<number> | undefined;
  /** These class indices are dropped. */
  denied?: ReadonlySet<number> | undefined;
}

/**
 * Filters candidates by score (flat or size-aware threshold) and category, runs per-class non-max suppression, and returns at most
 * `maxResults` results sorted by score (ties: earlier candidate first). Pure.
 *
 * @example
 * ```ts
 * const objects = finalizeDetections(candidates, { labels: COCO_LABELS, scoreThreshold: 0.3, iouThreshold: 0.5, maxResults: 20 });
 * ```
 */
export function finalizeDetections(candidates: Candidates, options: FinalizeOptions): DetectedObject[] {
  const { labels, scoreThreshold, iouThreshold, maxResults, allowed, denied } = options;
  const { imageWidth = 0, imageHeight = 0 } = options;
  if (typeof scoreThreshold !== 'number' && !(imageWidth > 0 && imageHeight > 0))
    throw new RangeError('finalizeDetections: a size-aware scoreThreshold needs imageWidth and imageHeight');
  const idx: number[] = [];
  for (let i = 0; i < candidates.boxes.length; i++) {
    const c = candidates.classes[i]!;
    const needed = scoreThresholdFor(scoreThreshold, candidates.boxes[i]!, imageWidth, imageHeight);
    if (candidates.scores[i]! < needed) continue;
    if (allowed && !allowed.has(c)) continue;
    if (denied?.has(c)) continue;
    if (c < 0 || c >= labels.length || !Number.isInteger(c)) continue;
    idx.push(i);
  }
  const boxes = idx.map((i) => candidates.boxes[i]!);
  const scores = idx.map((i) => candidates.scores[i]!);
  const classes = idx.map((i) => candidates.classes[i]!);
  const keep = nonMaxSuppression(boxes, scores, { iouThreshold, maxResults, classes });
  return keep.map((k) => ({
    label: labels[classes[k]!]!,
    score: scores[k]!,
    categoryIndex: classes[k]!,
    box: { ...boxes[k]! },
  }));
}
