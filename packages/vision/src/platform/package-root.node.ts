// Node half of finding vision's weight packages (selected by `#platform/package-root` in
// package.json `imports`).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addModelMirror, addModelPackageRoot } from '@ondevice/core';

/**
 * @internal Registers this package's folder (the model store resolves weight packages from it)
 * and `@ondevice/vision-models`' mirror of the weight files, when installed. `from` is the
 * `import.meta.url` of a module directly inside `dist/` (or `src/`).
 */
export async function registerModelPackages(from: string): Promise<void> {
  addModelPackageRoot(fileURLToPath(new URL('../', from)));
  // @ondevice/vision-models carries the weight files of @vladmandic/human and @tesseract.js-data
  // that vision uses (12 MB instead of 63 MB of whole packages).
  try {
    const manifest = createRequire(from).resolve('@ondevice/vision-models/package.json');
    addModelMirror(join(dirname(manifest), 'files'));
  } catch {
    // not installed: the weights are looked up in the upstream packages instead
  }
}
