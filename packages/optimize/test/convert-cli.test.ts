// `ondevice convert` end to end: the built CLI (packages/cli/dist, build it first) on a small
// model written to a temporary folder; output and exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '@ondevice/core';
import { afterAll, describe, expect, it } from 'vitest';
import { convertGraphModelToOnnx, type GraphModelJson } from '../src/index.js';

const BIN = resolve(fileURLToPath(import.meta.url), '../../../cli/dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ondevice-convert-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => btoa(s);
function writeModel(name: string, op: string): { json: GraphModelJson; bin: Uint8Array } {
  const kernel = Float32Array.from({ length: 2 * 2 * 3 * 4 }, (_, i) => Math.cos(i));
  const json = {
    format: 'graph-model',
    modelTopology: {
      node: [
        {
          name: 'image',
          op: 'Placeholder',
          attr: {
            dtype: { type: 'DT_FLOAT' },
            shape: { shape: { dim: [1, 8, 8, 3].map((d) => ({ size: String(d) })) } },
          },
        },
        { name: 'k', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } },
        {
          name: 'conv',
          op: 'Conv2D',
          input: ['image', 'k'],
          attr: {
            strides: { list: { i: ['1', '1', '1', '1'] } },
            padding: { s: b64('SAME') },
            data_format: { s: b64('NHWC') },
          },
        },
        { name: 'out', op, input: ['conv'] },
      ],
    },
    weightsManifest: [
      { paths: [`${name}.bin`], weights: [{ name: 'k', shape: [2, 2, 3, 4], dtype: 'float32' }] },
    ],
  };
  const bin = new Uint8Array(kernel.buffer);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(json));
  writeFileSync(join(dir, `${name}.bin`), bin);
  return { json, bin };
}

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'convert', ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!existsSync(BIN))('ondevice convert (built CLI)', () => {
  it('writes the same ONNX bytes as the library and prints inputs and outputs', async () => {
    const { json, bin } = writeModel('m', 'Relu6');
    const r = run(join(dir, 'm.json'), '-o', join(dir, 'out', 'm.onnx'), '--input-shape=-1,8,8,3');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wrote .*m\.onnx/);
    expect(r.out).toContain('input  image [-1, 8, 8, 3] float32');
    expect(r.out).toContain('output out [-1, 8, 8, 4] float32');
    const library = convertGraphModelToOnnx({
      modelJson: json,
      weights: bin,
      inputShapes: { image: [-1, 8, 8, 3] },
    });
    expect(await sha256Hex(readFileSync(join(dir, 'out', 'm.onnx')))).toBe(await sha256Hex(library.onnx));
    const j = run(join(dir, 'm.json'), '-o', join(dir, 'out', 'm2.onnx'), '--json', '--outputs', 'conv');
    expect(j.code).toBe(0);
    expect(JSON.parse(j.out)).toMatchObject({
      outputs: [{ name: 'conv', shape: [1, 8, 8, 4] }],
      ops: { Conv2D: 1 },
    });
  });

  it('an op it does not cover: exit 3, one line naming the op and node', () => {
    writeModel('u', 'Softplus');
    const r = run(join(dir, 'u.json'), '-o', join(dir, 'u.onnx'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /^ondevice convert: .*op Softplus \(node "out"\) is not supported\. Supported ops: /,
    );
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('a missing model.json or weights file: exit 1; usage errors: exit 2', () => {
    expect(run(join(dir, 'missing.json'), '-o', join(dir, 'x.onnx')).code).toBe(1);
    writeModel('w', 'Relu');
    rmSync(join(dir, 'w.bin'));
    const noWeights = run(join(dir, 'w.json'), '-o', join(dir, 'x.onnx'));
    expect(noWeights.code).toBe(1);
    expect(noWeights.err).toMatch(/cannot read the weights file/);
    writeModel('v', 'Relu');
    for (const args of [
      [join(dir, 'v.json')],
      ['-o', 'x.onnx'],
      [join(dir, 'v.json'), '-o', 'x.onnx', '--outputs', 'nope'],
      [join(dir, 'v.json'), '-o', 'x.onnx', '--input-shape', 'a,b'],
      [join(dir, 'v.json'), '-o', 'x.onnx', '--bogus'],
    ]) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage: ondevice convert <model.json> -o <model.onnx>');
  });
});
