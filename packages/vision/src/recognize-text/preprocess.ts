import { type ImagePixels, resizePixels, warpAffine } from '@ondevice/core';
import type { Quad } from './geometry.js';
import type { TextStrip } from './postprocess.js';

/** Height of the recogniser's input. */
export const REC_HEIGHT = 48;

/** How the detector's input relates to the image. */
export interface DetInput {
  data: Float32Array;
  width: number;
  height: number;
  /** Input pixels per map pixel, per axis. */
  scaleX: number;
  scaleY: number;
}

const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];

/**
 * The detector's size for an image: the longer side scaled to at most `maxSide` (small images are
 * scaled up to `minSide`, which helps small text), both sides multiples of 32.
 *
 * @example
 * ```ts
 * detSize(640, 480, 960, 960); // { width: 960, height: 736 }
 * ```
 */
export function detSize(
  width: number,
  height: number,
  maxSide: number,
  minSide: number,
): { width: number; height: number } {
  const long = Math.max(width, height);
  let s = 1;
  if (long > maxSide) s = maxSide / long;
  else if (long < minSide) s = minSide / long;
  const w = Math.max(32, Math.round((width * s) / 32) * 32);
  const h = Math.max(32, Math.round((height * s) / 32) * 32);
  return { width: w, height: h };
}

/**
 * Resizes and normalises an image for the DB detector (NCHW, BGR channel order as PaddleOCR trains).
 *
 * @example
 * ```ts
 * const input = detInput(pixels, 960, 960);
 * ```
 */
export function detInput(pixels: ImagePixels, maxSide: number, minSide: number): DetInput {
  const { width, height } = detSize(pixels.width, pixels.height, maxSide, minSide);
  const resized =
    width === pixels.width && height === pixels.height ? pixels : resizePixels(pixels, width, height);
  const n = width * height;
  const data = new Float32Array(3 * n);
  const src = resized.data;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      // Channel c of the tensor holds B, G, R.
      data[c * n + i] = (src[i * 3 + (2 - c)]! / 255 - DET_MEAN[c]!) / DET_STD[c]!;
    }
  }
  return { data, width, height, scaleX: pixels.width / width, scaleY: pixels.height / height };
}

/** A line cut out of the image, upright, at the recogniser's height. */
export interface LineCrop {
  pixels: ImagePixels;
  /** Grey value per pixel. */
  grey: Uint8Array;
  /** One flag per column: no ink in it. */
  blank: Uint8Array;
  /** Rows from the first to the last with ink (text height in crop pixels). */
  inkHeight: number;
}

/**
 * Cuts a (possibly rotated) quad out of the image into an upright crop `REC_HEIGHT` pixels high,
 * keeping its aspect ratio, and measures where its ink is.
 *
 * @example
 * ```ts
 * const crop = cropLine(pixels, quad);
 * ```
 */
export function cropLine(pixels: ImagePixels, q: Quad, fill: number): LineCrop {
  const [tl, tr, , bl] = q;
  const w = Math.hypot(tr.x - tl.x, tr.y - tl.y);
  const h = Math.hypot(bl.x - tl.x, bl.y - tl.y);
  const H = REC_HEIGHT;
  const W = Math.max(8, Math.round((w / Math.max(h, 1e-6)) * H));
  const m: [number, number, number, number, number, number] = [
    (tr.x - tl.x) / W,
    (bl.x - tl.x) / H,
    tl.x,
    (tr.y - tl.y) / W,
    (bl.y - tl.y) / H,
    tl.y,
  ];
  // Strong down-scaling would alias: pre-shrink the image once when the text is large.
  const crop = warpAffine(pixels, m, W, H, fill);
  return analyseCrop(crop);
}

/**
 * Cuts a curved line out along its centre line: each crop column is sampled across the line at
 * its own point of the centre line, perpendicular to it there (bilinear), so a bowed line comes
 * out straight and its neighbours stay out of the crop.
 *
 * @example
 * ```ts
 * const crop = cropStrip(pixels, { points, halfHeight: 14 }, 255);
 * ```
 */
