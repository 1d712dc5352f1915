// The lips region of the face mesh as two closed rings (the outer edge of the lips and the mouth
// opening), rebuilt from the public FACE_LANDMARK_CONNECTIONS.lips edges, for filling with the
// even-odd rule: the lips are coloured, the open mouth is not.

/**
 * Splits an edge list into its closed loops (each a list of landmark indices in order).
 *
 * @example
 * ```ts
 * const [a, b] = rings(FACE_LANDMARK_CONNECTIONS.lips); // outer edge and mouth opening, 20 points each
 * ```
 */
export function rings(edges: readonly (readonly [number, number])[]): number[][] {
  const next = new Map<number, number[]>();
  for (const [a, b] of edges) {
    next.set(a, [...(next.get(a) ?? []), b]);
    next.set(b, [...(next.get(b) ?? []), a]);
  }
  const seen = new Set<number>();
  const out: number[][] = [];
  for (const start of next.keys()) {
    if (seen.has(start)) continue;
    const ring = [start];
    seen.add(start);
    let prev = -1;
    let at = start;
    for (;;) {
      const step = (next.get(at) ?? []).find(
        (n) => n !== prev && (!seen.has(n) || (n === start && ring.length > 2)),
      );
      if (step === undefined || step === start) break;
      ring.push(step);
      seen.add(step);
      prev = at;
      at = step;
    }
    out.push(ring);
  }
  return out;
}

/** Twice the signed area of a polygon (absolute value: its size). */
function area(points: readonly { x: number; y: number }[]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const q = points[(i + 1) % points.length]!;
    s += p.x * q.y - q.x * p.y;
  }
  return Math.abs(s);
}

/**
 * The lips of one face: the outer ring and the mouth opening, as points, the larger ring first.
 *
 * @example
 * ```ts
 * const { outer, inner } = lipsOf(face.keypoints, LIP_RINGS);
 * ```
 */
export function lipsOf<P extends { x: number; y: number }>(
  keypoints: readonly P[],
  lipRings: readonly number[][],
): { outer: P[]; inner: P[] } {
  const polys = lipRings
    .map((r) => r.map((i) => keypoints[i]!).filter(Boolean))
    .sort((a, b) => area(b) - area(a));
  return { outer: polys[0] ?? [], inner: polys[1] ?? [] };
}

/**
 * Paints lipstick: the lips filled with `color` (even-odd, so the open mouth stays clear), edges
 * softened by a blur of `soften` picture pixels. The canvas is laid over the video with CSS
 * `mix-blend-mode: multiply`, so the skin's own shading and highlights show through the colour.
 *
 * @example
 * ```ts
 * paintLips(ctx, lipsOf(face.keypoints, rings(FACE_LANDMARK_CONNECTIONS.lips)), '#c2185b', 1.5);
 * ```
 */
export function paintLips(
  ctx: CanvasRenderingContext2D,
  lips: { outer: readonly { x: number; y: number }[]; inner: readonly { x: number; y: number }[] },
  color: string,
  soften: number,
): void {
  if (lips.outer.length < 3) return;
  ctx.save();
  ctx.filter = `blur(${soften}px)`;
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.75;
  ctx.beginPath();
  for (const ring of [lips.outer, lips.inner]) {
    for (const [i, p] of ring.entries()) {
      if (i) ctx.lineTo(p.x, p.y);
      else ctx.moveTo(p.x, p.y);
    }
    ctx.closePath();
  }
  ctx.fill('evenodd');
  ctx.restore();
}
