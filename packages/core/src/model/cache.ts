import { getConfig, isNode } from '../env.js';
import { OptionsError } from '../errors.js';
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

const PART = /^(.+?)\.(\d+)\.(\d+)(?:\.\d+)?\.part$/;
let partSeq = 0;

/** @internal The default cache directory in Node. */
export async function defaultCacheDir(): Promise<string> {
  const { homedir } = await import('node:os');
  const { isAbsolute, join } = await import('node:path');
  if (process.env.ONDEVICE_CACHE_DIR) return process.env.ONDEVICE_CACHE_DIR;
  // The XDG base-directory rule: only an absolute XDG_CACHE_HOME counts.
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'ondevice');
}

/**
 * Node: the model cache's folder as every part of the project resolves it —
 * `configure({ cacheDir })`, else `$ONDEVICE_CACHE_DIR`, else `$XDG_CACHE_HOME/ondevice`, else
 * `~/.cache/ondevice` — as an absolute path. Task packages that keep derived files in the cache
 * use it, so the rule lives in one place.
 *
 * @example
 * ```ts
 * const dir = await resolveCacheDir(); // '/home/me/.cache/ondevice'
 * ```
 */
export async function resolveCacheDir(): Promise<string> {
  const { resolve } = await import('node:path');
  return resolve(getConfig().cacheDir ?? (await defaultCacheDir()));
}

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}

