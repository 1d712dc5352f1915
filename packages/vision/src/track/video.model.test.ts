// The live-mode factories on real weights, in Node, on a short pan over a COCO photo (the shared
// dataset's faces/images/000000009483.jpg, CC BY 2.0; the playground's clip is made from the same
// photo): results carry trackId, a busy detector drops, timestamps must increase, close() frees.
// The tracking-ID counts on the whole clip are in apps/playground/test/tracker.model.test.ts.
import { DisposedError, decodeImage, type ImagePixels, InputError, type RawPixels } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFaceLandmarkerForVideo } from './video-face-landmarker.js';
import { createObjectDetectorForVideo } from './video-object-detector.js';

/** A 480x360 window of the photo, `dx` pixels to the right (a camera panning). */
function crop(img: ImagePixels, dx: number): RawPixels {
  const width = 480;
  const height = 360;
  const out = new Uint8Array(width * height * 3);
  const src = img.data;
  for (let y = 0; y < height; y++)
    out.set(src.subarray((y * img.width + dx) * 3, (y * img.width + dx + width) * 3), y * width * 3);
  return { data: out, width, height };
}

let frames: RawPixels[];
beforeAll(async () => {
  const photo = await decodeImage(datasetPath('faces', 'images', '000000009483.jpg'));
  frames = Array.from({ length: 6 }, (_, i) => crop(photo, 8 * i));
});

describe('live-mode factories (real weights)', () => {
  it('objects: trackId stays, a frame given while busy resolves to null, timestamps must increase', async () => {
    const detector = await createObjectDetectorForVideo({ scoreThreshold: 0.4 });
    const man = new Set<number>();
    for (const [i, frame] of frames.entries()) {
      const r = (await detector.detect(frame, i * 100))!;
      const tallest = r.objects
        .filter((o) => o.label === 'person')
        .sort((a, b) => b.box.height - a.box.height)[0];
      expect(tallest).toBeDefined();
      man.add(tallest!.trackId);
    }
    expect([...man]).toHaveLength(1);
    const inFlight = detector.detect(frames[0]!, 1000);
    expect(await detector.detect(frames[1]!, 1033)).toBeNull();
    // The drop happened while frame 1000 ran: its result, the next one, counts it.
    expect(await inFlight).toMatchObject({ timestampMs: 1000, dropped: 1 });
    expect((await detector.detect(frames[2]!, 1066))!.dropped).toBe(0);
    await expect(detector.detect(frames[2]!, 1066)).rejects.toThrow(InputError);
    detector.close();
    await expect(detector.detect(frames[3]!, 2000)).rejects.toThrow(DisposedError);
  });

  it('faces: one face, one trackId across the pan', async () => {
    using landmarker = await createFaceLandmarkerForVideo();
    const ids = new Set<number>();
    for (const [i, frame] of frames.entries())
      for (const f of (await landmarker.detect(frame, i * 100))!.faces) ids.add(f.trackId);
    expect([...ids]).toEqual([1]);
    expect(landmarker.processed).toBe(frames.length);
  });
});
