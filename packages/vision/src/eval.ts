/**
 * `@ondevice/vision/eval`: the measures this package's accuracy is reported in — character error
 * rate for text recognition, NME over 68 points and COCO face-keypoint errors for face landmarks.
 * For benchmarks and tests, not for apps; mAP of detections is in the workspace's testkit.
 *
 * @packageDocumentation
 */
export type { CocoFaceError, CocoFaceKeypoints } from './detect-face-landmarks/evaluate.js';
export { cocoFaceError } from './detect-face-landmarks/evaluate.js';
export { MESH_INDICES_68, meshEyesAndNose, nme68 } from './detect-face-landmarks/metrics.js';
export { characterErrorRate } from './recognize-text/metrics.js';
