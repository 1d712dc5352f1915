import {
  DisposedError,
  InputError,
  isNode,
  lazyDefault,
  ModelLoadError,
  OptionsError,
  parseOptions,
  throwIfAborted,
} from '@ondevice/core';
import { identifyLanguage } from '../identify-language/identify-language.js';
import { normalizeLanguageCode } from '../identify-language/postprocess.js';
import { builtInTranslatorAvailability, loadBuiltInTranslator } from './browser-engine.js';
import { loadMarianEngine, type MarianEngine } from './marian.js';
import { missingModelMessage } from './missing-model.js';
import {
  type TranslateOptions,
  type TranslatorCallOptions,
  type TranslatorOptions,
  translateOptionsSchema,
  translatorCallOptionsSchema,
  translatorOptionsSchema,
} from './options.js';
import { batchByLength, joinSegments, segmentText } from './preprocess.js';
import {
  demoModelFor,
  findTranslationModel,
  registeredPairs,
  resolveTranslationRoute,
  type TranslationModelEntry,
  translationModelIds,
} from './registry.js';
import type { TranslationResult } from './result.js';
import { VocabularyCoverageError, vocabularyCoverage } from './vocabulary.js';

/** A loaded translator for one direction. Dispose it when done (or use `using`). */
export interface Translator {
  readonly from: string;
  readonly to: string;
  /** The models it runs: one, or two through English when there is no direct pair. */
  readonly route: readonly string[];
  /** Translates a text (or each text of an array), keeping paragraph breaks. */
  translate(text: string, options?: TranslatorCallOptions): Promise<TranslationResult<string>>;
  translate(text: readonly string[], options?: TranslatorCallOptions): Promise<TranslationResult<string[]>>;
  /**
   * Frees the models (once the model call in progress, if any, returns). Calls in flight or queued
   * and later calls reject with `DisposedError`.
   */
  dispose(): void;
  [Symbol.dispose](): void;
}

/**
 * Loads a translator for one direction. Uses the registered model for the pair, or chains two
 * through English (as ML Kit does) when there is no direct one. Text is split into sentences,
 * translated in batches and reassembled with its paragraph breaks. The built-in tiny en→es model
 * is a demo and is used only when named (`model: 'tiny-marian-en-es'`); its results say how much of
 * the input it knows (`coverage`, `outOfVocabulary`) and it refuses input below `minCoverage`.
 *
 * @example
 * ```ts
 * using t = await createTranslator({ from: 'en', to: 'es', model: 'tiny-marian-en-es' });
 * const { text, coverage } = await t.translate('The cat sleeps.\n\nThe dog runs.'); // coverage: 1
 * ```
 */
