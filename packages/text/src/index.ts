// Models
export { FASTTEXT_LID176, MODEL_SPECS } from './models.js';

// Language identification
export { CALIBRATION } from './identify-language/calibration.js';
export {
  FASTTEXT_LABELS,
  loadEldEngine,
  loadFastTextEngine,
  loadTinyldEngine,
} from './identify-language/engines.js';
export type { LanguageIdentifier } from './identify-language/identify-language.js';
export {
  createLanguageIdentifier,
  identifyLanguage,
  identifyLanguages,
} from './identify-language/identify-language.js';
export type {
  IdentifyLanguageOptions,
  LanguageIdEngine,
  LanguageIdentifierOptions,
} from './identify-language/options.js';
export { LANGUAGE_ID_ENGINES } from './identify-language/options.js';
export type { CombineParams, EngineName, EngineScores } from './identify-language/postprocess.js';
export {
  combineEngineScores,
  finalizeGuesses,
  normalizeLanguageCode,
  toEngineScores,
} from './identify-language/postprocess.js';
export { prepareText } from './identify-language/preprocess.js';
export type { LanguageGuess } from './identify-language/result.js';

// Translation
export { builtInTranslatorAvailability, loadBuiltInTranslator } from './translate/browser-engine.js';
export type { MarianEngine } from './translate/marian.js';
export { loadMarianEngine, marianDtype } from './translate/marian.js';
export {
  MARIAN_FILE_NAMES,
  OPUS_MT_PAIRS,
  opusMtSpec,
  TINY_MARIAN_EN_ES,
} from './translate/models.js';
export type { TranslateOptions, TranslatorCallOptions, TranslatorOptions } from './translate/options.js';
export {
  DEFAULT_MAX_INPUT_LENGTH,
  DEFAULT_MIN_COVERAGE,
  translateOptionsSchema,
  translatorCallOptionsSchema,
  translatorOptionsSchema,
} from './translate/options.js';
export type { SegmentedText } from './translate/preprocess.js';
export {
  batchByLength,
  chunkText,
  joinSegments,
  MAX_SENTENCE_CHARS,
  SEGMENT_WINDOW_CHARS,
  segmentText,
  splitSentences,
} from './translate/preprocess.js';
export type { TranslationModelEntry } from './translate/registry.js';
export {
  deleteTranslationModel,
  downloadTranslationModel,
  findTranslationModel,
  getTranslationModel,
  listTranslationModels,
  registerTranslationModel,
  resolveTranslationRoute,
} from './translate/registry.js';
export type { TranslationModelInfo, TranslationResult } from './translate/result.js';
export type { Translator } from './translate/translate.js';
export { createTranslator, translate } from './translate/translate.js';
export type { VocabularyCoverage } from './translate/vocabulary.js';
export {
  TINY_MARIAN_EN_ES_VOCABULARY,
  VocabularyCoverageError,
  vocabularyCoverage,
} from './translate/vocabulary.js';

// From @ondevice/core, so that one import is enough: configuration, the error classes to catch,
// and the input and result types this package's tasks take and return.
export type { Logger, OnDeviceConfig, OnDeviceErrorCode } from '@ondevice/core';
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
