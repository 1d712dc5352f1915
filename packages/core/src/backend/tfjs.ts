import { requireFrom } from '#platform/load';
import type * as TfConverter from '@tensorflow/tfjs-converter';
import type * as TfCore from '@tensorflow/tfjs-core';
import { getConfig, isNode, type TfjsBackendName } from '../env.js';
import { wasmAdvice } from '../assets/advice.js';
import { tfjsWasmPaths } from '../assets/wasm.js';
import { defaultThreads } from './threads.js';
import { BackendUnavailableError, ModelLoadError } from '../errors.js';
import type { LoadModelOptions, ModelSpec } from '../model/spec.js';
import { modelKey } from '../model/spec.js';
import { loadModel } from '../model/store.js';

/** The tfjs-core module, as returned by {@link getTfjs}. */
export type Tfjs = typeof TfCore;
/** A loaded tfjs graph model. */
export type GraphModel = TfConverter.GraphModel;

/** What the capability probe found, and the backend it chose. */
export interface BackendInfo {
  /** The tfjs backend in use. */
  backend: Exclude<TfjsBackendName, 'auto'>;
  /** Whether the WASM backend runs with SIMD. */
  simd?: boolean;
  /** Threads the WASM backend's kernels use (1 without cross-origin isolation, and in Node). */
  threads?: number;
  /** Why this backend was chosen (e.g. "WebGL renderer is SwiftShader (software): using WASM"). */
  reason: string;
}

let ready: Promise<{ tf: Tfjs; info: BackendInfo }> | undefined;
let readyFor: string | undefined;

/**
 * Files the tfjs WASM backend needs served in browsers (copy them next to your app).
 *
 * @example
 * ```ts
 * for (const file of TFJS_WASM_FILES) await copyFile(join(from, file), join('public/wasm', file));
 * ```
 */
export const TFJS_WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/** @internal The WebGL renderer string, or undefined when WebGL is absent. */
export function probeWebGlRenderer(): string | undefined {
  try {
    const canvas =
      typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return undefined;
  }
}

async function probeWebGpu(): Promise<string | undefined> {
  const gpu = (
    globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined
  )?.gpu;
  if (!gpu) return undefined;
  try {
    const adapter = (await gpu.requestAdapter()) as {
      isFallbackAdapter?: boolean;
      info?: { vendor?: string; isFallbackAdapter?: boolean };
    } | null;
    // A software adapter (SwiftShader) ran the vision models 90-127x slower than WASM: not a GPU.
    // Chromium 150 reports it as adapter.info.isFallbackAdapter; older ones as adapter.isFallbackAdapter.
    if (!adapter || adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) return undefined;
    return adapter.info?.vendor || 'gpu';
  } catch {
    return undefined;
  }
}

/** The tfjs backends a provider can supply. */
export type TfjsBackendModuleName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

/**
 * Where tfjs comes from. Core does not depend on tfjs (audio and text apps do not need its
 * ~130 MB); the package that runs tfjs models (`@ondevice/vision`, `@ondevice/optimize`) depends on
 * it and hands core its loaders with {@link provideTfjs}, written as static `import()`s so bundlers
 * see them, and its own `import.meta.url` so Node resolves the same packages with `require()`.
 */
export interface TfjsModules {
  /** The providing module's `import.meta.url`: in Node, tfjs is `require()`d from there. */
  from: string;
  /** `() => import('@tensorflow/tfjs-core')`. */
  core: () => Promise<unknown>;
  /** `() => import('@tensorflow/tfjs-converter')`. */
  converter: () => Promise<unknown>;
  /** The backends it can load, e.g. `{ wasm: () => import('@tensorflow/tfjs-backend-wasm') }`. */
  backends: Partial<Record<TfjsBackendModuleName, () => Promise<unknown>>>;
}

const PACKAGE_OF: Record<'core' | 'converter' | TfjsBackendModuleName, string> = {
  core: '@tensorflow/tfjs-core',
  converter: '@tensorflow/tfjs-converter',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
  webgl: '@tensorflow/tfjs-backend-webgl',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
};

let provided: TfjsModules | undefined;

/**
 * Hands core the tfjs packages of the calling package (see {@link TfjsModules}). The first
 * provider's `core`, `converter` and `from` are kept (one tfjs in a process); backends are merged,
 * so a later provider can add WebGL or WebGPU. Task packages call it when they load; apps never
 * need to.
 *
 * @example
 * ```ts
 * provideTfjs({
 *   from: import.meta.url,
 *   core: () => import('@tensorflow/tfjs-core'),
 *   converter: () => import('@tensorflow/tfjs-converter'),
 *   backends: { wasm: () => import('@tensorflow/tfjs-backend-wasm') },
 * });
 * ```
 */
