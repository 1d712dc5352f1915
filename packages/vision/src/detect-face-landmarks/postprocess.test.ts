import { OptionsError, parseOptions } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { MESH_INDICES_68, meshEyesAndNose, nme68 } from './metrics.js';
import { detectFaceLandmarksOptionsSchema, faceLandmarkerOptionsSchema } from './options.js';
import {
  applyAffine,
  blazeFaceAnchors,
  cropToImage,
  decodeDetections,
  eyeRect,
  type FaceDetection,
  faceRectFromDetection,
  faceRectFromMesh,
  mapLandmarks,
  normalizeAngle,
  rectsDiffer,
  sigmoid,
  suppressNestedFaces,
  weightedNonMaxSuppression,
} from './postprocess.js';
import {
  FACE_CONTOUR_CONNECTIONS,
  FACE_LANDMARK_CONNECTIONS,
  FACE_LANDMARK_REGIONS,
  faceRegion,
} from './topology.js';

const close = (a: number, b: number, eps = 1e-6) => expect(Math.abs(a - b)).toBeLessThan(eps);

describe('BlazeFace decoding', () => {
  it('lays out 896 anchors: 16×16×2 at stride 16, then 8×8×6 at stride 32', () => {
    const a = blazeFaceAnchors();
    expect(a.length).toBe(896 * 2);
    expect([a[0], a[1], a[2], a[3], a[4]]).toEqual([8, 8, 8, 8, 24]);
    expect([a[1024], a[1025]]).toEqual([16, 16]);
    expect([a[1790], a[1791]]).toEqual([240, 240]);
  });

  it('decodes centre, size and keypoints relative to the anchor, skipping low scores', () => {
    const anchors = Float32Array.from([100, 50, 10, 10]);
    const regs = new Float32Array(32);
    regs.set([2, -4, 20, 30, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], 0);
    const dets = decodeDetections([2, -5], regs, anchors, 0.5);
    expect(dets).toHaveLength(1);
    const d = dets[0]!;
    close(d.score, sigmoid(2));
    expect(d.box).toEqual({ x: 92, y: 31, width: 20, height: 30 });
    expect(d.keypoints[0]).toEqual({ x: 101, y: 51 });
    expect(d.keypoints[5]).toEqual({ x: 106, y: 56 });
  });

  it('weighted NMS averages overlapping boxes by score and keeps separate faces apart', () => {
    const mk = (x: number, score: number): FaceDetection => ({
      box: { x, y: 0, width: 10, height: 10 },
      score,
      keypoints: [{ x, y: 0 }],
    });
    const out = weightedNonMaxSuppression([mk(0, 0.6), mk(2, 0.9), mk(50, 0.7)], 0.3);
    expect(out).toHaveLength(2);
    close(out[0]!.box.x, (0 * 0.6 + 2 * 0.9) / 1.5);
    close(out[0]!.keypoints[0]!.x, 1.2);
    expect(out[0]!.score).toBe(0.9);
    expect(out[1]!.box.x).toBe(50);
    expect(weightedNonMaxSuppression([mk(0, 0.6), mk(50, 0.7)], 0.3, 1)).toHaveLength(1);
  });
});

describe('crop geometry', () => {
  it('rolls the face crop along the detector eyes and maps the crop centre to the box centre', () => {
    const det: FaceDetection = {
      box: { x: 10, y: 20, width: 40, height: 30 },
      score: 1,
      keypoints: [
        { x: 20, y: 30 },
        { x: 30, y: 40 },
      ],
    };
    const rect = faceRectFromDetection(det, 1.5);
    close(rect.angle, Math.PI / 4);
    expect(rect.size).toBe(60);
    const m = cropToImage(rect, 192);
    const c = applyAffine(m, { x: 96, y: 96 });
    close(c.x, 30);
    close(c.y, 35);
    // the crop's x axis runs along the eye line
    const right = applyAffine(m, { x: 192, y: 96 });
    close(Math.atan2(right.y - c.y, right.x - c.x), Math.PI / 4);
    close(Math.hypot(right.x - c.x, right.y - c.y), 30);
  });

  it('mirrors a crop left–right when asked', () => {
    const m = cropToImage({ cx: 50, cy: 50, size: 64, angle: 0 }, 64, true);
    expect(applyAffine(m, { x: 0, y: 32 })).toEqual({ x: 82, y: 50 });
    expect(applyAffine(m, { x: 64, y: 32 })).toEqual({ x: 18, y: 50 });
  });

  it('maps model landmarks to input pixels, scaling z like x', () => {
    const m = cropToImage({ cx: 100, cy: 100, size: 96, angle: 0 }, 192);
    const [p] = mapLandmarks([96, 0, 10], 1, m);
    expect(p).toEqual({ x: 100, y: 52, z: 5 });
  });

  it('derives a level, centred crop from a mesh and notices when crops disagree', () => {
    const points = Array.from({ length: 468 }, (_, i) => ({ x: 100 + (i % 21) - 10, y: 200 + (i % 11) - 5 }));
    points[33] = { x: 90, y: 200 };
    points[263] = { x: 110, y: 200 };
    const rect = faceRectFromMesh(points, 1.5);
    close(rect.angle, 0);
    close(rect.cx, 100);
    close(rect.cy, 200);
    close(rect.size, 30);
    expect(rectsDiffer(rect, { ...rect, cx: rect.cx + 1 })).toBe(false);
    expect(rectsDiffer(rect, { ...rect, cx: rect.cx + 5 })).toBe(true);
    expect(rectsDiffer(rect, { ...rect, size: 40 })).toBe(true);
    expect(rectsDiffer(rect, { ...rect, angle: 0.3 })).toBe(true);
  });

  it('builds eye crops along the corner line and normalises angles', () => {
    const r = eyeRect({ x: 0, y: 0 }, { x: 10, y: 0 }, 2.3);
    expect(r).toEqual({ cx: 5, cy: 0, size: 23, angle: 0 });
    close(normalizeAngle(3 * Math.PI), Math.PI);
    close(normalizeAngle((-3 * Math.PI) / 2), Math.PI / 2);
  });
});

