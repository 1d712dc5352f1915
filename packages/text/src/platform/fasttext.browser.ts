// Browser half of loading fastText (selected by `#platform/fasttext` in package.json `imports`).
// Only the two modules the language identifier uses: fasttext.wasm.js's browser entry also pulls
// in its FastText class, whose file fetcher imports `fs/promises`, `url` and `http` (webpack 5
// fails on them: "Can't resolve 'fs/promises'"; Vite warns). Paths of the pinned 1.0.0.

/** @internal fasttext.wasm.js: its WASM module loader and model class. */
export async function loadFastText(): Promise<{ getFastTextModule: unknown; FastTextModel: unknown }> {
  const [{ getFastTextModule }, { FastTextModel }] = await Promise.all([
    import('fasttext.wasm.js/dist/helpers/modules/common.mjs'),
    import('fasttext.wasm.js/dist/FastTextModel.mjs'),
  ]);
  return { getFastTextModule, FastTextModel };
}
