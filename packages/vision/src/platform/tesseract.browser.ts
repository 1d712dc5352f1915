// Browser half of vision's Tesseract engine (selected by `#platform/tesseract` in package.json
// `imports`): Tesseract runs in Node only, so pages carry none of tesseract.js; PP-OCR reads text
// in browsers.
import { ModelLoadError, type LoadModelOptions } from '@ondevice/core';
import type { TextEngine } from '../recognize-text/engine.js';
import type { TesseractSettings } from '../recognize-text/tesseract.js';

/** @internal Rejects: the Tesseract engine runs in Node.js only. */
export async function createTesseractEngine(
  _settings: Partial<TesseractSettings>,
  _load: LoadModelOptions,
): Promise<TextEngine> {
  throw new ModelLoadError(
    'The Tesseract engine of recognizeText runs in Node.js only; in browsers use engine "ppocr" (English and Chinese).',
  );
}
