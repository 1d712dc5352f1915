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
 * saturate).
 *
 * @example
 * ```ts
 * quantizeOnnxModel({ onnx, ranges, keepFloat, ...INT8_QUANTIZATION });
 * ```
 */
export const INT8_QUANTIZATION = { weightBits: 7, depthwiseWeightBits: 8, weightType: 'int8' } as const;

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
  return quantizeOnnxModel({ onnx: fp32, ranges, keepFloat: [...keepFloat], ...INT8_QUANTIZATION }).onnx;
}
