// Browser half of optimize's gzip sizes (selected by `#platform/gzip` in package.json `imports`).

/** @internal Gzip size by CompressionStream, or undefined where there is none. */
export async function gzippedLength(bytes: Uint8Array): Promise<number | undefined> {
  if (typeof CompressionStream === 'undefined') return undefined;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}
