import {
  getConfig,
  type LoadModelOptions,
  loadModel,
  ModelIntegrityError,
  ModelLoadError,
  type ModelSpec,
  modelKey,
  sha256Hex,
} from '@ondevice/core';
import { TESSERACT_LANGUAGE_SPECS } from '../models.js';
import { useVisionModelPackages } from '../package-root.js';

/**
 * Folder of the model cache holding the language data tesseract.js reads (its `langPath`), one
 * `<code>.traineddata.gz` per language: `<cacheDir>/tesseract-tessdata/<version>/`.
 */
export const TESSDATA_CACHE_FOLDER = 'tesseract-tessdata';

/**
 * The model cache directory, as core resolves it: `configure({ cacheDir })`, else
 * `$ONDEVICE_CACHE_DIR`, else `~/.cache/ondevice`. (Core does not export its resolver.)
 */
async function modelCacheDir(): Promise<string> {
  const configured = getConfig().cacheDir;
  if (configured) return configured;
  const { homedir } = await import('node:os');
  const { join } = await import('node:path');
  return process.env.ONDEVICE_CACHE_DIR || join(homedir(), '.cache', 'ondevice');
}

function specsOf(languages: readonly string[]): ModelSpec[] {
  return languages.map((code) => {
    const spec = TESSERACT_LANGUAGE_SPECS[code];
    if (!spec) throw new ModelLoadError(`No Tesseract data for "${code}" in this package.`);
    return spec;
  });
}

/**
 * Where the copies of `languages` live (Node). Nothing is created.
 *
 * @example
 * ```ts
 * const dir = await languageDataFolder(['eng']); // ~/.cache/ondevice/tesseract-tessdata/4.0.0-best-int
 * ```
 */
export async function languageDataFolder(languages: readonly string[]): Promise<string> {
  const { join } = await import('node:path');
  const versions = [...new Set(specsOf(languages).map((s) => s.version))].join('+');
  return join(await modelCacheDir(), TESSDATA_CACHE_FOLDER, versions);
}

/**
 * Makes sure the model cache holds a copy of each language's data whose size and SHA-256 match
 * its spec, and returns the folder. Called right before every Tesseract worker starts, so a
 * worker never reads a copy that was not checked just before. A missing copy is written from the
 * model store (the installed `@tesseract.js-data/*` package, SHA-256 checked there too); a copy
 * that does not match is replaced the same way and the call rejects with
 * {@link ModelIntegrityError} (the next one finds the repaired copy). Nothing is written outside
 * the model cache.
 *
 * @example
 * ```ts
 * const langPath = await prepareLanguageData(['eng', 'fra']);
 * ```
 */
export async function prepareLanguageData(
  languages: readonly string[],
  load: LoadModelOptions = {},
): Promise<string> {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  const specs = specsOf(languages);
  const dir = await languageDataFolder(languages);
  const problems: string[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const file = spec.files[0]!;
    const target = join(dir, `${languages[i]}.traineddata.gz`);
    let existing: Uint8Array | undefined;
    try {
      existing = await fs.readFile(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ModelLoadError(
          `Cannot read the Tesseract language data ${target}: ${String((error as Error).message)}. Make the model cache readable or set configure({ cacheDir }).`,
          { cause: error },
        );
      }
    }
    if (existing) {
      const sum = existing.byteLength === file.size ? await sha256Hex(existing) : undefined;
      if (sum === file.sha256.toLowerCase()) continue;
      problems.push(
        sum
          ? `${target} has SHA-256 ${sum}, expected ${file.sha256}.`
          : `${target} has ${existing.byteLength} bytes, expected ${file.size}.`,
      );
    }
    await useVisionModelPackages();
    const bytes = (await loadModel(spec, load)).files.get(file.path);
    if (!bytes) throw new ModelLoadError(`${modelKey(spec)} has no ${file.path}.`);
    try {
      await fs.mkdir(dir, { recursive: true });
      // Write then rename: a crash never leaves a half file under the name a worker reads.
      const part = `${target}.${process.pid}.${Date.now()}.part`;
      await fs.writeFile(part, bytes);
      await fs.rename(part, target);
    } catch (error) {
      throw new ModelLoadError(
        `Cannot write the Tesseract language data to the model cache (${dir}): ${String((error as Error).message)}. Make it writable or set configure({ cacheDir }).`,
        { cause: error },
      );
    }
  }
  if (problems.length) {
    const from = specs.map((s) => (s.npm ? `${s.npm.package}@${s.npm.version}` : modelKey(s))).join(', ');
    const message = `The Tesseract language data in the model cache was changed on disk: ${problems.join(' ')} It was not used and has been replaced with verified data from ${from}; retry.`;
    getConfig().logger.warn(message);
    throw new ModelIntegrityError(message);
  }
  return dir;
}
