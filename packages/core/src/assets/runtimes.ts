import { ModelLoadError } from '../errors.js';
import type { ModelFileSpec, ModelSpec } from '../model/spec.js';
import type { NpmSource } from './locations.js';

/**
 * The runtime files (WASM and their loaders) browsers load for the tasks, with the SHA-256 and size
 * of each as published in the exact package version. Model specs carry their own sums; runtime
 * packages publish none, so they are recorded here from the pinned versions and checked against
 * the installed packages by `test/assets.test.ts` (bumping a runtime fails that test until the
 * new sums are recorded). Keyed by `<package>@<version>`.
 */
const RECORDED: Readonly<
  Record<string, { license: string; dir: string; files: Readonly<Record<string, readonly [string, number]>> }>
> = {
  'onnxruntime-web@1.30.0': {
    license: 'MIT',
    dir: 'dist',
    files: {
      'ort-wasm-simd-threaded.mjs': [
        'e13f7f94fc51b4ca72b12faeb1ee95f4ace6dfbc8939bc718aabdc0a27c4299b',
        24_381,
      ],
      'ort-wasm-simd-threaded.wasm': [
        '3398c10d07d229bd91b364548e130e0e51a8e5704b88c7c083ebbeb78842dee2',
        14_239_897,
      ],
      'ort.wasm.min.mjs': ['219e6a1fc8a9938268d18efca3c91d310bd2f4a59bbd13744df5b2b7fc6cee3b', 50_126],
    },
  },
  '@tensorflow/tfjs-backend-wasm@4.22.0': {
    license: 'Apache-2.0',
    dir: 'dist',
    files: {
      'tfjs-backend-wasm.wasm': ['70a5d516060464e5269f01c74bac1772d6b8ab6cb612acf16b5cdaf61f78d892', 311_123],
      'tfjs-backend-wasm-simd.wasm': [
        '77ebb28a6d34f371dbbf2086b7f2de8994acd8ea5a3cf1fa24d2c26c840cac7b',
        424_594,
      ],
      'tfjs-backend-wasm-threaded-simd.wasm': [
        'c052228d4bef185c27bbe59a9e029570c78bbb9f08b3cb46b597851650373de2',
        435_643,
      ],
    },
  },
  // @ondevice/text's language identifier (fastText compiled to WASM).
  'fasttext.wasm.js@1.0.0': {
    license: 'MIT',
    dir: 'dist/core',
    files: {
      'fastText.common.wasm': ['eaaba4481d3bc9763a82de0600da4b17c527ad9e247456986c805ae9ba40eb41', 432_293],
    },
  },
  // The onnxruntime-web that transformers.js 4.3.1 pins (translation in @ondevice/text).
  'onnxruntime-web@1.31.0-dev.20260914-8d85527a0': {
    license: 'MIT',
    dir: 'dist',
    files: {
      'ort-wasm-simd-threaded.asyncify.mjs': [
        '0966b6105cd936744498aa60df7a22cbd47af3374dbc64a9ab561c08a71e3611',
        53_057,
      ],
      'ort-wasm-simd-threaded.asyncify.wasm': [
        '49871f5a4409519797e127440868a6d1923339d9185907f301a5b2a1d90af082',
        26_861_777,
      ],
    },
  },
};

/**
 * The onnxruntime-web version @ondevice/core depends on, which its browser build loads (from the
 * assets folder, or with `assets: 'cdn'` from the npm CDN). `test/assets.test.ts` checks it against
 * core's package.json.
 *
 * @example
 * ```ts
 * npmCdnUrl({ package: 'onnxruntime-web', version: ONNXRUNTIME_WEB_VERSION, dir: 'dist' }, 'ort.wasm.min.mjs');
 * ```
 */
export const ONNXRUNTIME_WEB_VERSION = '1.30.0';

/** The files of one runtime package version that a browser loads, with their sums. */
export interface RuntimeAssets {
  /** The npm package version and folder the files come from. */
  readonly npm: NpmSource;
  /** The package's licence. */
  readonly license: string;
  /** Each file with its SHA-256 and size, as published. */
  readonly files: readonly ModelFileSpec[];
}

/**
 * The runtime packages (`<package>@<version>`) whose files have recorded sums.
 *
 * @example
 * ```ts
 * RECORDED_RUNTIMES.includes('onnxruntime-web@1.30.0'); // true
 * ```
 */
export const RECORDED_RUNTIMES: readonly string[] = Object.keys(RECORDED);

/**
 * The named files of a runtime package version (all that are recorded when `files` is omitted)
 * with their recorded SHA-256 and size. The file names come from the code that loads them
 * (`ORT_WASM_FILES`, `TFJS_WASM_FILES`, …). Throws
 * {@link ModelLoadError} naming the versions that are recorded when this one, or a file, is not.
 *
 * @example
 * ```ts
 * const ort = runtimeAssets('onnxruntime-web', '1.30.0', ORT_WASM_FILES);
 * ort.files[1]; // { path: 'ort-wasm-simd-threaded.wasm', sha256: '3398c10d…', size: 14239897 }
 * ```
 */
export function runtimeAssets(pkg: string, version: string, files?: readonly string[]): RuntimeAssets {
  const entry = RECORDED[`${pkg}@${version}`];
  if (!entry) {
    const known = RECORDED_RUNTIMES.filter((k) => k.startsWith(`${pkg}@`));
    throw new ModelLoadError(
      `No SHA-256 is recorded for the files of ${pkg}@${version}${known.length ? ` (recorded: ${known.join(', ')})` : ''}, so they cannot be checked. Install the version @ondevice/core pins, or serve the files yourself (assets: 'self-hosted').`,
    );
  }
  return {
    npm: { package: pkg, version, dir: entry.dir },
    license: entry.license,
    files: (files ?? Object.keys(entry.files)).map((path) => {
      const recorded = entry.files[path];
      if (!recorded)
        throw new ModelLoadError(
          `No SHA-256 is recorded for ${pkg}@${version}/${entry.dir}/${path}; recorded files: ${Object.keys(entry.files).join(', ')}.`,
        );
      return { path, sha256: recorded[0], size: recorded[1] };
    }),
  };
}

/**
 * A runtime's files as a {@link ModelSpec} (format `files`), so the model store can fetch, check
 * and cache them like model weights: id `runtime-<package>` (`@` dropped, `/` as `-`), version the
 * package's, the given base `url` (e.g. its npm CDN folder) when any.
 *
 * @example
 * ```ts
 * const { files } = await loadModel(runtimeSpec(ort, npmCdnUrl(ort.npm)));
 * ```
 */
export function runtimeSpec(assets: RuntimeAssets, url?: string): ModelSpec {
  const name = assets.npm.package.replace(/^@/, '').replace(/\//g, '-');
  return {
    id: `runtime-${name}`,
    version: assets.npm.version,
    format: 'files',
    license: assets.license,
    description: `${assets.npm.package}@${assets.npm.version} runtime files`,
    files: assets.files,
    npm: assets.npm,
    ...(url ? { url } : {}),
  };
}
