import { getConfig } from '../env.js';
import { InputError } from '../errors.js';

/**
 * Decoded image pixels: tightly packed 8-bit RGB, row-major, top row first, already rotated
 * upright by its EXIF orientation. This is what every vision task receives.
 */
export interface ImagePixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

/**
 * Raw pixels as callers pass them: RGBA (as in ImageData), RGB or 1-channel grey, told apart by
 * the length of `data` (`width × height × 4`, `× 3` or `× 1`). Values are whole numbers 0–255;
 * `width` and `height` positive whole numbers.
 */
export interface RawPixels {
  data: Uint8Array | Uint8ClampedArray | ArrayLike<number>;
  width: number;
  height: number;
}

/**
 * The default pixel limit: images with more pixels are refused (InputError) from their header,
 * before decoding. 40 MP covers 36 MP cameras and A4 pages scanned at 600 dpi (35 MP); decoding
 * costs 3 bytes a pixel (120 MB at the limit) before a task's own buffers. Change it with
 * `configure({ maxImagePixels })` or `decodeImage(input, { maxPixels })`.
 *
 * @example
 * ```ts
 * configure({ maxImagePixels: 2 * MAX_IMAGE_PIXELS }); // a 80 MP panorama
 * ```
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

/**
 * Checks a width and height: positive integers, at most `maxPixels` pixels (default:
 * `configure({ maxImagePixels })`, 40 000 000).
 *
 * @example
 * ```ts
 * checkDimensions(640, 480); // ok
 * ```
 */
export function checkDimensions(
  width: number,
  height: number,
  maxPixels: number = getConfig().maxImagePixels,
): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new InputError(`Image size must be positive whole numbers, got ${width}×${height}.`);
  }
  if (width * height > maxPixels) {
    throw new InputError(
      `Image is ${width}×${height} = ${width * height} pixels, more than the ${maxPixels} allowed; resize it first, or raise the limit with configure({ maxImagePixels }).`,
    );
  }
}

/**
 * Throws InputError at the first value of `data` that is not a whole number in 0–255. Uint8 arrays
 * cannot hold anything else and are not scanned.
 */
function checkPixelValues(data: ArrayLike<number>): void {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(v >= 0 && v <= 255 && Number.isInteger(v))) {
      throw new InputError(
        `Raw pixel value at index ${i} is ${v}; values must be whole numbers 0–255 (8-bit). ` +
          'Scale 0..1 floats by 255 and round them, or pass a Uint8Array.',
      );
    }
  }
}

/**
 * Converts raw pixels (RGBA, RGB or grey, channels inferred from the length) to {@link ImagePixels}.
 * Alpha is composited over white, the way a viewer shows a transparent image. Values must be whole
 * numbers 0–255 (NaN, fractions or 300 reject with InputError naming the index); a `channels`
 * field, when present, must agree with the length.
 *
 * @example
 * ```ts
 * const pixels = rawToRgb({ data: imageData.data, width: imageData.width, height: imageData.height });
 * ```
 */
export function rawToRgb(raw: RawPixels, maxPixels: number = getConfig().maxImagePixels): ImagePixels {
  const { width, height, data } = raw;
  checkDimensions(width, height, maxPixels);
  const n = width * height;
  const len = data?.length;
  if (typeof len !== 'number') throw new InputError('Raw pixels need a data array.');
  const channels = len === n * 4 ? 4 : len === n * 3 ? 3 : len === n ? 1 : 0;
  if (!channels) {
    throw new InputError(
      `Raw pixel data has ${len} values for ${width}×${height}; expected ${n * 4} (RGBA), ${n * 3} (RGB) or ${n} (grey).`,
    );
  }
  const declared = (raw as { channels?: unknown }).channels;
  if (declared !== undefined && declared !== channels) {
    throw new InputError(
      `Raw pixels say channels: ${String(declared)}, but ${len} values for ${width}×${height} are ${channels} a pixel; fix channels or the data.`,
    );
  }
  checkPixelValues(data);
  const out = new Uint8Array(n * 3);
  if (channels === 3) {
    out.set(data as ArrayLike<number>);
  } else if (channels === 1) {
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      out[i * 3] = v;
      out[i * 3 + 1] = v;
      out[i * 3 + 2] = v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const a = data[i * 4 + 3]! / 255;
      const bg = 255 * (1 - a);
      out[i * 3] = Math.round(data[i * 4]! * a + bg);
      out[i * 3 + 1] = Math.round(data[i * 4 + 1]! * a + bg);
      out[i * 3 + 2] = Math.round(data[i * 4 + 2]! * a + bg);
    }
  }
  return { data: out, width, height, channels: 3 };
}

