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
export { isKeywordHead, loadBuiltinKeywordHead, loadOnnxKeywordHead } from './spot-keywords/heads.js';
export type { ListenOptions } from './spot-keywords/listen.js';
export type { KeywordSpotterOptions } from './spot-keywords/options.js';
export { DEFAULT_KEYWORDS, keywordSpotterOptionsSchema } from './spot-keywords/options.js';
export type { KeywordDetection } from './spot-keywords/result.js';
export type { KeywordSpotter } from './spot-keywords/spot-keywords.js';
export { createKeywordSpotter, spotKeywords } from './spot-keywords/spot-keywords.js';
