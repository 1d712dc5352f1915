import { describe, expect, it } from 'vitest';
import { delaunay } from './delaunay.js';

describe('delaunay', () => {
  it('triangulates a square with a centre point into 4 triangles', () => {
    const tris = delaunay([
      { x: 0, y: 0 },
      { x: 2, y: 0 },
      { x: 2, y: 2 },
      { x: 0, y: 2 },
      { x: 1, y: 1 },
    ]);
    expect(tris).toHaveLength(4);
    for (const t of tris) expect(t).toContain(4);
  });

  it('gives 2n − 2 − h triangles and no point inside any circumcircle on a random set', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const pts = Array.from({ length: 60 }, () => ({ x: rnd() * 100, y: rnd() * 100 }));
    const tris = delaunay(pts);
    for (const [a, b, c] of tris) {
      const A = pts[a]!;
      const B = pts[b]!;
      const C = pts[c]!;
      const d = 2 * (A.x * (B.y - C.y) + B.x * (C.y - A.y) + C.x * (A.y - B.y));
      const s = (p: { x: number; y: number }) => p.x * p.x + p.y * p.y;
      const cx = (s(A) * (B.y - C.y) + s(B) * (C.y - A.y) + s(C) * (A.y - B.y)) / d;
      const cy = (s(A) * (C.x - B.x) + s(B) * (A.x - C.x) + s(C) * (B.x - A.x)) / d;
      const r2 = (A.x - cx) ** 2 + (A.y - cy) ** 2;
      for (const p of pts) expect((p.x - cx) ** 2 + (p.y - cy) ** 2).toBeGreaterThan(r2 * (1 - 1e-9));
    }
    expect(tris.length).toBeGreaterThan(100);
    expect(tris.length).toBeLessThanOrEqual(2 * 60 - 5);
  });
});
