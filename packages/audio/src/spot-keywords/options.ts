import { type ModelProgress, scoreThresholdSchema, signalSchema } from '@ondevice/core';
import { z } from 'zod';
import { OPEN_KEYWORDS, type OpenKeyword } from '../custom-keywords/head.js';
import { BUILTIN_KEYWORDS, type BuiltinKeyword } from '../models.js';
import { isKeywordHead, type KeywordHead, MAX_HEAD_WINDOW_SIZE } from './heads.js';

/** A keyword given by name: one of the project's own heads (Apache-2.0) or an openWakeWord head (non-commercial). */
export type KeywordName = OpenKeyword | BuiltinKeyword;

/**
 * The keywords a spotter listens for when none are given: the project's own "hey ondevice" head
 * (Apache-2.0, trained from text), so the default path uses no non-commercial weights. The
 * openWakeWord wake words (`hey_jarvis`, `alexa`, … — CC BY-NC-SA 4.0, non-commercial) are one
 * option away.
 *
 * @example
 * ```ts
 * const spotter = await createKeywordSpotter({ keywords: [...DEFAULT_KEYWORDS, 'yes', 'no'] });
 * ```
 */
export const DEFAULT_KEYWORDS: readonly KeywordName[] = ['hey_ondevice'];

/**
 * The openWakeWord wake words that were the default before the project had heads of its own (non-commercial).
 *
 * @example
 * ```ts
 * const spotter = await createKeywordSpotter({ keywords: [...OPENWAKEWORD_WAKE_WORDS] }); // non-commercial heads
 * ```
 */
export const OPENWAKEWORD_WAKE_WORDS: readonly BuiltinKeyword[] = [
  'hey_jarvis',
  'alexa',
  'hey_mycroft',
  'hey_rhasspy',
];

const NAMES: readonly string[] = [...OPEN_KEYWORDS, ...BUILTIN_KEYWORDS];

const keywordSchema = z.custom<KeywordName | KeywordHead>(
  (v) => (typeof v === 'string' && NAMES.includes(v)) || isKeywordHead(v),
  {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `unknown keyword "${issue.input}". Should be one of: ${OPEN_KEYWORDS.join(', ')} (the project's own, Apache-2.0); ${BUILTIN_KEYWORDS.join(', ')} (openWakeWord, CC BY-NC-SA 4.0); or a KeywordHead`
        : `a keyword is a name (${NAMES.join(', ')}) or a KeywordHead ({ labels, windowSize: an integer from 1 to ${MAX_HEAD_WINDOW_SIZE}, predict })`,
  },
);

/**
 * Options of `createKeywordSpotter` (and `spotKeywords`), with a default and description per field.
 *
 * @example
 * ```ts
 * const fields = Object.keys(keywordSpotterOptionsSchema.shape); // ['keywords', 'threshold', …]
 * ```
 */
export const keywordSpotterOptionsSchema = z.strictObject({
  keywords: z
    .array(keywordSchema)
    .min(1)
    .default([...DEFAULT_KEYWORDS])
    .describe(
      `Keywords to spot: the project's own heads (${OPEN_KEYWORDS.join(', ')}; Apache-2.0), openWakeWord heads (${BUILTIN_KEYWORDS.join(', ')}; CC BY-NC-SA 4.0, non-commercial) and/or KeywordHead objects of your own. Default: ${DEFAULT_KEYWORDS.join(', ')}.`,
    ),
  threshold: scoreThresholdSchema
    .default(0.5)
    .describe('Score at or above which a keyword fires (a head may set its own). Default: 0.5.'),
  sampleRate: z
    .number()
    .min(1000)
    .max(384_000)
    .default(16_000)
    .describe('Sample rate of the samples given to process(); resampled to 16 kHz inside. Default: 16000.'),
  refractoryPeriod: z
    .number()
    .min(0)
    .max(60)
    .default(1)
    .describe(
      'Seconds after a detection before the same keyword can fire again (its score must also drop below the threshold first). Default: 1.',
    ),
  warmup: z
    .number()
    .min(0)
    .max(10)
    .default(0)
    .describe(
      'Seconds at the start of a stream during which nothing fires. Streams start from the state after silence, so none is needed. Default: 0.',
    ),
  runtime: z
    .enum(['auto', 'node', 'web'])
    .default('auto')
    .describe('onnxruntime build: node (native, Node only), web (WASM), auto (node in Node). Default: auto.'),
  modelPath: z
    .string()
    .optional()
    .describe('A directory or base URL holding the model files, tried before the cache. Default: none.'),
  onProgress: z
    .custom<(p: ModelProgress) => void>((v) => typeof v === 'function', {
      message: 'onProgress must be a function',
    })
    .optional()
    .describe('Called as model bytes load. Default: none.'),
  onScores: z
    .custom<(time: number, scores: Record<string, number>) => void>((v) => typeof v === 'function', {
      message: 'onScores must be a function',
    })
    .optional()
    .describe(
      'Called every 80 ms step with the stream time (s) and every label’s raw score (for calibration). Default: none.',
    ),
  signal: signalSchema,
});

/**
 * Options accepted by `createKeywordSpotter`.
 *
 * @example
 * ```ts
 * const options: KeywordSpotterOptions = { keywords: ['alexa'], threshold: 0.6, sampleRate: 48000 };
 * ```
 */
export type KeywordSpotterOptions = z.input<typeof keywordSpotterOptionsSchema>;
/** Options after parsing (defaults applied). */
export type ParsedKeywordSpotterOptions = z.output<typeof keywordSpotterOptionsSchema>;
