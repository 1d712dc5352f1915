// Live mode for video, shared by every task that has one: one frame in flight at a time, frames
// that arrive meanwhile dropped (never queued) and counted, timestamps checked, results tracked.
// Like ML Kit's stream mode, and shaped like MediaPipe's `detectForVideo(frame, timestampMs)`,
// but asynchronous: a call that finds the detector busy resolves to `null` at once.
import {
  AbortedError,
  DisposedError,
  InputError,
  OptionsError,
  parseOptions,
  throwIfAborted,
} from '@ondevice/core';
import { type BoxTracker, type Trackable, type Tracked, trackerFor } from './box-tracker.js';
import { type BoxTrackerOptions, liveCallOptionsSchema } from './options.js';

/**
 * What every live-mode result carries besides its detections.
 *
 * @example
 * ```ts
 * const { timestampMs, dropped }: LiveFrameInfo = (await detector.detect(frame, t))!;
 * ```
 */
export interface LiveFrameInfo {
  /** The timestamp the frame was given with. */
  timestampMs: number;
  /**
   * Frames given since the previous result that produced none: dropped because a frame was
   * still in flight, aborted, or failed. 0 when every frame was processed.
   */
  dropped: number;
}

/**
 * One processed frame of {@link createLiveDetector}: the detections with their track IDs.
 *
 * @example
 * ```ts
 * const r: LiveFrameResult<{ box: BoundingBox }> | null = await live.detect(frame, t);
 * if (r) console.log(r.items.map((d) => d.trackId), r.dropped);
 * ```
 */
export interface LiveFrameResult<T extends Trackable> extends LiveFrameInfo {
  items: Tracked<T>[];
}

/**
 * Counters and controls every live-mode detector has.
 *
 * @example
 * ```ts
 * console.log(`${detector.processed} processed, ${detector.dropped} dropped, ${detector.idsIssued} IDs`);
 * detector.reset(); // a new video: timestamps may start again from 0
 * ```
 */
