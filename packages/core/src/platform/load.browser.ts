// Browser half of loading Node-only packages (selected by `#platform/load` in package.json
// `imports`): there are none to load.
import { BackendUnavailableError } from '../errors.js';

/** The Node-only packages core loads when they are there. */
export type NodeOnlyPackage = 'sharp' | 'onnxruntime-node';

/** @internal Node-only packages do not run in browsers: rejects with BackendUnavailableError. */
export function importNodeOnly<T>(name: NodeOnlyPackage): Promise<T> {
  return Promise.reject(
    new BackendUnavailableError(`${name} runs only in Node.js; this is the browser build of @ondevice/core.`),
  );
}

/** @internal No `require()` here: undefined, so callers take their `import()` path. */
export function requireFrom(_from: string): ((id: string) => unknown) | undefined {
  return undefined;
}
