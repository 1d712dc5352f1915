// Browser half of the model cache (selected by `#platform/cache` in package.json `imports`):
// browsers cache models with the Cache API (model/cache.ts); there is no cache folder.
import { BackendUnavailableError } from '../errors.js';
import type { CacheBackend } from '../model/cache.js';

const NO_FOLDER =
  'A browser has no model cache folder: models are cached with the Cache API ("ondevice-models-v1"). cacheDir is a Node.js setting.';

/** @internal No cache folder in a browser: rejects with BackendUnavailableError. */
export async function cacheDirIn(_configured: string | undefined): Promise<string> {
  throw new BackendUnavailableError(NO_FOLDER);
}

/** @internal No file-system cache in a browser: rejects with BackendUnavailableError. */
export async function openNodeCache(_root: string, _staleAfter: () => number): Promise<CacheBackend> {
  throw new BackendUnavailableError(NO_FOLDER);
}
