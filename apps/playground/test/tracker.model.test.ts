// @ondevice/vision's live mode on real frames, in Node: the live pages' test clip (a camera pan
// there and back over a bundled COCO photo, public/samples/faces/000000009483.jpg, CC BY 2.0;
// scripts/make-clip.mjs), through createObjectDetectorForVideo and createFaceLandmarkerForVideo
// with the real weights.
// 1. Every 6th frame (5 fps, about what the live pages process), each awaited: tracking-ID changes
//    for the objects and the face (an extra ID for an object already tracked is one change).
// 2. The clip given in real time (30 fps, never awaited): frames the busy detector dropped vs
//    processed, and the IDs still stable on the sparser frames that got through.
import { decodeImage, type ImagePixels } from '@ondevice/core';
import {
  createFaceLandmarkerForVideo,
  createObjectDetectorForVideo,
  type TrackedObject,
  type VideoObjectsResult,
} from '@ondevice/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIP, frameAt } from '../scripts/make-clip.mjs';

const LOOP = 2 * CLIP.fps * CLIP.seconds; // 180 frames, 6 s: there and back
const msOf = (i: number) => (i * 1000) / CLIP.fps;

/**
 * ID changes in a run: per label, the IDs handed out beyond the most objects of that label seen in
 * one frame (two people in view all along and three IDs for them is one change).
 */
function idChanges(frames: TrackedObject[][]): { changes: number; byLabel: Record<string, number[]> } {
  const ids = new Map<string, Set<number>>();
  const most = new Map<string, number>();
  for (const objects of frames) {
    const here = new Map<string, number>();
    for (const o of objects) {
      ids.set(o.label, (ids.get(o.label) ?? new Set()).add(o.trackId));
      here.set(o.label, (here.get(o.label) ?? 0) + 1);
    }
    for (const [label, n] of here) most.set(label, Math.max(most.get(label) ?? 0, n));
  }
  let changes = 0;
  for (const [label, set] of ids) changes += set.size - most.get(label)!;
  return { changes, byLabel: Object.fromEntries([...ids].map(([l, s]) => [l, [...s]])) };
}

/** The man is the tallest person (the other is his reflection in the window). */
const manId = (objects: TrackedObject[]) =>
  objects.filter((o) => o.label === 'person').sort((a, b) => b.box.height - a.box.height)[0]?.trackId;

let photo: ImagePixels;
let loop: ReturnType<typeof frameAt>[];
beforeAll(async () => {
  photo = await decodeImage(CLIP.photo);
  loop = Array.from({ length: LOOP }, (_, i) => frameAt(photo, i));
});

describe('live mode on the test clip (Node, real weights)', () => {
  it('objects and the face keep their tracking IDs through the pan and back (every 6th frame)', async () => {
    using detector = await createObjectDetectorForVideo({ scoreThreshold: 0.4 });
    using landmarker = await createFaceLandmarkerForVideo();
    const frames: TrackedObject[][] = [];
    const men = new Set<number>();
    const faces = new Set<number>();
    for (let i = 0; i < LOOP; i += 6) {
      const r = (await detector.detect(loop[i]!, msOf(i)))!;
      expect(r.dropped).toBe(0); // each call awaited: nothing is dropped
      frames.push(r.objects);
      const man = manId(r.objects);
      if (man !== undefined) men.add(man);
      for (const f of (await landmarker.detect(loop[i]!, msOf(i)))!.faces) faces.add(f.trackId);
    }
    const objects = idChanges(frames);
    console.log(
      `[live] ${frames.length} frames, every 6th: object ID changes ${objects.changes} ` +
        `(${JSON.stringify(objects.byLabel)}), man's IDs ${[...men]}, face IDs ${[...faces]} ` +
        `(face ID changes ${faces.size - 1}); IDs issued ${detector.idsIssued} objects, ${landmarker.idsIssued} faces`,
    );
    expect(frames.filter((f) => manId(f) !== undefined).length).toBeGreaterThanOrEqual(frames.length - 2);
    expect(men.size).toBe(1);
    expect(faces.size).toBe(1);
    expect(objects.changes).toBe(0);
  }, 90_000);

  it('given the clip in real time, a busy detector drops frames (never queues) and keeps the IDs', async () => {
    for (const kind of ['objects', 'faces'] as const) {
      using live =
        kind === 'objects'
          ? await createObjectDetectorForVideo({ scoreThreshold: 0.4 })
          : await createFaceLandmarkerForVideo();
      const calls: Promise<unknown>[] = [];
      const t0 = performance.now();
      // 30 fps: frame i is given at t0 + i * 33 ms, whether or not the detector is done.
      for (let i = 0; i < LOOP; i++) {
        const wait = t0 + msOf(i) - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        calls.push(live.detect(loop[i]!, msOf(i)));
      }
      const given = performance.now() - t0;
      const results = await Promise.all(calls);
      const drained = performance.now() - t0 - given;
      const done = results.filter((r) => r !== null) as { dropped: number }[];
      const nulls = results.length - done.length;
      const ids = new Set<number>();
      const frames: TrackedObject[][] = [];
      for (const r of done) {
        if (kind === 'objects') {
          frames.push((r as VideoObjectsResult).objects);
          const man = manId((r as VideoObjectsResult).objects);
          if (man !== undefined) ids.add(man);
        } else for (const f of (r as unknown as { faces: { trackId: number }[] }).faces) ids.add(f.trackId);
      }
      const tally = kind === 'objects' ? idChanges(frames) : undefined;
      const changes = tally ? tally.changes : ids.size - 1;
      console.log(
        `[live] ${kind} in real time (${live.runtime}): ${LOOP} frames given in ${(given / 1000).toFixed(1)} s, ${live.processed} processed, ` +
          `${live.dropped} dropped (${nulls} resolved null at once), last result ${drained.toFixed(0)} ms after the last frame; ` +
          `${kind === 'objects' ? "man's" : 'face'} IDs ${[...ids]}, ID changes ${changes}${tally ? ` ${JSON.stringify(tally.byLabel)}` : ''}`,
      );
      // Every frame is either processed or dropped; the drops are the calls that resolved to null,
      // and each result's `dropped` adds up to them.
      expect(live.processed + live.dropped).toBe(LOOP);
      expect(live.processed).toBe(done.length);
      expect(nulls).toBe(live.dropped);
      expect(done.reduce((n, r) => n + r.dropped, 0)).toBe(live.dropped);
      // The detector is slower than 33 ms a frame here, so it drops; and it never queues: the last
      // call settles within one inference of the last frame, not after a backlog.
      // CenterNet (~100 ms a frame natively here) is always slower than 33 ms, so objects must
      // drop; the face landmarker can keep up on a quiet machine (a clean-clone run processed all
      // 180 frames, 0 dropped), so for faces the gate is held by the counts above and the drain.
      if (kind === 'objects') expect(live.dropped).toBeGreaterThan(0);
      expect(drained).toBeLessThan(2000);
      expect(ids.size).toBe(1);
      // Which frames get processed depends on how fast the machine is at that moment: on a quiet
      // one more are, and a low-scoring object (the mouse, the TV) flickers over more processed
      // frames. With the tracker's old maxMisses default of 5 frames that gave the mouse 3 IDs and
      // the TV 2 (65-76 of 180 frames processed); with 30, maxAgeMs ends a missed track at any
      // frame rate and the run gave 0. One change is allowed for the noise of which frames run.
      if (kind === 'faces') expect(changes).toBe(0);
      else expect(changes).toBeLessThanOrEqual(1);
    }
  }, 90_000);
});
