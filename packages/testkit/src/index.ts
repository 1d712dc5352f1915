import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root (the folder with pnpm-workspace.yaml). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The shared evaluation datasets: `$ONDEVICE_DATASETS`, else `../shared/datasets` beside the
 * repository (where CI and developers have them).
 */
export function datasetsDir(): string {
  const dir = process.env.ONDEVICE_DATASETS ?? join(repoRoot, '..', 'shared', 'datasets');
  if (!existsSync(dir)) {
    throw new Error(
      `Evaluation datasets not found at ${dir}; set ONDEVICE_DATASETS to the shared/datasets folder.`,
    );
  }
  return dir;
}

/** A path inside the shared datasets. */
export function datasetPath(...parts: string[]): string {
  return join(datasetsDir(), ...parts);
}

export type { DetectionSample } from './detection-dataset.js';
export { readDetectionDataset } from './detection-dataset.js';
export type {
  ClassEval,
  DetectionEval,
  DetectionEvalOptions,
  DetectionToScore,
  EvalBox,
  EvalImage,
  GroundTruthObject,
} from './detection-eval.js';
export { boxIou, evaluateDetections, interpolatedAp } from './detection-eval.js';
export type { Fault, FaultServer } from './fault-server.js';
export { FAULTS, startFaultServer } from './fault-server.js';
export type { DisposeOutcome } from './settle.js';
export { settleOrDisposed } from './settle.js';
