import { readFileSync } from 'node:fs';
import { decodeImage, type ImagePixels, type Point } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFaceLandmarker,
  type FaceLandmarker,
} from '../src/detect-face-landmarks/detect-face-landmarks.js';
import { type CocoFaceKeypoints, cocoFaceError } from '../src/detect-face-landmarks/evaluate.js';

// The faces set has no photo with more than 8 labelled faces, so a group is built from a real one:
// the face of COCO 000000162415 (CC BY, eyes 48 px apart, labelled by COCO annotators), cropped
// 160×160 around its eyes and tiled 5×5 into an 800×800 image. Every tile keeps the photo's own
// scale, so what the detector sees per face is what it sees in the photo; the labels move with the
// tiles. This is how the old default `maxFaces: 10` returned 10 of 25 without a word.
const ID = '000000162415';
const TILE = 160;
const N = 5;

let group: ImagePixels;
let truth: CocoFaceKeypoints[];
let landmarker: FaceLandmarker;

beforeAll(async () => {
  const photo = await decodeImage(datasetPath('faces', 'images', `${ID}.jpg`));
  const [label] = JSON.parse(readFileSync(datasetPath('faces', 'labels', `${ID}.json`), 'utf8')) as {
    face_keypoints: CocoFaceKeypoints;
  }[];
  const k = label!.face_keypoints;
  const x0 = Math.round((k.left_eye.x + k.right_eye.x) / 2) - TILE / 2;
  const y0 = Math.round((k.left_eye.y + k.right_eye.y) / 2) + 20 - TILE / 2;
  const side = TILE * N;
  const data = new Uint8Array(side * side * 3);
  truth = [];
  for (let t = 0; t < N * N; t++) {
    const ox = (t % N) * TILE;
    const oy = Math.floor(t / N) * TILE;
    for (let y = 0; y < TILE; y++) {
      const from = ((y0 + y) * photo.width + x0) * 3;
      data.set(photo.data.subarray(from, from + TILE * 3), ((oy + y) * side + ox) * 3);
    }
    const move = <P extends Point & { v: number }>(p: P): P => ({ ...p, x: p.x - x0 + ox, y: p.y - y0 + oy });
    truth.push({ nose: move(k.nose), left_eye: move(k.left_eye), right_eye: move(k.right_eye) });
  }
  group = { data, width: side, height: side, channels: 3 };
  landmarker = await createFaceLandmarker();
});
afterAll(() => landmarker?.dispose());

const recall = (faces: { keypoints: Point[] }[]) =>
  truth.filter(
    (t) =>
      cocoFaceError(
        t,
        faces.map((f) => f.keypoints),
      ).eyes !== undefined,
  ).length;

describe('group photos: no silent cap on faces', () => {
  it('finds all 25 faces of a 25-face group by default, and says it was not capped', async () => {
    const result = await landmarker.detect(group);
    // Measured: 25 of 25 (the old default returned 10).
    expect(recall(result.faces)).toBeGreaterThanOrEqual(24);
    expect(result.capped).toBe(false);
  });

  it('with maxFaces: 10 returns 10 faces and says the cap cut it', async () => {
    const result = await landmarker.detect(group, { maxFaces: 10 });
    expect(result.faces).toHaveLength(10);
    expect(result.capped).toBe(true);
  });

  it('a photo with fewer faces than the cap is not capped', async () => {
    const result = await landmarker.detect(datasetPath('faces', 'images', `${ID}.jpg`), { maxFaces: 10 });
    expect(result.faces).toHaveLength(1);
    expect(result.capped).toBe(false);
  });
});
