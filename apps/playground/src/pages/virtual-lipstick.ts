import '../style.css';
import { BLAZEFACE, FACE_LANDMARK_CONNECTIONS, FACEMESH, type FaceLandmarksResult } from '@ondevice/vision';
import { mountLiveTracking } from '../live/live-view.js';
import { lipsOf, paintLips, rings } from '../showcase/lips.js';
import { el, labeled, mountPage } from '../ui.js';
import { prefetchIn, visionWorker } from '../worker/clients.js';

const page = mountPage({
  title: 'Virtual lipstick',
  blurb:
    'A showcase of the face mesh, live on the camera: the lips region of the 468 landmarks is recoloured on every frame, following the face (the AR cosmetics example). Nothing leaves this device.',
  apiCall:
    "import { createFaceLandmarkerForVideo, FACE_LANDMARK_CONNECTIONS } from '@ondevice/vision';\nconst landmarker = await createFaceLandmarkerForVideo();\nconst result = await landmarker.detect(video, now); // null while busy; else faces[i].trackId, fill the lips edges of faces[i].keypoints",
});

const SHADES: Record<string, string> = {
  Rose: '#c2185b',
  Ruby: '#b71c1c',
  Coral: '#e64a19',
  Plum: '#6a1b9a',
  Nude: '#a1665e',
};
const shade = el('select', { id: 'shade' });
for (const [name, color] of Object.entries(SHADES)) shade.append(el('option', { value: color, text: name }));
const custom = el('input', { type: 'color', id: 'custom-shade', value: SHADES.Rose! });
shade.addEventListener('change', () => {
  custom.value = shade.value;
  live.redraw();
});
custom.addEventListener('input', () => live.redraw());
page.inputs.append(labeled(shade, 'Shade'), shade, labeled(custom, 'Or any colour'), custom);

// The mouth's two rings (outer edge, opening), from the mesh topology, found once.
const LIP_RINGS = rings(FACE_LANDMARK_CONNECTIONS.lips);

const worker = visionWorker();
let ready: Promise<void> | undefined;
function getLandmarker(): Promise<void> {
  ready ??= (async () => {
    await page.loadModels([BLAZEFACE, FACEMESH], prefetchIn(worker));
    const { backend } = await worker.call('loadFaceLandmarker', undefined);
    page.setBackend(backend);
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

type Face = FaceLandmarksResult['faces'][number];
const faceIds = new Set<number>();
/** The lips' bounding box in the latest frame, per face (what the tests compare the paint with). */
let lipBoxes: { trackId: number; x: number; y: number; width: number; height: number }[] = [];

const { live } = mountLiveTracking<Face>({
  page,
  ready: getLandmarker,
  async detect(frame, signal) {
    // No irises needed here, and no second look for small faces: the mesh alone is faster.
    const { result, ms } = await worker.call(
      'detectFaceLandmarks',
      { image: frame, options: { refineLandmarks: false, smallFaces: false } },
      { transfer: [frame], signal },
    );
    return { items: result.faces, ms };
  },
  draw(ctx, { items }, unit) {
    lipBoxes = [];
    for (const face of items) {
      const lips = lipsOf(face.keypoints, LIP_RINGS);
      paintLips(ctx, lips, custom.value, 1.2 * unit);
      const xs = lips.outer.map((p) => p.x);
      const ys = lips.outer.map((p) => p.y);
      const x = Math.min(...xs);
      const y = Math.min(...ys);
      lipBoxes.push({ trackId: face.trackId, x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y });
    }
  },
  onResult({ items: faces }, stats) {
    for (const f of faces) faceIds.add(f.trackId);
    page.details.replaceChildren(
      el('h2', { text: `${faces.length} face${faces.length === 1 ? '' : 's'}` }),
      el('p', {
        text: faces.map((f) => `#${f.trackId}`).join(', ') || 'No face in view: look at the camera.',
      }),
    );
    page.done({
      live: true,
      faces: faces.map((f) => ({ trackId: f.trackId, box: f.box, score: f.score })),
      lips: lipBoxes,
      stats,
      faceIds: [...faceIds],
    });
  },
  onStart: () => faceIds.clear(),
});
live.overlay.classList.add('blend-multiply');

page.setStatus('Start the camera to try a shade.');
