import type { EldDatabase } from './engines.js';
import { SPEAKERS_MILLIONS } from './prior.js';
import type { LanguageGuess } from './result.js';
import { type LengthClass, SCRIPT_LANGUAGES, type ScriptCode } from './script.js';

/** One engine's output: probabilities (summing to at most 1) keyed by normalised language code. */
export type EngineScores = Record<string, number>;

/** The engines the combination uses. */
export const ENGINE_NAMES = ['fasttext', 'tinyld', 'eld'] as const;
/** Name of one engine. */
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Script groups the calibration is fitted per (`other` covers the remaining multi-language scripts). */
export const SCRIPT_GROUPS = ['Latn', 'Cyrl', 'Arab', 'Hani', 'Deva', 'other'] as const;
/** One script group. */
export type ScriptGroup = (typeof SCRIPT_GROUPS)[number];

/**
 * Combination parameters for one script group and length class (fitted by `scripts/fit-langid.mjs`).
 * An engine whose weight is 0 is not run, and not even loaded if no other cell needs it.
 */
export interface CellParams {
  /** Weight of each engine's log-probability; 0 leaves the engine out. */
  weights: Record<EngineName, number>;
  /** Probability assumed for a language an engine supports but did not return. */
  floor: number;
  /** Log-score offset (added to `log(floor)`) for a language an engine cannot return at all. */
  unsupported: number;
  /**
   * Softmax temperature turning the evidence scores (see `combineEngineScores`) into calibrated
   * confidences.
   */
  temperature: number;
  /** Which of eld's n-gram databases this cell runs (default `large`); smaller ones load faster and use less memory. */
  eldDatabase?: EldDatabase;
}

/** The fitted combination: one cell per script group and length class, keyed `"Latn:word"`. */
export interface CombineParams {
  /** eld returns similarity scores; they become probabilities as `score^eldPower`, normalised. */
  eldPower: number;
  /** Confidence reported when the script admits only one language (Hangul → ko, Greek → el...). */
  forcedConfidence: number;
  /**
   * Power of the speaker prior (`SPEAKERS_MILLIONS`) the confidences are weighted by: 0 leaves them
   * as fitted on the evaluation set, where every language is about as frequent; 1 is Bayes' rule
   * with the languages as common as their speakers.
   */
  priorPower: number;
  /** Per-cell parameters; a missing cell falls back to `"*:<length class>"`. */
  cells: Record<string, CellParams>;
}

// Codes the engines use that are not the BCP-47 tag we return.
const CODE_MAP: Record<string, string> = {
  als: 'gsw', // fastText uses Wikipedia's code for Alemannic
  cmn: 'zh',
  zho: 'zh',
  iw: 'he',
  in: 'id',
  ji: 'yi',
  nb: 'no',
  pes: 'fa',
  lvs: 'lv',
  tlh: 'tlh',
  fil: 'tl',
  zlm: 'ms',
};

/**
 * Normalises a language code from any engine (or a BCP-47 tag) to the primary code this package
 * compares and returns: lower-case primary subtag, with a few aliases folded (`nb`→`no`, `cmn`→`zh`).
 *
 * @example
 * ```ts
 * normalizeLanguageCode('__label__als'); // 'gsw'
 * normalizeLanguageCode('pt-BR'); // 'pt'
 * ```
 */
export function normalizeLanguageCode(code: string): string {
  let out = normalized.get(code);
  if (out === undefined) {
    const base = code.replace('__label__', '').split(/[-_]/)[0]!.toLowerCase();
    out = CODE_MAP[base] ?? base;
    // Engines use a few hundred labels at most; user tags are bounded by this cap.
    if (normalized.size < 5000) normalized.set(code, out);
  }
  return out;
}
const normalized = new Map<string, string>();

/**
 * Turns an engine's raw (label, score) pairs into normalised probabilities.
 *
 * @example
 * ```ts
 * toEngineScores([['__label__es', 0.9], ['__label__ca', 0.05]]); // { es: 0.9, ca: 0.05 }
 * ```
 */
