// A Tesseract worker thread that dies in the middle of a job (a crash, an out-of-memory abort, a
// kill) must reject that job with a typed error and be replaced, not leave the call pending.
import { decodeImage, OnDeviceError } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { describe, expect, it } from 'vitest';
import { TesseractEngine } from '../src/recognize-text/tesseract.js';

interface Internals {
  all: Set<{ worker: { worker: { terminate(): Promise<number> } } }>;
}

describe('Tesseract worker death', () => {
  it('rejects the job of a worker that dies mid-job with OnDeviceError, then reads with a new worker', async () => {
    const engine = await TesseractEngine.create({ workers: 1, rotateAuto: false });
    try {
      const pixels = await decodeImage(datasetPath('ocr', 'images/tesseract_eurotext.png'));
      const call = engine.recognize(pixels, {});
      await new Promise((r) => setTimeout(r, 30));
      // Kill the thread behind the pool's back while it reads (this page takes it over a second).
      const [busy] = [...(engine as unknown as Internals).all];
      await busy!.worker.worker.terminate();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settled = await Promise.race([
        call.then(
          () => 'result',
          (e: unknown) => e,
        ),
        new Promise((r) => {
          timer = setTimeout(() => r('hang'), 10_000);
        }),
      ]);
      clearTimeout(timer);
      expect(settled).toBeInstanceOf(OnDeviceError);
      expect((settled as OnDeviceError).message).toMatch(/worker exited/);
      const simple = await decodeImage(datasetPath('ocr', 'images/tesseractjs_simple.png'));
      const again = await engine.recognize(simple, {});
      expect(again.lines.map((l) => l.text)).toEqual(['Tesseract.js']);
      expect(engine.size).toBe(1);
    } finally {
      await engine.dispose();
    }
  });
});
