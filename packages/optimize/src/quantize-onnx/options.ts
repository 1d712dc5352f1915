import { z } from 'zod';

const bytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, 'must be the ONNX model bytes (a Uint8Array)')
  .refine((b) => b.byteLength > 0, 'must not be empty');

const keepFloat = z
  .array(z.string().min(1))
  .default([])
  .describe(
    'Names of nodes (or of tensors they write) to leave in float32, e.g. a first convolution on 3 input channels, where int8 kernels are slower. Default: none.',
  );

/** `[min, max]` of activation tensors by name, as {@link calibrateOnnxModel} measures them. */
export type ActivationRanges = Readonly<Record<string, readonly [number, number]>>;

/**
 * Options of {@link quantizeOnnxModel} (zod schema; every field described).
 *
 * @example
 * ```ts
 * const opts = quantizeOnnxOptionsSchema.parse({ onnx, ranges, weightBits: 7 });
 * ```
 */
export const quantizeOnnxOptionsSchema = z
  .object({
    onnx: bytes.describe('The float32 ONNX model (opset 13 or later), e.g. from convertGraphModelToOnnx.'),
    ranges: z
      .record(z.string(), z.tuple([z.number(), z.number()]).readonly())
      .describe(
        '[min, max] of every activation the plan quantises, by tensor name (calibrateOnnxModel measures them on real inputs).',
      ),
    weightBits: z
      .union([z.literal(7), z.literal(8)])
      .default(7)
      .describe(
        'Bits of the symmetric int8 convolution weights: 7 (−63…63) or 8 (−127…127). x86 CPUs without VNNI compute uint8×int8 products in pairs that saturate at 16 bits with 8-bit weights (onnxruntime\'s "reduce_range" advice); 7 bits never saturate, on every CPU. Default: 7.',
      ),
    weightType: z
      .enum(['int8', 'uint8'])
      .default('int8')
      .describe(
        'Storage of non-depthwise convolution weights: "int8" (symmetric, zero point 0) or "uint8" (the same values + 128, zero point 128), which onnxruntime runs with u8×u8 kernels that never saturate, so 8 weight bits are exact on CPUs without VNNI too. Default: "int8".',
      ),
    depthwiseWeightBits: z
      .union([z.literal(7), z.literal(8)])
      .default(8)
      .describe(
        'Bits of depthwise convolution weights (group = channels). onnxruntime computes depthwise convolutions with 16-bit products that do not saturate, so 8 is safe on every CPU. Default: 8.',
      ),
    keepFloat,
    rescaleScalarMul: z
      .boolean()
      .default(true)
      .describe(
        "Run a Mul by a positive scalar constant on a quantised tensor (hard-swish's x / 6) as no op: its output is the input's uint8 values read with the scale times the constant (one QLinearMul fewer per hard-swish; about 10 % of CenterNet's int8 time at 384). Default: true.",
      ),
    uint8Weights: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Names of Conv nodes whose weights are stored as uint8 with 8 bits (value + 128, zero point 128) whatever weightType and weightBits say: the layers most sensitive to 7-bit rounding. onnxruntime runs them with u8×u8 kernels, exact on every CPU but slower than u8×s8 on AVX2. Depthwise convolutions keep depthwiseWeightBits. Default: none.',
      ),
    compactNames: z
      .boolean()
      .default(true)
      .describe(
        "Give every tensor but the graph's inputs and outputs a short name and drop node names (a tenth of a small model's bytes). `dequantized` and `convOutputs` in the result use the new names. Default: true.",
      ),
  })
  .strict();

/** What {@link quantizeOnnxModel} accepts. */
export type QuantizeOnnxOptions = z.input<typeof quantizeOnnxOptionsSchema>;

const feed = z.record(
  z.string(),
  z.object({
    data: z.custom<Float32Array>((v) => v instanceof Float32Array, 'must be a Float32Array'),
    dims: z.array(z.number().int().min(0)),
  }),
);

/**
 * Options of {@link calibrateOnnxModel} (zod schema; every field described).
 *
 * @example
 * ```ts
 * const opts = calibrateOnnxOptionsSchema.parse({ onnx, inputs: [{ input: { data, dims: [1, 64, 64, 3] } }] });
 * ```
 */
export const calibrateOnnxOptionsSchema = z
  .object({
    onnx: bytes.describe('The float32 ONNX model to calibrate (the one quantizeOnnxModel will quantise).'),
    inputs: z
      .array(feed)
      .min(1)
      .describe(
        'Real inputs, preprocessed as at inference: one feed (input name → { data, dims }) per run. Use images that are not in the evaluation set.',
      ),
    method: z
      .enum(['mse', 'minmax'])
      .default('mse')
      .describe(
        'How a range is chosen from the values seen: "mse" (the range with the smallest expected squared uint8 quantisation error; clips rare outliers) or "minmax" (smallest to largest value). Default: "mse".',
      ),
    keepFloat,
  })
  .strict();

/** What {@link calibrateOnnxModel} accepts. */
export type CalibrateOnnxOptions = z.input<typeof calibrateOnnxOptionsSchema>;
