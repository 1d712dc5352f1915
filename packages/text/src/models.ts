import type { ModelSpec } from '@ondevice/core';
import { TINY_MARIAN_EN_ES } from './translate/models.js';

// Language identification

/**
 * fastText's `lid.176.ftz` language identifier (176 languages, 917 KB, quantised), as shipped inside
 * the `fasttext.wasm.js` npm package. Model licence: CC BY-SA 3.0 (Facebook AI Research).
 *
 * @example
 * ```ts
 * const { files } = await loadModel(FASTTEXT_LID176);
 * ```
 */
export const FASTTEXT_LID176: ModelSpec = {
  id: 'fasttext-lid176',
  version: '1.0.0',
  format: 'files',
  license: 'CC-BY-SA-3.0',
  description: 'fastText lid.176.ftz language identifier (176 languages), from fasttext.wasm.js',
  files: [
    {
      path: 'lid.176.ftz',
      sha256: '8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83',
      size: 938_013,
    },
  ],
  npm: { package: 'fasttext.wasm.js', version: '1.0.0', dir: 'dist/models/language-identification/assets' },
};

// Translation

export { TINY_MARIAN_EN_ES };

/**
 * Every model this package knows with pinned files (the OPUS-MT pairs you host are registered at
 * run time with `registerTranslationModel`).
 *
 * @example
 * ```ts
 * for (const spec of MODEL_SPECS) await verifyModel(spec);
 * ```
 */
export const MODEL_SPECS: ModelSpec[] = [FASTTEXT_LID176, TINY_MARIAN_EN_ES];
