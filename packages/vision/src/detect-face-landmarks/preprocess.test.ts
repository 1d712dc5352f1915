import { warpAffine } from '@ondevice/core';
import { describe, expect, it } from 'vitest';
import { cropToImage } from './postprocess.js';
import {
  affineCrop,
  createPyramid,
  detectorInput,
  detectorRegionInput,
  halvePixels,
  pyramidCrop,
  squareTiles,
} from './preprocess.js';

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

describe('pyramid crops', () => {
  const checkerboard = (n: number) => {
    const data = new Uint8Array(n * n * 3);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) data.fill((x + y) % 2 ? 255 : 0, (y * n + x) * 3, (y * n + x) * 3 + 3);
    return { data, width: n, height: n, channels: 3 as const };
  };

  it('halves with a 2×2 box filter, repeating an odd edge', () => {
    const half = halvePixels({
      data: Uint8Array.from([0, 0, 0, 255, 255, 255, 9, 9, 9]),
      width: 3,
      height: 1,
      channels: 3,
    });
    expect(half.width).toBe(2);
    expect(half.height).toBe(1);
    expect(Array.from(half.data)).toEqual([128, 128, 128, 9, 9, 9]);
  });

  it('shrinks a fine pattern to its average instead of aliasing it', () => {
    const board = checkerboard(512);
    const m = cropToImage({ cx: 255.3, cy: 256.6, size: 487, angle: 0 }, 32);
    const plain = affineCrop(board, m, 32);
    const smooth = pyramidCrop(createPyramid(board), m, 32);
    const spread = (a: Float32Array) => Math.max(...a) - Math.min(...a);
    expect(spread(smooth)).toBeLessThan(0.05);
    expect(Math.abs(smooth[0]! - 0.5)).toBeLessThan(0.05);
    expect(spread(plain)).toBeGreaterThan(0.5);
  });

  it('letterboxes into the detector input with black bars and maps back', () => {
    const white = {
      data: new Uint8Array(200 * 100 * 3).fill(255),
      width: 200,
      height: 100,
      channels: 3 as const,
    };
    const { data: values, frame } = detectorInput(createPyramid(white), 256);
    expect(values.length).toBe(256 * 256 * 3);
    expect(frame).toEqual({ padX: 0, padY: 64, scaleX: 200 / 256, scaleY: 200 / 256 });
    expect(values[0]).toBe(-1); // top bar
    expect(values[(128 * 256 + 128) * 3]).toBeCloseTo(1, 5); // the image
  });
});

describe('small-face tiles', () => {
  it('squareTiles covers a 4:3 image with 3 × 2 squares of half its longer side', () => {
    const tiles = squareTiles(640, 480, 2, 0.25);
    expect(tiles).toEqual([
      { x: 0, y: 0, side: 320 },
      { x: 160, y: 0, side: 320 },
      { x: 320, y: 0, side: 320 },
      { x: 0, y: 160, side: 320 },
      { x: 160, y: 160, side: 320 },
      { x: 320, y: 160, side: 320 },
    ]);
  });

  it('detectorRegionInput samples the region and maps detector pixels back onto it', () => {
    // A 64 × 64 image, white in its right half: the region x 32..64 comes out all white.
    const data = new Uint8Array(64 * 64 * 3);
    for (let y = 0; y < 64; y++)
      for (let x = 32; x < 64; x++) data.fill(255, (y * 64 + x) * 3, (y * 64 + x) * 3 + 3);
    const { data: input, frame } = detectorRegionInput(
      createPyramid({ data, width: 64, height: 64, channels: 3 }),
      { x: 32, y: 16, side: 32 },
      16,
    );
    expect(Math.min(...input)).toBeCloseTo(1, 5);
    const back = (p: number) => ({ x: (p - frame.padX) * frame.scaleX, y: (p - frame.padY) * frame.scaleY });
    expect(back(0)).toEqual({ x: 32, y: 16 });
    expect(back(16)).toEqual({ x: 64, y: 48 });
  });
});
