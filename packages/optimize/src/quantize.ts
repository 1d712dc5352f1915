import { fromFloat16Bits, toFloat16Bits } from './float16.js';

/** Storage types the TFJS weights manifest can dequantise at load. */
export type QuantizeDtype = 'uint8' | 'uint16' | 'float16';

/** An affine quantisation as the TFJS weights manifest writes it: `value = q * scale + min`. */
export interface AffineQuantization {
  dtype: 'uint8' | 'uint16';
  min: number;
  scale: number;
}

/**
 * Quantises values to `uint8` or `uint16` with one `min` and `scale` for the tensor (what the TFJS
 * manifest can express). When the range spans zero, `min` is moved to a multiple of `scale` so that
 * zero stays exactly zero after dequantisation (pruned weights stay pruned); the error of every value
 * stays within `scale / 2`.
 *
 * @example
 * ```ts
 * const { codes, quantization } = quantizeAffine(new Float32Array([-1, 0, 0.5, 1]), 'uint8');
 * // quantization.scale ≈ 2 / 255; dequantizeAffine(codes, quantization)[1] === 0
 * ```
 */
export function quantizeAffine(
  values: Float32Array,
  dtype: 'uint8' | 'uint16',
): { codes: Uint8Array | Uint16Array; quantization: AffineQuantization } {
  const levels = dtype === 'uint8' ? 255 : 65535;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!values.length) {
    lo = 0;
    hi = 0;
  }
  let min = lo;
  let scale = (hi - lo) / levels;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    // A constant tensor: every value is min exactly.
    scale = 1;
  } else if (lo < 0 && hi > 0) {
    const zeroPoint = Math.round(-lo / scale);
    min = -zeroPoint * scale;
  }
  const codes = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const q = Math.round((values[i]! - min) / scale);
    codes[i] = Math.max(0, Math.min(q, levels));
  }
  return { codes, quantization: { dtype, min, scale } };
}

/**
 * Dequantises codes the way tfjs-core does at load (`q * scale + min`, stored as float32).
 *
 * @example
 * ```ts
 * dequantizeAffine(new Uint8Array([0, 255]), { dtype: 'uint8', min: -1, scale: 2 / 255 }); // [-1, 1]
 * ```
 */
export function dequantizeAffine(
  codes: Uint8Array | Uint16Array,
  q: { min: number; scale: number },
): Float32Array {
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i]! * q.scale + q.min;
  return out;
}

/**
 * Encodes float32 values as float16 (round to nearest even).
 *
 * @example
 * ```ts
 * const half = encodeFloat16(new Float32Array([0.1])); // Uint16Array [0x2e66]
 * ```
 */
export function encodeFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
  return out;
}

/**
 * Decodes float16 bits to float32 values.
 *
 * @example
 * ```ts
 * decodeFloat16(new Uint16Array([0x3c00])); // Float32Array [1]
 * ```
 */
export function decodeFloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = fromFloat16Bits(bits[i]!);
  return out;
}
