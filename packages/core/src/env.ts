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

/** Global configuration, set with {@link configure}. */
export interface OnDeviceConfig {
  /** Base URL remote models are downloaded from (`<base>/<model id>/<version>/<file>`). Default: none. */
  modelBaseUrl: string | undefined;
  /** Node: directory of the model cache. Default: `$ONDEVICE_CACHE_DIR` or `~/.cache/ondevice`. Browsers use the Cache API. */
  cacheDir: string | undefined;
  /** Whether models may be downloaded when they are not local. Default: `true` when `modelBaseUrl` is set. */
  allowRemoteModels: boolean;
  /** tfjs backend. Default: `auto`. */
  backend: TfjsBackendName;
  /** Where the tfjs and onnxruntime `.wasm` files are served from in browsers. Default: `<core>/wasm/`. */
  wasmBaseUrl: string | undefined;
  /** Receives debug, info and warning messages. Default: warnings and errors to the console. */
  logger: Logger;
}

const quietLogger: Logger = {
  debug() {},
  info() {},
  warn: (...args) => console.warn('[ondevice]', ...args),
  error: (...args) => console.error('[ondevice]', ...args),
};

let config: OnDeviceConfig = {
  modelBaseUrl: undefined,
  cacheDir: undefined,
  allowRemoteModels: true,
  backend: 'auto',
  wasmBaseUrl: undefined,
  logger: quietLogger,
};
let listeners: Array<(c: OnDeviceConfig) => void> = [];

const BACKENDS: readonly TfjsBackendName[] = ['auto', 'wasm', 'cpu', 'webgl', 'webgpu'];

/**
 * Sets global options for every task. Call it before the first task runs; later calls apply to
 * models and backends loaded afterwards.
 *
 * @example
 * ```ts
 * import { configure } from '@ondevice/core';
 * configure({ modelBaseUrl: 'https://models.example.com/', allowRemoteModels: true, cacheDir: '/tmp/models' });
 * ```
 */
export function configure(options: Partial<OnDeviceConfig>): OnDeviceConfig {
  if (options === null || typeof options !== 'object') {
    throw new OptionsError(
      'configure() expects an object such as { modelBaseUrl, cacheDir, allowRemoteModels, backend, logger }.',
    );
  }
  const known = ['modelBaseUrl', 'cacheDir', 'allowRemoteModels', 'backend', 'wasmBaseUrl', 'logger'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new OptionsError(`Unknown configure() option "${key}". Should be one of: ${known.join(', ')}.`);
  }
  if (options.backend !== undefined && !BACKENDS.includes(options.backend)) {
    throw new OptionsError(
      `backend "${String(options.backend)}" is not supported. Should be one of: ${BACKENDS.join(', ')}.`,
    );
  }
  if (
    options.modelBaseUrl !== undefined &&
    options.modelBaseUrl !== null &&
    typeof options.modelBaseUrl !== 'string'
  ) {
    throw new OptionsError('modelBaseUrl must be a URL string.');
  }
  if (options.allowRemoteModels !== undefined && typeof options.allowRemoteModels !== 'boolean') {
    throw new OptionsError('allowRemoteModels must be true or false.');
  }
  if (options.logger !== undefined) {
    for (const m of ['debug', 'info', 'warn', 'error'] as const) {
      if (typeof options.logger?.[m] !== 'function')
        throw new OptionsError(`logger must have a ${m}() method (pass console, for example).`);
    }
  }
  config = { ...config, ...options };
  for (const l of listeners) l(config);
  return config;
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
  config = {
    modelBaseUrl: undefined,
    cacheDir: undefined,
    allowRemoteModels: true,
    backend: 'auto',
    wasmBaseUrl: undefined,
    logger: quietLogger,
  };
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
