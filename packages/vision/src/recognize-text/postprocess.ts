import type { BoundingBox, Point } from '@ondevice/core';
import { minAreaRect, type Quad, quadAngle, quadBox, type RotatedRect, rectCorners } from './geometry.js';

/** Settings of the DB text-detector post-processing. */
export interface DbOptions {
  /** Probability above which a map pixel is text. */
  binaryThreshold: number;
  /**
   * Minimum mean probability over a candidate's own pixels (PaddleOCR's `score_mode: 'slow'`,
   * the polygon of the region rather than its rectangle: a curved line's rectangle is mostly
   * background and scored under any threshold).
   */
  boxThreshold: number;
  /** How far a shrunk text kernel is grown back (area × ratio / perimeter). */
  unclipRatio: number;
  /** Boxes whose shorter side (map pixels) is below this are dropped. */
  minSize: number;
  /** At most this many candidates are examined (largest first). */
  maxCandidates: number;
  /**
   * A region whose rectangle is more than this × thicker than its text (measured across it, slice
   * by slice along it) is a curved line: it is followed along its centre line instead of being cut
   * out as one rectangle. `Infinity` turns that off.
   */
  curvedRatio: number;
  /**
   * A region more than this × as thick as the page's typical line is split where its probability
   * dips (two lines that touch in the map); `Infinity` turns that off.
   */
  mergedRatio: number;
}

/**
 * PaddleOCR's DB settings (threshold 0.3, unclip 1.6 as its PP-OCRv4 server settings, min size 3),
 * with the box score taken over the region itself ('slow' mode) and a box threshold of 0.5 that
 * keeps faint real lines (one scored 0.55).
 */
export const DEFAULT_DB_OPTIONS: DbOptions = {
  binaryThreshold: 0.3,
  boxThreshold: 0.5,
  unclipRatio: 1.6,
  minSize: 3,
  maxCandidates: 1000,
  curvedRatio: 1.35,
  mergedRatio: 1.7,
};

/**
 * A curved text line: points along its centre line in reading order and half its thickness
 * (already grown by the unclip distance), in the same pixels as the box.
 */
export interface TextStrip {
  points: Point[];
  halfHeight: number;
}

/** A detected text region in probability-map pixels. */
export interface DbBox {
  rect: RotatedRect;
  /**
   * The line's corners. For a curved line, the rectangle from the start to the end of its centre
   * line, as thick as the text (its middle may bulge out of it; `strip` follows it).
   */
  quad: Quad;
  score: number;
  /** Set for curved lines: the centre line to cut the text out along. */
  strip?: TextStrip;
}

interface Component {
  /** Offsets into the shared pixel list. */
  start: number;
  size: number;
}

/** 8-connected components of `mask` (pixel indices listed in `pix`, per component a range). */
function components(
  mask: (i: number) => boolean,
  width: number,
  height: number,
  candidates: Int32Array | undefined,
  labels: Int32Array,
  pix: Int32Array,
  pixStart: number,
): { comps: Component[]; end: number } {
  const comps: Component[] = [];
  let top = pixStart;
  const n = candidates ? candidates.length : width * height;
  for (let k = 0; k < n; k++) {
    const start = candidates ? candidates[k]! : k;
    if (labels[start] !== 0 || !mask(start)) continue;
    const first = top;
    labels[start] = 1;
    pix[top++] = start;
    // The list itself is the queue: every pixel added is expanded once.
    for (let head = first; head < top; head++) {
      const p = pix[head]!;
      const y = (p / width) | 0;
      const x = p - y * width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
          const q = yy * width + xx;
          if (labels[q] === 0 && mask(q)) {
            labels[q] = 1;
            pix[top++] = q;
          }
        }
      }
    }
    comps.push({ start: first, size: top - first });
  }
  return { comps, end: top };
}

/** What a region looks like along its rectangle: thickness and centre per slice. */
interface Profile {
  rect: RotatedRect;
  /** Slice centres along u (from the rectangle's start), centre offsets across, thicknesses. */
  at: number[];
  centre: number[];
  thick: number[];
  medianThick: number;
  /** The 85th percentile of the slices' thickness: ascenders and descenders included. */
  fullThick: number;
}

