import { scoreThresholdSchema, signalSchema } from '@ondevice/core';
import { z } from 'zod';

/**
 * Engine sets `createLanguageIdentifier` accepts.
 *
 * @example
 * ```ts
 * for (const engine of LANGUAGE_ID_ENGINES) select.add(new Option(engine));
 * ```
 */
export const LANGUAGE_ID_ENGINES = ['combined', 'fasttext', 'tinyld', 'eld'] as const;
/** Name of an engine set. */
export type LanguageIdEngine = (typeof LANGUAGE_ID_ENGINES)[number];

const callFields = {
  undThreshold: scoreThresholdSchema
    .default(0.3)
    .describe(
      'When the best guess is less confident than this, the answer is [{ language: "und" }], with confidence 1 - best / undThreshold (1 for text without letters). Default: 0.3.',
    ),
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(3)
    .describe('At most this many guesses are returned, best first. Default: 3.'),
  minConfidence: scoreThresholdSchema
    .default(0.01)
    .describe('Guesses after the first below this confidence are dropped. Default: 0.01.'),
  signal: signalSchema,
};

/**
 * Options of `createLanguageIdentifier`; the per-call settings given here are its defaults.
 *
 * @example
 * ```ts
 * const opts = parseOptions(languageIdentifierOptionsSchema, { engine: 'fasttext' }, 'createLanguageIdentifier');
 * ```
 */
export const languageIdentifierOptionsSchema = z.strictObject({
  engine: z
    .enum(LANGUAGE_ID_ENGINES)
    .default('combined')
    .describe(
      'Which identifier: "combined" (script first, then fastText lid.176, tinyld and eld combined per script and length, each loaded on first need; most accurate), or one engine alone, loaded now. Default: "combined".',
    ),
  modelPath: z
    .string()
    .optional()
    .describe('A directory or base URL holding lid.176.ftz, checked before the cache. Default: none.'),
  ...callFields,
});

/**
 * Options of one `identify` call; unset fields fall back to the identifier's options.
 *
 * @example
 * ```ts
 * const opts = parseOptions(identifyOptionsSchema, { maxResults: 1 }, 'identify');
 * ```
 */
export const identifyOptionsSchema = z.strictObject({
  undThreshold: scoreThresholdSchema
    .optional()
    .describe("Overrides the identifier's undThreshold for this call. Default: the identifier's (0.3)."),
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(50)
    .optional()
    .describe("Overrides the identifier's maxResults for this call. Default: the identifier's (3)."),
  minConfidence: scoreThresholdSchema
    .optional()
    .describe("Overrides the identifier's minConfidence for this call. Default: the identifier's (0.01)."),
  signal: signalSchema,
});

/** Input of `createLanguageIdentifier`. */
export type LanguageIdentifierOptions = z.input<typeof languageIdentifierOptionsSchema>;
/** Input of `identify` / `identifyLanguage`. */
export type IdentifyLanguageOptions = z.input<typeof identifyOptionsSchema>;