export function cropStrip(pixels: ImagePixels, strip: TextStrip, fill: number): LineCrop {
  const pts = strip.points;
  const cum = [0];
  for (let i = 1; i < pts.length; i++)
    cum.push(cum[i - 1]! + Math.hypot(pts[i]!.x - pts[i - 1]!.x, pts[i]!.y - pts[i - 1]!.y));
  const length = cum[cum.length - 1]!;
  const H = REC_HEIGHT;
  const scale = H / Math.max(1e-6, 2 * strip.halfHeight);
  const W = Math.max(8, Math.round(length * scale));
  const out = new Uint8Array(W * H * 3);
  const { width: iw, height: ih, data } = pixels;
  let seg = 0;
  for (let x = 0; x < W; x++) {
    const a = ((x + 0.5) / W) * length;
    while (seg < pts.length - 2 && cum[seg + 1]! < a) seg++;
    const p0 = pts[seg]!;
    const p1 = pts[seg + 1]!;
    const segLen = Math.max(1e-6, cum[seg + 1]! - cum[seg]!);
    const f = Math.min(1, Math.max(0, (a - cum[seg]!) / segLen));
    const cx = p0.x + (p1.x - p0.x) * f;
    const cy = p0.y + (p1.y - p0.y) * f;
    // Direction: the chord of the neighbouring points (smoother than one segment).
    const q0 = pts[Math.max(0, seg - 1)]!;
    const q1 = pts[Math.min(pts.length - 1, seg + 2)]!;
    const dl = Math.hypot(q1.x - q0.x, q1.y - q0.y) || 1;
    const nx = -(q1.y - q0.y) / dl;
    const ny = (q1.x - q0.x) / dl;
    for (let y = 0; y < H; y++) {
      const t = ((y + 0.5) / H - 0.5) * 2 * strip.halfHeight;
      const sx = cx + nx * t - 0.5;
      const sy = cy + ny * t - 0.5;
      const o = (y * W + x) * 3;
      const xi = Math.floor(sx);
      const yi = Math.floor(sy);
      if (xi < 0 || yi < 0 || xi + 1 >= iw || yi + 1 >= ih) {
        out[o] = out[o + 1] = out[o + 2] = fill;
        continue;
      }
      const fx = sx - xi;
      const fy = sy - yi;
      const i00 = (yi * iw + xi) * 3;
      const i10 = i00 + 3;
      const i01 = i00 + iw * 3;
      const i11 = i01 + 3;
      for (let c = 0; c < 3; c++) {
        const top = data[i00 + c]! + (data[i10 + c]! - data[i00 + c]!) * fx;
        const bottom = data[i01 + c]! + (data[i11 + c]! - data[i01 + c]!) * fx;
        out[o + c] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return analyseCrop({ width: W, height: H, data: out, channels: 3 });
}

/** Grey values, blank columns and ink height of a crop. */
export function analyseCrop(crop: ImagePixels): LineCrop {
  const { width: W, height: H, data } = crop;
  const grey = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++)
    grey[i] = (data[i * 3]! * 299 + data[i * 3 + 1]! * 587 + data[i * 3 + 2]! * 114) / 1000;
  // Background = median grey; ink = pixels far from it towards the other extreme.
  const hist = new Uint32Array(256);
  for (let i = 0; i < grey.length; i++) hist[grey[i]!]!++;
  let acc = 0;
  let median = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= grey.length / 2) {
      median = v;
      break;
    }
  }
  let lo = 0;
  let hi = 255;
  while (lo < 255 && hist[lo] === 0) lo++;
  while (hi > 0 && hist[hi] === 0) hi--;
  const darkInk = median - lo >= hi - median;
  const contrast = darkInk ? median - lo : hi - median;
  const cut = Math.max(24, contrast * 0.45);
  const blank = new Uint8Array(W).fill(1);
  let top = H;
  let bottom = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const g = grey[y * W + x]!;
      const ink = darkInk ? median - g > cut : g - median > cut;
      if (ink) {
        blank[x] = 0;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  return { pixels: crop, grey, blank, inkHeight: bottom >= top ? bottom - top + 1 : 0 };
}

/**
 * Where to cut a long crop so that each piece is at most about `maxWidth` columns: at the middle of
 * the widest blank run in the last part of each window. Returns cut columns (none when no blank
 * run is found, or the crop is short).
 *
 * @example
 * ```ts
 * splitColumns(blank, 480); // e.g. [452, 931]
 * ```
 */
export function splitColumns(blank: ArrayLike<number | boolean>, maxWidth: number, minRun = 3): number[] {
  const cuts: number[] = [];
  let start = 0;
  const W = blank.length;
  while (W - start > maxWidth) {
    const lo = start + Math.floor(maxWidth * 0.5);
    const hi = start + maxWidth;
    let bestLen = 0;
    let bestMid = -1;
    let run = 0;
    for (let x = lo; x < hi; x++) {
      if (blank[x]) {
        run++;
        if (run >= bestLen) {
          bestLen = run;
          bestMid = x - Math.floor(run / 2);
        }
      } else run = 0;
    }
    if (bestLen < minRun) {
      // No gap in the window: look further for the next one.
      let x = hi;
      while (x < W && !blank[x]) x++;
      let e = x;
      while (e < W && blank[e]) e++;
      if (x >= W || e - x < minRun || W - x < maxWidth * 0.25) break;
      bestMid = Math.floor((x + e) / 2);
    }
    cuts.push(bestMid);
    start = bestMid;
  }
  return cuts;
}

/**
 * Writes a crop (or a column range of it) into a recogniser batch tensor at slot `index`, padded
 * to `batchWidth` with 0 (mid-grey after normalisation), values (v/255 − 0.5)/0.5 in BGR order.
 *
 * @example
 * ```ts
 * writeRecInput(tensorData, 0, maxWidth, crop, 0, crop.pixels.width);
 * ```
 */
export function writeRecInput(
  out: Float32Array,
  index: number,
  batchWidth: number,
  crop: ImagePixels,
  x0: number,
  x1: number,
): void {
  const H = REC_HEIGHT;
  const plane = H * batchWidth;
  const base = index * 3 * plane;
  const W = crop.width;
  for (let y = 0; y < H; y++) {
    for (let x = x0; x < x1; x++) {
      const s = (y * W + x) * 3;
      const d = y * batchWidth + (x - x0);
      out[base + d] = crop.data[s + 2]! / 127.5 - 1;
      out[base + plane + d] = crop.data[s + 1]! / 127.5 - 1;
      out[base + 2 * plane + d] = crop.data[s]! / 127.5 - 1;
    }
  }
}

/** Median grey of an image's border pixels (the fill for crops that reach past the edge). */
export function borderFill(pixels: ImagePixels): number {
  const { width: W, height: H, data } = pixels;
  const vals: number[] = [];
  const stepX = Math.max(1, Math.floor(W / 64));
  const stepY = Math.max(1, Math.floor(H / 64));
  const g = (x: number, y: number) => {
    const i = (y * W + x) * 3;
    return (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
  };
  for (let x = 0; x < W; x += stepX) vals.push(g(x, 0), g(x, H - 1));
  for (let y = 0; y < H; y += stepY) vals.push(g(0, y), g(W - 1, y));
  vals.sort((a, b) => a - b);
  return Math.round(vals[vals.length >> 1] ?? 255);
}
