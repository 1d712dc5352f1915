/**
 * MediaPipe Face Mesh topology: named regions as landmark indices and the connections (index
 * pairs) that draw them. "Left" and "right" are the subject's sides (the left eye appears on the
 * image's right in an unmirrored photo). Written from the Face Mesh index layout.
 */

/** Names of the landmark regions. */
export type FaceRegionName =
  | 'faceOval'
  | 'leftEye'
  | 'rightEye'
  | 'leftEyebrow'
  | 'rightEyebrow'
  | 'lips'
  | 'noseTip'
  | 'leftIris'
  | 'rightIris';

/** An edge between two landmarks, by index. */
export type FaceConnection = readonly [number, number];

// Polylines along each feature, in order.
const FACE_OVAL_LOOP = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149,
  150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];
const LIPS_OUTER_UPPER = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291];
const LIPS_OUTER_LOWER = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291];
const LIPS_INNER_UPPER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
const LIPS_INNER_LOWER = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308];
const RIGHT_EYE_UPPER = [33, 246, 161, 160, 159, 158, 157, 173, 133];
const RIGHT_EYE_LOWER = [33, 7, 163, 144, 145, 153, 154, 155, 133];
const LEFT_EYE_UPPER = [263, 466, 388, 387, 386, 385, 384, 398, 362];
const LEFT_EYE_LOWER = [263, 249, 390, 373, 374, 380, 381, 382, 362];
const RIGHT_EYEBROW_UPPER = [70, 63, 105, 66, 107];
const RIGHT_EYEBROW_LOWER = [46, 53, 52, 65, 55];
const LEFT_EYEBROW_UPPER = [300, 293, 334, 296, 336];
const LEFT_EYEBROW_LOWER = [276, 283, 282, 295, 285];
const NOSE_BRIDGE = [168, 6, 197, 195, 5, 4, 1, 19, 94, 2];
const NOSE_BASE = [98, 97, 2, 326, 327];
const RIGHT_IRIS_LOOP = [469, 470, 471, 472];
const LEFT_IRIS_LOOP = [474, 475, 476, 477];

const unique = (...lists: number[][]) => [...new Set(lists.flat())];
const path = (ids: readonly number[]): FaceConnection[] => ids.slice(1).map((b, i) => [ids[i]!, b] as const);
const loop = (ids: readonly number[]): FaceConnection[] => [
  ...path(ids),
  [ids[ids.length - 1]!, ids[0]!] as const,
];

/**
 * Landmark indices of each named region (478-point indices for the irises, which need
 * `refineLandmarks: true`). `noseTip` is landmark 1; each iris lists its centre first.
 *
 * @example
 * ```ts
 * const lips = FACE_LANDMARK_REGIONS.lips.map((i) => face.keypoints[i]);
 * ```
 */
export const FACE_LANDMARK_REGIONS: Readonly<Record<FaceRegionName, readonly number[]>> = {
  faceOval: FACE_OVAL_LOOP,
  leftEye: unique(LEFT_EYE_UPPER, LEFT_EYE_LOWER),
  rightEye: unique(RIGHT_EYE_UPPER, RIGHT_EYE_LOWER),
  leftEyebrow: unique(LEFT_EYEBROW_UPPER, LEFT_EYEBROW_LOWER),
  rightEyebrow: unique(RIGHT_EYEBROW_UPPER, RIGHT_EYEBROW_LOWER),
  lips: unique(LIPS_OUTER_UPPER, LIPS_OUTER_LOWER, LIPS_INNER_UPPER, LIPS_INNER_LOWER),
  noseTip: [1],
  leftIris: [473, ...LEFT_IRIS_LOOP],
  rightIris: [468, ...RIGHT_IRIS_LOOP],
};

/**
 * Edges that draw each feature's outline (MediaPipe's "contours" style), plus the nose.
 *
 * @example
 * ```ts
 * for (const [a, b] of FACE_LANDMARK_CONNECTIONS.lips) line(face.keypoints[a], face.keypoints[b]);
 * ```
 */
export const FACE_LANDMARK_CONNECTIONS: Readonly<
  Record<Exclude<FaceRegionName, 'noseTip'> | 'nose', readonly FaceConnection[]>
> = {
  faceOval: loop(FACE_OVAL_LOOP),
  leftEye: [...path(LEFT_EYE_UPPER), ...path(LEFT_EYE_LOWER)],
  rightEye: [...path(RIGHT_EYE_UPPER), ...path(RIGHT_EYE_LOWER)],
  leftEyebrow: [...path(LEFT_EYEBROW_UPPER), ...path(LEFT_EYEBROW_LOWER)],
  rightEyebrow: [...path(RIGHT_EYEBROW_UPPER), ...path(RIGHT_EYEBROW_LOWER)],
  lips: [
    ...path(LIPS_OUTER_UPPER),
    ...path(LIPS_OUTER_LOWER),
    ...path(LIPS_INNER_UPPER),
    ...path(LIPS_INNER_LOWER),
  ],
  nose: [...path(NOSE_BRIDGE), ...path(NOSE_BASE)],
  leftIris: loop(LEFT_IRIS_LOOP),
  rightIris: loop(RIGHT_IRIS_LOOP),
};

/**
 * Every contour edge in one list: what to draw for a face outline with eyes, brows, lips, nose and irises.
 *
 * @example
 * ```ts
 * for (const [a, b] of FACE_CONTOUR_CONNECTIONS) ctx.lineTo(...);
 * ```
 */
export const FACE_CONTOUR_CONNECTIONS: readonly FaceConnection[] =
  Object.values(FACE_LANDMARK_CONNECTIONS).flat();

/**
 * The keypoints of one named region of a face.
 *
 * @example
 * ```ts
 * const leftIris = faceRegion(face, 'leftIris'); // [] without refineLandmarks
 * ```
 */
export function faceRegion<K extends { x: number; y: number }>(
  face: { keypoints: readonly K[] },
  region: FaceRegionName,
): K[] {
  return FACE_LANDMARK_REGIONS[region].map((i) => face.keypoints[i]).filter((p): p is K => p !== undefined);
}
