import type { BoundingBox, Keypoint } from '@ondevice/core';

/** One face found in an image. Plain data: safe to `JSON.stringify` or post to a worker. */
export interface FaceLandmarks {
  /** Axis-aligned box around the mesh, in input pixels, clipped to the image. */
  box: BoundingBox;
  /** The mesh model's face-presence score in [0, 1] (what `minPresenceConfidence` filters on). */
  score: number;
  /** The detector's score in [0, 1] for the box that seeded this face. */
  detectionScore: number;
  /**
   * Landmarks in input pixels with MediaPipe Face Mesh indices: 468 points, or 478 with
   * `refineLandmarks` (468 and 473 are the right and left iris centres, 469–472 and 474–477 their
   * contours). `z` is depth relative to the face centre, in the same pixel scale as `x` (smaller
   * is closer to the camera).
   */
  keypoints: Keypoint[];
  /** Roll of the face in radians, clockwise on screen (0 = eyes level). */
  rollAngle: number;
}

/** What `detect` returns for one image. */
export interface FaceLandmarksResult {
  /** Faces sorted by `score`, best first. */
  faces: FaceLandmarks[];
  /**
   * `true` when `maxFaces` cut the result short: more faces passed the checks than were returned,
   * or the detector had as many candidates as the cap lets it keep, so more may be there. Raise
   * or drop `maxFaces` to get them. Always `false` without `maxFaces` (the default).
   */
  capped: boolean;
  /** Width of the (EXIF-rotated) input in pixels. */
  width: number;
  /** Height of the (EXIF-rotated) input in pixels. */
  height: number;
}
