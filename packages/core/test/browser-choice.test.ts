// The browser engine choice is the measurement: BROWSER_ENGINE_MEASUREMENTS holds exactly the p50s
// bench/browser-engines.mjs wrote to bench/results/browser-engines.json, and chooseBrowserEngine
// keeps the engine the bench kept there (its `choice`). Re-running the bench without updating the
// table, or editing the table by hand, fails here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BROWSER_ENGINE_MARGIN,
  BROWSER_ENGINE_MEASUREMENTS,
  type BrowserBackend,
  chooseBrowserEngine,
} from '../src/backend/browser-choice.js';

interface Run {
  model: string;
  engine: string;
  page: string;
  median?: number;
}
interface Results {
  runs: Run[];
  derived: { key: string }[];
  choice: Record<string, Record<string, 'tfjs' | 'onnxruntime-web' | null>>;
}
const results = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../bench/results/browser-engines.json', import.meta.url)),
    'utf8',
  ),
) as Results;

// The bench's model keys and names → the TFJS spec ids the table is keyed by.
const MODELS = [
  { key: 'centernet', name: 'CenterNet 512', id: 'centernet-mobilenetv3-coco' },
  { key: 'blazeface', name: 'BlazeFace 256', id: 'blazeface-back' },
  { key: 'facemesh', name: 'FaceMesh 192', id: 'facemesh' },
  { key: 'iris', name: 'Iris 64', id: 'iris' },
];
const PAGES = ['all engines', 'WASM engines alone'];
const p50 = (model: string, engine: string, page: string) =>
  results.runs.find((r) => r.model === model && r.engine === engine && r.page === page)?.median;
const BACKENDS: BrowserBackend[] = ['webgpu', 'webgl', 'wasm'];

describe('chooseBrowserEngine', () => {
  it('holds exactly the p50s of bench/results/browser-engines.json, every model and page', () => {
    expect(results.derived.map((d) => d.key).sort()).toEqual(MODELS.map((m) => m.key).sort());
    for (const m of MODELS) {
      const pages = (engines: Record<string, string>) =>
        PAGES.map((page) =>
          Object.fromEntries(
            Object.entries(engines)
              .map(([field, engine]) => [field, p50(m.name, engine, page)])
              .filter(([, v]) => v !== undefined),
          ),
        ).filter((t) => 'tfjs' in t);
      expect(BROWSER_ENGINE_MEASUREMENTS[m.id], m.name).toEqual({
        webgpu: pages({ tfjs: 'tfjs-webgpu', onnx: 'ort-webgpu' }),
        webgl: pages({ tfjs: 'tfjs-webgl' }),
        wasm: pages({ tfjs: 'tfjs-wasm', onnx: 'ort-wasm-1', onnx2: 'ort-wasm-2' }),
      });
    }
  });

  it('keeps what the bench kept per model and backend; 2 threads only where isolated and faster', () => {
    const column = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM, 1 thread' } as const;
    for (const m of MODELS)
      for (const backend of BACKENDS)
        for (const crossOriginIsolated of [false, true]) {
          const choice = chooseBrowserEngine({ model: m.id, backend, crossOriginIsolated });
          // Threads: every page has onnxruntime-web on 2 threads under the margin of both 1 thread and tfjs.
          const two =
            crossOriginIsolated &&
            backend === 'wasm' &&
            PAGES.every((page) => {
              const t = p50(m.name, 'tfjs-wasm', page)!;
              const o1 = p50(m.name, 'ort-wasm-1', page)!;
              const o2 = p50(m.name, 'ort-wasm-2', page)!;
              return o2 < BROWSER_ENGINE_MARGIN * Math.min(t, o1);
            });
          const expected = two ? 'onnxruntime-web' : results.choice[m.key]![column[backend]];
          expect({
            model: m.id,
            backend,
            crossOriginIsolated,
            runtime: choice.runtime,
            threads: choice.threads,
          }).toEqual({ model: m.id, backend, crossOriginIsolated, runtime: expected, threads: two ? 2 : 1 });
          expect(choice.backend).toBe(backend);
          expect(choice.reason).toContain(`${m.id} on ${backend}`);
        }
  });

  it('says onnxruntime-web for FaceMesh and Iris on WASM, tfjs for CenterNet and BlazeFace (as measured)', () => {
    const on = (model: string) => chooseBrowserEngine({ model, backend: 'wasm', crossOriginIsolated: true });
    expect(on('facemesh')).toMatchObject({ runtime: 'onnxruntime-web', threads: 1 });
    expect(on('iris')).toMatchObject({ runtime: 'onnxruntime-web', threads: 1 });
    expect(on('centernet-mobilenetv3-coco').runtime).toBe('tfjs');
    expect(on('blazeface-back').runtime).toBe('tfjs');
  });

  it('runs a model it has no measurement for, or one without an ONNX form, on tfjs', () => {
    expect(
      chooseBrowserEngine({ model: 'my-own-model', backend: 'wasm', crossOriginIsolated: true }),
    ).toEqual({
      runtime: 'tfjs',
      backend: 'wasm',
      threads: 1,
      reason: 'my-own-model on wasm: tfjs (not measured)',
    });
    expect(
      chooseBrowserEngine({ model: 'facemesh', backend: 'wasm', crossOriginIsolated: true, hasOnnx: false })
        .runtime,
    ).toBe('tfjs');
  });
});
