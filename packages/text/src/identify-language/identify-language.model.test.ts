import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AbortedError, DisposedError, InputError, OptionsError } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLanguageIdentifier,
  identifyLanguage,
  identifyLanguages,
  type LanguageIdentifier,
} from './identify-language.js';
import { CALIBRATION } from './calibration.js';
import {
  ELD_DATABASES,
  ELD_LANGUAGES,
  loadEldEngine,
  loadFastTextEngine,
  loadTinyldEngine,
  TINYLD_LANGUAGES,
} from './engines.js';
import { cellFor, normalizeLanguageCode, scriptGroup } from './postprocess.js';
import { prepareText } from './preprocess.js';
import { detectScript, languageFitsScript, lengthClass, SCRIPT_LANGUAGES } from './script.js';

interface Sample {
  lang: string;
  text: string;
  len?: LengthClass;
}
type LengthClass = 'word' | 'pair' | 'sentence';
const CLASSES: readonly LengthClass[] = ['word', 'pair', 'sentence'];
// Measured (scripts/eval-langid.mjs): own TEST 0.479 / 0.569 / 0.882, shared 0.673 / 0.860 / 0.929.
// The old rule measured 0.445 / 0.560 / 0.877 on own TEST and fails all three own floors.
const FLOORS = {
  own: { word: 0.465, pair: 0.565, sentence: 0.878 },
  shared: { word: 0.66, pair: 0.84, sentence: 0.92 },
};
const read = (f: string): Sample[] =>
  readFileSync(datasetPath('language', 'langid', f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Sample);

const readOwn = (part: 'fit' | 'test'): Sample[] =>
  readFileSync(fileURLToPath(new URL(`../../eval/langid-${part}.jsonl`, import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Sample);
// The TEST part of the package's own evaluation set (eval/MANIFEST.md): never used for fitting.
const ownTest = readOwn('test');

/** Top-1 accuracy per length class, over the items `keep` accepts. */
function accuracy(
  answers: readonly string[],
  set: Sample[],
  keep: (s: Sample) => boolean = () => true,
): Record<LengthClass, number> {
  const out = {} as Record<LengthClass, number>;
  for (const c of CLASSES) {
    const idx = set.map((s, i) => (s.len === c && keep(s) ? i : -1)).filter((i) => i >= 0);
    out[c] = idx.filter((i) => answers[i] === normalizeLanguageCode(set[i]!.lang)).length / idx.length;
  }
  return out;
}
const firstAnswers = async (id: LanguageIdentifier, set: Sample[]) =>
  (await id.identifyMany(set.map((s) => s.text))).map((g) => g[0]!.language);
async function perLength(id: LanguageIdentifier, set: Sample[]): Promise<Record<LengthClass, number>> {
  return accuracy(await firstAnswers(id, set), set);
}

describe('identifyLanguage (script first, then fastText lid.176 / tinyld / eld per fitted cell)', () => {
  let id: LanguageIdentifier;
  beforeAll(async () => {
    id = await createLanguageIdentifier({ undThreshold: 0 });
  });
  afterAll(() => id.dispose());

  it('covers at least 100 languages', () => {
    expect(id.languages.length).toBeGreaterThanOrEqual(100);
    expect(id.languages).toContain('sw');
  });

  // Floors a little below what scripts/eval-langid.mjs measured (see README); the old rule
  // (UDHR-fitted vote of all three engines) fails them.
  // The languages all three engines support, from their label lists (not from any result).
  const core = (s: Sample) =>
    ELD_LANGUAGES.includes(normalizeLanguageCode(s.lang)) &&
    TINYLD_LANGUAGES.includes(normalizeLanguageCode(s.lang)) &&
    id.languages.includes(normalizeLanguageCode(s.lang));
  it('is never below any engine alone, at any length, on its TEST set: all, core and FIT-selected languages', async () => {
    // FIT-selected (as scripts/eval-langid.mjs defines it, from FIT answers only): the languages
    // whose FIT word pairs the combined identifier gets >= 85 % right, of at least 5.
    const fitPairs = readOwn('fit').filter((s) => s.len === 'pair');
    const fitAnswers = await firstAnswers(id, fitPairs);
    const perLang = new Map<string, [number, number]>();
    fitPairs.forEach((s, i) => {
      const lang = normalizeLanguageCode(s.lang);
      const [ok, n] = perLang.get(lang) ?? [0, 0];
      perLang.set(lang, [ok + (fitAnswers[i] === lang ? 1 : 0), n + 1]);
    });
    const selected = new Set([...perLang].filter(([, [ok, n]]) => n >= 5 && ok / n >= 0.85).map(([l]) => l));
    expect(selected.size).toBeGreaterThanOrEqual(35);
    const views = {
      all: () => true,
      core,
      fitSelected: (s: Sample) => selected.has(normalizeLanguageCode(s.lang)),
    };
    const mine = await firstAnswers(id, ownTest);
    const combined = Object.fromEntries(
      Object.entries(views).map(([v, keep]) => [v, accuracy(mine, ownTest, keep)]),
    ) as Record<keyof typeof views, Record<LengthClass, number>>;
    for (const engine of ['fasttext', 'tinyld', 'eld'] as const) {
      const alone = await createLanguageIdentifier({ engine, undThreshold: 0 });
      const theirs = await firstAnswers(alone, ownTest);
      alone.dispose();
      for (const [view, keep] of Object.entries(views)) {
        const single = accuracy(theirs, ownTest, keep);
        for (const c of CLASSES)
          expect(combined[view as keyof typeof views][c], `${view} ${c} vs ${engine}`).toBeGreaterThanOrEqual(
            single[c],
          );
      }
    }
    expect(combined.all.word).toBeGreaterThanOrEqual(FLOORS.own.word);
    expect(combined.all.pair).toBeGreaterThanOrEqual(FLOORS.own.pair);
    expect(combined.all.sentence).toBeGreaterThanOrEqual(FLOORS.own.sentence);
    // The bars, on the core and the FIT-selected languages: words 70 %, pairs 85 %, sentences 95 %.
    for (const view of ['core', 'fitSelected'] as const) {
      expect(combined[view].word, `${view} words`).toBeGreaterThanOrEqual(0.7);
      expect(combined[view].pair, `${view} pairs`).toBeGreaterThanOrEqual(0.85);
      expect(combined[view].sentence, `${view} sentences`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('is accurate on the shared 30-language set, per length', async () => {
    const tatoeba = read('tatoeba_langid.jsonl');
    const all = [...tatoeba, ...read('udhr_article1_langid.jsonl')];
    const spaced = (s: Sample) => !/^(zh|ja|th)/.test(s.lang);
    const prefix = (s: Sample, n: number) =>
      spaced(s)
        ? s.text.split(/\s+/).slice(0, n).join(' ')
        : [...s.text.replace(/[\s\p{P}]/gu, '')].slice(0, 2 * n).join('');
    const set: Sample[] = [
      ...all.map((s) => ({ ...s, len: 'sentence' as const })),
      ...tatoeba.map((s) => ({ lang: s.lang, text: prefix(s, 1), len: 'word' as const })),
      ...tatoeba.map((s) => ({ lang: s.lang, text: prefix(s, 2), len: 'pair' as const })),
    ];
    const acc = await perLength(id, set);
    expect(acc.word).toBeGreaterThanOrEqual(FLOORS.shared.word);
    expect(acc.pair).toBeGreaterThanOrEqual(FLOORS.shared.pair);
    expect(acc.sentence).toBeGreaterThanOrEqual(FLOORS.shared.sentence);
  });

  it('reads the script first: single Han, kana and Hangul characters are never Occitan', async () => {
    const one = async (t: string) => (await id.identify(t))[0]!.language;
    for (const t of ['水', '日', '中', '的', '猫', '犬'])
      expect(['zh', 'ja', 'yue', 'wuu']).toContain(await one(t));
    for (const t of ['カ', 'の', 'ありがとう']) expect(await one(t)).toBe('ja');
    expect(await one('한')).toBe('ko');
    expect(await one('Ελλάδα')).toBe('el');
    expect(['ru', 'uk', 'bg', 'be', 'mk', 'sr']).toContain(await one('привет'));
  });

  it('never answers a language no engine put first, unless the script forces it', async () => {
    const [ft, tiny, ...elds] = await Promise.all([
      loadFastTextEngine({}),
      loadTinyldEngine(),
      ...ELD_DATABASES.map((db) => loadEldEngine(32, db)),
    ]);
    const answers = await id.identifyMany(ownTest.map((s) => s.text));
    const invented: string[] = [];
    ownTest.forEach((s, i) => {
      const text = prepareText(s.text);
      const script = detectScript(text);
      // eld as the text's cell runs it (its database).
      const db = cellFor(CALIBRATION, scriptGroup(script), lengthClass(text, script)).eldDatabase ?? 'large';
      const eld = elds[ELD_DATABASES.indexOf(db)]!;
      const picks = new Set<string>();
      for (const e of [ft, tiny, eld]) {
        const ranked = Object.entries(e.score(text)).sort((a, b) => b[1] - a[1]);
        if (ranked[0]) picks.add(ranked[0][0]);
        const inScript = ranked.find(([l]) => languageFitsScript(l, script));
        if (inScript) picks.add(inScript[0]);
      }
      const answer = answers[i]![0]!.language;
      // 'und' (no engine had a language of this script) is no invention.
      if (answer !== 'und' && !picks.has(answer) && !SCRIPT_LANGUAGES[script]?.includes(answer))
        invented.push(`${s.text}→${answer}`);
    });
    expect(invented).toEqual([]);
  });

  it("knows the engines' languages without loading them", async () => {
    expect(new Set(TINYLD_LANGUAGES)).toEqual((await loadTinyldEngine()).supported);
    expect(new Set(ELD_LANGUAGES)).toEqual((await loadEldEngine(32)).supported);
  });

  it('returns calibrated, sorted guesses and und when unsure', async () => {
    const [best, ...rest] = await identifyLanguage('Das ist ein kleines Haus am See.');
    expect(best).toMatchObject({ language: 'de' });
    expect(best!.confidence).toBeGreaterThan(0.9);
    for (const g of rest) expect(g.confidence).toBeLessThanOrEqual(best!.confidence);
    expect(await identifyLanguage('12345 :-)')).toEqual([{ language: 'und', confidence: 1 }]);
    expect((await identifyLanguage('ok', { undThreshold: 0.99 }))[0]!.language).toBe('und');
    const many = await identifyLanguages(['Hello, how are you today?', 'Où est la gare, s’il vous plaît ?']);
    expect(many.map((g) => g[0]!.language)).toEqual(['en', 'fr']);
  });

  it('rejects bad input and options with the core error classes', async () => {
    await expect(id.identify(42 as unknown as string)).rejects.toBeInstanceOf(InputError);
    await expect(id.identify('hi', { maxResults: 0 })).rejects.toBeInstanceOf(OptionsError);
    await expect(createLanguageIdentifier({ engine: 'cld9' as 'eld' })).rejects.toBeInstanceOf(OptionsError);
    const ac = new AbortController();
    ac.abort();
    await expect(id.identify('hola', { signal: ac.signal })).rejects.toBeInstanceOf(AbortedError);
    const other = await createLanguageIdentifier({ engine: 'tinyld' });
    other.dispose();
    await expect(other.identify('hola')).rejects.toBeInstanceOf(DisposedError);
  });
});
