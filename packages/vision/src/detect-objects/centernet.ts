import '../tfjs-modules.js';
import {
  type ImagePixels,
  loadEngine,
  type LoadModelOptions,
  ModelLoadError,
  type ModelSpec,
} from '@ondevice/core';
import { convertGraphModelToOnnx } from '@ondevice/optimize';
import { CENTERNET_MOBILENETV3, CENTERNET_ONNX } from '../models.js';
import { COCO_LABELS } from './labels.js';
import {
  type CenterNetMaps,
  decodeCenterNet,
  mergeFlippedCenterNet,
  type SizeAwareThreshold,
} from './postprocess.js';
import { quantizeCenterNetOnnx } from './int8-onnx.js';
import { centerNetGraphFiles, type ObjectDetectionPrecision } from './precision.js';
import { type FitMode, modelToInput, toModelInput } from './preprocess.js';
import { cropPixels, mergeTileCandidates, tileGrid } from './tiles.js';
import type { ObjectModelDefinition, ObjectModelRunner, RunContext } from './registry-types.js';

/** Settings of one CenterNet variant. */
export interface CenterNetVariantOptions {
  /** Square model input size, a multiple of 32. The weights were trained at 512. */
  inputSize: number;
  /** Also run the mirror image and average the maps (test-time flip augmentation). */
  flip: boolean;
  /** How the image is fitted into the square input. */
  fit: FitMode;
  /** One line for the README and CLI. */
  description: string;
  /** The weights. Default: {@link CENTERNET_MOBILENETV3}. */
  spec?: ModelSpec;
  /** The score threshold when the caller sets none. Default: 0.3. */
  defaultScoreThreshold?: number | SizeAwareThreshold;
  /**
   * A second pass for small objects: overlapping square tiles, each `1 / zoom` of the image's
   * longer side, run at `inputSize` (so `zoom` times larger) and merged with the whole image's
   * candidates (see {@link mergeTileCandidates}). Default: none.
   */
  tiles?: TilePassOptions;
}

/** Settings of CenterNet's tiled second pass (see {@link CenterNetVariantOptions.tiles}). */
export interface TilePassOptions {
  /** How many times larger a tile shows the image than the whole-image pass. */
  zoom: number;
  /** Least overlap of neighbouring tiles, as a fraction of a tile side. */
  overlap: number;
  /** Tile boxes whose longer side exceeds this fraction of the tile are dropped. */
  maxSideFraction: number;
}

const STRIDE = 4;
const TOP_K = 100;
const INPUT = 'tower_0/images';
const HEATMAP = 'tower_0/keypoints';
const SIDES = 'tower_0/wh';
// Constant output sizes of the three up-sampling steps in the graph's head, exported for 512 input.
const UPSAMPLE_SIZES: readonly [string, number][] = [
  ['tower_0/CenternetHead/c5_upsample/up_sampling2d/mul', 16],
  ['tower_0/CenternetHead/c4_upsample/up_sampling2d_1/mul', 8],
  ['tower_0/CenternetHead/c3_upsample/up_sampling2d_2/mul', 4],
];

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}
const BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };

/**
 * Re-targets CenterNet's graph files to any batch size and another square input size (pure, the
 * same bytes every time): the input's recorded shape and the three constant up-sampling sizes in
 * its head are the only size-dependent parts. Every engine loads the result.
 *
 * @example
 * ```ts
 * const files384 = retargetCenterNet(files, 384);
 * ```
 */
