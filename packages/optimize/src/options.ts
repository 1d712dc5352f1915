import { z } from 'zod';

const bytesSchema = z.custom<Uint8Array>((v) => v instanceof Uint8Array, {
  message: 'must be a Uint8Array',
});

/**
 * Options of {@link optimizeGraphModel}.
 *
 * @example
 * ```ts
 * const options = optimizeOptionsSchema.parse({ modelJson, weights, quantize: 'uint8' });
 * ```
 */
export const optimizeOptionsSchema = z.object({
  modelJson: z
    .union([
      z.string(),
      bytesSchema,
      z.looseObject({ modelTopology: z.unknown(), weightsManifest: z.array(z.unknown()) }),
    ])
    .describe('The model.json: its text, its bytes or the parsed object. Required.'),
  weights: z
    .union([bytesSchema, z.instanceof(Map), z.record(z.string(), bytesSchema)])
    .describe(
      'The weight files: their bytes concatenated in manifest order, or a Map/record from each path named in the manifest to its bytes. Required.',
    ),
  quantize: z
    .enum(['uint8', 'uint16', 'float16'])
    .optional()
    .describe(
      'Storage type of float weights, dequantised to float32 by tfjs at load. Default: none (each weight keeps its storage type).',
    ),
  prune: z
    .number()
    .min(0)
    .max(0.99)
    .optional()
    .describe(
      'Target fraction of zeros in each conv/dense kernel (magnitude pruning, per tensor). Default: none.',
    ),
  quantizeMinElements: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'Float weights with fewer elements than this keep their storage type when quantising (e.g. biases). Default: 0 (all are quantised, as tfjs-converter does).',
    ),
  quantizeDepthwise: z
    .boolean()
    .default(true)
    .describe(
      'Whether depthwise conv kernels are quantised too; false keeps their storage type (per-tensor uint8 ruins them in MobileNet-style models). Default: true.',
    ),
  keepWeights: z
    .array(z.string())
    .default([])
    .describe(
      'Weight names (a `*` matches any run of characters) left exactly as they are: neither quantised nor pruned. Default: none.',
    ),
  pruneMinElements: z
    .number()
    .int()
    .min(1)
    .default(1024)
    .describe('Kernels with fewer elements than this are never pruned. Default: 1024.'),
  weightsPath: z
    .string()
    .min(1)
    .default('weights.bin')
    .describe('File name of the single weights file the new model.json names. Default: "weights.bin".'),
  gzip: z.boolean().default(true).describe('Whether the report includes gzip sizes. Default: true.'),
});

/** What {@link optimizeGraphModel} accepts. */
export type OptimizeOptions = z.input<typeof optimizeOptionsSchema>;
