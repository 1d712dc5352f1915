// Issue #16: a keyword head with `windowSize: 1e9` passed validation and failed later with a
// RangeError. Every field of a head file is now checked when it is read, and the error names the
// field and what is allowed.
import { InputError, OptionsError } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { createKeywordSpotter } from '../spot-keywords/spot-keywords.js';
import { type KeywordHeadJson, keywordHeadFromJson, loadOpenKeywordHead } from './head.js';

/** A valid head: windowSize 4, embeddingSize 96, projection 2, hidden 3. */
function validHead(): KeywordHeadJson {
  const T = 4;
  const E = 96;
  const D = 2;
  const H = 3;
  const fill = (n: number, v = 0.01) => Array.from({ length: n }, (_, i) => v * ((i % 7) - 3));
  return {
    format: 'ondevice-keyword-head',
    version: 1,
    name: 'bump',
    threshold: 0.6,
    license: 'Apache-2.0',
    mlp: {
      windowSize: T,
      embeddingSize: E,
      projection: D,
      hidden: H,
      mean: fill(E),
      std: fill(E, 0).map(() => 1),
      proj: fill(D * E),
      projBias: fill(D),
      w1: fill(H * T * D),
      b1: fill(H),
      w2: fill(H),
      b2: 0.1,
    },
  };
}

/** The head with one field replaced (a dotted path such as `mlp.windowSize` or `mlp.w1.5`). */
function withField(path: string, value: unknown): KeywordHeadJson {
  const head = validHead();
  const keys = path.split('.');
  let at = head as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return head;
}

const refused = (head: unknown) => {
  try {
    keywordHeadFromJson(head as KeywordHeadJson);
  } catch (error) {
    return error as Error;
  }
  throw new Error('accepted');
};

describe('keyword head files are validated in full when read', () => {
  it('accepts a valid head, as an object or JSON text, and the shipped heads', async () => {
    expect(keywordHeadFromJson(validHead()).windowSize).toBe(4);
    expect(keywordHeadFromJson(JSON.stringify(validHead())).labels).toEqual(['bump']);
    expect((await loadOpenKeywordHead('yes')).windowSize).toBe(16);
  });

  it.each([
    ['mlp.windowSize', 1e9, /mlp\.windowSize is 1000000000; allowed: an integer from 1 to 128/],
    ['mlp.windowSize', 0, /mlp\.windowSize is 0; allowed: an integer from 1 to 128/],
    ['mlp.windowSize', 2.5, /mlp\.windowSize is 2\.5; allowed: an integer/],
    ['mlp.windowSize', Number.NaN, /mlp\.windowSize is NaN/],
    ['mlp.windowSize', '16', /mlp\.windowSize is "16"; allowed: an integer/],
    ['mlp.embeddingSize', 95, /mlp\.embeddingSize is 95; allowed: 96/],
    ['mlp.projection', 1e6, /mlp\.projection is 1000000; allowed: an integer from 1 to 256/],
    ['mlp.hidden', 0, /mlp\.hidden is 0; allowed: an integer from 1 to 1024/],
    ['mlp.mean', new Array(95).fill(0), /mlp\.mean has 95 values; expected 96 \(embeddingSize\)/],
    [
      'mlp.w1',
      new Array(5).fill(0),
      /mlp\.w1 has 5 values; expected 24 \(hidden × windowSize × projection\)/,
    ],
    ['mlp.proj', 'weights', /mlp\.proj is not an array/],
    ['mlp.w1.5', null, /mlp\.w1\[5\] is null; allowed: a finite number/],
    ['mlp.std.3', Number.POSITIVE_INFINITY, /mlp\.std\[3\] is Infinity; allowed: a finite number/],
    ['mlp.b2', 'x', /mlp\.b2 is "x"; allowed: a finite number/],
    ['threshold', 1.5, /threshold is 1\.5; allowed: a number from 0 to 1/],
    ['threshold', -0.1, /threshold is -0\.1; allowed: a number from 0 to 1/],
    ['name', '', /name is ""; allowed: a non-empty string/],
    ['name', 42, /name is 42; allowed: a non-empty string/],
    ['license', 7, /license is 7; allowed: a string/],
  ])('refuses %s = %s with InputError naming the field and the allowed range', (path, value, message) => {
    const error = refused(withField(path, value));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
  });

  it('refuses an mlp that is not an object', () => {
    expect(refused(withField('mlp', 5)).message).toMatch(/mlp is 5; allowed: an object/);
  });

  it('refuses a threshold override out of range with OptionsError', () => {
    expect(() => keywordHeadFromJson(validHead(), { threshold: 2 })).toThrow(OptionsError);
    expect(() => keywordHeadFromJson(validHead(), { threshold: 2 })).toThrow(
      /threshold is 2; allowed: a number from 0 to 1/,
    );
    expect(() => keywordHeadFromJson(validHead(), { name: '' })).toThrow(OptionsError);
  });

  it('refuses a KeywordHead object with an absurd windowSize before allocating anything', async () => {
    const head = { labels: ['big'], windowSize: 1e9, predict: () => [0] };
    const error = await createKeywordSpotter({ keywords: [head] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as Error).message).toMatch(/windowSize: an integer from 1 to 128/);
  });
});

describe('experimental heads say so', () => {
  it('a head that missed the bars carries its reason and warns once; a head that met them does neither', async () => {
    const warnings: string[] = [];
    const { configure, resetConfig } = await import('@ondevice/core');
    configure({
      logger: { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} },
    });
    try {
      const no = await loadOpenKeywordHead('no');
      expect(no.experimental).toMatch(/real/);
      await loadOpenKeywordHead('no');
      expect(warnings.filter((w) => w.includes('"no" is experimental'))).toHaveLength(1);
      const yes = await loadOpenKeywordHead('yes');
      expect(yes.experimental).toBeUndefined();
      expect(warnings.some((w) => w.includes('"yes" is experimental'))).toBe(false);
      // The reason survives a save and a reload.
      expect(keywordHeadFromJson(JSON.stringify(no)).experimental).toBe(no.experimental);
    } finally {
      resetConfig();
    }
  });
});
