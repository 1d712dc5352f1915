import { signalSchema } from '@ondevice/core';
import { z } from 'zod';
import { TESSERACT_LANGUAGE_SPECS } from '../models.js';

/**
 * Languages (Tesseract codes) the PP-OCR dictionary covers: Latin-script English, Chinese.
 *
 * @example
 * ```ts
 * const engine = PPOCR_LANGUAGES.includes(lang) ? 'ppocr' : 'tesseract';
 * ```
 */
export const PPOCR_LANGUAGES: readonly string[] = ['eng', 'chi_sim', 'chi_tra'];

/**
 * Languages the Tesseract engine has data for in this package.
 *
 * @example
 * ```ts
 * if (!TESSERACT_LANGUAGES.includes('deu')) throw new Error('no German data');
 * ```
 */
export const TESSERACT_LANGUAGES: readonly string[] = Object.keys(TESSERACT_LANGUAGE_SPECS);

/**
 * Every language code `recognizeText` accepts.
 *
 * @example
 * ```ts
 * const languages = wanted.filter((l) => TEXT_LANGUAGES.includes(l));
 * ```
 */
export const TEXT_LANGUAGES: readonly string[] = [...new Set([...PPOCR_LANGUAGES, ...TESSERACT_LANGUAGES])];

/**
 * Engines of `recognizeText`.
 *
 * @example
 * ```ts
 * for (const engine of TEXT_ENGINES) select.add(new Option(engine));
 * ```
 */
export const TEXT_ENGINES = ['auto', 'ppocr', 'tesseract'] as const;

/**
 * The engine `auto` picks: PP-OCR when every requested language is in its dictionary (it read
 * photographed, tilted and rotated pages better in our measurements and is as good on clean
 * scans), otherwise Tesseract (accents and the other languages it has data for).
 *
 * @example
 * ```ts
 * chooseEngine(['eng']); // 'ppocr'
 * chooseEngine(['eng', 'fra']); // 'tesseract'
 * ```
 */
export function chooseEngine(languages: readonly string[]): 'ppocr' | 'tesseract' {
  return languages.every((l) => PPOCR_LANGUAGES.includes(l)) ? 'ppocr' : 'tesseract';
}

const timeoutSchema = z
  .number()
  .positive()
  .optional()
  .describe('Milliseconds a recognition may take before it rejects with TimeoutError. Default: no limit.');

/** Options of `createTextRecognizer` (and of `recognizeText`). */
export const textRecognizerOptionsSchema = z
  .strictObject({
    engine: z
      .enum(TEXT_ENGINES)
      .default('auto')
      .describe(
        'OCR engine: "ppocr", "tesseract", or "auto" (PP-OCR when it covers every language). Default: "auto".',
      ),
    languages: z
      .array(z.enum(TEXT_LANGUAGES as [string, ...string[]]))
      .min(1)
      .default(['eng'])
      .describe(`Languages to read, as Tesseract codes (${TEXT_LANGUAGES.join(', ')}). Default: ["eng"].`),
    workers: z
      .number()
      .int()
      .min(1)
      .max(16)
      .optional()
      .describe(
        'Tesseract: most worker threads in the pool (reused across calls); default: the number of cores, at most 4. PP-OCR: onnxruntime threads per inference; default: configure({ threads }), else half the cores (1 to 4).',
      ),
    deskew: z
      .boolean()
      .default(true)
      .describe(
        "Tesseract engine: when its first pass is unsure (mean word confidence below 0.75), measure the page's angle with PP-OCR's detector, read the page turned upright and keep the more confident pass; when false, only Tesseract's own skew estimate is used, which misses small tilts and upside-down pages. Default: true.",
      ),
    timeout: timeoutSchema,
    signal: signalSchema,
  })
  .superRefine((o, ctx) => {
    const engine = o.engine === 'auto' ? chooseEngine(o.languages) : o.engine;
    const supported = engine === 'ppocr' ? PPOCR_LANGUAGES : TESSERACT_LANGUAGES;
    const missing = o.languages.filter((l) => !supported.includes(l));
    if (missing.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['languages'],
        message: `engine "${engine}" cannot read ${missing.join(', ')}. It reads: ${supported.join(', ')}${
          o.engine === 'auto' ? '; no single engine here reads all of the requested languages' : ''
        }`,
      });
    }
  });

/** Options of `createTextRecognizer`, as callers write them. */
export type TextRecognizerOptions = z.input<typeof textRecognizerOptionsSchema>;

/** Per-call options of a recognizer's `recognize`. */
export const recognizeCallOptionsSchema = z.strictObject({
  timeout: timeoutSchema,
  signal: signalSchema,
});

/** Per-call options of `recognize`, as callers write them. */
export type RecognizeTextCallOptions = z.input<typeof recognizeCallOptionsSchema>;

/** Options of the one-line `recognizeText`: engine choice plus per-call options. */
export type RecognizeTextOptions = TextRecognizerOptions;
