// Object detection in live mode: createObjectDetector's detector behind the live gate, so a busy
// detector drops frames, and every object gets a tracking ID.
import type { EngineRuntime, ImageInput } from '@ondevice/core';
import { createObjectDetector } from '../detect-objects/detect-objects.js';
import type { DetectObjectsOptions, ObjectDetectorOptions } from '../detect-objects/options.js';
import type { ObjectDetectionPrecision } from '../detect-objects/precision-name.js';
import type { ObjectDetectionModelName } from '../detect-objects/registry.js';
import type { DetectedObject } from '../detect-objects/result.js';
import { type Tracked, trackerFor } from './box-tracker.js';
import { type LiveControls, type LiveFrameInfo, liveGate } from './live-detector.js';
import type { BoxTrackerOptions } from './options.js';

/**
 * A detected object with its tracking ID (`trackId`, the same for the same object from frame to
 * frame) and the number of frames its track has been seen in (`trackHits`).
 *
 * @example
 * ```ts
 * const o: TrackedObject = { label: 'cup', score: 0.8, categoryIndex: 41, box, trackId: 3, trackHits: 12 };
 * ```
 */
export type TrackedObject = Tracked<DetectedObject>;

/**
 * One processed video frame: its objects with tracking IDs, its timestamp, and how many frames
 * were dropped since the previous result.
 *
 * @example
 * ```ts
 * const r: VideoObjectsResult | null = await detector.detect(frame, timestampMs);
 * if (r) console.log(r.objects.map((o) => `#${o.trackId} ${o.label}`), r.dropped);
 * ```
 */
export interface VideoObjectsResult extends LiveFrameInfo {
  /** Objects sorted by score, each with `trackId`. */
  objects: TrackedObject[];
}

/**
 * Options of {@link createObjectDetectorForVideo}: those of `createObjectDetector`, and
 * `tracking`.
 *
 * @example
 * ```ts
 * const options: ObjectDetectorForVideoOptions = { model: 'fast', tracking: { maxMisses: 10 } };
 * ```
 */
export interface ObjectDetectorForVideoOptions extends ObjectDetectorOptions {
  /** How tracking IDs are kept across frames (see `createBoxTracker`). Default: its defaults. */
  tracking?: BoxTrackerOptions;
}

/**
 * An object detector in live mode (see {@link createObjectDetectorForVideo}).
 *
 * @example
 * ```ts
 * const detector: VideoObjectDetector = await createObjectDetectorForVideo();
 * const result = await detector.detect(videoFrame, videoFrame.timestamp / 1000);
 * ```
 */
export interface VideoObjectDetector extends LiveControls {
  /** The model this detector runs. */
  readonly model: ObjectDetectionModelName;
  /** The weight precision it loaded. */
  readonly precision: ObjectDetectionPrecision;
  /** The runtime the model runs on. */
  readonly runtime: EngineRuntime;
  /**
   * Detects objects in one video frame (any image input: a VideoFrame, ImageBitmap, video or
   * canvas element in browsers; raw pixels or an image file in Node), unless a frame is still in
   * flight: then this frame is dropped and the call resolves to `null` at once; it never waits
   * and never queues. `timestampMs` must increase from call to call (`InputError` otherwise).
   * Keep the frame open until the returned promise settles.
   */
  detect(
    frame: ImageInput,
    timestampMs: number,
    options?: DetectObjectsOptions,
  ): Promise<VideoObjectsResult | null>;
}

/**
 * Loads an object detector for live video, as ML Kit's stream mode: `detect(frame, timestampMs)`
 * never queues (frames given while one is in flight are dropped, and the next result says how
 * many), and every object has a `trackId` that stays the same while it moves and through short
 * misses. Works on a video element or VideoFrames in browsers and on a sequence of frames in Node.
 *
 * @example
 * ```ts
 * import { createObjectDetectorForVideo } from '@ondevice/vision';
 * using detector = await createObjectDetectorForVideo({ scoreThreshold: 0.4 });
 * const video = document.querySelector('video')!;
 * video.requestVideoFrameCallback(async function onFrame(now) {
 *   const result = await detector.detect(video, now); // null: dropped while busy
 *   if (result) for (const o of result.objects) console.log(`#${o.trackId}`, o.label, o.box);
 *   video.requestVideoFrameCallback(onFrame);
 * });
 * ```
 */
export async function createObjectDetectorForVideo(
  options?: ObjectDetectorForVideoOptions,
): Promise<VideoObjectDetector> {
  const { tracking, ...detectorOptions } = options ?? {};
  const tracker = trackerFor(tracking, 'createObjectDetectorForVideo: tracking');
  const detector = await createObjectDetector(detectorOptions);
  const gate = liveGate<ImageInput, DetectObjectsOptions, { objects: TrackedObject[] }>(
    'VideoObjectDetector',
    async (frame, { options: call, signal, tracker: t, timestampMs }) => ({
      objects: t.update(await detector.detect(frame, { ...call, signal }), timestampMs),
    }),
    tracker,
    () => detector.dispose(),
  );
  return Object.assign(gate, {
    model: detector.model,
    precision: detector.precision,
    runtime: detector.runtime,
  });
}