/**
 * Bilinear resize of RGB pixels (half-pixel centres, as OpenCV and tfjs with `halfPixelCenters`).
 *
 * @example
 * ```ts
 * const small = resizePixels(pixels, 320, 240);
 * ```
 */
export function resizePixels(src: ImagePixels, width: number, height: number): ImagePixels {
  checkDimensions(width, height);
  const out = new Uint8Array(width * height * 3);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(src.height - 1, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, Math.min(src.width - 1, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src.data[(y0 * src.width + x0) * 3 + c]!;
        const b = src.data[(y0 * src.width + x1) * 3 + c]!;
        const d = src.data[(y1 * src.width + x0) * 3 + c]!;
        const e = src.data[(y1 * src.width + x1) * 3 + c]!;
        out[(y * width + x) * 3 + c] = Math.round(
          (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy,
        );
      }
    }
  }
  return { data: out, width, height, channels: 3 };
}

/**
 * Crops a rectangle (clipped to the image) out of RGB pixels.
 *
 * @example
 * ```ts
 * const face = cropPixels(pixels, { x: 10, y: 20, width: 100, height: 100 });
 * ```
 */
export function cropPixels(
  src: ImagePixels,
  rect: { x: number; y: number; width: number; height: number },
): ImagePixels {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(src.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(src.height, Math.ceil(rect.y + rect.height));
  const w = x1 - x0;
  const h = y1 - y0;
  checkDimensions(w, h);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const start = ((y0 + y) * src.width + x0) * 3;
    out.set(src.data.subarray(start, start + w * 3), y * w * 3);
  }
  return { data: out, width: w, height: h, channels: 3 };
}

/**
 * Samples an output image through an affine map from output to source coordinates
 * (`sx = a*x + b*y + c`, `sy = d*x + e*y + f`), bilinear, with `fill` outside the source. This is
 * how rotated crops (tilted faces, slanted text lines) are cut out.
 *
 * @example
 * ```ts
 * const crop = warpAffine(pixels, [cos, -sin, tx, sin, cos, ty], 192, 192);
 * ```
 */
export function warpAffine(
  src: ImagePixels,
  m: readonly [number, number, number, number, number, number],
  width: number,
  height: number,
  fill = 0,
): ImagePixels {
  checkDimensions(width, height);
  const [a, b, c, d, e, f] = m;
  const out = new Uint8Array(width * height * 3);
  const W = src.width;
  const H = src.height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const fx = a * (x + 0.5) + b * (y + 0.5) + c - 0.5;
      const fy = d * (x + 0.5) + e * (y + 0.5) + f - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const wx = fx - x0;
      const wy = fy - y0;
      const o = (y * width + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const px = (xx: number, yy: number) =>
          xx < 0 || yy < 0 || xx >= W || yy >= H ? fill : src.data[(yy * W + xx) * 3 + ch]!;
        const v =
          (px(x0, y0) * (1 - wx) + px(x0 + 1, y0) * wx) * (1 - wy) +
          (px(x0, y0 + 1) * (1 - wx) + px(x0 + 1, y0 + 1) * wx) * wy;
        out[o + ch] = Math.round(v);
      }
    }
  }
  return { data: out, width, height, channels: 3 };
}

/**
 * RGB to RGBA (opaque), e.g. to put pixels into an `ImageData`.
 *
 * @example
 * ```ts
 * ctx.putImageData(new ImageData(toRgba(pixels), pixels.width, pixels.height), 0, 0);
 * ```
 */
export function toRgba(src: ImagePixels): Uint8ClampedArray<ArrayBuffer> {
  const n = src.width * src.height;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    out[i * 4] = src.data[i * 3]!;
    out[i * 4 + 1] = src.data[i * 3 + 1]!;
    out[i * 4 + 2] = src.data[i * 3 + 2]!;
    out[i * 4 + 3] = 255;
  }
  return out;
}
