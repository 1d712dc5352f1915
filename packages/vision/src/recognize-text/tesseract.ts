import {
  AbortedError,
  DisposedError,
  type ImagePixels,
  isNode,
  type LoadModelOptions,
  ModelIntegrityError,
  ModelLoadError,
  OnDeviceError,
  type Point,
  throwIfAborted,
  withDeadline,
} from '@ondevice/core';
import type Tesseract from 'tesseract.js';
import type { EngineCallOptions, EngineLine, EngineOutput, EngineWord, TextEngine } from './engine.js';
import type { Quad } from './geometry.js';
import { borderFill } from './preprocess.js';
import { rotatePage } from './synthetic.js';
import { prepareLanguageData } from './tessdata.js';
import { guardedWorkerUrl } from './tesseract-worker.js';

/** Settings of the Tesseract engine. */
export interface TesseractSettings {
  /** Tesseract language codes, e.g. `['eng', 'fra']`. */
  languages: string[];
  /** Most workers (threads) the pool starts; each holds its own copy of the language data. */
  workers: number;
  /** A worker that has not started within this many ms is given up (ModelLoadError). */
  startTimeout: number;
  /** Let Tesseract measure the page's skew and straighten it before reading. */
  rotateAuto: boolean;
  /**
   * Measures the page's reading direction (degrees, clockwise) so the page can be turned upright
   * before Tesseract reads it; without it Tesseract's own skew estimate (`rotateAuto`) is used.
   */
  orient?: ((pixels: ImagePixels, signal?: AbortSignal) => Promise<number>) | undefined;
  /** Turn pages whose measured angle is at least this many degrees. */
  minDeskew: number;
  /** With `orient`: below this mean word confidence (0–1) of the first pass, deskew and read again. */
  deskewBelow: number;
  /**
   * A folder (Node) holding `<lang>.traineddata.gz` to use instead of the model cache's checked
   * copy; it is not checked. For tests.
   */
  langPath?: string | undefined;
}

/** Defaults of {@link TesseractSettings}. */
export const DEFAULT_TESSERACT_SETTINGS: TesseractSettings = {
  languages: ['eng'],
  workers: 1,
  startTimeout: 30_000,
  rotateAuto: true,
  minDeskew: 0.5,
  deskewBelow: 0.75,
};

/** How long dispose() waits for a worker thread to exit after terminating it. */
const EXIT_WAIT_MS = 5_000;

interface NodeWorker {
  on?(event: string, fn: (...a: unknown[]) => void): void;
  ref?(): void;
  unref?(): void;
  terminate?(): Promise<number>;
}

type Worker = Tesseract.Worker & { worker?: NodeWorker };

interface PoolWorker {
  worker: Worker;
  dead: boolean;
  /** Why the thread exited or failed, once it has. */
  death?: Error;
  /** Rejecters of the calls waiting on this worker: its death rejects them, so none can hang. */
  stoppers: Set<(e: unknown) => void>;
  /** Resolves once the thread has exited. */
  exited: Promise<void>;
}

/** Idle workers must not keep a Node process alive (a script that never disposes still exits). */
function setBusy(w: PoolWorker, busy: boolean): void {
  if (busy) w.worker.worker?.ref?.();
  else w.worker.worker?.unref?.();
}

const quiet = <T>(p: Promise<T>): Promise<T> => {
  p.catch(() => {});
  return p;
};

/**
 * Tesseract (tesseract.js 7, LSTM) with language data from the model store, copied into the model
 * cache and SHA-256 checked right before each worker starts (never a CDN or a temporary folder),
 * and a pool of reused workers. A worker that fails to start rejects with ModelLoadError (or
 * ModelIntegrityError for a changed copy) instead of crashing the process or hanging; a worker
 * that dies or times out is replaced; dispose() settles every pending call with DisposedError and
 * stops every worker.
 *
 * @example
 * ```ts
 * const engine = await TesseractEngine.create({ languages: ['eng'], workers: 2 });
 * const { lines } = await engine.recognize(pixels, {});
 * ```
 */
export class TesseractEngine implements TextEngine {
  readonly name = 'tesseract' as const;
  private readonly idle: PoolWorker[] = [];
  private readonly all = new Set<PoolWorker>();
  private readonly waiting: { resolve(w: PoolWorker): void; reject(e: unknown): void }[] = [];
  private starting = 0;
  private disposed = false;
  private disposing: Promise<void> | undefined;
  /** Rejecters of everything the pool is waiting on: dispose() rejects them with DisposedError. */
  private readonly stoppers = new Set<(e: unknown) => void>();

