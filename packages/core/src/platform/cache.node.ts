// Node half of the model cache (selected by `#platform/cache` in package.json `imports`): the
// cache on the file system, its folder, and partial downloads. Browsers use the Cache API
// (model/cache.ts) and never load this module.
import * as fs from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { getConfig } from '../env.js';
import { OptionsError } from '../errors.js';
import type { CachedModelInfo, CacheBackend, CacheWriter, PartialDownloadInfo } from '../model/cache.js';
import { checkModelFilePath, checkModelName } from '../model/names.js';
import type { ModelFileSpec, ModelSpec } from '../model/spec.js';

const PART = /^(.+?)\.(\d+)\.(\d+)(?:\.\d+)?\.part$/;
let partSeq = 0;

/**
 * @internal The cache folder when `configure({ cacheDir })` is unset: `$ONDEVICE_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/ondevice` (only an absolute XDG_CACHE_HOME counts, the XDG base-directory
 * rule), else `~/.cache/ondevice`; then `configured` when given, made absolute.
 */
export async function cacheDirIn(configured: string | undefined): Promise<string> {
  if (configured) return resolve(configured);
  if (process.env.ONDEVICE_CACHE_DIR) return resolve(process.env.ONDEVICE_CACHE_DIR);
  const xdg = process.env.XDG_CACHE_HOME;
  return resolve(join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'ondevice'));
}

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}

/**
 * @internal The model cache on the file system, in `root` (an absolute path). `staleAfter` says
 * when a partial file counts as abandoned (ms since its last write).
 */
export async function openNodeCache(root: string, staleAfter: () => number): Promise<CacheBackend> {
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
