// Face landmarks in live mode: createFaceLandmarker's landmarker behind the live gate, so a busy
// landmarker drops frames, and every face gets a tracking ID.
import type { EngineRuntime, ImageInput } from '@ondevice/core';
import { createFaceLandmarker } from '../detect-face-landmarks/detect-face-landmarks.js';
import type {
  DetectFaceLandmarksOptions,
  FaceLandmarkerOptions,
  FaceLandmarkPrecision,
} from '../detect-face-landmarks/options.js';
import type { FaceLandmarks, FaceLandmarksResult } from '../detect-face-landmarks/result.js';
import { type Tracked, trackerFor } from './box-tracker.js';
import { type LiveControls, type LiveFrameInfo, liveGate } from './live-detector.js';
import type { BoxTrackerOptions } from './options.js';

/**
 * A face with its tracking ID (`trackId`, the same for the same face from frame to frame) and
 * the number of frames its track has been seen in (`trackHits`).
 *
 * @example
 * ```ts
 * const [face]: TrackedFace[] = (await landmarker.detect(frame, t))?.faces ?? [];
 * console.log(face?.trackId, face?.keypoints.length);
 * ```
 */
export type TrackedFace = Tracked<FaceLandmarks>;

/**
 * One processed video frame: `detect`'s result with a `trackId` on every face, the frame's
 * timestamp, and how many frames were dropped since the previous result.
 *
 * @example
 * ```ts
 * const r: VideoFacesResult | null = await landmarker.detect(frame, timestampMs);
 * if (r) console.log(r.faces.map((f) => f.trackId), r.dropped);
 * ```
 */
export interface VideoFacesResult extends Omit<FaceLandmarksResult, 'faces'>, LiveFrameInfo {
  /** Faces sorted by score, each with `trackId`. */
  faces: TrackedFace[];
}

/**
 * Options of {@link createFaceLandmarkerForVideo}: those of `createFaceLandmarker`, and
 * `tracking`.
 *
 * @example
 * ```ts
 * const options: FaceLandmarkerForVideoOptions = { maxFaces: 2, tracking: { maxAgeMs: 2000 } };
 * ```
 */
export interface FaceLandmarkerForVideoOptions extends FaceLandmarkerOptions {
  /**
   * Second look for small faces on overlapping tiles (see `createFaceLandmarker`). Default here:
   * false, unlike the one-shot landmarker: on video it would run on every frame with a small or
   * no face, several more detector and mesh runs each.
   */
  smallFaces?: boolean;
  /** How tracking IDs are kept across frames (see `createBoxTracker`). Default: its defaults. */
  tracking?: BoxTrackerOptions;
}

/**
 * A face landmarker in live mode (see {@link createFaceLandmarkerForVideo}).
 *
 * @example
 * ```ts
 * const landmarker: VideoFaceLandmarker = await createFaceLandmarkerForVideo();
 * const result = await landmarker.detect(video, performance.now());
 * ```
 */
export interface VideoFaceLandmarker extends LiveControls {
  /** The runtime the detector and mesh models run on. */
  readonly runtime: EngineRuntime;
  /** The models' precision. */
  readonly precision: FaceLandmarkPrecision;
  /**
   * Finds faces and their landmarks in one video frame (any image input), unless a frame is still
   * in flight: then this frame is dropped and the call resolves to `null` at once; it never waits
   * and never queues. `timestampMs` must increase from call to call (`InputError` otherwise).
   * Keep the frame open until the returned promise settles.
   */
  detect(
    frame: ImageInput,
    timestampMs: number,
    options?: DetectFaceLandmarksOptions,
  ): Promise<VideoFacesResult | null>;
}

/**
 * Creates a face landmarker for live video, as ML Kit's stream mode: `detect(frame, timestampMs)`
 * never queues (frames given while one is in flight are dropped, and the next result says how
 * many), and every face has a `trackId` that stays the same while it moves and through short
 * misses. Works on a video element or VideoFrames in browsers and on a sequence of frames in Node.
 *
 * @example
 * ```ts
 * import { createFaceLandmarkerForVideo } from '@ondevice/vision';
 * using landmarker = await createFaceLandmarkerForVideo({ maxFaces: 1 });
 * for (const [i, frame] of frames.entries()) {
 *   const result = await landmarker.detect(frame, (i * 1000) / 30);
 *   console.log(result?.faces.map((f) => `#${f.trackId}`));
 * }
 * ```
 */
export async function createFaceLandmarkerForVideo(
  options?: FaceLandmarkerForVideoOptions,
): Promise<VideoFaceLandmarker> {
  const { tracking, ...landmarkerOptions } = options ?? {};
  const tracker = trackerFor(tracking, 'createFaceLandmarkerForVideo: tracking');
  const landmarker = await createFaceLandmarker({ smallFaces: false, ...landmarkerOptions });
  const gate = liveGate<ImageInput, DetectFaceLandmarksOptions, Omit<VideoFacesResult, keyof LiveFrameInfo>>(
    'VideoFaceLandmarker',
    async (frame, { options: call, signal, tracker: t, timestampMs }) => {
      const result = await landmarker.detect(frame, { ...call, signal });
      return { ...result, faces: t.update(result.faces, timestampMs) };
    },
    tracker,
    () => landmarker.dispose(),
  );
  return Object.assign(gate, { runtime: landmarker.runtime, precision: landmarker.precision });
}
