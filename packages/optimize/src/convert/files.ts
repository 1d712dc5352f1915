import { besides, readBytes, writeBytes } from '#platform/files';
import { ModelLoadError } from '@ondevice/core';
import { type ConvertedOnnxModel, convertGraphModelToOnnx } from './convert-graph-model.js';
import type { ConvertOptions } from './options.js';

/** Options of {@link convertGraphModelFileToOnnx}: those of {@link convertGraphModelToOnnx} without the inputs. */
export type ConvertFilesOptions = Omit<ConvertOptions, 'modelJson' | 'weights'>;

/**
 * Node: reads a TFJS model.json and the weight files it names (beside it), converts the model to
 * ONNX and writes it to `onnxPath` (its folder is created). Unreadable or invalid files reject with
 * `ModelLoadError`; an op the converter does not cover with {@link UnsupportedOpError}.
 *
 * @example
 * ```ts
 * const { outputs } = await convertGraphModelFileToOnnx('models/iris.json', 'out/iris.onnx');
 * ```
 */
export async function convertGraphModelFileToOnnx(
  modelJsonPath: string,
  onnxPath: string,
  options: ConvertFilesOptions = {},
): Promise<ConvertedOnnxModel & { file: string }> {
  const read = async (path: string, what: string): Promise<Uint8Array> => {
    try {
      return await readBytes(path);
    } catch (error) {
      throw new ModelLoadError(
        `convertGraphModelToOnnx: cannot read ${what} ${path}: ${String((error as Error)?.message ?? error)}`,
        { cause: error },
      );
    }
  };
  const text = new TextDecoder().decode(await read(modelJsonPath, 'the model.json'));
  let json: { modelTopology?: unknown; weightsManifest?: { paths?: string[] }[] };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelLoadError(
      `convertGraphModelToOnnx: ${modelJsonPath} is not valid JSON: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (!json?.modelTopology || !Array.isArray(json.weightsManifest))
    throw new ModelLoadError(
      `convertGraphModelToOnnx: ${modelJsonPath} is not a TFJS graph model.json (no modelTopology and weightsManifest).`,
    );
  const weights = new Map<string, Uint8Array>();
  for (const group of json.weightsManifest)
    for (const p of group.paths ?? [])
      weights.set(p, await read(besides(modelJsonPath, p), 'the weights file'));
  const out = convertGraphModelToOnnx({ ...options, modelJson: text, weights });
  await writeBytes(onnxPath, out.onnx);
  return { ...out, file: onnxPath };
}
