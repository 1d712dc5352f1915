import { signalSchema } from '@ondevice/core';
import { z } from 'zod';

/**
 * Default of `maxInputLength`: characters per call (all texts of an array together).
 *
 * @example
 * ```ts
 * await translate(book, { to: 'es', maxInputLength: 4 * DEFAULT_MAX_INPUT_LENGTH });
 * ```
 */
export const DEFAULT_MAX_INPUT_LENGTH = 100_000;
/**
 * Default of `minCoverage`: a demo model refuses input of which it knows fewer words than this.
 *
 * @example
 * ```ts
 * await translate(text, { to: 'es', model: 'tiny-marian-en-es', minCoverage: DEFAULT_MIN_COVERAGE / 2 });
 * ```
 */
export const DEFAULT_MIN_COVERAGE = 0.8;

const maxInputLength = z
  .number()
  .int()
  .min(1)
  .describe(
    `Longest input of one call in characters (UTF-16 code units, all texts of an array together); longer input is refused at once with InputError: split it, e.g. by paragraph. Default: ${DEFAULT_MAX_INPUT_LENGTH.toLocaleString('en')}.`,
  );
const minCoverage = z
  .number()
  .min(0)
  .max(1)
  .describe(
    `Demo models only (their vocabulary is known): the fraction of the input's words the model must know, else the call rejects with VocabularyCoverageError; 0 translates anything and only flags it. Default: ${DEFAULT_MIN_COVERAGE}.`,
  );
const modelId = z
  .string()
  .min(1)
  .describe(
    'Id of the model to use for this direct pair, e.g. "tiny-marian-en-es" to opt into the built-in demo model (never used otherwise). Default: the model registered for the pair.',
  );

const languageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a BCP-47 language tag such as "en" or "pt-BR"');

/**
 * Options of `createTranslator`.
 *
 * @example
 * ```ts
 * const opts = parseOptions(translatorOptionsSchema, { from: 'en', to: 'es' }, 'createTranslator');
 * ```
 */
export const translatorOptionsSchema = z.strictObject({
  from: languageTag.describe('Source language (BCP-47). Required.'),
  to: languageTag.describe('Target language (BCP-47). Required.'),
  modelPath: z
    .string()
    .optional()
    .describe(
      "A directory or base URL holding the pair's model files, checked before the cache (direct pairs only). Default: none.",
    ),
  model: modelId.optional(),
  engine: z
    .enum(['marian', 'auto', 'browser'])
    .default('marian')
    .describe(
      'Which engine: "marian" (registered MarianMT models via transformers.js), "browser" (the browser\'s built-in Translator API, e.g. Chrome), or "auto" (built-in when it supports the pair, else Marian). Default: "marian".',
    ),
  maxBatchSize: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(8)
    .describe('Sentences translated together in one model call. Default: 8.'),
  maxInputLength: maxInputLength.default(DEFAULT_MAX_INPUT_LENGTH),
  minCoverage: minCoverage.default(DEFAULT_MIN_COVERAGE),
  onProgress: z
    .custom<(p: import('@ondevice/core').ModelProgress) => void>((v) => typeof v === 'function', {
      message: 'onProgress must be a function',
    })
    .optional()
    .describe('Called as model files load or download. Default: none.'),
  signal: signalSchema,
});

/**
 * Options of `translate` (the one-line function).
 *
 * @example
 * ```ts
 * const opts = parseOptions(translateOptionsSchema, { to: 'es' }, 'translate');
 * ```
 */
export const translateOptionsSchema = z.strictObject({
  from: languageTag
    .optional()
    .describe('Source language (BCP-47). Default: identified from the text with identifyLanguage.'),
  to: languageTag.describe('Target language (BCP-47). Required.'),
  model: modelId.optional(),
  maxInputLength: maxInputLength.default(DEFAULT_MAX_INPUT_LENGTH),
  minCoverage: minCoverage.default(DEFAULT_MIN_COVERAGE),
  signal: signalSchema,
});

/**
 * Options of one `Translator.translate` call.
 *
 * @example
 * ```ts
 * const opts = parseOptions(translatorCallOptionsSchema, { signal }, 'translate');
 * ```
 */
export const translatorCallOptionsSchema = z.strictObject({
  maxInputLength: maxInputLength
    .optional()
    .describe(
      "Longest input of this call in characters; refused at once with InputError beyond it. Default: the translator's maxInputLength.",
    ),
  minCoverage: minCoverage
    .optional()
    .describe(
      "Demo models only: the fraction of words the model must know. Default: the translator's minCoverage.",
    ),
  signal: signalSchema,
});

/** Input of `createTranslator`. */
export type TranslatorOptions = z.input<typeof translatorOptionsSchema>;
/** Input of `translate`. */
export type TranslateOptions = z.input<typeof translateOptionsSchema>;
/** Input of `Translator.translate`. */
export type TranslatorCallOptions = z.input<typeof translatorCallOptionsSchema>;
