import '../style.css';
import {
  BLAZEFACE,
  FACE_CONTOUR_CONNECTIONS,
  FACEMESH,
  type FaceLandmarksResult,
  IRIS,
} from '@ondevice/vision';
import { drawBoxes } from '../draw.js';
import { mountLiveTracking } from '../live/live-view.js';
import { el, fileInputs, loadImage, measured, mountPage, type Sample, Stage } from '../ui.js';
import { prefetchIn, visionWorker } from '../worker/clients.js';

const SAMPLES: Sample[] = [
  { src: '/samples/faces/000000009483.jpg', label: 'Portrait', credit: 'COCO 9483, Flickr, CC BY 2.0' },
  { src: '/samples/faces/000000444294.jpg', label: 'Group', credit: 'COCO 444294, Flickr, CC BY 2.0' },
  { src: '/samples/faces/000000229358.jpg', label: 'Bathroom', credit: 'COCO 229358, Flickr, CC BY 2.0' },
];

const page = mountPage({
  title: 'Face landmarks',
  blurb:
    'Finds faces and fits the 468-point face mesh to each, plus 10 iris points with refineLandmarks; live from the camera with an ID per face.',
  apiCall:
    "import { detectFaceLandmarks } from '@ondevice/vision';\nconst { faces } = await detectFaceLandmarks(image, { refineLandmarks: true }); // faces[0].keypoints: 478 × { x, y, z }",
});

// The outline of each feature (eyes, brows, lips, face oval, nose, irises) over the 468 mesh points.
const MESH_EDGES = FACE_CONTOUR_CONNECTIONS;

const stage = new Stage(page.output);
const irises = el('input', { type: 'checkbox', id: 'irises', checked: '' });
page.inputs.append(el('h2', { text: 'Options' }), el('label', {}, irises, ' refineLandmarks (irises)'));
irises.addEventListener('change', () => {
  if (last) void detectPicture().catch((e) => page.fail(e));
});

/** The face boxes' colour; its label text is dark (white on it would read at 1.6:1). */
const FACE_COLOR = '#ffc400';

// The landmarker runs in a worker, so the page stays responsive while it works.
const worker = visionWorker();
let landmarker: Promise<void> | undefined;
function getLandmarker(): Promise<void> {
  landmarker ??= (async () => {
    // The files the landmarker loads (detector, mesh, iris), fetched with a progress bar first.
    await page.loadModels([BLAZEFACE, FACEMESH, IRIS], prefetchIn(worker));
    const { backend } = await worker.call('loadFaceLandmarker', undefined);
    page.setBackend(backend);
  })();
  landmarker.catch(() => {
    landmarker = undefined;
  });
  return landmarker;
}

type Face = FaceLandmarksResult['faces'][number];

/** Draws one face's mesh points, feature outlines and irises; `u` is picture pixels per CSS pixel. */
function drawFace(ctx: CanvasRenderingContext2D, face: Face, u: number): void {
  const pts = face.keypoints;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.lineWidth = u;
  ctx.beginPath();
  for (const [a, b] of MESH_EDGES) {
    const p = pts[a];
    const q = pts[b];
    if (!p || !q) continue;
    ctx.moveTo(p.x, p.y);
    ctx.lineTo(q.x, q.y);
  }
  ctx.stroke();
  ctx.fillStyle = 'rgba(60, 255, 140, 0.9)';
  for (const p of pts.slice(0, 468)) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, 0.8 * u, 0, Math.PI * 2);
    ctx.fill();
  }
  // Irises: 468 right centre, 469–472 its contour; 473 left centre, 474–477 its contour.
  for (const c of [468, 473]) {
    const centre = pts[c];
    if (!centre) continue;
    const ring = pts.slice(c + 1, c + 5);
    const r = ring.reduce((s, p) => s + Math.hypot(p.x - centre.x, p.y - centre.y), 0) / (ring.length || 1);
    ctx.strokeStyle = '#ff3df5';
    ctx.lineWidth = 1.5 * u;
    ctx.beginPath();
    ctx.arc(centre.x, centre.y, Math.max(r, 1.5 * u), 0, Math.PI * 2);
    ctx.stroke();
    ctx.fillStyle = '#ff3df5';
    ctx.beginPath();
    ctx.arc(centre.x, centre.y, 1.2 * u, 0, Math.PI * 2);
    ctx.fill();
  }
}

/** A close-up of one face (small faces are hard to see in the whole picture). */
function closeUp(source: CanvasImageSource, face: Face): HTMLCanvasElement {
  const size = 260;
  const canvas = el('canvas', { width: String(size), height: String(size), class: 'closeup' });
  const ctx = canvas.getContext('2d')!;
  const side = Math.max(face.box.width, face.box.height) * 1.25;
  const cx = face.box.x + face.box.width / 2;
  const cy = face.box.y + face.box.height / 2;
  const k = size / side;
  ctx.setTransform(k, 0, 0, k, -(cx - side / 2) * k, -(cy - side / 2) * k);
  ctx.drawImage(source, 0, 0);
  drawFace(ctx, face, 1 / k);
  return canvas;
}

