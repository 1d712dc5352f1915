import { gzippedLength } from '#platform/gzip';

/**
 * Gzip size of some bytes: node:zlib (level 6, what web servers use by default) in Node, the
 * CompressionStream API in browsers; undefined where neither exists.
 *
 * @example
 * ```ts
 * const n = await gzipSize(new TextEncoder().encode('hello'));
 * ```
 */
export function gzipSize(bytes: Uint8Array): Promise<number | undefined> {
  return gzippedLength(bytes);
}
