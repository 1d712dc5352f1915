import type { Point } from '@ondevice/core';
import { meshEyesAndNose } from './metrics.js';

/** COCO face keypoints of one person (person's left/right), `v` 0 = unlabelled. */
export interface CocoFaceKeypoints {
  nose: Point & { v: number };
  left_eye: Point & { v: number };
  right_eye: Point & { v: number };
}

/** Error of the best-matching face for one labelled person, normalised by the labelled inter-ocular distance. */
export interface CocoFaceError {
  /** Mean of the two eye errors (undefined when no face was within one inter-ocular distance). */
  eyes: number | undefined;
  /** Nose-tip error. */
  nose: number | undefined;
  /** Mean over eyes and nose. */
  all: number | undefined;
}

/**
 * Matches a labelled COCO person (both eyes labelled) to the predicted face whose eyes and nose
 * are closest, and returns the errors divided by the labelled inter-ocular distance. A person with
 * no face within 1 inter-ocular distance counts as missed (all undefined).
 *
 * @example
 * ```ts
 * const e = cocoFaceError(label.face_keypoints, faces.map((f) => f.keypoints));
 * ```
 */
export function cocoFaceError(truth: CocoFaceKeypoints, faces: readonly (readonly Point[])[]): CocoFaceError {
  const iod = Math.hypot(truth.left_eye.x - truth.right_eye.x, truth.left_eye.y - truth.right_eye.y);
  const d = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y) / iod;
  let best: CocoFaceError = { eyes: undefined, nose: undefined, all: undefined };
  for (const points of faces) {
    const m = meshEyesAndNose(points);
    const eyes = (d(m.leftEye, truth.left_eye) + d(m.rightEye, truth.right_eye)) / 2;
    const nose = truth.nose.v > 0 ? d(m.nose, truth.nose) : undefined;
    const all = nose === undefined ? eyes : (2 * eyes + nose) / 3;
    if (all < 1 && (best.all === undefined || all < best.all)) best = { eyes, nose, all };
  }
  return best;
}
