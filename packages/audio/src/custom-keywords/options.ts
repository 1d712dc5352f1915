import { signalSchema } from '@ondevice/core';
import { z } from 'zod';

const audioInput = z.custom<unknown>((v) => v !== undefined && v !== null, { message: 'an audio input' });

/** Options of `enrollKeyword`. */
export const enrollKeywordOptionsSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(64)
    .describe('The keyword name reported in detections (required), e.g. "hey_computer".'),
  examples: z
    .array(audioInput)
    .min(1)
    .max(50)
    .describe(
      'Recordings of the keyword (3–10 recommended; WAV path, WAV bytes or { samples, sampleRate }), each holding one utterance.',
    ),
  negatives: z
    .array(audioInput)
    .default([])
    .describe('Recordings without the keyword (e.g. the user talking, room noise). Default: none.'),
  builtinNegatives: z
    .boolean()
    .default(true)
    .describe('Also train against the shipped bank of non-keyword speech embeddings. Default: true.'),
  augmentations: z
    .number()
    .int()
    .min(1)
    .max(200)
    .default(24)
    .describe('Augmented copies of each example (gain, noise, speed, time shift). Default: 24.'),
  threshold: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Score threshold stored in the head. Default: calibrated on the negatives (at least 0.5).'),
  epochs: z.number().int().min(1).max(500).default(40).describe('Training epochs. Default: 40.'),
  seed: z.number().int().default(1).describe('Random seed (augmentation and initial weights). Default: 1.'),
  license: z
    .string()
    .default('user-provided')
    .describe('Licence recorded in the head. Default: "user-provided".'),
  runtime: z
    .enum(['auto', 'node', 'web'])
    .default('auto')
    .describe('onnxruntime used for the embedding: auto, node or web. Default: auto.'),
  modelPath: z
    .string()
    .optional()
    .describe('Folder or URL holding the embedding model files. Default: none.'),
  signal: signalSchema.describe('Aborts enrolment. Default: none.'),
});

/** Options of `enrollKeyword` as given by the caller. */
export type EnrollKeywordOptions = z.input<typeof enrollKeywordOptionsSchema>;
