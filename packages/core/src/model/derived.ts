import { getConfig } from '../env.js';
import { ModelIntegrityError, type OptionsError } from '../errors.js';
import { getCacheBackend } from './cache.js';
import { sha256Hex } from './hash.js';
import { checkModelSpec } from './names.js';
import { type ModelSpec, modelKey } from './spec.js';

/**
 * Checks files made on this device (e.g. weights quantised from a verified model) against a spec's
 * sizes and SHA-256, then writes them to the model cache under that spec, so later `loadModel`
 * calls find them there (and a cache folder can be served as `modelBaseUrl`). Rejects with
 * {@link ModelIntegrityError} when a file differs from its spec, before writing anything, and with
 * {@link OptionsError} when the spec's id, version or a file path is not a plain name. Resolves
 * to whether the files were cached (false where there is no cache or writing failed).
 *
 * @example
 * ```ts
 * await storeDerivedModel(CENTERNET_INT8, new Map([['centernet.json', json], ['centernet.bin', bin]]));
 * ```
 */
export async function storeDerivedModel(
  spec: ModelSpec,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<boolean> {
  // Its id, version and paths become cache paths: names only (OptionsError otherwise).
  checkModelSpec(spec);
  for (const file of spec.files) {
    const bytes = files.get(file.path);
    if (!bytes) throw new ModelIntegrityError(`${modelKey(spec)}: the derived files lack "${file.path}".`);
    const sum = await sha256Hex(bytes);
    if (bytes.byteLength !== file.size || sum !== file.sha256.toLowerCase())
      throw new ModelIntegrityError(
        `${modelKey(spec)}: derived "${file.path}" has ${bytes.byteLength} bytes and SHA-256 ${sum}, expected ${file.size} bytes and ${file.sha256}. The derivation changed; it must reproduce the recorded files exactly.`,
      );
  }
  const cache = await getCacheBackend();
  if (!cache) return false;
  try {
    for (const file of spec.files) await cache.write(spec, file, files.get(file.path)!);
    return true;
  } catch (error) {
    getConfig().logger.warn(`could not write ${modelKey(spec)} to the model cache: ${String(error)}`);
    return false;
  }
}
