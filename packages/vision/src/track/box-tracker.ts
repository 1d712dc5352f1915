// Tracking IDs for live video: each frame's detections are matched to the tracks of the frames
// before, so an object keeps its ID while it moves and through short misses. Pure (no DOM, no
// model): it runs the same in Node on a sequence of frames and in a page.
//
// Matching: every (track, detection) pair of the same label is scored by the IoU of the detection
// with the track's predicted box (its last box moved by its velocity), or, when they do not
// overlap enough, by how close their centres are relative to the box size; the best pairs are
// taken greedily. Unmatched detections start new tracks (IDs are never reused); a track that goes
// unmatched for more than `maxMisses` frames, or is missed and unseen for `maxAgeMs`, ends.
import { InputError, parseOptions } from '@ondevice/core';
import type { z } from 'zod';
import { type BoxTrackerOptions, boxTrackerOptionsSchema } from './options.js';

/** An axis-aligned box in pixels (the shape of every result's `box`). */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What the tracker needs of a detection: a box, and a label when there is one.
 *
 * @example
 * ```ts
 * const cup: Trackable = { label: 'cup', box: { x: 10, y: 20, width: 40, height: 40 } };
 * ```
 */
export interface Trackable {
  box: Box;
  /** Detections match only tracks of the same label (omit it to match any). */
  label?: string;
}

/**
 * A detection with the ID of the track it belongs to.
 *
 * @example
 * ```ts
 * const [first]: Tracked<DetectedObject>[] = tracker.update(objects, timestampMs);
 * console.log(first?.trackId, first?.trackHits);
 * ```
 */
export type Tracked<T extends Trackable> = T & {
  /** Stable across frames for the same object. */
  trackId: number;
  /** Frames this track has been matched in, this one included. */
  trackHits: number;
};

interface Track {
  id: number;
  label: string | undefined;
  box: Box;
  /** Pixels per millisecond of the box's top-left corner. */
  vx: number;
  vy: number;
  t: number;
  misses: number;
  hits: number;
}

const iou = (a: Box, b: Box): number => {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
};

/**
 * Gives detections IDs that stay the same across video frames. Made by {@link createBoxTracker};
 * the live-mode detectors (`createObjectDetectorForVideo`, `createFaceLandmarkerForVideo`) hold
 * one each.
 *
 * @example
 * ```ts
 * const tracker = createBoxTracker({ maxMisses: 10 });
 * const objects = tracker.update(await detector.detect(frame), timestampMs);
 * ```
 */
export interface BoxTracker {
  /**
   * Matches one frame's detections to the tracks and returns them with their IDs, in the order
   * given. `timestampMs` (the frame's time) drives motion prediction and `maxAgeMs`; without it
   * frames count as 33 ms apart. Throws `InputError` when it goes backwards.
   */
  update<T extends Trackable>(detections: readonly T[], timestampMs?: number): Tracked<T>[];
  /** Forgets every track (a new video); IDs keep counting up. */
  reset(): void;
  /** IDs handed out so far. */
  readonly idsIssued: number;
  /** Tracks alive now (matched this frame or missing for a few). */
  readonly activeTracks: number;
}

/**
 * Creates a tracker that matches each frame's boxes to the frames before (IoU with a
 * motion-predicted box, then centre distance), so an object keeps its `trackId` while it moves
 * and through misses of up to `maxMisses` frames. Pure: no model, no DOM.
 *
 * @example
 * ```ts
 * import { createBoxTracker, createObjectDetector } from '@ondevice/vision';
 * const detector = await createObjectDetector();
 * const tracker = createBoxTracker();
 * for (const [i, file] of ['f0.jpg', 'f1.jpg', 'f2.jpg'].entries()) {
 *   for (const o of tracker.update(await detector.detect(file), i * 33)) console.log(o.trackId, o.label);
 * }
 * ```
 */
export function createBoxTracker(options?: BoxTrackerOptions): BoxTracker {
  return trackerFor(options, 'createBoxTracker');
}

/** {@link createBoxTracker}, with errors that name the caller (`where`). @internal */
export function trackerFor(options: BoxTrackerOptions | undefined, where: string): BoxTracker {
  return new Tracker(parseOptions(boxTrackerOptionsSchema, options, where));
}

