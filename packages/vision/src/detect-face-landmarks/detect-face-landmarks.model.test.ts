import { readFileSync } from 'node:fs';
import type { ImagePixels, Point } from '@ondevice/core';
import {
  AbortedError,
  DisposedError,
  decodeImage,
  InputError,
  OptionsError,
  warpAffine,
} from '@ondevice/core';
import { getTfjs } from '@ondevice/core/tfjs';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceLandmarker, detectFaceLandmarks, type FaceLandmarker } from './detect-face-landmarks.js';
import { type CocoFaceKeypoints, cocoFaceError } from './evaluate.js';
import { MESH_INDICES_68, nme68 } from './metrics.js';
import { FACE_CONTOUR_CONNECTIONS, type FaceRegionName, faceRegion } from './topology.js';

const faces = (...p: string[]) => datasetPath('faces', ...p);
const COCO_FACE_IDS = [
  '000000009483',
  '000000153797',
  '000000162415',
  '000000229358',
  '000000256353',
  '000000444294',
];
/** COCO photos with no person in them (from the object-detection set). */
const NO_PERSON_IDS = [
  '000000006818',
  '000000041888',
  '000000114174',
  '000000174482',
  '000000229997',
  '000000331352',
  '000000359219',
  '000000379349',
  '000000403385',
  '000000458054',
  '000000460229',
  '000000475678',
  '000000553664',
];

interface Label {
  face_keypoints: CocoFaceKeypoints;
}
const labels = (id: string): Label[] => JSON.parse(readFileSync(faces('labels', `${id}.json`), 'utf8'));
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/** Rotates an image by `deg` degrees (clockwise on screen) about its centre, into a canvas big enough to hold it. */
function rotate(src: ImagePixels, deg: number): { pixels: ImagePixels; map: (p: Point) => Point } {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const w = Math.ceil(Math.abs(src.width * c) + Math.abs(src.height * s));
  const h = Math.ceil(Math.abs(src.width * s) + Math.abs(src.height * c));
  // output → source: rotate by −t about the centres
  const m = [
    c,
    s,
    src.width / 2 - c * (w / 2) - s * (h / 2),
    -s,
    c,
    src.height / 2 + s * (w / 2) - c * (h / 2),
  ] as const;
  const map = (p: Point): Point => {
    const dx = p.x - src.width / 2;
    const dy = p.y - src.height / 2;
    return { x: w / 2 + dx * c - dy * s, y: h / 2 + dx * s + dy * c };
  };
  return { pixels: warpAffine(src, m, w, h), map };
}

let landmarker: FaceLandmarker;
beforeAll(async () => {
  landmarker = await createFaceLandmarker({ refineLandmarks: true, maxFaces: 20 });
});
afterAll(() => landmarker?.dispose());

