import type { BoundingBox, ImagePixels } from '@ondevice/core';
import type { Candidates } from './postprocess.js';

/** A square region of the input image, in input pixels (integers). */
export interface Tile {
  x: number;
  y: number;
  /** Side of the square (clipped to the image where the image is smaller). */
  width: number;
  height: number;
}

/**
 * Overlapping square tiles that cover an image, each `1 / zoom` of its longer side, spread evenly
 * so that neighbours overlap by at least `overlap` of a tile side. Run at the model's input size,
 * each tile shows its objects `zoom` times larger than the whole image does. Pure.
 *
 * @example
 * ```ts
 * tileGrid(640, 427, 2, 0.25); // 3 × 2 tiles of 320 × 320
 * ```
 */
export function tileGrid(width: number, height: number, zoom: number, overlap: number): Tile[] {
  const side = Math.max(1, Math.round(Math.max(width, height) / zoom));
  const starts = (length: number): number[] => {
    if (length <= side) return [0];
    const step = side * (1 - overlap);
    const n = Math.ceil((length - side) / step) + 1;
    return Array.from({ length: n }, (_, i) => Math.round(((length - side) * i) / (n - 1)));
  };
  const tiles: Tile[] = [];
  for (const y of starts(height))
    for (const x of starts(width))
      tiles.push({ x, y, width: Math.min(side, width - x), height: Math.min(side, height - y) });
  return tiles;
}

/**
 * Copies a region out of an RGB image as a new image. Pure.
 *
 * @example
 * ```ts
 * const crop = cropPixels(pixels, { x: 0, y: 0, width: 320, height: 320 });
 * ```
 */
export function cropPixels(pixels: ImagePixels, tile: Tile): ImagePixels {
  const c = 3;
  const data = new Uint8Array(tile.width * tile.height * c);
  for (let y = 0; y < tile.height; y++) {
    const from = ((tile.y + y) * pixels.width + tile.x) * c;
    data.set(pixels.data.subarray(from, from + tile.width * c), y * tile.width * c);
  }
  return { data, width: tile.width, height: tile.height, channels: 3 };
}

/** Options of {@link mergeTileCandidates}. */
export interface TileMergeOptions {
  /** The whole image's size. */
  imageWidth: number;
  imageHeight: number;
  /**
   * A tile's box is dropped when it comes within this many input pixels of a tile edge that lies
   * inside the image (the object is probably cut there; the neighbour tile or the whole image
   * sees it whole).
   */
  edgeMargin: number;
  /** Tile boxes whose longer side exceeds this fraction of the tile are dropped (the whole image sees them better). */
  maxSideFraction: number;
}

/**
 * Adds the candidates found in tiles (each in its tile's pixels) to those of the whole image,
 * mapped into image pixels; boxes cut by an inner tile edge and boxes large for their tile are left
 * out. Duplicates are left for the caller's per-class non-max suppression. Pure.
 *
 * @example
 * ```ts
 * const all = mergeTileCandidates(whole, tiles, perTile, { imageWidth: 640, imageHeight: 427, edgeMargin: 4, maxSideFraction: 0.5 });
 * ```
 */
export function mergeTileCandidates(
  whole: Candidates,
  tiles: readonly Tile[],
  perTile: readonly Candidates[],
  options: TileMergeOptions,
): Candidates {
  const { imageWidth: W, imageHeight: H, edgeMargin: m, maxSideFraction } = options;
  const out: Candidates = { boxes: [...whole.boxes], scores: [...whole.scores], classes: [...whole.classes] };
  tiles.forEach((t, i) => {
    const c = perTile[i]!;
    const limit = maxSideFraction * Math.max(t.width, t.height);
    for (let k = 0; k < c.boxes.length; k++) {
      const b = c.boxes[k]!;
      if (Math.max(b.width, b.height) > limit) continue;
      if (t.x > 0 && b.x < m) continue;
      if (t.y > 0 && b.y < m) continue;
      if (t.x + t.width < W && b.x + b.width > t.width - m) continue;
      if (t.y + t.height < H && b.y + b.height > t.height - m) continue;
      const box: BoundingBox = { x: b.x + t.x, y: b.y + t.y, width: b.width, height: b.height };
      out.boxes.push(box);
      out.scores.push(c.scores[k]!);
      out.classes.push(c.classes[k]!);
    }
  });
  return out;
}
