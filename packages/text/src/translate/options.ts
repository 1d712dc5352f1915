import { signalSchema } from '@ondevice/core';
import { z } from 'zod';

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
export const translatorCallOptionsSchema = z.strictObject({ signal: signalSchema });

/** Input of `createTranslator`. */
export type TranslatorOptions = z.input<typeof translatorOptionsSchema>;
/** Input of `translate`. */
export type TranslateOptions = z.input<typeof translateOptionsSchema>;
/** Input of `Translator.translate`. */
export type TranslatorCallOptions = z.input<typeof translatorCallOptionsSchema>;
