// Types of the two fasttext.wasm.js 1.0.0 files the browser half of `#platform/fasttext` imports
// directly (the package types them as .d.ts beside .mjs files, which TypeScript does not pair).
declare module 'fasttext.wasm.js/dist/helpers/modules/common.mjs' {
  export const getFastTextModule: unknown;
}
declare module 'fasttext.wasm.js/dist/FastTextModel.mjs' {
  export const FastTextModel: unknown;
}
