/**
 * Gzip size of some bytes: node:zlib (level 6, what web servers use by default) in Node, the
 * CompressionStream API in browsers; undefined where neither exists.
 *
 * @example
 * ```ts
 * const n = await gzipSize(new TextEncoder().encode('hello'));
 * ```
 */
export async function gzipSize(bytes: Uint8Array): Promise<number | undefined> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const zlib = await import('node:zlib');
    return zlib.gzipSync(bytes, { level: 6 }).byteLength;
  }
  if (typeof CompressionStream === 'undefined') return undefined;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}
