// @ondevice/vision: what an app calls — the tasks, their options and result types, the model specs
// and the values options allow. Evaluation helpers are in `@ondevice/vision/eval`; option schemas
// and the int8 CenterNet derivation in `@ondevice/vision/internals`.

// Object detection
export type { ObjectDetector } from './detect-objects/detect-objects.js';
export { createObjectDetector, detectObjects } from './worker/tasks.js';
export type { CocoLabel } from './detect-objects/labels.js';
export { COCO_LABELS } from './detect-objects/labels.js';
export type { DetectObjectsOptions, ObjectDetectorOptions } from './detect-objects/options.js';
export type { ObjectDetectionPrecision } from './detect-objects/precision-name.js';
export { OBJECT_DETECTION_PRECISIONS } from './detect-objects/precision-name.js';
export type { ObjectDetectionModelName } from './detect-objects/registry.js';
export { OBJECT_DETECTION_MODEL_NAMES, OBJECT_DETECTION_MODELS } from './detect-objects/registry.js';
export type {
  ObjectModelDefinition,
  ObjectModelRunner,
  RunContext,
} from './detect-objects/registry-types.js';
export type { DetectedObject } from './detect-objects/result.js';

// Face landmarks
export type { FaceLandmarker, FaceLandmarkerTimings } from './detect-face-landmarks/detect-face-landmarks.js';
export { createFaceLandmarker, detectFaceLandmarks } from './worker/tasks.js';
export type { DetectFaceLandmarksOptions, FaceLandmarkerOptions } from './detect-face-landmarks/options.js';
export type { FaceLandmarks, FaceLandmarksResult } from './detect-face-landmarks/result.js';
export { FACE_TESSELLATION, FACE_TESSELLATION_TRIANGLES } from './detect-face-landmarks/tessellation.js';
export type { FaceConnection, FaceRegionName } from './detect-face-landmarks/topology.js';
export {
  FACE_CONTOUR_CONNECTIONS,
  FACE_LANDMARK_CONNECTIONS,
  FACE_LANDMARK_REGIONS,
  faceRegion,
} from './detect-face-landmarks/topology.js';
export { BLAZEFACE, CENTERNET_MOBILENETV3, FACEMESH, IRIS } from './models.js';

// Live video: stream mode (frames dropped while busy, never queued) and tracking IDs
export type { BoxTracker, Trackable, Tracked } from './track/box-tracker.js';
export { createBoxTracker } from './track/box-tracker.js';
export type {
  LiveControls,
  LiveDetector,
  LiveDetectorOptions,
  LiveFrameInfo,
  LiveFrameResult,
} from './track/live-detector.js';
export { createLiveDetector } from './track/live-detector.js';
export type { BoxTrackerOptions } from './track/options.js';
export type {
  FaceLandmarkerForVideoOptions,
  TrackedFace,
  VideoFaceLandmarker,
  VideoFacesResult,
} from './track/video-face-landmarker.js';
export { createFaceLandmarkerForVideo } from './track/video-face-landmarker.js';
export type {
  ObjectDetectorForVideoOptions,
  TrackedObject,
  VideoObjectDetector,
  VideoObjectsResult,
} from './track/video-object-detector.js';
export { createObjectDetectorForVideo } from './track/video-object-detector.js';

// Text recognition
export type {
  RecognizeTextCallOptions,
  RecognizeTextOptions,
  TextRecognizerOptions,
} from './recognize-text/options.js';
export {
  chooseEngine,
  PPOCR_LANGUAGES,
  TESSERACT_LANGUAGES,
  TEXT_ENGINES,
  TEXT_LANGUAGES,
} from './recognize-text/options.js';
export type { TextRecognizer } from './recognize-text/recognize-text.js';
export type { TextCoverage } from './recognize-text/coverage.js';
export { createTextRecognizer, recognizeText } from './worker/tasks.js';
export type { TextBlock, TextEngineName, TextLine, TextResult, TextWord } from './recognize-text/result.js';
export { PPOCR_KEYS, PPOCR_V4_DET, PPOCR_V4_REC, TESSERACT_ENG, TESSERACT_FRA } from './models.js';

// From @ondevice/core, so that one import is enough: configuration, the error classes to catch,
// and the input and result types this package's tasks take and return.
export type {
  BoundingBox,
  BrowserImageSource,
  EngineName,
  EngineRuntime,
  ImageInput,
  ImagePixels,
  Keypoint,
  LoadModelOptions,
  Logger,
  ModelProgress,
  ModelSpec,
  OnDeviceConfig,
  OnDeviceErrorCode,
  Point,
  RawPixels,
} from '@ondevice/core';
export {
  AbortedError,
  BackendUnavailableError,
  configure,
  DisposedError,
  InputError,
  ModelIntegrityError,
  ModelLoadError,
  ModelUnavailableOfflineError,
  OnDeviceError,
  OptionsError,
  TimeoutError,
} from '@ondevice/core';
export { transferToWorker } from '@ondevice/core/worker';
