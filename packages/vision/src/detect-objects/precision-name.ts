/**
 * Weight precision of the object detector. The published CenterNet weights are stored as float16
 * and tfjs computes in float32 whatever the storage, so `'fp32'` and `'fp16'` load the same files.
 * `'int8'` stores weights as uint8 (depthwise kernels stay float16): 0.55× the bytes, 0.44×
 * gzipped, same inference speed. On the 28-photo COCO set its mAP@0.5 moved by +1.0 point through
 * this detector and by −4.7 points through the graph's own decoder (bench/results/optimize.md), so
 * it is opt-in and `'fp32'` stays the default.
 *
 * @example
 * ```ts
 * const precision: ObjectDetectionPrecision = 'int8';
 * await detectObjects('street.jpg', { precision });
 * ```
 */
export type ObjectDetectionPrecision = 'fp32' | 'fp16' | 'int8';

/**
 * Precision names, default first.
 *
 * @example
 * ```ts
 * const precision = z.enum(OBJECT_DETECTION_PRECISIONS).default('fp32');
 * ```
 */
export const OBJECT_DETECTION_PRECISIONS = [
  'fp32',
  'fp16',
  'int8',
] as const satisfies readonly ObjectDetectionPrecision[];
