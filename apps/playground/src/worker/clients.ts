// The page side of the task workers: each started once per page, on first use.
import type { ModelProgress, ModelSpec } from '@ondevice/core';
import type { Prefetch } from '../ui.js';
import { type HandlerContext, type Handlers, TaskWorker } from '@ondevice/core/worker';
import { VocabularyCoverageError } from '@ondevice/text';
import type { AudioHandlers } from './audio.worker.js';
import type { TextHandlers } from './text.worker.js';
import type { VisionHandlers } from './vision.worker.js';

let vision: TaskWorker<VisionHandlers> | undefined;
let text: TaskWorker<TextHandlers> | undefined;
let audio: TaskWorker<AudioHandlers> | undefined;

/**
 * The vision task worker (object detection, face landmarks, text recognition), started once.
 *
 * @example
 * ```ts
 * const { objects } = await visionWorker().call('detectObjects', { model: 'balanced', image: blob, scoreThreshold: 0.3, maxResults: 20 });
 * ```
 */
export function visionWorker(): TaskWorker<VisionHandlers> {
  vision ??= new TaskWorker<VisionHandlers>(
    new Worker(new URL('./vision.worker.ts', import.meta.url), { type: 'module', name: 'vision' }),
  );
  return vision;
}

/**
 * The text task worker (language identification, translation), started once.
 *
 * @example
 * ```ts
 * const { guesses } = await textWorker().call('identifyLanguage', 'Hola, ¿qué tal?');
 * ```
 */
export function textWorker(): TaskWorker<TextHandlers> {
  // Its refusals come back as VocabularyCoverageError, with their coverage and unknown words.
  text ??= new TaskWorker<TextHandlers>(
    new Worker(new URL('./text.worker.ts', import.meta.url), { type: 'module', name: 'text' }),
    { errors: [VocabularyCoverageError] },
  );
  return text;
}

/**
 * The audio task worker (keyword spotting), started once.
 *
 * @example
 * ```ts
 * const { detections } = await audioWorker().call('spot', { keywords: ['alexa'], threshold: 0.5, wav }, { transfer: [wav] });
 * ```
 */
export function audioWorker(): TaskWorker<AudioHandlers> {
  audio ??= new TaskWorker<AudioHandlers>(
    new Worker(new URL('./audio.worker.ts', import.meta.url), { type: 'module', name: 'audio' }),
  );
  return audio;
}

type WithPrefetch = { prefetch(spec: ModelSpec, ctx: HandlerContext): Promise<void> };

/**
 * A `Prefetch` for `page.loadModels` that downloads and checks the files in a worker.
 *
 * @example
 * ```ts
 * await page.loadModels([BLAZEFACE, FACEMESH, IRIS], prefetchIn(visionWorker()));
 * ```
 */
export function prefetchIn<H extends WithPrefetch & Handlers>(worker: TaskWorker<H>): Prefetch {
  return (spec, onProgress) =>
    (worker as unknown as TaskWorker<WithPrefetch>).call('prefetch', spec, {
      onProgress: (p) => onProgress(p as ModelProgress),
    });
}
