// precision: 'int8' on the native engine: the int8 QDQ forms quantised on first use from the
// verified published weights (through their float32 ONNX forms and the recorded calibration) give
// the recorded bytes, and hold their measured accuracy against fp32 on real photos:
//   detection (balanced and fast): mAP@0.5 on the 28 COCO photos within 1 point of fp32's;
//   size: every int8 form in use at most 0.30× its float32 form;
//   faces: FaceMesh and Iris in int8 (BlazeFace stays fp32) find the fp32 faces again, keypoints
//   close to fp32's.
// The calibration images are none of these photos (see scripts/calibrate-int8.mjs).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configure,
  decodeImage,
  type ImagePixels,
  iou,
  isModelCached,
  loadModel,
  type ModelSpec,
  resetConfig,
} from '@ondevice/core';
import { datasetPath, evaluateDetections, readDetectionDataset } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceLandmarker } from '../src/detect-face-landmarks/detect-face-landmarks.js';
import { quantizeFaceOnnx } from '../src/detect-face-landmarks/int8.js';
import { createObjectDetector } from '../src/detect-objects/detect-objects.js';
import { quantizeCenterNetOnnx } from '../src/detect-objects/int8-onnx.js';
import {
  BLAZEFACE_INT8_ONNX,
  BLAZEFACE_ONNX,
  CENTERNET_ONNX,
  FACEMESH_INT8_ONNX,
  FACEMESH_ONNX,
  IRIS_INT8_ONNX,
  IRIS_ONNX,
} from '../src/models.js';

let cache: string;
beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'ondevice-int8-'));
  configure({ cacheDir: cache, allowRemoteModels: false, threads: 1 });
});
afterAll(async () => {
  resetConfig();
  await rm(cache, { recursive: true, force: true });
});

