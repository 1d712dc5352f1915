import { getConfig } from '../env.js';

/**
 * Where browsers load runtime `.wasm` files from: `configure({ wasmBaseUrl })`, else
 * `ondevice-wasm/` beside the page. Never a CDN. Always ends with `/`.
 *
 * @example
 * ```ts
 * ort.env.wasm.wasmPaths = resolveWasmBase(); // 'http://localhost:5173/ondevice-wasm/'
 * ```
 */
export function resolveWasmBase(): string {
  const configured = getConfig().wasmBaseUrl;
  if (configured) return configured.endsWith('/') ? configured : `${configured}/`;
  return new URL(
    'ondevice-wasm/',
    globalThis.document?.baseURI ?? globalThis.location?.href ?? 'http://localhost/',
  ).href;
}