export function provideTfjs(modules: TfjsModules): void {
  if (!provided) {
    provided = { ...modules, backends: { ...modules.backends } };
    return;
  }
  for (const [name, load] of Object.entries(modules.backends) as [
    TfjsBackendModuleName,
    () => Promise<unknown>,
  ][])
    provided.backends[name] ??= load;
}

function tfjsModules(): TfjsModules {
  if (provided) return provided;
  throw new BackendUnavailableError(
    'tfjs is not available: no package provided it. It comes with @ondevice/vision (and @ondevice/optimize); import one of them before running a tfjs model.',
  );
}

// In Node, tfjs's CommonJS builds load about 4× faster through require() than through import():
// import() of a CommonJS file first lexes all of it for export names (~0.8 s of cold start here).
// Browsers keep the provider's static import()s, which bundlers follow.
let nodeRequire: ((id: string) => unknown) | undefined;
async function requireInNode(): Promise<((id: string) => unknown) | undefined> {
  if (!isNode()) return undefined;
  nodeRequire ??= requireFrom(tfjsModules().from);
  return nodeRequire;
}

/** Loads one tfjs package: `require()` in Node, the provider's `import()` elsewhere. */
async function loadTfjsPart(part: 'core' | 'converter' | TfjsBackendModuleName): Promise<unknown> {
  const modules = tfjsModules();
  const load = part === 'core' || part === 'converter' ? modules[part] : modules.backends[part];
  const req = await requireInNode();
  // Node resolves the package from the provider's folder (the provider depends on it).
  if (req) return req(PACKAGE_OF[part]);
  if (!load) throw new Error(`${PACKAGE_OF[part]} was not provided (install it beside @ondevice/vision)`);
  return load();
}

async function setUp(requested: TfjsBackendName): Promise<{ tf: Tfjs; info: BackendInfo }> {
  const tf = (await loadTfjsPart('core')) as Tfjs;
  await loadTfjsPart('converter');
  const logger = getConfig().logger;
  const candidates: { name: Exclude<TfjsBackendName, 'auto'>; reason: string }[] = [];
  if (requested !== 'auto') {
    candidates.push({ name: requested, reason: 'requested' });
  } else if (isNode()) {
    candidates.push({
      name: 'wasm',
      reason: 'Node.js: WASM is the fastest backend available without tfjs-node',
    });
  } else {
    const gpu = await probeWebGpu();
    if (gpu) candidates.push({ name: 'webgpu', reason: `WebGPU adapter (${gpu})` });
    const renderer = probeWebGlRenderer();
    if (renderer && !SOFTWARE_GL.test(renderer))
      candidates.push({ name: 'webgl', reason: `WebGL renderer ${renderer}` });
    candidates.push({
      name: 'wasm',
      reason: renderer
        ? `WebGL renderer "${renderer}" is software-rendered: WASM is faster`
        : 'no GPU backend available',
    });
  }
  const failures: string[] = [];
  for (const c of candidates) {
    try {
      if ((c.name === 'webgl' || c.name === 'webgpu') && isNode())
        throw new Error(`${c.name === 'webgl' ? 'WebGL' : 'WebGPU'} needs a browser`);
      const backend = (await loadTfjsPart(c.name)) as {
        setWasmPaths?: (paths: string | Record<string, string>) => void;
        setThreadsCount?: (threads: number) => void;
        getThreadsCount?: () => number;
        version_wasm?: string;
      };
      // Its kernels' thread pool, sized like the native engine's (default: every logical core,
      // 8 thread workers were seen on a 2-core machine); it has to be set before the backend starts.
      if (c.name === 'wasm') backend.setThreadsCount?.(getConfig().threads ?? defaultThreads());
      if (c.name === 'wasm' && !isNode() && backend.setWasmPaths) {
        // Self-hosted: <assetsUrl>wasm/; assets: 'cdn': the binary this browser loads, checked.
        const features = {
          simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
          threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
        };
        const runtime = { version: backend.version_wasm ?? '', files: TFJS_WASM_FILES };
        backend.setWasmPaths(await tfjsWasmPaths(runtime, features));
      }
      const ok = await tf.setBackend(c.name);
      if (!ok) throw new Error(`tf.setBackend('${c.name}') returned false`);
      await tf.ready();
      const info: BackendInfo = { backend: c.name, reason: c.reason };
      if (c.name === 'wasm') {
        info.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        info.threads = backend.getThreadsCount?.();
      }
      logger.debug(`tfjs backend: ${c.name} (${c.reason})`);
      return { tf, info };
    } catch (error) {
      failures.push(`${c.name}: ${String((error as Error)?.message ?? error)}`);
      logger.warn(`tfjs backend ${c.name} failed, trying the next one: ${String(error)}`);
    }
  }
  throw new BackendUnavailableError(`No usable tfjs backend (${failures.join('; ')}). ${wasmAdvice()}`);
}

