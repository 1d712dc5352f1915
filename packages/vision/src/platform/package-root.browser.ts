// Browser half of finding vision's weight packages (selected by `#platform/package-root` in
// package.json `imports`): a page has no installed packages; it loads the weights from where the
// app serves them (`configure({ assetsUrl })`).

/** @internal Nothing to register in a browser. */
export async function registerModelPackages(_from: string): Promise<void> {}