class Tracker implements BoxTracker {
  private readonly iouThreshold: number;
  private readonly maxCentreDistance: number;
  private readonly maxMisses: number;
  private readonly maxAgeMs: number;
  private tracks: Track[] = [];
  private nextId = 1;
  private lastT = Number.NEGATIVE_INFINITY;

  constructor(options: z.output<typeof boxTrackerOptionsSchema>) {
    this.iouThreshold = options.iouThreshold;
    this.maxCentreDistance = options.maxCentreDistance;
    this.maxMisses = options.maxMisses;
    this.maxAgeMs = options.maxAgeMs;
  }

  get idsIssued(): number {
    return this.nextId - 1;
  }

  get activeTracks(): number {
    return this.tracks.length;
  }

  update<T extends Trackable>(detections: readonly T[], timestampMs?: number): Tracked<T>[] {
    const t = timestampMs ?? (this.lastT === Number.NEGATIVE_INFINITY ? 0 : this.lastT + 33);
    if (!Number.isFinite(t) || t < this.lastT)
      throw new InputError(
        `BoxTracker.update: timestampMs must be a finite number that does not go backwards; got ${timestampMs} after ${this.lastT}. Pass each frame's own time (e.g. VideoFrame.timestamp / 1000, or frameIndex * 1000 / fps), or reset() for a new video.`,
      );
    this.lastT = t;
    // Time counts against a track only once it has been missed: a slow frame rate is not a miss.
    this.tracks = this.tracks.filter((track) => track.misses === 0 || t - track.t <= this.maxAgeMs);
    const pairs: { score: number; track: number; det: number }[] = [];
    for (const [ti, track] of this.tracks.entries()) {
      const dt = t - track.t;
      const predicted = { ...track.box, x: track.box.x + track.vx * dt, y: track.box.y + track.vy * dt };
      const diagonal = Math.hypot(predicted.width, predicted.height) || 1;
      for (const [di, d] of detections.entries()) {
        if (track.label !== undefined && d.label !== undefined && d.label !== track.label) continue;
        const overlap = iou(predicted, d.box);
        if (overlap >= this.iouThreshold) {
          pairs.push({ score: 1 + overlap, track: ti, det: di });
          continue;
        }
        const dx = d.box.x + d.box.width / 2 - (predicted.x + predicted.width / 2);
        const dy = d.box.y + d.box.height / 2 - (predicted.y + predicted.height / 2);
        const distance = Math.hypot(dx, dy) / diagonal;
        if (distance <= this.maxCentreDistance) pairs.push({ score: 1 - distance, track: ti, det: di });
      }
    }
    pairs.sort((a, b) => b.score - a.score);
    const trackOf = new Map<number, number>();
    const usedTracks = new Set<number>();
    for (const p of pairs) {
      if (usedTracks.has(p.track) || trackOf.has(p.det)) continue;
      usedTracks.add(p.track);
      trackOf.set(p.det, p.track);
    }
    const out: Tracked<T>[] = [];
    const born: Track[] = [];
    for (const [di, d] of detections.entries()) {
      const ti = trackOf.get(di);
      if (ti === undefined) {
        const track: Track = {
          id: this.nextId++,
          label: d.label,
          box: { ...d.box },
          vx: 0,
          vy: 0,
          t,
          misses: 0,
          hits: 1,
        };
        born.push(track);
        out.push({ ...d, trackId: track.id, trackHits: 1 });
        continue;
      }
      const track = this.tracks[ti]!;
      const dt = t - track.t;
      if (dt > 0) {
        // A light filter on the velocity, so one jittery box does not throw the prediction.
        track.vx = 0.5 * track.vx + 0.5 * ((d.box.x - track.box.x) / dt);
        track.vy = 0.5 * track.vy + 0.5 * ((d.box.y - track.box.y) / dt);
      }
      track.box = { ...d.box };
      track.t = t;
      track.misses = 0;
      track.hits++;
      out.push({ ...d, trackId: track.id, trackHits: track.hits });
    }
    this.tracks = this.tracks.filter((track, ti) => {
      if (usedTracks.has(ti)) return true;
      track.misses++;
      return track.misses <= this.maxMisses;
    });
    this.tracks.push(...born);
    return out;
  }

  reset(): void {
    this.tracks = [];
    this.lastT = Number.NEGATIVE_INFINITY;
  }
}
