import { describe, expect, it } from 'vitest';
import {
  type CombineParams,
  combineEngineScores,
  finalizeGuesses,
  hasNoLetters,
  normalizeLanguageCode,
  toEngineScores,
} from './postprocess.js';
import { prepareText } from './preprocess.js';

const params: CombineParams = {
  weights: { fasttext: 1, tinyld: 1, eld: 0.5 },
  floor: { fasttext: 0.01, tinyld: 0.01, eld: 0.01 },
  unsupported: { fasttext: 0, tinyld: 3, eld: 3 },
  eldPower: 1,
  temperature: 1,
};
const supported = {
  fasttext: new Set(['es', 'ca', 'pt', 'gl']),
  tinyld: new Set(['es', 'pt']),
  eld: new Set(['es', 'pt']),
};

describe('normalizeLanguageCode', () => {
  it('folds engine codes and region/script subtags', () => {
    expect(normalizeLanguageCode('__label__als')).toBe('gsw');
    expect(normalizeLanguageCode('pt-BR')).toBe('pt');
    expect(normalizeLanguageCode('zh-Hant')).toBe('zh');
    expect(normalizeLanguageCode('nb')).toBe('no');
    expect(normalizeLanguageCode('cmn')).toBe('zh');
  });
});

describe('toEngineScores', () => {
  it('normalises, applies a power and merges aliases', () => {
    const s = toEngineScores(
      [
        ['es', 0.5],
        ['pt', 0.25],
        ['cmn', 0],
      ],
      2,
      true,
    );
    expect(s.es).toBeCloseTo(0.8);
    expect(s.pt).toBeCloseTo(0.2);
    expect(s.zh).toBeUndefined();
  });
});

describe('combineEngineScores', () => {
  it('ranks the language the engines agree on first, confidences summing to 1', () => {
    const r = combineEngineScores(
      { fasttext: { es: 0.8, pt: 0.1 }, tinyld: { es: 0.9, pt: 0.1 }, eld: { es: 0.6, pt: 0.4 } },
      supported,
      params,
    );
    expect(r[0]!.language).toBe('es');
    expect(r.reduce((n, g) => n + g.confidence, 0)).toBeCloseTo(1);
  });
  it('lets a language only fastText knows win when fastText is sure', () => {
    const r = combineEngineScores(
      { fasttext: { ca: 0.95, es: 0.03 }, tinyld: { es: 1 }, eld: { es: 0.7, pt: 0.3 } },
      supported,
      params,
    );
    expect(r[0]!.language).toBe('ca');
  });
  it('returns nothing when no engine answered', () => {
    expect(combineEngineScores({}, supported, params)).toEqual([]);
  });
});

describe('finalizeGuesses', () => {
  const ranked = [
    { language: 'es', confidence: 0.7 },
    { language: 'pt', confidence: 0.295 },
    { language: 'gl', confidence: 0.005 },
  ];
  it('drops low guesses and caps the count', () => {
    expect(finalizeGuesses(ranked, { undThreshold: 0.3, maxResults: 3, minConfidence: 0.01 })).toEqual([
      { language: 'es', confidence: 0.7 },
      { language: 'pt', confidence: 0.295 },
    ]);
    expect(finalizeGuesses(ranked, { undThreshold: 0.3, maxResults: 1, minConfidence: 0 })).toHaveLength(1);
  });
  it('answers und below the threshold', () => {
    expect(finalizeGuesses(ranked, { undThreshold: 0.8, maxResults: 3, minConfidence: 0.01 })).toEqual([
      { language: 'und', confidence: 0.3 },
    ]);
    expect(finalizeGuesses([], { undThreshold: 0, maxResults: 3, minConfidence: 0 })[0]!.language).toBe(
      'und',
    );
  });
});

describe('text preparation', () => {
  it('removes URLs, e-mails and handles, collapses whitespace', () => {
    expect(prepareText('see https://x.org/a?b  now @bob a@b.com #tag')).toBe('see now tag');
  });
  it('knows when there is nothing to identify', () => {
    expect(hasNoLetters('12:30 !!! 🙂')).toBe(true);
    expect(hasNoLetters('ok')).toBe(false);
  });
});
