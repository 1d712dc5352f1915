/**
 * `@ondevice/text/internals`: the parts the tasks are built from, for the CLI, the benchmarks and
 * tests — the three language-ID engines and their calibrated vote, text preparation, sentence
 * segmentation and batching, the Marian and browser translation engines, and the option schemas
 * (zod). Not a stable API: apps use the main entry.
 *
 * @packageDocumentation
 */
export { CALIBRATION } from './identify-language/calibration.js';
export {
  FASTTEXT_LABELS,
  loadEldEngine,
  loadFastTextEngine,
  loadTinyldEngine,
} from './identify-language/engines.js';
export type { CombineParams, EngineName, EngineScores } from './identify-language/postprocess.js';
export { combineEngineScores, finalizeGuesses, toEngineScores } from './identify-language/postprocess.js';
export { prepareText } from './identify-language/preprocess.js';
export { loadBuiltInTranslator } from './translate/browser-engine.js';
export type { MarianEngine } from './translate/marian.js';
export { loadMarianEngine, marianDtype } from './translate/marian.js';
export {
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