function profileOf(pixels: ArrayLike<number>, width: number): Profile {
  const points: Point[] = [];
  const rows = new Map<number, [number, number]>();
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]!;
    const y = (p / width) | 0;
    const x = p - y * width;
    const r = rows.get(y);
    if (!r) rows.set(y, [x, x]);
    else {
      if (x < r[0]) r[0] = x;
      if (x > r[1]) r[1] = x;
    }
  }
  for (const [y, [x0, x1]] of rows) points.push({ x: x0 + 0.5, y: y + 0.5 }, { x: x1 + 1 - 0.5, y: y + 0.5 });
  // Pixel extents (a pixel is a unit square): the hull of the row ends, widened by half a pixel.
  const rect = minAreaRect(points);
  const { ux, uy } = rect;
  const u0 = rect.cx * ux + rect.cy * uy - rect.width / 2;
  const v0 = -rect.cx * uy + rect.cy * ux;
  // Slices short enough that a bowed line's slope inside one adds little to its thickness.
  const bin = Math.max(2, Math.min(rect.height / 2, rect.width / 8));
  const nb = Math.max(1, Math.ceil((rect.width + 1) / bin));
  const lo = new Float64Array(nb).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(nb).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]!;
    const py = ((p / width) | 0) + 0.5;
    const px = p - (py - 0.5) * width + 0.5;
    const su = px * ux + py * uy - u0;
    const sv = -px * uy + py * ux - v0;
    const b = Math.min(nb - 1, Math.max(0, Math.floor(su / bin)));
    if (sv < lo[b]!) lo[b] = sv;
    if (sv > hi[b]!) hi[b] = sv;
  }
  const at: number[] = [];
  const centre: number[] = [];
  const thick: number[] = [];
  for (let b = 0; b < nb; b++) {
    if (!Number.isFinite(lo[b]!)) continue;
    at.push(Math.min(rect.width, (b + 0.5) * bin));
    centre.push((lo[b]! + hi[b]!) / 2);
    thick.push(hi[b]! - lo[b]! + 1);
  }
  const sorted = [...thick].sort((a, b) => a - b);
  return {
    rect,
    at,
    centre,
    thick,
    medianThick: sorted[sorted.length >> 1] ?? 0,
    fullThick: sorted[Math.floor(0.85 * (sorted.length - 1))] ?? 0,
  };
}

/**
 * Mean of the map over a region's own pixels: the stand-in here for PaddleOCR's 'slow' score (the
 * mean inside the region's outline; DB regions rarely have holes). Row spans would not do: across
 * a bowed line, a row's span runs along the chord, through background.
 */
function regionScore(prob: Float32Array, pixels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) sum += prob[pixels[i]!]!;
  return pixels.length ? sum / pixels.length : 0;
}

/**
 * Splits a region that holds two or more touching lines: the region is thresholded again, higher
 * and higher, until it falls into several cores of line length; every pixel of the region then
 * joins the core it reaches first (a flood from all cores at once). Returns undefined when no
 * threshold separates it.
 */
function splitMerged(
  prob: Float32Array,
  pixels: Int32Array,
  width: number,
  height: number,
  minLength: number,
  base: number,
): Int32Array[] | undefined {
  const inRegion = new Uint8Array(width * height);
  for (const p of pixels) inRegion[p] = 1;
  for (const t of [base + 0.15, base + 0.3, base + 0.45, base + 0.55]) {
    if (t >= 0.95) break;
    const labels = new Int32Array(width * height);
    const pix = new Int32Array(pixels.length);
    const { comps } = components(
      (i) => inRegion[i] === 1 && prob[i]! > t,
      width,
      height,
      pixels,
      labels,
      pix,
      0,
    );
    const cores = comps.filter((c) => {
      const r = minAreaRect(
        Array.from(pix.subarray(c.start, c.start + c.size), (p) => ({
          x: (p % width) + 0.5,
          y: ((p / width) | 0) + 0.5,
        })),
      );
      return r.width >= minLength;
    });
    if (cores.length < 2) continue;
    // Multi-source flood inside the region from the cores.
    const owner = new Int32Array(width * height);
    const queue = new Int32Array(pixels.length);
    let head = 0;
    let tail = 0;
    cores.forEach((c, k) => {
      for (let i = c.start; i < c.start + c.size; i++) {
        owner[pix[i]!] = k + 1;
        queue[tail++] = pix[i]!;
      }
    });
    while (head < tail) {
      const p = queue[head++]!;
      const y = (p / width) | 0;
      const x = p - y * width;
      for (const [dx, dy] of NEIGHBOURS) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const q = yy * width + xx;
        if (inRegion[q] && owner[q] === 0) {
          owner[q] = owner[p]!;
          queue[tail++] = q;
        }
      }
    }
    const parts: number[][] = cores.map(() => []);
    for (const p of pixels) if (owner[p]) parts[owner[p]! - 1]!.push(p);
    return parts.map((a) => Int32Array.from(a));
  }
  return undefined;
}

const NEIGHBOURS: [number, number][] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
];

/**
 * Finds text boxes in a DB probability map, following PaddleOCR's `DBPostProcess`: threshold,
 * 8-connected regions, minimum-area rectangle of each (dropped when thinner than `minSize`), the
 * mean probability over the region itself (dropped below `boxThreshold`), the rectangle grown by
 * the unclip distance. Two additions for photographed pages: a region much thicker than the
 * page's typical line is split where its probability dips (touching lines), and a curved line
 * (rectangle much thicker than its text) gets a `strip` along its centre line. Line-shaped regions
 * dropped by the box threshold are pushed to `rejected` when given (for the coverage check).
 *
 * @example
 * ```ts
 * const boxes = dbBoxes(prob, mapWidth, mapHeight); // [{ rect, quad, score, strip? }]
 * ```
 */
