import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configure,
  DisposedError,
  defaultThreads,
  type EngineModel,
  getConfig,
  isModelCached,
  loadEngine,
  ModelIntegrityError,
  type ModelSpec,
  OptionsError,
  resetConfig,
} from '../src/index.js';

// A tiny TFJS graph, y = relu(x · w) with w = [1, −2, 0.5, 3], and its ONNX form as
// @ondevice/optimize's convertGraphModelToOnnx writes it (192 bytes, made once and pasted here:
// core cannot depend on optimize, which depends on core).
const json = {
  format: 'graph-model',
  generatedBy: 'test',
  convertedBy: 'test',
  modelTopology: {
    node: [
      {
        name: 'x',
        op: 'Placeholder',
        attr: { shape: { shape: { dim: [{ size: '-1' }, { size: '4' }] } }, dtype: { type: 'DT_FLOAT' } },
      },
      {
        name: 'w',
        op: 'Const',
        attr: {
          value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '4' }] } } },
          dtype: { type: 'DT_FLOAT' },
        },
      },
      { name: 'mul', op: 'Mul', input: ['x', 'w'], attr: { T: { type: 'DT_FLOAT' } } },
      { name: 'y', op: 'Relu', input: ['mul'], attr: { T: { type: 'DT_FLOAT' } } },
    ],
    library: {},
    versions: { producer: 1 },
  },
  weightsManifest: [{ paths: ['tiny.bin'], weights: [{ name: 'w', shape: [4], dtype: 'float32' }] }],
};
const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
const weights = new Uint8Array(new Float32Array([1, -2, 0.5, 3]).buffer);
const ONNX = Uint8Array.from(
  Buffer.from(
    'CAcSEkBvbmRldmljZS9vcHRpbWl6ZTqjAQoVCgF4CgF3EgNtdWwaA211bCIDTXVsChUKA211bBIDeV8xGgN5XzEiBFJlbHUKHgoDeV8xEgF5Ggp5L2lkZW50aXR5IghJZGVudGl0eRIKdGZqcy1ncmFwaCoaCgEEEAFCAXdKEAAAgD8AAADAAAAAPwAAQEBaGAoBeBITChEIARINCgcSBWJhdGNoCgIIBGIRCgF5EgwKCggBEgYKAAoCCARCAhAN',
    'base64',
  ),
);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const tfjsSpec: ModelSpec = {
  id: 'engine-test-tiny',
  version: '1.0.0',
  format: 'tfjs-graph',
  license: 'test',
  files: [
    { path: 'tiny.json', sha256: sha(jsonBytes), size: jsonBytes.byteLength },
    { path: 'tiny.bin', sha256: sha(weights), size: weights.byteLength },
  ],
};
const onnxSpec = (bytes: Uint8Array, id = 'engine-test-tiny-onnx'): ModelSpec => ({
  id,
  version: '1.0.0',
  format: 'onnx',
  license: 'test',
  files: [{ path: 'tiny.onnx', sha256: sha(bytes), size: bytes.byteLength }],
});

let derivations = 0;
const model = (spec = onnxSpec(ONNX), bytes = ONNX): EngineModel => ({
  tfjs: tfjsSpec,
  tfjsFiles: async () =>
    new Map([
      ['tiny.json', jsonBytes],
      ['tiny.bin', weights],
    ]),
  onnx: {
    spec,
    derive: async () => {
      derivations++;
      return bytes;
    },
  },
});

const x = { data: new Float32Array([1, 1, 1, 1, -1, 2, 4, -1]), dims: [2, 4] };
const expected = [1, 0, 0.5, 3, 0, 0, 2, 0];

