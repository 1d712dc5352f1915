// The live camera view: the video plays at its own rate (the browser composites it; the page does
// not redraw it), an overlay canvas on top shows the latest result, and frames go to the task
// worker one at a time. A frame that arrives while the worker is busy is dropped, never queued,
// and counted. Frame rates are measured from the video's own presented-frame count.
//
// The tracked pages (objects, faces, lipstick) give every presented frame to @ondevice/vision's
// live mode (`createLiveDetector`: it drops frames while one is in flight and puts tracking IDs on
// the results) whose per-frame function sends the frame to the vision worker; `mountLiveTracking`
// is the camera button, status line and probe those pages share.
import {
  type BoxTrackerOptions,
  createLiveDetector,
  type LiveDetector,
  type LiveFrameResult,
  type Trackable,
} from '@ondevice/vision';
import { el, liveButton, type PageParts, type Stage } from '../ui.js';

/** What a live view has measured so far. */
export interface LiveStats {
  /** Video frames shown per second, over the last second. */
  previewFps: number;
  /** Results per second, over the last 3 seconds. */
  modelFps: number;
  /** Video frames shown since the start. */
  presented: number;
  /** Frames given to the task (the library's live mode drops those that come while it is busy). */
  sent: number;
  /** Results received. */
  processed: number;
  /** Frames shown while the worker was busy (dropped, not queued). */
  dropped: number;
  /** Frames waiting for the worker: always 0 (there is no queue). */
  queued: 0;
  /** Milliseconds from a frame's capture to its result, the last one. */
  latencyMs: number;
}

/**
 * A live-mode detector as the view drives it: every presented frame is offered; it resolves to
 * `null` for a frame it dropped (busy) and keeps the counts (`@ondevice/vision`'s live mode).
 */
export interface LiveSource<R> {
  detect(video: HTMLVideoElement, timestampMs: number): Promise<R | null>;
  readonly processed: number;
  readonly dropped: number;
  reset(): void;
}

/** Options of {@link LiveView}: `process` (the view drops frames itself) or `detector`. */
export type LiveViewOptions<R> = LiveViewCommon<R> &
  (
    | {
        /** Runs the task on one frame (the view hands over the bitmap; the callee transfers or closes it). */
        process(frame: ImageBitmap, timestampMs: number): Promise<R>;
        detector?: undefined;
      }
    | {
        /** The library's live mode: gets every presented frame, drops those that come while busy. */
        detector: LiveSource<R>;
        process?: undefined;
      }
  );

/** What both kinds of live view take. */
export interface LiveViewCommon<R> {
  /** Draws a result over the video; `unit` is video pixels per CSS pixel. */
  draw(ctx: CanvasRenderingContext2D, result: R, unit: number): void;
  /** Called after each result is drawn. */
  onResult?(result: R, stats: LiveStats): void;
  /** Called when the stats change (about 4 times a second). */
  onStats?(stats: LiveStats): void;
  /** Called when a frame's processing fails (the view keeps running). */
  onError?(error: unknown): void;
}

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?(
    cb: (now: number, meta: { presentedFrames: number; mediaTime: number }) => void,
  ): number;
  cancelVideoFrameCallback?(handle: number): void;
};

/**
 * A camera preview with results drawn over it, frames dropped while the task is busy.
 *
 * @example
 * ```ts
 * const live = new LiveView(output, { process: (frame, t) => worker.detect(frame, t), draw: drawBoxes });
 * await live.start();
 * ```
 */
export class LiveView<R> {
  readonly root = el('div', { class: 'live hidden', id: 'live' });
  readonly video = el('video', { playsinline: '', muted: '', id: 'live-video' }) as FrameCallbackVideo;
  readonly overlay = el('canvas', { class: 'overlay', id: 'live-overlay', 'aria-hidden': 'true' });
  private readonly ctx = this.overlay.getContext('2d')!;
  private stream: MediaStream | undefined;
  private handle = 0;
  private busy = false;
  private latest: R | undefined;
  private lastPresented = -1;
  private readonly shown: number[] = [];
  private readonly results: number[] = [];
  private lastStats = 0;
  private startedAt = 0;
  /** The detector's counts when the camera started (they run on across starts). */
  private base = { processed: 0, dropped: 0 };
  /** Presented frames the view never offered (a frame callback missed them). */
  private unoffered = 0;
  private lastT = 0;
  private readonly s: LiveStats = {
    previewFps: 0,
    modelFps: 0,
    presented: 0,
    sent: 0,
    processed: 0,
    dropped: 0,
    queued: 0,
    latencyMs: 0,
  };

  constructor(
    parent: HTMLElement,
    private readonly options: LiveViewOptions<R>,
  ) {
    this.video.muted = true;
    this.root.append(this.video, this.overlay);
    parent.prepend(this.root);
  }

