import './tfjs-modules.js';
import { ModelLoadError } from '@ondevice/core';
import { type GraphModel, getTfjs } from '@ondevice/core/tfjs';
import type { GraphModelJson } from './manifest.js';

/**
 * Loads a graph model from a model.json and its weight bytes (all weight files concatenated in
 * manifest order) onto core's tfjs backend; quantised weights are dequantised to float32 here.
 *
 * @example
 * ```ts
 * const out = await optimizeGraphModel({ modelJson, weights, quantize: 'uint8' });
 * const model = await loadGraphModelFromMemory(out.modelJson, out.weights);
 * ```
 */
export async function loadGraphModelFromMemory(
  json: GraphModelJson,
  weights: Uint8Array,
): Promise<GraphModel> {
  const { tf } = await getTfjs();
  const converter = await import('@tensorflow/tfjs-converter');
  try {
    const weightData = weights.buffer.slice(
      weights.byteOffset,
      weights.byteOffset + weights.byteLength,
    ) as ArrayBuffer;
    return await converter.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology as object,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as never,
        weightData,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature as object,
        userDefinedMetadata: json.userDefinedMetadata as Record<string, object>,
      }),
    );
  } catch (error) {
    throw new ModelLoadError(
      `could not load the graph model from memory: ${String((error as Error)?.message ?? error)}`,
      {
        cause: error,
      },
    );
  }
}
