import { z } from 'zod';
import { optimizeOptionsSchema } from '../options.js';

/**
 * Options of {@link convertGraphModelToOnnx} (zod schema; every field described).
 *
 * @example
 * ```ts
 * const opts = convertOptionsSchema.parse({ modelJson, weights, outputs: ['Identity'] });
 * ```
 */
export const convertOptionsSchema = z.object({
  modelJson: optimizeOptionsSchema.shape.modelJson,
  weights: optimizeOptionsSchema.shape.weights,
  outputs: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe(
      'Names of the graph nodes that become the ONNX outputs (e.g. ["tower_0/keypoints", "tower_0/wh"]); the graph is cut there, so ops only needed by other outputs are never converted. Default: the signature outputs, else every node no other node reads.',
    ),
  inputShapes: z
    .record(z.string(), z.array(z.number().int().min(-1)))
    .optional()
    .describe(
      'Input shapes (NHWC, -1 for a dynamic dimension) replacing those the model.json records, by input name, e.g. { "tower_0/images": [-1, 512, 512, 3] } for any batch size. Default: the recorded shapes.',
    ),
  graphName: z.string().min(1).default('tfjs-graph').describe('The ONNX graph name. Default: "tfjs-graph".'),
});

/** What {@link convertGraphModelToOnnx} accepts. */
export type ConvertOptions = z.input<typeof convertOptionsSchema>;
