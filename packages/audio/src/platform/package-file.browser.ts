// Browser half of reading audio's own data files (selected by `#platform/package-file` in
// package.json `imports`).

/** @internal A file of this package as text, fetched from where the page serves it. */
export async function readPackageText(url: URL): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url.href}`);
  return response.text();
}

/** @internal A page has no package folder: the path part of the package's URL (never used there). */
export function packageRootFrom(moduleUrl: string): string {
  return new URL('../../', moduleUrl).pathname;
}
