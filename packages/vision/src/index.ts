// Object detection
export type { ObjectDetector } from './detect-objects/detect-objects.js';
export { createObjectDetector, detectObjects } from './detect-objects/detect-objects.js';
export type { CocoLabel } from './detect-objects/labels.js';
export { COCO_LABELS } from './detect-objects/labels.js';
export type { DetectObjectsOptions, ObjectDetectorOptions } from './detect-objects/options.js';
export { detectOptionsSchema, objectDetectorOptionsSchema } from './detect-objects/options.js';
export type { ObjectDetectionModelName } from './detect-objects/registry.js';
export { OBJECT_DETECTION_MODEL_NAMES, OBJECT_DETECTION_MODELS } from './detect-objects/registry.js';
export type {
  ObjectModelDefinition,
  ObjectModelRunner,
  RunContext,
} from './detect-objects/registry-types.js';
export type { DetectedObject } from './detect-objects/result.js';

// Face landmarks

// Text recognition
