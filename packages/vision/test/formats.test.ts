import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../src/recognize-text/metrics.js';
import { createTextRecognizer, type TextRecognizer } from '../src/recognize-text/recognize-text.js';

// The real scan of tesseract's testing/phototest.tif (640×480, 1-bit, Apache-2.0) written as a
// binary PBM (P4) and a 1-bit BMP by ImageMagick: core/test/fixtures/formats/README.md.
// Before core decoded BMP and PNM itself, both engines rejected both files with InputError.
const formats = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'core',
  'test',
  'fixtures',
  'formats',
);
const truth = readFileSync(datasetPath('ocr', 'ground_truth', 'tesseract_phototest.png.txt'), 'utf8');
const png = datasetPath('ocr', 'images', 'tesseract_phototest.png');

describe.each(['ppocr', 'tesseract'] as const)('%s reads a scan given as BMP and PBM', (engine) => {
  let rec: TextRecognizer;
  let fromPng: string;
  beforeAll(async () => {
    rec = await createTextRecognizer({ engine, ...(engine === 'tesseract' ? { workers: 1 } : {}) });
    fromPng = (await rec.recognize(png)).text;
  });
  afterAll(() => rec?.dispose());

  it.each(['scan-phototest.bmp', 'scan-phototest.pbm'])(
    '%s: the same text as the PNG, CER below 0.01',
    async (file) => {
      const { text } = await rec.recognize(join(formats, file));
      expect(text).toBe(fromPng);
      // Measured: 0.0 % for both engines on the PNG, the BMP and the PBM.
      expect(characterErrorRate(truth, text)).toBeLessThan(0.01);
    },
  );
});
