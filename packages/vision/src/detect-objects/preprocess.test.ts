import { getTfjs } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { modelToInput, toModelInput } from './preprocess.js';

describe('toModelInput', () => {
  it('letterboxes into the top-left corner, pads with zeros, and appends the mirror image', async () => {
    const { tf } = await getTfjs();
    // 4×2 image: left half red (255, 0, 0), right half blue (0, 0, 255)
    const data = new Uint8Array(4 * 2 * 3);
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 4; x++) data.set(x < 2 ? [255, 0, 0] : [0, 0, 255], (y * 4 + x) * 3);
    const before = tf.memory().numTensors;
    const t = toModelInput(tf, { data, width: 4, height: 2, channels: 3 }, 8, 'letterbox', true);
    expect(t.shape).toEqual([2, 8, 8, 3]);
    const v = (await t.array()) as number[][][][];
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // scale 2: content in rows 0–3, columns 0–7; rows 4–7 are padding
    expect(v[0]![0]![0]).toEqual([255, 0, 0]);
    expect(v[0]![3]![7]).toEqual([0, 0, 255]);
    expect(v[0]![4]![0]).toEqual([0, 0, 0]);
    expect(v[0]![7]![7]).toEqual([0, 0, 0]);
    // the second item is the mirror image of the first
    expect(v[1]![0]![0]).toEqual([0, 0, 255]);
    expect(v[1]![0]![7]).toEqual([255, 0, 0]);
  });

  it('stretch fills the whole square and maps back per axis', async () => {
    const { tf } = await getTfjs();
    const data = new Uint8Array(4 * 2 * 3).fill(100);
    const t = toModelInput(tf, { data, width: 4, height: 2, channels: 3 }, 8, 'stretch', false);
    expect(t.shape).toEqual([1, 8, 8, 3]);
    expect(Array.from(await t.data()).every((x) => Math.abs(x - 100) < 1e-4)).toBe(true);
    t.dispose();
    expect(modelToInput(4, 2, 8, 'stretch')).toEqual({ scaleX: 0.5, scaleY: 0.25, offsetX: 0, offsetY: 0 });
  });
});
