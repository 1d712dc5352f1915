import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CALIBRATION } from './calibration.js';
import type { LangIdEngine } from './engines.js';
import { createLanguageIdentifier } from './identify-language.js';
import { cellFor, ENGINE_NAMES, type EngineName } from './postprocess.js';

// Fake engines (no model needed): each answers German and records that it was loaded.
const loaded: EngineName[] = [];
const eldDatabases: string[] = [];
const fake = (name: EngineName): LangIdEngine => {
  loaded.push(name);
  return {
    name,
    supported: new Set(['de', 'en', 'zh', 'ja', 'ru', 'uk']),
    score: () => ({ de: 0.6, ru: 0.3, en: 0.1 }),
  };
};
vi.mock('./engines.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./engines.js')>();
  return {
    ...real,
    loadFastTextEngine: async () => fake('fasttext'),
    loadTinyldEngine: async () => fake('tinyld'),
    loadEldEngine: async (_power: number, database = 'large') => {
      eldDatabases.push(database);
      return fake('eld');
    },
  };
});

describe('createLanguageIdentifier loads engines lazily', () => {
  beforeEach(() => {
    loaded.length = 0;
    eldDatabases.length = 0;
  });

  it('loads nothing up front, nor for a text its script decides', async () => {
    const id = await createLanguageIdentifier();
    expect(loaded).toEqual([]);
    expect((await id.identify('작은 집입니다.'))[0]!.language).toBe('ko');
    expect((await id.identify('Ελλάδα'))[0]!.language).toBe('el');
    expect(loaded).toEqual([]);
  });

  it('loads only the engines the cell of the text uses, once', async () => {
    const id = await createLanguageIdentifier();
    const cell = cellFor(CALIBRATION, 'Latn', 'sentence');
    const used = ENGINE_NAMES.filter((n) => cell.weights[n] > 0);
    expect(used.length).toBeLessThan(3); // the fitted Latin-sentence cell leaves an engine out
    expect((await id.identify('Das ist ein kleines Haus.'))[0]!.language).toBe('de');
    await id.identify('Das ist ein anderes Haus.');
    expect([...loaded].sort()).toEqual([...used].sort());
  });

  it("loads the eld database each script's cell names, and no other", async () => {
    const id = await createLanguageIdentifier();
    const want = new Set<string>();
    for (const [group, text] of [
      ['Latn', 'Das ist ein kleines Haus.'],
      ['Cyrl', 'Это маленький дом.'],
    ] as const) {
      const cell = cellFor(CALIBRATION, group, 'sentence');
      if (cell.weights.eld > 0) want.add(cell.eldDatabase ?? 'large');
      await id.identify(text);
    }
    expect(new Set(eldDatabases)).toEqual(want);
    expect(eldDatabases.length).toBe(want.size); // each database loaded once
  });

  it('loads a single engine when it is created', async () => {
    await createLanguageIdentifier({ engine: 'tinyld' });
    expect(loaded).toEqual(['tinyld']);
  });
});