  /** True while the camera runs. */
  get running(): boolean {
    return !!this.stream;
  }

  /** A copy of the stats. */
  get stats(): LiveStats {
    return { ...this.s };
  }

  /** The latest result (undefined before the first). */
  get result(): R | undefined {
    return this.latest;
  }

  /** Opens the camera and starts processing. Rejects when there is no camera or no permission. */
  async start(): Promise<void> {
    if (this.stream) return;
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
    this.stream = stream;
    Object.assign(this.s, { presented: 0, sent: 0, processed: 0, dropped: 0, previewFps: 0, modelFps: 0 });
    this.shown.length = 0;
    this.results.length = 0;
    this.lastPresented = -1;
    this.unoffered = 0;
    const { detector } = this.options;
    if (detector) {
      detector.reset();
      this.base = { processed: detector.processed, dropped: detector.dropped };
    }
    this.startedAt = performance.now();
    this.latest = undefined;
    this.video.srcObject = stream;
    await this.video.play();
    this.overlay.width = this.video.videoWidth;
    this.overlay.height = this.video.videoHeight;
    this.ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    this.root.classList.remove('hidden');
    this.schedule();
  }

  /** Stops the camera; a frame still in the worker is let finish and its result dropped. */
  stop(): void {
    if (!this.stream) return;
    for (const t of this.stream.getTracks()) t.stop();
    this.stream = undefined;
    if (this.video.cancelVideoFrameCallback) this.video.cancelVideoFrameCallback(this.handle);
    else cancelAnimationFrame(this.handle);
    this.video.srcObject = null;
    this.root.classList.add('hidden');
  }

  private schedule(): void {
    if (!this.stream) return;
    if (this.video.requestVideoFrameCallback)
      this.handle = this.video.requestVideoFrameCallback((now, meta) =>
        this.onFrame(now, meta.presentedFrames),
      );
    // Without requestVideoFrameCallback: every animation frame, counting a new frame when the time moved.
    else
      this.handle = requestAnimationFrame((now) =>
        this.onFrame(now, Math.round(this.video.currentTime * 30)),
      );
  }

  private onFrame(now: number, presentedFrames: number): void {
    if (!this.stream) return;
    const fresh = this.lastPresented < 0 ? 1 : presentedFrames - this.lastPresented;
    this.lastPresented = presentedFrames;
    if (fresh > 0) {
      this.s.presented += fresh;
      for (let i = 0; i < fresh; i++) this.shown.push(now);
      if (this.options.detector) this.offer(now, fresh);
      else if (this.busy) this.s.dropped += fresh;
      else {
        this.s.dropped += fresh - 1;
        void this.send(now);
      }
    }
    this.updateStats(now);
    this.schedule();
  }

  /** Gives the library's live mode this frame; it drops it at once when a frame is in flight. */
  private offer(now: number, fresh: number): void {
    const detector = this.options.detector!;
    this.unoffered += fresh - 1;
    // Timestamps must increase; two callbacks in one animation frame share `now`.
    const t = Math.max(now, this.lastT + 0.001);
    this.lastT = t;
    this.s.sent++;
    detector.detect(this.video, t).then(
      (result) => {
        this.count();
        if (!result || !this.stream) return;
        this.show(result, t);
      },
      (error: unknown) => {
        this.count();
        if (this.stream) this.options.onError?.(error);
      },
    );
    this.count();
  }

  /** The stats' processed/dropped, from the detector's counters. */
  private count(): void {
    const { detector } = this.options;
    if (!detector) return;
    this.s.processed = detector.processed - this.base.processed;
    this.s.dropped = detector.dropped - this.base.dropped + this.unoffered;
  }

  private show(result: R, capturedAt: number): void {
    this.latest = result;
    this.s.latencyMs = performance.now() - capturedAt;
    this.results.push(performance.now());
    this.redraw();
    this.options.onResult?.(result, this.stats);
  }

  private async send(capturedAt: number): Promise<void> {
    this.busy = true;
    this.s.sent++;
    try {
      const frame = await createImageBitmap(this.video);
      const result = await this.options.process!(frame, capturedAt);
      if (!this.stream) return;
      this.s.processed++;
      this.show(result, capturedAt);
    } catch (error) {
      if (this.stream) this.options.onError?.(error);
    } finally {
      this.busy = false;
    }
  }

  /** Draws the latest result again (e.g. after an option changed). */
  redraw(): void {
    const { ctx, overlay } = this;
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    if (this.latest === undefined) return;
    const shown = overlay.getBoundingClientRect().width || overlay.width;
    this.options.draw(ctx, this.latest, Math.max(1, overlay.width / shown));
  }

