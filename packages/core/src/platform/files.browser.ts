// Browser half of core's file access (selected by `#platform/files` in package.json `imports`).
// A page has no file system: core reaches none of these there (every caller checks isNode()
// first); each rejects or answers "not found" should one be reached anyway.
import { InputError } from '../errors.js';

/** @internal An open file read at positions (the WAV reader's view of a file handle). */
export interface LocalFile {
  stat(): Promise<{ size: number; isDirectory: boolean }>;
  read(into: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

const noFiles = (path: string) =>
  new InputError(
    `"${path}" is a file path, and a browser page has no file system: pass a URL, a Blob/File or the bytes.`,
  );

/** @internal No file system: rejects with InputError. */
export async function readFileBytes(path: string, _signal?: AbortSignal): Promise<Uint8Array> {
  throw noFiles(path);
}

/** @internal No file system: undefined. */
export async function readFileIfThere(_path: string): Promise<Uint8Array | undefined> {
  return undefined;
}

/** @internal No file system: rejects with InputError. */
export async function openLocalFile(path: string): Promise<LocalFile> {
  throw noFiles(path);
}

/** @internal `<dir>/<path>`. */
export function joinLocalPath(dir: string, path: string): string {
  return `${dir.replace(/\/+$/, '')}/${path}`;
}

/** @internal The path part of a `file:` URL. */
export function urlToPath(url: URL | string): string {
  return decodeURIComponent(new URL(url).pathname);
}

/** @internal No installed packages: undefined. */
export async function findMirroredFile(
  _roots: readonly string[],
  _npm: { package: string; version: string; dir: string },
  _path: string,
): Promise<string | undefined> {
  return undefined;
}

/** @internal No installed packages: undefined. */
export async function findPackageFile(
  _roots: readonly string[],
  _libraryUrl: string,
  _pkg: string,
  _dir: string,
  _path: string,
): Promise<string | undefined> {
  return undefined;
}
