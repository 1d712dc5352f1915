// How many threads an engine's kernels use when `configure({ threads })` is unset.
import { isNode } from '../env.js';

/**
 * Threads an engine uses per run (onnxruntime-node, tfjs's WASM kernels) when `configure({ threads })` is unset: half the machine's
 * cores, at least 1 and at most 4. On the 2-core machine this project is measured on, CenterNet
 * ran no faster on 2 threads than on 1 (bench/results/object-detection.md), so 1 there.
 *
 * @example
 * ```ts
 * const threads = getConfig().threads ?? defaultThreads();
 * ```
 */
export function defaultThreads(): number {
  let cores = 1;
  if (isNode()) {
    const load = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const os = load?.('node:os') as
      | { availableParallelism?: () => number; cpus?: () => unknown[] }
      | undefined;
    cores = os?.availableParallelism?.() ?? os?.cpus?.().length ?? 1;
  } else {
    cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  }
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}
