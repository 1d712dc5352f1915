// Issue #18: PP-OCR's recogniser runs by width bucket (each piece at its own width plus a margin)
// instead of sorted batches of 8 padded to the widest. That must read no image of the OCR set
// worse than the batches before did: the images whose text the grouping changes (measured on all
// 20: escape_chars and polar-bears with the 32-column margin, also cosmic and bill without it),
// and one it does not change.
import { readFileSync } from 'node:fs';
import { decodeImage } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResult } from './layout.js';
import { characterErrorRate } from './metrics.js';
import { PpOcrEngine, sortedRecBatches } from './ppocr.js';

interface OcrRecord {
  image: string;
  ground_truth: string;
  language: string;
}
const index: OcrRecord[] = JSON.parse(readFileSync(datasetPath('ocr', 'index.json'), 'utf8'));
const IMAGES = [
  'tesseractjs_cosmic.png',
  'tesseractjs_bill.png',
  'tesseractjs_escape_chars.png',
  'ocrs_polar-bears.png',
  'ocrs_why-rust.png',
];

let now: PpOcrEngine;
let before: PpOcrEngine;
beforeAll(async () => {
  [now, before] = await Promise.all([
    PpOcrEngine.create({ threads: 1 }),
    PpOcrEngine.create({ threads: 1, groupRuns: sortedRecBatches }),
  ]);
});
afterAll(async () => {
  await Promise.all([now?.dispose(), before?.dispose()]);
});

describe('PP-OCR by width bucket reads no image worse than the sorted batches before', () => {
  const total = { now: 0, before: 0 };
  it.each(IMAGES)('%s', async (file) => {
    const r = index.find((x) => x.image.endsWith(`/${file}`))!;
    const gt = readFileSync(datasetPath('ocr', r.ground_truth), 'utf8');
    const pixels = await decodeImage(datasetPath('ocr', r.image));
    const read = async (e: PpOcrEngine) => {
      const text = buildResult(
        await e.recognize(pixels, {}),
        pixels.width,
        pixels.height,
        'ppocr',
        'eng',
      ).text;
      return characterErrorRate(gt, text, { ignoreSpaces: r.language.startsWith('chi') });
    };
    const cerNow = await read(now);
    const cerBefore = await read(before);
    total.now += cerNow;
    total.before += cerBefore;
    expect(cerNow, `${file}: CER ${cerNow} now, ${cerBefore} before`).toBeLessThanOrEqual(cerBefore + 1e-9);
  });

  it('and reads them better on the whole (measured: escape_chars 7.1 % → 3.6 %)', () => {
    expect(total.now).toBeLessThan(total.before);
  });
});