describe('detectFaceLandmarks on real photos', () => {
  it('puts eyes and nose where COCO annotators did', async () => {
    const eyes: number[] = [];
    const nose: number[] = [];
    const eyesPlain: number[] = [];
    let people = 0;
    let missed = 0;
    for (const id of COCO_FACE_IDS) {
      const path = faces('images', `${id}.jpg`);
      const refined = (await landmarker.detect(path)).faces.map((f) => f.keypoints);
      const plain = (await landmarker.detect(path, { refineLandmarks: false })).faces.map((f) => f.keypoints);
      for (const { face_keypoints: k } of labels(id)) {
        if (!(k.left_eye.v > 0 && k.right_eye.v > 0)) continue;
        people++;
        const e = cocoFaceError(k, refined);
        if (e.eyes === undefined) {
          missed++;
          continue;
        }
        eyes.push(e.eyes);
        if (e.nose !== undefined) nose.push(e.nose);
        const p = cocoFaceError(k, plain);
        if (p.eyes !== undefined) eyesPlain.push(p.eyes);
      }
    }
    const found = people - missed;
    const report = {
      people,
      found,
      eyeMeanIris: mean(eyes),
      eyeShareUnder01: eyes.filter((e) => e < 0.1).length / people,
      eyeMeanRing: mean(eyesPlain),
      noseMean: mean(nose),
      noseShareUnder01: nose.filter((e) => e < 0.1).length / nose.length,
    };
    console.log('COCO face keypoints', JSON.stringify(report));
    // Measured (WASM, refineLandmarks): 11 of 14 found (the 3 missed have 12–19 px between the
    // eyes in a 640 px photo), eye error 0.104 (iris) / 0.107 (eye ring), 7 of 14 people under
    // 0.1, nose 0.239 (COCO's nose point sits up the bridge; the mesh's is the tip).
    expect(found).toBeGreaterThanOrEqual(10);
    expect(report.eyeMeanIris).toBeLessThan(0.12);
    expect(report.eyeMeanRing).toBeLessThan(0.12);
    expect(report.eyeShareUnder01).toBeGreaterThanOrEqual(6 / 14);
    expect(report.noseMean).toBeLessThan(0.27);
  });

  it('matches the 68-point annotation of the Einstein photo', async () => {
    const truth = JSON.parse(readFileSync(faces('labels', 'einstein.json'), 'utf8'))[0].landmarks68.map(
      ([x, y]: [number, number]) => ({ x: x - 1, y: y - 1 }),
    );
    const { faces: found } = await landmarker.detect(faces('images', 'einstein.jpg'));
    const errors = found.map((f) =>
      nme68(
        MESH_INDICES_68.map((i) => f.keypoints[i]!),
        truth,
      ),
    );
    const best = errors.sort((a, b) => a.all - b.all)[0];
    console.log('Einstein NME', JSON.stringify(best), 'faces', found.length);
    // Measured: NME 0.087 over 68 points, 0.074 over the 51 without the jaw (outer-eye-corner normalised).
    expect(best!.all).toBeLessThan(0.105);
    expect(best!.inner).toBeLessThan(0.09);
  });

  it('returns no face on photos without people', async () => {
    const counts: Record<string, number> = {};
    for (const id of NO_PERSON_IDS) {
      counts[id] = (
        await landmarker.detect(datasetPath('object_detection', 'images', `${id}.jpg`))
      ).faces.length;
    }
    console.log('faces on no-person photos', JSON.stringify(counts));
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('finds several faces in a group photo, sorted by score, with 478 points in the image', async () => {
    const { faces: found, width, height } = await landmarker.detect(faces('images', '000000444294.jpg'));
    console.log('group photo faces', found.length, found.map((f) => f.score.toFixed(3)).join(' '));
    expect(found.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < found.length; i++)
      expect(found[i - 1]!.score).toBeGreaterThanOrEqual(found[i]!.score);
    for (const f of found) {
      expect(f.keypoints).toHaveLength(478);
      expect(f.box.x).toBeGreaterThanOrEqual(0);
      expect(f.box.x + f.box.width).toBeLessThanOrEqual(width);
      expect(f.box.y + f.box.height).toBeLessThanOrEqual(height);
    }
    const plain = await landmarker.detect(faces('images', '000000444294.jpg'), {
      refineLandmarks: false,
      maxFaces: 2,
    });
    expect(plain.faces).toHaveLength(2);
    expect(plain.faces[0]!.keypoints).toHaveLength(468);
  });

  it('returns one face, not two, when the face fills the frame (also upscaled)', async () => {
    const src = await decodeImage(faces('images', '000000162415.jpg'));
    // A tight crop once gave a second detector box on part of the face, with its own mesh.
    const tight = warpAffine(src, [1, 0, 148, 0, 1, 180], 146, 160);
    expect((await landmarker.detect(tight)).faces).toHaveLength(1);
    const big = warpAffine(src, [0.25, 0, 118, 0, 0.25, 150], 824, 880);
    const { faces: found } = await landmarker.detect(big);
    expect(found).toHaveLength(1);
    expect(found[0]!.box.width).toBeGreaterThan(400);
  });

  it('keeps the mesh on a rotated face', async () => {
    const src = await decodeImage(faces('images', '000000162415.jpg'));
    const [{ face_keypoints: k }] = labels('000000162415') as [Label];
    const out: Record<number, number | undefined> = {};
    for (const deg of [30, 60, 90, -45]) {
      const { pixels, map } = rotate(src, deg);
      const truth = {
        ...k,
        left_eye: { ...map(k.left_eye), v: 2 },
        right_eye: { ...map(k.right_eye), v: 2 },
        nose: { ...map(k.nose), v: 2 },
      };
      const { faces: found } = await landmarker.detect(pixels);
      out[deg] = cocoFaceError(
        truth,
        found.map((f) => f.keypoints),
      ).eyes;
      const roll = found[0] ? (found[0].rollAngle * 180) / Math.PI : undefined;
      console.log('rotated', deg, 'eye error', out[deg], 'roll', roll);
      // Measured: eye error 0.049–0.054 at every angle, roll within 7° of the rotation.
      expect(out[deg]).toBeLessThan(0.08);
      expect(Math.abs(roll! - deg)).toBeLessThan(12);
    }
  });
});

describe('face topology on a real face', () => {
  it('puts the named regions where they belong on an upright face', async () => {
    const { faces: found } = await landmarker.detect(faces('images', '000000162415.jpg'));
    const face = found[0]!;
    const centre = (name: FaceRegionName) => {
      const pts = faceRegion(face, name);
      return { x: mean(pts.map((p) => p.x)), y: mean(pts.map((p) => p.y)) };
    };
    // the subject's left eye is on the image's right
    expect(centre('leftEye').x).toBeGreaterThan(centre('rightEye').x);
    expect(centre('leftIris').x).toBeGreaterThan(centre('rightIris').x);
    expect(centre('leftEyebrow').y).toBeLessThan(centre('leftEye').y);
    expect(centre('lips').y).toBeGreaterThan(centre('noseTip').y);
    expect(
      Math.hypot(centre('leftIris').x - centre('leftEye').x, centre('leftIris').y - centre('leftEye').y),
    ).toBeLessThan(face.box.width * 0.05);
    // every drawn edge is short: no index points across the face
    for (const [a, b] of FACE_CONTOUR_CONNECTIONS) {
      const d = Math.hypot(
        face.keypoints[a]!.x - face.keypoints[b]!.x,
        face.keypoints[a]!.y - face.keypoints[b]!.y,
      );
      expect(d / face.box.width, `${a}-${b}`).toBeLessThan(0.2);
    }
  });
});

describe('face landmarker lifecycle', () => {
  it('leaves the tensor count unchanged after 50 calls', async () => {
    const { tf } = await getTfjs();
    const src = await decodeImage(faces('images', '000000162415.jpg'));
    const small = warpAffine(src, [1, 0, 100, 0, 1, 150], 200, 200);
    await landmarker.detect(small);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) await landmarker.detect(small, { refineLandmarks: i % 2 === 0 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('works as a one-line call with a shared default landmarker', async () => {
    const small = await decodeImage(faces('images', '000000229358.jpg'));
    const first = await detectFaceLandmarks(small);
    expect(first.faces).toHaveLength(1);
    expect(first.faces[0]!.keypoints).toHaveLength(468);
    const refined = await detectFaceLandmarks(small, { refineLandmarks: true });
    expect(refined.faces[0]!.keypoints).toHaveLength(478);
    expect(JSON.parse(JSON.stringify(refined))).toEqual(refined);
  });

  it('rejects unreadable input with InputError', async () => {
    await expect(landmarker.detect(new Uint8Array([1, 2, 3]))).rejects.toThrow(InputError);
    await expect(landmarker.detect({ data: new Uint8Array(5), width: 2, height: 2 })).rejects.toThrow(
      InputError,
    );
  });

  it('rejects bad options, aborted calls and calls after dispose', async () => {
    await expect(landmarker.detect(faces('images', 'einstein.jpg'), { maxFace: 2 } as never)).rejects.toThrow(
      OptionsError,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(
      landmarker.detect(faces('images', 'einstein.jpg'), { signal: controller.signal }),
    ).rejects.toThrow(AbortedError);
    const other = await createFaceLandmarker();
    other.dispose();
    await expect(other.detect(faces('images', 'einstein.jpg'))).rejects.toThrow(DisposedError);
  });
});
