// The vision tasks as the package exports them: each runs in this thread, or in the package's own
// module worker (./vision.worker.ts) when configure({ worker: true }) is set on a page, with the
// same arguments and results. Errors come back as the same classes; AbortSignals cancel between
// stages; DOM images cross as ImageBitmaps made for the call, other inputs are copied unless
// marked with transferToWorker().
import { remoteTasks, routed, routedFactory } from '@ondevice/core/worker';
import * as faces from '../detect-face-landmarks/detect-face-landmarks.js';
import * as objects from '../detect-objects/detect-objects.js';
import * as text from '../recognize-text/recognize-text.js';

/** The package's worker, started on first use (the pattern Vite and webpack 5 bundle). */
const remote = remoteTasks(
  () =>
    new Worker(new URL('./vision.worker.js', import.meta.url), { type: 'module', name: 'ondevice-vision' }),
  { urlInputs: true },
);

/**
 * Detects objects in one line, reusing a lazily created detector per `model` (default `"balanced"`).
 * With `configure({ worker: true })` in a page it runs in @ondevice/vision's worker.
 *
 * @example
 * ```ts
 * const objects = await detectObjects('kitchen.jpg', { scoreThreshold: 0.4, maxResults: 10 });
 * ```
 */
export const detectObjects: typeof objects.detectObjects = routed(
  remote,
  'detectObjects',
  objects.detectObjects,
);

/**
 * Loads an object detector (COCO, 80 classes). With `configure({ worker: true })` in a page the
 * detector lives in @ondevice/vision's worker and this resolves to a stand-in with the same
 * methods (`detect`, `dispose`) and readouts (`model`, `precision`, `runtime`).
 *
 * @example
 * ```ts
 * using detector = await createObjectDetector({ model: 'accurate', scoreThreshold: 0.4 });
 * const found = await detector.detect(image, { categoryAllowlist: ['cup', 'bottle'] });
 * ```
 */
export const createObjectDetector: typeof objects.createObjectDetector = routedFactory(
  remote,
  'createObjectDetector',
  objects.createObjectDetector,
);

/**
 * Finds faces and their 468 (478 with irises) landmarks in one line, reusing a default landmarker.
 * With `configure({ worker: true })` in a page it runs in @ondevice/vision's worker.
 *
 * @example
 * ```ts
 * const { faces } = await detectFaceLandmarks('selfie.jpg');
 * ```
 */
export const detectFaceLandmarks: typeof faces.detectFaceLandmarks = routed(
  remote,
  'detectFaceLandmarks',
  faces.detectFaceLandmarks,
);

/**
 * Loads a face landmarker. With `configure({ worker: true })` in a page it lives in
 * @ondevice/vision's worker; the stand-in has its methods and readouts (`runtime`, `lastTimings`,
 * the latter as of its latest call).
 *
 * @example
 * ```ts
 * using landmarker = await createFaceLandmarker({ refineLandmarks: true });
 * const { faces } = await landmarker.detect(video);
 * ```
 */
export const createFaceLandmarker: typeof faces.createFaceLandmarker = routedFactory(
  remote,
  'createFaceLandmarker',
  faces.createFaceLandmarker,
);

/**
 * Reads the text in an image in one line, reusing a default recognizer. With
 * `configure({ worker: true })` in a page it runs in @ondevice/vision's worker.
 *
 * @example
 * ```ts
 * const { text, blocks } = await recognizeText('scan.png');
 * ```
 */
export const recognizeText: typeof text.recognizeText = routed(remote, 'recognizeText', text.recognizeText);

/**
 * Loads a text recognizer. With `configure({ worker: true })` in a page it lives in
 * @ondevice/vision's worker and this resolves to a stand-in with the same methods and readouts.
 *
 * @example
 * ```ts
 * using recognizer = await createTextRecognizer({ languages: ['eng'] });
 * const { text } = await recognizer.recognize(image);
 * ```
 */
export const createTextRecognizer: typeof text.createTextRecognizer = routedFactory(
  remote,
  'createTextRecognizer',
  text.createTextRecognizer,
);
