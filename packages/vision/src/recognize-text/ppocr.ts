import {
  defaultThreads,
  DisposedError,
  getConfig,
  type ImagePixels,
  type LoadModelOptions,
  loadModel,
  ModelLoadError,
  throwIfAborted,
} from '@ondevice/core';
import { createOnnxSession, type OrtModule } from '@ondevice/core/onnx';

import { PPOCR_KEYS, PPOCR_V4_DET, PPOCR_V4_REC } from '../models.js';
import { useVisionModelPackages } from '../package-root.js';
import type { EngineCallOptions, EngineLine, EngineOutput, TextEngine } from './engine.js';
import { flipQuad, type Quad, subQuad } from './geometry.js';
import {
  ctcDecode,
  type DbBox,
  type DbOptions,
  dbBoxes,
  mergeRowPieces,
  type PlacedChar,
  pageAngle,
  splitWords,
  type TextStrip,
  trimToInk,
} from './postprocess.js';
import {
  borderFill,
  cropLine,
  cropStrip,
  detInput,
  type LineCrop,
  REC_HEIGHT,
  splitColumns,
  writeRecInput,
} from './preprocess.js';

type Session = Awaited<ReturnType<typeof createOnnxSession>>['session'];
type Feeds = Parameters<Session['run']>[0];
type Outputs = Awaited<ReturnType<Session['run']>>;

/** Tuning of the PP-OCR pipeline (defaults chosen by measurement on the OCR evaluation set). */
export interface PpOcrSettings {
  /** Longest detector side; larger images are scaled down. */
  detMaxSide: number;
  /** Images whose longer side is smaller are scaled up to this for detection. */
  detMinSide: number;
  db: Partial<DbOptions>;
  /** Line crops wider than this (at height 48) are cut at blank columns into pieces. */
  maxPieceWidth: number;
  /** Narrowest recogniser input (PaddleOCR pads to 320; 96 read the same on our set, with less padding to compute). */
  minRecWidth: number;
  /**
   * Width buckets: each piece's recogniser input is its width rounded up to a multiple of this
   * (padded with mid-grey), and only pieces of the same bucket share a run — so no piece is padded
   * to a wider neighbour's width.
   */
  widthStep: number;
  /**
   * Columns of mid-grey after each piece before its width is rounded up to its bucket. 32 read no
   * image of the OCR set worse than the sorted batches before (each padded to its widest); with 0,
   * one page lost two characters.
   */
  padRight: number;
  /** Most pieces per recogniser run. */
  batchSize: number;
  /** Most input columns per recogniser run (pieces × width): a bucket of wide pieces is split. */
  batchColumns: number;
  /** How pieces are grouped into recogniser runs: {@link recBatches} (a benchmark may plug in another rule). */
  groupRuns: (pieces: readonly Piece[], s: PpOcrSettings) => RecRun[];
  /** A blank column run at least this × the line's ink height between two characters is a word gap. */
  wordGap: number;
  /**
   * A gap in the recogniser's time steps between two characters at least this × the line height
   * (48) and {@link PpOcrSettings.timeGapRatio} × the line's median gap is a word gap ("HellO
   * World" on a starry background, with no blank column between the words, read "HelloWorld").
   */
  timeGap: number;
  /** See {@link PpOcrSettings.timeGap}. */
  timeGapRatio: number;
  /** A detected line read with a mean confidence below this counts as unread in the coverage check. */
  unreadBelow: number;
  /** Below this mean confidence the page is also tried upside down. */
  flipCheckBelow: number;
  /**
   * onnxruntime-node intra-op threads of each session. Default (undefined): `configure({ threads })`,
   * else core's `defaultThreads()` (half the machine's cores, 1 to 4).
   */
  threads: number | undefined;
}