export async function createTranslator(options: TranslatorOptions): Promise<Translator> {
  const opts = parseOptions(translatorOptionsSchema, options, 'createTranslator');
  const from = normalizeLanguageCode(opts.from);
  const to = normalizeLanguageCode(opts.to);
  throwIfAborted(opts.signal, 'createTranslator');
  const limits = { maxInputLength: opts.maxInputLength, minCoverage: opts.minCoverage };
  const useBrowser =
    from !== to &&
    opts.model === undefined &&
    (opts.engine === 'browser' ||
      (opts.engine === 'auto' && (await builtInTranslatorAvailability(from, to)) !== 'unavailable'));
  if (useBrowser) {
    const engine = await loadBuiltInTranslator(from, to, opts.signal);
    return makeTranslator(from, to, ['browser-built-in'], [engine], opts.maxBatchSize, opts.signal, limits);
  }
  const route = from === to ? [] : pickRoute(from, to, opts.model);
  if (!route) {
    const hasApi = (globalThis as { Translator?: unknown }).Translator !== undefined;
    throw new ModelLoadError(
      missingModelMessage({
        from,
        to,
        node: isNode(),
        builtIn: hasApi ? await builtInTranslatorAvailability(from, to) : 'absent',
        registered: registeredPairs(),
        demoId: demoModelFor(from, to)?.spec.id,
      }),
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
    for (const e of engines) void e.dispose().catch(() => undefined);
    throw error;
  }
  const demo = route.length === 1 && route[0]!.demo ? route[0] : undefined;
  return makeTranslator(
    from,
    to,
    route.map((e) => e.spec.id),
    engines,
    opts.maxBatchSize,
    opts.signal,
    limits,
    demo,
  );
}

/** The models for a direction: the one named, or the registered ones (never a demo unless named). */
function pickRoute(from: string, to: string, model: string | undefined): TranslationModelEntry[] | undefined {
  if (model === undefined) return resolveTranslationRoute(from, to);
  const entry = findTranslationModel(model);
  if (!entry) {
    throw new OptionsError(
      `createTranslator: no translation model "${model}". Known models: ${translationModelIds().join(', ')}.`,
    );
  }
  if (normalizeLanguageCode(entry.from) !== from || normalizeLanguageCode(entry.to) !== to) {
    throw new OptionsError(
      `createTranslator: model "${model}" translates ${entry.from}→${entry.to}, not ${from}→${to}.`,
    );
  }
  return [entry];
}

/** Refuses an input longer than the limit, before any work. */
function checkLength(texts: readonly string[], max: number, where: string): void {
  let total = 0;
  for (const t of texts) total += t.length;
  if (total > max) {
    throw new InputError(
      `${where}: the text is ${total.toLocaleString('en')} characters; the limit is ${max.toLocaleString('en')} (maxInputLength, default 100,000). Split it — e.g. at paragraph breaks — and translate the parts one after another, or raise maxInputLength.`,
    );
  }
}

function checkTexts(text: unknown, where: string): readonly string[] {
  const texts = Array.isArray(text) ? (text as unknown[]) : [text];
  if (texts.some((t) => typeof t !== 'string')) {
    throw new InputError(`${where}: text must be a string or an array of strings.`);
  }
  return texts as string[];
}

function makeTranslator(
  from: string,
  to: string,
  routeIds: string[],
  engines: MarianEngine[],
  maxBatchSize: number,
  baseSignal: AbortSignal | undefined,
  limits: { maxInputLength: number; minCoverage: number },
  demo?: TranslationModelEntry,
): Translator {
  let disposed = false;
  // Model calls in progress: the engines are freed only after they return, so a call in flight
  // never meets a freed session (onnxruntime's "Session already disposed").
  const inFlight = new Set<Promise<unknown>>();
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    void Promise.allSettled([...inFlight]).then(() => {
      for (const e of engines) void e.dispose().catch(() => undefined);
    });
  };
  const gone = () => new DisposedError('This translator');
  async function callEngine(engine: MarianEngine, sentences: string[]): Promise<string[]> {
    if (disposed) throw gone();
    const p = engine.translateBatch(sentences);
    inFlight.add(p);
    try {
      const out = await p;
      if (disposed) throw gone();
      return out;
    } catch (error) {
      throw disposed ? gone() : error;
    } finally {
      inFlight.delete(p);
    }
  }
  async function run(texts: readonly string[], signal: AbortSignal | undefined): Promise<string[]> {
    const segs = texts.map((t) => segmentText(t, from));
    let sentences = segs.flatMap((s) => s.paragraphs.flat());
    for (const engine of engines) {
      const out = new Array<string>(sentences.length);
      for (const batch of batchByLength(sentences, maxBatchSize)) {
        throwIfAborted(signal, 'translate');
        const translated = await callEngine(
          engine,
          batch.map((i) => sentences[i]!),
        );
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
    if (disposed) throw gone();
    throwIfAborted(signal, 'translate');
    const many = Array.isArray(text);
    const texts = checkTexts(text, 'translate');
    checkLength(texts, call.maxInputLength ?? limits.maxInputLength, 'translate');
    const flags = demo ? demoFlags(demo, texts, call.minCoverage ?? limits.minCoverage) : {};
    const out = engines.length ? await run(texts, signal) : [...texts];
    return { text: many ? out : out[0]!, from, to, ...flags };
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

/** A demo model's coverage of the input: refused below `minCoverage`, else flagged in the result. */
function demoFlags(
  demo: TranslationModelEntry,
  texts: readonly string[],
  minCoverage: number,
): Pick<TranslationResult, 'coverage' | 'outOfVocabulary' | 'warning'> {
  const c = vocabularyCoverage(texts, demo.sourceVocabulary ?? new Set());
  const id = demo.spec.id;
  const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
  const unknown = c.outOfVocabulary.slice(0, 20).join(', ') + (c.outOfVocabulary.length > 20 ? ', …' : '');
  if (c.coverage < minCoverage) {
    throw new VocabularyCoverageError(
      `translate: ${id} is a demo model that knows only its template vocabulary (about 550 English words), and it knows ${pct(c.coverage)} of this text's words (minCoverage ${minCoverage}); it does not know: ${unknown}. Its translation would be nonsense. Register a real model for ${demo.from}→${demo.to} (an OPUS-MT pair: registerTranslationModel({ from: '${demo.from}', to: '${demo.to}', spec: opusMtSpec({ from: '${demo.from}', to: '${demo.to}', files }) })), or pass minCoverage: 0 to get the flagged output anyway.`,
      c,
    );
  }
  const warning = c.outOfVocabulary.length
    ? `Translated by the demo model ${id}, which knows ${pct(c.coverage)} of these words; the rest (${unknown}) come out as nonsense. Register a real model for general text.`
    : `Translated by the demo model ${id}: it knows only its template vocabulary; register a real model for general text.`;
  return { coverage: c.coverage, outOfVocabulary: c.outOfVocabulary, warning };
}

const translators = new Map<string, ReturnType<typeof lazyDefault<Translator>>>();

/**
 * Translates in one line; detects `from` with identifyLanguage when it is not given, and reuses a
 * lazily created translator per direction (and `model`). Input longer than `maxInputLength` is
 * refused at once, before any model loads.
 *
 * @example
 * ```ts
 * const { text, coverage } = await translate('the black cat', { to: 'es', model: 'tiny-marian-en-es' });
 * // { text: 'el gato negro', from: 'en', to: 'es', coverage: 1, outOfVocabulary: [], warning: '…' }
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
  const texts = checkTexts(text, 'translate');
  checkLength(texts, opts.maxInputLength, 'translate');
  let from = opts.from;
  if (!from) {
    let sample = '';
    for (const t of texts) {
      sample += `${t.slice(0, 2000 - sample.length)}\n`;
      if (sample.length >= 2000) break;
    }
    const [best] = await identifyLanguage(sample, { signal: opts.signal });
    if (!best || best.language === 'und') {
      throw new InputError('translate: could not identify the source language; pass `from`.');
    }
    from = best.language;
  }
  const key = `${normalizeLanguageCode(from)}>${normalizeLanguageCode(opts.to)}>${opts.model ?? ''}`;
  let entry = translators.get(key);
  if (!entry) {
    const pair = { from, to: opts.to, ...(opts.model === undefined ? {} : { model: opts.model }) };
    entry = lazyDefault(() => createTranslator(pair));
    translators.set(key, entry);
  }
  const translator = await entry.get();
  return translator.translate(text as string, {
    signal: opts.signal,
    maxInputLength: opts.maxInputLength,
    minCoverage: opts.minCoverage,
  });
}
