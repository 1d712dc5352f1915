import { readFileSync } from 'node:fs';
import { AbortedError, DisposedError, InputError, OptionsError } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLanguageIdentifier,
  identifyLanguage,
  identifyLanguages,
  type LanguageIdentifier,
} from './identify-language.js';
import { normalizeLanguageCode } from './postprocess.js';

interface Sample {
  lang: string;
  text: string;
}
const read = (f: string): Sample[] =>
  readFileSync(datasetPath('language', 'langid', f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Sample);

describe('identifyLanguage (fastText lid.176 + tinyld + eld, calibrated)', () => {
  let id: LanguageIdentifier;
  beforeAll(async () => {
    id = await createLanguageIdentifier({ undThreshold: 0 });
  });
  afterAll(() => id.dispose());

  it('covers at least 100 languages', () => {
    expect(id.languages.length).toBeGreaterThanOrEqual(100);
    expect(id.languages).toContain('sw');
  });

  // Measured 0.951 overall, 0.880 on two-word prefixes (scripts/eval-langid.mjs); floors a bit below.
  it('is accurate on the shared 30-language set', async () => {
    const tatoeba = read('tatoeba_langid.jsonl');
    const all = [...tatoeba, ...read('udhr_article1_langid.jsonl')];
    const guesses = await id.identifyMany(all.map((s) => s.text));
    const acc =
      guesses.filter((g, i) => g[0]!.language === normalizeLanguageCode(all[i]!.lang)).length / all.length;
    expect(acc).toBeGreaterThanOrEqual(0.94);
    const twoWords = tatoeba.filter((s) => !/^(zh|ja|th)/.test(s.lang));
    const short = await id.identifyMany(twoWords.map((s) => s.text.split(/\s+/).slice(0, 2).join(' ')));
    const accShort =
      short.filter((g, i) => g[0]!.language === normalizeLanguageCode(twoWords[i]!.lang)).length /
      twoWords.length;
    expect(accShort).toBeGreaterThanOrEqual(0.84);
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
