import type { BoundingBox, Point } from '@ondevice/core';
import { iou } from '@ondevice/core';

/** The detector's square input size in pixels. */
export const DETECTOR_SIZE = 256;
/** Keypoints per detection: right eye, left eye, nose tip, mouth, right ear, left ear (the subject's sides). */
export const DETECTOR_KEYPOINTS = 6;

/**
 * Anchor centres of the 256-px BlazeFace in detector pixels, in the model's output order: a 16×16
 * grid (stride 16) with 2 anchors per cell, then an 8×8 grid (stride 32) with 6 per cell: 896.
 *
 * @example
 * ```ts
 * const anchors = blazeFaceAnchors(); // Float32Array of 896 × (x, y)
 * ```
 */
export function blazeFaceAnchors(size = DETECTOR_SIZE): Float32Array {
  const layers = [
    { stride: 16, perCell: 2 },
    { stride: 32, perCell: 6 },
  ];
  const out: number[] = [];
  for (const { stride, perCell } of layers) {
    const cells = Math.ceil(size / stride);
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let n = 0; n < perCell; n++) out.push((gx + 0.5) * stride, (gy + 0.5) * stride);
      }
    }
  }
  return Float32Array.from(out);
}

/** A detector candidate in detector pixels. */
export interface FaceDetection {
  box: BoundingBox;
  score: number;
  /** The 6 detector keypoints (see {@link DETECTOR_KEYPOINTS}). */
  keypoints: Point[];
}

/**
 * Logistic function with the logit clipped to ±100, as MediaPipe's decoder does.
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(logit: number): number {
  const x = Math.max(-100, Math.min(100, logit));
  return 1 / (1 + Math.exp(-x));
}

/**
 * Decodes BlazeFace outputs: per anchor a logit and 16 regressors (centre offset, size, 6
 * keypoint offsets, in detector pixels relative to the anchor). Candidates below `minScore` are skipped.
 *
 * @example
 * ```ts
 * const dets = decodeDetections(logits, regressors, blazeFaceAnchors(), 0.5);
 * ```
 */
export function decodeDetections(
  logits: ArrayLike<number>,
  regressors: ArrayLike<number>,
  anchors: ArrayLike<number>,
  minScore: number,
): FaceDetection[] {
  const n = logits.length;
  const out: FaceDetection[] = [];
  for (let i = 0; i < n; i++) {
    const score = sigmoid(logits[i]!);
    if (score < minScore) continue;
    const ax = anchors[2 * i]!;
    const ay = anchors[2 * i + 1]!;
    const r = i * 16;
    const cx = ax + regressors[r]!;
    const cy = ay + regressors[r + 1]!;
    const w = regressors[r + 2]!;
    const h = regressors[r + 3]!;
    if (!(w > 0 && h > 0)) continue;
    const keypoints: Point[] = [];
    for (let k = 0; k < DETECTOR_KEYPOINTS; k++) {
      keypoints.push({ x: ax + regressors[r + 4 + 2 * k]!, y: ay + regressors[r + 5 + 2 * k]! });
    }
    out.push({ box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, score, keypoints });
  }
  return out;
}

/**
 * MediaPipe-style weighted non-max suppression: the best remaining candidate absorbs every other
 * candidate overlapping it by more than `iouThreshold`, and its box and keypoints become the
 * score-weighted mean of the group (steadier than plain NMS). The score stays the best one's.
 *
 * @example
 * ```ts
 * const faces = weightedNonMaxSuppression(dets, 0.3, 10);
 * ```
 */
export function weightedNonMaxSuppression(
  detections: readonly FaceDetection[],
  iouThreshold: number,
  maxResults = Number.POSITIVE_INFINITY,
): FaceDetection[] {
  const remaining = detections
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .map((e) => e.d);
  const out: FaceDetection[] = [];
  while (remaining.length && out.length < maxResults) {
    const best = remaining[0]!;
    const group: FaceDetection[] = [];
    const rest: FaceDetection[] = [];
    for (const d of remaining) (iou(best.box, d.box) > iouThreshold || d === best ? group : rest).push(d);
    let total = 0;
    let x1 = 0;
    let y1 = 0;
    let x2 = 0;
    let y2 = 0;
    const kps = best.keypoints.map(() => ({ x: 0, y: 0 }));
    for (const d of group) {
      total += d.score;
      x1 += d.box.x * d.score;
      y1 += d.box.y * d.score;
      x2 += (d.box.x + d.box.width) * d.score;
      y2 += (d.box.y + d.box.height) * d.score;
      d.keypoints.forEach((p, k) => {
        kps[k]!.x += p.x * d.score;
        kps[k]!.y += p.y * d.score;
      });
    }
    out.push({
      box: { x: x1 / total, y: y1 / total, width: (x2 - x1) / total, height: (y2 - y1) / total },
      score: best.score,
      keypoints: kps.map((p) => ({ x: p.x / total, y: p.y / total })),
    });
    remaining.length = 0;
    remaining.push(...rest);
  }
  return out;
}

