import { signalSchema } from '@ondevice/core';
import { z } from 'zod';

/**
 * Options of `createBoxTracker`, and the `tracking` option of the live-mode detectors.
 *
 * @example
 * ```ts
 * const opts = parseOptions(boxTrackerOptionsSchema, { maxMisses: 10 }, 'createBoxTracker');
 * ```
 */
export const boxTrackerOptionsSchema = z.strictObject({
  iouThreshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.3)
    .describe(
      'IoU with a track’s predicted box at or above which a detection can continue it. Default: 0.3.',
    ),
  maxCentreDistance: z
    .number()
    .min(0)
    .default(1)
    .describe(
      'Failing the IoU, the largest centre distance, in units of the track’s box diagonal, at which a detection can still continue it (fast motion, boxes that changed size). Default: 1.',
    ),
  maxMisses: z
    .number()
    .int()
    .min(0)
    .default(30)
    .describe(
      'Processed frames a track may go unmatched and still continue (its ID survives), within maxAgeMs. Default: 30 — with timestamps maxAgeMs is what ends a missed track at any frame rate up to 30 fps (5 frames ended the flickering mouse of the test clip 3 times in a clip processed at 12 fps).',
    ),
  maxAgeMs: z
    .number()
    .positive()
    .default(1000)
    .describe(
      'Milliseconds since it was last seen after which a track that has been missed ends (a track matched in every frame never ages out, however slow the frame rate). Default: 1000.',
    ),
});

/**
 * Options of `createBoxTracker`: how boxes are matched across frames and how long an unmatched
 * track lives. Every field has a default.
 *
 * @example
 * ```ts
 * const options: BoxTrackerOptions = { iouThreshold: 0.3, maxMisses: 10, maxAgeMs: 2000 };
 * ```
 */
export type BoxTrackerOptions = z.input<typeof boxTrackerOptionsSchema>;

/**
 * Options of one live-mode `detect(frame, timestampMs, options)` call of `createLiveDetector`.
 *
 * @example
 * ```ts
 * const opts = parseOptions(liveCallOptionsSchema, { signal }, 'detect');
 * ```
 */
export const liveCallOptionsSchema = z.strictObject({ signal: signalSchema });