describe("precision: 'int8' on the native engine", () => {
  // mAP@0.5 of fp32 and int8 on the 28 photos for one detector variant (int8 quantised on first
  // use, checked against its recorded SHA-256 and cached).
  async function mapOf(model: 'fast' | 'balanced') {
    const samples = readDetectionDataset();
    expect(samples).toHaveLength(28);
    const options = { model, scoreThreshold: 0.01, maxResults: 100 } as const;
    const int8 = await createObjectDetector({ ...options, precision: 'int8' });
    const fp32 = await createObjectDetector(options);
    expect(int8.runtime).toBe('onnxruntime-node');
    expect(await isModelCached(CENTERNET_ONNX[model === 'fast' ? 'int8-384' : 'int8-512'])).toBe(true);
    const images: Record<'fp32' | 'int8', Parameters<typeof evaluateDetections>[0][number][]> = {
      fp32: [],
      int8: [],
    };
    for (const s of samples) {
      const pixels = await decodeImage(s.imagePath);
      images.fp32.push({ id: s.id, groundTruth: s.groundTruth, detections: await fp32.detect(pixels) });
      images.int8.push({ id: s.id, groundTruth: s.groundTruth, detections: await int8.detect(pixels) });
    }
    int8.dispose();
    fp32.dispose();
    const [a, b] = [images.fp32, images.int8].map((i) =>
      evaluateDetections(i, { iouThreshold: 0.5, maxDetections: 100 }),
    );
    console.info(
      `${model} mAP@0.5: fp32 ${a!.mAP.toFixed(4)}, int8 ${b!.mAP.toFixed(4)} (${(100 * (b!.mAP - a!.mAP)).toFixed(2)} points); recall ${a!.recall.toFixed(4)} → ${b!.recall.toFixed(4)}`,
    );
    return { fp32: a!, int8: b! };
  }

  it('detectObjects (balanced): the recorded int8 bytes, mAP@0.5 within 1 point of fp32 on the 28 photos', async () => {
    const r = await mapOf('balanced');
    expect(r.int8.mAP).toBeGreaterThanOrEqual(r.fp32.mAP - 0.01);
    // Recall at score ≥ 0.01 drops more (measured 0.711 → 0.646): the floor sits just under it.
    expect(r.int8.recall).toBeGreaterThanOrEqual(0.63);
  }, 120_000);

  it('detectObjects (fast, 384): mAP@0.5 within 1 point of fp32 on the 28 photos', async () => {
    // Measured 2026-12-03: fp32 0.437, int8 0.438 (0.418 before the two uint8-weight layers of
    // CENTERNET_INT8_SETTINGS[384]).
    const r = await mapOf('fast');
    expect(r.int8.mAP).toBeGreaterThanOrEqual(r.fp32.mAP - 0.01);
  }, 120_000);

  it('face landmarks: int8 FaceMesh and Iris find the fp32 faces again, keypoints close to fp32', async () => {
    const dir = datasetPath('faces', 'images');
    const photos: { name: string; pixels: ImagePixels }[] = [];
    for (const f of (await readdir(dir)).filter((n) => n.endsWith('.jpg')).sort())
      photos.push({ name: f, pixels: await decodeImage(join(dir, f)) });
    const int8 = await createFaceLandmarker({ precision: 'int8', refineLandmarks: true });
    const fp32 = await createFaceLandmarker({ refineLandmarks: true });
    expect(int8.precision).toBe('int8');
    expect(await isModelCached(FACEMESH_INT8_ONNX)).toBe(true);
    expect(await isModelCached(IRIS_INT8_ONNX)).toBe(true);
    // BlazeFace stays float32 (its int8 form is measured in bench/int8.mjs, not used).
    expect(await isModelCached(BLAZEFACE_ONNX)).toBe(true);
    expect(await isModelCached(BLAZEFACE_INT8_ONNX)).toBe(false);
    let reference = 0;
    let matched = 0;
    const perFace: number[] = [];
    for (const p of photos) {
      const [a, b] = [(await fp32.detect(p.pixels)).faces, (await int8.detect(p.pixels)).faces];
      reference += a.length;
      for (const f of a) {
        const g = b.find((x) => iou(x.box, f.box) >= 0.5);
        if (!g) continue;
        matched++;
        const side = Math.max(f.box.width, f.box.height);
        const d = f.keypoints.map((k, i) => Math.hypot(k.x - g.keypoints[i]!.x, k.y - g.keypoints[i]!.y));
        perFace.push(d.reduce((s, x) => s + x, 0) / d.length / side);
      }
    }
    int8.dispose();
    fp32.dispose();
    const mean = perFace.reduce((s, x) => s + x, 0) / perFace.length;
    console.info(
      `faces: ${matched} of ${reference} fp32 faces found by int8; keypoints ${(100 * mean).toFixed(2)} % of the box side apart on average (worst face ${(100 * Math.max(...perFace)).toFixed(2)} %)`,
    );
    // Measured 2026-12-03: 12 of 13 faces (the group photo's 0.35-detection face falls under the
    // presence threshold), 0.58 % of the box side on average, worst face 1.03 %.
    expect(matched).toBeGreaterThanOrEqual(reference - 1);
    expect(mean).toBeLessThan(0.008);
    expect(Math.max(...perFace)).toBeLessThan(0.015);
  }, 120_000);

  it('every int8 form in use is at most 0.30× its float32 form (quantised here, not read from the records)', async () => {
    // Opening the fp32 detectors and landmarker puts the float32 ONNX forms in the cache.
    for (const model of ['fast', 'balanced'] as const) (await createObjectDetector({ model })).dispose();
    (await createFaceLandmarker({ refineLandmarks: true })).dispose();
    const bytesOf = async (spec: ModelSpec) => [...(await loadModel(spec)).files.values()][0]!;
    const ratios: Record<string, number> = {};
    for (const size of [384, 512] as const) {
      const fp32 = await bytesOf(CENTERNET_ONNX[`fp32-${size}`]);
      ratios[`CenterNet ${size}`] = (await quantizeCenterNetOnnx(fp32, size)).byteLength / fp32.byteLength;
    }
    for (const [name, spec] of [
      ['facemesh', FACEMESH_ONNX],
      ['iris', IRIS_ONNX],
    ] as const) {
      const fp32 = await bytesOf(spec);
      ratios[name] = (await quantizeFaceOnnx(name, fp32, spec)).byteLength / fp32.byteLength;
    }
    console.info(`int8 ÷ fp32 bytes: ${JSON.stringify(ratios)}`);
    // Measured 2026-12-03: CenterNet 0.276 (384) and 0.277 (512), FaceMesh 0.278, Iris 0.290.
    for (const r of Object.values(ratios)) expect(r).toBeLessThanOrEqual(0.3);
  }, 60_000);
});
