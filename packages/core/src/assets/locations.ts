import { getConfig, isNode, type OnDeviceConfig } from '../env.js';
import type { ModelSpec } from '../model/spec.js';

/**
 * Default of `configure({ assetsUrl })` in browsers: `/ondevice/` on the page's origin, the folder
 * `ondevice assets public/ondevice` and the Vite plugin fill.
 *
 * @example
 * ```ts
 * configure({ assetsUrl: import.meta.env.BASE_URL + DEFAULT_ASSETS_URL.slice(1) }); // an app under a sub-path
 * ```
 */
export const DEFAULT_ASSETS_URL = '/ondevice/';

/** An npm package version and the folder in it that holds a set of files (a model spec's `npm`). */
export interface NpmSource {
  readonly package: string;
  readonly version: string;
  readonly dir: string;
}

const slash = (s: string) => (s.endsWith('/') ? s : `${s}/`);

/** The URL relative asset URLs resolve against in a page or worker. */
function pageBase(): string {
  return globalThis.document?.baseURI ?? globalThis.location?.href ?? 'http://localhost/';
}

/**
 * Where this app's runtime and model files are served from, as an absolute URL ending in `/`:
 * `configure({ assetsUrl })` (a relative URL resolves against the page), else `/ondevice/` on the
 * page's origin in browsers. Undefined in Node unless set: there models come from npm packages.
 *
 * @example
 * ```ts
 * resolveAssetsUrl(); // 'https://app.example.com/ondevice/' on any page of app.example.com
 * ```
 */
export function resolveAssetsUrl(config: Readonly<OnDeviceConfig> = getConfig()): string | undefined {
  const configured = config.assetsUrl;
  if (isNode()) return configured ? slash(configured) : undefined;
  return slash(new URL(configured ?? DEFAULT_ASSETS_URL, pageBase()).href);
}

/**
 * The path of a model file inside an assets folder: `models/<id>/<version>/<path>`, the layout
 * `ondevice assets` writes and the model store reads under `assetsUrl` (and under `modelBaseUrl`
 * without the `models/` prefix).
 *
 * @example
 * ```ts
 * modelAssetPath(CENTERNET_MOBILENETV3, 'centernet.bin'); // 'models/centernet-mobilenetv3-coco/3.3.6/centernet.bin'
 * ```
 */
export function modelAssetPath(spec: Pick<ModelSpec, 'id' | 'version'>, path: string): string {
  return `models/${spec.id}/${spec.version}/${path}`;
}

/**
 * The path of a runtime file (WASM and its loader) inside an assets folder: `wasm/<file>`; browsers
 * load it from `<assetsUrl>wasm/` unless `wasmBaseUrl` says otherwise.
 *
 * @example
 * ```ts
 * wasmAssetPath('ort-wasm-simd-threaded.wasm'); // 'wasm/ort-wasm-simd-threaded.wasm'
 * ```
 */
export function wasmAssetPath(file: string): string {
  return `wasm/${file}`;
}

/**
 * The npm CDN URL of a file of an exact package version:
 * `<cdnUrl><package>@<version>/<dir>/<path>` (jsDelivr's and unpkg's layout). With no `path`, the
 * folder's URL (ending in `/`).
 *
 * @example
 * ```ts
 * npmCdnUrl({ package: '@vladmandic/human', version: '3.3.6', dir: 'models' }, 'centernet.bin');
 * // 'https://cdn.jsdelivr.net/npm/@vladmandic/human@3.3.6/models/centernet.bin'
 * ```
 */
export function npmCdnUrl(npm: NpmSource, path = '', cdnUrl: string = getConfig().cdnUrl): string {
  const dir = npm.dir.replace(/^\/+|\/+$/g, '');
  return `${slash(cdnUrl)}${npm.package}@${npm.version}/${dir ? `${dir}/` : ''}${path}`;
}

/** Where the model store downloads a spec's files from, and which setting said so. */
export interface ModelLocation {
  /** Base URL ending in `/`; a file's URL is `base + file.path`. */
  readonly base: string;
  /** `url`: the spec's own; `cdn`: `assets: 'cdn'`; `modelBaseUrl`; `assetsUrl` (configured or the browser default). */
  readonly via: 'url' | 'cdn' | 'modelBaseUrl' | 'assetsUrl';
}

/**
 * Where a model's files are downloaded from when they are neither passed (`modelPath`), cached nor
 * installed: the spec's own `url`; with `assets: 'cdn'` the npm CDN at the spec's exact `npm`
 * version; `<modelBaseUrl><id>/<version>/`; `<assetsUrl>models/<id>/<version>/` (in browsers by
 * default `/ondevice/models/…`); else nowhere (undefined).
 *
 * @example
 * ```ts
 * modelLocation(CENTERNET_MOBILENETV3)?.base; // 'https://app.example.com/ondevice/models/centernet-mobilenetv3-coco/3.3.6/'
 * ```
 */
export function modelLocation(
  spec: ModelSpec,
  config: Readonly<OnDeviceConfig> = getConfig(),
): ModelLocation | undefined {
  if (spec.url) return { base: slash(spec.url), via: 'url' };
  if (config.assets === 'cdn' && spec.npm)
    return { base: npmCdnUrl(spec.npm, '', config.cdnUrl), via: 'cdn' };
  if (config.modelBaseUrl)
    return { base: `${slash(config.modelBaseUrl)}${spec.id}/${spec.version}/`, via: 'modelBaseUrl' };
  const assets = resolveAssetsUrl(config);
  if (assets) return { base: `${assets}${modelAssetPath(spec, '')}`, via: 'assetsUrl' };
  return undefined;
}
