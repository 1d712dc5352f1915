// Plain helpers on constant tensors (TF layout, row-major) used while converting.

/** Element types the converter tracks. */
export type DType = 'float32' | 'int32' | 'int64' | 'bool';

/** Values of a constant tensor. */
export type ConstData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Transposes a constant: output axis i is input axis `perm[i]`. */
export function transposeData<T extends ConstData>(
  data: T,
  shape: readonly number[],
  perm: readonly number[],
): T {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const step = perm.map((p) => inStrides[p]!);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < data.length; o++) {
    (out as unknown as number[])[o] = (data as unknown as number[])[src]!;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      src += step[a]!;
      if (idx[a]! < outShape[a]!) break;
      src -= step[a]! * outShape[a]!;
      idx[a] = 0;
    }
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The little-endian bytes of a constant (a copy), as ONNX raw_data stores them. */
export function bytesOf(data: ConstData): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('convertGraphModelToOnnx runs on little-endian platforms only');
  const out = new Uint8Array(data.byteLength);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return out;
}

/** Int64 copy of integer data. */
export function toInt64(values: ArrayLike<number | bigint>): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]!);
  return out;
}

/** Numbers of an integer constant. */
export function intsOf(data: ConstData): number[] {
  return Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Numpy broadcasting of two shapes (-1 = unknown). */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    out.push(x === 1 ? y : y === 1 ? x : x === -1 ? y : x);
  }
  return out;
}
