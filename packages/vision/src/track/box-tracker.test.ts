// The tracker behind the live-mode detectors, on synthetic frame sequences.
import { InputError, OptionsError } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { createBoxTracker } from './box-tracker.js';

type Box = { x: number; y: number; width: number; height: number };

const box = (x: number, y: number, width = 80, height = 60): Box => ({ x, y, width, height });

describe('createBoxTracker', () => {
  it('keeps the IDs of objects that move, frame after frame', () => {
    const tracker = createBoxTracker();
    const ids: number[][] = [];
    for (let i = 0; i < 60; i++) {
      const t = i * 33;
      const out = tracker.update(
        [
          { label: 'person', box: box(10 + 4 * i, 100) },
          { label: 'cup', box: box(400 - 3 * i, 50 + i, 40, 40) },
        ],
        t,
      );
      ids.push(out.map((o) => o.trackId));
    }
    expect(new Set(ids.map((p) => p.join(','))).size).toBe(1);
    expect(tracker.idsIssued).toBe(2);
  });

  it('follows fast motion that leaves no overlap between frames (prediction, centre distance)', () => {
    const tracker = createBoxTracker();
    const seen = new Set<number>();
    // 30 px a frame for a 40 px wide box: consecutive boxes barely overlap.
    for (let i = 0; i < 20; i++) {
      for (const o of tracker.update([{ label: 'car', box: box(30 * i, 200, 40, 30) }], i * 33))
        seen.add(o.trackId);
    }
    expect([...seen]).toEqual([1]);
  });

  it('an ID survives a short miss and ends after a long one', () => {
    const tracker = createBoxTracker({ maxMisses: 3 });
    const first = tracker.update([{ label: 'face', box: box(100, 100) }], 0)[0]!.trackId;
    for (let i = 1; i <= 3; i++) tracker.update([], i * 33); // missed for 3 frames
    const again = tracker.update([{ label: 'face', box: box(104, 100) }], 4 * 33)[0]!.trackId;
    expect(again).toBe(first);
    for (let i = 5; i <= 9; i++) tracker.update([], i * 33); // 5 frames: longer than maxMisses
    const later = tracker.update([{ label: 'face', box: box(104, 100) }], 10 * 33)[0]!.trackId;
    expect(later).not.toBe(first);
    expect(tracker.idsIssued).toBe(2); // never reused
  });

  it('a miss that lasts longer than maxAgeMs ends the track even within maxMisses', () => {
    const tracker = createBoxTracker({ maxMisses: 10, maxAgeMs: 500 });
    const a = tracker.update([{ box: box(0, 0) }], 0)[0]!.trackId;
    tracker.update([], 400);
    const b = tracker.update([{ box: box(0, 0) }], 900)[0]!.trackId;
    expect(b).not.toBe(a);
  });

  it('a slow frame rate is not a miss: 2 s between frames keeps the ID', () => {
    const tracker = createBoxTracker({ maxAgeMs: 1500 });
    const ids = new Set<number>();
    for (let i = 0; i < 10; i++)
      for (const o of tracker.update([{ box: box(100 + 20 * i, 100) }], i * 2000)) ids.add(o.trackId);
    expect([...ids]).toEqual([1]);
  });

  it('objects of different labels crossing each other do not swap IDs', () => {
    const tracker = createBoxTracker();
    let dog = 0;
    let cat = 0;
    for (let i = 0; i <= 20; i++) {
      const out = tracker.update(
        [
          { label: 'dog', box: box(10 * i, 100) },
          { label: 'cat', box: box(200 - 10 * i, 100) },
        ],
        i * 33,
      );
      if (i === 0) [dog, cat] = out.map((o) => o.trackId) as [number, number];
      expect(out.map((o) => o.trackId)).toEqual([dog, cat]);
    }
  });

  it('two objects of the same label side by side keep their own IDs as they jitter', () => {
    const tracker = createBoxTracker();
    const jitter = (i: number) => (i % 2 ? 3 : -3);
    const first = tracker.update(
      [
        { label: 'person', box: box(100, 100) },
        { label: 'person', box: box(200, 100) },
      ],
      0,
    );
    for (let i = 1; i < 30; i++) {
      const out = tracker.update(
        // Listed in the other order every other frame: matching is by position, not by order.
        i % 2
          ? [
              { label: 'person', box: box(200 + jitter(i), 100) },
              { label: 'person', box: box(100 - jitter(i), 100) },
            ]
          : [
              { label: 'person', box: box(100 + jitter(i), 100) },
              { label: 'person', box: box(200 - jitter(i), 100) },
            ],
        i * 33,
      );
      const left = out.find((o) => o.box.x < 150)!;
      expect(left.trackId).toBe(first[0]!.trackId);
    }
    expect(tracker.idsIssued).toBe(2);
  });

  it('a new object gets a new ID; reset() forgets tracks but never reuses an ID', () => {
    const tracker = createBoxTracker();
    const [a] = tracker.update([{ box: box(0, 0) }], 0);
    const out = tracker.update([{ box: box(2, 0) }, { box: box(300, 300) }], 33);
    expect(out.map((o) => o.trackId)).toEqual([a!.trackId, 2]);
    expect(out[0]!.trackHits).toBe(2);
    tracker.reset();
    expect(tracker.update([{ box: box(2, 0) }], 66)[0]!.trackId).toBe(3);
  });

  it('refuses timestamps that go backwards (InputError) and bad options (OptionsError)', () => {
    const tracker = createBoxTracker();
    tracker.update([{ box: box(0, 0) }], 100);
    tracker.update([{ box: box(0, 0) }], 100); // the same time again is allowed
    expect(() => tracker.update([{ box: box(0, 0) }], 99)).toThrow(InputError);
    expect(() => tracker.update([{ box: box(0, 0) }], Number.NaN)).toThrow(/finite number/);
    tracker.reset(); // a new video may start again from 0
    expect(tracker.update([{ box: box(0, 0) }], 0)).toHaveLength(1);
    expect(() => createBoxTracker({ iouThreshold: 2 })).toThrow(OptionsError);
    expect(() => createBoxTracker({ maxMisses: -1 })).toThrow(/maxMisses/);
    expect(() => createBoxTracker({ maxAge: 5 } as never)).toThrow(OptionsError);
  });
});
