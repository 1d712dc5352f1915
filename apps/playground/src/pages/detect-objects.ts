import '../style.css';
import {
  type DetectedObject,
  OBJECT_DETECTION_MODEL_NAMES,
  OBJECT_DETECTION_MODELS,
  type ObjectDetectionModelName,
} from '@ondevice/vision';
import {
  colorFor,
  el,
  fileInputs,
  loadImage,
  measured,
  mountPage,
  type Sample,
  Stage,
  webcamInput,
} from '../ui.js';
import { prefetchIn, visionWorker } from '../worker/clients.js';

const SAMPLES: Sample[] = [
  { src: '/samples/objects/000000397133.jpg', label: 'Kitchen', credit: 'COCO 397133, Flickr, CC BY 2.0' },
  { src: '/samples/objects/000000214753.jpg', label: 'Horse', credit: 'COCO 214753, Flickr, CC BY 2.0' },
  { src: '/samples/objects/000000303818.jpg', label: 'Street', credit: 'COCO 303818, Flickr, CC BY 2.0' },
  { src: '/samples/objects/000000252219.jpg', label: 'Umbrellas', credit: 'COCO 252219, Flickr, CC BY 2.0' },
];

const page = mountPage({
  title: 'Object detection',
  blurb: 'Finds everyday objects (the 80 COCO classes) and draws a box, label and score for each.',
  apiCall:
    "import { detectObjects } from '@ondevice/vision';\nconst objects = await detectObjects(image); // [{ label, score, box: { x, y, width, height } }]",
});

const stage = new Stage(page.output);
const threshold = el('input', {
  type: 'range',
  min: '0.1',
  max: '0.9',
  step: '0.05',
  value: '0.3',
  id: 'threshold',
});
const thresholdText = el('span', { text: '0.30' });
page.inputs.append(el('h2', { text: 'Score threshold' }), threshold, ' ', thresholdText);

const modelSelect = el('select', { id: 'model' });
for (const name of OBJECT_DETECTION_MODEL_NAMES) {
  modelSelect.append(el('option', { value: name, text: name }));
}
const modelNote = el('p', { class: 'caption', text: OBJECT_DETECTION_MODELS.balanced.description });
modelSelect.addEventListener('change', () => {
  modelNote.textContent = OBJECT_DETECTION_MODELS[modelSelect.value as ObjectDetectionModelName].description;
});
page.inputs.prepend(el('h2', { text: 'Model' }), modelSelect, modelNote);

// The detector runs in a worker, so the page stays responsive while it works.
const worker = visionWorker();
const detectors = new Map<ObjectDetectionModelName, Promise<ObjectDetectionModelName>>();
function getDetector(): Promise<ObjectDetectionModelName> {
  const model = modelSelect.value as ObjectDetectionModelName;
  let detector = detectors.get(model);
  if (!detector) {
    detector = (async () => {
      // Fetch the model's files with a progress bar; the detector then reads them from the cache.
      await page.loadModels([OBJECT_DETECTION_MODELS[model].spec], prefetchIn(worker));
      const { backend } = await worker.call('loadObjectDetector', { model });
      page.setBackend(backend);
      return model;
    })();
    detector.catch(() => detectors.delete(model));
    detectors.set(model, detector);
  }
  return detector;
}

let last:
  | { source: CanvasImageSource; width: number; height: number; detections: DetectedObject[] }
  | undefined;

function draw(): void {
  if (!last) return;
  const min = Number(threshold.value);
  thresholdText.textContent = min.toFixed(2);
  stage.show(last.source, last.width, last.height);
  const shown = last.detections.filter((d) => d.score >= min);
  for (const d of shown) stage.box(d.box, colorFor(d.label), `${d.label} ${(d.score * 100).toFixed(0)}%`);
  page.details.replaceChildren(
    el('h2', { text: `${shown.length} object${shown.length === 1 ? '' : 's'}` }),
    el(
      'table',
      { id: 'detections' },
      el('tr', {}, el('th', { text: 'Label' }), el('th', { text: 'Score', class: 'score' })),
      ...shown.map((d) =>
        el(
          'tr',
          {},
          el('td', {}, el('span', { class: 'swatch', style: `background:${colorFor(d.label)}` }), d.label),
          el('td', { class: 'score', text: d.score.toFixed(2) }),
        ),
      ),
    ),
  );
}
threshold.addEventListener('input', draw);

let picked: ImageBitmap | undefined;
let pickedFile: Blob | undefined;

/**
 * Detects objects in `source` (a picture, or a webcam frame) in the worker. `file` is the picture's
 * encoded bytes, decoded in the worker; without it the frame is copied to an ImageBitmap and
 * transferred.
 */
async function run(
  source: ImageBitmap | HTMLVideoElement,
  width: number,
  height: number,
  live = false,
  file?: Blob,
) {
  page.running();
  const model = await getDetector();
  // Live: copy the frame first, so the boxes are drawn over the very frame they were found in.
  let shown: ImageBitmap | HTMLCanvasElement = source as ImageBitmap;
  if (live) {
    shown = el('canvas', { width: String(width), height: String(height) });
    shown.getContext('2d')!.drawImage(source, 0, 0, width, height);
  }
  const image = file ?? (await createImageBitmap(shown));
  // A low floor so the threshold slider can reveal weaker boxes without re-running the model.
  const { objects: detections, ms } = await worker.call(
    'detectObjects',
    { model, image, scoreThreshold: 0.1, maxResults: 50 },
    { transfer: image instanceof ImageBitmap ? [image] : [] },
  );
  last = { source: shown, width, height, detections };
  page.setLatency(ms, live ? 'per frame' : '');
  measured('draw', draw);
  page.done(detections);
}

modelSelect.addEventListener('change', async () => {
  if (!picked) return;
  try {
    await run(picked, picked.width, picked.height, false, pickedFile);
  } catch (e) {
    page.fail(e);
  }
});

fileInputs(page.inputs, {
  samples: SAMPLES,
  accept: 'image/*',
  kind: 'image',
  onPick: async ({ url, name, credit }) => {
    try {
      page.setStatus(`Detecting objects in ${name}…`);
      const file = await (await fetch(url)).blob();
      const img = await loadImage(file);
      picked = img;
      pickedFile = file;
      stage.caption.textContent = credit ?? name;
      await run(img, img.width, img.height, false, file);
      page.setStatus(`${name}: ${last?.detections.length ?? 0} detections above 0.10.`);
    } catch (e) {
      page.fail(e);
    }
  },
});

webcamInput(
  page.inputs,
  (video) => run(video, video.videoWidth, video.videoHeight, true),
  (processed, dropped) =>
    page.setStatus(`Webcam: ${processed} frames processed, ${dropped} dropped while busy.`),
);