describe('topology and metrics', () => {
  it('uses valid, distinct indices everywhere', () => {
    for (const [name, ids] of Object.entries(FACE_LANDMARK_REGIONS)) {
      expect(new Set(ids).size, name).toBe(ids.length);
      for (const i of ids) expect(i >= 0 && i < 478, `${name} ${i}`).toBe(true);
    }
    expect(FACE_LANDMARK_REGIONS.faceOval).toHaveLength(36);
    expect(FACE_LANDMARK_REGIONS.lips).toHaveLength(40);
    expect(FACE_LANDMARK_REGIONS.leftEye).toHaveLength(16);
    expect(FACE_LANDMARK_CONNECTIONS.faceOval).toHaveLength(36);
    expect(FACE_CONTOUR_CONNECTIONS.length).toBeGreaterThan(120);
    expect(new Set(MESH_INDICES_68).size).toBe(68);
  });

  it('picks region points and eye centres off a face', () => {
    const keypoints = Array.from({ length: 478 }, (_, i) => ({ x: i, y: 0 }));
    expect(faceRegion({ keypoints }, 'noseTip')).toEqual([{ x: 1, y: 0 }]);
    expect(faceRegion({ keypoints: keypoints.slice(0, 468) }, 'leftIris')).toEqual([]);
    const e = meshEyesAndNose(keypoints);
    expect(e.rightEye.x).toBe(468);
    expect(e.leftEye.x).toBe(473);
    expect(meshEyesAndNose(keypoints.slice(0, 468)).rightEye.x).toBeCloseTo(
      [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246].reduce((a, b) => a + b) /
        16,
    );
  });

  it('computes NME normalised by the outer eye corners', () => {
    const truth = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 0 }));
    truth[36] = { x: 0, y: 0 };
    truth[45] = { x: 100, y: 0 };
    const pred = truth.map((p) => ({ x: p.x + 10, y: p.y }));
    const e = nme68(pred, truth);
    close(e.all, 0.1);
    close(e.inner, 0.1);
  });
});

describe('options', () => {
  it('fills defaults and rejects unknown or out-of-range values', () => {
    expect(parseOptions(faceLandmarkerOptionsSchema, undefined, 'x')).toEqual({
      minDetectionConfidence: 0.2,
      minPresenceConfidence: 0.5,
      refineLandmarks: false,
      smallFaces: true,
      precision: 'fp32',
      engine: 'auto',
    });
    expect(() => parseOptions(faceLandmarkerOptionsSchema, { precision: 'int4' }, 'x')).toThrow(/fp32.*int8/);
    expect(() => parseOptions(faceLandmarkerOptionsSchema, { maxFaces: 0 }, 'x')).toThrow(OptionsError);
    expect(parseOptions(faceLandmarkerOptionsSchema, { maxFaces: 500 }, 'x').maxFaces).toBe(500);
    expect(() => parseOptions(faceLandmarkerOptionsSchema, { numFaces: 2 }, 'x')).toThrow(OptionsError);
    expect(() => parseOptions(detectFaceLandmarksOptionsSchema, { minPresenceConfidence: 2 }, 'x')).toThrow(
      OptionsError,
    );
  });
});

describe('suppressNestedFaces', () => {
  it('drops a face lying inside a better one and keeps separate faces', () => {
    const face = (x: number, w: number, detectionScore: number) => ({
      box: { x, y: 0, width: w, height: w },
      score: 1,
      detectionScore,
    });
    const whole = face(0, 100, 0.9);
    const part = face(20, 50, 0.2);
    const other = face(300, 80, 0.5);
    expect(suppressNestedFaces([part, whole, other])).toEqual([whole, other]);
    expect(suppressNestedFaces([face(0, 100, 0.9), face(90, 100, 0.8)])).toHaveLength(2);
  });
});
