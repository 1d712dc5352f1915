import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError, ModelLoadError, OptionsError } from '@ondevice/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { missingModelMessage } from '../src/translate/missing-model.js';
import { listTranslationModels } from '../src/translate/registry.js';
import type { TranslationResult } from '../src/translate/result.js';
import { createTranslator, type Translator, translate } from '../src/translate/translate.js';
import {
  TINY_MARIAN_EN_ES_VOCABULARY,
  VocabularyCoverageError,
  vocabularyCoverage,
} from '../src/translate/vocabulary.js';

// Issue #22: the built-in demo model answered anything outside its template vocabulary with
// fluent-looking nonsense ("The weather is nice today." → "Suó escrimos que viene."), with no sign
// of it. Now it is used only when named, every result says how much of the input it knows, and it
// refuses input below minCoverage (default 0.8).

/** Twenty everyday sentences written for this test, each with words the demo model never saw. */
export const OUT_OF_VOCABULARY = [
  'The weather is nice today.',
  'It seems that everybody likes golf.',
  'Could you pass me the salt, please?',
  'I am looking forward to the weekend.',
  'She forgot her umbrella at the restaurant.',
  'My grandmother grows tomatoes in her backyard.',
  'The meeting has been moved to Thursday afternoon.',
  'Please turn off the lights when you leave.',
  'How much does this jacket cost?',
  'We missed the bus because of the traffic.',
  'He usually drinks coffee before work.',
  'The children are playing football outside.',
  "Don't forget to call your dentist.",
  'Our flight was delayed by two hours.',
  'I need to charge my laptop.',
  "The museum opens at nine o'clock.",
  'Can you recommend a good hotel nearby?',
  'They celebrated their anniversary last night.',
  'The soup is too salty for me.',
  'Turn left at the next traffic light.',
];

const modelDir = fileURLToPath(new URL('../../text-demo-model/tiny-marian-en-es/', import.meta.url));
const heldout = readFileSync(`${modelDir}heldout.tsv`, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => l.split('\t')[0]!);

describe('the demo model is used only when named', () => {
  it('is listed as a demo, and a pair without a real model says what to do (Node wording)', async () => {
    expect((await listTranslationModels()).find((m) => m.id === 'tiny-marian-en-es')).toMatchObject({
      demo: true,
      builtIn: true,
    });
    const error = await createTranslator({ from: 'en', to: 'es' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    const message = (error as Error).message;
    expect(message).toContain("registerTranslationModel({ from: 'en', to: 'es', spec: opusMtSpec(");
    expect(message).toContain('make-spec.js');
    expect(message).toContain("model: 'tiny-marian-en-es'");
    expect(message).not.toMatch(/browser/i);
    await expect(translate('the cat', { from: 'en', to: 'es' })).rejects.toBeInstanceOf(ModelLoadError);
    const de = await createTranslator({ from: 'en', to: 'de' }).catch((e: unknown) => e);
    expect((de as Error).message).toContain('Helsinki-NLP/opus-mt-en-de');
    expect((de as Error).message).not.toContain('tiny-marian');
  });

  it('refuses a model name that does not exist or does not fit the pair', async () => {
    await expect(createTranslator({ from: 'en', to: 'es', model: 'nope' })).rejects.toBeInstanceOf(
      OptionsError,
    );
    await expect(createTranslator({ from: 'en', to: 'de', model: 'tiny-marian-en-es' })).rejects.toThrow(
      /translates en→es, not en→de/,
    );
  });

  it('words the advice for browsers: the built-in Translator when there is one, else hosted OPUS-MT files', () => {
    const base = { from: 'en', to: 'de', node: false, registered: [] };
    const absent = missingModelMessage({ ...base, builtIn: 'absent' });
    expect(absent).toMatch(/This browser has no built-in Translator API/);
    expect(absent).toContain('modelBaseUrl');
    expect(absent).not.toContain('make-spec.js <folder>`');
    expect(missingModelMessage({ ...base, builtIn: 'available' })).toContain("engine: 'auto'");
    expect(missingModelMessage({ ...base, builtIn: 'unavailable' })).toMatch(/does not offer en→de/);
  });

  it('loads without the third-party MarianTokenizer warning on the console', async () => {
    const warn = vi.spyOn(console, 'warn');
    const t = await createTranslator({ from: 'en', to: 'es', model: 'tiny-marian-en-es' });
    t.dispose();
    expect(warn.mock.calls.flat().join(' ')).not.toMatch(/MarianTokenizer/);
    warn.mockRestore();
  });
});

describe('demo model results say how much of the input it knows', () => {
  let t: Translator;
  beforeAll(async () => {
    t = await createTranslator({ from: 'en', to: 'es', model: 'tiny-marian-en-es' });
  });
  afterAll(() => t.dispose());

  it('knows every word of its held-out template sentences', () => {
    expect(vocabularyCoverage(heldout, TINY_MARIAN_EN_ES_VOCABULARY)).toMatchObject({
      coverage: 1,
      outOfVocabulary: [],
    });
  });

  it('still translates template sentences, with coverage 1', async () => {
    const r = await t.translate([
      'the cat',
      'The cat eats an apple.',
      'My sister will visit the city tomorrow.',
    ]);
    expect(r.text).toEqual(['el gato', 'El gato come una manzana.', 'Mi hermana visitará la ciudad mañana.']);
    expect(r).toMatchObject({ coverage: 1, outOfVocabulary: [] });
    expect(r.warning).toMatch(/demo model tiny-marian-en-es/);
  });

  it.each(OUT_OF_VOCABULARY)('flags or refuses %j', async (sentence) => {
    const outcome: TranslationResult | Error = await t.translate(sentence).then(
      (r) => r,
      (e: Error) => e,
    );
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(VocabularyCoverageError);
      expect(outcome).toBeInstanceOf(InputError);
      const e = outcome as VocabularyCoverageError;
      expect(e.coverage).toBeLessThan(0.8);
      expect(e.outOfVocabulary.length).toBeGreaterThan(0);
      expect(e.message).toMatch(/demo model/);
      expect(e.message).toContain('registerTranslationModel(');
    } else {
      expect(outcome.coverage).toBeLessThan(1);
      expect(outcome.outOfVocabulary?.length).toBeGreaterThan(0);
      expect(outcome.warning).toMatch(/nonsense/);
    }
  });

  it('refuses below minCoverage and flags above it', async () => {
    await expect(t.translate('The weather is nice today.')).rejects.toThrow(/knows 60% of this text's words/);
    const flagged = await t.translate('The weather is nice today.', { minCoverage: 0 });
    expect(flagged).toMatchObject({ coverage: 0.6, outOfVocabulary: ['weather', 'nice'] });
    const one = await t.translate('The cat eats a sandwich.'); // 4 of 5 words known: flagged, not refused
    expect(one).toMatchObject({ coverage: 0.8, outOfVocabulary: ['sandwich'] });
  });
});
