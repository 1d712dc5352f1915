// The live gate with a stub detection function (plumbing: no model): frames given while one is in
// flight are dropped and counted, never queued; timestamps must increase; IDs come from the tracker;
// abort and close.
import { AbortedError, DisposedError, InputError, OptionsError } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { createLiveDetector } from './live-detector.js';

type Box = { x: number; y: number; width: number; height: number };
const box = (x: number): Box => ({ x, y: 50, width: 60, height: 60 });

/** A detection function whose calls finish only when the test says so. */
function stub() {
  const pending: { frame: number; resolve: (v: { box: Box }[]) => void; reject: (e: unknown) => void }[] = [];
  let calls = 0;
  const detect = (frame: number, { signal }: { signal: AbortSignal }) =>
    new Promise<{ box: Box }[]>((resolve, reject) => {
      calls++;
      const call = { frame, resolve, reject };
      pending.push(call);
      signal.addEventListener(
        'abort',
        () => {
          pending.splice(pending.indexOf(call), 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  return {
    detect,
    pending,
    get calls() {
      return calls;
    },
    /** Finishes the oldest call with one box at x = 10 * frame. */
    finish() {
      const p = pending.shift()!;
      p.resolve([{ box: box(10 * p.frame) }]);
    },
  };
}

describe('createLiveDetector', { timeout: 5000 }, () => {
  it('drops frames while one is in flight, resolves them to null at once, and counts them', async () => {
    const s = stub();
    const live = createLiveDetector(s.detect);
    const first = live.detect(0, 0);
    expect(live.busy).toBe(true);
    // Four more frames while frame 0 is in flight: each resolves to null now, none reaches the stub.
    for (let i = 1; i <= 4; i++) expect(await live.detect(i, i * 33)).toBeNull();
    expect(s.calls).toBe(1);
    s.finish();
    const r0 = await first;
    // Frame 0's result was running while they were dropped: they are counted in the next result.
    expect(r0).toMatchObject({ timestampMs: 0, dropped: 4 });
    expect(live.busy).toBe(false);
    const second = live.detect(5, 5 * 33);
    s.finish();
    expect(await second).toMatchObject({ timestampMs: 165, dropped: 0 });
    expect(s.calls).toBe(2);
    expect({ processed: live.processed, dropped: live.dropped }).toEqual({ processed: 2, dropped: 4 });
  });

  it('never queues: at most one call reaches the function however fast frames come', async () => {
    const s = stub();
    const live = createLiveDetector(s.detect);
    let maxInFlight = 0;
    const results: (unknown | null)[] = [];
    for (let i = 0; i < 300; i++) {
      results.push(live.detect(i, i * 33));
      maxInFlight = Math.max(maxInFlight, s.pending.length);
      if (i % 10 === 9) s.finish(); // the model takes 10 frames' time
      await Promise.resolve();
    }
    expect(maxInFlight).toBe(1);
    const done = (await Promise.all(results.slice(0, 290))).filter((r) => r !== null);
    expect(done).toHaveLength(29);
    expect(live.processed + live.dropped + s.pending.length).toBe(300);
  });

  it('gives the detections track IDs that stay the same across processed frames', async () => {
    const s = stub();
    const live = createLiveDetector(s.detect);
    const ids = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const r = live.detect(i, i * 33);
      s.finish();
      for (const item of (await r)!.items) ids.add(item.trackId);
    }
    expect([...ids]).toEqual([1]);
    expect(live.idsIssued).toBe(1);
  });

  it('refuses timestamps that do not increase, dropped frames included (InputError)', async () => {
    const s = stub();
    const live = createLiveDetector(s.detect);
    const first = live.detect(0, 100);
    await expect(live.detect(1, 100)).rejects.toThrow(InputError); // equal
    await expect(live.detect(1, 50)).rejects.toThrow(/timestamps must increase/);
    await expect(live.detect(1, Number.NaN)).rejects.toThrow(/finite number/);
    expect(await live.detect(1, 133)).toBeNull(); // later: dropped (frame 0 is in flight)
    s.finish();
    await first;
    live.reset(); // a new video starts again from 0
    const again = live.detect(2, 0);
    s.finish();
    expect(await again).toMatchObject({ timestampMs: 0 });
  });

  it('an aborted frame rejects with AbortedError, counts as dropped and frees the gate', async () => {
    const s = stub();
    const live = createLiveDetector(s.detect);
    const controller = new AbortController();
    const first = live.detect(0, 0, { signal: controller.signal });
    controller.abort();
    await expect(first).rejects.toThrow(AbortedError);
    expect(live.busy).toBe(false);
    await expect(live.detect(1, 10, { signal: AbortSignal.abort() })).rejects.toThrow(AbortedError);
    const next = live.detect(2, 20);
    s.finish();
    expect(await next).toMatchObject({ dropped: 2 });
  });

  it('close() rejects the frame in flight and later calls with DisposedError, and calls onClose once', async () => {
    const s = stub();
    let closed = 0;
    const live = createLiveDetector(s.detect, { onClose: () => closed++ });
    const inFlight = live.detect(0, 0);
    live.close();
    live[Symbol.dispose]();
    await expect(inFlight).rejects.toThrow(DisposedError);
    await expect(live.detect(1, 33)).rejects.toThrow(DisposedError);
    expect(closed).toBe(1);
  });

  it('bad tracking options and call options are OptionsErrors; a non-function is an InputError', async () => {
    expect(() => createLiveDetector(stub().detect, { tracking: { iouThreshold: -1 } })).toThrow(OptionsError);
    expect(() => createLiveDetector('detect' as never)).toThrow(InputError);
    const live = createLiveDetector(stub().detect);
    await expect(live.detect(0, 0, { signal: 'no' as never })).rejects.toThrow(OptionsError);
  });
});