  private updateStats(now: number): void {
    while (this.shown.length && now - this.shown[0]! > 1000) this.shown.shift();
    while (this.results.length && now - this.results[0]! > 3000) this.results.shift();
    if (now - this.lastStats < 250) return;
    this.lastStats = now;
    this.s.previewFps = this.shown.length;
    this.s.modelFps = this.results.length / (Math.min(3000, Math.max(1, now - this.startedAt)) / 1000);
    this.options.onStats?.(this.stats);
  }
}

/** The stats in a line, for the page. */
export function describeStats(s: LiveStats): string {
  return (
    `Live: preview ${s.previewFps} fps, model ${s.modelFps.toFixed(1)} fps ` +
    `(${s.latencyMs.toFixed(0)} ms from frame to result); ${s.processed} frames processed, ` +
    `${s.dropped} dropped while busy, none queued.`
  );
}

/** Options of {@link mountLiveTracking}. */
export interface LiveTrackingOptions<T extends Trackable> {
  page: PageParts;
  /** The picture stage, hidden while the camera runs. Default: none. */
  stage?: Stage;
  /** Loads the task (models, worker) before the camera starts and before each frame. */
  ready(): Promise<unknown>;
  /** Runs the task on one frame in the worker (transfer `frame`); `ms` is the worker's time. */
  detect(frame: ImageBitmap, signal: AbortSignal): Promise<{ items: readonly T[]; ms: number }>;
  /** Tracking settings. Default: IDs survive a 2 s miss (`maxAgeMs: 2000`). */
  tracking?: BoxTrackerOptions;
  /** Draws a result over the video; `unit` is video pixels per CSS pixel. */
  draw(ctx: CanvasRenderingContext2D, result: LiveFrameResult<T>, unit: number): void;
  /** Called after each result is drawn (the table, the probe). */
  onResult(result: LiveFrameResult<T>, stats: LiveStats): void;
  /** Called when the camera starts (e.g. to clear what the page logged). */
  onStart?(): void;
  /** Called when the camera stops. */
  onStop?(): void;
}

/** What {@link mountLiveTracking} returns. */
export interface LiveTracking<T extends Trackable> {
  readonly live: LiveView<LiveFrameResult<T>>;
  /** The library's live mode (its `idsIssued`, `processed`, `dropped`). */
  readonly detector: LiveDetector<HTMLVideoElement, T>;
  /** True while the camera runs. */
  readonly running: boolean;
  /** Stops the camera (and shows the picture stage again). */
  stop(): void;
}

/**
 * The live part of a tracked page, written once: the camera button, `@ondevice/vision`'s live mode
 * around the worker (every presented frame offered, dropped while one is in flight, tracking IDs),
 * the view over the output, the status line and the probe the tests read.
 *
 * @example
 * ```ts
 * const tracked = mountLiveTracking({
 *   page, stage, ready: getDetector,
 *   detect: (frame, signal) => worker.call('detectObjects', { image: frame }, { transfer: [frame], signal })
 *     .then(({ objects, ms }) => ({ items: objects, ms })),
 *   draw: (ctx, { items }, unit) => drawBoxes(ctx, items.map(toBox), unit, ctx.canvas),
 *   onResult: ({ items }) => page.done(items),
 * });
 * ```
 */
export function mountLiveTracking<T extends Trackable>(options: LiveTrackingOptions<T>): LiveTracking<T> {
  const { page, stage } = options;
  let workerMs = 0;
  const detector = createLiveDetector<HTMLVideoElement, T>(
    async (video, { signal }) => {
      await options.ready();
      const frame = await createImageBitmap(video);
      const { items, ms } = await options.detect(frame, signal);
      workerMs = ms;
      return items;
    },
    { tracking: options.tracking ?? { maxAgeMs: 2000 } },
  );
  const live = new LiveView<LiveFrameResult<T>>(page.output, {
    detector,
    draw: options.draw,
    onResult(result, stats) {
      page.setLatency(workerMs, 'per frame in the worker');
      options.onResult(result, stats);
    },
    onStats(stats) {
      page.setStatus(describeStats(stats));
      window.__playground.live = stats;
    },
    onError: (e) => page.fail(e),
  });
  const stop = () => {
    live.stop();
    stage?.canvas.classList.remove('hidden');
    camera.textContent = 'Start camera';
    options.onStop?.();
  };
  const camera = liveButton(page.inputs, async () => {
    if (live.running) {
      stop();
      return;
    }
    try {
      page.running();
      await options.ready();
      options.onStart?.();
      await live.start();
      if (stage) {
        stage.canvas.classList.add('hidden');
        stage.caption.textContent = 'Camera (frames go to the worker one at a time; the rest are dropped).';
      }
      camera.textContent = 'Stop camera';
    } catch (e) {
      camera.textContent = `Camera unavailable (${(e as Error).name})`;
      page.fail(e);
    }
  });
  return {
    live,
    detector,
    get running() {
      return live.running;
    },
    stop,
  };
}
