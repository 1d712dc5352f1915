import { BackendUnavailableError } from '@ondevice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { builtInTranslatorAvailability } from './browser-engine.js';
import { createTranslator } from './translate.js';

// A stand-in for Chrome's built-in Translator API (absent in Node).
const g = globalThis as { Translator?: unknown };
afterEach(() => {
  delete g.Translator;
});

describe("the browser's built-in translator engine", () => {
  it('is unavailable outside such browsers', async () => {
    expect(await builtInTranslatorAvailability('en', 'de')).toBe('unavailable');
    await expect(createTranslator({ from: 'en', to: 'de', engine: 'browser' })).rejects.toBeInstanceOf(
      BackendUnavailableError,
    );
  });

  it('is used by "auto" when it supports the pair, keeping paragraphs', async () => {
    let destroyed = false;
    g.Translator = {
      availability: async ({ targetLanguage }: { targetLanguage: string }) =>
        targetLanguage === 'de' ? 'available' : 'unavailable',
      create: async () => ({
        translate: async (s: string) => `[de] ${s}`,
        destroy: () => {
          destroyed = true;
        },
      }),
    };
    const t = await createTranslator({ from: 'en', to: 'de', engine: 'auto' });
    expect(t.route).toEqual(['browser-built-in']);
    expect((await t.translate('Hello there. Bye.\n\nNext.')).text).toBe(
      '[de] Hello there. [de] Bye.\n\n[de] Next.',
    );
    t.dispose();
    await new Promise((r) => setTimeout(r, 0));
    expect(destroyed).toBe(true);
  });
});