describe('loadEngine', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ondevice-engine-'));
    configure({ cacheDir: dir, allowRemoteModels: false });
  });
  afterAll(async () => {
    resetConfig();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the same model natively (derived once, cached) and on tfjs, with the same answers', async () => {
    const native = await loadEngine(model());
    expect(native.runtime).toBe('onnxruntime-node');
    expect(native.inputNames).toEqual(['x']);
    expect(native.outputNames).toEqual(['y']);
    expect(derivations).toBe(1);
    expect(await isModelCached(onnxSpec(ONNX))).toBe(true);
    const tf = await loadEngine(model(), { engine: 'tfjs' });
    expect(tf.runtime).toBe('tfjs');
    expect(tf.inputNames).toEqual(['x']);
    expect(tf.outputNames).toEqual(['y']);
    const [a, b] = [await native.run({ x }), await tf.run({ x }, ['y'])];
    expect(Array.from(a.y!.data)).toEqual(expected);
    expect(a.y!.dims).toEqual([2, 4]);
    expect(Array.from(b.y!.data)).toEqual(expected);
    expect(b.y!.dims).toEqual([2, 4]);
    // tfjs can return any node of the graph
    expect(Array.from((await tf.run({ x }, ['mul'])).mul!.data)).toEqual([1, -2, 0.5, 3, -1, -4, 2, -3]);
    // second load: from the cache, not derived again
    const again = await loadEngine(model());
    expect(derivations).toBe(1);
    for (const e of [native, tf, again]) {
      e.dispose();
      e.dispose();
      await expect(e.run({ x })).rejects.toBeInstanceOf(DisposedError);
    }
  });

  it('concurrent loads of a model not cached yet share one derivation', async () => {
    const before = derivations;
    const spec = onnxSpec(ONNX, 'engine-test-concurrent');
    const engines = await Promise.all([1, 2, 3].map(() => loadEngine(model(spec))));
    expect(derivations - before).toBe(1);
    for (const e of engines) {
      expect(Array.from((await e.run({ x })).y!.data)).toEqual(expected);
      e.dispose();
    }
  });

  it('refuses derived bytes whose SHA-256 differs from the spec', async () => {
    const changed = ONNX.slice();
    changed[changed.length - 1] = 14; // the IR version byte: still a valid model, different bytes
    await expect(loadEngine(model(onnxSpec(ONNX, 'engine-test-other'), changed))).rejects.toBeInstanceOf(
      ModelIntegrityError,
    );
  });

  it('runs a model without an ONNX form on tfjs, and refuses to force onnx on it', async () => {
    const plain: EngineModel = { tfjs: tfjsSpec, tfjsFiles: model().tfjsFiles };
    const e = await loadEngine(plain);
    expect(e.runtime).toBe('tfjs');
    e.dispose();
    await expect(loadEngine(plain, { engine: 'onnx' })).rejects.toThrow(/has no ONNX form/);
  });

  it('configure({ threads }) takes whole numbers from 1 and says what is allowed otherwise', () => {
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(defaultThreads()).toBeLessThanOrEqual(4);
    expect(configure({ threads: 2 }).threads).toBe(2);
    expect(configure({ threads: undefined }).threads).toBeUndefined();
    for (const bad of [0, 1.5, -1, '2', Number.NaN, 1000])
      expect(() => configure({ threads: bad as number })).toThrow(OptionsError);
    expect(() => configure({ threads: 0 })).toThrow(/threads must be a whole number from 1 to 256/);
    expect(getConfig().threads).toBeUndefined();
  });

  it('in a worker thread that cannot switch telemetry off, auto falls back to tfjs and says so once at debug level', () => {
    // A fresh process (the state is per process) starting a worker whose environment lacks the
    // switch; the worker imports core's build, as an app would.
    const coreDist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const coreTfjsDist = fileURLToPath(new URL('../dist/tfjs.js', import.meta.url));
    const worker = `
      import { parentPort } from 'node:worker_threads';
      const core = await import(${JSON.stringify(coreDist)});
      // tfjs comes from the package that uses it; here from core's devDependencies, by require().
      (await import(${JSON.stringify(coreTfjsDist)})).provideTfjs({ from: ${JSON.stringify(import.meta.url)},
        core: null, converter: null, backends: { wasm: null } });
      const debug = [];
      core.configure({ cacheDir: ${JSON.stringify(dir)}, allowRemoteModels: false,
        logger: { debug: (...a) => debug.push(a.join(' ')), info() {}, warn() {}, error() {} } });
      const files = new Map([['tiny.json', new Uint8Array(${JSON.stringify(Array.from(jsonBytes))})],
        ['tiny.bin', new Uint8Array(${JSON.stringify(Array.from(weights))})]]);
      const onnx = new Uint8Array(${JSON.stringify(Array.from(ONNX))});
      const model = { tfjs: ${JSON.stringify(tfjsSpec)}, tfjsFiles: async () => files,
        onnx: { spec: ${JSON.stringify(onnxSpec(ONNX, 'engine-test-worker'))}, derive: async () => onnx } };
      const a = await core.loadEngine(model);
      const b = await core.loadEngine(model);
      const forced = await core.loadEngine(model, { engine: 'onnx' });
      const x = { data: new Float32Array([1, 1, 1, 1]), dims: [1, 4] };
      const ys = [];
      for (const e of [a, b, forced]) ys.push(Array.from((await e.run({ x }, ['y'])).y.data));
      parentPort.postMessage({ runtimes: [a.runtime, b.runtime, forced.runtime], ys,
        notices: debug.filter((m) => m.includes('native engine unavailable')) });`;
    const main = `
      const { Worker } = await import('node:worker_threads');
      const w = new Worker(${JSON.stringify(worker)}, { eval: true, env: { PATH: process.env.PATH } });
      w.once('message', (m) => { console.log(JSON.stringify(m)); w.terminate(); });
      w.once('error', (e) => { console.error(e); process.exit(1); });`;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && k !== 'ORT_DISABLE_TELEMETRY') env[k] = v;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', main], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      runtimes: string[];
      ys: number[][];
      notices: string[];
    };
    expect(m.runtimes).toEqual(['tfjs', 'tfjs', 'onnxruntime-web']);
    for (const y of m.ys) expect(y).toEqual([1, 0, 0.5, 3]);
    expect(m.notices).toHaveLength(1);
    expect(m.notices[0]).toMatch(/worker thread cannot switch onnxruntime-node telemetry off/);
  }, 60_000);
});
