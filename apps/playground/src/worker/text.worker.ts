// The text pages' task worker: language identification and translation run here, off the page's
// main thread. Text in, plain results out.
import { type ModelProgress, type ModelSpec, prefetchModel } from '@ondevice/core';
import {
  configure,
  createLanguageIdentifier,
  createTranslator,
  type LanguageGuess,
  type LanguageIdentifier,
  listTranslationModels,
  type TranslationModelInfo,
  type TranslationResult,
  type Translator,
} from '@ondevice/text';
import { type HandlerContext, serve } from '@ondevice/core/worker';

configure({ modelBaseUrl: '/models/', allowRemoteModels: true, wasmBaseUrl: '/wasm/' });

let identifier: Promise<LanguageIdentifier> | undefined;
const translators = new Map<string, Promise<Translator>>();

const handlers = {
  /** Downloads (or finds in the cache) one model's files, with progress events. */
  async prefetch(spec: ModelSpec, ctx: HandlerContext): Promise<void> {
    await prefetchModel(spec, { onProgress: (p: ModelProgress) => ctx.progress(p), signal: ctx.signal });
  },

  async loadLanguageIdentifier(): Promise<void> {
    identifier ??= createLanguageIdentifier({ engine: 'combined' });
    identifier.catch(() => {
      identifier = undefined;
    });
    await identifier;
  },

  async identifyLanguage(text: string): Promise<{ guesses: LanguageGuess[]; ms: number }> {
    await handlers.loadLanguageIdentifier();
    const id = await identifier!;
    const t0 = performance.now();
    const guesses = await id.identify(text);
    return { guesses, ms: performance.now() - t0 };
  },

  listTranslationModels(): Promise<TranslationModelInfo[]> {
    return listTranslationModels();
  },

  /** Loads the translator for `from`→`to` (with `model` when named); progress events as it downloads. */
  async loadTranslator(
    arg: { from: string; to: string; model?: string },
    ctx: HandlerContext,
  ): Promise<void> {
    const key = `${arg.from}>${arg.to}>${arg.model ?? ''}`;
    let t = translators.get(key);
    if (!t) {
      t = createTranslator({
        from: arg.from,
        to: arg.to,
        ...(arg.model ? { model: arg.model } : {}),
        onProgress: (p) => ctx.progress({ loaded: p.loaded, total: p.total }),
      });
      translators.set(key, t);
      t.catch(() => translators.delete(key));
    }
    await t;
  },

  async translate(
    arg: { from: string; to: string; model?: string; text: string },
    ctx: HandlerContext,
  ): Promise<{ result: TranslationResult<string>; ms: number }> {
    await handlers.loadTranslator(arg, ctx);
    const t = await translators.get(`${arg.from}>${arg.to}>${arg.model ?? ''}`)!;
    const t0 = performance.now();
    const result = await t.translate(arg.text, { signal: ctx.signal });
    return { result, ms: performance.now() - t0 };
  },
};

/** What the text worker serves (the page's `TaskWorker<TextHandlers>`). */
export type TextHandlers = typeof handlers;

serve(handlers);
