import {
  type GraphModel,
  getTfjs,
  type ImagePixels,
  ModelLoadError,
  type ModelSpec,
  withTensorScope,
} from '@ondevice/core';
import { CENTERNET_MOBILENETV3 } from '../models.js';
import { COCO_LABELS } from './labels.js';
import { type CenterNetMaps, decodeCenterNet, mergeFlippedCenterNet } from './postprocess.js';
import { loadCenterNetGraph } from './precision.js';
import { type FitMode, modelToInput, toModelInput } from './preprocess.js';
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
}

const STRIDE = 4;
const TOP_K = 100;
const HEATMAP = 'tower_0/keypoints';
const SIDES = 'tower_0/wh';
// Constant output sizes of the three up-sampling steps in the graph's head, exported for 512 input.
const UPSAMPLE_SIZES: readonly [string, number][] = [
  ['tower_0/CenternetHead/c5_upsample/up_sampling2d/mul', 16],
  ['tower_0/CenternetHead/c4_upsample/up_sampling2d_1/mul', 8],
  ['tower_0/CenternetHead/c3_upsample/up_sampling2d_2/mul', 4],
];

interface GraphInternals {
  executor?: {
    weightMap: Record<string, ReturnType<Awaited<ReturnType<typeof getTfjs>>['tf']['tensor']>[]>;
    graph: { placeholders: { attrParams: { shape?: { value: number[] } } }[] };
  };
}

/**
 * Re-targets the CenterNet graph to any batch size and another square input size: the graph's
 * input shape and the three constant up-sampling sizes in its head are the only size-dependent
 * parts.
 */
function retarget(tf: Awaited<ReturnType<typeof getTfjs>>['tf'], graph: GraphModel, size: number): void {
  const executor = (graph as unknown as GraphInternals).executor;
  const placeholder = executor?.graph.placeholders[0];
  const weights = executor?.weightMap;
  if (!placeholder?.attrParams.shape || !weights || UPSAMPLE_SIZES.some(([name]) => !weights[name]))
    throw new ModelLoadError(`CenterNet graph layout not recognised; cannot run it at ${size}×${size}.`);
  // Batch 2 carries the mirror image for flip averaging.
  placeholder.attrParams.shape.value = [-1, size, size, 3];
  if (size === 512) return;
  for (const [name, stride] of UPSAMPLE_SIZES) {
    for (const t of weights[name]!) t.dispose();
    weights[name] = [tf.tensor1d([size / stride, size / stride], 'int32')];
  }
}

/**
 * Defines a CenterNet (MobileNetV3, COCO-80) variant: input RGB 0..255 (normalised inside the
 * graph), a 80-class heatmap and box sides at stride 4, decoded by 3×3 peak picking.
 *
 * @example
 * ```ts
 * const accurate = centerNetVariant({ inputSize: 512, flip: true, fit: 'stretch', description: '…' });
 * ```
 */
export function centerNetVariant(options: CenterNetVariantOptions): ObjectModelDefinition {
  const spec = options.spec ?? CENTERNET_MOBILENETV3;
  const { inputSize, flip, fit } = options;
  if (inputSize % 32 !== 0) throw new RangeError('CenterNet input size must be a multiple of 32');
  return {
    spec,
    labels: COCO_LABELS,
    description: options.description,
    async load(loadOptions): Promise<ObjectModelRunner> {
      const { tf } = await getTfjs();
      const graph = await loadCenterNetGraph(spec, loadOptions.precision ?? 'fp32', loadOptions);
      try {
        retarget(tf, graph, inputSize);
      } catch (error) {
        graph.dispose();
        throw error;
      }
      const run = (pixels: ImagePixels, ctx: RunContext) =>
        withTensorScope(async (scope) => {
          const input = scope.track(toModelInput(tf, pixels, inputSize, fit, flip));
          const [heat, sides] = scope.track(
            graph.execute(input, [HEATMAP, SIDES]) as ReturnType<typeof tf.tensor>[],
          );
          const [heatData, sideData] = await Promise.all([heat!.data(), sides!.data()]);
          const [, h = 0, w = 0, classes = 0] = heat!.shape;
          const cells = h * w;
          const mapsOf = (i: number): CenterNetMaps => ({
            heatmap: (heatData as Float32Array).subarray(i * cells * classes, (i + 1) * cells * classes),
            sides: (sideData as Float32Array).subarray(i * cells * 4, (i + 1) * cells * 4),
            width: w,
            height: h,
            classes,
          });
          const maps = flip ? mergeFlippedCenterNet(mapsOf(0), mapsOf(1), STRIDE) : mapsOf(0);
          return decodeCenterNet(maps, {
            stride: STRIDE,
            scoreThreshold: ctx.scoreThreshold,
            topK: TOP_K,
            toInput: modelToInput(pixels.width, pixels.height, inputSize, fit),
            imageWidth: pixels.width,
            imageHeight: pixels.height,
          });
        });
      return { run, dispose: () => graph.dispose() };
    },
  };
}
