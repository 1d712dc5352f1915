// The tracker on real detections, in Node: the live pages' test clip (a camera pan over a bundled
// COCO photo, scripts/make-clip.mjs), every 6th frame (5 fps, about what the live pages process),
// through @ondevice/vision's detector and face landmarker. The man and his face keep one ID each.
import { decodeImage } from '@ondevice/core';
import { createFaceLandmarker, createObjectDetector } from '@ondevice/vision';
import { describe, expect, it } from 'vitest';
import { CLIP, frameAt } from '../scripts/make-clip.mjs';
import { BoxTracker } from '../src/live/tracker.js';

const STEP = 6;
const FRAMES = Array.from({ length: (2 * CLIP.fps * CLIP.seconds) / STEP }, (_, k) => k * STEP);

describe('tracking on the test clip (Node)', () => {
  it('the man and his face keep their IDs through the pan and back', async () => {
    const photo = await decodeImage(CLIP.photo);
    const detector = await createObjectDetector();
    const landmarker = await createFaceLandmarker();
    const objects = new BoxTracker();
    const faces = new BoxTracker();
    const personIds = new Set<number>();
    const faceIds = new Set<number>();
    const idsByLabel = new Map<string, Set<number>>();
    try {
      for (const i of FRAMES) {
        const frame = frameAt(photo, i);
        const t = (i * 1000) / CLIP.fps;
        const found = objects.update(await detector.detect(frame, { scoreThreshold: 0.4 }), t);
        // The man is the largest person (the other is his reflection in the window).
        const people = found.filter((o) => o.label === 'person').sort((a, b) => b.box.height - a.box.height);
        if (people[0]) personIds.add(people[0].trackId);
        for (const o of found) idsByLabel.set(o.label, (idsByLabel.get(o.label) ?? new Set()).add(o.trackId));
        const { faces: fs } = await landmarker.detect(frame);
        for (const f of faces.update(fs, t)) faceIds.add(f.trackId);
      }
    } finally {
      detector.dispose();
      landmarker.dispose();
    }
    console.log(
      `[tracker] ${FRAMES.length} frames: person IDs ${[...personIds]}, face IDs ${[...faceIds]}, ` +
        `object IDs by label ${JSON.stringify(Object.fromEntries([...idsByLabel].map(([l, ids]) => [l, [...ids]])))}`,
    );
    expect(personIds.size).toBe(1);
    expect(faceIds.size).toBe(1);
    // No ID changes for any object: one ID per object (two people: the man and his reflection).
    for (const [label, ids] of idsByLabel)
      expect(ids.size, label).toBeLessThanOrEqual(label === 'person' ? 2 : 1);
  }, 120_000);
});
