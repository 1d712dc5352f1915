// Node half of core's hashing (selected by `#platform/hash` in package.json `imports`).
import { createHash } from 'node:crypto';

/** @internal Lower-case hex SHA-256, by Node's crypto (synchronous, no copy). */
export async function sha256Digest(bytes: Uint8Array): Promise<string> {
  return createHash('sha256').update(bytes).digest('hex');
}
