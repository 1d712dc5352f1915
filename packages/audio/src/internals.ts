/**
 * `@ondevice/audio/internals`: the parts keyword spotting and enrolment are built from, for the
 * training and evaluation scripts, the benchmarks and tests — the speech embedder (openWakeWord's
 * front end), stream augmentation, the embedding bank codec and built-in negatives, the MLP head
 * trainer, and the option schemas (zod). Not a stable API: apps use the main entry.
 *
 * @packageDocumentation
 */
export type { StreamAugmentation } from './custom-keywords/augment.js';
export { augmentedStream, changeSpeed, speechBounds } from './custom-keywords/augment.js';
export { ENROLL_WINDOW_SIZE } from './custom-keywords/enroll-keyword.js';
export type { EmbeddingBankJson } from './custom-keywords/head.js';
export { decodeEmbeddingBank, encodeEmbeddingBank, loadBuiltinNegatives } from './custom-keywords/head.js';
export type { MlpTrainOptions, MlpWeights } from './custom-keywords/mlp.js';
export { MlpHead, trainMlp } from './custom-keywords/mlp.js';
export { enrollKeywordOptionsSchema } from './custom-keywords/options.js';
export type { SpeechEmbedder, SpeechEmbeddings } from './spot-keywords/embeddings.js';
export { createSpeechEmbedder } from './spot-keywords/embeddings.js';
export { keywordSpotterOptionsSchema } from './spot-keywords/options.js';
