// loadEngine's choice of runtime, read apart from the loading (planEngine): per platform and
// request, and in browsers the per-model measurement of bench/results/browser-engines.json
// (onnxruntime-web's WASM for FaceMesh and Iris, tfjs for CenterNet).
import { describe, expect, it } from 'vitest';
import { type EngineQuery, planEngine } from '../src/index.js';

const base: EngineQuery = {
  engine: 'auto',
  model: 'facemesh',
  hasOnnx: true,
  node: true,
  crossOriginIsolated: false,
  nativeIsPrivate: true,
};

describe('planEngine', () => {
  it('Node, auto: the native runtime where it can run privately, else tfjs said as a fallback', () => {
    expect(planEngine(base).run).toBe('onnxruntime-node');
    const worker = planEngine({ ...base, nativeIsPrivate: false });
    expect(worker).toMatchObject({ run: 'tfjs', fallback: true });
    expect(worker.reason).toMatch(/telemetry/);
  });

  it('a model without an ONNX form runs on tfjs under auto, and engine "onnx" is passed on to be refused', () => {
    expect(planEngine({ ...base, hasOnnx: false }).run).toBe('tfjs');
    expect(planEngine({ ...base, hasOnnx: false, engine: 'onnx' }).run).toBe('onnx-auto');
  });

  it('the engine asked for wins', () => {
    expect(planEngine({ ...base, engine: 'tfjs' }).run).toBe('tfjs');
    expect(planEngine({ ...base, engine: 'onnx', node: false }).run).toBe('onnx-auto');
  });

  it('browsers, auto on WASM: onnxruntime-web for FaceMesh and Iris, tfjs for CenterNet, as measured', () => {
    const page = { ...base, node: false, nativeIsPrivate: false, tfjsBackend: 'wasm' };
    for (const model of ['facemesh', 'iris']) {
      const plan = planEngine({ ...page, model });
      expect(plan.run, model).toBe('onnxruntime-web');
      expect(plan.reason, model).toContain(model);
    }
    expect(planEngine({ ...page, model: 'centernet-mobilenetv3-coco' }).run).toBe('tfjs');
  });

  it('browsers on the cpu backend, or before a backend is known, stay on tfjs', () => {
    const page = { ...base, node: false, nativeIsPrivate: false };
    expect(planEngine({ ...page, tfjsBackend: 'cpu' }).run).toBe('tfjs');
    expect(planEngine(page).run).toBe('tfjs');
  });
});
