// The runtime WASM goes through the model store like a model: a prefetch of runtimeWasmSpec starts
// together with the models' downloads and reports its bytes in the same progress events, and
// onnxruntime-web then takes the checked, cached bytes (wasmBinary) instead of fetching them again.
// A local server stands in for the page's origin; the .wasm is onnxruntime-web's real binary.
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configure, resetConfig } from '../env.js';
import type { ModelProgress, ModelSpec } from '../model/spec.js';
import { prefetchModel } from '../model/store.js';
import { ortWebFiles, runtimeWasmSpec } from './wasm.js';

const WASM = 'ort-wasm-simd-threaded.wasm';
let server: Server;
let base: string;
let cacheDir: string;
let wasm: Buffer;
const weights = Buffer.alloc(3_000_000, 7);
const MODEL: ModelSpec = {
  id: 'test-model',
  version: '1.0.0',
  format: 'files',
  license: 'MIT',
  files: [
    { path: 'weights.bin', sha256: createHash('sha256').update(weights).digest('hex'), size: weights.length },
  ],
};
/** Each request: path and when it arrived / when its body was sent. */
const log: { path: string; start: number; end: number }[] = [];

beforeAll(async () => {
  wasm = await readFile(join(import.meta.dirname, '../../node_modules/onnxruntime-web/dist', WASM));
  cacheDir = await mkdtemp(join(tmpdir(), 'ondevice-runtime-'));
  server = createServer((req, res) => {
    const path = req.url ?? '';
    const body = path.endsWith(`/wasm/${WASM}`) ? wasm : path.endsWith('/weights.bin') ? weights : undefined;
    const entry = { path, start: performance.now(), end: 0 };
    log.push(entry);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    // Sent in slices over ~300 ms, so downloads that run together overlap.
    res.writeHead(200, { 'content-length': body.length });
    let i = 0;
    const step = Math.ceil(body.length / 10);
    const tick = setInterval(() => {
      res.write(body.subarray(i, i + step));
      i += step;
      if (i >= body.length) {
        clearInterval(tick);
        entry.end = performance.now();
        res.end();
      }
    }, 30);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  base = `http://127.0.0.1:${port}/`;
});
afterAll(async () => {
  resetConfig();
  server?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('runtime WASM through the model store', () => {
  it('downloads beside the models, in the same progress events, and onnxruntime takes those bytes', async () => {
    configure({ cacheDir, wasmBaseUrl: `${base}wasm/`, modelBaseUrl: `${base}models/` });
    const spec = runtimeWasmSpec('onnxruntime-web');
    expect(spec.url).toBe(`${base}wasm/`);
    expect(spec.files.map((f) => f.path)).toEqual([WASM]);
    const seen = new Map<string, number>();
    const onProgress = (p: ModelProgress) => seen.set(`${p.modelId}/${p.file}`, p.fileLoaded);
    // In Node the store would read the file from the installed onnxruntime-web (spec.npm); a page
    // has only the server, so the prefetch here goes to the server as a page's does.
    const { npm: _npm, ...served } = spec;
    await Promise.all([MODEL, served].map((s) => prefetchModel(s, { onProgress })));
    expect(seen.get(`test-model/weights.bin`)).toBe(weights.length);
    expect(seen.get(`${spec.id}/${WASM}`)).toBe(wasm.length);
    const [model, runtime] = [
      log.find((l) => l.path.endsWith('weights.bin'))!,
      log.find((l) => l.path.endsWith(WASM))!,
    ];
    // Together: each started before the other finished.
    expect(runtime.start).toBeLessThan(model.end);
    expect(model.start).toBeLessThan(runtime.end);

    // onnxruntime-web's files: the binary as checked bytes from the store, not fetched again.
    const before = log.length;
    const files = await ortWebFiles({
      script: 'ort.wasm.min.mjs',
      loader: 'ort-wasm-simd-threaded.mjs',
      wasm: WASM,
    });
    expect(log.length).toBe(before);
    expect(files.wasmPaths).toBe(`${base}wasm/`);
    expect(files.script).toBe(`${base}wasm/ort.wasm.min.mjs`);
    expect(files.wasmBinary?.byteLength).toBe(wasm.length);
    expect(createHash('sha256').update(files.wasmBinary!).digest('hex')).toBe(spec.files[0]!.sha256);
  });

  it("names tfjs's threaded binary when the page is cross-origin isolated, its plain SIMD one otherwise", () => {
    configure({ wasmBaseUrl: `${base}wasm/` });
    expect(runtimeWasmSpec('tfjs-wasm', { threads: true }).files[0]!.path).toBe(
      'tfjs-backend-wasm-threaded-simd.wasm',
    );
    expect(runtimeWasmSpec('tfjs-wasm').files[0]!.path).toBe('tfjs-backend-wasm-simd.wasm');
  });
});
