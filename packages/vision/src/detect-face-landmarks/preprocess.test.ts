import { warpAffine } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { cropToImage } from './postprocess.js';
import { affineCrop } from './preprocess.js';

describe('affineCrop', () => {
  it("samples like core's warpAffine, as floats in [0, 1], including outside the image", () => {
    const width = 37;
    const height = 23;
    const data = new Uint8Array(width * height * 3).map((_, i) => (i * 37 + (i >> 3)) % 256);
    const pixels = { data, width, height, channels: 3 as const };
    const m = cropToImage({ cx: 20, cy: 10, size: 30, angle: 0.7 }, 16, true);
    const ours = affineCrop(pixels, m, 16);
    const core = warpAffine(pixels, m, 16, 16, 0);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - core.data[i]! / 255));
    expect(worst).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    const packed = new Float32Array(16 * 16 * 3 * 2);
    affineCrop(pixels, m, 16, packed, 16 * 16 * 3);
    expect(Array.from(packed.subarray(16 * 16 * 3))).toEqual(Array.from(ours));
  });
});
