import type { ImagePixels, Tfjs } from '@ondevice/core';
import { warpAffine } from '@ondevice/core';
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
 * Cuts a `size`×`size` crop through a crop→image affine map (see `cropToImage`) and scales it to
 * [0, 1] floats, as FaceMesh and Iris expect. Outside the image is black.
 *
 * @example
 * ```ts
 * const data = affineCrop(pixels, cropToImage(rect, 192), 192);
 * ```
 */
export function affineCrop(pixels: ImagePixels, m: Affine, size: number): Float32Array {
  const crop = warpAffine(pixels, m, size, size, 0);
  const out = new Float32Array(crop.data.length);
  for (let i = 0; i < out.length; i++) out[i] = crop.data[i]! / 255;
  return out;
}
