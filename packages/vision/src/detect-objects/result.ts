import type { BoundingBox } from '@ondevice/core';

/**
 * One detected object: its COCO label, a score in [0, 1], and its box in pixels of the input as the
 * caller sees it (after EXIF orientation). Plain data: safe to `JSON.stringify` or `postMessage`.
 *
 * @example
 * ```ts
 * const [first]: DetectedObject[] = await detectObjects('kitchen.jpg');
 * console.log(first.label, first.score, first.box.x, first.box.width);
 * ```
 */
export interface DetectedObject {
  /** The category name, e.g. `"cup"`. */
  label: string;
  /** Confidence in [0, 1]. */
  score: number;
  /** Index of `label` in the model's label list (`COCO_LABELS` for the built-in models). */
  categoryIndex: number;
  /** Box in input pixels, clipped to the image. */
  box: BoundingBox;
}