  private constructor(
    private readonly tesseract: typeof Tesseract,
    private readonly workerPath: URL,
    private readonly load: LoadModelOptions,
    readonly settings: TesseractSettings,
  ) {}

  /** Checks the language data and starts the first worker (so start-up problems surface here). */
  static async create(
    settings: Partial<TesseractSettings> = {},
    load: LoadModelOptions = {},
  ): Promise<TesseractEngine> {
    const s = { ...DEFAULT_TESSERACT_SETTINGS, ...settings };
    if (!isNode()) {
      throw new ModelLoadError(
        'The Tesseract engine of recognizeText runs in Node.js here; use engine "ppocr" in browsers.',
      );
    }
    const tesseract = (await import('tesseract.js')).default as unknown as typeof Tesseract;
    const engine = new TesseractEngine(tesseract, await guardedWorkerUrl(), { ...load }, s);
    engine.release(await engine.spawn(load.signal));
    return engine;
  }

  /** Number of workers currently started. */
  get size(): number {
    return this.all.size;
  }

  private disposedError(): DisposedError {
    return new DisposedError('This text recognizer');
  }

  /**
   * `p`, unless dispose() runs (DisposedError) or `pw`'s thread dies (its error) first. Listeners
   * are removed when `p` settles (racing a long-lived promise would keep every result alive).
   */
  private guard<T>(p: Promise<T>, pw?: PoolWorker): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = this.disposed ? this.disposedError() : pw?.death;
      if (fail) {
        p.catch(() => {});
        reject(fail);
        return;
      }
      this.stoppers.add(reject);
      pw?.stoppers.add(reject);
      p.then(resolve, reject).finally(() => {
        this.stoppers.delete(reject);
        pw?.stoppers.delete(reject);
      });
    });
  }

  private async spawn(signal?: AbortSignal): Promise<PoolWorker> {
    if (this.disposed) throw this.disposedError();
    this.starting++;
    let failure: unknown;
    let created: Promise<Worker> | undefined;
    let adopted = false;
    let failNow: (e: unknown) => void = () => {};
    const failed = quiet(
      new Promise<never>((_, reject) => {
        failNow = reject;
      }),
    );
    const languages = this.settings.languages.join('+');
    let langPath = this.settings.langPath;
    try {
      // The copy a worker reads is checked right before it starts.
      langPath ??= await this.guard(prepareLanguageData(this.settings.languages, { ...this.load, signal }));
      throwIfAborted(signal, 'Starting a Tesseract worker');
      created = quiet(
        this.tesseract.createWorker(languages, 1, {
          langPath,
          // tesseract.js's own cache: never read or written (it would put files in the working directory).
          cachePath: langPath,
          cacheMethod: 'none',
          gzip: true,
          workerPath: this.workerPath as unknown as string,
          logger: () => {},
          // Without a handler a failed job throws inside tesseract.js where nobody can catch it.
          errorHandler: (e: unknown) => {
            failure = e;
            failNow(new Error(String(e)));
          },
        }) as Promise<Worker>,
      );
      const worker = await withDeadline(this.guard(Promise.race([created, failed])), {
        timeout: this.settings.startTimeout,
        signal,
        what: 'Starting a Tesseract worker',
      });
      const pw = this.adopt(worker);
      adopted = true;
      return pw;
    } catch (error) {
      if (this.disposed) throw this.disposedError();
      if (error instanceof AbortedError || error instanceof ModelIntegrityError) throw error;
      if (error instanceof ModelLoadError && !created) throw error;
      const why =
        error instanceof OnDeviceError
          ? error.message
          : String((error as Error)?.message ?? failure ?? error);
      throw new ModelLoadError(
        `A Tesseract worker for "${languages}" could not start: ${why}. Check the language data (${langPath ?? 'model cache'}).`,
        { cause: error },
      );
    } finally {
      this.starting--;
      // A worker that arrives after we gave up on it (timeout, abort, dispose) is stopped.
      if (!adopted) created?.then((w) => w.terminate()).catch(() => {});
    }
  }

  private adopt(worker: Worker): PoolWorker {
    let exit: () => void = () => {};
    const pw: PoolWorker = {
      worker,
      dead: false,
      stoppers: new Set(),
      exited: new Promise<void>((resolve) => {
        exit = resolve;
      }),
    };
    const die = (e: Error) => {
      pw.death ??= e;
      for (const stop of [...pw.stoppers]) stop(pw.death);
      pw.stoppers.clear();
    };
    const node = worker.worker;
    node?.on?.('exit', (code: unknown) => {
      pw.dead = true;
      exit();
      die(new OnDeviceError('ERR_INTERNAL', `The Tesseract worker exited (code ${String(code)}); retry.`));
    });
    node?.on?.('error', (e: unknown) => {
      pw.dead = true;
      die(
        new OnDeviceError(
          'ERR_INTERNAL',
          `The Tesseract worker failed: ${String((e as Error)?.message ?? e)}; retry.`,
          {
            cause: e,
          },
        ),
      );
    });
    if (!node?.on) exit();
    this.all.add(pw);
    return pw;
  }

  private async acquire(signal?: AbortSignal): Promise<PoolWorker> {
    if (this.disposed) throw this.disposedError();
    for (;;) {
      const w = this.idle.pop();
      if (!w) break;
      if (!w.dead) {
        setBusy(w, true);
        return w;
      }
      this.all.delete(w);
    }
    if (this.all.size + this.starting < this.settings.workers) return this.spawn(signal);
    return new Promise<PoolWorker>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new AbortedError('Text recognition', { cause: signal?.reason }));
      };
      const waiter = {
        resolve: (w: PoolWorker) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(w);
        },
        reject: (e: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(w: PoolWorker): void {
    if (w.dead || this.disposed) {
      this.discard(w);
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(w);
    else {
      setBusy(w, false);
      this.idle.push(w);
    }
  }

  /** Drops a worker (terminated) and lets a waiting caller start a replacement. */
  private discard(w: PoolWorker): void {
    w.dead = true;
    this.all.delete(w);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    w.worker.terminate().catch(() => {});
    const next = this.waiting.shift();
    if (next) {
      if (this.disposed) next.reject(this.disposedError());
      else this.spawn().then(next.resolve, next.reject);
    }
  }

  /**
   * Reads a page. With `orient`, a first pass that Tesseract is not confident about (mean word
   * confidence below `deskewBelow`: tilted, rotated or upside-down pages) is followed by a second
   * pass on the page turned upright by the measured angle, and the more confident one is kept;
   * confident pages cost one pass.
   */
  async recognize(pixels: ImagePixels, options: EngineCallOptions): Promise<EngineOutput> {
    const { signal } = options;
    if (this.disposed) throw this.disposedError();
    throwIfAborted(signal, 'Text recognition');
    const first = await this.read(pixels, 0, this.settings.rotateAuto, signal);
    if (!this.settings.orient || first.confidence >= this.settings.deskewBelow) return first.out;
    let angle: number;
    try {
      angle = await this.guard(this.settings.orient(pixels, signal));
    } catch (error) {
      if (this.disposed) throw this.disposedError();
      throw error;
    }
    if (this.disposed) throw this.disposedError();
    if (
      Math.abs(angle) < this.settings.minDeskew ||
      Math.abs(angle - first.out.angle) < this.settings.minDeskew
    ) {
      return first.out;
    }
    const second = await this.read(pixels, angle, false, signal);
    return second.confidence > first.confidence ? second.out : first.out;
  }

  private async read(
    pixels: ImagePixels,
    turn: number,
    rotateAuto: boolean,
    signal: AbortSignal | undefined,
  ): Promise<{ out: EngineOutput; confidence: number }> {
    const upright = turn ? rotatePage(pixels, -turn, borderFill(pixels)) : pixels;
    // Light text on a dark background (screenshots, signs): Tesseract reads dark on light.
    const image = encodePpm(borderFill(upright) < 110 ? invert(upright) : upright);
    const pw = await this.guard(this.acquire(signal));
    let page: Tesseract.Page;
    try {
      if (this.disposed) throw this.disposedError();
      // Page segmentation 3 (automatic, as the tesseract CLI): tesseract.js otherwise reads the
      // page as one block and runs side-by-side columns together.
      const job = quiet(
        pw.worker.recognize(
          image as unknown as Buffer,
          {
            rotateAuto,
            tessedit_pageseg_mode: '3',
            debug_file: '/dev/null',
          } as Partial<Tesseract.RecognizeOptions>,
          { blocks: true, text: true },
        ),
      );
      // A worker that dies mid-job never answers, and neither does one terminated by dispose():
      // the job races both.
      page = (
        await withDeadline(this.guard(job, pw), {
          signal,
          what: 'Text recognition',
          onCancel: () => this.discard(pw),
        })
      ).data;
    } catch (error) {
      // A failed job may leave the worker in an unknown state, and a dead one is still counted
      // in the pool: drop it either way, so that the next call starts a replacement.
      if (this.all.has(pw)) this.discard(pw);
      if (this.disposed) throw this.disposedError();
      if (error instanceof OnDeviceError) throw error;
      throw new OnDeviceError(
        'ERR_INTERNAL',
        `Tesseract failed on this image: ${String((error as Error)?.message ?? error)}`,
        { cause: error },
      );
    }
    this.release(pw);
    const out = pageToOutput(page, upright.width, upright.height);
    const confidence = (page.confidence ?? 0) / 100;
    if (!turn) return { out, confidence };
    // Boxes are in the upright copy: map them back onto the input.
    const back = uprightToInput(pixels.width, pixels.height, upright.width, upright.height, turn);
    for (const line of out.lines) {
      line.quad = line.quad.map(back) as Quad;
      for (const w of line.words) w.quad = w.quad.map(back) as Quad;
    }
    return { out: { ...out, angle: turn }, confidence };
  }

  /**
   * Rejects every running and queued call with DisposedError, terminates every worker (one still
   * starting is terminated when it arrives) and resolves once their threads have exited (at most
   * a few seconds). Later calls reject with DisposedError.
   */
  dispose(): Promise<void> {
    if (this.disposing) return this.disposing;
    this.disposed = true;
    for (const stop of [...this.stoppers]) stop(this.disposedError());
    this.stoppers.clear();
    for (const w of this.waiting.splice(0)) w.reject(this.disposedError());
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    this.disposing = (async () => {
      await Promise.allSettled(
        workers.map(async (w) => {
          w.dead = true;
          await w.worker.terminate().catch(() => {});
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            w.exited,
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, EXIT_WAIT_MS);
              (timer as { unref?(): void }).unref?.();
            }),
          ]);
          clearTimeout(timer);
        }),
      );
    })();
    return this.disposing;
  }
}

