import { centerNetVariant } from './centernet.js';
import type { ObjectModelDefinition } from './registry-types.js';

/**
 * The object-detection models `createObjectDetector({ model })` accepts, by name. Adding a model is
 * one `ModelSpec` (in `models.ts`), one decoder returning an {@link ObjectModelDefinition}, and one
 * line here.
 *
 * @example
 * ```ts
 * OBJECT_DETECTION_MODELS.accurate.description;
 * ```
 */
export const OBJECT_DETECTION_MODELS = {
  fast: centerNetVariant({
    inputSize: 384,
    flip: false,
    fit: 'letterbox',
    // Flat: a size-aware threshold did not gain under leave-one-photo-out (F1 0.484 vs 0.485).
    defaultScoreThreshold: 0.3,
    description:
      'CenterNet MobileNetV3 at 384×384 (aspect ratio kept): about half the compute, misses more small objects',
  }),
  balanced: centerNetVariant({
    inputSize: 512,
    flip: false,
    fit: 'letterbox',
    // Fitted on the 28 COCO photos (logistic calibration on score and box size, F1-best cut; see
    // the README): 0.26 for a box 1/20 of the image's longer side, 0.19 at 1/5, 0.15 at 1/2.
    defaultScoreThreshold: { base: -1.93, slope: 0.297 },
    description: 'CenterNet MobileNetV3 at 512×512 (aspect ratio kept), the size it was trained at',
  }),
  accurate: centerNetVariant({
    inputSize: 512,
    flip: false,
    fit: 'letterbox',
    tiles: { zoom: 1.75, overlap: 0.2, maxSideFraction: 0.5 },
    // Fitted as balanced's: 0.36 at 1/20 of the image's side, 0.26 at 1/5, 0.21 at 1/2.
    defaultScoreThreshold: { base: -1.58, slope: 0.331 },
    description:
      'CenterNet MobileNetV3 at 512×512, plus overlapping tiles each 1/1.75 of the image run at 512 for small objects (4 tiles on a 4:3 photo, about 5× the compute)',
  }),
} as const satisfies Record<string, ObjectModelDefinition>;

/** A model name accepted by `createObjectDetector({ model })`. */
export type ObjectDetectionModelName = keyof typeof OBJECT_DETECTION_MODELS;

/**
 * Model names, default first.
 *
 * @example
 * ```ts
 * for (const model of OBJECT_DETECTION_MODEL_NAMES) select.add(new Option(model));
 * ```
 */
export const OBJECT_DETECTION_MODEL_NAMES = [
  'balanced',
  'fast',
  'accurate',
] as const satisfies readonly ObjectDetectionModelName[];
