// Browser half of core's hashing (selected by `#platform/hash` in package.json `imports`).

/** @internal Lower-case hex SHA-256, by WebCrypto. */
export async function sha256Digest(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
