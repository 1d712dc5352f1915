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
export type { SpeechEmbedder, SpeechEmbeddings } from './spot-keywords/embeddings.js';
export { createSpeechEmbedder } from './spot-keywords/embeddings.js';
export type { KeywordHead, OnnxKeywordHeadOptions } from './spot-keywords/heads.js';
export {
  isKeywordHead,
  loadBuiltinKeywordHead,
  loadOnnxKeywordHead,
  MAX_HEAD_WINDOW_SIZE,
} from './spot-keywords/heads.js';
export type { ListenOptions } from './spot-keywords/listen.js';
export type { KeywordName, KeywordSpotterOptions } from './spot-keywords/options.js';
export {
  DEFAULT_KEYWORDS,
  keywordSpotterOptionsSchema,
  OPENWAKEWORD_WAKE_WORDS,
} from './spot-keywords/options.js';
export type { KeywordDetection } from './spot-keywords/result.js';
export type { KeywordSpotter } from './spot-keywords/spot-keywords.js';
export { createKeywordSpotter, spotKeywords } from './spot-keywords/spot-keywords.js';

// Custom keywords

export type { StreamAugmentation } from './custom-keywords/augment.js';
export { augmentedStream, changeSpeed, speechBounds } from './custom-keywords/augment.js';
export { ENROLL_WINDOW_SIZE, enrollKeyword } from './custom-keywords/enroll-keyword.js';
export type {
  EmbeddingBankJson,
  KeywordHeadJson,
  OpenKeyword,
  SerializableKeywordHead,
} from './custom-keywords/head.js';
export {
  decodeEmbeddingBank,
  encodeEmbeddingBank,
  KEYWORD_HEAD_LIMITS,
  keywordHeadFromJson,
  loadBuiltinNegatives,
  loadOpenKeywordHead,
  OPEN_KEYWORDS,
} from './custom-keywords/head.js';
export type { MlpTrainOptions, MlpWeights } from './custom-keywords/mlp.js';
export { MlpHead, trainMlp } from './custom-keywords/mlp.js';
export type { EnrollKeywordOptions } from './custom-keywords/options.js';
export { enrollKeywordOptionsSchema } from './custom-keywords/options.js';

// From @ondevice/core, so that one import is enough: configuration, the error classes to catch,
// and the input and result types this package's tasks take and return.
export type { AudioInput, AudioSamples, Logger, OnDeviceConfig, OnDeviceErrorCode } from '@ondevice/core';
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
