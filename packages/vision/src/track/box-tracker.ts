// Tracking IDs for live video: each frame's detections are matched to the tracks of the frames
// before, so an object keeps its ID while it moves and through short misses. Pure (no DOM): it
// runs the same in Node on a sequence of frames.
//
// Matching: every (track, detection) pair of the same label is scored by the IoU of the detection
// with the track's predicted box (its last box moved by its velocity), or, when they do not
// overlap enough, by how close their centres are relative to the box size; the best pairs are
// taken greedily. Unmatched detections start new tracks (IDs are never reused); a track that goes
// unmatched for more than `maxMisses` frames, or is missed and unseen for `maxAgeMs`, ends.

/** An axis-aligned box in pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the tracker needs of a detection. */
export interface Trackable {
  box: Box;
  /** Detections match only tracks of the same label (omit it to match any). */
  label?: string;
}

/** A detection with the ID of the track it belongs to. */
export type Tracked<T extends Trackable> = T & {
  /** Stable across frames for the same object. */
  trackId: number;
  /** Frames this track has been matched in, this one included. */
  trackHits: number;
};

/** Options of {@link BoxTracker}. */
export interface TrackerOptions {
  /** IoU at or above which a detection can continue a track. Default: 0.3. */
  iouThreshold?: number;
  /**
   * Failing the IoU, the largest centre distance, in units of the track's box diagonal, at which
   * a detection can still continue it (fast motion, boxes that changed size). Default: 1.
   */
  maxCentreDistance?: number;
  /** Frames a track may go unmatched and still continue. Default: 5. */
  maxMisses?: number;
  /**
   * Milliseconds since it was last seen after which a track that has been missed ends (when
   * timestamps are given; a track matched in every frame never ages out). Default: 1000.
   */
  maxAgeMs?: number;
}

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
 * Gives detections IDs that stay the same across video frames.
 *
 * @example
 * ```ts
 * const tracker = new BoxTracker();
 * for (const frame of frames) {
 *   const objects = tracker.update(await detector.detect(frame.image), frame.timestampMs);
 *   for (const o of objects) console.log(o.trackId, o.label, o.box);
 * }
 * ```
 */
export class BoxTracker {
  private readonly iouThreshold: number;
  private readonly maxCentreDistance: number;
  private readonly maxMisses: number;
  private readonly maxAgeMs: number;
  private tracks: Track[] = [];
  private nextId = 1;
  private frame = 0;

  constructor(options: TrackerOptions = {}) {
    this.iouThreshold = options.iouThreshold ?? 0.3;
    this.maxCentreDistance = options.maxCentreDistance ?? 1;
    this.maxMisses = options.maxMisses ?? 5;
    this.maxAgeMs = options.maxAgeMs ?? 1000;
  }

  /** IDs handed out so far. */
  get idsIssued(): number {
    return this.nextId - 1;
  }

  /** Tracks alive now (matched this frame or missing for a few). */
  get activeTracks(): number {
    return this.tracks.length;
  }

  /**
   * Matches one frame's detections to the tracks and returns them with their IDs, in the order
   * given. `timestampMs` (the frame's time) drives motion prediction and `maxAgeMs`; without it
   * frames count as 33 ms apart.
   */
  update<T extends Trackable>(detections: readonly T[], timestampMs?: number): Tracked<T>[] {
    const t = timestampMs ?? this.frame * 33;
    this.frame++;
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

  /** Forgets every track (a new video); IDs keep counting up. */
  reset(): void {
    this.tracks = [];
  }
}