/** A rotated square region of the input: centre, side and roll (radians, clockwise on screen). */
export interface RotatedRect {
  cx: number;
  cy: number;
  size: number;
  angle: number;
}

/** An affine map `x' = a*x + b*y + c`, `y' = d*x + e*y + f`. */
export type Affine = readonly [number, number, number, number, number, number];

/**
 * Angle (radians, clockwise on screen) of the line from `from` to `to`.
 *
 * @example
 * ```ts
 * lineAngle({ x: 0, y: 0 }, { x: 1, y: 1 }); // π/4
 * ```
 */
export function lineAngle(from: Point, to: Point): number {
  return Math.atan2(to.y - from.y, to.x - from.x);
}

/**
 * The mesh crop for a detection in input pixels: the box centre, its longer side times `scale`,
 * rolled so that the detector's eye keypoints end up level.
 *
 * @example
 * ```ts
 * const rect = faceRectFromDetection(detection, 1.5);
 * ```
 */
export function faceRectFromDetection(det: FaceDetection, scale: number): RotatedRect {
  const [rightEye, leftEye] = det.keypoints;
  const angle = rightEye && leftEye ? lineAngle(rightEye, leftEye) : 0;
  return {
    cx: det.box.x + det.box.width / 2,
    cy: det.box.y + det.box.height / 2,
    size: Math.max(det.box.width, det.box.height) * scale,
    angle,
  };
}

/**
 * The map from crop pixels (an `outSize`×`outSize` image) to input pixels for a rotated rect,
 * optionally mirrored left–right. Continuous coordinates (pixel centres at i + 0.5) on both sides,
 * which is what core's `warpAffine` expects.
 *
 * @example
 * ```ts
 * const m = cropToImage(rect, 192);
 * const crop = warpAffine(pixels, m, 192, 192);
 * ```
 */
export function cropToImage(rect: RotatedRect, outSize: number, mirror = false): Affine {
  const k = rect.size / outSize;
  const cos = Math.cos(rect.angle) * k;
  const sin = Math.sin(rect.angle) * k;
  const sx = mirror ? -1 : 1;
  const h = outSize / 2;
  // source = centre + R(angle) · k · (sx·(u − h), v − h)
  const a = cos * sx;
  const b = -sin;
  const d = sin * sx;
  const e = cos;
  return [a, b, rect.cx - a * h - b * h, d, e, rect.cy - d * h - e * h];
}

/**
 * Applies an {@link Affine} to a point.
 *
 * @example
 * ```ts
 * applyAffine([2, 0, 1, 0, 2, 0], { x: 1, y: 1 }); // { x: 3, y: 2 }
 * ```
 */
export function applyAffine<P extends Point>(m: Affine, p: P): P {
  return { ...p, x: m[0] * p.x + m[1] * p.y + m[2], y: m[3] * p.x + m[4] * p.y + m[5] };
}

/**
 * Scale of an {@link Affine} (length of its first column): crop pixels → input pixels.
 *
 * @example
 * ```ts
 * affineScale(cropToImage({ cx: 0, cy: 0, size: 384, angle: 1 }, 192)); // 2
 * ```
 */
export function affineScale(m: Affine): number {
  return Math.hypot(m[0], m[3]);
}

/**
 * Maps a model's flat `[x, y, z]*` output in crop pixels to input pixels; `z` is scaled like x.
 *
 * @example
 * ```ts
 * const points = mapLandmarks(meshValues, 468, cropToImage(rect, 192));
 * ```
 */
export function mapLandmarks(
  values: ArrayLike<number>,
  count: number,
  m: Affine,
  offset = 0,
): { x: number; y: number; z: number }[] {
  const s = affineScale(m);
  const out: { x: number; y: number; z: number }[] = [];
  for (let i = 0; i < count; i++) {
    const x = values[offset + i * 3]!;
    const y = values[offset + i * 3 + 1]!;
    const z = values[offset + i * 3 + 2]!;
    out.push({ x: m[0] * x + m[1] * y + m[2], y: m[3] * x + m[4] * y + m[5], z: z * s });
  }
  return out;
}