/** Maps a point of a page turned by `-degrees` with {@link rotatePage} back to the input. */
function uprightToInput(w: number, h: number, W: number, H: number, degrees: number): (p: Point) => Point {
  const a = (degrees * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  return (p) => {
    const dx = p.x - W / 2;
    const dy = p.y - H / 2;
    return { x: w / 2 + dx * c - dy * s, y: h / 2 + dx * s + dy * c };
  };
}

function invert(pixels: ImagePixels): ImagePixels {
  const data = new Uint8Array(pixels.data.length);
  for (let i = 0; i < data.length; i++) data[i] = 255 - pixels.data[i]!;
  return { ...pixels, data };
}

/** Binary PPM (P6): Leptonica reads it without decoding work and it carries no EXIF to re-apply. */
function encodePpm(pixels: ImagePixels): Uint8Array {
  const header = new TextEncoder().encode(`P6\n${pixels.width} ${pixels.height}\n255\n`);
  const out = new Uint8Array(header.length + pixels.data.length);
  out.set(header);
  out.set(pixels.data, header.length);
  return out;
}

function bboxQuad(b: Tesseract.Bbox, rotate: (x: number, y: number) => { x: number; y: number }): Quad {
  return [rotate(b.x0, b.y0), rotate(b.x1, b.y0), rotate(b.x1, b.y1), rotate(b.x0, b.y1)];
}

/**
 * Tesseract's page (paragraphs → lines → words, boxes in the straightened image when it rotated
 * it) to engine lines in input pixels; paragraphs become blocks.
 */
export function pageToOutput(page: Tesseract.Page, width: number, height: number): EngineOutput {
  // rotateRadians is the correction Tesseract applied: the page itself is tilted the other way.
  const angle = -(page.rotateRadians ?? 0) || 0;
  const cx = width / 2;
  const cy = height / 2;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // Tesseract turned the image by `angle` about its centre (same canvas); turn boxes back.
  const rotate = (x: number, y: number) =>
    angle === 0 ? { x, y } : { x: cx + (x - cx) * c - (y - cy) * s, y: cy + (x - cx) * s + (y - cy) * c };
  const lines: EngineLine[] = [];
  const blocks: number[][] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs ?? []) {
      const members: number[] = [];
      for (const line of para.lines ?? []) {
        const words: EngineWord[] = [];
        for (const w of line.words ?? []) {
          const text = w.text.trim();
          if (!text) continue;
          words.push({ text, quad: bboxQuad(w.bbox, rotate), confidence: w.confidence / 100 });
        }
        if (!words.length) continue;
        members.push(lines.length);
        lines.push({
          text: words.map((w) => w.text).join(' '),
          quad: bboxQuad(line.bbox, rotate),
          confidence: line.confidence / 100,
          words,
        });
      }
      if (members.length) blocks.push(members);
    }
  }
  return { lines, angle: (angle * 180) / Math.PI, blocks };
}