async function nodeCache(): Promise<CacheBackend> {
  const fs = await import('node:fs/promises');
  const { join, dirname, relative, sep, isAbsolute } = await import('node:path');
  const root = await resolveCacheDir();
  const realRoot = async () => fs.realpath(root).catch(() => root);
  const strictlyInside = (base: string, p: string) => {
    const rel = relative(base, p);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  // Every path is built from checked names only, then checked again to be inside the root.
  const fileOf = (id: string, version: string, path?: string) => {
    const parts = [checkModelName(id, 'model id'), checkModelName(version, 'model version')];
    if (path !== undefined) parts.push(...checkModelFilePath(path).split('/'));
    const p = join(root, ...parts);
    if (!strictlyInside(root, p)) throw new OptionsError(`${p} is outside the model cache ${root}.`);
    return p;
  };
  // The real location (symlinks resolved) must be inside the real root before anything is
  // written or deleted there.
  const confine = async (p: string, what: string, rootItself = false) => {
    const real = await fs.realpath(p);
    const base = await realRoot();
    if (!(rootItself && real === base) && !strictlyInside(base, real))
      throw new OptionsError(
        `Refusing to ${what} ${p}: it resolves to ${real}, outside the cache ${root}. Remove the link by hand if it is yours.`,
      );
  };
  const staleAfter = () => Math.max(STALE_PARTIAL_MS, 2 * getConfig().downloadIdleTimeout);

  const createWriter = async (spec: ModelSpec, file: ModelFileSpec): Promise<CacheWriter> => {
    const target = fileOf(spec.id, spec.version, file.path);
    await fs.mkdir(dirname(target), { recursive: true });
    await confine(dirname(target), 'write into');
    const tmp = `${target}.${process.pid}.${Date.now()}.${partSeq++}.part`;
    const handle = await fs.open(tmp, 'wx');
    let chain: Promise<void> = Promise.resolve();
    let failed: unknown;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await handle.close().catch(() => {});
    };
    return {
      append(chunk) {
        chain = chain.then(async () => {
          if (failed !== undefined) return;
          try {
            for (let o = 0; o < chunk.byteLength; ) {
              const { bytesWritten } = await handle.write(chunk, o, chunk.byteLength - o);
              o += bytesWritten;
            }
          } catch (error) {
            failed = error;
          }
        });
      },
      async commit() {
        await chain;
        await close();
        if (failed !== undefined) {
          await fs.rm(tmp, { force: true }).catch(() => {});
          throw failed;
        }
        try {
          await fs.rename(tmp, target);
        } catch (error) {
          await fs.rm(tmp, { force: true }).catch(() => {});
          throw error;
        }
      },
      async abort() {
        await chain;
        await close();
        await fs.rm(tmp, { force: true }).catch(() => {});
      },
    };
  };

  return {
    location: root,
    async read(spec, file) {
      try {
        const bytes = await fs.readFile(fileOf(spec.id, spec.version, file.path));
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (error) {
        if (error instanceof OptionsError) throw error;
        return undefined;
      }
    },
    createWriter,
    async write(spec, file, bytes) {
      const writer = await createWriter(spec, file);
      writer.append(bytes);
      await writer.commit();
    },
    async remove(id, version, path) {
      const target =
        version === undefined ? join(root, checkModelName(id, 'model id')) : fileOf(id, version, path);
      try {
        await fs.lstat(target);
      } catch {
        return false;
      }
      // A link inside the cache is removed itself; one it passes through must stay in the cache.
      await confine(dirname(target), 'delete inside', true);
      const info = await fs.lstat(target);
      if (!info.isSymbolicLink()) await confine(target, 'delete');
      await fs.rm(target, { recursive: true, force: true });
      // The model's folder goes too once its last version has (rmdir only removes an empty one).
      if (version !== undefined && path === undefined) await fs.rmdir(dirname(target)).catch(() => {});
      return true;
    },
    async list() {
      const out: CachedModelInfo[] = [];
      const ids = await fs.readdir(root).catch(() => [] as string[]);
      for (const id of ids) {
        const versions = await fs.readdir(join(root, id)).catch(() => [] as string[]);
        for (const version of versions) {
          const base = join(root, id, version);
          const files: { path: string; size: number }[] = [];
          const walk = async (dir: string): Promise<void> => {
            const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
            for (const e of entries) {
              const p = join(dir, e.name);
              if (e.isDirectory()) await walk(p);
              else if (!e.name.endsWith('.part')) {
                const info = await fs.stat(p).catch(() => undefined);
                if (info?.isFile())
                  files.push({ path: relative(base, p).split(sep).join('/'), size: info.size });
              }
            }
          };
          await walk(base);
          if (files.length) out.push({ id, version, files, size: files.reduce((n, f) => n + f.size, 0) });
        }
      }
      return out;
    },
    async cleanPartial(scope) {
      const removed: PartialDownloadInfo[] = [];
      const inProgress: PartialDownloadInfo[] = [];
      const now = Date.now();
      const visit = async (id: string, version: string) => {
        const base = join(root, id, version);
        const walk = async (dir: string): Promise<void> => {
          const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
          for (const e of entries) {
            const p = join(dir, e.name);
            if (e.isDirectory()) {
              await walk(p);
              continue;
            }
            if (!e.isFile() || !e.name.endsWith('.part')) continue;
            const info = await fs.stat(p).catch(() => undefined);
            if (!info) continue;
            const m = PART.exec(e.name);
            const pid = m ? Number(m[2]) : undefined;
            const rel = relative(base, p).split(sep).join('/');
            const entry: PartialDownloadInfo = {
              id,
              version,
              path: rel,
              file: m ? rel.slice(0, rel.length - e.name.length) + m[1] : rel.replace(/\.part$/, ''),
              size: info.size,
              pid,
              modifiedAt: info.mtimeMs,
              writerGone: pid !== undefined && pid !== process.pid && pidGone(pid),
            };
            if (entry.writerGone || now - info.mtimeMs > staleAfter()) {
              try {
                await confine(p, 'delete');
                await fs.rm(p, { force: true });
                removed.push(entry);
              } catch (error) {
                getConfig().logger.warn(`could not delete the stale partial download ${p}: ${String(error)}`);
                inProgress.push(entry);
              }
            } else inProgress.push(entry);
          }
        };
        await walk(base);
      };
      if (scope)
        await visit(checkModelName(scope.id, 'model id'), checkModelName(scope.version, 'model version'));
      else
        for (const id of await fs.readdir(root).catch(() => [] as string[]))
          for (const version of await fs.readdir(join(root, id)).catch(() => [] as string[]))
            await visit(id, version);
      return { removed, inProgress };
    },
  };
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
  if (isNode()) return nodeCache();
  if (typeof caches !== 'undefined') return browserCache();
  return undefined;
}
