import { describe, expect, it } from 'vitest';
import {
  type CellParams,
  type CombineParams,
  cellFor,
  combineEngineScores,
  finalizeGuesses,
  forcedLanguage,
  hasNoLetters,
  normalizeLanguageCode,
  scriptGroup,
  toEngineScores,
} from './postprocess.js';
import { prepareText } from './preprocess.js';

const params: CellParams = {
  weights: { fasttext: 1, tinyld: 1, eld: 0.5 },
  floor: 0.01,
  unsupported: 3,
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
  it('does not share the confidence with languages only one engine knows and no engine chose', () => {
    // A cell like the fitted Cyrillic ones: eld weighs most, and the vote's offset for languages an
    // engine cannot return puts ca (only fastText knows it, and gives it 0.0001) above es, every
    // engine's first choice. With confidences from that vote es and ca shared them (0.5 each: the
    // bug behind "Привет" → und); the confidences now read ca's own evidence.
    const cyrlLike: CellParams = {
      weights: { fasttext: 0.15, tinyld: 0.15, eld: 1 },
      floor: 0.03,
      unsupported: 3,
      temperature: 0.35,
    };
    const r = combineEngineScores(
      { fasttext: { es: 0.96, ca: 0.0001 }, tinyld: { es: 0.23, pt: 0.14 }, eld: { es: 0.29, pt: 0.25 } },
      supported,
      cyrlLike,
    );
    expect(r[0]!.language).toBe('es');
    expect(r[0]!.confidence).toBeGreaterThan(0.5);
    expect(r.find((g) => g.language === 'ca')!.confidence).toBeLessThan(0.01);
    expect(r.map((g) => g.confidence)).toEqual([...r.map((g) => g.confidence)].sort((a, b) => b - a));
  });
  it('weights the confidences by how many speak each language, when asked to', () => {
    // Two equally likely Cyrillic languages: Russian has far more speakers than Bashkir.
    const cyr = {
      fasttext: new Set(['ru', 'ba']),
      tinyld: new Set(['ru', 'ba']),
      eld: new Set(['ru', 'ba']),
    };
    const even = { fasttext: { ru: 0.5, ba: 0.5 }, tinyld: { ru: 0.5, ba: 0.5 }, eld: { ru: 0.5, ba: 0.5 } };
    const flat = combineEngineScores(even, cyr, params);
    expect(flat[0]!.confidence).toBeCloseTo(0.5);
    const weighted = combineEngineScores(even, cyr, params, () => true, 1);
    expect(weighted.find((g) => g.language === 'ru')!.confidence).toBeGreaterThan(0.9);
  });
  it('returns nothing when no engine answered', () => {
    expect(combineEngineScores({}, supported, params)).toEqual([]);
  });
  it('keeps only languages the script allows, and leaves out engines weighted 0', () => {
    // Single Han characters used to come back as Occitan: a language no engine put first.
    const scores = {
      fasttext: { oc: 0.5, zh: 0.3, ja: 0.2 },
      tinyld: { ja: 1 },
      eld: { zh: 0.97, ja: 0.03 },
    };
    const han = (l: string) => ['zh', 'ja'].includes(l);
    const r = combineEngineScores(
      scores,
      { ...supported, fasttext: new Set(['oc', 'zh', 'ja']) },
      params,
      han,
    );
    expect(r.map((g) => g.language).sort()).toEqual(['ja', 'zh']);
    const eldOnly = { ...params, weights: { fasttext: 0, tinyld: 0, eld: 1 } };
    expect(combineEngineScores(scores, supported, eldOnly, han)[0]!.language).toBe('zh');
  });
  it('never puts first a language that no engine put first', () => {
    // pt is every engine's second choice: the sum of logs prefers it, the rule does not.
    const split = {
      fasttext: { es: 0.5, pt: 0.45 },
      tinyld: { gl: 0.5, pt: 0.45 },
      eld: { ca: 0.5, pt: 0.45 },
    };
    const all = new Set(['es', 'pt', 'gl', 'ca']);
    const r = combineEngineScores(split, { fasttext: all, tinyld: all, eld: all }, params);
    expect(['es', 'gl', 'ca']).toContain(r[0]!.language);
    expect(r[0]!.confidence).toBeGreaterThanOrEqual(r[1]!.confidence);
  });
});

describe('calibration cells', () => {
  const cp: CombineParams = {
    eldPower: 32,
    forcedConfidence: 0.99,
    priorPower: 0,
    cells: { 'Latn:word': params, '*:word': { ...params, floor: 0.5 } },
  };
  it('picks the cell of the script group, else the all-scripts cell of the length class', () => {
    expect(cellFor(cp, 'Latn', 'word')).toBe(params);
    expect(cellFor(cp, 'Cyrl', 'word').floor).toBe(0.5);
    expect(() => cellFor(cp, 'Latn', 'pair')).toThrow(/Latn:pair/);
    expect(scriptGroup('Hebr')).toBe('other');
    expect(scriptGroup('Hani')).toBe('Hani');
  });
  it('answers by script alone only where one known language is written in it', () => {
    const known = new Set(['ko', 'ja', 'zh', 'ru', 'uk', 'el']);
    expect(forcedLanguage('Hang', known)).toBe('ko');
    expect(forcedLanguage('Kana', known)).toBe('ja');
    expect(forcedLanguage('Grek', known)).toBe('el');
    expect(forcedLanguage('Hani', known)).toBeUndefined();
    expect(forcedLanguage('Cyrl', known)).toBeUndefined();
    expect(forcedLanguage('Cyrl', new Set(['ru']))).toBe('ru');
    expect(forcedLanguage('Latn', known)).toBeUndefined();
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
  it('answers und below the threshold, as confident as the best guess fell short of it', () => {
    // 0.7 against 0.8: barely short, so und is not confident (it was 1 - 0.7 = 0.3 before).
    expect(finalizeGuesses(ranked, { undThreshold: 0.8, maxResults: 3, minConfidence: 0.01 })).toEqual([
      { language: 'und', confidence: 0.125 },
    ]);
    expect(
      finalizeGuesses([{ language: 'en', confidence: 0.03 }], {
        undThreshold: 0.3,
        maxResults: 3,
        minConfidence: 0,
      }),
    ).toEqual([{ language: 'und', confidence: 0.9 }]);
    expect(finalizeGuesses([], { undThreshold: 0.3, maxResults: 3, minConfidence: 0 })).toEqual([
      { language: 'und', confidence: 1 },
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
