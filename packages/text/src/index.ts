// @ondevice/text: what an app calls — language identification and translation, their options and
// result types, the model specs and the model registry. Translation quality measures (chrF, BLEU)
// are in `@ondevice/text/eval`; the engines, calibration, segmentation and option schemas in
// `@ondevice/text/internals`.

// Models
export { FASTTEXT_LID176, MODEL_SPECS } from './models.js';

// Language identification
export type { LanguageIdentifier } from './identify-language/identify-language.js';
export { createLanguageIdentifier, identifyLanguage, identifyLanguages } from './worker/tasks.js';
export type {
  IdentifyLanguageOptions,
  LanguageIdEngine,
  LanguageIdentifierOptions,
} from './identify-language/options.js';
export { LANGUAGE_ID_ENGINES } from './identify-language/options.js';
export { normalizeLanguageCode } from './identify-language/postprocess.js';
export type { LanguageGuess } from './identify-language/result.js';

// Translation
export { builtInTranslatorAvailability } from './translate/browser-engine.js';
export {
  MARIAN_FILE_NAMES,
  OPUS_MT_PAIRS,
  opusMtSpec,
  TINY_MARIAN_EN_ES,
} from './translate/models.js';
export type { TranslateOptions, TranslatorCallOptions, TranslatorOptions } from './translate/options.js';
export { DEFAULT_MAX_INPUT_LENGTH, DEFAULT_MIN_COVERAGE } from './translate/options.js';
export type { TranslationModelEntry } from './translate/registry.js';
export {
  deleteTranslationModel,
  downloadTranslationModel,
  findTranslationModel,
  getTranslationModel,
  listTranslationModels,
  resolveTranslationRoute,
} from './translate/registry.js';
export type { TranslationModelInfo, TranslationResult } from './translate/result.js';
export type { Translator } from './translate/translate.js';
export { createTranslator, registerTranslationModel, translate } from './worker/tasks.js';
export type { VocabularyCoverage } from './translate/vocabulary.js';
export {
  TINY_MARIAN_EN_ES_VOCABULARY,
  VocabularyCoverageError,
  vocabularyCoverage,
} from './translate/vocabulary.js';

// From @ondevice/core, so that one import is enough: configuration, the error classes to catch,
// and the input and result types this package's tasks take and return.
export type {
  LoadModelOptions,
  Logger,
  ModelFileSpec,
  ModelProgress,
  ModelSpec,
  OnDeviceConfig,
  OnDeviceErrorCode,
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
