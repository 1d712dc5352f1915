import { ENGINE_NAMES, scoreThresholdSchema, signalSchema } from '@ondevice/core';
import { z } from 'zod';

/**
 * Face-model precisions, default first.
 *
 * @example
 * ```ts
 * const precision = z.enum(FACE_LANDMARK_PRECISIONS).default('fp32');
 * ```
 */
export const FACE_LANDMARK_PRECISIONS = ['fp32', 'int8'] as const;

/** Precision of the face models: `'fp32'` (the published weights) or `'int8'` (see the option). */
export type FaceLandmarkPrecision = (typeof FACE_LANDMARK_PRECISIONS)[number];

const facePrecisionSchema = z
  .enum(FACE_LANDMARK_PRECISIONS)
  .default('fp32')
  .describe(
    'Model precision: "fp32" (the published weights) or "int8" (on the native engine, FaceMesh and Iris as int8 QDQ forms of the same weights, quantised on the device on first use, 0.28-0.29× the bytes, keypoints within 1 % of the face box of fp32\'s; BlazeFace stays fp32; measured no faster than fp32 on this project\'s 2-core AVX2 machine, see the README; tfjs runs the published weights either way). Default: "fp32".',
  );

/**
 * Options of `createFaceLandmarker` (all optional).
 *
 * @example
 * ```ts
 * const opts = parseOptions(faceLandmarkerOptionsSchema, { maxFaces: 2 }, 'createFaceLandmarker');
 * ```
 */
export const faceLandmarkerOptionsSchema = z
  .object({
    maxFaces: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'At most this many faces are returned, best first; `capped` in the result says when more were found. Default: no limit (every face found, as ML Kit; the old default of 10 cut group photos short).',
      ),
    minDetectionConfidence: scoreThresholdSchema
      .default(0.2)
      .describe(
        'Face detector boxes scoring below this are dropped before the mesh runs. Low because the mesh presence score rejects false faces; small or grey faces often score 0.2-0.5. Default: 0.2.',
      ),
    minPresenceConfidence: scoreThresholdSchema
      .default(0.5)
      .describe(
        "Faces whose mesh face-presence score is below this are dropped (rejects the detector's false faces). Default: 0.5.",
      ),
    refineLandmarks: z
      .boolean()
      .default(false)
      .describe(
        'Run the iris model too and return 478 points (irises at 468–477) instead of 468. Default: false.',
      ),
    smallFaces: z
      .boolean()
      .default(true)
      .describe(
        'Second look for small faces: when the whole-image pass finds no face or a small one (box under 1/8 of the longer side) on an image of at least 512 px, the detector also runs on overlapping square tiles half that side (faces 2× larger; 6 tiles on a 3:2 or 4:3 photo) and the mesh checks what they add. Finds faces with ~11-14 px between the eyes that the whole-image pass misses; costs extra detector and mesh runs when it triggers, false turns it off. Default: true.',
      ),
    modelPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A folder holding blazeface.json/.bin, facemesh.json/.bin and iris.json/.bin, used instead of the model store. Default: none.',
      ),
    precision: facePrecisionSchema,
    engine: z
      .enum(ENGINE_NAMES)
      .default('auto')
      .describe(
        'Which engine runs the models: "auto" (onnxruntime-node in Node where it loads, on ONNX forms converted from the same verified weights on first use and cached; tfjs otherwise, and in browsers), "tfjs" (always tfjs), "onnx" (always onnxruntime). Default: "auto".',
      ),
  })
  .strict();

/**
 * Options of `detect` / `detectFaceLandmarks` (all optional; override the landmarker's).
 *
 * @example
 * ```ts
 * const opts = parseOptions(detectFaceLandmarksOptionsSchema, { refineLandmarks: true }, 'detect');
 * ```
 */
export const detectFaceLandmarksOptionsSchema = z
  .object({
    maxFaces: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Overrides the landmarker's maxFaces. Default: the landmarker's (none unless set)."),
    minDetectionConfidence: scoreThresholdSchema
      .optional()
      .describe("Overrides the landmarker's minDetectionConfidence. Default: the landmarker's (0.2)."),
    minPresenceConfidence: scoreThresholdSchema
      .optional()
      .describe("Overrides the landmarker's minPresenceConfidence. Default: the landmarker's (0.5)."),
    refineLandmarks: z
      .boolean()
      .optional()
      .describe("Overrides the landmarker's refineLandmarks. Default: the landmarker's (false)."),
    smallFaces: z
      .boolean()
      .optional()
      .describe("Overrides the landmarker's smallFaces. Default: the landmarker's (true)."),
    signal: signalSchema,
  })
  .strict();

/** Options accepted by `createFaceLandmarker`. */
export type FaceLandmarkerOptions = z.input<typeof faceLandmarkerOptionsSchema>;
/** Options accepted by `detect` and `detectFaceLandmarks`. */
export type DetectFaceLandmarksOptions = z.input<typeof detectFaceLandmarksOptionsSchema>;
