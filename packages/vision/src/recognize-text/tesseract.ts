import {
  AbortedError,
  type ImagePixels,
  isNode,
  type LoadModelOptions,
  loadModel,
  ModelLoadError,
  OnDeviceError,
  type Point,
  sha256Hex,
  throwIfAborted,
  withDeadline,
} from '@ondevice/core';
import type Tesseract from 'tesseract.js';
import { TESSERACT_LANGUAGE_SPECS } from '../models.js';
import type { EngineCallOptions, EngineLine, EngineOutput, EngineWord, TextEngine } from './engine.js';
import type { Quad } from './geometry.js';
import { borderFill } from './preprocess.js';
import { rotatePage } from './synthetic.js';

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
  /** A folder (Node) holding `<lang>.traineddata.gz` to use instead of the model store. For tests. */
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

type Worker = Tesseract.Worker & {
  worker?: { on?(event: string, fn: (...a: unknown[]) => void): void; ref?(): void; unref?(): void };
};

/** Idle workers must not keep a Node process alive (a script that never disposes still exits). */
function setBusy(w: PoolWorker, busy: boolean): void {
  if (busy) w.worker.worker?.ref?.();
  else w.worker.worker?.unref?.();
}

interface PoolWorker {
  worker: Worker;
  dead: boolean;
}

/**
 * Tesseract (tesseract.js 7, LSTM) with language data from the model store (SHA-256 checked),
 * never a CDN, and a pool of reused workers. A worker that fails to start rejects with
 * ModelLoadError instead of crashing the process or hanging; a worker that dies or times out is
 * replaced.
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
  private readonly waiting: ((w: PoolWorker | Error) => void)[] = [];
  private starting = 0;
  private disposed = false;

  private constructor(
    private readonly tesseract: typeof Tesseract,
    private readonly langPath: string,
    readonly settings: TesseractSettings,
  ) {}

  /** Loads the language data and starts the first worker (so start-up problems surface here). */
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
    const langPath = s.langPath ?? (await materialiseLanguages(s.languages, load));
    const tesseract = (await import('tesseract.js')).default as unknown as typeof Tesseract;
    const engine = new TesseractEngine(tesseract, langPath, s);
    engine.release(await engine.spawn(load.signal));
    return engine;
  }

  /** Number of workers currently started. */
  get size(): number {
    return this.all.size;
  }

  private async spawn(signal?: AbortSignal): Promise<PoolWorker> {
    this.starting++;
    let failure: unknown;
    let rejectStart: ((e: unknown) => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      rejectStart = reject;
    });
    try {
      const created = this.tesseract.createWorker(this.settings.languages.join('+'), 1, {
        langPath: this.langPath,
        cacheMethod: 'none',
        gzip: true,
        logger: () => {},
        // Without a handler a failed job throws inside tesseract.js where nobody can catch it.
        errorHandler: (e: unknown) => {
          failure = e;
          rejectStart?.(e);
        },
      }) as Promise<Worker>;
      const worker = await withDeadline(Promise.race([created, failed]), {
        timeout: this.settings.startTimeout,
        signal,
        what: 'Starting a Tesseract worker',
        onCancel: () => {
          created.then((w) => w.terminate()).catch(() => {});
        },
      });
      const pw: PoolWorker = { worker, dead: false };
      worker.worker?.on?.('exit', () => {
        pw.dead = true;
      });
      worker.worker?.on?.('error', () => {
        pw.dead = true;
      });
      this.all.add(pw);
      return pw;
    } catch (error) {
      if (error instanceof AbortedError) throw error;
      const why =
        error instanceof OnDeviceError
          ? error.message
          : String((error as Error)?.message ?? failure ?? error);
      throw new ModelLoadError(
        `A Tesseract worker for "${this.settings.languages.join('+')}" could not start: ${why}. Check the language data (${this.langPath}).`,
        { cause: error },
      );
    } finally {
      this.starting--;
    }
  }

  private async acquire(signal?: AbortSignal): Promise<PoolWorker> {
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
        const i = this.waiting.indexOf(take);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new AbortedError('Text recognition', { cause: signal?.reason }));
      };
      const take = (w: PoolWorker | Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (w instanceof Error) reject(w);
        else resolve(w);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(take);
    });
  }

  private release(w: PoolWorker): void {
    if (w.dead || this.disposed) {
      this.discard(w);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(w);
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
      if (this.disposed) next(new ModelLoadError('The text recognizer was disposed.'));
      else this.spawn().then(next, (e: unknown) => next(e as Error));
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
    throwIfAborted(signal, 'Text recognition');
    const first = await this.read(pixels, 0, this.settings.rotateAuto, signal);
    if (!this.settings.orient || first.confidence >= this.settings.deskewBelow) return first.out;
    const angle = await this.settings.orient(pixels, signal);
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
    const pw = await this.acquire(signal);
    let page: Tesseract.Page;
    try {
      // Page segmentation 3 (automatic, as the tesseract CLI): tesseract.js otherwise reads the
      // page as one block and runs side-by-side columns together.
      const job = pw.worker.recognize(
        image as unknown as Buffer,
        {
          rotateAuto,
          tessedit_pageseg_mode: '3',
          debug_file: '/dev/null',
        } as Partial<Tesseract.RecognizeOptions>,
        { blocks: true, text: true },
      );
      page = (await withDeadline(job, { signal, what: 'Text recognition', onCancel: () => this.discard(pw) }))
        .data;
    } catch (error) {
      if (!pw.dead) {
        // A failed job may leave the worker in an unknown state: replace it.
        this.discard(pw);
      }
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

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const take of this.waiting.splice(0)) take(new ModelLoadError('The text recognizer was disposed.'));
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.allSettled(workers.map((w) => w.worker.terminate()));
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

const materialised = new Map<string, Promise<string>>();

/**
 * Loads each language's data through the model store (SHA-256 checked) and writes the verified
 * bytes to a private temporary folder that tesseract.js reads as its `langPath` (it cannot take
 * the bytes themselves for more than a name).
 */
async function materialiseLanguages(languages: readonly string[], load: LoadModelOptions): Promise<string> {
  const specs = languages.map((code) => {
    const spec = TESSERACT_LANGUAGE_SPECS[code];
    if (!spec) throw new ModelLoadError(`No Tesseract data for "${code}" in this package.`);
    return spec;
  });
  const key = specs.map((s) => s.files[0]!.sha256.slice(0, 16)).join('-');
  let p = materialised.get(key);
  if (!p) {
    p = (async () => {
      const fs = await import('node:fs/promises');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const dir = join(tmpdir(), 'ondevice-tessdata', key);
      await fs.mkdir(dir, { recursive: true });
      for (let i = 0; i < specs.length; i++) {
        const spec = specs[i]!;
        const file = spec.files[0]!;
        const target = join(dir, `${languages[i]}.traineddata.gz`);
        const existing = await fs.readFile(target).catch(() => undefined);
        if (existing?.byteLength === file.size && (await sha256Hex(existing)) === file.sha256) continue;
        const bytes = (await loadModel(spec, load)).files.get(file.path);
        if (!bytes) throw new ModelLoadError(`${spec.id} has no ${file.path}.`);
        const tmp = `${target}.${process.pid}.tmp`;
        await fs.writeFile(tmp, bytes);
        await fs.rename(tmp, target);
      }
      return dir;
    })().catch((error: unknown) => {
      materialised.delete(key);
      throw error;
    });
    materialised.set(key, p);
  }
  return p;
}