export interface LiveControls {
  /** True while a frame is in flight (frames given now are dropped). */
  readonly busy: boolean;
  /** Frames processed so far (results returned). */
  readonly processed: number;
  /** Frames dropped so far (in flight elsewhere, aborted or failed). */
  readonly dropped: number;
  /** Tracking IDs handed out so far. */
  readonly idsIssued: number;
  /**
   * Starts a new video: forgets the tracks and the last timestamp (so timestamps may start
   * again from 0); IDs keep counting up. A frame in flight is let finish.
   */
  reset(): void;
  /** Frees the detector; a frame in flight rejects with `DisposedError`, and so do later calls. */
  close(): void;
  /** The same as `close()`. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/**
 * A live-mode detector around any per-frame detection function (see {@link createLiveDetector}).
 *
 * @example
 * ```ts
 * const r = await live.detect(video, performance.now());
 * ```
 */
export interface LiveDetector<F, T extends Trackable> extends LiveControls {
  /**
   * Detects in one video frame, unless a frame is still in flight: then the frame is dropped and
   * the call resolves to `null` at once (it never waits and never queues). `timestampMs` must
   * increase from call to call (`InputError` otherwise). Keep the frame open until the returned
   * promise settles.
   */
  detect(
    frame: F,
    timestampMs: number,
    options?: { signal?: AbortSignal },
  ): Promise<LiveFrameResult<T> | null>;
}

/**
 * Options of {@link createLiveDetector}.
 *
 * @example
 * ```ts
 * const options: LiveDetectorOptions = { tracking: { maxMisses: 10 }, onClose: () => worker.terminate() };
 * ```
 */
export interface LiveDetectorOptions {
  /** How tracking IDs are kept across frames (see `createBoxTracker`). Default: its defaults. */
  tracking?: BoxTrackerOptions;
  /** Called once by `close()`, e.g. to free the detector the function uses. Default: none. */
  onClose?: () => void;
}

const isSignal = (v: unknown): v is AbortSignal =>
  typeof v === 'object' && v !== null && 'aborted' in v && 'addEventListener' in v;

/** The frame-gating machinery, with what each task runs on a frame. @internal */
export interface Gate<F, C, R> extends LiveControls {
  detect(frame: F, timestampMs: number, options?: C): Promise<(R & LiveFrameInfo) | null>;
}

/**
 * The gate every live-mode detector is made of: `run` gets one frame at a time, with a signal that
 * aborts when the call's signal does or on `close()`, and the tracker to give its results IDs.
 * @internal
 */
export function liveGate<F, C extends { signal?: AbortSignal }, R>(
  what: string,
  run: (
    frame: F,
    call: { options: C | undefined; signal: AbortSignal; tracker: BoxTracker; timestampMs: number },
  ) => Promise<R>,
  tracker: BoxTracker,
  onClose: (() => void) | undefined,
): Gate<F, C, R> {
  const closing = new AbortController();
  let busy = false;
  let closed = false;
  let lastT = Number.NEGATIVE_INFINITY;
  let processed = 0;
  let droppedTotal = 0;
  let droppedSince = 0;
  const close = () => {
    if (closed) return;
    closed = true;
    closing.abort(new DisposedError(what));
    onClose?.();
  };
  const drop = () => {
    droppedSince++;
    droppedTotal++;
  };
  return {
    async detect(frame, timestampMs, options) {
      if (closed) throw new DisposedError(what);
      if (typeof timestampMs !== 'number' || !Number.isFinite(timestampMs))
        throw new InputError(
          `${what}.detect(frame, timestampMs): timestampMs must be a finite number of milliseconds, got ${String(timestampMs)}. Pass the frame's time (performance.now(), VideoFrame.timestamp / 1000, or frameIndex * 1000 / fps).`,
        );
      if (timestampMs <= lastT)
        throw new InputError(
          `${what}.detect(frame, timestampMs): timestamps must increase from frame to frame; got ${timestampMs} ms after ${lastT} ms. Give each frame its own, later time, or call reset() before a new video.`,
        );
      lastT = timestampMs;
      const signal = options?.signal;
      if (signal !== undefined && !isSignal(signal))
        throw new OptionsError(`${what}.detect: signal must be an AbortSignal, got ${typeof signal}.`);
      if (busy) {
        drop();
        return null;
      }
      if (signal?.aborted) {
        drop();
        throwIfAborted(signal, `${what}.detect`);
      }
      busy = true;
      const both = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
      try {
        const value = await run(frame, { options, signal: both, tracker, timestampMs });
        if (closed) throw new DisposedError(what);
        throwIfAborted(signal, `${what}.detect`);
        processed++;
        const dropped = droppedSince;
        droppedSince = 0;
        return { ...value, timestampMs, dropped };
      } catch (error) {
        drop();
        if (closed) throw new DisposedError(what);
        if (signal?.aborted && !(error instanceof AbortedError))
          throw new AbortedError(`${what}.detect`, { cause: signal.reason });
        throw error;
      } finally {
        busy = false;
      }
    },
    get busy() {
      return busy;
    },
    get processed() {
      return processed;
    },
    get dropped() {
      return droppedTotal;
    },
    get idsIssued() {
      return tracker.idsIssued;
    },
    reset() {
      tracker.reset();
      lastT = Number.NEGATIVE_INFINITY;
    },
    close,
    dispose: close,
    [Symbol.dispose]: close,
  };
}

/**
 * Live mode around any per-frame detection function: the function gets one frame at a time,
 * frames given while it runs are dropped (the call resolves to `null` at once) and counted in the
 * next result's `dropped`, and every detection gets a `trackId` that stays the same across
 * frames. Use it to run the live mode where the model runs elsewhere (a worker, a server of your
 * own); `createObjectDetectorForVideo` and `createFaceLandmarkerForVideo` are this around the
 * library's own tasks.
 *
 * @example
 * ```ts
 * import { createLiveDetector } from '@ondevice/vision';
 * const live = createLiveDetector(async (video: HTMLVideoElement, { signal }) => {
 *   const frame = await createImageBitmap(video);
 *   return (await worker.detect(frame, { signal })).objects; // [{ label, score, box }]
 * });
 * video.requestVideoFrameCallback(async function onFrame(now) {
 *   const result = await live.detect(video, now); // null: dropped, a frame is still in flight
 *   if (result) draw(result.items); // each with trackId
 *   video.requestVideoFrameCallback(onFrame);
 * });
 * ```
 */
export function createLiveDetector<F, T extends Trackable>(
  detectFrame: (frame: F, context: { signal: AbortSignal; timestampMs: number }) => Promise<readonly T[]>,
  options?: LiveDetectorOptions,
): LiveDetector<F, T> {
  if (typeof detectFrame !== 'function')
    throw new InputError(
      'createLiveDetector(detectFrame): detectFrame must be a function (frame) => Promise<detections[]>.',
    );
  const { tracking, onClose } = options ?? {};
  const tracker = trackerFor(tracking, 'createLiveDetector: tracking');
  const gate = liveGate<F, { signal?: AbortSignal }, { items: Tracked<T>[] }>(
    'LiveDetector',
    async (frame, { options: call, signal, tracker, timestampMs }) => {
      if (call) parseOptions(liveCallOptionsSchema, call, 'detect');
      const items = await detectFrame(frame, { signal, timestampMs });
      throwIfAborted(signal, 'LiveDetector.detect');
      return { items: tracker.update(items, timestampMs) };
    },
    tracker,
    onClose,
  );
  return gate;
}
