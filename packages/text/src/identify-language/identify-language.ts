import { DisposedError, InputError, lazyDefault, parseOptions, throwIfAborted } from '@ondevice/core';
import { CALIBRATION } from './calibration.js';
import {
  ELD_LANGUAGES,
  type EldDatabase,
  FASTTEXT_LABELS,
  type LangIdEngine,
  loadEldEngine,
  loadFastTextEngine,
  loadTinyldEngine,
  TINYLD_LANGUAGES,
} from './engines.js';
import {
  type IdentifyLanguageOptions,
  identifyOptionsSchema,
  type LanguageIdEngine,
  type LanguageIdentifierOptions,
  languageIdentifierOptionsSchema,
} from './options.js';
import {
  cellFor,
  combineEngineScores,
  ENGINE_NAMES,
  type EngineName,
  type EngineScores,
  finalizeGuesses,
  forcedLanguage,
  hasNoLetters,
  normalizeLanguageCode,
  scriptGroup,
} from './postprocess.js';
import { prepareText } from './preprocess.js';
import type { LanguageGuess } from './result.js';
import { detectScript, languageFitsScript, lengthClass } from './script.js';

/** Each engine's languages, known without loading it. */
const SUPPORTED: Record<EngineName, ReadonlySet<string>> = {
  fasttext: new Set(FASTTEXT_LABELS.map(normalizeLanguageCode)),
  tinyld: new Set(TINYLD_LANGUAGES),
  eld: new Set(ELD_LANGUAGES),
};

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
 * Loads a language identifier. The default `"combined"` engine first reads the text's script
 * (Hangul can only be Korean, Cyrillic only a Cyrillic-written language...), answers at once when
 * the script admits one language, and otherwise runs the engines fitted best for that script and
 * length (fastText lid.176, 176 languages, CC BY-SA 3.0; tinyld; eld) and combines them with the
 * weights fitted for that cell. Engines load on first need: a text that does not need one never
 * loads it. Everything runs locally.
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
  const loading = new Map<string, Promise<LangIdEngine>>();
  // eld is keyed by its database: a cell may run a smaller one than `engine: 'eld'` does.
  const getEngine = (name: EngineName, eldDatabase: EldDatabase = 'large'): Promise<LangIdEngine> => {
    const key = name === 'eld' ? `eld:${eldDatabase}` : name;
    let p = loading.get(key);
    if (!p) {
      p =
        name === 'fasttext'
          ? loadFastTextEngine({ modelPath: base.modelPath, signal: base.signal })
          : name === 'tinyld'
            ? loadTinyldEngine()
            : loadEldEngine(CALIBRATION.eldPower, eldDatabase);
      // A failed load is tried again on the next call rather than kept.
      p.catch(() => loading.delete(key));
      loading.set(key, p);
    }
    return p;
  };
  // One engine alone is loaded now, so a missing model fails here; the combination loads lazily.
  if (base.engine !== 'combined') await getEngine(base.engine);
  const wanted: readonly EngineName[] = base.engine === 'combined' ? ENGINE_NAMES : [base.engine];
  const known = new Set(wanted.flatMap((n) => [...SUPPORTED[n]]));
  const languages = [...known].sort();
  let disposed = false;
  const dispose = () => {
    disposed = true;
  };
  const rank = async (prepared: string): Promise<LanguageGuess[]> => {
    if (base.engine !== 'combined') {
      const scores = (await getEngine(base.engine)).score(prepared);
      return Object.entries(scores)
        .map(([language, confidence]) => ({ language, confidence }))
        .sort((a, b) => b.confidence - a.confidence);
    }
    const script = detectScript(prepared);
    const only = forcedLanguage(script, known);
    if (only) return [{ language: only, confidence: CALIBRATION.forcedConfidence }];
    const cell = cellFor(CALIBRATION, scriptGroup(script), lengthClass(prepared, script));
    const scores: Partial<Record<EngineName, EngineScores>> = {};
    for (const name of ENGINE_NAMES)
      if (cell.weights[name] > 0) scores[name] = (await getEngine(name, cell.eldDatabase)).score(prepared);
    return combineEngineScores(
      scores,
      SUPPORTED,
      cell,
      (l) => languageFitsScript(l, script),
      CALIBRATION.priorPower,
    );
  };
  const run = async (text: string, call: ReturnType<typeof resolveCall>): Promise<LanguageGuess[]> => {
    if (typeof text !== 'string')
      throw new InputError(`identify: text must be a string, got ${typeof text}.`);
    const prepared = prepareText(text);
    if (hasNoLetters(prepared)) return [{ language: 'und', confidence: 1 }];
    return finalizeGuesses(await rank(prepared), call);
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
        out.push(await run(texts[i]!, call));
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
