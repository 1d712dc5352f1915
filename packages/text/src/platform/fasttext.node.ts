// Node half of loading fastText (selected by `#platform/fasttext` in package.json `imports`):
// fasttext.wasm.js's Node build.

/** @internal fasttext.wasm.js: its WASM module loader and model class. */
export async function loadFastText(): Promise<{ getFastTextModule: unknown; FastTextModel: unknown }> {
  return import('fasttext.wasm.js');
}
