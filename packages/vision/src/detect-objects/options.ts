import { ENGINE_NAMES, labelFilterSchema, scoreThresholdSchema, signalSchema } from '@ondevice/core';
import { z } from 'zod';
import { COCO_LABELS } from './labels.js';
import { OBJECT_DETECTION_PRECISIONS } from './precision-name.js';
import { OBJECT_DETECTION_MODEL_NAMES } from './registry.js';

const callFields = {
  scoreThreshold: scoreThresholdSchema
    .optional()
    .describe(
      'Objects scoring below this are dropped. Default: per model, chosen on a measured precision/recall curve: "fast" 0.3; "balanced" and "accurate" a size-aware threshold, lower for large boxes (balanced 0.26 for a box 1/20 of the image\'s longer side down to 0.15 at 1/2; accurate 0.36 down to 0.21).',
    ),
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('At most this many objects are returned, best first. Default: 20.'),
  iouThreshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe(
      'Boxes of the same label overlapping a better one by more than this IoU are dropped. Default: 0.5.',
    ),
  ...labelFilterSchema(COCO_LABELS),
  signal: signalSchema,
};

/**
 * Options of `createObjectDetector`; the per-call settings given here are the detector's defaults.
 *
 * @example
 * ```ts
 * const opts = parseOptions(objectDetectorOptionsSchema, { model: 'fast' }, 'createObjectDetector');
 * ```
 */
export const objectDetectorOptionsSchema = z.strictObject({
  model: z
    .enum(OBJECT_DETECTION_MODEL_NAMES)
    .default('balanced')
    .describe(
      'Which detector: "fast" (CenterNet at 384), "balanced" (CenterNet at 512) or "accurate" (CenterNet at 512 plus a second pass on 1.75× zoomed overlapping tiles for small objects, about 5× balanced\'s compute). Default: "balanced".',
    ),
  precision: z
    .enum(OBJECT_DETECTION_PRECISIONS)
    .default('fp32')
    .describe(
      'Weight precision: "fp32" and "fp16" load the published weights (stored as float16, computed in float32); "int8" uses uint8 weights derived on first use and cached (0.55× the bytes, same speed, mAP@0.5 within a few points: +1.0 / −4.7 measured). Default: "fp32".',
    ),
  modelPath: z
    .string()
    .optional()
    .describe("A directory or base URL holding the model's files, checked before the cache. Default: none."),
  engine: z
    .enum(ENGINE_NAMES)
    .default('auto')
    .describe(
      'Which engine runs the model: "auto" (onnxruntime-node in Node where it loads, on an ONNX form converted from the same verified weights on first use and cached; tfjs otherwise, and in browsers), "tfjs" (always tfjs), "onnx" (always onnxruntime). Default: "auto".',
    ),
  ...callFields,
});

/**
 * Options of one `detect` call; unset fields fall back to the detector's options.
 *
 * @example
 * ```ts
 * const opts = parseOptions(detectOptionsSchema, { maxResults: 5 }, 'detect');
 * ```
 */
export const detectOptionsSchema = z.strictObject({
  scoreThreshold: scoreThresholdSchema
    .optional()
    .describe(
      "Overrides the detector's scoreThreshold. Default: the detector's (its model's size-aware default unless set).",
    ),
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("Overrides the detector's maxResults. Default: the detector's (20)."),
  iouThreshold: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Overrides the detector's iouThreshold. Default: the detector's (0.5)."),
  ...labelFilterSchema(COCO_LABELS),
  signal: signalSchema,
});

/** Options accepted by `createObjectDetector` (and `detectObjects`). */
export type ObjectDetectorOptions = z.input<typeof objectDetectorOptionsSchema>;
/** Options accepted by `detector.detect`. */
export type DetectObjectsOptions = z.input<typeof detectOptionsSchema>;