/**
 * Eye crop for the iris model from two eye-corner landmarks given in image-left-to-right order for
 * an upright face (right eye 33 → 133, left eye 362 → 263): centred between them, side `scale` ×
 * their distance, rolled along the corner line.
 *
 * @example
 * ```ts
 * const rect = eyeRect(points[33], points[133], 2.3);
 * ```
 */
export function eyeRect(from: Point, to: Point, scale: number): RotatedRect {
  return {
    cx: (from.x + to.x) / 2,
    cy: (from.y + to.y) / 2,
    size: Math.hypot(to.x - from.x, to.y - from.y) * scale,
    angle: lineAngle(from, to),
  };
}

/**
 * Normalises an angle to (−π, π].
 *
 * @example
 * ```ts
 * normalizeAngle(3 * Math.PI); // π
 * ```
 */
export function normalizeAngle(a: number): number {
  let x = a % (2 * Math.PI);
  if (x <= -Math.PI) x += 2 * Math.PI;
  if (x > Math.PI) x -= 2 * Math.PI;
  return x;
}

/**
 * The mesh crop re-derived from a mesh (MediaPipe's landmarks-to-ROI step): rolled along the
 * outer eye corners (33 → 263), centred on the landmarks' box in that rolled frame, side = its
 * longer side × `scale`. Used to re-run the mesh when the detector's box was off.
 *
 * @example
 * ```ts
 * const rect = faceRectFromMesh(points, 1.5);
 * ```
 */
export function faceRectFromMesh(points: readonly Point[], scale: number): RotatedRect {
  const angle = lineAngle(points[33]!, points[263]!);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  const n = Math.min(points.length, 468);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    // rotate by −angle: into the face's level frame
    const u = p.x * cos + p.y * sin;
    const v = -p.x * sin + p.y * cos;
    x1 = Math.min(x1, u);
    x2 = Math.max(x2, u);
    y1 = Math.min(y1, v);
    y2 = Math.max(y2, v);
  }
  const uc = (x1 + x2) / 2;
  const vc = (y1 + y2) / 2;
  return {
    cx: uc * cos - vc * sin,
    cy: uc * sin + vc * cos,
    size: Math.max(x2 - x1, y2 - y1) * scale,
    angle,
  };
}

/**
 * Whether two crops differ enough that the mesh should run again on the second: centres more
 * than `maxShift` × size apart, sides differing by more than `maxScale`, or rolls by more than
 * `maxAngle` radians.
 *
 * @example
 * ```ts
 * if (rectsDiffer(fromDetector, fromMesh)) rerun();
 * ```
 */
export function rectsDiffer(
  a: RotatedRect,
  b: RotatedRect,
  { maxShift = 0.08, maxScale = 1.15, maxAngle = 0.15 } = {},
): boolean {
  const shift = Math.hypot(a.cx - b.cx, a.cy - b.cy) / Math.max(a.size, b.size);
  const ratio = Math.max(a.size, b.size) / Math.min(a.size, b.size);
  const turn = Math.abs(normalizeAngle(a.angle - b.angle));
  return shift > maxShift || ratio > maxScale || turn > maxAngle;
}

/**
 * Drops faces whose box lies mostly (more than `maxOverlap` of the smaller box) inside a better
 * one: a detector box on part of a face can yield a second mesh of the same face. Faces are
 * ranked by detection score × presence score, since presence saturates near 1 for real faces.
 * Returns the survivors in their input order.
 *
 * @example
 * ```ts
 * const unique = suppressNestedFaces(faces, 0.5);
 * ```
 */
export function suppressNestedFaces<F extends { box: BoundingBox; score: number; detectionScore: number }>(
  faces: readonly F[],
  maxOverlap = 0.5,
): F[] {
  const order = faces.map((_, i) => i).sort((a, b) => rank(faces[b]!) - rank(faces[a]!) || a - b);
  const kept: number[] = [];
  for (const i of order) {
    const box = faces[i]!.box;
    const nested = kept.some((k) => {
      const other = faces[k]!.box;
      const w = Math.min(box.x + box.width, other.x + other.width) - Math.max(box.x, other.x);
      const h = Math.min(box.y + box.height, other.y + other.height) - Math.max(box.y, other.y);
      const smaller = Math.min(box.width * box.height, other.width * other.height);
      return w > 0 && h > 0 && smaller > 0 && (w * h) / smaller > maxOverlap;
    });
    if (!nested) kept.push(i);
  }
  return kept.sort((a, b) => a - b).map((i) => faces[i]!);
}

function rank(f: { score: number; detectionScore: number }): number {
  return f.score * f.detectionScore;
}