export function dbBoxes(
  prob: Float32Array,
  width: number,
  height: number,
  options: Partial<DbOptions> = {},
  rejected?: DbBox[],
): DbBox[] {
  const o = { ...DEFAULT_DB_OPTIONS, ...options };
  const n = width * height;
  const labels = new Int32Array(n);
  const pix = new Int32Array(n);
  const { comps } = components((i) => prob[i]! > o.binaryThreshold, width, height, undefined, labels, pix, 0);
  comps.sort((a, b) => b.size - a.size);
  let regions = comps.slice(0, o.maxCandidates).map((c) => pix.subarray(c.start, c.start + c.size));
  let profiles = regions.map((r) => profileOf(r, width));
  // The page's typical line thickness: median over the long regions, weighted by length.
  const lineThick = typicalThickness(profiles, o.minSize);
  if (Number.isFinite(o.mergedRatio) && lineThick > 0) {
    const next: Int32Array[] = [];
    for (let i = 0; i < regions.length; i++) {
      const p = profiles[i]!;
      const split =
        p.medianThick > o.mergedRatio * lineThick && p.rect.width > 2 * p.medianThick
          ? splitMerged(prob, Int32Array.from(regions[i]!), width, height, 2 * lineThick, o.binaryThreshold)
          : undefined;
      if (split) next.push(...split);
      else next.push(regions[i]!);
    }
    if (next.length !== regions.length) {
      regions = next as typeof regions;
      profiles = regions.map((r) => profileOf(r, width));
    }
  }
  const out: DbBox[] = [];
  for (let i = 0; i < regions.length; i++) {
    const p = profiles[i]!;
    const rect = p.rect;
    if (Math.min(rect.width, rect.height) < o.minSize) continue;
    const score = regionScore(prob, regions[i]!);
    if (score < o.boxThreshold) {
      // Line-shaped but under the box threshold: a line the coverage check may find elsewhere.
      if (rejected && rect.width >= 3 * rect.height && rect.width >= 4 * o.minSize) {
        const grown = unclipRect(rect, o.unclipRatio);
        rejected.push({ rect: grown, quad: rectCorners(grown), score });
      }
      continue;
    }
    const curved =
      Number.isFinite(o.curvedRatio) &&
      p.at.length >= 4 &&
      rect.height > o.curvedRatio * p.fullThick + 1 &&
      rect.width > 4 * p.medianThick;
    if (!curved) {
      const grown = unclipRect(rect, o.unclipRatio);
      if (Math.min(grown.width, grown.height) < o.minSize + 2) continue;
      out.push({ rect: grown, quad: rectCorners(grown), score });
      continue;
    }
    const strip = stripOf(p, o.unclipRatio);
    if (2 * strip.halfHeight < o.minSize + 2) continue;
    const quad = stripQuad(strip);
    out.push({ rect: unclipRect(rect, o.unclipRatio), quad, score, strip });
  }
  return out;
}

function typicalThickness(profiles: readonly Profile[], minSize: number): number {
  const items = profiles
    .filter((p) => p.rect.width > 3 * p.medianThick && p.medianThick >= minSize)
    .map((p) => ({ t: p.medianThick, w: p.rect.width }))
    .sort((a, b) => a.t - b.t);
  const total = items.reduce((s, i) => s + i.w, 0);
  let acc = 0;
  for (const i of items) {
    acc += i.w;
    if (acc >= total / 2) return i.t;
  }
  return 0;
}

/** The centre line of a curved region (smoothed, grown at both ends) and its grown half-thickness. */
function stripOf(p: Profile, ratio: number): TextStrip {
  const { rect, at, centre } = p;
  const { ux, uy } = rect;
  const sm = centre.map((_, i) => {
    let s = 0;
    let k = 0;
    for (let j = Math.max(0, i - 1); j <= Math.min(centre.length - 1, i + 1); j++) {
      s += centre[j]!;
      k++;
    }
    return s / k;
  });
  const length = rect.width + 1;
  const thick = p.fullThick;
  const d = (length * thick * ratio) / (2 * (length + thick));
  const x0 = rect.cx - (ux * rect.width) / 2;
  const y0 = rect.cy - (uy * rect.width) / 2;
  // Centre offsets are across the rectangle, from its middle.
  const point = (s: number, v: number): Point => ({ x: x0 + s * ux - v * uy, y: y0 + s * uy + v * ux });
  const pts = at.map((s, i) => point(s, sm[i]!));
  // Carry the end slopes out to the rectangle's ends, then grow by d.
  const extend = (a: Point, b: Point, s: number): Point => {
    const len = Math.hypot(a.x - b.x, a.y - b.y) || 1;
    return { x: a.x + ((a.x - b.x) / len) * s, y: a.y + ((a.y - b.y) / len) * s };
  };
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const head = extend(first, pts[1]!, at[0]! + d);
  const tail = extend(last, pts[pts.length - 2]!, rect.width - at[at.length - 1]! + d);
  return { points: [head, ...pts, tail], halfHeight: thick / 2 + d };
}

