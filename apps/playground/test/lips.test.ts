// The lipstick showcase's lip rings (src/showcase/lips.ts), from the face mesh's public topology.
import { FACE_LANDMARK_CONNECTIONS } from '@ondevice/vision';
import { describe, expect, it } from 'vitest';
import { lipsOf, rings } from '../src/showcase/lips.js';

describe('lip rings', () => {
  it('the lips edges make two closed rings of 20 landmarks: the outer edge and the mouth opening', () => {
    const found = rings(FACE_LANDMARK_CONNECTIONS.lips);
    expect(found).toHaveLength(2);
    for (const r of found) {
      expect(r).toHaveLength(20);
      expect(new Set(r).size).toBe(20);
    }
    // MediaPipe's mesh: 0 and 17 are the middle of the outer edge (top, bottom), 13 and 14 of the opening.
    const outer = found.find((r) => r.includes(0))!;
    const inner = found.find((r) => r.includes(13))!;
    expect(outer).toEqual(expect.arrayContaining([0, 17, 61, 291]));
    expect(inner).toEqual(expect.arrayContaining([13, 14, 78, 308]));
    // Consecutive landmarks of a ring are joined by an edge (it is a walk, not a set).
    const edges = new Set(
      FACE_LANDMARK_CONNECTIONS.lips.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    );
    for (const r of found)
      for (let i = 0; i < r.length; i++) {
        const a = r[i]!;
        const b = r[(i + 1) % r.length]!;
        expect(edges.has(`${Math.min(a, b)}-${Math.max(a, b)}`), `${a}-${b}`).toBe(true);
      }
  });

  it('lipsOf puts the larger ring first, whatever the order of the rings', () => {
    const keypoints = Array.from({ length: 478 }, () => ({ x: 0, y: 0 }));
    // A big square for ring A, a small one for ring B.
    const A = [1, 2, 3, 4];
    const B = [5, 6, 7, 8];
    [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ].forEach(([x, y], i) => {
      Object.assign(keypoints[A[i]!]!, { x, y });
    });
    [
      [4, 4],
      [6, 4],
      [6, 6],
      [4, 6],
    ].forEach(([x, y], i) => {
      Object.assign(keypoints[B[i]!]!, { x, y });
    });
    expect(lipsOf(keypoints, [B, A]).outer).toHaveLength(4);
    expect(lipsOf(keypoints, [B, A]).outer[1]).toEqual({ x: 10, y: 0 });
    expect(lipsOf(keypoints, [A, B]).inner[0]).toEqual({ x: 4, y: 4 });
  });
});
