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
    description:
      'CenterNet MobileNetV3 at 384×384 (aspect ratio kept): about half the compute, misses more small objects',
  }),
  balanced: centerNetVariant({
    inputSize: 512,
    flip: false,
    fit: 'letterbox',
    description: 'CenterNet MobileNetV3 at 512×512 (aspect ratio kept), the size it was trained at',
  }),
  accurate: centerNetVariant({
    inputSize: 512,
    flip: true,
    fit: 'letterbox',
    description:
      'CenterNet MobileNetV3 at 512×512 plus its mirror image, maps averaged (about 2× the compute)',
  }),
} as const satisfies Record<string, ObjectModelDefinition>;

/** A model name accepted by `createObjectDetector({ model })`. */
export type ObjectDetectionModelName = keyof typeof OBJECT_DETECTION_MODELS;

/** Model names, default first. */
export const OBJECT_DETECTION_MODEL_NAMES = [
  'balanced',
  'fast',
  'accurate',
] as const satisfies readonly ObjectDetectionModelName[];
