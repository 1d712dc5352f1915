import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Point } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delaunay } from './delaunay.js';
import { createFaceLandmarker, type FaceLandmarker } from './detect-face-landmarks.js';
import { FACE_TESSELLATION, FACE_TESSELLATION_TRIANGLES } from './tessellation.js';
import { FACE_LANDMARK_REGIONS } from './topology.js';

const INNER_LIPS = [
  78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 95, 88, 178, 87, 14, 317, 402, 318, 324,
];
const HOLES = [FACE_LANDMARK_REGIONS.leftEye, FACE_LANDMARK_REGIONS.rightEye, INNER_LIPS].map(
  (h) => new Set(h),
);

/** Rotates 3-D landmarks to face the camera (principal axes) and returns their 2-D layout. */
function frontalLayout(points: readonly { x: number; y: number; z?: number }[]): Point[] {
  const P = points.map((p) => [p.x, p.y, p.z ?? 0]);
  const mean = [0, 1, 2].map((k) => P.reduce((s, p) => s + p[k]!, 0) / P.length);
  const Q = P.map((p) => p.map((v, k) => v - mean[k]!));
  const C = [0, 1, 2].map((i) => [0, 1, 2].map((j) => Q.reduce((s, p) => s + p[i]! * p[j]!, 0) / Q.length));
  const mul = (M: number[][], v: number[]) => M.map((r) => r[0]! * v[0]! + r[1]! * v[1]! + r[2]! * v[2]!);
  const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
  let v1 = [1, 0.3, 0.1];
  for (let i = 0; i < 200; i++) v1 = unit(mul(C, v1));
  const l1 = mul(C, v1).reduce((s, x, i) => s + x * v1[i]!, 0);
  const C2 = C.map((r, i) => r.map((x, j) => x - l1 * v1[i]! * v1[j]!));
  let v2 = [0.2, 1, 0.1];
  for (let i = 0; i < 200; i++) v2 = unit(mul(C2, v2));
  const dot = (p: number[], v: number[]) => p[0]! * v[0]! + p[1]! * v[1]! + p[2]! * v[2]!;
  return Q.map((p) => ({ x: dot(p, v1), y: dot(p, v2) }));
}

/** Delaunay over the frontal layout, minus the eye and mouth openings and long slivers along the face oval. */
function tessellate(layout: Point[]): [number, number, number][] {
  const len = (a: number, b: number) => Math.hypot(layout[a]!.x - layout[b]!.x, layout[a]!.y - layout[b]!.y);
  let tris = delaunay(layout).filter((t) => !HOLES.some((h) => t.every((i) => h.has(i))));
  const lens = tris.flatMap(([a, b, c]) => [len(a, b), len(b, c), len(c, a)]).sort((x, y) => x - y);
  const median = lens[lens.length >> 1]!;
  const oval = new Set(FACE_LANDMARK_REGIONS.faceOval);
  tris = tris.filter(
    ([a, b, c]) =>
      !([a, b, c].every((i) => oval.has(i)) && Math.max(len(a, b), len(b, c), len(c, a)) > 4 * median),
  );
  return tris
    .map((t) => [...t].sort((x, y) => x - y) as [number, number, number])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
}

let landmarker: FaceLandmarker;
let keypoints: { x: number; y: number; z?: number }[];
let width: number;
beforeAll(async () => {
  landmarker = await createFaceLandmarker();
  const { faces } = await landmarker.detect(datasetPath('faces', 'images', '000000162415.jpg'));
  keypoints = faces[0]!.keypoints;
  width = faces[0]!.box.width;
});
afterAll(() => landmarker?.dispose());

describe('face tessellation', () => {
  it.runIf(process.env.REGENERATE_FACE_TESSELLATION === '1')('regenerates tessellation.ts', async () => {
    const tris = tessellate(frontalLayout(keypoints.slice(0, 468)));
    const path = fileURLToPath(new URL('./tessellation.ts', import.meta.url));
    const { readFileSync } = await import('node:fs');
    const src = readFileSync(path, 'utf8');
    const rows: string[] = [];
    const flat = tris.flat();
    for (let i = 0; i < flat.length; i += 24) rows.push(`  ${flat.slice(i, i + 24).join(', ')},`);
    const start = src.indexOf('= [\n') + 4;
    const end = src.indexOf('\n];', start);
    writeFileSync(path, src.slice(0, start) + rows.join('\n') + src.slice(end));
  });

  it('covers all 468 landmarks with short edges and leaves the eyes and mouth open', () => {
    expect(FACE_TESSELLATION_TRIANGLES.length % 3).toBe(0);
    const used = new Set(FACE_TESSELLATION_TRIANGLES);
    expect(used.size).toBe(468);
    expect(Math.max(...used)).toBe(467);
    expect(FACE_TESSELLATION.length).toBeGreaterThan(1200);
    for (const [a, b] of FACE_TESSELLATION) {
      const d = Math.hypot(keypoints[a]!.x - keypoints[b]!.x, keypoints[a]!.y - keypoints[b]!.y);
      expect(d / width, `${a}-${b}`).toBeLessThan(0.25);
    }
    for (let i = 0; i < FACE_TESSELLATION_TRIANGLES.length; i += 3) {
      const t = FACE_TESSELLATION_TRIANGLES.slice(i, i + 3);
      expect(HOLES.some((h) => t.every((v) => h.has(v)))).toBe(false);
    }
  });
});