/** Defaults of {@link PpOcrSettings}. */
export const DEFAULT_PPOCR_SETTINGS: PpOcrSettings = {
  detMaxSide: 1280,
  detMinSide: 960,
  db: {},
  maxPieceWidth: 640,
  minRecWidth: 96,
  widthStep: 8,
  padRight: 32,
  batchSize: 8,
  batchColumns: 4096,
  groupRuns: (pieces, s) => recBatches(pieces, s),
  wordGap: 0.3,
  timeGap: 0.6,
  timeGapRatio: 2.25,
  unreadBelow: 0.5,
  flipCheckBelow: 0.9,
  threads: undefined,
};

/** A column range `[x0, x1)` of line crop `line`, recognised on its own. */
export interface Piece {
  line: number;
  x0: number;
  x1: number;
}

/** A detected line in input pixels: its corners, and for a curved line its centre line. */
export interface DetectedLine {
  quad: Quad;
  strip?: TextStrip | undefined;
}

/** The line read the other way round (turned by 180°). */
function flipLine(l: DetectedLine): DetectedLine {
  return {
    quad: flipQuad(l.quad),
    strip: l.strip && { points: [...l.strip.points].reverse(), halfHeight: l.strip.halfHeight },
  };
}

function cropOf(pixels: ImagePixels, l: DetectedLine, fill: number): LineCrop {
  return l.strip ? cropStrip(pixels, l.strip, fill) : cropLine(pixels, l.quad, fill);
}

interface Decoded {
  chars: PlacedChar[];
  confidence: number;
}

/**
 * PaddleOCR PP-OCRv4 on onnxruntime: DB detector, rotated line crops, CTC recogniser with word
 * boxes and word gaps recovered from its time steps, page orientation chosen by the recogniser's
 * confidence (the shipped angle classifier is not used: it flipped correct lines).
 *
 * @example
 * ```ts
 * const engine = await PpOcrEngine.create();
 * const { lines } = await engine.recognize(pixels, {});
 * ```
 */
export class PpOcrEngine implements TextEngine {
  readonly name = 'ppocr' as const;
  private disposed = false;
  private disposing: Promise<void> | undefined;
  /** Inference runs in progress: dispose() waits for them before it releases the sessions. */
  private readonly running = new Set<Promise<unknown>>();
  private constructor(
    private readonly ort: OrtModule,
    private readonly det: Session,
    private readonly rec: Session,
    private readonly charset: string[],
    readonly settings: PpOcrSettings,
  ) {}

  /** Loads the detector, recogniser and dictionary through the model store. */
  static async create(
    settings: Partial<PpOcrSettings> = {},
    load: LoadModelOptions = {},
  ): Promise<PpOcrEngine> {
    const s = { ...DEFAULT_PPOCR_SETTINGS, ...settings };
    if (s.threads === undefined) s.threads = getConfig().threads ?? defaultThreads();
    const sessionOptions = { intraOpNumThreads: s.threads, interOpNumThreads: 1 };
    await useVisionModelPackages();
    const [det, rec, keys] = await Promise.all([
      createOnnxSession(PPOCR_V4_DET, { ...load, sessionOptions }),
      createOnnxSession(PPOCR_V4_REC, { ...load, sessionOptions }),
      loadModel(PPOCR_KEYS, load),
    ]);
    const bytes = keys.files.get('ppocr_keys_v1.txt');
    if (!bytes) throw new ModelLoadError('ppocr-keys has no ppocr_keys_v1.txt.');
    const charset = new TextDecoder().decode(bytes).split(/\r?\n/);
    if (charset[charset.length - 1] === '') charset.pop();
    charset.push(' ');
    return new PpOcrEngine(det.ort, det.session, rec.session, charset, s);
  }

