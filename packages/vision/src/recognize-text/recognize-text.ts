import { machineCores } from '#platform/system';
import { createTesseractEngine } from '#platform/tesseract';
import {
  DisposedError,
  decodeImage,
  type ImageInput,
  type ImagePixels,
  lazyDefault,
  parseOptions,
  throwIfAborted,
  withDeadline,
} from '@ondevice/core';
import { linesToFill, type TextCoverage } from './coverage.js';
import type { EngineOutput, TextEngine } from './engine.js';
import { buildResult } from './layout.js';
import {
  chooseEngine,
  type RecognizeTextCallOptions,
  type RecognizeTextOptions,
  recognizeCallOptionsSchema,
  type TextRecognizerOptions,
  textRecognizerOptionsSchema,
} from './options.js';
import { useVisionModelPackages } from '../package-root.js';
import { PpOcrEngine } from './ppocr.js';
import type { TextEngineName, TextResult } from './result.js';

/**
 * A text recognizer: reuse it for many images (its models and worker pool stay loaded).
 *
 * @example
 * ```ts
 * using recognizer = await createTextRecognizer();
 * const { text } = await recognizer.recognize('page.jpg');
 * ```
 */
export interface TextRecognizer {
  /** The engine this recognizer runs. */
  readonly engine: TextEngineName;
  /** Reads the text of one image. Concurrent calls share the worker pool. */
  recognize(input: ImageInput, options?: RecognizeTextCallOptions): Promise<TextResult>;
  /**
   * Releases the models and stops the workers. Calls still running or queued reject with
   * DisposedError at once; so do later calls. Resolves once the workers have stopped.
   */
  dispose(): Promise<void>;
  [Symbol.dispose](): void;
}

/**
 * Creates a text recognizer. `engine: 'auto'` (the default) runs PaddleOCR PP-OCRv4 when it covers
 * every requested language (English, Chinese) and Tesseract otherwise (e.g. `['eng', 'fra']`).
 * Tesseract runs in a pool of up to `workers` threads, reused across calls; a page's tilt or
 * rotation is measured with PP-OCR's detector and undone when Tesseract's first pass is unsure.
 *
 * @example
 * ```ts
 * const recognizer = await createTextRecognizer({ languages: ['eng', 'fra'] });
 * const result = await recognizer.recognize('menu.jpg', { timeout: 10_000 });
 * for (const block of result.blocks) console.log(block.text);
 * await recognizer.dispose();
 * ```
 */
