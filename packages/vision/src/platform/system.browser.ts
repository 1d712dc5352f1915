// Browser half of what vision asks of the machine (selected by `#platform/system` in package.json
// `imports`).

/** @internal Logical cores the browser reports (1 when it does not say). */
export function machineCores(): number {
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}
