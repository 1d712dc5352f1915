// Node half of what vision asks of the machine (selected by `#platform/system` in package.json
// `imports`).
import { availableParallelism, cpus } from 'node:os';

/** @internal Logical cores this process may use. */
export function machineCores(): number {
  return availableParallelism?.() ?? cpus().length;
}
