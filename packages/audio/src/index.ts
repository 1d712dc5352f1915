// @ondevice/audio: what an app calls — keyword spotting, custom keywords (enrolment, JSON heads, the
// project's own text-trained heads, any ONNX head), their options and result types, and the model
// specs. The speech embedder, augmentation, training and option schemas are in
// `@ondevice/audio/internals`.

// Keyword spotting

export type { BuiltinKeyword } from './models.js';
export {
  BUILTIN_KEYWORD_HEADS,
  BUILTIN_KEYWORDS,
  MODEL_SPECS,
  OPENWAKEWORD_HEAD_LICENSE,
  OWW_ALEXA,
  OWW_EMBEDDING,
  OWW_HEY_JARVIS,
  OWW_HEY_MYCROFT,
  OWW_HEY_RHASSPY,
  OWW_MELSPECTROGRAM,
  OWW_TIMER,
  OWW_WEATHER,
} from './models.js';
export type { KeywordHead, OnnxKeywordHeadOptions } from './spot-keywords/heads.js';
export {
  isKeywordHead,
  loadBuiltinKeywordHead,
  loadOnnxKeywordHead,
  MAX_HEAD_WINDOW_SIZE,
} from './spot-keywords/heads.js';
export type { ListenOptions } from './spot-keywords/listen.js';
export type { KeywordName, KeywordSpotterOptions } from './spot-keywords/options.js';
export { DEFAULT_KEYWORDS, OPENWAKEWORD_WAKE_WORDS } from './spot-keywords/options.js';
export type { KeywordDetection } from './spot-keywords/result.js';
export type { KeywordSpotter } from './spot-keywords/spot-keywords.js';
export { createKeywordSpotter, spotKeywords } from './worker/tasks.js';

// Custom keywords

export { enrollKeyword } from './custom-keywords/enroll-keyword.js';
export type { KeywordHeadJson, OpenKeyword, SerializableKeywordHead } from './custom-keywords/head.js';
export {
  KEYWORD_HEAD_LIMITS,
  keywordHeadFromJson,
  loadOpenKeywordHead,
  OPEN_KEYWORDS,
} from './custom-keywords/head.js';
export type { EnrollKeywordOptions } from './custom-keywords/options.js';

// From @ondevice/core, so that one import is enough: configuration, the error classes to catch,
// and the input and result types this package's tasks take and return.
export type {
  AudioInput,
  AudioSamples,
  DomType,
  LoadModelOptions,
  Logger,
  ModelProgress,
  ModelSpec,
  OnDeviceConfig,
  OnDeviceErrorCode,
  OnnxRuntimeName,
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
