// Same answers on both engines: the native path (onnxruntime-node, ONNX converted on first use from
// the verified published weights) against the tfjs path, in one process, on real photos.
//   detections: every object scoring ≥ threshold + 0.01 on one engine is found on the other with
//   the same label, IoU ≥ 0.95 and a score within 0.01 (objects right at the threshold may fall on
//   either side of it);
//   faces: the same faces (presence ≥ 0.51), every one of the 478 keypoints within 0.5 px.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, decodeImage, type ImagePixels, iou, isModelCached, resetConfig } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceLandmarker } from '../src/detect-face-landmarks/detect-face-landmarks.js';
import type { FaceLandmarks } from '../src/detect-face-landmarks/result.js';
import { createObjectDetector } from '../src/detect-objects/detect-objects.js';
import type { DetectedObject } from '../src/detect-objects/result.js';
import { BLAZEFACE_ONNX, CENTERNET_ONNX, FACEMESH_ONNX, IRIS_ONNX } from '../src/models.js';

const THRESHOLD = 0.3;
const MARGIN = 0.01;

let cache: string;
const photos: { name: string; pixels: ImagePixels }[] = [];
const faces: { name: string; pixels: ImagePixels }[] = [];

beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'ondevice-native-'));
  configure({ cacheDir: cache, allowRemoteModels: false });
  const dir = datasetPath('object_detection', 'images');
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.jpg')).sort())
    photos.push({ name: f, pixels: await decodeImage(join(dir, f)) });
  const fdir = datasetPath('faces', 'images');
  for (const f of (await readdir(fdir)).filter((n) => n.endsWith('.jpg')).sort())
    faces.push({ name: f, pixels: await decodeImage(join(fdir, f)) });
}, 60_000);
afterAll(async () => {
  resetConfig();
  await rm(cache, { recursive: true, force: true });
});

const worstDetection = { iou: 1, score: 0 };

/** What differs between two engines' detections of one photo (empty when they agree). */
function compareDetections(a: DetectedObject[], b: DetectedObject[], where: string): string[] {
  const problems: string[] = [];
  for (const [from, to, dir] of [
    [a, b, 'native→tfjs'],
    [b, a, 'tfjs→native'],
  ] as const) {
    for (const o of from) {
      if (o.score < THRESHOLD + MARGIN) continue;
      const best = to
        .filter((p) => p.label === o.label)
        .map((p) => ({ p, overlap: iou(o.box, p.box) }))
        .sort((x, y) => y.overlap - x.overlap)[0];
      if (best) {
        worstDetection.iou = Math.min(worstDetection.iou, best.overlap);
        worstDetection.score = Math.max(worstDetection.score, Math.abs(best.p.score - o.score));
      }
      if (!best || best.overlap < 0.95 || Math.abs(best.p.score - o.score) > MARGIN)
        problems.push(
          `${where} ${dir}: ${o.label} ${o.score.toFixed(3)} → ${best ? `IoU ${best.overlap.toFixed(3)}, score ${best.p.score.toFixed(3)}` : 'none'}`,
        );
    }
  }
  return problems;
}

describe('object detection: native engine vs tfjs', () => {
  // int8 is another model per engine (int8 QDQ natively, the uint8-weight graph on tfjs): its
  // accuracy against fp32 is held by test/int8.model.test.ts.
  it('gives the same objects on the 28 photos (balanced), and on 4 with fast and accurate', async () => {
    const variants = [
      { model: 'balanced', precision: 'fp32', photos },
      { model: 'fast', precision: 'fp32', photos: photos.slice(0, 4) },
      { model: 'accurate', precision: 'fp32', photos: photos.slice(0, 4) },
    ] as const;
    const problems: string[] = [];
    let compared = 0;
    for (const v of variants) {
      const options = { model: v.model, precision: v.precision, scoreThreshold: THRESHOLD, maxResults: 100 };
      const native = await createObjectDetector({ ...options, engine: 'auto' });
      const tfjs = await createObjectDetector({ ...options, engine: 'tfjs' });
      expect(native.runtime).toBe('onnxruntime-node');
      expect(tfjs.runtime).toBe('tfjs');
      for (const p of v.photos) {
        const [a, b] = [await native.detect(p.pixels), await tfjs.detect(p.pixels)];
        compared += b.filter((o) => o.score >= THRESHOLD + MARGIN).length;
        problems.push(...compareDetections(a, b, `${v.model}/${v.precision} ${p.name}`));
      }
      native.dispose();
      tfjs.dispose();
    }
    console.log(
      `objects compared: ${compared}; lowest IoU ${worstDetection.iou.toFixed(5)}, largest score difference ${worstDetection.score.toExponential(2)}`,
    );
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(100);
    // The converted models were checked against their recorded SHA-256 and cached.
    for (const key of ['fp32-512', 'fp32-384'] as const)
      expect(await isModelCached(CENTERNET_ONNX[key])).toBe(true);
  }, 120_000);
});

function matchFaces(
  a: FaceLandmarks[],
  b: FaceLandmarks[],
  where: string,
): { problems: string[]; worst: number } {
  const problems: string[] = [];
  let worst = 0;
  for (const [from, to, dir] of [
    [a, b, 'native→tfjs'],
    [b, a, 'tfjs→native'],
  ] as const) {
    for (const f of from) {
      if (f.score < 0.5 + MARGIN) continue;
      const g = to.map((t) => ({ t, overlap: iou(f.box, t.box) })).sort((x, y) => y.overlap - x.overlap)[0];
      if (!g || g.overlap < 0.9) {
        problems.push(`${where} ${dir}: face ${f.score.toFixed(3)} not found`);
        continue;
      }
      if (g.t.keypoints.length !== f.keypoints.length) problems.push(`${where}: keypoint counts differ`);
      let max = 0;
      f.keypoints.forEach((k, i) => {
        const m = g.t.keypoints[i]!;
        max = Math.max(max, Math.hypot(k.x - m.x, k.y - m.y));
      });
      worst = Math.max(worst, max);
      if (max > 0.5) problems.push(`${where} ${dir}: keypoints up to ${max.toFixed(3)} px apart`);
    }
  }
  return { problems, worst };
}

describe('face landmarks: native engine vs tfjs', () => {
  it('puts all 478 keypoints within 0.5 px on the face photos and the 28 detection photos', async () => {
    const native = await createFaceLandmarker({ refineLandmarks: true, engine: 'auto' });
    const tfjs = await createFaceLandmarker({ refineLandmarks: true, engine: 'tfjs' });
    expect(native.runtime).toBe('onnxruntime-node');
    expect(tfjs.runtime).toBe('tfjs');
    const problems: string[] = [];
    let worst = 0;
    let count = 0;
    for (const p of [...faces, ...photos]) {
      const [a, b] = [(await native.detect(p.pixels)).faces, (await tfjs.detect(p.pixels)).faces];
      count += b.length;
      const r = matchFaces(a, b, p.name);
      problems.push(...r.problems);
      worst = Math.max(worst, r.worst);
    }
    native.dispose();
    tfjs.dispose();
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(10);
    expect(worst).toBeLessThanOrEqual(0.5);
    for (const spec of [BLAZEFACE_ONNX, FACEMESH_ONNX, IRIS_ONNX])
      expect(await isModelCached(spec)).toBe(true);
    console.log(`faces compared: ${count}; largest keypoint distance ${worst.toFixed(4)} px`);
  }, 120_000);
});
