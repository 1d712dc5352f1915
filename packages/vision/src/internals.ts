/**
 * `@ondevice/vision/internals`: the parts the tasks are built from, for the CLI, the benchmarks and
 * tests — the option schemas (zod) and the int8 CenterNet derivation. Not a stable API: apps use
 * the main entry. Its types reach `@ondevice/optimize`'s and so tfjs's, which the main entry's
 * never do.
 *
 * @packageDocumentation
 */
export {
  detectFaceLandmarksOptionsSchema,
  faceLandmarkerOptionsSchema,
} from './detect-face-landmarks/options.js';
export { detectOptionsSchema, objectDetectorOptionsSchema } from './detect-objects/options.js';
export {
  CENTERNET_INT8_RECIPE,
  CENTERNET_MOBILENETV3_INT8,
  centerNetGraphFiles,
  deriveCenterNetInt8,
} from './detect-objects/precision.js';
export { recognizeCallOptionsSchema, textRecognizerOptionsSchema } from './recognize-text/options.js';
