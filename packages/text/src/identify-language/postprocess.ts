import type { LanguageGuess } from './result.js';

/** One engine's output: probabilities (summing to at most 1) keyed by normalised language code. */
export type EngineScores = Record<string, number>;

/** The engines the combination uses. */
export const ENGINE_NAMES = ['fasttext', 'tinyld', 'eld'] as const;
/** Name of one engine. */
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Parameters of the calibrated combination (fitted by `scripts/calibrate-langid.mjs`). */
export interface CombineParams {
  /** Weight of each engine's log-probability. */
  weights: Record<EngineName, number>;
  /** Probability assumed for a language the engine supports but did not return. */
  floor: Record<EngineName, number>;
  /** Log-score offset (added to `log(floor)`) for a language the engine cannot return at all. */
  unsupported: Record<EngineName, number>;
  /** eld returns similarity scores; they become probabilities as `score^eldPower`, normalised. */
  eldPower: number;
  /** Softmax temperature turning combined scores into calibrated confidences. */
  temperature: number;
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

/**
 * Combines engine outputs into ranked guesses with calibrated confidences: a weighted sum of each
 * engine's log-probability (floored; languages an engine cannot produce get a fitted neutral
 * score), then a temperature softmax over the candidates.
 *
 * @example
 * ```ts
 * const ranked = combineEngineScores(
 *   { fasttext: { es: 0.9 }, tinyld: { es: 1 }, eld: { es: 0.8, pt: 0.2 } },
 *   supported,
 *   params,
 * );
 * ```
 */
export function combineEngineScores(
  scores: Partial<Record<EngineName, EngineScores>>,
  supported: Record<EngineName, ReadonlySet<string>>,
  params: CombineParams,
): LanguageGuess[] {
  const candidates = new Set<string>();
  for (const name of ENGINE_NAMES) for (const code of Object.keys(scores[name] ?? {})) candidates.add(code);
  if (candidates.size === 0) return [];
  const combined: { language: string; score: number }[] = [];
  for (const language of candidates) {
    let s = 0;
    for (const name of ENGINE_NAMES) {
      const engine = scores[name];
      const w = params.weights[name];
      if (!engine || w === 0) continue;
      const floor = params.floor[name];
      if (supported[name].has(language)) s += w * Math.log(Math.max(engine[language] ?? 0, floor));
      else s += w * (Math.log(floor) + params.unsupported[name]);
    }
    combined.push({ language, score: s });
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const c of combined) max = Math.max(max, c.score);
  let total = 0;
  const exp = combined.map((c) => {
    const e = Math.exp((c.score - max) / params.temperature);
    total += e;
    return e;
  });
  return combined
    .map((c, i) => ({ language: c.language, confidence: exp[i]! / total }))
    .sort((a, b) => b.confidence - a.confidence);
}

/**
 * Applies the caller's cut-offs to ranked guesses: drops guesses below `minConfidence`, keeps at
 * most `maxResults`, and answers `[{ language: 'und', confidence }]` when the best guess is below
 * `undThreshold` (the confidence reported is 1 minus the best guess's confidence).
 *
 * @example
 * ```ts
 * finalizeGuesses([{ language: 'en', confidence: 0.3 }], { undThreshold: 0.5, maxResults: 3, minConfidence: 0.01 });
 * // [{ language: 'und', confidence: 0.7 }]
 * ```
 */
export function finalizeGuesses(
  ranked: LanguageGuess[],
  opts: { undThreshold: number; maxResults: number; minConfidence: number },
): LanguageGuess[] {
  const best = ranked[0];
  if (!best || best.confidence < opts.undThreshold) {
    return [{ language: 'und', confidence: round(1 - (best?.confidence ?? 0)) }];
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