/**
 * Returns tfjs-core with a backend chosen and ready: in Node the WASM backend (SIMD), in browsers
 * WebGPU, then a hardware WebGL, then WASM. A software-rendered WebGL (SwiftShader, llvmpipe) is not
 * used: it ran CenterNet 36× slower than WASM here. Set `configure({ backend })` to force one.
 *
 * @example
 * ```ts
 * const { tf, info } = await getTfjs();
 * console.log(info.backend, info.reason);
 * ```
 */
export function getTfjs(): Promise<{ tf: Tfjs; info: BackendInfo }> {
  const requested = getConfig().backend;
  if (!ready || readyFor !== requested) {
    readyFor = requested;
    ready = setUp(requested).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
  }
  return ready;
}

/**
 * Loads a TFJS graph model through the model store (cache, package or download; SHA-256 checked)
 * onto the current backend.
 *
 * @example
 * ```ts
 * const model = await loadGraphModel(CENTERNET);
 * const out = model.execute(input);
 * ```
 */
export async function loadGraphModel(spec: ModelSpec, options: LoadModelOptions = {}): Promise<GraphModel> {
  if (spec.format !== 'tfjs-graph')
    throw new ModelLoadError(`${modelKey(spec)} is not a tfjs graph model (format ${spec.format}).`);
  const [, loaded] = await Promise.all([getTfjs(), loadModel(spec, options)]);
  return graphModelFromFiles(modelKey(spec), loaded.files);
}

/**
 * @internal Loads a TFJS graph model from its files in memory (model.json and the weight files it
 * names, by path), e.g. files derived on the device and verified by the caller. Rejects with
 * {@link ModelLoadError} naming `name` when they do not form a graph model.
 */
export async function graphModelFromFiles(
  name: string,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<GraphModel> {
  const { tf } = await getTfjs();
  const jsonPath = [...files.keys()].find((p) => p.endsWith('.json'));
  if (!jsonPath) throw new ModelLoadError(`${name} has no model.json file.`);
  const dir = jsonPath.includes('/') ? jsonPath.slice(0, jsonPath.lastIndexOf('/') + 1) : '';
  try {
    const json = JSON.parse(new TextDecoder().decode(files.get(jsonPath))) as {
      modelTopology: unknown;
      weightsManifest: { paths: string[]; weights: TfCore.io.WeightsManifestEntry[] }[];
      format?: string;
      generatedBy?: string;
      convertedBy?: string;
      signature?: unknown;
      userDefinedMetadata?: Record<string, unknown>;
    };
    const weightSpecs: TfCore.io.WeightsManifestEntry[] = [];
    const buffers: Uint8Array[] = [];
    for (const group of json.weightsManifest) {
      weightSpecs.push(...group.weights);
      for (const p of group.paths) {
        const bytes = files.get(dir + p);
        if (!bytes)
          throw new ModelLoadError(
            `${name}: weights file "${p}" is named in ${jsonPath} but not in the model spec.`,
          );
        buffers.push(bytes);
      }
    }
    const total = buffers.reduce((n, b) => n + b.byteLength, 0);
    const weightData = new Uint8Array(total);
    let offset = 0;
    for (const b of buffers) {
      weightData.set(b, offset);
      offset += b.byteLength;
    }
    const converter = (await loadTfjsPart('converter')) as typeof TfConverter;
    const artifacts: TfCore.io.ModelArtifacts = {
      modelTopology: json.modelTopology as TfCore.io.ModelArtifacts['modelTopology'],
      weightSpecs,
      weightData: weightData.buffer,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature as object,
      userDefinedMetadata: json.userDefinedMetadata as Record<string, object>,
    };
    return await converter.loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError(
      `${name} could not be read as a tfjs graph model: ${String((error as Error)?.message ?? error)}`,
      {
        cause: error,
      },
    );
  }
}
