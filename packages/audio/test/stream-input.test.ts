// Streamed samples get the same checks as whole clips: a NaN would silently spoil every later score.
import { InputError } from '@ondevice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeywordSpotter, type KeywordSpotter } from '../src/index.js';

let spotter: KeywordSpotter;
beforeAll(async () => {
  spotter = await createKeywordSpotter({ keywords: ['hey_ondevice'] });
});
afterAll(() => spotter.dispose());

describe('KeywordSpotter.process() input', () => {
  it.each([NaN, Infinity, -Infinity])('refuses a chunk holding %s, naming the sample', async (bad) => {
    const chunk = new Float32Array(1280);
    chunk[700] = bad;
    const error = await spotter.process(chunk).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/sample 700/);
  });

  it('still takes finite chunks after a refused one', async () => {
    await expect(spotter.process(new Float32Array(1280))).resolves.toEqual([]);
  });
});
