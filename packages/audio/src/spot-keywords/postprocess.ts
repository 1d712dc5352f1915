import type { KeywordDetection } from './result.js';

/** How many first predictions of each head the reference forces to 0. */
export const ZEROED_PREDICTIONS = 5;

/** Seconds of audio one embedding covers (76 mel frames of 10 ms, 32 ms window). */
const EMBEDDING_SPAN_SECONDS = 0.79;

/** Settings of a {@link DetectionTracker}. */
export interface TrackerOptions {
  /** Score at or above which the keyword fires. */
  threshold: number;
  /** Seconds after a detection during which the same keyword cannot fire again. */
  refractoryPeriod: number;
  /** Seconds at the start of a stream during which nothing fires (start-up buffers). */
  warmup: number;
  /** Embeddings the head reads (sets `startTime`). */
  windowSize: number;
  /** Seconds per step (0.08). */
  stepSeconds: number;
  /**
   * First predictions forced to 0. Default {@link ZEROED_PREDICTIONS} (the reference, whose
   * start-up buffers are not real audio); the spotter uses 0, as its streams start from the state
   * after silence.
   */
  zeroedPredictions?: number;
}

/**
 * Turns one label's per-step scores into detections, once per utterance: the first
 * {@link ZEROED_PREDICTIONS} scores count as 0 (as in the reference), nothing fires during the
 * warm-up, and after firing the keyword stays quiet until its score has dropped below the threshold
 * and the refractory period has passed.
 *
 * @example
 * ```ts
 * const t = new DetectionTracker('alexa', { threshold: 0.5, refractoryPeriod: 1, warmup: 1, windowSize: 16, stepSeconds: 0.08 });
 * const d = t.update(20, 0.93); // step 20 ends at 1.6 s → a detection
 * ```
 */
export class DetectionTracker {
  private predictions = 0;
  private armed = true;
  private lastFired = Number.NEGATIVE_INFINITY;

  constructor(
    readonly keyword: string,
    readonly options: TrackerOptions,
  ) {}

  /** Back to the state of a new stream. */
  reset(): void {
    this.predictions = 0;
    this.armed = true;
    this.lastFired = Number.NEGATIVE_INFINITY;
  }

  /**
   * Takes the score of step `step` (1-based: step k ends at k × stepSeconds) and returns a
   * detection when the keyword fires.
   */
  update(step: number, rawScore: number): KeywordDetection | undefined {
    const { threshold, refractoryPeriod, warmup, windowSize, stepSeconds } = this.options;
    const zeroed = this.options.zeroedPredictions ?? ZEROED_PREDICTIONS;
    const score = this.predictions < zeroed || !Number.isFinite(rawScore) ? 0 : rawScore;
    this.predictions++;
    const endTime = step * stepSeconds;
    if (score < threshold) {
      this.armed = true;
      return undefined;
    }
    if (endTime <= warmup + 1e-9) return undefined;
    if (!this.armed || endTime - this.lastFired < refractoryPeriod - 1e-9) return undefined;
    this.armed = false;
    this.lastFired = endTime;
    return {
      keyword: this.keyword,
      score,
      startTime: round(Math.max(0, endTime - headSpanSeconds(windowSize, stepSeconds))),
      endTime: round(endTime),
    };
  }
}

/** Seconds of audio a head with a window of `windowSize` embeddings judges at once. */
export function headSpanSeconds(windowSize: number, stepSeconds = 0.08): number {
  return (windowSize - 1) * stepSeconds + EMBEDDING_SPAN_SECONDS;
}

function round(t: number): number {
  return Math.round(t * 1e4) / 1e4;
}

/**
 * The labels of a multi-class head from its ONNX output name, which openWakeWord sets to a JSON
 * class map such as `{"1": "1_minute_timer", …}`. Classes the map does not name (0: background)
 * are `null` and never reported. A single-output head gets `[fallback]`.
 *
 * @example
 * ```ts
 * labelsFromOutputName('{"1": "yes"}', 2, 'cmd'); // [null, 'yes']
 * labelsFromOutputName('39', 1, 'alexa'); // ['alexa']
 * ```
 */
export function labelsFromOutputName(
  outputName: string,
  outputs: number,
  fallback: string,
): (string | null)[] {
  if (outputs <= 1) return [fallback];
  let map: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(outputName);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      map = parsed as Record<string, unknown>;
  } catch {
    // not a class map
  }
  return Array.from({ length: outputs }, (_, i) => {
    if (map) {
      const name = map[String(i)];
      return typeof name === 'string' && name ? name : null;
    }
    return `${fallback}_${i}`;
  });
}
