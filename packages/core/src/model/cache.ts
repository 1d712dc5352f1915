import { cacheDirIn, openNodeCache } from '#platform/cache';
import { getConfig, isNode } from '../env.js';
import { checkModelFilePath, checkModelName } from './names.js';
import type { ModelFileSpec, ModelSpec } from './spec.js';

/** A model found in the local cache. */
export interface CachedModelInfo {
  id: string;
  version: string;
  files: { path: string; size: number }[];
  /** Total bytes on disk (or in the Cache API). */
  size: number;
}

/**
 * A download's partial file in the cache (`<file>.<writer pid>.<time>.part`): written as bytes
 * arrive and renamed to the file's name once its SHA-256 matches.
 */
export interface PartialDownloadInfo {
  id: string;
  version: string;
  /** The partial file's path inside the model's folder, e.g. `weights.bin.4242.1733220000000.part`. */
  path: string;
  /** The model file it will become, e.g. `weights.bin`. */
  file: string;
  size: number;
  /** Process id of the writer, when the name records it. */
  pid: number | undefined;
  /** Last write, in ms since the epoch. */
  modifiedAt: number;
  /** True when the writer's process is gone (checked on this machine). */
  writerGone: boolean;
}

/** @internal A file being written into the cache: bytes go to a partial file until `commit()`. */
export interface CacheWriter {
  /** Queues bytes; a write error is kept and reported by `commit()`. */
  append(chunk: Uint8Array): void;
  /** Makes the file visible under its name. Rejects when a write failed (nothing is kept then). */
  commit(): Promise<void>;
  /** Discards what was written. Never rejects. */
  abort(): Promise<void>;
}

/** @internal Storage behind the model cache: the file system in Node, the Cache API in browsers. */
export interface CacheBackend {
  readonly location: string;
  read(spec: ModelSpec, file: ModelFileSpec): Promise<Uint8Array | undefined>;
  write(spec: ModelSpec, file: ModelFileSpec, bytes: Uint8Array): Promise<void>;
  createWriter(spec: ModelSpec, file: ModelFileSpec): Promise<CacheWriter>;
  remove(id: string, version?: string, path?: string): Promise<boolean>;
  list(): Promise<CachedModelInfo[]>;
  /** Removes partial files whose writer is gone or that went unwritten too long; lists the rest. */
  cleanPartial(scope?: {
    id: string;
    version: string;
  }): Promise<{ removed: PartialDownloadInfo[]; inProgress: PartialDownloadInfo[] }>;
}

const CACHE_NAME = 'ondevice-models-v1';
const CACHE_URL_BASE = 'https://ondevice.invalid/models/';

/**
 * A partial file untouched for this long is stale even when its writer's process seems alive
 * (another machine sharing the cache, a reused pid): 10 minutes, or twice `downloadIdleTimeout`
 * when that is longer, since a live download writes at least that often.
 *
 * @example
 * ```ts
 * const old = (p: PartialDownloadInfo) => Date.now() - p.modifiedAt > STALE_PARTIAL_MS;
 * ```
 */
export const STALE_PARTIAL_MS = 10 * 60_000;

/**
 * Node: the model cache's folder as every part of the project resolves it —
 * `configure({ cacheDir })`, else `$ONDEVICE_CACHE_DIR`, else `$XDG_CACHE_HOME/ondevice`, else
 * `~/.cache/ondevice` — as an absolute path. Task packages that keep derived files in the cache
 * use it, so the rule lives in one place. Browsers have no cache folder (models are cached with
 * the Cache API there): rejects with `BackendUnavailableError`.
 *
 * @example
 * ```ts
 * const dir = await resolveCacheDir(); // '/home/me/.cache/ondevice'
 * ```
 */
export async function resolveCacheDir(): Promise<string> {
  return cacheDirIn(getConfig().cacheDir);
}

function browserCache(): CacheBackend {
  const keyOf = (id: string, version: string, path: string) =>
    `${CACHE_URL_BASE}${encodeURIComponent(checkModelName(id, 'model id'))}/${encodeURIComponent(checkModelName(version, 'model version'))}/${checkModelFilePath(path)}`;
  const open = () => caches.open(CACHE_NAME);
  const write = async (spec: ModelSpec, file: ModelFileSpec, bytes: Uint8Array) => {
    await (await open()).put(
      keyOf(spec.id, spec.version, file.path),
      new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'content-length': String(bytes.byteLength) },
      }),
    );
  };
  return {
    location: `Cache API "${CACHE_NAME}"`,
    async read(spec, file) {
      const res = await (await open()).match(keyOf(spec.id, spec.version, file.path));
      return res ? new Uint8Array(await res.arrayBuffer()) : undefined;
    },
    write,
    async createWriter(spec, file) {
      keyOf(spec.id, spec.version, file.path);
      const chunks: Uint8Array[] = [];
      return {
        append: (chunk) => void chunks.push(chunk),
        async commit() {
          const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
          let o = 0;
          for (const c of chunks) {
            bytes.set(c, o);
            o += c.byteLength;
          }
          await write(spec, file, bytes);
        },
        async abort() {
          chunks.length = 0;
        },
      };
    },
    async remove(id, version, path) {
      checkModelName(id, 'model id');
      if (version !== undefined) checkModelName(version, 'model version');
      if (path !== undefined) checkModelFilePath(path);
      const cache = await open();
      let removed = false;
      for (const req of await cache.keys()) {
        const rest = req.url.slice(CACHE_URL_BASE.length).split('/');
        const [rid, rversion] = rest.map(decodeURIComponent);
        if (rid !== id || (version && rversion !== version) || (path && rest.slice(2).join('/') !== path))
          continue;
        removed = (await cache.delete(req)) || removed;
      }
      return removed;
    },
    async list() {
      const cache = await open();
      const byKey = new Map<string, CachedModelInfo>();
      for (const req of await cache.keys()) {
        if (!req.url.startsWith(CACHE_URL_BASE)) continue;
        const rest = req.url.slice(CACHE_URL_BASE.length).split('/');
        const id = decodeURIComponent(rest[0] ?? '');
        const version = decodeURIComponent(rest[1] ?? '');
        const res = await cache.match(req);
        const size = Number(res?.headers.get('content-length') ?? 0);
        const entry = byKey.get(`${id}@${version}`) ?? { id, version, files: [], size: 0 };
        entry.files.push({ path: rest.slice(2).join('/'), size });
        entry.size += size;
        byKey.set(`${id}@${version}`, entry);
      }
      return [...byKey.values()];
    },
    // The Cache API stores a response whole: there are no partial files.
    async cleanPartial() {
      return { removed: [], inProgress: [] };
    },
  };
}

/** @internal The cache for this environment, or undefined where none exists. */
export async function getCacheBackend(): Promise<CacheBackend | undefined> {
  if (isNode())
    return openNodeCache(await resolveCacheDir(), () =>
      Math.max(STALE_PARTIAL_MS, 2 * getConfig().downloadIdleTimeout),
    );
  if (typeof caches !== 'undefined') return browserCache();
  return undefined;
}
