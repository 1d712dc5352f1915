import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CALIBRATION } from './calibration.js';
import type { LangIdEngine } from './engines.js';
import { createLanguageIdentifier } from './identify-language.js';
import { cellFor, ENGINE_NAMES, type EngineName } from './postprocess.js';

// Fake engines (no model needed): each answers German and records that it was loaded.
const loaded: EngineName[] = [];
const fake = (name: EngineName): LangIdEngine => {
  loaded.push(name);
  return { name, supported: new Set(['de', 'en', 'zh', 'ja']), score: () => ({ de: 0.9, en: 0.1 }) };
};
vi.mock('./engines.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./engines.js')>();
  return {
    ...real,
    loadFastTextEngine: async () => fake('fasttext'),
    loadTinyldEngine: async () => fake('tinyld'),
    loadEldEngine: async () => fake('eld'),
  };
});

describe('createLanguageIdentifier loads engines lazily', () => {
  beforeEach(() => {
    loaded.length = 0;
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

  it('loads a single engine when it is created', async () => {
    await createLanguageIdentifier({ engine: 'tinyld' });
    expect(loaded).toEqual(['tinyld']);
  });
});
