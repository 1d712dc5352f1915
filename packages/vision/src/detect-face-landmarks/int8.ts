import { ModelIntegrityError, type ModelSpec, modelKey, sha256Hex } from '@ondevice/core';
import { quantizeOnnxModel } from '@ondevice/optimize';
import { INT8_QUANTIZATION } from '../detect-objects/int8-onnx.js';
import { FACE_INT8_CALIBRATION } from './face-int8-ranges.js';

/** The face models with an int8 form. */
export type FaceModelName = keyof typeof FACE_INT8_CALIBRATION;

/**
 * Face-model nodes the int8 forms keep in float32, per model: the first convolution (3 input
 * channels, where onnxruntime's int8 kernels are slower than its float32 ones) and BlazeFace's four
 * output convolutions, whose raw score logits reach −11,200 on real crops (uint8 steps of 44 over
 * that range left no usable score; in float32 they cost little at 16×16 and 8×8).
 *
 * @example
 * ```ts
 * const kept = nodes.filter((n) => FACE_INT8_KEEP_FLOAT.blazeface.test(n.name));
 * ```
 */
export const FACE_INT8_KEEP_FLOAT: Readonly<Record<FaceModelName, RegExp>> = {
  blazeface: /^StatefulPartitionedCall\/functional_1\/conv2d(\/Relu\/conv|_3[3-6]\/BiasAdd)$/,
  facemesh: /^StatefulPartitionedCall\/model_1\/batch_normalization_1\/FusedBatchNormV3\/conv$/,
  iris: /^StatefulPartitionedCall\/model\/batch_normalization\/FusedBatchNormV3\/conv$/,
};

/**
 * Quantises a face model's float32 ONNX form to its int8 QDQ form with the recorded calibration,
 * after checking that the float32 bytes are those recorded in `fp32Spec` (the calibration belongs
 * to them). Deterministic; the result's SHA-256 is recorded in `models.ts`.
 *
 * @example
 * ```ts
 * const int8 = await quantizeFaceOnnx('iris', fp32Bytes, IRIS_ONNX);
 * ```
 */
export async function quantizeFaceOnnx(
  model: FaceModelName,
  fp32: Uint8Array,
  fp32Spec: ModelSpec,
): Promise<Uint8Array> {
  if ((await sha256Hex(fp32.slice())) !== fp32Spec.files[0]!.sha256)
    throw new ModelIntegrityError(
      `${modelKey(fp32Spec)}: the float32 ONNX form differs from the recorded one, so the int8 calibration does not apply to it; the conversion changed.`,
    );
  const { keepFloat, ranges } = FACE_INT8_CALIBRATION[model];
  return quantizeOnnxModel({ onnx: fp32, ranges, keepFloat: [...keepFloat], ...INT8_QUANTIZATION }).onnx;
}
