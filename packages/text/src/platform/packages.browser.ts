// Browser half of finding text's installed packages (selected by `#platform/packages` in
// package.json `imports`): a page has none; its models come from where the app serves them.

/** @internal No package folders in a browser: undefined. */
export function packageFolder(_url: URL): string | undefined {
  return undefined;
}

/** @internal No installed packages in a browser: undefined. */
export function installedFolder(_from: string, _pkg: string, _dir: string): string | undefined {
  return undefined;
}
