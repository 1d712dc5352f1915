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
export { characterErrorRate } from './recognize-text/metrics.js';
export type {
  RecognizeTextCallOptions,
  RecognizeTextOptions,
  TextRecognizerOptions,
} from './recognize-text/options.js';
export {
  chooseEngine,
  PPOCR_LANGUAGES,
  recognizeCallOptionsSchema,
  TESSERACT_LANGUAGES,
  TEXT_ENGINES,
  TEXT_LANGUAGES,
  textRecognizerOptionsSchema,
} from './recognize-text/options.js';
export type { TextRecognizer } from './recognize-text/recognize-text.js';
export { createTextRecognizer, recognizeText } from './recognize-text/recognize-text.js';
export type { TextBlock, TextEngineName, TextLine, TextResult, TextWord } from './recognize-text/result.js';
export { PPOCR_KEYS, PPOCR_V4_DET, PPOCR_V4_REC, TESSERACT_ENG, TESSERACT_FRA } from './models.js';
