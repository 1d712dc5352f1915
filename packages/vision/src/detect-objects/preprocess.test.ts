import '../tfjs-modules.js';
import { getTfjs } from '@ondevice/core/tfjs';
import { describe, expect, it } from 'vitest';
import { modelToInput, toModelInput } from './preprocess.js';

const at = (v: Float32Array, size: number, n: number, y: number, x: number) =>
  Array.from(v.subarray(((n * size + y) * size + x) * 3, ((n * size + y) * size + x) * 3 + 3));

describe('toModelInput', () => {
  it('letterboxes into the top-left corner, pads with zeros, and appends the mirror image', () => {
    // 4×2 image: left half red (255, 0, 0), right half blue (0, 0, 255)
    const data = new Uint8Array(4 * 2 * 3);
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 4; x++) data.set(x < 2 ? [255, 0, 0] : [0, 0, 255], (y * 4 + x) * 3);
    const v = toModelInput({ data, width: 4, height: 2, channels: 3 }, 8, 'letterbox', true);
    expect(v.length).toBe(2 * 8 * 8 * 3);
    // scale 2: content in rows 0–3, columns 0–7; rows 4–7 are padding
    expect(at(v, 8, 0, 0, 0)).toEqual([255, 0, 0]);
    expect(at(v, 8, 0, 3, 7)).toEqual([0, 0, 255]);
    expect(at(v, 8, 0, 4, 0)).toEqual([0, 0, 0]);
    expect(at(v, 8, 0, 7, 7)).toEqual([0, 0, 0]);
    // the second item is the mirror image of the first
    expect(at(v, 8, 1, 0, 0)).toEqual([0, 0, 255]);
    expect(at(v, 8, 1, 0, 7)).toEqual([255, 0, 0]);
  });

  it('stretch fills the whole square and maps back per axis', () => {
    const data = new Uint8Array(4 * 2 * 3).fill(100);
    const v = toModelInput({ data, width: 4, height: 2, channels: 3 }, 8, 'stretch', false);
    expect(v.length).toBe(8 * 8 * 3);
    expect(Array.from(v).every((x) => Math.abs(x - 100) < 1e-4)).toBe(true);
    expect(modelToInput(4, 2, 8, 'stretch')).toEqual({ scaleX: 0.5, scaleY: 0.25, offsetX: 0, offsetY: 0 });
  });

  it("gives tfjs's resizeBilinear (half-pixel centres) + pad + reverse on a random image", async () => {
    const { tf } = await getTfjs();
    const [width, height, size] = [37, 23, 32];
    let seed = 7;
    const data = new Uint8Array(width * height * 3).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 256;
    });
    for (const [fit, mirror] of [
      ['letterbox', true],
      ['stretch', false],
    ] as const) {
      const ours = toModelInput({ data, width, height, channels: 3 }, size, fit, mirror);
      const theirs = tf.tidy(() => {
        const image = tf.cast(tf.tensor4d(data, [1, height, width, 3], 'int32'), 'float32');
        if (fit === 'stretch') return tf.image.resizeBilinear(image, [size, size], false, true);
        const s = size / Math.max(width, height);
        const w = Math.round(width * s);
        const h = Math.round(height * s);
        const r = tf.pad(tf.image.resizeBilinear(image, [h, w], false, true), [
          [0, 0],
          [0, size - h],
          [0, size - w],
          [0, 0],
        ]);
        return mirror ? tf.concat([r, tf.reverse(r, 2)], 0) : r;
      });
      const expected = (await theirs.data()) as Float32Array;
      theirs.dispose();
      expect(ours.length).toBe(expected.length);
      let max = 0;
      for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - expected[i]!));
      expect(max).toBeLessThan(1e-3);
    }
  });
});
