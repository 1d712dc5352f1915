import { describe, expect, it } from 'vitest';
import type { GraphModelJson } from './manifest.js';
import { depthwiseWeightNames, kernelWeightNames, pruneByMagnitude, sparsityOf } from './prune.js';

describe('pruneByMagnitude', () => {
  it('zeroes exactly round(sparsity × n) values, the smallest in magnitude', () => {
    const w = new Float32Array([0.1, -2, 0.05, 3, -0.07, 1]);
    expect(pruneByMagnitude(w, 0.5)).toBe(3);
    expect(Array.from(w)).toEqual([0, -2, 0, 3, 0, 1]);
    expect(sparsityOf(w)).toBe(0.5);
  });

  it('breaks ties by position so the count is exact', () => {
    const w = new Float32Array(1000).fill(0.25);
    pruneByMagnitude(w, 0.3);
    expect(sparsityOf(w)).toBe(0.3);
  });

  it('rejects a sparsity outside [0, 1]', () => {
    expect(() => pruneByMagnitude(new Float32Array(4), 1.5)).toThrow(RangeError);
  });
});

describe('kernel detection', () => {
  const json: GraphModelJson = {
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder' },
        { name: 'w', op: 'Const' },
        { name: 'b', op: 'Const' },
        { name: 'dw', op: 'Const' },
        { name: 'conv', op: '_FusedConv2D', input: ['x', 'w', 'b'] },
        { name: 'depth', op: 'FusedDepthwiseConv2dNative', input: ['conv', 'dw', 'b'] },
        { name: 'dense', op: 'MatMul', input: ['depth', 'm:0'] },
        { name: 'add', op: 'AddV2', input: ['dense', 'b'] },
      ],
    },
    weightsManifest: [],
  };

  it('finds conv, depthwise and dense kernels but not biases', () => {
    expect([...kernelWeightNames(json)].sort()).toEqual(['dw', 'm', 'w']);
    expect([...depthwiseWeightNames(json)]).toEqual(['dw']);
  });
});
