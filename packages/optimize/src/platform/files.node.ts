// Node half of optimize's file helpers (selected by `#platform/files` in package.json `imports`):
// the `*Files` functions read a model from disk and write the result.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** @internal A file's bytes; rejects with the file system's error. */
export async function readBytes(path: string): Promise<Uint8Array> {
  const b = await readFile(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** @internal Writes a file, creating its folder first. */
export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/** @internal `path` relative to the folder of `file` (a weights file beside its model.json). */
export function besides(file: string, path: string): string {
  return join(dirname(file), path);
}

/** @internal `<dir>/<name>`. */
export function inFolder(dir: string, name: string): string {
  return join(dir, name);
}

/** @internal The last part of a path. */
export function fileName(path: string): string {
  return basename(path);
}