export function retargetCenterNet(
  files: ReadonlyMap<string, Uint8Array>,
  size: number,
): Map<string, Uint8Array> {
  const jsonPath = [...files.keys()].find((p) => p.endsWith('.json'));
  const fail = () =>
    new ModelLoadError(`CenterNet graph layout not recognised; cannot run it at ${size}×${size}.`);
  if (!jsonPath) throw fail();
  const json = JSON.parse(new TextDecoder().decode(files.get(jsonPath))) as {
    modelTopology: { node: { op: string; attr?: { shape?: { shape?: { dim?: unknown[] } } } }[] };
    weightsManifest: { paths: string[]; weights: ManifestEntry[] }[];
  };
  const placeholder = json.modelTopology.node.find((n) => n.op === 'Placeholder');
  const group = json.weightsManifest.length === 1 ? json.weightsManifest[0] : undefined;
  const binPath = group?.paths.length === 1 ? group.paths[0] : undefined;
  const bin = binPath !== undefined ? files.get(binPath) : undefined;
  if (!placeholder?.attr?.shape?.shape || !group || !bin || binPath === undefined) throw fail();
  // Batch 2 carries the mirror image for flip averaging.
  placeholder.attr.shape.shape.dim = [-1, size, size, 3].map((n) => ({ size: String(n) }));
  const out = new Map(files);
  out.set(jsonPath, new TextEncoder().encode(JSON.stringify(json)));
  if (size === 512) return out;
  const weights = bin.slice();
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  let offset = 0;
  let patched = 0;
  for (const w of group.weights) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const stride = UPSAMPLE_SIZES.find(([name]) => name === w.name)?.[1];
    if (stride !== undefined) {
      if (w.dtype !== 'int32' || w.quantization || count !== 2) throw fail();
      view.setInt32(offset, size / stride, true);
      view.setInt32(offset + 4, size / stride, true);
      patched++;
    }
    const bytes = BYTES[w.quantization?.dtype ?? w.dtype];
    if (bytes === undefined) throw fail();
    offset += count * bytes;
  }
  if (patched !== UPSAMPLE_SIZES.length || offset !== weights.byteLength) throw fail();
  out.set(binPath, weights);
  return out;
}

/**
 * Defines a CenterNet (MobileNetV3, COCO-80) variant: input RGB 0..255 (normalised inside the
 * graph), a 80-class heatmap and box sides at stride 4, decoded by 3×3 peak picking. The published
 * weights run on the native engine in Node (their ONNX form per size and precision, derived on first
 * use), else on tfjs; other weights (`spec`) on tfjs.
 *
 * @example
 * ```ts
 * const accurate = centerNetVariant({ inputSize: 512, flip: true, fit: 'stretch', description: '…' });
 * ```
 */
