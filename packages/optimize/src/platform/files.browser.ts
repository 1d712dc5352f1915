// Browser half of optimize's file helpers (selected by `#platform/files` in package.json
// `imports`): a page has no file system, so the `*Files` functions reject; the in-memory
// functions (`optimizeGraphModel`, `convertGraphModelToOnnx`) take and return bytes.
import { BackendUnavailableError } from '@ondevice/core';

const noFiles = (path: string) =>
  new BackendUnavailableError(
    `"${path}": the *Files functions of @ondevice/optimize read and write files, in Node.js only. In a browser pass the bytes to optimizeGraphModel or convertGraphModelToOnnx.`,
  );

/** @internal No file system: rejects with BackendUnavailableError. */
export async function readBytes(path: string): Promise<Uint8Array> {
  throw noFiles(path);
}

/** @internal No file system: rejects with BackendUnavailableError. */
export async function writeBytes(path: string, _bytes: Uint8Array): Promise<void> {
  throw noFiles(path);
}

/** @internal `path` relative to the folder of `file`. */
export function besides(file: string, path: string): string {
  return `${file.slice(0, file.lastIndexOf('/') + 1)}${path}`;
}

/** @internal `<dir>/<name>`. */
export function inFolder(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** @internal The last part of a path. */
export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
