// openOnnxSession: the one place core and the task packages open onnxruntime sessions on bytes
// (createOnnxSession for specs, audio's cut subgraphs and heads). The options check uses a stand-in
// for onnxruntime that returns what it was given (plumbing only); the error check uses the real
// onnxruntime-web on bytes that are not a model.
import { afterEach, describe, expect, it } from 'vitest';
import { configure, ModelLoadError, resetConfig } from '../src/index.js';
import { getOrt, type OrtModule, openOnnxSession } from '../src/onnx.js';

const echo = {
  InferenceSession: { create: async (_bytes: Uint8Array, options: unknown) => options },
} as unknown as OrtModule;

afterEach(() => resetConfig());

describe('openOnnxSession', () => {
  it('gives onnxruntime-node configure({ threads }) intra-op threads (1 when unset) and 1 inter-op thread; the web runtime none', async () => {
    expect(await openOnnxSession(echo, new Uint8Array(), { what: 'm' })).toEqual({
      graphOptimizationLevel: 'all',
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    configure({ threads: 2 });
    expect(await openOnnxSession(echo, new Uint8Array(), { what: 'm', runtime: 'node' })).toMatchObject({
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
    });
    expect(await openOnnxSession(echo, new Uint8Array(), { what: 'm', runtime: 'web' })).toEqual({
      graphOptimizationLevel: 'all',
    });
    expect(
      await openOnnxSession(echo, new Uint8Array(), {
        what: 'm',
        sessionOptions: { graphOptimizationLevel: 'basic' },
      }),
    ).toMatchObject({ graphOptimizationLevel: 'basic', intraOpNumThreads: 2 });
  });

  it('turns a graph onnxruntime cannot read into a ModelLoadError that names it', async () => {
    const ort = await getOrt('web');
    const error = await openOnnxSession(ort, new Uint8Array([1, 2, 3, 4]), {
      what: 'the test head',
      runtime: 'web',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/^the test head could not be opened by onnxruntime: /);
  });
});
