import { besides, fileName, inFolder, readBytes, writeBytes } from '#platform/files';
import { type OptimizedGraphModel, optimizeGraphModel } from './optimize-graph-model.js';
import type { OptimizeOptions } from './options.js';

/** Options of {@link optimizeGraphModelFiles}: those of {@link optimizeGraphModel} without the inputs. */
export type OptimizeFilesOptions = Omit<OptimizeOptions, 'modelJson' | 'weights' | 'weightsPath'>;

/**
 * Node: reads a model.json and the weight files it names, optimises them, and writes `model.json`
 * (same file name as the input) and one weights file (`<name>.bin`) into `outDir`.
 *
 * @example
 * ```ts
 * const { report, files } = await optimizeGraphModelFiles('models/centernet.json', 'out', { quantize: 'uint8' });
 * ```
 */
export async function optimizeGraphModelFiles(
  modelJsonPath: string,
  outDir: string,
  options: OptimizeFilesOptions = {},
): Promise<OptimizedGraphModel & { files: string[] }> {
  const text = new TextDecoder().decode(await readBytes(modelJsonPath));
  const json = JSON.parse(text) as { weightsManifest?: { paths: string[] }[] };
  const weights = new Map<string, Uint8Array>();
  for (const group of json.weightsManifest ?? []) {
    for (const p of group.paths) weights.set(p, await readBytes(besides(modelJsonPath, p)));
  }
  const name = fileName(modelJsonPath).replace(/\.json$/i, '');
  const out = await optimizeGraphModel({ ...options, modelJson: text, weights, weightsPath: `${name}.bin` });
  const jsonOut = inFolder(outDir, fileName(modelJsonPath));
  const binOut = inFolder(outDir, out.weightsPath);
  await writeBytes(jsonOut, out.modelJsonBytes);
  await writeBytes(binOut, out.weights);
  return { ...out, files: [jsonOut, binOut] };
}
