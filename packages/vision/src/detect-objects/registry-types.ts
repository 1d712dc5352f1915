import type { EngineName, EngineRuntime, ImagePixels, LoadModelOptions, ModelSpec } from '@ondevice/core';
import type { Candidates, SizeAwareThreshold } from './postprocess.js';
import type { ObjectDetectionPrecision } from './precision-name.js';

/** Per-call settings a model runner gets. */
export interface RunContext {
  /** Candidates below this score may be skipped early. */
  scoreThreshold: number;
}

/** A loaded detection model: image in, candidates in input pixels out. */
export interface ObjectModelRunner {
  run(pixels: ImagePixels, ctx: RunContext): Promise<Candidates>;
  dispose(): void;
  /** The runtime the model runs on. */
  readonly runtime: EngineRuntime;
}

/**
 * One entry of the object-detection model registry: the weights, the labels, and how to load and
 * decode them. Adding a model is one `ModelSpec` in `models.ts` plus one of these.
 *
 * @example
 * ```ts
 * const entry: ObjectModelDefinition = centerNetVariant({ inputSize: 512, flip: false, fit: 'stretch', description: 'CenterNet 512' });
 * ```
 */
export interface ObjectModelDefinition {
  readonly spec: ModelSpec;
  readonly labels: readonly string[];
  readonly description: string;
  /** The score threshold used when the caller sets none (flat, or size-aware). */
  readonly defaultScoreThreshold: number | SizeAwareThreshold;
  load(
    options: Pick<LoadModelOptions, 'modelPath' | 'signal' | 'onProgress'> & {
      precision?: ObjectDetectionPrecision;
      /** Which engine runs the model. Default: `auto`. */
      engine?: EngineName;
    },
  ): Promise<ObjectModelRunner>;
}
