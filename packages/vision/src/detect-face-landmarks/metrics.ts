import type { Point } from '@ondevice/core';

/** Mesh indices of the eye contour rings (used for eye centres without iris refinement). */
const RIGHT_EYE_RING = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246];
const LEFT_EYE_RING = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466];

const mean = (pts: readonly Point[]): Point => ({
  x: pts.reduce((s, p) => s + p.x, 0) / pts.length,
  y: pts.reduce((s, p) => s + p.y, 0) / pts.length,
});

/**
 * Eye centres and nose tip of a mesh, the subject's sides: iris centres (468, 473) when the mesh
 * has 478 points, else the mean of each eye's contour ring; nose tip is landmark 1.
 *
 * @example
 * ```ts
 * const { leftEye, rightEye, nose } = meshEyesAndNose(face.keypoints);
 * ```
 */
export function meshEyesAndNose(points: readonly Point[]): { leftEye: Point; rightEye: Point; nose: Point } {
  const refined = points.length >= 478;
  return {
    rightEye: refined ? points[468]! : mean(RIGHT_EYE_RING.map((i) => points[i]!)),
    leftEye: refined ? points[473]! : mean(LEFT_EYE_RING.map((i) => points[i]!)),
    nose: points[1]!,
  };
}

/**
 * Mesh indices matching the 68 iBUG 300-W points (0-based order: jaw 0–16, brows 17–26, nose
 * 27–35, eyes 36–47, lips 48–67), chosen from the Face Mesh topology. The jaw points only
 * approximate the 68-point jawline (the mesh's face oval runs a little differently).
 *
 * @example
 * ```ts
 * const points68 = MESH_INDICES_68.map((i) => face.keypoints[i]);
 * ```
 */
export const MESH_INDICES_68: readonly number[] = [
  // jaw: subject's right ear → chin → left ear
  127, 234, 93, 58, 172, 136, 149, 148, 152, 377, 378, 365, 397, 288, 323, 454, 356,
  // right brow (outer → inner), left brow (inner → outer)
  70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
  // nose bridge (top → tip), nose base (image left → right)
  168, 197, 5, 4, 98, 97, 2, 326, 327,
  // right eye: outer corner, upper lid ×2, inner corner, lower lid ×2
  33, 160, 158, 133, 153, 144,
  // left eye: inner corner, upper lid ×2, outer corner, lower lid ×2
  362, 385, 387, 263, 373, 380,
  // outer lips: corner, upper ×5, corner, lower ×5
  61, 40, 37, 0, 267, 270, 291, 321, 314, 17, 84, 91,
  // inner lips: corner, upper ×3, corner, lower ×3
  78, 81, 13, 311, 308, 402, 14, 178,
];

/**
 * Normalised mean error of 68 predicted points against ground truth, divided by the outer
 * eye-corner distance (points 36 and 45) as in 300-W; `inner` skips the 17 jaw points.
 *
 * @example
 * ```ts
 * const { all, inner } = nme68(MESH_INDICES_68.map((i) => face.keypoints[i]), truth);
 * ```
 */
export function nme68(pred: readonly Point[], truth: readonly Point[]): { all: number; inner: number } {
  const iod = Math.hypot(truth[36]!.x - truth[45]!.x, truth[36]!.y - truth[45]!.y);
  const errs = truth.map((t, i) => Math.hypot(pred[i]!.x - t.x, pred[i]!.y - t.y) / iod);
  const avg = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  return { all: avg(errs), inner: avg(errs.slice(17)) };
}