/** The rectangle from a strip's first point to its last, as thick as the strip. */
export function stripQuad(s: TextStrip): Quad {
  const a = s.points[0]!;
  const b = s.points[s.points.length - 1]!;
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const nx = (-(b.y - a.y) / len) * s.halfHeight;
  const ny = ((b.x - a.x) / len) * s.halfHeight;
  return [
    { x: a.x - nx, y: a.y - ny },
    { x: b.x - nx, y: b.y - ny },
    { x: b.x + nx, y: b.y + ny },
    { x: a.x + nx, y: a.y + ny },
  ];
}

/**
 * Grows a rectangle by the DB unclip distance `area × ratio / perimeter` on every side.
 *
 * @example
 * ```ts
 * unclipRect({ cx: 0, cy: 0, width: 10, height: 2, ux: 1, uy: 0 }, 1.5).height; // 2 + 2 × 1.25
 * ```
 */
export function unclipRect(r: RotatedRect, ratio: number): RotatedRect {
  const w = r.width + 1;
  const h = r.height + 1;
  const d = (w * h * ratio) / (2 * (w + h));
  return { ...r, width: w + 2 * d, height: h + 2 * d };
}

/** Mean of a map over the pixels whose centres lie inside a convex quad. */
export function meanInQuad(map: Float32Array, width: number, height: number, q: Quad): number {
  const b = quadBox(q);
  const x0 = Math.max(0, Math.floor(b.x));
  const y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(width - 1, Math.ceil(b.x + b.width));
  const y1 = Math.min(height - 1, Math.ceil(b.y + b.height));
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!insideConvex(q, x + 0.5, y + 0.5)) continue;
      sum += map[y * width + x]!;
      count++;
    }
  }
  return count ? sum / count : 0;
}

function insideConvex(q: Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const c = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x);
    if (Math.abs(c) < 1e-9) continue;
    const s = c > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/** One character decoded from CTC output, with the time steps it occupied and its probability. */
export interface CtcChar {
  char: string;
  /** First and last time step of the character's run. */
  start: number;
  end: number;
  prob: number;
}

/**
 * Greedy CTC decoding: argmax per time step, repeated symbols merged, blanks (index 0) dropped.
 * `charset[k - 1]` is the character of class k.
 *
 * @example
 * ```ts
 * ctcDecode(probs, steps, classes, charset); // [{ char: 'H', start: 2, end: 3, prob: 0.99 }, ...]
 * ```
 */
export function ctcDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  charset: readonly string[],
  offset = 0,
): CtcChar[] {
  const out: CtcChar[] = [];
  let prev = 0;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let k = 1; k < classes; k++) {
      const p = probs[base + k]!;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== 0 && best === prev) {
      const last = out[out.length - 1]!;
      last.end = t;
      last.prob = Math.max(last.prob, bestP);
    } else if (best !== 0) {
      out.push({ char: charset[best - 1] ?? '', start: t, end: t, prob: bestP });
    }
    prev = best;
  }
  return out;
}

/** A decoded character placed on its line: x range in line-crop pixels. */
export interface PlacedChar {
  char: string;
  x0: number;
  x1: number;
  prob: number;
}

/** A word with its x range in line-crop pixels. */
export interface CropWord {
  text: string;
  x0: number;
  x1: number;
  confidence: number;
}

/** Characters that attach to the word before them (no word gap in front of them). */
const CLOSING = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}', '%', '\u2019', '\u201d']);
/** Characters that attach to the word after them. */
const OPENING = new Set(['(', '[', '{', '$', '\u2018', '\u201c']);

/** Word-gap rules of {@link splitWords}. */
export interface WordGapRule {
  /** A run of blank columns at least this wide (crop pixels) between two characters is a gap. */
  blankRun: number;
  /**
   * A gap between two characters' time-step runs (crop pixels) at least this wide, and at least
   * `timeRatio` × the line's median gap, is a word gap the model dropped: the recogniser's own
   * evidence, which works where there are no blank columns (text on a textured background).
   */
  timeGap: number;
  timeRatio: number;
}

/**
 * Splits a decoded line into words. Spaces the model emitted split words. Between two characters
 * without one, a word gap the model dropped is (a) a run of blank columns at least
 * `rule.blankRun` wide, or (b) a gap in its time steps at least `rule.timeGap` wide and
 * `rule.timeRatio` × the line's median gap. Neither splits before closing punctuation (`,` `.`
 * `)` …), after opening punctuation, or inside a number (`101,598.46`).
 *
 * @example
 * ```ts
 * splitWords(chars, blankColumns, { blankRun: 0.3 * inkHeight, timeGap: 29, timeRatio: 2.25 });
 * ```
 */