  /**
   * Runs one session; rejects with DisposedError when dispose() ran before or during the run (the
   * outputs of a run that finished after dispose() are freed, never returned).
   */
  private async run(session: Session, feeds: Feeds): Promise<Outputs> {
    if (this.disposed) throw new DisposedError('This text recognizer');
    const job = session.run(feeds);
    this.running.add(job);
    try {
      const out = await job;
      if (this.disposed) {
        for (const t of Object.values(out)) t.dispose();
        throw new DisposedError('This text recognizer');
      }
      return out;
    } catch (error) {
      if (this.disposed) throw new DisposedError('This text recognizer');
      throw error;
    } finally {
      this.running.delete(job);
    }
  }

  async recognize(pixels: ImagePixels, options: EngineCallOptions): Promise<EngineOutput> {
    const { signal } = options;
    const rejected: Quad[] = [];
    const quads = await this.detect(pixels, signal, rejected);
    if (!quads.length) return { lines: [], angle: 0, regions: rejected.length, unread: rejected };
    const fill = borderFill(pixels);
    let crops = quads.map((q) => cropOf(pixels, q, fill));
    let decoded = await this.recognizeCrops(crops, signal);
    let lineQuads = quads;
    const mean = meanConfidence(decoded);
    if (mean < this.settings.flipCheckBelow) {
      // Upside-down (or 90° the other way) pages: try the longest lines turned by 180°.
      const sample = quads
        .map((_q, i) => ({ i, w: crops[i]!.pixels.width }))
        .sort((a, b) => b.w - a.w)
        .slice(0, 6)
        .map((x) => x.i);
      const flippedCrops = sample.map((i) => cropOf(pixels, flipLine(quads[i]!), fill));
      const flipped = await this.recognizeCrops(flippedCrops, signal);
      const before = meanConfidence(sample.map((i) => decoded[i]!));
      const after = meanConfidence(flipped);
      if (after > before + 0.05) {
        lineQuads = quads.map(flipLine);
        crops = lineQuads.map((q) => cropOf(pixels, q, fill));
        decoded = await this.recognizeCrops(crops, signal);
      }
    }
    const lines: EngineLine[] = [];
    const unread = [...rejected];
    for (let i = 0; i < lineQuads.length; i++) {
      const line = this.toLine(lineQuads[i]!.quad, crops[i]!, decoded[i]!);
      if (line && line.confidence >= this.settings.unreadBelow) lines.push(line);
      else {
        unread.push(lineQuads[i]!.quad);
        if (line) lines.push(line);
      }
    }
    const merged = mergeRowPieces(lines);
    return {
      lines: merged,
      angle: pageAngle(merged.map((l) => l.quad)),
      regions: quads.length + rejected.length,
      unread,
    };
  }

  /**
   * The page's reading direction in degrees (clockwise on screen, any of 360°) from the detector's
   * boxes, with the direction along them decided by the recogniser's confidence on the longest
   * lines read both ways. 0 when no text is found.
   */
  async orientation(pixels: ImagePixels, signal?: AbortSignal): Promise<number> {
    const quads = await this.detect(pixels, signal);
    if (!quads.length) return 0;
    const fill = borderFill(pixels);
    const len = (q: Quad) => Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    const sample = [...quads].sort((a, b) => len(b.quad) - len(a.quad)).slice(0, 4);
    const [ahead, back] = await Promise.all([
      this.recognizeCrops(
        sample.map((l) => cropOf(pixels, l, fill)),
        signal,
      ),
      this.recognizeCrops(
        sample.map((l) => cropOf(pixels, flipLine(l), fill)),
        signal,
      ),
    ]);
    const flip = meanConfidence(back) > meanConfidence(ahead) + 0.05;
    return pageAngle(quads.map((l) => (flip ? flipQuad(l.quad) : l.quad)));
  }

