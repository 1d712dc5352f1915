import type { BoundingBox, Point } from '@ondevice/core';
import { minAreaRect, type Quad, quadAngle, quadBox, type RotatedRect, rectCorners } from './geometry.js';

/** Settings of the DB text-detector post-processing. */
export interface DbOptions {
  /** Probability above which a map pixel is text. */
  binaryThreshold: number;
  /** Minimum mean probability inside a candidate box. */
  boxThreshold: number;
  /** How far a shrunk text kernel is grown back (area × ratio / perimeter). */
  unclipRatio: number;
  /** Boxes whose shorter side (map pixels) is below this are dropped. */
  minSize: number;
  /** At most this many candidates are examined (largest first). */
  maxCandidates: number;
}

/** PaddleOCR's DB settings, with a box threshold that keeps faint real lines (one scored 0.55). */
export const DEFAULT_DB_OPTIONS: DbOptions = {
  binaryThreshold: 0.3,
  boxThreshold: 0.5,
  unclipRatio: 1.6,
  minSize: 3,
  maxCandidates: 1000,
};

/** A detected text region in probability-map pixels. */
export interface DbBox {
  rect: RotatedRect;
  quad: Quad;
  score: number;
}

/**
 * Finds text boxes in a DB probability map: threshold, 8-connected components, minimum-area
 * rectangle of each, mean probability inside it (dropped below `boxThreshold`), then the
 * rectangle grown by `unclipRatio` (the offset of a rectangle is a larger rectangle).
 *
 * @example
 * ```ts
 * const boxes = dbBoxes(prob, mapWidth, mapHeight); // [{ rect, quad, score }]
 * ```
 */
export function dbBoxes(
  prob: Float32Array,
  width: number,
  height: number,
  options: Partial<DbOptions> = {},
): DbBox[] {
  const o = { ...DEFAULT_DB_OPTIONS, ...options };
  const n = width * height;
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  const components: { rows: Map<number, [number, number]>; size: number }[] = [];
  for (let start = 0; start < n; start++) {
    if (labels[start] !== 0 || prob[start]! <= o.binaryThreshold) continue;
    const id = components.length + 1;
    const rows = new Map<number, [number, number]>();
    let size = 0;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = id;
    while (sp > 0) {
      const p = stack[--sp]!;
      size++;
      const y = (p / width) | 0;
      const x = p - y * width;
      const r = rows.get(y);
      if (!r) rows.set(y, [x, x]);
      else {
        if (x < r[0]) r[0] = x;
        if (x > r[1]) r[1] = x;
      }
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
          const q = yy * width + xx;
          if (labels[q] === 0 && prob[q]! > o.binaryThreshold) {
            labels[q] = id;
            stack[sp++] = q;
          }
        }
      }
    }
    components.push({ rows, size });
  }
  const order = components.map((_, i) => i).sort((a, b) => components[b]!.size - components[a]!.size);
  const out: DbBox[] = [];
  for (const ci of order.slice(0, o.maxCandidates)) {
    const c = components[ci]!;
    const points: Point[] = [];
    for (const [y, [x0, x1]] of c.rows) {
      points.push({ x: x0 + 0.5, y: y + 0.5 }, { x: x1 + 0.5, y: y + 0.5 });
    }
    const rect = minAreaRect(points);
    if (Math.min(rect.width, rect.height) < o.minSize) continue;
    const score = meanInQuad(prob, width, height, rectCorners(rect));
    if (score < o.boxThreshold) continue;
    const grown = unclipRect(rect, o.unclipRatio);
    if (Math.min(grown.width, grown.height) < o.minSize + 2) continue;
    out.push({ rect: grown, quad: rectCorners(grown), score });
  }
  return out;
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

/**
 * Splits a decoded line into words. Spaces the model emitted split words; between two characters
 * without one, a run of blank columns at least `gapThreshold` wide (in `blank`, one flag per crop
 * column) is a word gap the model dropped.
 *
 * @example
 * ```ts
 * splitWords(chars, blankColumns, 0.3 * inkHeight);
 * ```
 */
