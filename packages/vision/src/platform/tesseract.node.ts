// Node half of vision's Tesseract engine (selected by `#platform/tesseract` in package.json
// `imports`): tesseract.js in worker threads, its language data checked in the model cache.
import type { LoadModelOptions } from '@ondevice/core';
import type { TextEngine } from '../recognize-text/engine.js';
import { TesseractEngine, type TesseractSettings } from '../recognize-text/tesseract.js';

/** @internal Starts a Tesseract engine (see `TesseractEngine.create`). */
export function createTesseractEngine(
  settings: Partial<TesseractSettings>,
  load: LoadModelOptions,
): Promise<TextEngine> {
  return TesseractEngine.create(settings, load);
}