  /** Runs the DB detector and returns the lines in input pixels (curved ones with their centre line). */
  async detect(pixels: ImagePixels, signal?: AbortSignal, rejected?: Quad[]): Promise<DetectedLine[]> {
    throwIfAborted(signal, 'Text recognition');
    const input = detInput(pixels, this.settings.detMaxSide, this.settings.detMinSide);
    const tensor = new this.ort.Tensor('float32', input.data, [1, 3, input.height, input.width]);
    const out = await this.run(this.det, { [this.det.inputNames[0]!]: tensor });
    throwIfAborted(signal, 'Text recognition');
    const map = out[this.det.outputNames[0]!]!;
    const prob = map.data as Float32Array;
    const dropped: DbBox[] = [];
    const boxes = dbBoxes(prob, input.width, input.height, this.settings.db, dropped);
    for (const t of Object.values(out)) t.dispose();
    const { scaleX, scaleY } = input;
    const at = (p: { x: number; y: number }) => ({ x: p.x * scaleX, y: p.y * scaleY });
    for (const b of dropped) rejected?.push(b.quad.map(at) as Quad);
    return boxes.map((b) => ({
      quad: b.quad.map(at) as Quad,
      strip: b.strip && {
        points: b.strip.points.map(at),
        halfHeight: b.strip.halfHeight * Math.sqrt(scaleX * scaleY),
      },
    }));
  }

  /**
   * Recognises line crops (long ones in pieces), batched by width bucket: pieces whose widths
   * round up to the same multiple of `widthStep` run together, at most `batchSize` pieces and
   * `batchColumns` columns per run.
   */
  async recognizeCrops(crops: LineCrop[], signal?: AbortSignal): Promise<Decoded[]> {
    const s = this.settings;
    const pieces: Piece[] = [];
    crops.forEach((c, line) => {
      const cuts = splitColumns(c.blank, s.maxPieceWidth);
      let x0 = 0;
      for (const cut of [...cuts, c.pixels.width]) {
        if (cut > x0) pieces.push({ line, x0, x1: cut });
        x0 = cut;
      }
    });
    const chars: PlacedChar[][] = crops.map(() => []);
    const results: { piece: Piece; chars: PlacedChar[] }[] = [];
    for (const { width, batch } of s.groupRuns(pieces, s)) {
      throwIfAborted(signal, 'Text recognition');
      const data = new Float32Array(batch.length * 3 * REC_HEIGHT * width);
      batch.forEach((p, k) => {
        writeRecInput(data, k, width, crops[p.line]!.pixels, p.x0, p.x1);
      });
      const tensor = new this.ort.Tensor('float32', data, [batch.length, 3, REC_HEIGHT, width]);
      const out = await this.run(this.rec, { [this.rec.inputNames[0]!]: tensor });
      const probs = out[this.rec.outputNames[0]!]!;
      const [, steps, classes] = probs.dims as [number, number, number];
      const values = probs.data as Float32Array;
      const stepWidth = width / steps;
      batch.forEach((p, k) => {
        const decodedChars = ctcDecode(values, steps, classes, this.charset, k * steps * classes);
        const placed: PlacedChar[] = [];
        for (const c of decodedChars) {
          const x0 = p.x0 + c.start * stepWidth;
          const x1 = p.x0 + (c.end + 1) * stepWidth;
          if (x0 >= p.x1) continue; // padding
          placed.push({ char: c.char, x0, x1: Math.min(x1, p.x1), prob: c.prob });
        }
        results.push({ piece: p, chars: placed });
      });
      for (const t of Object.values(out)) t.dispose();
    }
    results.sort((a, b) => a.piece.line - b.piece.line || a.piece.x0 - b.piece.x0);
    for (const r of results) chars[r.piece.line]!.push(...r.chars);
    return chars.map((c) => ({
      chars: c,
      confidence: c.length ? c.reduce((sum, x) => sum + x.prob, 0) / c.length : 0,
    }));
  }

