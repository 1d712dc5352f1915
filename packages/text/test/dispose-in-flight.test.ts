import { DisposedError } from '@ondevice/core';
import { type DisposeOutcome, settleOrDisposed } from '@ondevice/testkit';
import { describe, expect, it } from 'vitest';
import { createLanguageIdentifier } from '../src/identify-language/identify-language.js';
import { createTranslator } from '../src/translate/translate.js';

// Issue #16: disposing a translator with calls in flight gave onnxruntime's raw
// "Error: Session already disposed." Every call in flight, queued or later must settle — with its
// result or a DisposedError — and never hang.

const BOUND_MS = 15_000;
type Outcome = DisposeOutcome;

/** Settles a call within the bound: its result, a DisposedError, or a failure naming what came instead. */
const settle = (p: Promise<unknown>): Promise<Outcome> => settleOrDisposed(p, BOUND_MS);

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
// 40 template sentences: five batches of eight, so a dispose lands between or inside model calls.
const TEXT = Array.from({ length: 40 }, (_, i) =>
  i % 2 ? 'The big dog eats an apple.' : 'My sister will visit the city tomorrow.',
).join(' ');

describe('translator: dispose with calls in flight', () => {
  it.each([
    ['synchronously after the call', -1],
    ['after one tick', 0],
    ['after 5 ms', 5],
    ['after 30 ms', 30],
    ['after 120 ms', 120],
  ])('settles every call when disposed %s', async (_, delay) => {
    const t = await createTranslator({ from: 'en', to: 'es', model: 'tiny-marian-en-es' });
    const calls = [t.translate(TEXT), t.translate(TEXT), t.translate(['the cat', TEXT])]; // concurrent
    if (delay >= 0) await tick(delay);
    t.dispose();
    const late = settle(t.translate('the cat'));
    const outcomes = await Promise.all(calls.map(settle));
    for (const o of outcomes) expect(['result', 'disposed']).toContain(o);
    expect(await late).toBe('disposed');
    t.dispose(); // twice is fine
  });

  it('lets a call that ends before dispose keep its result', async () => {
    const t = await createTranslator({ from: 'en', to: 'es', model: 'tiny-marian-en-es' });
    const r = await t.translate('the cat');
    t.dispose();
    expect(r.text).toBe('el gato');
    await expect(t.translate('the cat')).rejects.toBeInstanceOf(DisposedError);
  });
});

describe('language identifier: dispose with calls in flight', () => {
  const texts = Array.from({ length: 3000 }, (_, i) => (i % 2 ? 'Das ist ein Haus.' : 'This is a house.'));
  it.each([
    ['synchronously after the call', -1],
    ['after one tick', 0],
    ['after 2 ms', 2],
  ])('settles identify and identifyMany when disposed %s', async (_, delay) => {
    const langid = await createLanguageIdentifier();
    const calls = [langid.identifyMany(texts), langid.identify('Bonjour à tous'), langid.identifyMany(texts)];
    if (delay >= 0) await tick(delay);
    langid.dispose();
    const outcomes = await Promise.all(calls.map(settle));
    for (const o of outcomes) expect(['result', 'disposed']).toContain(o);
    // A long batch stops at its next yield instead of running to the end after dispose.
    if (delay === 0) expect(outcomes[0]).toBe('disposed');
    await expect(langid.identify('Hello there')).rejects.toBeInstanceOf(DisposedError);
    await expect(langid.identifyMany(['Hello there'])).rejects.toBeInstanceOf(DisposedError);
  });
});
