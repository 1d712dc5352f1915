import { BackendUnavailableError } from '@ondevice/core';
import type { MarianEngine } from './marian.js';

/** The part of Chrome's built-in Translator API (Translator.availability / create) this package uses. */
interface BuiltInTranslatorApi {
  availability(o: { sourceLanguage: string; targetLanguage: string }): Promise<string>;
  create(o: {
    sourceLanguage: string;
    targetLanguage: string;
    signal?: AbortSignal;
    monitor?: (m: EventTarget) => void;
  }): Promise<{ translate(text: string, o?: { signal?: AbortSignal }): Promise<string>; destroy(): void }>;
}

function api(): BuiltInTranslatorApi | undefined {
  const t = (globalThis as { Translator?: BuiltInTranslatorApi }).Translator;
  return t && typeof t.availability === 'function' && typeof t.create === 'function' ? t : undefined;
}

/**
 * Whether the browser's built-in translator (Chrome's `Translator` API) can translate this pair
 * here: `'available'`, `'downloadable'`, `'downloading'`, or `'unavailable'` (also outside such browsers).
 *
 * @example
 * ```ts
 * if ((await builtInTranslatorAvailability('en', 'de')) !== 'unavailable') useBrowser = true;
 * ```
 */
export async function builtInTranslatorAvailability(from: string, to: string): Promise<string> {
  const t = api();
  if (!t) return 'unavailable';
  try {
    return await t.availability({ sourceLanguage: from, targetLanguage: to });
  } catch {
    return 'unavailable';
  }
}

/**
 * Wraps the browser's built-in translator behind the same interface as the Marian engine (one
 * sentence per call; the browser manages its own language packs).
 *
 * @example
 * ```ts
 * const engine = await loadBuiltInTranslator('en', 'de');
 * await engine.translateBatch(['Good morning.']);
 * ```
 */
export async function loadBuiltInTranslator(
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<MarianEngine> {
  const t = api();
  if (!t || (await builtInTranslatorAvailability(from, to)) === 'unavailable') {
    throw new BackendUnavailableError(`The browser has no built-in translator for ${from}→${to}.`);
  }
  const translator = await t.create({
    sourceLanguage: from,
    targetLanguage: to,
    ...(signal ? { signal } : {}),
  });
  return {
    async translateBatch(sentences) {
      const out: string[] = [];
      for (const s of sentences) out.push(await translator.translate(s));
      return out;
    },
    async dispose() {
      translator.destroy();
    },
  };
}