  private toLine(quad: Quad, crop: LineCrop, decoded: Decoded): EngineLine | undefined {
    const W = crop.pixels.width;
    const blankRun = Math.max(3, this.settings.wordGap * (crop.inkHeight || REC_HEIGHT / 2));
    const rule = {
      blankRun,
      timeGap: this.settings.timeGap * REC_HEIGHT,
      timeRatio: this.settings.timeGapRatio,
    };
    const words = splitWords(decoded.chars, crop.blank, rule).map((w) => {
      const [a, b] = trimToInk(crop.blank, w.x0, w.x1);
      return { text: w.text, quad: subQuad(quad, a / W, b / W), confidence: w.confidence };
    });
    if (!words.length) return undefined;
    return { text: words.map((w) => w.text).join(' '), quad, confidence: decoded.confidence, words };
  }

  /**
   * Later and pending calls reject with DisposedError at their next inference; the sessions are
   * released once the runs in progress have finished (releasing under a running session is not safe).
   */
  dispose(): Promise<void> {
    if (this.disposing) return this.disposing;
    this.disposed = true;
    this.disposing = (async () => {
      await Promise.allSettled([...this.running]);
      await Promise.allSettled([this.det.release(), this.rec.release()]);
    })();
    return this.disposing;
  }
}

/** One recogniser run: pieces written side by side into a batch `width` columns wide. */
export interface RecRun {
  width: number;
  batch: Piece[];
}

/**
 * The recogniser runs for a list of pieces, by width bucket: each piece's input width is its width
 * plus `padRight`, rounded up to a multiple of `widthStep` (at least `minRecWidth`); pieces of one
 * width run together, at most `batchSize` and `batchColumns / width` of them (at least one) per
 * run; narrow buckets first.
 *
 * @example
 * ```ts
 * recBatches([{ line: 0, x0: 0, x1: 300 }], DEFAULT_PPOCR_SETTINGS); // [{ width: 336, batch: [...] }]
 * ```
 */
export function recBatches(
  pieces: readonly Piece[],
  s: Pick<PpOcrSettings, 'minRecWidth' | 'widthStep' | 'padRight' | 'batchSize' | 'batchColumns'>,
): RecRun[] {
  const buckets = new Map<number, Piece[]>();
  for (const p of pieces) {
    const width = Math.max(s.minRecWidth, Math.ceil((p.x1 - p.x0 + s.padRight) / s.widthStep) * s.widthStep);
    const bucket = buckets.get(width);
    if (bucket) bucket.push(p);
    else buckets.set(width, [p]);
  }
  const runs: RecRun[] = [];
  for (const width of [...buckets.keys()].sort((a, b) => a - b)) {
    const bucket = buckets.get(width)!;
    const per = Math.max(1, Math.min(s.batchSize, Math.floor(s.batchColumns / width)));
    for (let i = 0; i < bucket.length; i += per) runs.push({ width, batch: bucket.slice(i, i + per) });
  }
  return runs;
}

/**
 * The grouping this engine used before width buckets (issue #18), kept for comparison in the
 * benchmark and the tests: pieces sorted by width, `batchSize` per run, each padded to the widest
 * of its run (a multiple of 8, at least `minRecWidth`).
 *
 * @example
 * ```ts
 * const before = await PpOcrEngine.create({ groupRuns: sortedRecBatches });
 * ```
 */
export function sortedRecBatches(
  pieces: readonly Piece[],
  s: Pick<PpOcrSettings, 'minRecWidth' | 'batchSize'>,
): RecRun[] {
  const order = [...pieces].sort((a, b) => a.x1 - a.x0 - (b.x1 - b.x0));
  const runs: RecRun[] = [];
  for (let i = 0; i < order.length; i += s.batchSize) {
    const batch = order.slice(i, i + s.batchSize);
    const widest = Math.max(...batch.map((p) => p.x1 - p.x0));
    runs.push({ width: Math.max(s.minRecWidth, Math.ceil(widest / 8) * 8), batch });
  }
  return runs;
}

function meanConfidence(decoded: readonly Decoded[]): number {
  let sum = 0;
  let n = 0;
  for (const d of decoded) {
    for (const c of d.chars) {
      sum += c.prob;
      n++;
    }
  }
  return n ? sum / n : 0;
}
