// Node half of core's file access (selected by `#platform/files` in package.json `imports`): the
// model store's local reads and npm-package lookups, and the image and audio file readers.
import { access, open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelMirrorPath } from '../model/spec.js';

/** @internal An open file read at positions (the WAV reader's view of a file handle). */
export interface LocalFile {
  stat(): Promise<{ size: number; isDirectory: boolean }>;
  read(into: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

/** @internal A file's bytes; rejects with the file system's error (its `code` says why). */
export async function readFileBytes(path: string, signal?: AbortSignal): Promise<Uint8Array> {
  const b = await readFile(path, signal ? { signal } : undefined);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** @internal A file's bytes, or undefined when it cannot be read. */
export async function readFileIfThere(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFileBytes(path);
  } catch {
    return undefined;
  }
}

/** @internal Opens a file for positioned reads; rejects with the file system's error. */
export async function openLocalFile(path: string): Promise<LocalFile> {
  const handle = await open(path, 'r');
  return {
    async stat() {
      const s = await handle.stat();
      return { size: s.size, isDirectory: s.isDirectory() };
    },
    async read(into, offset, length, position) {
      return (await handle.read(into, offset, length, position)).bytesRead;
    },
    close: () => handle.close(),
  };
}

/** @internal `<dir>/<path>` with `dir` made absolute against the working directory. */
export function joinLocalPath(dir: string, path: string): string {
  return join(resolve(dir), path);
}

/** @internal The path of a `file:` URL, e.g. a package's root from `new URL('../', import.meta.url)`. */
export function urlToPath(url: URL | string): string {
  return fileURLToPath(url);
}

/** @internal The first `<root>/<package>@<version>/<dir>/<path>` that exists, or undefined. */
export async function findMirroredFile(
  roots: readonly string[],
  npm: { package: string; version: string; dir: string },
  path: string,
): Promise<string | undefined> {
  for (const root of roots) {
    const target = join(root, modelMirrorPath(npm, path));
    try {
      await access(target);
      return target;
    } catch {
      // not mirrored here
    }
  }
  return undefined;
}

/**
 * @internal `<dir>/<path>` inside the installed npm package `pkg`, resolved from each of
 * `roots`, the working directory and `libraryUrl` (the caller's `import.meta.url`), or undefined.
 */
export async function findPackageFile(
  roots: readonly string[],
  libraryUrl: string,
  pkg: string,
  dir: string,
  path: string,
): Promise<string | undefined> {
  const froms = [...roots.map((r) => join(r, 'noop.js')), join(process.cwd(), 'noop.js'), libraryUrl];
  for (const from of froms) {
    try {
      const req = createRequire(from);
      // Some model packages have an `exports` map without package.json: resolve its folder by lookup paths.
      for (const base of req.resolve.paths(pkg) ?? []) {
        const target = join(base, pkg, dir, path);
        try {
          await access(target);
          return target;
        } catch {
          // keep looking
        }
      }
      const main = dirname(req.resolve(`${pkg}/package.json`));
      const target = join(main, dir, path);
      await access(target);
      return target;
    } catch {
      // not resolvable from here
    }
  }
  return undefined;
}