export function splitWords(
  chars: readonly PlacedChar[],
  blank: ArrayLike<number | boolean>,
  rule: number | WordGapRule,
): CropWord[] {
  const r: WordGapRule =
    typeof rule === 'number'
      ? { blankRun: rule, timeGap: Number.POSITIVE_INFINITY, timeRatio: Number.POSITIVE_INFINITY }
      : rule;
  const gaps: number[] = [];
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1]!;
    const b = chars[i]!;
    if (a.char.trim() !== '' && b.char.trim() !== '') gaps.push(b.x0 - a.x1);
  }
  gaps.sort((x, y) => x - y);
  const medianGap = gaps.length >= 3 ? gaps[gaps.length >> 1]! : Number.POSITIVE_INFINITY;
  const words: CropWord[] = [];
  let cur: PlacedChar[] = [];
  const flush = () => {
    if (!cur.length) return;
    const text = cur.map((c) => c.char).join('');
    const confidence = cur.reduce((s, c) => s + c.prob, 0) / cur.length;
    words.push({ text, x0: cur[0]!.x0, x1: cur[cur.length - 1]!.x1, confidence });
    cur = [];
  };
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c.char.trim() === '') {
      flush();
      continue;
    }
    const prev = cur[cur.length - 1];
    if (prev) {
      const attached =
        CLOSING.has(c.char) ||
        OPENING.has(prev.char) ||
        // 101,598.46: a separator between digits, and the digit after it.
        (digit(c.char) && (prev.char === ',' || prev.char === '.') && digit(cur[cur.length - 2]?.char));
      const blankGap = longestBlankRun(blank, (prev.x0 + prev.x1) / 2, (c.x0 + c.x1) / 2) >= r.blankRun;
      const gap = c.x0 - prev.x1;
      const timeGap = gap >= r.timeGap && gap >= r.timeRatio * medianGap;
      if (!attached && (blankGap || timeGap)) flush();
    }
    cur.push(c);
  }
  flush();
  return words;
}