export function toEngineScores(
  pairs: Iterable<[string, number]>,
  power = 1,
  normalise = false,
): EngineScores {
  const out: EngineScores = {};
  let total = 0;
  for (const [label, score] of pairs) {
    if (!(score > 0)) continue;
    const code = normalizeLanguageCode(label);
    const v = power === 1 ? score : score ** power;
    out[code] = (out[code] ?? 0) + v;
    total += v;
  }
  if (normalise && total > 0) for (const k of Object.keys(out)) out[k] = out[k]! / total;
  return out;
}

/** Speakers (millions) assumed for a language CLDR has no figure for. */
const MIN_SPEAKERS = 0.1;

/**
 * Combines engine outputs into ranked guesses with calibrated confidences. Each engine's
 * probabilities are first cut to the languages the text's script allows (and renormalised).
 *
 * The ranking is a weighted sum of log-probabilities (floored; a language an engine cannot
 * produce at all gets the cell's fitted offset), and its first guess is always a language at least
 * one engine put first: the vote can reorder the engines' picks but never invent a language none of
 * them chose.
 *
 * The confidences are not that vote's softmax: the offset that lets a language only fastText knows
 * win when fastText is sure would also hand every such language (ce, cv, sah… for any Cyrillic
 * text) the mass of the engines that cannot see it. Instead each language's evidence is the
 * weighted log-probability of the engines that can return it, the others assumed to agree with
 * them; a temperature softmax of that evidence, weighted by the speaker prior raised to
 * `priorPower` (a Cyrillic text is far more often Russian than Chechen), gives the confidences. The
 * guesses after the first are ordered by confidence; the first keeps at least the highest one.
 *
 * @example
 * ```ts
 * const ranked = combineEngineScores(
 *   { fasttext: { es: 0.9 }, tinyld: { es: 1 }, eld: { es: 0.8, pt: 0.2 } },
 *   supported,
 *   cell,
 *   (language) => language !== 'ru',
 * );
 * ```
 */
export function combineEngineScores(
  scores: Partial<Record<EngineName, EngineScores>>,
  supported: Record<EngineName, ReadonlySet<string>>,
  cell: CellParams,
  allowed: (language: string) => boolean = () => true,
  priorPower = 0,
): LanguageGuess[] {
  const restricted: Partial<Record<EngineName, EngineScores>> = {};
  const picks = new Set<string>();
  const candidates = new Set<string>();
  for (const name of ENGINE_NAMES) {
    const engine = scores[name];
    if (!engine || cell.weights[name] === 0) continue;
    const kept: EngineScores = {};
    let total = 0;
    let top = '';
    for (const [code, p] of Object.entries(engine)) {
      if (!allowed(code)) continue;
      kept[code] = p;
      total += p;
      if (!top || p > kept[top]!) top = code;
    }
    if (total > 0) for (const code of Object.keys(kept)) kept[code] = kept[code]! / total;
    restricted[name] = kept;
    if (top) picks.add(top);
    for (const code of Object.keys(kept)) candidates.add(code);
  }
  if (candidates.size === 0) return [];
  const logFloor = Math.log(cell.floor);
  const combined: { language: string; vote: number; evidence: number }[] = [];
  for (const language of candidates) {
    let vote = 0;
    let known = 0;
    let wKnown = 0;
    let wAll = 0;
    for (const name of ENGINE_NAMES) {
      const engine = restricted[name];
      const w = cell.weights[name];
      if (engine) wAll += w;
      if (!supported[name].has(language)) {
        if (engine) vote += w * (logFloor + cell.unsupported);
        continue;
      }
      if (!engine) continue;
      const l = w * Math.log(Math.max(engine[language] ?? 0, cell.floor));
      vote += l;
      known += l;
      wKnown += w;
    }
    // A candidate was returned by a running engine, so wKnown > 0. Evidence is on the softmax's
    // scale; the prior is added after the temperature.
    const prior =
      priorPower === 0 ? 0 : priorPower * Math.log(Math.max(SPEAKERS_MILLIONS[language] ?? 0, MIN_SPEAKERS));
    const evidence = (known * wAll) / wKnown / cell.temperature + prior;
    combined.push({ language, vote, evidence });
  }
  // The first guess: the best vote among the engines' first choices.
  let first = combined[0]!;
  for (const c of combined)
    if (picks.has(c.language) && (!picks.has(first.language) || c.vote > first.vote)) first = c;
  const rest = combined.filter((c) => c !== first).sort((a, b) => b.evidence - a.evidence);
  const ordered = [first, ...rest];
  const max = Math.max(...ordered.map((c) => c.evidence));
  const exp = ordered.map((c) => Math.exp(c.evidence - max));
  // When the evidence prefers another language than the vote, the first keeps at least its share.
  exp[0] = Math.max(...exp);
  const total = exp.reduce((a, b) => a + b, 0);
  return ordered.map((c, i) => ({ language: c.language, confidence: exp[i]! / total }));
}

