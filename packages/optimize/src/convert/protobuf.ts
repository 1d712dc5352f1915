// A minimal protocol-buffers writer: just the wire types ONNX needs (varint, fixed32,
// length-delimited). Fields are written in the order the caller writes them.

const WIRE_VARINT = 0;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/**
 * Appends protobuf fields to a growing buffer. Integers are int64 varints (negative values as
 * ten-byte two's complement, as protobuf encodes int64).
 *
 * @example
 * ```ts
 * const w = new ProtoWriter();
 * w.int(1, 7).string(2, 'name');
 * const bytes = w.finish();
 * ```
 */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private rawVarint(value: number | bigint): void {
    let v: bigint;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf: ${value} is not a safe integer`);
      if (value >= 0 && value < 0x80) {
        this.reserve(1);
        this.buf[this.len++] = value;
        return;
      }
      v = BigInt(value);
    } else {
      v = value;
    }
    v = BigInt.asUintN(64, v);
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** An int32/int64/enum field (varint). */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat32(this.len, value, true);
    this.len += 4;
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH);
    this.rawVarint(value.byteLength);
    this.reserve(value.byteLength);
    this.buf.set(value, this.len);
    this.len += value.byteLength;
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated int64 field (nothing is written for an empty list). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    if (!values.length) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated float field (nothing is written for an empty list). */
  packedFloats(field: number, values: readonly number[]): this {
    if (!values.length) return this;
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
    return this.bytes(field, bytes);
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