/** Longest run of `true` in `blank` between two x positions. */
export function longestBlankRun(blank: ArrayLike<number | boolean>, from: number, to: number): number {
  let best = 0;
  let run = 0;
  const a = Math.max(0, Math.floor(from));
  const b = Math.min(blank.length - 1, Math.ceil(to));
  for (let x = a; x <= b; x++) {
    if (blank[x]) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

/**
 * Tightens a word's x range to the ink inside it (blank columns at its ends removed).
 *
 * @example
 * ```ts
 * trimToInk(blank, 10, 40); // e.g. [12, 37]
 * ```
 */
export function trimToInk(blank: ArrayLike<number | boolean>, x0: number, x1: number): [number, number] {
  let a = Math.max(0, Math.floor(x0));
  let b = Math.min(blank.length, Math.ceil(x1));
  while (a < b - 1 && blank[a]) a++;
  while (b > a + 1 && blank[b - 1]) b--;
  return [a, b];
}

/**
 * The page's text angle in degrees (clockwise on screen): the length-weighted median of the angles
 * of the lines that are clearly longer than tall. 0 when there are none.
 *
 * @example
 * ```ts
 * estimateSkew(lines.map((l) => l.quad)); // e.g. 6.8
 * ```
 */
export function estimateSkew(quads: readonly Quad[]): number {
  const items: { angle: number; weight: number }[] = [];
  for (const q of quads) {
    const w = Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    const h = Math.hypot(q[3].x - q[0].x, q[3].y - q[0].y);
    if (w < 2 * h) continue;
    let a = quadAngle(q);
    // Fold to (-45°, 45°]: orientation (90°/180° turns) is decided elsewhere.
    while (a > 45) a -= 90;
    while (a <= -45) a += 90;
    items.push({ angle: a, weight: w });
  }
  if (!items.length) return 0;
  items.sort((a, b) => a.angle - b.angle);
  const total = items.reduce((s, i) => s + i.weight, 0);
  let acc = 0;
  for (const i of items) {
    acc += i.weight;
    if (acc >= total / 2) return i.angle;
  }
  return items[items.length - 1]!.angle;
}

/**
 * The page's reading direction in degrees (clockwise on screen, in (-180, 180]): the dominant
 * direction of the lines (length-weighted), refined by the median angle near it. A page turned
 * upside down gives about 180.
 *
 * @example
 * ```ts
 * pageAngle(lines.map((l) => l.quad)); // e.g. 7.1, or 90 for a page turned clockwise
 * ```
 */
export function pageAngle(quads: readonly Quad[]): number {
  let sx = 0;
  let sy = 0;
  for (const q of quads) {
    sx += q[1].x - q[0].x;
    sy += q[1].y - q[0].y;
  }
  if (sx === 0 && sy === 0) return 0;
  const dominant = (Math.atan2(sy, sx) * 180) / Math.PI;
  const items: { d: number; w: number }[] = [];
  for (const q of quads) {
    const w = Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    let d = quadAngle(q) - dominant;
    while (d > 180) d -= 360;
    while (d <= -180) d += 360;
    if (Math.abs(d) < 30) items.push({ d, w });
  }
  items.sort((a, b) => a.d - b.d);
  const total = items.reduce((s, i) => s + i.w, 0);
  let acc = 0;
  let median = 0;
  for (const i of items) {
    acc += i.w;
    if (acc >= total / 2) {
      median = i.d;
      break;
    }
  }
  let a = dominant + median;
  while (a > 180) a -= 360;
  while (a <= -180) a += 360;
  return a;
}

/** What reading order needs of a line: its corners. */
export interface OrderableLine {
  quad: Quad;
}

/**
 * Orders lines for reading and groups them into blocks: lines are first turned upright by the page
 * angle, then split recursively (XY-cut): wide horizontal gaps separate sections top to bottom,
 * vertical gutters separate columns left to right, and within a column lines run top to bottom.
 * Consecutive lines of one column that are close, overlapping and of similar height form a block.
 *
 * @example
 * ```ts
 * const blocks = orderLines(lines, skewDegrees); // [[line, line], [line]]
 * ```
 */
export function orderLines<L extends OrderableLine>(lines: readonly L[], skewDegrees = 0): L[][] {
  if (!lines.length) return [];
  const a = (-skewDegrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const items = lines.map((line) => {
    const pts = line.quad.map((p) => ({ x: p.x * cos - p.y * sin, y: p.x * sin + p.y * cos }));
    // Across the line: its own thickness around its centre, not the box of its corners, so a line
    // tilted against the page (a bowed page, a photo) does not reach into its neighbours' rows.
    const b = quadBox(pts);
    const cy = (pts[0]!.y + pts[1]!.y + pts[2]!.y + pts[3]!.y) / 4;
    const thick = Math.min(b.height, Math.hypot(pts[3]!.x - pts[0]!.x, pts[3]!.y - pts[0]!.y));
    return { line, box: { x: b.x, y: cy - thick / 2, width: b.width, height: thick } };
  });
  const heights = items.map((i) => i.box.height).sort((x, y) => x - y);
  const medianH = heights[heights.length >> 1]!;
  const leaves: Leaf<(typeof items)[number]>[] = [];
  xyCut(items, medianH, leaves, 0, false);
  const flat = leaves.flatMap((l) => l.items);
  // Typical line pitch (top to top) of consecutive lines of one column: a paragraph break is a
  // clearly larger step.
  const pitches: number[] = [];
  for (let i = 1; i < flat.length; i++) {
    const a = flat[i - 1]!.box;
    const b = flat[i]!.box;
    if (sameBlock(a, b)) pitches.push(b.y - a.y);
  }
  pitches.sort((x, y) => x - y);
  const pitch = pitches.length >= 2 ? pitches[pitches.length >> 1]! : Number.POSITIVE_INFINITY;
  const blocks: L[][] = [];
  let cur: typeof items = [];
  const flush = () => {
    if (cur.length) blocks.push(cur.map((c) => c.line));
    cur = [];
  };
  for (const leaf of leaves) {
    if (leaf.row && leaf.items.length > 1) {
      // A table row: its cells, left to right, are one block.
      flush();
      blocks.push(leaf.items.map((c) => c.line));
      continue;
    }
    for (const it of leaf.items) {
      const prev = cur[cur.length - 1];
      if (prev && (!sameBlock(prev.box, it.box) || it.box.y - prev.box.y > 1.5 * pitch)) flush();
      cur.push(it);
    }
  }
  flush();
  return blocks;
}

/** A run of lines in reading order; `row` when it is one row of a table. */
interface Leaf<T> {
  items: T[];
  row: boolean;
}

function sameBlock(a: BoundingBox, b: BoundingBox): boolean {
  const gap = b.y - (a.y + a.height);
  const h = Math.min(a.height, b.height);
  const ratio = Math.max(a.height, b.height) / Math.max(1e-6, h);
  const overlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  return gap < 0.9 * h && gap > -0.5 * h && ratio < 1.3 && overlap > 0;
}

function xyCut<T extends { box: BoundingBox }>(
  items: T[],
  medianH: number,
  out: Leaf<T>[],
  depth: number,
  table: boolean,
): void {
  const byX = (p: T, q: T) => p.box.x - q.box.x;
  if (items.length <= 1 || depth > 500) {
    out.push({ items: [...items].sort(byX), row: table });
    return;
  }
  if (table) {
    // Inside a table: rows top to bottom (grouped by their centres), cells left to right.
    for (const row of splitRows(items)) out.push({ items: row.sort(byX), row: true });
    return;
  }
  // Recursive XY-cut at the single widest gap: a column gutter (weighted down: gutters are
  // naturally wider than line gaps) or a gap between rows.
  const xGroups = splitByGaps(items, 'x', 1.2 * medianH);
  const yGroups = splitRows(items);
  const xGaps = gapsBetween(xGroups, 'x');
  const yGaps = gapsBetween(yGroups, 'y');
  const xMax = xGaps.length ? Math.max(...xGaps) : Number.NEGATIVE_INFINITY;
  const yMax = yGaps.length ? Math.max(...yGaps) : Number.NEGATIVE_INFINITY;
  const cut = (groups: T[][], gaps: number[], best: number) => {
    const k = gaps.indexOf(best) + 1;
    xyCut(groups.slice(0, k).flat(), medianH, out, depth + 1, false);
    xyCut(groups.slice(k).flat(), medianH, out, depth + 1, false);
  };
  if (xGroups.length > 1 && isTable(xGroups)) xyCut(items, medianH, out, depth + 1, true);
  else if (xGroups.length > 1) cut(xGroups, xGaps, xMax);
  else if (yGroups.length > 1) cut(yGroups, yGaps, yMax);
  else out.push({ items: [...items].sort(byX), row: false });
}

function gapsBetween<T extends { box: BoundingBox }>(groups: T[][], axis: 'x' | 'y'): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < groups.length; i++) {
    const end = Math.max(
      ...groups[i - 1]!.map((t) => (axis === 'x' ? t.box.x + t.box.width : t.box.y + t.box.height)),
    );
    const start = Math.min(...groups[i]!.map((t) => (axis === 'x' ? t.box.x : t.box.y)));
    gaps.push(start - end);
  }
  return gaps;
}

/**
 * Columns that are really a table: at least 2 of them, most cells share a row with a cell of
 * another column (their heights overlap by 30 %: a photographed table's columns drift up or down
 * by half a row), and cells are narrow compared with the gutters (3 or more columns: median cell
 * under 3 gutters; 2 columns: one of them all cells under 2 gutters — prose columns are wide).
 * Tables read row by row.
 */
function isTable<T extends { box: BoundingBox }>(groups: T[][]): boolean {
  if (groups.length < 2) return false;
  let aligned = 0;
  let total = 0;
  const widths: number[] = [];
  for (let g = 0; g < groups.length; g++) {
    for (const it of groups[g]!) {
      total++;
      widths.push(it.box.width);
      const match = groups.some(
        (other, k) =>
          k !== g &&
          other.some(
            (o) =>
              Math.min(o.box.y + o.box.height, it.box.y + it.box.height) - Math.max(o.box.y, it.box.y) >
              0.3 * Math.min(o.box.height, it.box.height),
          ),
      );
      if (match) aligned++;
    }
  }
  const gutters: number[] = [];
  for (let i = 1; i < groups.length; i++) {
    const end = Math.max(...groups[i - 1]!.map((t) => t.box.x + t.box.width));
    const start = Math.min(...groups[i]!.map((t) => t.box.x));
    gutters.push(start - end);
  }
  widths.sort((a, b) => a - b);
  gutters.sort((a, b) => a - b);
  const medianW = widths[widths.length >> 1]!;
  const medianGutter = gutters[gutters.length >> 1]!;
  if (aligned / total < 0.75) return false;
  if (groups.length >= 3) return medianW < 3 * medianGutter;
  // Two columns: a table when one of them holds only cells narrower than 2 gutters (two columns
  // of prose are both wide).
  return groups.some((g) => Math.max(...g.map((t) => t.box.width)) < 2 * medianGutter);
}

/**
 * Groups items into rows, top to bottom (by centre): an item joins the row above when it overlaps
 * that row's band (its mean centre ± half its tallest item) by more than 30 % of the smaller
 * height and sits beside (not over or under) the row's items. Extents are not chained, so the rows
 * of a tight table (boxes taller than the row pitch) stay apart, and a short last line of a
 * paragraph on a tilted photo does not join the row of the line above it.
 */
function splitRows<T extends { box: BoundingBox }>(items: T[]): T[][] {
  const cy = (t: T) => t.box.y + t.box.height / 2;
  const sorted = [...items].sort((p, q) => cy(p) - cy(q));
  const rows: { items: T[]; cy: number; h: number }[] = [];
  const overlap = (row: { cy: number; h: number }, b: BoundingBox) =>
    Math.min(row.cy + row.h / 2, b.y + b.height) - Math.max(row.cy - row.h / 2, b.y);
  for (const it of sorted) {
    const row = rows[rows.length - 1];
    // Cells of one row sit side by side: an item under or over one already in the row (sharing
    // over 20 % of the narrower's width) starts the next row.
    const sideBySide = (b: BoundingBox) =>
      row!.items.every(
        (t) =>
          Math.min(t.box.x + t.box.width, b.x + b.width) - Math.max(t.box.x, b.x) <=
          0.2 * Math.min(t.box.width, b.width),
      );
    if (row && overlap(row, it.box) > 0.3 * Math.min(row.h, it.box.height) && sideBySide(it.box)) {
      row.items.push(it);
      row.cy = row.items.reduce((s, t) => s + cy(t), 0) / row.items.length;
      row.h = Math.max(row.h, it.box.height);
    } else rows.push({ items: [it], cy: cy(it), h: it.box.height });
  }
  return rows.map((r) => r.items);
}

/**
 * Splits items at gaps in their projection onto an axis wider than `minGap` (a negative `minGap`
 * also splits rows that overlap by less than that much).
 */
function splitByGaps<T extends { box: BoundingBox }>(items: T[], axis: 'x' | 'y', minGap: number): T[][] {
  const start = (b: BoundingBox) => (axis === 'x' ? b.x : b.y);
  const size = (b: BoundingBox) => (axis === 'x' ? b.width : b.height);
  const sorted = [...items].sort((p, q) => start(p.box) - start(q.box));
  const groups: T[][] = [];
  let cur: T[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const it of sorted) {
    const s = start(it.box);
    const limit = minGap < 0 ? Math.min(-minGap, size(it.box) / 2) : minGap;
    const gap = s - end;
    const splits = cur.length > 0 && (minGap < 0 ? gap > -limit : gap > limit);
    if (splits) {
      groups.push(cur);
      cur = [];
      end = Number.NEGATIVE_INFINITY;
    }
    cur.push(it);
    end = Math.max(end, s + size(it.box));
  }
  if (cur.length) groups.push(cur);
  return groups;
}

/** What merging pieces of a row needs of a line. */
export interface MergeableLine {
  text: string;
  quad: Quad;
  confidence: number;
  words: { text: string; quad: Quad; confidence: number }[];
}

const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * Joins detector pieces of one printed line into one line: a piece that starts just after another
 * ends (gap under `maxGap` × the line's thickness), on its centre line (offset under `maxOffset`
 * × thickness), at about its angle and thickness. Where the two pieces' ends overlap, a word read
 * twice (in both crops) is kept once: the longer reading. Column gutters and table cells, wider
 * apart, stay separate lines.
 *
 * @example
 * ```ts
 * mergeRowPieces(lines); // "platter, and drumsticks crossed" + "just below second joints." -> one line
 * ```
 */
export function mergeRowPieces<L extends MergeableLine>(
  lines: readonly L[],
  maxGap = 1.2,
  maxOffset = 0.35,
): L[] {
  const items = [...lines];
  for (;;) {
    let best: { a: number; b: number; gap: number } | undefined;
    for (let i = 0; i < items.length; i++) {
      const A = items[i]!.quad;
      const aL = mid(A[0], A[3]);
      const aR = mid(A[1], A[2]);
      const len = Math.hypot(aR.x - aL.x, aR.y - aL.y) || 1;
      const ux = (aR.x - aL.x) / len;
      const uy = (aR.y - aL.y) / len;
      const hA = Math.hypot(A[3].x - A[0].x, A[3].y - A[0].y);
      for (let j = 0; j < items.length; j++) {
        if (j === i) continue;
        const B = items[j]!.quad;
        const bL = mid(B[0], B[3]);
        const bR = mid(B[1], B[2]);
        const hB = Math.hypot(B[3].x - B[0].x, B[3].y - B[0].y);
        const h = Math.min(hA, hB);
        if (Math.max(hA, hB) > 1.6 * h) continue;
        const blen = Math.hypot(bR.x - bL.x, bR.y - bL.y) || 1;
        const cosAngle = ((bR.x - bL.x) * ux + (bR.y - bL.y) * uy) / blen;
        if (cosAngle < Math.cos((12 * Math.PI) / 180)) continue;
        // Along A's direction: B's start after A's middle, at most maxGap × h after A's end.
        const bStart = (bL.x - aL.x) * ux + (bL.y - aL.y) * uy;
        const gap = bStart - len;
        if (bStart < len / 2 || gap > maxGap * h) continue;
        // B's end must be past A's end (not a piece inside A).
        if ((bR.x - aL.x) * ux + (bR.y - aL.y) * uy <= len) continue;
        const offset = Math.abs(-(bL.x - aR.x) * uy + (bL.y - aR.y) * ux);
        if (offset > maxOffset * h) continue;
        if (!best || gap < best.gap) best = { a: i, b: j, gap };
      }
    }
    if (!best) return items;
    const A = items[best.a]!;
    const B = items[best.b]!;
    const words = [...A.words];
    let bWords = B.words;
    const last = words[words.length - 1];
    const first = bWords[0];
    if (last && first && overlapAlong(A.quad, last.quad, first.quad) > 0.3) {
      // The same ink read in both crops: keep the longer reading.
      if (first.text.length > last.text.length) words.pop();
      else bWords = bWords.slice(1);
    }
    words.push(...bWords);
    const na = A.text.length || 1;
    const nb = B.text.length || 1;
    const merged = {
      ...A,
      text: words.map((w) => w.text).join(' '),
      quad: [A.quad[0], B.quad[1], B.quad[2], A.quad[3]] as Quad,
      confidence: (A.confidence * na + B.confidence * nb) / (na + nb),
      words,
    };
    const lo = Math.min(best.a, best.b);
    const hi = Math.max(best.a, best.b);
    items.splice(hi, 1);
    items.splice(lo, 1, merged);
  }
}

/** Overlap of two word quads along a line's direction, as a fraction of the shorter word. */
function overlapAlong(line: Quad, p: Quad, q: Quad): number {
  const o = mid(line[0], line[3]);
  const e = mid(line[1], line[2]);
  const len = Math.hypot(e.x - o.x, e.y - o.y) || 1;
  const ux = (e.x - o.x) / len;
  const uy = (e.y - o.y) / len;
  const span = (w: Quad) => {
    const s = w.map((pt) => (pt.x - o.x) * ux + (pt.y - o.y) * uy);
    return [Math.min(...s), Math.max(...s)] as const;
  };
  const [p0, p1] = span(p);
  const [q0, q1] = span(q);
  const inter = Math.min(p1, q1) - Math.max(p0, q0);
  return inter / Math.max(1e-6, Math.min(p1 - p0, q1 - q0));
}
