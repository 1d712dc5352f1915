import { sha256Digest } from '#platform/hash';

/**
 * Lower-case hex SHA-256 of some bytes (Node's crypto, or WebCrypto in browsers).
 *
 * @example
 * ```ts
 * await sha256Hex(new TextEncoder().encode('abc')); // 'ba7816bf…'
 * ```
 */
export function sha256Hex(bytes: Uint8Array): Promise<string> {
  return sha256Digest(bytes);
}