/**
 * Applies the caller's cut-offs to ranked guesses: drops guesses below `minConfidence`, keeps at
 * most `maxResults`, and answers `[{ language: 'und', confidence }]` when the best guess is below
 * `undThreshold`. The confidence of `und` says how far the best guess fell short of the threshold,
 * `1 - best / undThreshold`: near 0 when it barely missed (an ambiguous text), 1 when no language
 * had any support.
 *
 * @example
 * ```ts
 * finalizeGuesses([{ language: 'en', confidence: 0.1 }], { undThreshold: 0.4, maxResults: 3, minConfidence: 0.01 });
 * // [{ language: 'und', confidence: 0.75 }]
 * ```
 */
export function finalizeGuesses(
  ranked: LanguageGuess[],
  opts: { undThreshold: number; maxResults: number; minConfidence: number },
): LanguageGuess[] {
  const best = ranked[0];
  if (!best || best.confidence < opts.undThreshold) {
    return [{ language: 'und', confidence: best ? round(1 - best.confidence / opts.undThreshold) : 1 }];
  }
  return ranked
    .filter((g, i) => i === 0 || g.confidence >= opts.minConfidence)
    .slice(0, opts.maxResults)
    .map((g) => ({ language: g.language, confidence: round(g.confidence) }));
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** True when the text has no letters at all (digits, punctuation, emoji, whitespace): nothing to identify. */
export function hasNoLetters(text: string): boolean {
  return !/\p{L}/u.test(text);
}

/**
 * The script group a script's calibration cell belongs to.
 *
 * @example
 * ```ts
 * scriptGroup('Cyrl'); // 'Cyrl'
 * scriptGroup('Hebr'); // 'other'
 * ```
 */
export function scriptGroup(script: ScriptCode): ScriptGroup {
  return (SCRIPT_GROUPS as readonly string[]).includes(script) ? (script as ScriptGroup) : 'other';
}

/**
 * The fitted cell for a script group and length class (falling back to the all-scripts cell).
 *
 * @example
 * ```ts
 * cellFor(CALIBRATION, 'Latn', 'word').weights; // { fasttext: …, tinyld: …, eld: … }
 * ```
 */
export function cellFor(params: CombineParams, group: ScriptGroup, cls: LengthClass): CellParams {
  const cell = params.cells[`${group}:${cls}`] ?? params.cells[`*:${cls}`];
  if (!cell) throw new Error(`No calibration cell for ${group}:${cls} or *:${cls}.`);
  return cell;
}

/**
 * The only language a script can be among `known` (Hangul → ko, Greek → el...), or undefined when
 * the script is written in several of them (Latin, Cyrillic, Arabic, Han...).
 *
 * @example
 * ```ts
 * forcedLanguage('Hang', new Set(['ko', 'en'])); // 'ko'
 * forcedLanguage('Cyrl', new Set(['ru', 'uk'])); // undefined
 * ```
 */
export function forcedLanguage(script: ScriptCode, known: ReadonlySet<string>): string | undefined {
  const langs = SCRIPT_LANGUAGES[script]?.filter((l) => known.has(l));
  return langs?.length === 1 ? langs[0] : undefined;
}
