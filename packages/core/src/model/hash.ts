import { isNode } from '../env.js';

/**
 * Lower-case hex SHA-256 of some bytes (Node's crypto, or WebCrypto in browsers).
 *
 * @example
 * ```ts
 * await sha256Hex(new TextEncoder().encode('abc')); // 'ba7816bf…'
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  if (isNode()) {
    const { createHash } = await import('node:crypto');
    return createHash('sha256').update(bytes).digest('hex');
  }
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
