// The vision pages' task worker: object detection, face landmarks and text recognition run here,
// off the page's main thread. Images arrive by transfer (ImageBitmap, VideoFrame) or as Blobs
// (decoded here); results go back as plain objects. One instance of each task per worker.
import { type ModelProgress, type ModelSpec, prefetchModel } from '@ondevice/core';
import { getTfjs } from '@ondevice/core/tfjs';
import {
  configure,
  createFaceLandmarker,
  createObjectDetector,
  createTextRecognizer,
  type DetectedObject,
  type DetectFaceLandmarksOptions,
  type FaceLandmarker,
  type FaceLandmarkerTimings,
  type FaceLandmarksResult,
  type ImageInput,
  type ObjectDetectionModelName,
  type ObjectDetector,
  type TextRecognizer,
  type TextResult,
} from '@ondevice/vision';
import { type HandlerContext, serve } from '@ondevice/core/worker';

configure({ modelBaseUrl: '/models/', allowRemoteModels: true, wasmBaseUrl: '/wasm/' });

/** An image as the page sends it: transferred pixels, or a file to decode here. */
export type WorkerImage = ImageBitmap | VideoFrame | Blob;

const detectors = new Map<ObjectDetectionModelName, Promise<ObjectDetector>>();
let landmarker: Promise<FaceLandmarker> | undefined;
let recognizer: Promise<TextRecognizer> | undefined;

/** Creates the task once; a failed creation is forgotten so the next call retries. */
function once<T>(
  get: () => Promise<T> | undefined,
  set: (p: Promise<T> | undefined) => void,
  make: () => Promise<T>,
) {
  let p = get();
  if (!p) {
    p = make();
    set(p);
    p.catch(() => set(undefined));
  }
  return p;
}

/** Frees a transferred frame once the task has read it. */
function release(image: WorkerImage): void {
  if ('close' in image && typeof image.close === 'function') image.close();
}

/** Where the backend runs, in a line for the page. */
async function describe(runtime: string): Promise<string> {
  if (runtime !== 'tfjs') return `${runtime} WASM (in a worker)`;
  const { info } = await getTfjs();
  return `tfjs ${info.backend}${info.simd ? ' (SIMD)' : ''} in a worker: ${info.reason}`;
}

const handlers = {
  /** Downloads (or finds in the cache) one model's files, with progress events. */
  async prefetch(spec: ModelSpec, ctx: HandlerContext): Promise<void> {
    await prefetchModel(spec, { onProgress: (p: ModelProgress) => ctx.progress(p), signal: ctx.signal });
  },

  async loadObjectDetector(arg: { model: ObjectDetectionModelName }): Promise<{ backend: string }> {
    let d = detectors.get(arg.model);
    if (!d) {
      d = createObjectDetector({ model: arg.model });
      detectors.set(arg.model, d);
      d.catch(() => detectors.delete(arg.model));
    }
    return { backend: await describe((await d).runtime) };
  },

  async detectObjects(
    arg: { model: ObjectDetectionModelName; image: WorkerImage; scoreThreshold: number; maxResults: number },
    ctx: HandlerContext,
  ): Promise<{ objects: DetectedObject[]; ms: number }> {
    try {
      const d = await handlers.loadObjectDetector({ model: arg.model }).then(() => detectors.get(arg.model)!);
      const t0 = performance.now();
      const objects = await d.detect(arg.image as ImageInput, {
        scoreThreshold: arg.scoreThreshold,
        maxResults: arg.maxResults,
        signal: ctx.signal,
      });
      return { objects, ms: performance.now() - t0 };
    } finally {
      release(arg.image);
    }
  },

  async loadFaceLandmarker(): Promise<{ backend: string }> {
    const l = await once(
      () => landmarker,
      (p) => {
        landmarker = p;
      },
      () => createFaceLandmarker({ refineLandmarks: true }),
    );
    return { backend: await describe(l.runtime) };
  },

  async detectFaceLandmarks(
    arg: { image: WorkerImage; options: DetectFaceLandmarksOptions },
    ctx: HandlerContext,
  ): Promise<{ result: FaceLandmarksResult; ms: number; timings: FaceLandmarkerTimings | undefined }> {
    try {
      await handlers.loadFaceLandmarker();
      const l = await landmarker!;
      const t0 = performance.now();
      const result = await l.detect(arg.image as ImageInput, { ...arg.options, signal: ctx.signal });
      return { result, ms: performance.now() - t0, timings: l.lastTimings };
    } finally {
      release(arg.image);
    }
  },

  async loadTextRecognizer(): Promise<{ backend: string; engine: string }> {
    const r = await once(
      () => recognizer,
      (p) => {
        recognizer = p;
      },
      // Tesseract runs in Node only here; browsers use PP-OCR.
      () => createTextRecognizer({ engine: 'ppocr', languages: ['eng'] }),
    );
    return { backend: `${r.engine} on onnxruntime-web WASM (in a worker)`, engine: r.engine };
  },

  async recognizeText(
    arg: { image: WorkerImage },
    ctx: HandlerContext,
  ): Promise<{ result: TextResult; ms: number }> {
    try {
      await handlers.loadTextRecognizer();
      const r = await recognizer!;
      const t0 = performance.now();
      const result = await r.recognize(arg.image as ImageInput, { signal: ctx.signal });
      return { result, ms: performance.now() - t0 };
    } finally {
      release(arg.image);
    }
  },
};

/** What the vision worker serves (the page's `TaskWorker<VisionHandlers>`). */
export type VisionHandlers = typeof handlers;

serve(handlers);
