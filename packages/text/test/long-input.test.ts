import { InputError } from '@ondevice/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { identifyLanguage } from '../src/identify-language/identify-language.js';
import {
  MAX_SENTENCE_CHARS,
  SEGMENT_WINDOW_CHARS,
  segmentText,
  splitSentences,
} from '../src/translate/preprocess.js';
import { createTranslator, type Translator, translate } from '../src/translate/translate.js';

// Issue #16: translate() on ~1 MB of text died with a V8 heap abort (Intl.Segmenter over a whole
// paragraph grows faster than its input). Long paragraphs are now cut into bounded windows before
// segmenting, sentences are bounded, and input beyond maxInputLength is refused at once.

const SENTENCE = 'The cat eats an apple. ';

describe('sentence splitting of long text', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('never hands the segmenter more than a window, and keeps every sentence', () => {
    const seen: number[] = [];
    const original = Intl.Segmenter.prototype.segment;
    vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (this: Intl.Segmenter, s) {
      seen.push(s.length);
      return original.call(this, s);
    });
    const n = 2500; // 57,500 characters in one paragraph
    const sentences = splitSentences(SENTENCE.repeat(n), 'en');
    expect(Math.max(...seen)).toBeLessThanOrEqual(SEGMENT_WINDOW_CHARS ?? 4096);
    expect(sentences).toHaveLength(n);
    expect(new Set(sentences)).toEqual(new Set(['The cat eats an apple.']));
  });

  it('cuts windows at sentence ends, also in scripts written without spaces', () => {
    const zh = '猫吃苹果。'.repeat(3000);
    const parts = splitSentences(zh, 'zh');
    expect(parts.join('')).toBe(zh);
    expect(parts.every((p) => p === '猫吃苹果。')).toBe(true);
  });

  it('cuts a sentence without punctuation into bounded pieces, losing no word', () => {
    const words = 'the big dog runs in the park and the cat sleeps'.split(' ');
    const text = Array.from({ length: 1000 }, (_, i) => words[i % words.length]).join(' ');
    const parts = splitSentences(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
    expect(parts.join(' ')).toBe(text);
    const glued = 'x'.repeat(3 * MAX_SENTENCE_CHARS);
    expect(splitSentences(glued).join('')).toBe(glued);
    expect(Math.max(...splitSentences(glued).map((p) => p.length))).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
  });

  it('keeps paragraphs of a long text', () => {
    const seg = segmentText(`${SENTENCE.repeat(400)}\n\n${SENTENCE.repeat(3)}`);
    expect(seg.paragraphs.map((p) => p.length)).toEqual([400, 3]);
  });
});

describe('translate refuses input beyond maxInputLength at once', () => {
  let t: Translator;
  beforeAll(async () => {
    t = await createTranslator({ from: 'en', to: 'es', model: 'tiny-marian-en-es' });
  });
  afterAll(() => t.dispose());

  it('rejects more than the default 100,000 characters with InputError saying the limit and what to do', async () => {
    const long = SENTENCE.repeat(Math.ceil(100_001 / SENTENCE.length));
    const error = await t.translate(long).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/limit is 100,000 \(maxInputLength/);
    expect((error as Error).message).toMatch(/Split it/);
    // The array form counts all its texts together.
    await expect(t.translate([long.slice(0, 60_000), long.slice(0, 60_000)])).rejects.toBeInstanceOf(
      InputError,
    );
  }, 15_000);

  it('takes the limit from the translator or the call', async () => {
    const small = await createTranslator({
      from: 'en',
      to: 'es',
      model: 'tiny-marian-en-es',
      maxInputLength: 30,
    });
    await expect(small.translate('The cat eats an apple. The dog sleeps.')).rejects.toThrow(/limit is 30 /);
    expect((await small.translate('the cat', { maxInputLength: 100 })).text).toBe('el gato');
    small.dispose();
    await expect(t.translate('the black cat', { maxInputLength: 5 })).rejects.toBeInstanceOf(InputError);
  }, 15_000);

  it('refuses in the one-line function before identifying the language or loading a model', async () => {
    const huge = 'a '.repeat(600_000); // 1.2 MB
    await expect(translate(huge, { to: 'es' })).rejects.toThrow(/limit is 100,000/);
    await expect(
      translate([huge], { from: 'en', to: 'es', model: 'tiny-marian-en-es' }),
    ).rejects.toBeInstanceOf(InputError);
  }, 15_000);
});

describe('identifyLanguage on huge input', () => {
  it('reads a bounded prefix of a 1 MB text', async () => {
    const [best] = await identifyLanguage('Das ist ein kleines Haus am See. '.repeat(32_000));
    expect(best?.language).toBe('de');
  });
});
