import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';

function io() {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: {
        write: (s: string) => {
          out += s;
          return true;
        },
      },
      stderr: {
        write: (s: string) => {
          err += s;
          return true;
        },
      },
    } as unknown as Parameters<typeof main>[1],
    out: () => out,
    err: () => err,
  };
}

describe('ondevice optimize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ondevice-cli-optimize-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const kernel = Float32Array.from({ length: 2048 }, (_, i) => Math.sin(i));
  writeFileSync(
    join(dir, 'm.json'),
    JSON.stringify({
      modelTopology: { node: [{ name: 'c', op: 'Conv2D', input: ['x', 'k'] }] },
      weightsManifest: [
        { paths: ['m.bin'], weights: [{ name: 'k', shape: [2, 2, 8, 64], dtype: 'float32' }] },
      ],
    }),
  );
  writeFileSync(join(dir, 'm.bin'), new Uint8Array(kernel.buffer));

  it('quantises and prunes a model.json, writing the pair and a size report', async () => {
    const t = io();
    const code = await main(
      ['optimize', join(dir, 'm.json'), '--quantize', 'uint8', '--prune', '0.5', '-o', join(dir, 'out')],
      t.io,
    );
    expect(code).toBe(0);
    expect(t.out()).toMatch(/raw .*×0\.2/);
    expect(t.out()).toMatch(/sparsity 50\.0%/);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'm.json'), 'utf8'));
    expect(json.weightsManifest[0].weights[0].quantization.dtype).toBe('uint8');
    expect(readFileSync(join(dir, 'out', 'm.bin')).byteLength).toBe(2048);
  });

  it('usage errors exit 2 with one line', async () => {
    for (const args of [
      ['optimize', join(dir, 'm.json'), '--quantize', 'int4', '-o', join(dir, 'o2')],
      ['optimize', join(dir, 'm.json'), '--quantize', 'uint8'],
      ['optimize', join(dir, 'm.json'), '-o', join(dir, 'o3')],
    ]) {
      const t = io();
      expect(await main(args, t.io)).toBe(2);
      expect(t.err().trim().split('\n')).toHaveLength(1);
    }
  });
});
