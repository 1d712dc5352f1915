import {
  AbortedError,
  getConfig,
  type LoadModelOptions,
  loadModel,
  ModelIntegrityError,
  type ModelSpec,
  modelKey,
  sha256Hex,
  storeDerivedModel,
} from '@ondevice/core';
import { type GraphModelJson, optimizeGraphModel } from '@ondevice/optimize';
import { CENTERNET_MOBILENETV3 } from '../models.js';
import type { ObjectDetectionPrecision } from './precision-name.js';

// The precision names live in precision-name.ts, whose declarations need no @ondevice/optimize
// (and so no tfjs) types: the main entry's types reach them, not this file.
export { OBJECT_DETECTION_PRECISIONS, type ObjectDetectionPrecision } from './precision-name.js';

/**
 * How the int8 CenterNet is derived from the verified published files (deterministic: the same
 * bytes every time, checked against {@link CENTERNET_MOBILENETV3_INT8}).
 */
export const CENTERNET_INT8_RECIPE = {
  quantize: 'uint8',
  quantizeDepthwise: false,
  weightsPath: 'centernet.bin',
} as const;

/**
 * CenterNet (MobileNetV3, COCO) with uint8 weights, derived on the device from
 * {@link CENTERNET_MOBILENETV3} by `@ondevice/optimize` ({@link CENTERNET_INT8_RECIPE}) on first use
 * and kept in the model cache; never downloaded from a third party and not committed.
 *
 * @example
 * ```ts
 * const objects = await detectObjects('street.jpg', { precision: 'int8' });
 * ```
 */
export const CENTERNET_MOBILENETV3_INT8: ModelSpec = {
  id: 'centernet-mobilenetv3-coco-int8',
  version: '3.3.6',
  format: 'tfjs-graph',
  license: 'MIT',
  description: 'CenterNet MobileNetV3 COCO-80, uint8 weights (depthwise float16), derived on device',
  files: [
    {
      path: 'centernet.json',
      sha256: '79fbda3cdff6fb1f4692372b5756a2cb12afa23a5b4201f6da98f071a41c3e75',
      size: 198_017,
    },
    {
      path: 'centernet.bin',
      sha256: 'd22637b0ef2fe522b1a70cc2502e57b7d78aae17cb9e6da2e4503a514dc3748a',
      size: 2_121_897,
    },
  ],
};

/**
 * Derives the int8 CenterNet from the verified published files, checks it against its spec's
 * SHA-256 (ModelIntegrityError when the derivation ever changes) and writes it to the model cache.
 * Resolves to the model.json, the weights, whether they were cached, and both as files by path.
 *
 * @example
 * ```ts
 * const { json, weights } = await deriveCenterNetInt8();
 * ```
 */
export async function deriveCenterNetInt8(
  options: Pick<LoadModelOptions, 'modelPath' | 'signal' | 'onProgress'> = {},
  source: ModelSpec = CENTERNET_MOBILENETV3,
): Promise<{
  json: GraphModelJson;
  weights: Uint8Array;
  cached: boolean;
  files: ReadonlyMap<string, Uint8Array>;
}> {
  const target = CENTERNET_MOBILENETV3_INT8;
  const loaded = await loadModel(source, options);
  const out = await optimizeGraphModel({
    modelJson: loaded.files.get('centernet.json')!,
    weights: loaded.files.get('centernet.bin')!,
    ...CENTERNET_INT8_RECIPE,
    gzip: false,
  });
  const files = new Map([
    ['centernet.json', out.modelJsonBytes],
    ['centernet.bin', out.weights],
  ]);
  for (const f of target.files) {
    const bytes = files.get(f.path)!;
    if (bytes.byteLength !== f.size || (await sha256Hex(bytes)) !== f.sha256)
      throw new ModelIntegrityError(
        `${modelKey(target)}: deriving "${f.path}" from ${modelKey(source)} gave different bytes than recorded; the derivation changed.`,
      );
  }
  const cached = await storeDerivedModel(target, files);
  return { json: out.modelJson, weights: out.weights, cached, files };
}

/**
 * CenterNet's graph files (model.json and weights, by path) at a precision: fp32/fp16 are the
 * published files; int8 comes from the cache (or `modelBaseUrl`, where a served cache folder holds
 * it), else is derived once from the published files.
 *
 * @example
 * ```ts
 * const files = await centerNetGraphFiles(CENTERNET_MOBILENETV3, 'int8', {});
 * ```
 */
export async function centerNetGraphFiles(
  spec: ModelSpec,
  precision: ObjectDetectionPrecision,
  options: Pick<LoadModelOptions, 'modelPath' | 'signal' | 'onProgress'>,
): Promise<ReadonlyMap<string, Uint8Array>> {
  if (precision !== 'int8' || spec.id !== CENTERNET_MOBILENETV3.id)
    return (await loadModel(spec, options)).files;
  try {
    return (
      await loadModel(CENTERNET_MOBILENETV3_INT8, {
        signal: options.signal,
        onProgress: options.onProgress,
      })
    ).files;
  } catch (error) {
    if (error instanceof AbortedError) throw error;
    getConfig().logger.debug(
      `${modelKey(CENTERNET_MOBILENETV3_INT8)} not stored yet, deriving it: ${String(error)}`,
    );
  }
  return (await deriveCenterNetInt8(options, spec)).files;
}
