// Node half of optimize's gzip sizes (selected by `#platform/gzip` in package.json `imports`).
import { gzipSync } from 'node:zlib';

/** @internal Gzip size at level 6 (what web servers use by default), by node:zlib. */
export async function gzippedLength(bytes: Uint8Array): Promise<number | undefined> {
  return gzipSync(bytes, { level: 6 }).byteLength;
}
