import '../style.css';
import {
  type DetectedObject,
  OBJECT_DETECTION_MODEL_NAMES,
  OBJECT_DETECTION_MODELS,
  type ObjectDetectionModelName,
} from '@ondevice/vision';
import { colorFor, drawBoxes } from '../draw.js';
import { mountLiveTracking } from '../live/live-view.js';
import { el, fileInputs, labeled, loadImage, measured, mountPage, type Sample, Stage } from '../ui.js';
import { prefetchIn, visionWorker } from '../worker/clients.js';

const SAMPLES: Sample[] = [
  { src: '/samples/objects/000000397133.jpg', label: 'Kitchen', credit: 'COCO 397133, Flickr, CC BY 2.0' },
  { src: '/samples/objects/000000214753.jpg', label: 'Horse', credit: 'COCO 214753, Flickr, CC BY 2.0' },
  { src: '/samples/objects/000000303818.jpg', label: 'Street', credit: 'COCO 303818, Flickr, CC BY 2.0' },
  { src: '/samples/objects/000000252219.jpg', label: 'Umbrellas', credit: 'COCO 252219, Flickr, CC BY 2.0' },
];

const page = mountPage({
  title: 'Object detection',
  blurb:
    'Finds everyday objects (the 80 COCO classes) and draws a box, label and score for each; live from the camera with an ID per object that stays while it moves.',
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
const thresholdText = el('output', { for: 'threshold', text: '0.30' });
page.inputs.append(labeled(threshold, 'Score threshold'), threshold, ' ', thresholdText);

const modelSelect = el('select', { id: 'model' });
for (const name of OBJECT_DETECTION_MODEL_NAMES)
  modelSelect.append(el('option', { value: name, text: name }));
const modelNote = el('p', { class: 'caption', text: OBJECT_DETECTION_MODELS.balanced.description });
modelSelect.addEventListener('change', () => {
  modelNote.textContent = OBJECT_DETECTION_MODELS[modelSelect.value as ObjectDetectionModelName].description;
});
page.inputs.prepend(labeled(modelSelect, 'Model'), modelSelect, modelNote);

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

const minScore = () => Number(threshold.value);
const percent = (score: number) => `${(score * 100).toFixed(0)}%`;

/** The table beside the picture: one row per object shown. */
function showTable(objects: (DetectedObject & { trackId?: number })[], heading: string): void {
  page.details.replaceChildren(
    el('h2', { text: heading }),
    el(
      'table',
      { id: 'detections' },
      el(
        'tr',
        {},
        ...(objects.some((o) => o.trackId) ? [el('th', { text: 'ID' })] : []),
        el('th', { text: 'Label' }),
        el('th', { text: 'Score', class: 'score' }),
      ),
      ...objects.map((d) =>
        el(
          'tr',
          {},
          ...(d.trackId ? [el('td', { text: `#${d.trackId}` })] : []),
          el('td', {}, el('span', { class: 'swatch', style: `background:${colorFor(d.label)}` }), d.label),
          el('td', { class: 'score', text: d.score.toFixed(2) }),
        ),
      ),
    ),
  );
}

// Pictures: the last one and everything found in it (down to 0.1, so the slider needs no re-run).
let last: { image: ImageBitmap; file: Blob; name: string; objects: DetectedObject[] } | undefined;

function drawPicture(): void {
  thresholdText.textContent = minScore().toFixed(2);
  if (!last || live.running) return;
  const { image, objects } = last;
  const shown = objects.filter((d) => d.score >= minScore());
  stage.show(image, image.width, image.height);
  drawBoxes(
    stage.ctx,
    shown.map((d) => ({ box: d.box, color: colorFor(d.label), label: `${d.label} ${percent(d.score)}` })),
    stage.unit,
    stage.canvas,
  );
  const heading = `${shown.length} object${shown.length === 1 ? '' : 's'} at score ≥ ${minScore().toFixed(2)}`;
  showTable(shown, heading);
  page.setStatus(`${last.name}: ${heading}.`);
}
threshold.addEventListener('input', () => {
  drawPicture();
  live.redraw();
});

async function detectPicture(): Promise<void> {
  if (!last) return;
  const signal = page.running();
  const model = await getDetector();
  const { objects, ms } = await worker.call(
    'detectObjects',
    { model, image: last.file, scoreThreshold: 0.1, maxResults: 50 },
    { signal },
  );
  last.objects = objects;
  page.setLatency(ms);
  measured('draw', drawPicture);
  page.done(objects);
  page.reveal();
}

modelSelect.addEventListener('change', () => detectPicture().catch((e) => page.fail(e)));

fileInputs(page.inputs, {
  samples: SAMPLES,
  accept: 'image/*',
  kind: 'image',
  onPick: async ({ url, name, credit }) => {
    try {
      if (live.running) tracked.stop();
      page.setStatus(`Detecting objects in ${name}…`);
      const file = await (await fetch(url)).blob();
      last = { image: await loadImage(file), file, name, objects: [] };
      stage.caption.textContent = credit ?? name;
      await detectPicture();
    } catch (e) {
      page.fail(e);
    }
  },
});

// Live: @ondevice/vision's live mode (frames dropped while one is in flight, tracking IDs) around
// the worker, drawn over the video.
/** Every track seen since the camera started: its label, frames and mean box (what the tests read). */
const trackLog = new Map<number, { label: string; frames: number; cx: number; cy: number; height: number }>();
const tracked = mountLiveTracking<DetectedObject>({
  page,
  stage,
  ready: getDetector,
  async detect(frame, signal) {
    const model = await getDetector();
    const { objects, ms } = await worker.call(
      'detectObjects',
      { model, image: frame, scoreThreshold: 0.25, maxResults: 20 },
      { transfer: [frame], signal },
    );
    return { items: objects, ms };
  },
  draw(ctx, { items }, unit) {
    drawBoxes(
      ctx,
      items
        .filter((d) => d.score >= minScore())
        .map((d) => ({
          box: d.box,
          color: colorFor(d.label),
          label: `#${d.trackId} ${d.label} ${percent(d.score)}`,
        })),
      unit,
      ctx.canvas,
    );
  },
  onResult({ items }, stats) {
    const shown = items.filter((d) => d.score >= minScore());
    for (const d of shown) {
      const t = trackLog.get(d.trackId) ?? { label: d.label, frames: 0, cx: 0, cy: 0, height: 0 };
      const k = t.frames++;
      t.cx = (t.cx * k + d.box.x + d.box.width / 2) / t.frames;
      t.cy = (t.cy * k + d.box.y + d.box.height / 2) / t.frames;
      t.height = (t.height * k + d.box.height) / t.frames;
      trackLog.set(d.trackId, t);
    }
    showTable(shown, `${shown.length} object${shown.length === 1 ? '' : 's'} in the latest frame`);
    page.done({
      live: true,
      objects: shown.map((d) => ({ label: d.label, trackId: d.trackId, score: d.score })),
      stats,
      idsIssued: tracked.detector.idsIssued,
      frameHeight: live.video.videoHeight,
      tracks: [...trackLog].map(([id, t]) => ({ id, ...t })),
    });
  },
  onStart: () => trackLog.clear(),
  onStop: drawPicture,
});
const { live } = tracked;
