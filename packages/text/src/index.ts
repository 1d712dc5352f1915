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
export { FASTTEXT_LID176, MODEL_SPECS } from './models.js';

// Translation
