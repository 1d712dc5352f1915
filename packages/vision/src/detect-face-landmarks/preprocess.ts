import type { ImagePixels, Tfjs } from '@ondevice/core';
import type { Affine } from './postprocess.js';

type Tensor4D = ReturnType<Tfjs['tensor4d']>;

/** How detector pixels map back to input pixels: `input = (detector − pad) × scale`. */
export interface DetectorFrame {
  padX: number;
  padY: number;
  scaleX: number;
  scaleY: number;
}

/**
 * Letterboxes an image into the detector's square input (aspect kept, black bars), scaled to
 * [−1, 1] as BlazeFace expects. Returns the tensor (caller disposes) and the frame to map back.
 *
 * @example
 * ```ts
 * const { input, frame } = detectorInput(tf, pixels, 256);
 * ```
 */
export function detectorInput(
  tf: Tfjs,
  pixels: ImagePixels,
  size: number,
): { input: Tensor4D; frame: DetectorFrame } {
  const { width: w, height: h } = pixels;
  const s = size / Math.max(w, h);
  const rw = Math.max(1, Math.min(size, Math.round(w * s)));
  const rh = Math.max(1, Math.min(size, Math.round(h * s)));
  const padX = Math.floor((size - rw) / 2);
  const padY = Math.floor((size - rh) / 2);
  const input = tf.tidy(() => {
    const img = tf.tensor3d(pixels.data, [h, w, 3], 'int32');
    const resized = tf.image.resizeBilinear(img, [rh, rw], false, true);
    const scaled = tf.sub(tf.div(resized, 127.5), 1);
    const padded = tf.pad(
      scaled,
      [
        [padY, size - rh - padY],
        [padX, size - rw - padX],
        [0, 0],
      ],
      -1,
    );
    return tf.expandDims(padded, 0) as Tensor4D;
  });
  return { input, frame: { padX, padY, scaleX: w / rw, scaleY: h / rh } };
}

/**
 * Cuts a `size`×`size` crop through a crop→image affine map (see `cropToImage`), bilinear, with
 * values scaled to [0, 1] floats as FaceMesh and Iris expect; black outside the image. Same
 * sampling as core's `warpAffine` (pixel centres at i + 0.5) but writes floats straight into
 * `out` at `offset` and steps along rows incrementally: about 10× faster on a 192 px crop, which
 * matters because it runs once or twice per face.
 *
 * @example
 * ```ts
 * const data = affineCrop(pixels, cropToImage(rect, 192), 192);
 * ```
 */
export function affineCrop(
  pixels: ImagePixels,
  m: Affine,
  size: number,
  out: Float32Array = new Float32Array(size * size * 3),
  offset = 0,
): Float32Array {
  const { width: W, height: H, data: d } = pixels;
  const [a, b, c, dd, e, f] = m;
  const inv = 1 / 255;
  const row = W * 3;
  let o = offset;
  const sample = (xx: number, yy: number, ch: number) =>
    xx < 0 || yy < 0 || xx >= W || yy >= H ? 0 : d[(yy * W + xx) * 3 + ch]!;
  for (let y = 0; y < size; y++) {
    let fx = a * 0.5 + b * (y + 0.5) + c - 0.5;
    let fy = dd * 0.5 + e * (y + 0.5) + f - 0.5;
    for (let x = 0; x < size; x++, fx += a, fy += dd, o += 3) {
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const wx = fx - x0;
      const wy = fy - y0;
      const w00 = (1 - wx) * (1 - wy);
      const w01 = wx * (1 - wy);
      const w10 = (1 - wx) * wy;
      const w11 = wx * wy;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < W && y0 + 1 < H) {
        const i00 = (y0 * W + x0) * 3;
        const i10 = i00 + row;
        for (let ch = 0; ch < 3; ch++) {
          out[o + ch] =
            (d[i00 + ch]! * w00 + d[i00 + 3 + ch]! * w01 + d[i10 + ch]! * w10 + d[i10 + 3 + ch]! * w11) * inv;
        }
      } else {
        for (let ch = 0; ch < 3; ch++) {
          out[o + ch] =
            (sample(x0, y0, ch) * w00 +
              sample(x0 + 1, y0, ch) * w01 +
              sample(x0, y0 + 1, ch) * w10 +
              sample(x0 + 1, y0 + 1, ch) * w11) *
            inv;
        }
      }
    }
  }
  return out;
}
