// Node half of reading audio's own data files (selected by `#platform/package-file` in
// package.json `imports`): the keyword heads shipped in `heads/`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** @internal A file of this package as text: read from disk (`file:`), else fetched. */
export async function readPackageText(url: URL): Promise<string> {
  if (url.protocol === 'file:') return readFile(url, 'utf8');
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url.href}`);
  return response.text();
}

/** @internal This package's folder on disk, from a module two folders below it (`src/<dir>/x.ts`, `dist/<dir>/x.js`). */
export function packageRootFrom(moduleUrl: string): string {
  return fileURLToPath(new URL('../../', moduleUrl));
}
