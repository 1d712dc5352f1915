import type { ImagePixels, Tfjs, Transform2D } from '@ondevice/core';

type Tensor4D = ReturnType<Tfjs['tensor4d']>;

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
 * Builds the float32 `[n, size, size, 3]` RGB 0..255 input batch for an image: the image itself,
 * plus its mirror image when `mirror` is set (n = 2). The caller disposes the result.
 *
 * @example
 * ```ts
 * const input = toModelInput(tf, pixels, 512, 'stretch', false);
 * ```
 */
export function toModelInput(
  tf: Tfjs,
  pixels: ImagePixels,
  size: number,
  fit: FitMode,
  mirror: boolean,
): Tensor4D {
  return tf.tidy(() => {
    const image = tf.cast(tf.tensor4d(pixels.data, [1, pixels.height, pixels.width, 3], 'int32'), 'float32');
    let resized: Tensor4D;
    if (fit === 'stretch') {
      resized = tf.image.resizeBilinear(image, [size, size], false, true);
    } else {
      const s = size / Math.max(pixels.width, pixels.height);
      const w = Math.max(1, Math.min(size, Math.round(pixels.width * s)));
      const h = Math.max(1, Math.min(size, Math.round(pixels.height * s)));
      resized = tf.pad(tf.image.resizeBilinear(image, [h, w], false, true), [
        [0, 0],
        [0, size - h],
        [0, size - w],
        [0, 0],
      ]);
    }
    return mirror ? tf.concat([resized, tf.reverse(resized, 2)], 0) : resized;
  });
}
