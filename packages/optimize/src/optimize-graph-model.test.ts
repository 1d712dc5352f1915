import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionsError } from '@ondevice/core';
import { afterAll, describe, expect, it } from 'vitest';
import { optimizeGraphModelFiles } from './files.js';
import { decodeWeights, type GraphModelJson } from './manifest.js';
import { optimizeGraphModel } from './optimize-graph-model.js';

// A tiny graph: conv kernel (2×2×4×8 = 128 values), bias, an int32 shape; two weight files.
const kernel = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i) * (i % 7));
const bias = Float32Array.from({ length: 8 }, (_, i) => i / 10);
const shape = Int32Array.from([1, 2]);
const json: GraphModelJson = {
  format: 'graph-model',
  modelTopology: {
    node: [
      { name: 'x', op: 'Placeholder' },
      { name: 'k', op: 'Const' },
      { name: 'b', op: 'Const' },
      { name: 'conv', op: '_FusedConv2D', input: ['x', 'k', 'b'] },
    ],
  },
  weightsManifest: [
    {
      paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
      weights: [
        { name: 'k', shape: [2, 2, 4, 8], dtype: 'float32' },
        { name: 'b', shape: [8], dtype: 'float32' },
        { name: 's', shape: [2], dtype: 'int32' },
      ],
    },
  ],
};
const all = new Uint8Array([
  ...new Uint8Array(kernel.buffer),
  ...new Uint8Array(bias.buffer),
  ...new Uint8Array(shape.buffer),
]);
const shards = { 'group1-shard1of2.bin': all.slice(0, 300), 'group1-shard2of2.bin': all.slice(300) };

describe('optimizeGraphModel', () => {
  it('reads sharded weights and writes one quantised file the manifest describes', async () => {
    const out = await optimizeGraphModel({ modelJson: json, weights: shards, quantize: 'uint8' });
    expect(out.modelJson.weightsManifest).toHaveLength(1);
    expect(out.modelJson.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    const [k, b, s] = out.modelJson.weightsManifest[0]!.weights;
    expect(k!.quantization).toMatchObject({ dtype: 'uint8' });
    expect(b!.quantization).toMatchObject({ dtype: 'uint8' });
    expect(s!.quantization).toBeUndefined();
    expect(out.weights.byteLength).toBe(128 + 8 + 8);
    const decoded = decodeWeights(out.modelJson, out.weights);
    expect(Array.from(new Int32Array(decoded[2]!.raw!.buffer))).toEqual([1, 2]);
    expect(out.report.before.weightsBytes).toBe(all.byteLength);
    expect(out.report.after.totalBytes).toBe(out.modelJsonBytes.byteLength + out.weights.byteLength);
    expect(out.report.after.gzipBytes).toBeGreaterThan(0);
    expect(out.report.ratio.gzip).toBeGreaterThan(0);
  });

  it('is deterministic', async () => {
    const a = await optimizeGraphModel({
      modelJson: json,
      weights: all,
      quantize: 'float16',
      prune: 0.5,
      pruneMinElements: 64,
    });
    const b = await optimizeGraphModel({
      modelJson: json,
      weights: all,
      quantize: 'float16',
      prune: 0.5,
      pruneMinElements: 64,
    });
    expect(a.weights).toEqual(b.weights);
    expect(a.modelJsonBytes).toEqual(b.modelJsonBytes);
    expect(a.report.pruning).toEqual({ tensors: 1, elements: 128, zeros: 64, sparsity: 0.5 });
  });

  it('keeps named weights and small tensors as they are', async () => {
    const out = await optimizeGraphModel({
      modelJson: json,
      weights: all,
      quantize: 'uint8',
      keepWeights: ['k*'],
      quantizeMinElements: 16,
    });
    const [k, b] = out.modelJson.weightsManifest[0]!.weights;
    expect(k!.quantization).toBeUndefined();
    expect(b!.quantization).toBeUndefined();
    expect(out.weights).toEqual(all);
  });

  it('rejects bad options and inconsistent weights with OptionsError', async () => {
    await expect(
      optimizeGraphModel({ modelJson: json, weights: all, quantize: 'int4' as never }),
    ).rejects.toThrow(OptionsError);
    await expect(optimizeGraphModel({ modelJson: json, weights: all, prune: 1.5 })).rejects.toThrow(
      OptionsError,
    );
    await expect(optimizeGraphModel({ modelJson: json, weights: all.slice(4) })).rejects.toThrow(/bytes/);
    await expect(
      optimizeGraphModel({ modelJson: json, weights: { 'group1-shard1of2.bin': all } }),
    ).rejects.toThrow(/group1-shard2of2/);
    await expect(optimizeGraphModel({ modelJson: '{oops', weights: all })).rejects.toThrow(OptionsError);
  });
});

describe('optimizeGraphModelFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ondevice-optimize-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads model.json and its shards from disk and writes the optimised pair', async () => {
    writeFileSync(join(dir, 'tiny.json'), JSON.stringify(json));
    for (const [p, bytes] of Object.entries(shards)) writeFileSync(join(dir, p), bytes);
    const out = await optimizeGraphModelFiles(join(dir, 'tiny.json'), join(dir, 'out'), {
      quantize: 'uint16',
    });
    expect(out.files).toEqual([join(dir, 'out', 'tiny.json'), join(dir, 'out', 'tiny.bin')]);
    const written = JSON.parse(readFileSync(out.files[0]!, 'utf8')) as GraphModelJson;
    expect(written.weightsManifest[0]!.paths).toEqual(['tiny.bin']);
    expect(readFileSync(out.files[1]!).byteLength).toBe(128 * 2 + 8 * 2 + 8);
  });
});
