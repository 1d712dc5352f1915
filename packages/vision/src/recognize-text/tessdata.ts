import {
  getConfig,
  type LoadModelOptions,
  loadModel,
  ModelIntegrityError,
  ModelLoadError,
  type ModelSpec,
  modelKey,
  modelMirrorPath,
  resolveCacheDir,
  sha256Hex,
} from '@ondevice/core';
import { TESSERACT_LANGUAGE_SPECS } from '../models.js';
import { useVisionModelPackages } from '../package-root.js';

/**
 * Folder of the model cache holding the language data tesseract.js reads (its `langPath`), one
 * `<code>.traineddata.gz` per language: `<cacheDir>/tesseract-tessdata/<version>/`.
 */
const TESSDATA_CACHE_FOLDER = 'tesseract-tessdata';

/** The folder of the installed package that ships `spec`'s file, resolved from this package. */
async function installedFolder(spec: ModelSpec): Promise<string | undefined> {
  if (!spec.npm) return undefined;
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const { access } = await import('node:fs/promises');
  const req = createRequire(import.meta.url);
  // @ondevice/vision-models mirrors the package's files (see package-root.ts), else the package.
  const candidates = [
    () =>
      join(dirname(req.resolve('@ondevice/vision-models/package.json')), 'files', modelMirrorPath(spec.npm!)),
    () => join(dirname(req.resolve(`${spec.npm!.package}/package.json`)), spec.npm!.dir),
  ];
  for (const candidate of candidates) {
    try {
      const dir = candidate();
      await access(join(dir, spec.files[0]!.path));
      return dir;
    } catch {
      // not there
    }
  }
  return undefined;
}

async function matches(bytes: Uint8Array | undefined, spec: ModelSpec): Promise<boolean> {
  const file = spec.files[0]!;
  return !!bytes && bytes.byteLength === file.size && (await sha256Hex(bytes)) === file.sha256.toLowerCase();
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
  return join(await resolveCacheDir(), TESSDATA_CACHE_FOLDER, versions);
}

/**
 * Returns a folder holding each language's `<code>.traineddata.gz` with the size and SHA-256 of
 * its spec, checked now. Called right before every Tesseract worker starts, so a worker never
 * reads data that was not checked just before.
 *
 * - One language whose installed package (`@tesseract.js-data/<code>`, resolved from this
 *   package) holds the right bytes: that package's folder, read in place; nothing is written.
 * - Otherwise (several languages, or no intact package): a copy in the model cache,
 *   `<cacheDir>/tesseract-tessdata/<version>/`. A missing copy is written from the model store
 *   (SHA-256 checked there too); a copy that does not match is replaced the same way and the call
 *   rejects with {@link ModelIntegrityError} (the next one finds the repaired copy).
 *
 * Nothing is ever written outside the model cache (no temporary folder, no working directory).
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
  if (specs.length === 1 && specs[0]!.files[0]!.path === `${languages[0]}.traineddata.gz`) {
    const installed = await installedFolder(specs[0]!);
    if (installed) {
      const bytes = await fs.readFile(join(installed, specs[0]!.files[0]!.path)).catch(() => undefined);
      if (await matches(bytes, specs[0]!)) return installed;
    }
  }
  const dir = await languageDataFolder(languages);
  const problems: string[] = [];
  const replaced: ModelSpec[] = [];
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
      replaced.push(spec);
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
    const from = replaced.map((s) => (s.npm ? `${s.npm.package}@${s.npm.version}` : modelKey(s))).join(', ');
    const message = `The Tesseract language data in the model cache was changed on disk: ${problems.join(' ')} It was not used and has been replaced with verified data from ${from}; retry.`;
    getConfig().logger.warn(message);
    throw new ModelIntegrityError(message);
  }
  return dir;
}