export async function createTextRecognizer(options?: TextRecognizerOptions): Promise<TextRecognizer> {
  const o = parseOptions(textRecognizerOptionsSchema, options, 'createTextRecognizer');
  const engineName = o.engine === 'auto' ? chooseEngine(o.languages) : o.engine;
  // PP-OCR: `workers` onnxruntime threads when given, else configure({ threads }) or core's
  // defaultThreads() (half the cores, 1 on a 2-core machine); Tesseract: a pool as large as the
  // machine (at most 4).
  const workers = o.workers ?? (engineName === 'ppocr' ? 1 : Math.max(1, Math.min(4, machineCores())));
  const language = o.languages.join('+');
  const load = { signal: o.signal };
  await useVisionModelPackages();
  let engine: TextEngine;
  let helper: PpOcrEngine | undefined;
  if (engineName === 'ppocr') {
    engine = await PpOcrEngine.create({ threads: o.workers }, load);
  } else {
    const pp = o.deskew ? await PpOcrEngine.create({}, load) : undefined;
    helper = pp;
    try {
      engine = await createTesseractEngine(
        {
          languages: o.languages,
          workers,
          orient: pp ? (pixels, signal) => pp.orientation(pixels, signal) : undefined,
        },
        load,
      );
    } catch (error) {
      await pp?.dispose();
      throw error;
    }
  }
  // engine 'auto' with PP-OCR: a Tesseract pool of one, started the first time PP-OCR leaves a
  // text region unread, to fill it (only for languages Tesseract has here).
  let filler: Promise<TextEngine> | undefined;
  const canFill =
    o.engine === 'auto' && engineName === 'ppocr' && o.languages.every((l) => FILL_LANGUAGES.includes(l));
  const fill = async (pixels: ImagePixels, out: EngineOutput, signal: AbortSignal): Promise<TextCoverage> => {
    const coverage: TextCoverage = { regions: out.regions ?? 0, unread: out.unread?.length ?? 0, added: 0 };
    if (!canFill || !out.unread?.length) return coverage;
    filler ??= createTesseractEngine({ languages: o.languages, workers: 1 }, load);
    let other: EngineOutput;
    try {
      other = await (await filler).recognize(pixels, { signal });
    } catch (error) {
      // Cancelled or disposed: as any call. Tesseract unavailable (a browser) or failing: the
      // result keeps PP-OCR's lines and says how many regions were left unread.
      if (disposed || signal.aborted) throw error;
      return coverage;
    }
    const extra = linesToFill(out.lines, out.unread, other.lines);
    coverage.filledFrom = 'tesseract';
    coverage.added = extra.length;
    if (extra.length) {
      out.lines = [...out.lines, ...extra];
      out.blocks = undefined;
    }
    return coverage;
  };
  let disposed = false;
  let disposing: Promise<void> | undefined;
  const what = 'Text recognition';
  // Calls in progress: dispose() rejects each with DisposedError at once and stops its work.
  const inFlight = new Set<{ reject(e: unknown): void; controller: AbortController }>();
  const disposedError = () => new DisposedError('This text recognizer');
  const dispose = () => {
    disposing ??= (async () => {
      disposed = true;
      for (const call of [...inFlight]) {
        call.reject(disposedError());
        call.controller.abort();
      }
      inFlight.clear();
      await Promise.allSettled([engine.dispose(), helper?.dispose(), filler?.then((f) => f.dispose())]);
    })();
    return disposing;
  };
  return {
    engine: engineName,
    async recognize(input, callOptions) {
      if (disposed) throw disposedError();
      const c = parseOptions(recognizeCallOptionsSchema, callOptions, 'recognize');
      const timeout = c.timeout ?? o.timeout;
      throwIfAborted(c.signal, what);
      // One controller stops the engine's work when the caller aborts, the deadline passes or the
      // recognizer is disposed.
      const controller = new AbortController();
      const work = (async () => {
        const pixels = await decodeImage(input, { signal: controller.signal });
        if (disposed) throw disposedError();
        throwIfAborted(controller.signal, what);
        const out = await engine.recognize(pixels, { signal: controller.signal });
        if (disposed) throw disposedError();
        const coverage = engineName === 'ppocr' ? await fill(pixels, out, controller.signal) : undefined;
        if (disposed) throw disposedError();
        const result = buildResult(out, pixels.width, pixels.height, engineName, language);
        if (coverage) result.coverage = coverage;
        return result;
      })();
      return new Promise<TextResult>((resolve, reject) => {
        const call = { reject, controller };
        inFlight.add(call);
        withDeadline(work, { timeout, signal: c.signal, what, onCancel: () => controller.abort() })
          .then(resolve, (error: unknown) => reject(disposed ? disposedError() : error))
          .finally(() => inFlight.delete(call));
      });
    },
    dispose,
    [Symbol.dispose]() {
      void dispose();
    },
  };
}

/** Languages whose PP-OCR gaps Tesseract may fill under `engine: 'auto'` (it has no Chinese data here). */
const FILL_LANGUAGES = ['eng'];

const defaults = new Map<string, ReturnType<typeof lazyDefault<TextRecognizer>>>();

/**
 * Reads the text in an image: photos, screenshots, scans, tilted or rotated pages. Returns the
 * text, blocks → lines → words with boxes in input pixels, and `cornerPoints` for rotated lines.
 * Reuses one recognizer per engine and language set.
 *
 * @example
 * ```ts
 * import { recognizeText } from '@ondevice/vision';
 * const { text, blocks } = await recognizeText('receipt.jpg');
 * const french = await recognizeText('menu.png', { languages: ['fra'] });
 * ```
 */
export async function recognizeText(input: ImageInput, options?: RecognizeTextOptions): Promise<TextResult> {
  const o = parseOptions(textRecognizerOptionsSchema, options, 'recognizeText');
  const key = JSON.stringify([o.engine, o.languages, o.workers ?? null, o.deskew]);
  let d = defaults.get(key);
  if (!d) {
    d = lazyDefault(() =>
      createTextRecognizer({
        engine: o.engine,
        languages: o.languages,
        workers: o.workers,
        deskew: o.deskew,
      }),
    );
    defaults.set(key, d);
  }
  const recognizer = await d.get();
  return recognizer.recognize(input, { timeout: o.timeout, signal: o.signal });
}
