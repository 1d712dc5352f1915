import { DisposedError, lazyDefault, ModelLoadError, parseOptions, throwIfAborted } from '@ondevice/core';
import { identifyLanguage } from '../identify-language/identify-language.js';
import { normalizeLanguageCode } from '../identify-language/postprocess.js';
import { builtInTranslatorAvailability, loadBuiltInTranslator } from './browser-engine.js';
import { loadMarianEngine, type MarianEngine } from './marian.js';
import {
  type TranslateOptions,
  type TranslatorCallOptions,
  type TranslatorOptions,
  translateOptionsSchema,
  translatorCallOptionsSchema,
  translatorOptionsSchema,
} from './options.js';
import { batchByLength, joinSegments, segmentText } from './preprocess.js';
import { registeredPairs, resolveTranslationRoute } from './registry.js';
import type { TranslationResult } from './result.js';

/** A loaded translator for one direction. Dispose it when done (or use `using`). */
export interface Translator {
  readonly from: string;
  readonly to: string;
  /** The models it runs: one, or two through English when there is no direct pair. */
  readonly route: readonly string[];
  /** Translates a text (or each text of an array), keeping paragraph breaks. */
  translate(text: string, options?: TranslatorCallOptions): Promise<TranslationResult<string>>;
  translate(text: readonly string[], options?: TranslatorCallOptions): Promise<TranslationResult<string[]>>;
  /** Frees the models. Later calls reject with `DisposedError`. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/**
 * Loads a translator for one direction. Uses the registered model for the pair, or chains two
 * through English (as ML Kit does) when there is no direct one. Text is split into sentences,
 * translated in batches and reassembled with its paragraph breaks.
 *
 * @example
 * ```ts
 * using t = await createTranslator({ from: 'en', to: 'es' });
 * const { text } = await t.translate('The cat sleeps.\n\nThe dog runs.');
 * ```
 */
export async function createTranslator(options: TranslatorOptions): Promise<Translator> {
  const opts = parseOptions(translatorOptionsSchema, options, 'createTranslator');
  const from = normalizeLanguageCode(opts.from);
  const to = normalizeLanguageCode(opts.to);
  throwIfAborted(opts.signal, 'createTranslator');
  const useBrowser =
    from !== to &&
    (opts.engine === 'browser' ||
      (opts.engine === 'auto' && (await builtInTranslatorAvailability(from, to)) !== 'unavailable'));
  if (useBrowser) {
    const engine = await loadBuiltInTranslator(from, to, opts.signal);
    return makeTranslator(from, to, ['browser-built-in'], [engine], opts.maxBatchSize, opts.signal);
  }
  const route = from === to ? [] : resolveTranslationRoute(from, to);
  if (!route) {
    throw new ModelLoadError(
      `No translation model for ${from}→${to}, directly or through English. Registered pairs: ${registeredPairs().join(', ')}. Register one with registerTranslationModel.`,
    );
  }
  const engines: MarianEngine[] = [];
  try {
    for (const entry of route) {
      const modelPath = route.length === 1 && opts.modelPath ? opts.modelPath : await entry.builtInPath?.();
      engines.push(
        await loadMarianEngine(entry.spec, { modelPath, signal: opts.signal, onProgress: opts.onProgress }),
      );
    }
  } catch (error) {
    for (const e of engines) void e.dispose();
    throw error;
  }
  return makeTranslator(
    from,
    to,
    route.map((e) => e.spec.id),
    engines,
    opts.maxBatchSize,
    opts.signal,
  );
}

function makeTranslator(
  from: string,
  to: string,
  routeIds: string[],
  engines: MarianEngine[],
  maxBatchSize: number,
  baseSignal: AbortSignal | undefined,
): Translator {
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const e of engines) void e.dispose();
  };
  async function run(texts: readonly string[], signal: AbortSignal | undefined): Promise<string[]> {
    const segs = texts.map((t) => segmentText(t, from));
    let sentences = segs.flatMap((s) => s.paragraphs.flat());
    for (const engine of engines) {
      const out = new Array<string>(sentences.length);
      for (const batch of batchByLength(sentences, maxBatchSize)) {
        throwIfAborted(signal, 'translate');
        if (disposed) throw new DisposedError('This translator');
        const translated = await engine.translateBatch(batch.map((i) => sentences[i]!));
        batch.forEach((idx, j) => {
          out[idx] = translated[j]!.trim();
        });
      }
      throwIfAborted(signal, 'translate');
      sentences = out;
    }
    let k = 0;
    return segs.map((seg) =>
      joinSegments(
        seg,
        seg.paragraphs.map((p) => p.map(() => sentences[k++]!)),
        to,
      ),
    );
  }
  const translate = async (text: string | readonly string[], callOptions?: TranslatorCallOptions) => {
    const call = parseOptions(translatorCallOptionsSchema, callOptions, 'translate');
    const signal = call.signal ?? baseSignal;
    if (disposed) throw new DisposedError('This translator');
    throwIfAborted(signal, 'translate');
    const many = Array.isArray(text);
    const texts = many ? (text as readonly string[]) : [text as string];
    if (texts.some((t) => typeof t !== 'string')) {
      const { InputError } = await import('@ondevice/core');
      throw new InputError('translate: text must be a string or an array of strings.');
    }
    const out = engines.length ? await run(texts, signal) : [...texts];
    return { text: many ? out : out[0]!, from, to };
  };
  return {
    from,
    to,
    route: routeIds,
    translate: translate as Translator['translate'],
    dispose,
    [Symbol.dispose]: dispose,
  };
}

const translators = new Map<string, ReturnType<typeof lazyDefault<Translator>>>();

/**
 * Translates in one line; detects `from` with identifyLanguage when it is not given, and reuses a
 * lazily created translator per direction.
 *
 * @example
 * ```ts
 * const { text, from } = await translate('the black cat', { to: 'es' }); // { text: 'el gato negro', from: 'en', to: 'es' }
 * ```
 */
export async function translate(text: string, options: TranslateOptions): Promise<TranslationResult<string>>;
export async function translate(
  text: readonly string[],
  options: TranslateOptions,
): Promise<TranslationResult<string[]>>;
export async function translate(
  text: string | readonly string[],
  options: TranslateOptions,
): Promise<TranslationResult<string | string[]>> {
  const opts = parseOptions(translateOptionsSchema, options, 'translate');
  let from = opts.from;
  if (!from) {
    const sample = (Array.isArray(text) ? text.join('\n') : String(text)).slice(0, 2000);
    const [best] = await identifyLanguage(sample, { signal: opts.signal });
    if (!best || best.language === 'und') {
      throw new (await import('@ondevice/core')).InputError(
        'translate: could not identify the source language; pass `from`.',
      );
    }
    from = best.language;
  }
  const key = `${normalizeLanguageCode(from)}>${normalizeLanguageCode(opts.to)}`;
  let entry = translators.get(key);
  if (!entry) {
    const pair = { from, to: opts.to };
    entry = lazyDefault(() => createTranslator(pair));
    translators.set(key, entry);
  }
  const translator = await entry.get();
  return translator.translate(text as string, { signal: opts.signal });
}
