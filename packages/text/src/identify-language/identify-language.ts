import { DisposedError, InputError, lazyDefault, parseOptions, throwIfAborted } from '@ondevice/core';
import { CALIBRATION } from './calibration.js';
import { type LangIdEngine, loadEldEngine, loadFastTextEngine, loadTinyldEngine } from './engines.js';
import {
  type IdentifyLanguageOptions,
  identifyOptionsSchema,
  type LanguageIdEngine,
  type LanguageIdentifierOptions,
  languageIdentifierOptionsSchema,
} from './options.js';
import {
  type CombineParams,
  combineEngineScores,
  ENGINE_NAMES,
  type EngineName,
  type EngineScores,
  finalizeGuesses,
  hasNoLetters,
} from './postprocess.js';
import { prepareText } from './preprocess.js';
import type { LanguageGuess } from './result.js';

/** A loaded language identifier. Dispose it when done (or use `using`). */
export interface LanguageIdentifier {
  /** The engine set it runs. */
  readonly engine: LanguageIdEngine;
  /** Every language it can return (BCP-47 primary tags), sorted. */
  readonly languages: readonly string[];
  /** Identifies the language of one text: guesses best first, or `[{ language: 'und' }]` when unsure. */
  identify(text: string, options?: IdentifyLanguageOptions): Promise<LanguageGuess[]>;
  /** Identifies many texts; one guess list per text, in order. */
  identifyMany(texts: readonly string[], options?: IdentifyLanguageOptions): Promise<LanguageGuess[][]>;
  /** Frees the engines. Later calls reject with `DisposedError`. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/**
 * Loads a language identifier. The default `"combined"` engine is a calibrated vote of fastText
 * lid.176 (176 languages, CC BY-SA 3.0), tinyld and eld; everything runs locally.
 *
 * @example
 * ```ts
 * using langid = await createLanguageIdentifier();
 * await langid.identify('¿Dónde está la biblioteca?'); // [{ language: 'es', confidence: 0.99 }]
 * ```
 */
export async function createLanguageIdentifier(
  options?: LanguageIdentifierOptions,
): Promise<LanguageIdentifier> {
  const base = parseOptions(languageIdentifierOptionsSchema, options, 'createLanguageIdentifier');
  throwIfAborted(base.signal, 'createLanguageIdentifier');
  const wanted: EngineName[] = base.engine === 'combined' ? [...ENGINE_NAMES] : [base.engine];
  const engines = await Promise.all(
    wanted.map((name): Promise<LangIdEngine> => {
      if (name === 'fasttext') return loadFastTextEngine({ modelPath: base.modelPath, signal: base.signal });
      if (name === 'tinyld') return loadTinyldEngine();
      return loadEldEngine(CALIBRATION.eldPower);
    }),
  );
  const params: CombineParams =
    base.engine === 'combined'
      ? CALIBRATION
      : {
          ...CALIBRATION,
          weights: { fasttext: 0, tinyld: 0, eld: 0, [base.engine]: 1 },
          temperature: 1,
        };
  const empty = new Set<string>();
  const supported = Object.fromEntries(
    ENGINE_NAMES.map((n) => [n, engines.find((e) => e.name === n)?.supported ?? empty]),
  ) as Record<EngineName, ReadonlySet<string>>;
  const languages = [...new Set(engines.flatMap((e) => [...e.supported]))].sort();
  let disposed = false;
  const dispose = () => {
    disposed = true;
  };
  const run = (text: string, call: ReturnType<typeof resolveCall>): LanguageGuess[] => {
    if (typeof text !== 'string')
      throw new InputError(`identify: text must be a string, got ${typeof text}.`);
    const prepared = prepareText(text);
    if (hasNoLetters(prepared)) return [{ language: 'und', confidence: 1 }];
    const scores: Partial<Record<EngineName, EngineScores>> = {};
    for (const e of engines) scores[e.name] = e.score(prepared);
    return finalizeGuesses(combineEngineScores(scores, supported, params), call);
  };
  const resolveCall = (callOptions: IdentifyLanguageOptions | undefined) => {
    const call = parseOptions(identifyOptionsSchema, callOptions, 'identify');
    return {
      undThreshold: call.undThreshold ?? base.undThreshold,
      maxResults: call.maxResults ?? base.maxResults,
      minConfidence: call.minConfidence ?? base.minConfidence,
      signal: call.signal ?? base.signal,
    };
  };
  return {
    engine: base.engine,
    languages,
    async identify(text, callOptions) {
      const call = resolveCall(callOptions);
      if (disposed) throw new DisposedError('This language identifier');
      throwIfAborted(call.signal, 'identify');
      return run(text, call);
    },
    async identifyMany(texts, callOptions) {
      const call = resolveCall(callOptions);
      if (disposed) throw new DisposedError('This language identifier');
      if (!Array.isArray(texts)) throw new InputError('identifyMany: texts must be an array of strings.');
      const out: LanguageGuess[][] = [];
      for (let i = 0; i < texts.length; i++) {
        // Yield now and then so a long batch can be aborted and does not block the event loop.
        if (i % 256 === 255) await new Promise((r) => setTimeout(r, 0));
        if (disposed) throw new DisposedError('This language identifier');
        throwIfAborted(call.signal, 'identifyMany');
        out.push(run(texts[i]!, call));
      }
      return out;
    },
    dispose,
    [Symbol.dispose]: dispose,
  };
}

const defaultIdentifier = lazyDefault(() => createLanguageIdentifier());

/**
 * Identifies the language of a text in one line (a shared `"combined"` identifier is created on
 * first use). BCP-47 primary tags, best first; `[{ language: 'und' }]` when unsure.
 *
 * @example
 * ```ts
 * const [best] = await identifyLanguage('Das ist ein kleines Haus.');
 * // { language: 'de', confidence: 0.99 }
 * ```
 */
export async function identifyLanguage(
  text: string,
  options?: IdentifyLanguageOptions,
): Promise<LanguageGuess[]> {
  return (await defaultIdentifier.get()).identify(text, options);
}

/**
 * Identifies the languages of many texts in one line; one guess list per text.
 *
 * @example
 * ```ts
 * const results = await identifyLanguages(['Hello there', 'Bonjour à tous']);
 * results.map((r) => r[0].language); // ['en', 'fr']
 * ```
 */
export async function identifyLanguages(
  texts: readonly string[],
  options?: IdentifyLanguageOptions,
): Promise<LanguageGuess[][]> {
  return (await defaultIdentifier.get()).identifyMany(texts, options);
}