export function splitWords(
  chars: readonly PlacedChar[],
  blank: ArrayLike<number | boolean>,
  gapThreshold: number,
): CropWord[] {
  const words: CropWord[] = [];
  let cur: PlacedChar[] = [];
  const flush = () => {
    if (!cur.length) return;
    const text = cur.map((c) => c.char).join('');
    const confidence = cur.reduce((s, c) => s + c.prob, 0) / cur.length;
    words.push({ text, x0: cur[0]!.x0, x1: cur[cur.length - 1]!.x1, confidence });
    cur = [];
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c.char.trim() === '') {
      flush();
      continue;
    }
    const prev = cur[cur.length - 1];
    if (prev && longestBlankRun(blank, (prev.x0 + prev.x1) / 2, (c.x0 + c.x1) / 2) >= gapThreshold) flush();
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
    return { line, box: quadBox(pts) };
  });
  const heights = items.map((i) => i.box.height).sort((x, y) => x - y);
  const medianH = heights[heights.length >> 1]!;
  const leaves: (typeof items)[] = [];
  xyCut(items, medianH, leaves, 0);
  const flat = leaves.flat();
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
  for (const it of flat) {
    const prev = cur[cur.length - 1];
    if (prev && (!sameBlock(prev.box, it.box) || it.box.y - prev.box.y > 1.5 * pitch)) {
      blocks.push(cur.map((c) => c.line));
      cur = [];
    }
    cur.push(it);
  }
  if (cur.length) blocks.push(cur.map((c) => c.line));
  return blocks;
}

function sameBlock(a: BoundingBox, b: BoundingBox): boolean {
  const gap = b.y - (a.y + a.height);
  const h = Math.min(a.height, b.height);
  const ratio = Math.max(a.height, b.height) / Math.max(1e-6, h);
  const overlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  return gap < 0.9 * h && gap > -0.5 * h && ratio < 1.3 && overlap > 0;
}

function xyCut<T extends { box: BoundingBox }>(items: T[], medianH: number, out: T[][], depth: number): void {
  if (items.length <= 1 || depth > 500) {
    out.push([...items].sort((p, q) => p.box.x - q.box.x));
    return;
  }
  // Recursive XY-cut at the single widest gap: a column gutter (weighted down: gutters are
  // naturally wider than line gaps) or a gap between rows.
  const xGroups = splitByGaps(items, 'x', 1.2 * medianH);
  const yGroups = splitByGaps(items, 'y', -0.5 * medianH);
  const xGaps = gapsBetween(xGroups, 'x');
  const yGaps = gapsBetween(yGroups, 'y');
  const xMax = xGaps.length ? Math.max(...xGaps) : Number.NEGATIVE_INFINITY;
  const yMax = yGaps.length ? Math.max(...yGaps) : Number.NEGATIVE_INFINITY;
  const cut = (groups: T[][], gaps: number[], best: number) => {
    const k = gaps.indexOf(best) + 1;
    xyCut(groups.slice(0, k).flat(), medianH, out, depth + 1);
    xyCut(groups.slice(k).flat(), medianH, out, depth + 1);
  };
  if (xGroups.length > 1 && !isTable(xGroups, medianH)) cut(xGroups, xGaps, xMax);
  else if (yGroups.length > 1) cut(yGroups, yGaps, yMax);
  else out.push([...items].sort((p, q) => p.box.x - q.box.x));
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
 * Columns that are really a table: at least 3 of them, most cells sit on a row shared with a
 * cell of another column, and cells are narrow compared with the gutters. Tables read row by row.
 */
function isTable<T extends { box: BoundingBox }>(groups: T[][], medianH: number): boolean {
  if (groups.length < 3) return false;
  let aligned = 0;
  let total = 0;
  const widths: number[] = [];
  for (let g = 0; g < groups.length; g++) {
    for (const it of groups[g]!) {
      total++;
      widths.push(it.box.width);
      const cy = it.box.y + it.box.height / 2;
      const match = groups.some(
        (other, k) =>
          k !== g && other.some((o) => Math.abs(o.box.y + o.box.height / 2 - cy) < 0.35 * medianH),
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
  return aligned / total >= 0.75 && medianW < 3 * medianGutter;
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
