import {
  DisposedError,
  decodeImage,
  type EngineRuntime,
  type ImageInput,
  lazyDefault,
  parseOptions,
  throwIfAborted,
} from '@ondevice/core';
import {
  type DetectObjectsOptions,
  detectOptionsSchema,
  type ObjectDetectorOptions,
  objectDetectorOptionsSchema,
} from './options.js';
import { useVisionModelPackages } from '../package-root.js';
import { finalizeDetections, lowestScoreThreshold } from './postprocess.js';
import type { ObjectDetectionPrecision } from './precision-name.js';
import { OBJECT_DETECTION_MODELS, type ObjectDetectionModelName } from './registry.js';
import type { DetectedObject } from './result.js';

/** A loaded object detector. Dispose it when done (or use `using`). */
export interface ObjectDetector {
  /** The model this detector runs. */
  readonly model: ObjectDetectionModelName;
  /** The weight precision it loaded (see `precision` in the options). */
  readonly precision: ObjectDetectionPrecision;
  /** The runtime the model runs on (see `engine` in the options). */
  readonly runtime: EngineRuntime;
  /**
   * Detects objects in an image (path, encoded bytes, raw pixels, or a browser image). Resolves to
   * objects sorted by score, boxes in input pixels after EXIF orientation.
   */
  detect(input: ImageInput, options?: DetectObjectsOptions): Promise<DetectedObject[]>;
  /** Frees the model. Later `detect` calls reject with `DisposedError`. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/**
 * Loads an object detector (COCO, 80 classes). The model comes from the cache, the installed
 * package or `modelPath`, SHA-256 checked; nothing is fetched at inference time.
 *
 * @example
 * ```ts
 * using detector = await createObjectDetector({ model: 'accurate', scoreThreshold: 0.4 });
 * const objects = await detector.detect('kitchen.jpg', { categoryAllowlist: ['cup', 'bottle'] });
 * for (const o of objects) console.log(o.label, o.score.toFixed(2), o.box);
 * ```
 */
export async function createObjectDetector(options?: ObjectDetectorOptions): Promise<ObjectDetector> {
  const base = parseOptions(objectDetectorOptionsSchema, options, 'createObjectDetector');
  throwIfAborted(base.signal, 'createObjectDetector');
  const definition = OBJECT_DETECTION_MODELS[base.model];
  await useVisionModelPackages();
  const runner = await definition.load({
    modelPath: base.modelPath,
    signal: base.signal,
    precision: base.precision,
    engine: base.engine,
  });
  const labelIndex = new Map(definition.labels.map((l, i) => [l, i]));
  const toSet = (names: readonly string[] | undefined) =>
    names ? new Set(names.map((n) => labelIndex.get(n)!)) : undefined;
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    runner.dispose();
  };
  return {
    model: base.model,
    precision: base.precision,
    runtime: runner.runtime,
    async detect(input, callOptions) {
      const call = parseOptions(detectOptionsSchema, callOptions, 'detect');
      const signal = call.signal ?? base.signal;
      if (disposed) throw new DisposedError('This object detector');
      throwIfAborted(signal, 'detect');
      const pixels = await decodeImage(input, { signal });
      throwIfAborted(signal, 'detect');
      if (disposed) throw new DisposedError('This object detector');
      const scoreThreshold = call.scoreThreshold ?? base.scoreThreshold ?? definition.defaultScoreThreshold;
      let candidates: Awaited<ReturnType<typeof runner.run>>;
      try {
        candidates = await runner.run(pixels, { scoreThreshold: lowestScoreThreshold(scoreThreshold) });
      } catch (error) {
        // A model freed by dispose() while it ran: say so, not what the runtime threw.
        if (disposed) throw new DisposedError('This object detector');
        throw error;
      }
      if (disposed) throw new DisposedError('This object detector');
      throwIfAborted(signal, 'detect');
      return finalizeDetections(candidates, {
        labels: definition.labels,
        scoreThreshold,
        imageWidth: pixels.width,
        imageHeight: pixels.height,
        iouThreshold: call.iouThreshold ?? base.iouThreshold,
        maxResults: call.maxResults ?? base.maxResults,
        allowed: toSet(call.categoryAllowlist ?? base.categoryAllowlist),
        denied: toSet(call.categoryDenylist ?? base.categoryDenylist),
      });
    },
    dispose,
    [Symbol.dispose]: dispose,
  };
}

const defaults = new Map<string, ReturnType<typeof lazyDefault<ObjectDetector>>>();

/**
 * Detects objects in one line, reusing a lazily created detector per `model` (default `"balanced"`).
 *
 * @example
 * ```ts
 * const objects = await detectObjects('kitchen.jpg');
 * // [{ label: 'person', score: 0.55, categoryIndex: 0, box: { x: 307, y: 80, width: 89, height: 333 } }, …]
 * ```
 */
export async function detectObjects(
  input: ImageInput,
  options?: ObjectDetectorOptions,
): Promise<DetectedObject[]> {
  const { model, modelPath, precision, engine, ...call } = parseOptions(
    objectDetectorOptionsSchema,
    options,
    'detectObjects',
  );
  const key = `${model}|${precision}|${engine}|${modelPath ?? ''}`;
  let entry = defaults.get(key);
  if (!entry) {
    entry = lazyDefault(() => createObjectDetector({ model, modelPath, precision, engine }));
    defaults.set(key, entry);
  }
  const detector = await entry.get();
  return detector.detect(input, call);
}
