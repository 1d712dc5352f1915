import { resolveAssetsUrl, wasmAssetPath } from '../assets/locations.js';
import { getConfig } from '../env.js';

/**
 * Where browsers load self-hosted runtime `.wasm` files from, ending in `/`:
 * `configure({ wasmBaseUrl })`, else `<assetsUrl>wasm/` — by default `/ondevice/wasm/` on the
 * page's origin, where `ondevice assets` and the Vite plugin put them. With `assets: 'cdn'`, the
 * runtimes load from the npm CDN instead (see `ortWasmSettings`, `tfjsWasmPaths`).
 *
 * @example
 * ```ts
 * ort.env.wasm.wasmPaths = resolveWasmBase(); // 'http://localhost:5173/ondevice/wasm/'
 * ```
 */
export function resolveWasmBase(): string {
  const configured = getConfig().wasmBaseUrl;
  if (configured) {
    const base = configured.endsWith('/') ? configured : `${configured}/`;
    const page = globalThis.document?.baseURI ?? globalThis.location?.href;
    return page ? new URL(base, page).href : base;
  }
  return new URL(wasmAssetPath(''), resolveAssetsUrl() ?? 'http://localhost/ondevice/').href;
}
