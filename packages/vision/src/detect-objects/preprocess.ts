import type { ImagePixels, Transform2D } from '@ondevice/core';

/** How an image is fitted into a square model input. */
export type FitMode = 'stretch' | 'letterbox';

/**
 * The transform from model-input pixels back to input pixels for an image fitted into a
 * `size × size` model input: `stretch` scales each axis on its own; `letterbox` keeps the aspect
 * ratio and pads right and bottom. Pure.
 *
 * @example
 * ```ts
 * modelToInput(640, 480, 512, 'stretch'); // { scaleX: 1.25, scaleY: 0.9375, offsetX: 0, offsetY: 0 }
 * ```
 */
export function modelToInput(width: number, height: number, size: number, fit: FitMode): Transform2D {
  if (fit === 'stretch') return { scaleX: width / size, scaleY: height / size, offsetX: 0, offsetY: 0 };
  const s = Math.max(width, height) / size;
  return { scaleX: s, scaleY: s, offsetX: 0, offsetY: 0 };
}

/**
 * Builds the float32 `[n, size, size, 3]` RGB 0..255 input batch for an image, row-major: the
 * image resized bilinearly (half-pixel centres, as tfjs's `resizeBilinear(…, false, true)`) and,
 * for `letterbox`, padded right and bottom with zeros; plus its mirror image when `mirror` is set
 * (n = 2). Pure, no runtime: every engine gets the same input.
 *
 * @example
 * ```ts
 * const data = toModelInput(pixels, 512, 'letterbox', false); // 512 × 512 × 3 floats
 * ```
 */
export function toModelInput(pixels: ImagePixels, size: number, fit: FitMode, mirror: boolean): Float32Array {
  const { width: W, height: H, data: d } = pixels;
  let w = size;
  let h = size;
  if (fit === 'letterbox') {
    const s = size / Math.max(W, H);
    w = Math.max(1, Math.min(size, Math.round(W * s)));
    h = Math.max(1, Math.min(size, Math.round(H * s)));
  }
  const n = mirror ? 2 : 1;
  const out = new Float32Array(n * size * size * 3);
  // Per output column: the two source columns (as offsets) and the weight of the right one.
  const x0s = new Int32Array(w);
  const x1s = new Int32Array(w);
  const fxs = new Float32Array(w);
  const sx = W / w;
  for (let x = 0; x < w; x++) {
    const f = sx * (x + 0.5) - 0.5;
    const lo = Math.max(0, Math.floor(f));
    x0s[x] = lo * 3;
    x1s[x] = Math.min(W - 1, Math.ceil(f)) * 3;
    fxs[x] = f - lo;
  }
  const sy = H / h;
  const plane = size * size * 3;
  for (let y = 0; y < h; y++) {
    const f = sy * (y + 0.5) - 0.5;
    const lo = Math.max(0, Math.floor(f));
    const r0 = lo * W * 3;
    const r1 = Math.min(H - 1, Math.ceil(f)) * W * 3;
    const fy = f - lo;
    let o = y * size * 3;
    for (let x = 0; x < w; x++, o += 3) {
      const a = x0s[x]!;
      const b = x1s[x]!;
      const fx = fxs[x]!;
      for (let c = 0; c < 3; c++) {
        const tl = d[r0 + a + c]!;
        const top = tl + (d[r0 + b + c]! - tl) * fx;
        const bl = d[r1 + a + c]!;
        const bottom = bl + (d[r1 + b + c]! - bl) * fx;
        out[o + c] = top + (bottom - top) * fy;
      }
    }
    if (mirror) {
      const src = y * size * 3;
      const dst = plane + y * size * 3;
      for (let x = 0; x < size; x++) {
        const from = src + (size - 1 - x) * 3;
        out[dst + x * 3] = out[from]!;
        out[dst + x * 3 + 1] = out[from + 1]!;
        out[dst + x * 3 + 2] = out[from + 2]!;
      }
    }
  }
  return out;
}
