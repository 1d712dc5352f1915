import { readFileSync } from 'node:fs';
import { decodeImage, type ImagePixels, type Point } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceLandmarker, type FaceLandmarker } from './detect-face-landmarks.js';
import { type CocoFaceKeypoints, cocoFaceError } from './evaluate.js';

// A sparse group of small faces (issue #21): the real face of COCO 000000162415 (CC BY, eyes 48 px
// apart, labelled by COCO's annotators), scaled down to 11 or 14 px between the eyes and pasted 24
// times, 200 px apart, onto a real 1280×960 scene (COCO 000000006818, CC BY, no people). The
// whole-image detector sees these faces at a fifth of their size; the second look on zoomed tiles
// finds them.
const W = 1280;
const H = 960;

/** Area-average resize (downscaling). */
function shrink(src: ImagePixels, w: number, h: number): ImagePixels {
  const out = new Uint8Array(w * h * 3);
  const sx = src.width / w;
  const sy = src.height / h;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [x0, x1] = [Math.floor(x * sx), Math.max(Math.floor(x * sx) + 1, Math.floor((x + 1) * sx))];
      const [y0, y1] = [Math.floor(y * sy), Math.max(Math.floor(y * sy) + 1, Math.floor((y + 1) * sy))];
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        let n = 0;
        for (let yy = y0; yy < Math.min(y1, src.height); yy++)
          for (let xx = x0; xx < Math.min(x1, src.width); xx++, n++)
            sum += src.data[(yy * src.width + xx) * 3 + c]!;
        out[(y * w + x) * 3 + c] = Math.round(sum / n);
      }
    }
  return { data: out, width: w, height: h, channels: 3 };
}

let landmarker: FaceLandmarker;
const groups = new Map<number, { image: ImagePixels; truth: CocoFaceKeypoints[] }>();

beforeAll(async () => {
  landmarker = await createFaceLandmarker();
  const photo = await decodeImage(datasetPath('faces', 'images', '000000162415.jpg'));
  const [label] = JSON.parse(readFileSync(datasetPath('faces', 'labels', '000000162415.json'), 'utf8')) as {
    face_keypoints: CocoFaceKeypoints;
  }[];
  const k = label!.face_keypoints;
  const x0 = Math.round((k.left_eye.x + k.right_eye.x) / 2) - 80;
  const y0 = Math.round((k.left_eye.y + k.right_eye.y) / 2) + 20 - 80;
  const crop: ImagePixels = { data: new Uint8Array(160 * 160 * 3), width: 160, height: 160, channels: 3 };
  for (let y = 0; y < 160; y++)
    crop.data.set(
      photo.data.subarray(((y0 + y) * photo.width + x0) * 3, ((y0 + y) * photo.width + x0 + 160) * 3),
      y * 480,
    );
  const scene = shrink(
    await decodeImage(datasetPath('object_detection', 'images', '000000006818.jpg')),
    W,
    H,
  );
  for (const eyes of [11, 14]) {
    const f = eyes / 48;
    const side = Math.round(160 * f);
    const face = shrink(crop, side, side);
    const image = { ...scene, data: scene.data.slice() };
    const truth: CocoFaceKeypoints[] = [];
    for (let gy = 0; gy < 4; gy++)
      for (let gx = 0; gx < 6; gx++) {
        const ox = 60 + gx * 200 + (gy % 2) * 40;
        const oy = 60 + gy * 220;
        for (let y = 0; y < side; y++)
          image.data.set(face.data.subarray(y * side * 3, (y + 1) * side * 3), ((oy + y) * W + ox) * 3);
        const move = <P extends Point & { v: number }>(p: P): P => ({
          ...p,
          x: (p.x - x0) * f + ox,
          y: (p.y - y0) * f + oy,
        });
        truth.push({ nose: move(k.nose), left_eye: move(k.left_eye), right_eye: move(k.right_eye) });
      }
    groups.set(eyes, { image, truth });
  }
});
afterAll(() => landmarker?.dispose());

const found = (eyes: number, faces: { keypoints: Point[] }[]) =>
  groups.get(eyes)!.truth.filter(
    (t) =>
      cocoFaceError(
        t,
        faces.map((f) => f.keypoints),
      ).eyes !== undefined,
  ).length;

describe('small faces: the second look on zoomed tiles', () => {
  it('finds the 24 faces with 11 px between the eyes (the whole-image pass alone finds 1)', async () => {
    const { image } = groups.get(11)!;
    // Measured: 24 of 24 by default, 1 of 24 with smallFaces: false.
    expect(found(11, (await landmarker.detect(image)).faces), 'faces lost').toBeGreaterThanOrEqual(23);
    expect(found(11, (await landmarker.detect(image, { smallFaces: false })).faces)).toBeLessThanOrEqual(4);
  });

  it('finds the 24 faces with 14 px between the eyes (the whole-image pass alone finds 22)', async () => {
    const { image } = groups.get(14)!;
    const result = await landmarker.detect(image);
    expect(found(14, result.faces), 'faces lost').toBe(24);
    // Each face once: a face both passes saw is not returned twice.
    expect(result.faces).toHaveLength(24);
  });
});