type Faces = { width: number; height: number; faces: (Face & { trackId?: number })[] };

/** Boxes, mesh and irises of every face; `u` is picture pixels per CSS pixel. */
function drawFaces(ctx: CanvasRenderingContext2D, result: Faces, u: number): void {
  drawBoxes(
    ctx,
    result.faces.map((f) => ({
      box: f.box,
      color: FACE_COLOR,
      label: `${f.trackId ? `#${f.trackId} ` : ''}face ${(f.score * 100).toFixed(0)}%`,
    })),
    u,
    result,
  );
  for (const face of result.faces) drawFace(ctx, face, u);
}

function showTable(result: Faces, source?: CanvasImageSource): void {
  page.details.replaceChildren(
    el('h2', { text: `${result.faces.length} face${result.faces.length === 1 ? '' : 's'}` }),
    el(
      'table',
      { id: 'faces' },
      el(
        'tr',
        {},
        el('th', { text: '#' }),
        el('th', { text: 'Points' }),
        el('th', { text: 'Roll' }),
        el('th', { text: 'Score', class: 'score' }),
      ),
      ...result.faces.map((f, i) =>
        el(
          'tr',
          {},
          el('td', { text: f.trackId ? `#${f.trackId}` : String(i + 1) }),
          el('td', { text: String(f.keypoints.length) }),
          el('td', { text: `${((f.rollAngle * 180) / Math.PI).toFixed(0)}°` }),
          el('td', { class: 'score', text: f.score.toFixed(2) }),
        ),
      ),
    ),
    ...(source ? result.faces.slice(0, 3).map((f) => closeUp(source, f)) : []),
  );
}

// Pictures: the last one, decoded for drawing; its file goes to the worker.
let last: { image: ImageBitmap; file: Blob; name: string } | undefined;

async function detectPicture(): Promise<void> {
  if (!last) return;
  const signal = page.running();
  await getLandmarker();
  const { result, ms } = await worker.call(
    'detectFaceLandmarks',
    { image: last.file, options: { refineLandmarks: irises.checked } },
    { signal },
  );
  page.setLatency(ms);
  const { image, name } = last;
  measured('draw', () => {
    stage.show(image, image.width, image.height);
    drawFaces(stage.ctx, result, stage.unit);
    showTable(result, image);
  });
  page.setStatus(`${name}: ${result.faces.length} face${result.faces.length === 1 ? '' : 's'}.`);
  // The probe keeps counts, not 478 points per face, so the tests can read it cheaply.
  page.done({
    width: result.width,
    height: result.height,
    faces: result.faces.map((f) => ({ box: f.box, score: f.score, points: f.keypoints.length })),
  });
  page.reveal();
}

fileInputs(page.inputs, {
  samples: SAMPLES,
  accept: 'image/*',
  kind: 'image',
  onPick: async ({ url, name, credit }) => {
    try {
      if (live.running) tracked.stop();
      page.setStatus(`Finding faces in ${name}…`);
      const file = await (await fetch(url)).blob();
      last = { image: await loadImage(file), file, name };
      stage.caption.textContent = credit ?? name;
      await detectPicture();
    } catch (e) {
      page.fail(e);
    }
  },
});

// Live: @ondevice/vision's live mode (frames dropped while one is in flight, tracking IDs) around
// the worker, faces drawn over the video.
const faceIds = new Set<number>();
const tracked = mountLiveTracking<Face>({
  page,
  stage,
  ready: getLandmarker,
  async detect(frame, signal) {
    const { result, ms } = await worker.call(
      'detectFaceLandmarks',
      // No second look for small faces on every frame (it runs the detector on 6 more tiles).
      { image: frame, options: { refineLandmarks: irises.checked, smallFaces: false } },
      { transfer: [frame], signal },
    );
    return { items: result.faces, ms };
  },
  draw: (ctx, { items }, unit) => drawFaces(ctx, videoFaces(items), unit),
  onResult({ items }, stats) {
    for (const f of items) faceIds.add(f.trackId);
    showTable(videoFaces(items));
    page.done({
      live: true,
      faces: items.map((f) => ({ trackId: f.trackId, score: f.score, points: f.keypoints.length })),
      stats,
      faceIds: [...faceIds],
    });
  },
  onStart: () => faceIds.clear(),
});
const { live } = tracked;
/** The live faces as drawFaces and showTable take them (the frame's size is the video's). */
const videoFaces = (faces: Faces['faces']): Faces => ({
  width: live.video.videoWidth,
  height: live.video.videoHeight,
  faces,
});
