import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16Bits } from './float16.js';
import { decodeFloat16, dequantizeAffine, encodeFloat16, quantizeAffine } from './quantize.js';

function random(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

describe('quantizeAffine', () => {
  for (const dtype of ['uint8', 'uint16'] as const) {
    it(`${dtype}: dequantised values are within scale/2 of the input`, () => {
      for (const [lo, hi] of [
        [-1, 1],
        [-0.01, 3],
        [0.5, 2],
        [-80, -3],
      ] as const) {
        const values = random(5000, 7, lo, hi);
        const { codes, quantization } = quantizeAffine(values, dtype);
        const back = dequantizeAffine(codes, quantization);
        let worst = 0;
        for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(back[i]! - values[i]!));
        // float32 storage of the result adds at most one ulp of the largest magnitude.
        const ulp = Math.max(Math.abs(lo), Math.abs(hi)) * 2 ** -23;
        expect(worst).toBeLessThanOrEqual(quantization.scale / 2 + ulp);
        expect(quantization.scale).toBeCloseTo((hi - lo) / (dtype === 'uint8' ? 255 : 65535), 3);
      }
    });
  }

  it('keeps zero exactly zero when the range spans it (pruned weights stay pruned)', () => {
    const values = random(1000, 3, -0.37, 1.91);
    for (let i = 0; i < values.length; i += 3) values[i] = 0;
    const { codes, quantization } = quantizeAffine(values, 'uint8');
    const back = dequantizeAffine(codes, quantization);
    for (let i = 0; i < values.length; i += 3) expect(back[i]).toBe(0);
  });

  it('stores a constant tensor exactly', () => {
    const { codes, quantization } = quantizeAffine(new Float32Array([0.1666, 0.1666]), 'uint8');
    expect(Array.from(dequantizeAffine(codes, quantization))).toEqual([
      Math.fround(0.1666),
      Math.fround(0.1666),
    ]);
  });
});

describe('float16', () => {
  it('round-trips every finite half value exactly', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) !== 0x7c00 && toFloat16Bits(fromFloat16Bits(bits)) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds to nearest with a relative error of at most 2^-11 in the normal range', () => {
    const values = random(2000, 11, -1000, 1000);
    const back = decodeFloat16(encodeFloat16(values));
    for (let i = 0; i < values.length; i++) {
      if (Math.abs(values[i]!) < 6.2e-5) continue;
      expect(Math.abs(back[i]! - values[i]!)).toBeLessThanOrEqual(Math.abs(values[i]!) * 2 ** -11);
    }
  });

  it('maps overflow to infinity and keeps signs, zeros and NaN', () => {
    expect(fromFloat16Bits(toFloat16Bits(1e6))).toBe(Number.POSITIVE_INFINITY);
    expect(fromFloat16Bits(toFloat16Bits(-0))).toBe(-0);
    expect(fromFloat16Bits(toFloat16Bits(Number.NaN))).toBeNaN();
    expect(fromFloat16Bits(toFloat16Bits(65504))).toBe(65504);
    expect(fromFloat16Bits(toFloat16Bits(2 ** -24))).toBe(2 ** -24);
  });
});
