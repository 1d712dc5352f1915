import { getConfig, isNode } from '../env.js';
import type { ModelFileSpec, ModelSpec } from './spec.js';

/** A model found in the local cache. */
export interface CachedModelInfo {
  id: string;
  version: string;
  files: { path: string; size: number }[];
  /** Total bytes on disk (or in the Cache API). */
  size: number;
}

/** @internal Storage behind the model cache: the file system in Node, the Cache API in browsers. */
export interface CacheBackend {
  readonly location: string;
  read(spec: ModelSpec, file: ModelFileSpec): Promise<Uint8Array | undefined>;
  write(spec: ModelSpec, file: ModelFileSpec, bytes: Uint8Array): Promise<void>;
  remove(id: string, version?: string, path?: string): Promise<boolean>;
  list(): Promise<CachedModelInfo[]>;
}

const CACHE_NAME = 'ondevice-models-v1';
const CACHE_URL_BASE = 'https://ondevice.invalid/models/';

/** @internal The default cache directory in Node. */
export async function defaultCacheDir(): Promise<string> {
  const { homedir } = await import('node:os');
  const { join } = await import('node:path');
  return process.env.ONDEVICE_CACHE_DIR || join(homedir(), '.cache', 'ondevice');
}

async function nodeCache(): Promise<CacheBackend> {
  const fs = await import('node:fs/promises');
  const { join, dirname, relative, sep } = await import('node:path');
  const root = getConfig().cacheDir ?? (await defaultCacheDir());
  const fileOf = (id: string, version: string, path: string) => join(root, id, version, path);
  return {
    location: root,
    async read(spec, file) {
      try {
        const bytes = await fs.readFile(fileOf(spec.id, spec.version, file.path));
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch {
        return undefined;
      }
    },
    async write(spec, file, bytes) {
      const target = fileOf(spec.id, spec.version, file.path);
      await fs.mkdir(dirname(target), { recursive: true });
      // Write then rename, so a crash never leaves a half file under the final name.
      const tmp = `${target}.${process.pid}.${Date.now()}.part`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, target);
    },
    async remove(id, version, path) {
      const target =
        path && version ? fileOf(id, version, path) : version ? join(root, id, version) : join(root, id);
      try {
        await fs.access(target);
      } catch {
        return false;
      }
      await fs.rm(target, { recursive: true, force: true });
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
              else if (!e.name.endsWith('.part'))
                files.push({ path: relative(base, p).split(sep).join('/'), size: (await fs.stat(p)).size });
            }
          };
          await walk(base);
          if (files.length) out.push({ id, version, files, size: files.reduce((n, f) => n + f.size, 0) });
        }
      }
      return out;
    },
  };
}

function browserCache(): CacheBackend {
  const keyOf = (id: string, version: string, path: string) =>
    `${CACHE_URL_BASE}${encodeURIComponent(id)}/${encodeURIComponent(version)}/${path}`;
  const open = () => caches.open(CACHE_NAME);
  return {
    location: `Cache API "${CACHE_NAME}"`,
    async read(spec, file) {
      const res = await (await open()).match(keyOf(spec.id, spec.version, file.path));
      return res ? new Uint8Array(await res.arrayBuffer()) : undefined;
    },
    async write(spec, file, bytes) {
      await (await open()).put(
        keyOf(spec.id, spec.version, file.path),
        new Response(bytes as Uint8Array<ArrayBuffer>, {
          headers: { 'content-length': String(bytes.byteLength) },
        }),
      );
    },
    async remove(id, version, path) {
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
  };
}

/** @internal The cache for this environment, or undefined where none exists. */
export async function getCacheBackend(): Promise<CacheBackend | undefined> {
  if (isNode()) return nodeCache();
  if (typeof caches !== 'undefined') return browserCache();
  return undefined;
}