export function centerNetVariant(options: CenterNetVariantOptions): ObjectModelDefinition {
  const spec = options.spec ?? CENTERNET_MOBILENETV3;
  const { inputSize, flip, fit, tiles } = options;
  if (inputSize % 32 !== 0) throw new RangeError('CenterNet input size must be a multiple of 32');
  return {
    spec,
    labels: COCO_LABELS,
    description: options.description,
    defaultScoreThreshold: options.defaultScoreThreshold ?? 0.3,
    async load(loadOptions): Promise<ObjectModelRunner> {
      const precision = loadOptions.precision ?? 'fp32';
      const engine = await loadEngine(centerNetEngineModel(spec, precision, inputSize), {
        modelPath: loadOptions.modelPath,
        signal: loadOptions.signal,
        onProgress: loadOptions.onProgress,
        engine: loadOptions.engine,
      });
      const run = async (pixels: ImagePixels, ctx: RunContext) => {
        const n = flip ? 2 : 1;
        const data = toModelInput(pixels, inputSize, fit, flip);
        const out = await engine.run({ [INPUT]: { data, dims: [n, inputSize, inputSize, 3] } }, [
          HEATMAP,
          SIDES,
        ]);
        const heat = out[HEATMAP];
        const sides = out[SIDES];
        if (!heat || !sides)
          throw new ModelLoadError('The CenterNet model lacks its heatmap or sides output.');
        const [, h = 0, w = 0, classes = 0] = heat.dims;
        const cells = h * w;
        const mapsOf = (i: number): CenterNetMaps => ({
          heatmap: heat.data.subarray(i * cells * classes, (i + 1) * cells * classes),
          sides: sides.data.subarray(i * cells * 4, (i + 1) * cells * 4),
          width: w,
          height: h,
          classes,
        });
        const maps = flip ? mergeFlippedCenterNet(mapsOf(0), mapsOf(1), STRIDE) : mapsOf(0);
        const whole = decodeCenterNet(maps, {
          stride: STRIDE,
          scoreThreshold: ctx.scoreThreshold,
          topK: TOP_K,
          toInput: modelToInput(pixels.width, pixels.height, inputSize, fit),
          imageWidth: pixels.width,
          imageHeight: pixels.height,
        });
        if (!tiles) return whole;
        const grid = tileGrid(pixels.width, pixels.height, tiles.zoom, tiles.overlap);
        // One run per tile, decoded at once (one tile's maps at a time).
        const perTile = [];
        for (const t of grid) {
          const o = await engine.run(
            {
              [INPUT]: {
                data: toModelInput(cropPixels(pixels, t), inputSize, fit, false),
                dims: [1, inputSize, inputSize, 3],
              },
            },
            [HEATMAP, SIDES],
          );
          const tileMaps = { heatmap: o[HEATMAP]!.data, sides: o[SIDES]!.data, width: w, height: h, classes };
          perTile.push(
            decodeCenterNet(tileMaps, {
              stride: STRIDE,
              scoreThreshold: ctx.scoreThreshold,
              topK: TOP_K,
              toInput: modelToInput(t.width, t.height, inputSize, fit),
              imageWidth: t.width,
              imageHeight: t.height,
            }),
          );
        }
        return mergeTileCandidates(whole, grid, perTile, {
          imageWidth: pixels.width,
          imageHeight: pixels.height,
          edgeMargin: 4,
          maxSideFraction: tiles.maxSideFraction,
        });
      };
      return { run, dispose: () => engine.dispose(), runtime: engine.runtime };
    },
  };
}

/**
 * CenterNet as the engine takes it: the graph files at a precision, re-targeted to `inputSize`;
 * and, for the published weights at 384 or 512, the ONNX form converted from those same files.
 *
 * @example
 * ```ts
 * const engine = await loadEngine(centerNetEngineModel(CENTERNET_MOBILENETV3, 'fp32', 512));
 * ```
 */
export function centerNetEngineModel(
  spec: ModelSpec,
  precision: ObjectDetectionPrecision,
  inputSize: number,
): Parameters<typeof loadEngine>[0] {
  const files = async (o: Pick<LoadModelOptions, 'modelPath' | 'signal' | 'onProgress'>) =>
    retargetCenterNet(await centerNetGraphFiles(spec, precision, o), inputSize);
  const key = `${precision === 'int8' ? 'int8' : 'fp32'}-${inputSize}` as keyof typeof CENTERNET_ONNX;
  const onnxSpec = spec.id === CENTERNET_MOBILENETV3.id ? CENTERNET_ONNX[key] : undefined;
  return {
    tfjs: spec,
    tfjsFiles: files,
    ...(onnxSpec && {
      onnx: {
        spec: onnxSpec,
        async derive(o) {
          // int8: the float32 form (from the published files) quantised to QDQ.
          const f = retargetCenterNet(
            await centerNetGraphFiles(spec, precision === 'int8' ? 'fp32' : precision, o),
            inputSize,
          );
          const jsonPath = [...f.keys()].find((p) => p.endsWith('.json'))!;
          const fp32 = convertGraphModelToOnnx({
            modelJson: f.get(jsonPath)!,
            weights: new Map([...f].filter(([p]) => p !== jsonPath)),
            outputs: [HEATMAP, SIDES],
          }).onnx;
          return precision === 'int8' ? quantizeCenterNetOnnx(fp32, inputSize as 384 | 512) : fp32;
        },
      },
    }),
  };
}
