// Dispose at every stage of every vision task: each pending call must settle with its result or
// DisposedError (never a raw runtime error, never a hang), dispose() itself must settle, and calls
// after dispose() reject with DisposedError. Real models; each case is one fresh task object.
import { DisposedError, decodeImage, type ImageInput, type ImagePixels } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createObjectDetector } from '../src/detect-objects/detect-objects.js';
import { createFaceLandmarker } from '../src/detect-face-landmarks/detect-face-landmarks.js';
import { createTextRecognizer } from '../src/recognize-text/recognize-text.js';
import { rotatePage } from '../src/recognize-text/synthetic.js';
import { TesseractEngine } from '../src/recognize-text/tesseract.js';

/** A call that has not settled this long after dispose() is reported as a hang. */
const BOUND = 15_000;

type Outcome = 'result' | 'DisposedError' | 'hang' | `raw ${string}`;

async function outcome(p: Promise<unknown>): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve('hang'), BOUND);
  });
  try {
    return await Promise.race([
      p.then(
        (): Outcome => 'result',
        (e: unknown): Outcome =>
          e instanceof DisposedError
            ? 'DisposedError'
            : `raw ${(e as Error)?.name}: ${(e as Error)?.message}`,
      ),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const microtasks = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** When, after the calls were made, dispose() runs. */
const STAGES: [string, () => Promise<void>][] = [
  ['immediately', async () => {}],
  ['after a microtask', () => microtasks(1)],
  ['after 4 microtasks (between stages)', () => microtasks(4)],
  ['after 12 microtasks', () => microtasks(12)],
  ['after 30 ms', () => sleep(30)],
];

interface Disposable {
  dispose(): void | Promise<void>;
}

/**
 * Makes `calls` calls at once (the later ones wait behind the first), disposes at `stage`, and
 * returns how each call, a call made after dispose() and dispose() itself settled.
 */
async function disposeDuring<T extends Disposable>(
  task: T,
  call: (t: T) => Promise<unknown>,
  stage: () => Promise<void>,
  calls = 3,
): Promise<{ calls: Outcome[]; after: Outcome; dispose: Outcome }> {
  const pending = Array.from({ length: calls }, () => call(task));
  await stage();
  const disposed = outcome(Promise.resolve(task.dispose()));
  const after = outcome(call(task));
  return { calls: await Promise.all(pending.map(outcome)), after: await after, dispose: await disposed };
}

function expectSettled(r: { calls: Outcome[]; after: Outcome; dispose: Outcome }): void {
  for (const c of r.calls) expect(['result', 'DisposedError']).toContain(c);
  expect(r.after).toBe('DisposedError');
  expect(r.dispose).toBe('result');
}

let ocrPixels: ImagePixels;
let tiltedPixels: ImagePixels;
const ocrFile = () => datasetPath('ocr', 'images/tesseractjs_simple.png');
const faceFile = () => datasetPath('faces', 'images/000000009483.jpg');
const objectFile = () => datasetPath('object_detection', 'images/000000000790.jpg');

beforeAll(async () => {
  ocrPixels = await decodeImage(ocrFile());
  tiltedPixels = rotatePage(await decodeImage(datasetPath('ocr', 'images/tesseractjs_testocr.png')), 8);
});

describe('object detector: dispose in flight', () => {
  for (const [name, stage] of STAGES) {
    it(`settles every call when disposed ${name}`, async () => {
      const pixels = await decodeImage(objectFile());
      for (const input of [pixels, objectFile()] as ImageInput[]) {
        const detector = await createObjectDetector({ model: 'fast' });
        expectSettled(await disposeDuring(detector, (d) => d.detect(input), stage));
      }
    });
  }
});

describe('face landmarker: dispose in flight', () => {
  for (const [name, stage] of STAGES) {
    it(`settles every call when disposed ${name}`, async () => {
      const pixels = await decodeImage(faceFile());
      for (const input of [pixels, faceFile()] as ImageInput[]) {
        const landmarker = await createFaceLandmarker();
        expectSettled(
          await disposeDuring(landmarker, (l) => l.detect(input, { refineLandmarks: true }), stage),
        );
      }
    });
  }

  it('settles a call whose Iris model is still loading when disposed', async () => {
    const landmarker = await createFaceLandmarker({ refineLandmarks: false });
    const pixels = await decodeImage(faceFile());
    for (const stage of [() => microtasks(2), () => sleep(5)]) {
      const l = await createFaceLandmarker({ refineLandmarks: false });
      expectSettled(await disposeDuring(l, (x) => x.detect(pixels, { refineLandmarks: true }), stage, 2));
    }
    landmarker.dispose();
  });
});

describe('PP-OCR recognizer: dispose in flight', () => {
  for (const [name, stage] of [...STAGES, ['after 300 ms', () => sleep(300)] as const]) {
    it(`settles every call when disposed ${name}`, async () => {
      const recognizer = await createTextRecognizer({ engine: 'ppocr' });
      expectSettled(await disposeDuring(recognizer, (r) => r.recognize(ocrPixels), stage));
    });
  }
});

describe('Tesseract recognizer: dispose in flight', () => {
  const tesseractStages: [string, () => Promise<void>][] = [
    ['immediately', async () => {}],
    ['after a microtask', () => microtasks(1)],
    ['while the second worker starts (50 ms)', () => sleep(50)],
    ['while both workers read (400 ms)', () => sleep(400)],
  ];
  for (const [name, stage] of tesseractStages) {
    it(`settles every call, the queued one included, when disposed ${name}`, async () => {
      const recognizer = await createTextRecognizer({ engine: 'tesseract', workers: 2, deskew: false });
      const r = await disposeDuring(recognizer, (x) => x.recognize(ocrFile()), stage, 3);
      expectSettled(r);
    });
  }

  it('settles a call that is being deskewed by PP-OCR when disposed', async () => {
    for (const delay of [200, 700]) {
      const recognizer = await createTextRecognizer({ engine: 'tesseract', workers: 1, deskew: true });
      expectSettled(
        await disposeDuring(
          recognizer,
          (x) => x.recognize(tiltedPixels),
          () => sleep(delay),
          2,
        ),
      );
    }
  });

  it('rejects in-flight and queued engine calls with DisposedError and stops every worker', async () => {
    const engine = await TesseractEngine.create({ workers: 1 });
    // A page that takes the worker over a second: the first call is reading, the second queued.
    const page = await decodeImage(datasetPath('ocr', 'images/tesseract_eurotext.png'));
    const calls = [engine.recognize(page, {}), engine.recognize(page, {})];
    await sleep(50);
    const disposed = outcome(engine.dispose());
    expect(await Promise.all(calls.map(outcome))).toEqual(['DisposedError', 'DisposedError']);
    expect(await disposed).toBe('result');
    expect(engine.size).toBe(0);
    expect(await outcome(engine.recognize(ocrPixels, {}))).toBe('DisposedError');
  });
});
