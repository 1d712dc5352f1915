// Reads the subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that
// `encodeOnnxModel` writes back: one graph of default-domain nodes, initializers, inputs and
// outputs. What it cannot write back (other op domains, subgraphs, external or sparse tensors) is
// refused with a ModelLoadError naming it, so a model never loses a part silently.
import { ModelLoadError } from '@ondevice/core';
import {
  type OnnxAttributeValue,
  OnnxDataType,
  type OnnxDataTypeValue,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from '../convert/onnx-proto.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/** One protobuf field: its number, wire type and value (a number, or the bytes of a length-delimited field). */
interface Field {
  field: number;
  wire: number;
  /** varint / fixed value (int64 varints as a JS number: exact up to 2^53). */
  int: number;
  bytes: Uint8Array;
}

function fail(detail: string): never {
  throw new ModelLoadError(`quantizeOnnxModel: the ONNX model cannot be read: ${detail}.`);
}

/** Reads one varint at `pos` of `buf`: [value as int64, next position]. */
function readVarint(buf: Uint8Array, start: number): [number, number] {
  let pos = start;
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 7; i++) {
    if (pos >= buf.length) fail('a varint runs past the end');
    const b = buf[pos++]!;
    result += (b & 0x7f) * mul;
    if (b < 0x80) return [result, pos];
    mul *= 128;
  }
  // Longer than 7 bytes (≥ 2^49, or a negative int64 in ten bytes): exact in BigInt.
  let big = BigInt(result);
  let shift = 49n;
  for (let i = 7; i < 10; i++) {
    if (pos >= buf.length) fail('a varint runs past the end');
    const b = buf[pos++]!;
    big += BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [Number(BigInt.asIntN(64, big)), pos];
    shift += 7n;
  }
  fail('a varint is longer than ten bytes');
}

/** Iterates the fields of one protobuf message. */
function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const empty = new Uint8Array(0);
  while (pos < buf.length) {
    let key: number;
    [key, pos] = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === WIRE_VARINT) {
      let v: number;
      [v, pos] = readVarint(buf, pos);
      yield { field, wire, int: v, bytes: empty };
    } else if (wire === WIRE_LENGTH) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      if (len < 0 || pos + len > buf.length) fail('a field runs past the end');
      yield { field, wire, int: 0, bytes: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wire === WIRE_FIXED32 || wire === WIRE_FIXED64) {
      const n = wire === WIRE_FIXED32 ? 4 : 8;
      if (pos + n > buf.length) fail('a fixed-size field runs past the end');
      yield { field, wire, int: 0, bytes: buf.subarray(pos, pos + n) };
      pos += n;
    } else {
      fail(`wire type ${wire} (groups are not used by ONNX)`);
    }
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A repeated int64 field, packed or not. */
function pushInts(out: number[], f: Field): void {
  if (f.wire === WIRE_VARINT) {
    out.push(f.int);
    return;
  }
  let pos = 0;
  while (pos < f.bytes.length) {
    let v: number;
    [v, pos] = readVarint(f.bytes, pos);
    out.push(v);
  }
}

function pushFloats(out: number[], f: Field): void {
  const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
  for (let i = 0; i + 4 <= f.bytes.byteLength; i += 4) out.push(view.getFloat32(i, true));
}

const KNOWN_TYPES = new Set<number>(Object.values(OnnxDataType));
const ELEMENT_BYTES: Record<number, number> = {
  [OnnxDataType.FLOAT]: 4,
  [OnnxDataType.UINT8]: 1,
  [OnnxDataType.INT8]: 1,
  [OnnxDataType.INT32]: 4,
  [OnnxDataType.INT64]: 8,
  [OnnxDataType.BOOL]: 1,
};

function dataTypeOf(n: number, what: string): OnnxDataTypeValue {
  if (!KNOWN_TYPES.has(n))
    fail(`${what} has element type ${n} (supported: float, uint8, int8, int32, int64, bool)`);
  return n as OnnxDataTypeValue;
}

function readTensor(buf: Uint8Array): OnnxTensor {
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  for (const f of fields(buf)) {
    switch (f.field) {
      case 1:
        pushInts(dims, f);
        break;
      case 2:
        dataType = f.int;
        break;
      case 4:
        pushFloats(floats, f);
        break;
      case 5: // int32_data (also holds uint8/int8/bool values)
      case 7: // int64_data
        pushInts(ints, f);
        break;
      case 8:
        name = text(f.bytes);
        break;
      case 9:
        raw = new Uint8Array(f.bytes); // a copy (Buffer#slice would share memory)
        break;
      case 13:
      case 14:
        fail(`tensor "${name}" keeps its data in an external file; load it with its data first`);
        break;
      case 3:
        fail(`tensor "${name}" is segmented`);
        break;
      case 6:
      case 10:
      case 11:
        fail(`tensor "${name}" holds string, double or uint64 data`);
        break;
      default:
        break;
    }
  }
  const type = dataTypeOf(dataType, `tensor "${name}"`);
  const count = dims.reduce((a, b) => a * b, 1);
  let rawData = raw;
  if (!rawData) {
    rawData = new Uint8Array(count * ELEMENT_BYTES[type]!);
    const view = new DataView(rawData.buffer);
    for (let i = 0; i < count; i++) {
      if (type === OnnxDataType.FLOAT) view.setFloat32(i * 4, floats[i] ?? 0, true);
      else if (type === OnnxDataType.INT32) view.setInt32(i * 4, ints[i] ?? 0, true);
      else if (type === OnnxDataType.INT64) view.setBigInt64(i * 8, BigInt(ints[i] ?? 0), true);
      else rawData[i] = (ints[i] ?? 0) & 0xff;
    }
  }
  if (rawData.byteLength !== count * ELEMENT_BYTES[type]!)
    fail(`tensor "${name}" has ${rawData.byteLength} bytes for ${count} elements`);
  return { name, dims, dataType: type, rawData };
}

function readAttribute(buf: Uint8Array, node: string): [string, OnnxAttributeValue] {
  let name = '';
  let type = 0;
  let f32: number | undefined;
  let i64: number | undefined;
  let s: string | undefined;
  let t: OnnxTensor | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  for (const f of fields(buf)) {
    switch (f.field) {
      case 1:
        name = text(f.bytes);
        break;
      case 2:
        f32 = new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true);
        break;
      case 3:
        i64 = f.int;
        break;
      case 4:
        s = text(f.bytes);
        break;
      case 5:
        t = readTensor(f.bytes);
        break;
      case 7:
        if (f.wire === WIRE_FIXED32)
          floats.push(new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true));
        else pushFloats(floats, f);
        break;
      case 8:
        pushInts(ints, f);
        break;
      case 20:
        type = f.int;
        break;
      case 6:
      case 9:
      case 10:
      case 11:
      case 21:
      case 22:
      case 23:
        fail(
          `node "${node}" has attribute "${name}" of a kind the writer cannot keep (subgraph, strings, tensors or a reference)`,
        );
        break;
      default:
        break;
    }
  }
  // AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7.
  switch (type) {
    case 1:
      return [name, { kind: 'float', value: f32 ?? 0 }];
    case 2:
      return [name, { kind: 'int', value: i64 ?? 0 }];
    case 3:
      return [name, { kind: 'string', value: s ?? '' }];
    case 4:
      if (!t) fail(`node "${node}" attribute "${name}" has no tensor`);
      return [name, { kind: 'tensor', value: t }];
    case 6:
      return [name, { kind: 'floats', value: floats }];
    case 7:
      return [name, { kind: 'ints', value: ints }];
    default:
      fail(`node "${node}" attribute "${name}" has type ${type}`);
  }
}

function readNode(buf: Uint8Array): OnnxNode {
  const inputs: string[] = [];
  const outputs: string[] = [];
  let name = '';
  let opType = '';
  let domain = '';
  const attrs: [string, OnnxAttributeValue][] = [];
  const attrBufs: Uint8Array[] = [];
  for (const f of fields(buf)) {
    if (f.field === 1) inputs.push(text(f.bytes));
    else if (f.field === 2) outputs.push(text(f.bytes));
    else if (f.field === 3) name = text(f.bytes);
    else if (f.field === 4) opType = text(f.bytes);
    else if (f.field === 5) attrBufs.push(f.bytes);
    else if (f.field === 7) domain = text(f.bytes);
  }
  if (domain && domain !== 'ai.onnx')
    fail(`node "${name}" (${opType}) is in domain "${domain}"; only default-domain ops are supported`);
  for (const a of attrBufs) attrs.push(readAttribute(a, name));
  attrs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    name,
    opType,
    inputs,
    outputs,
    ...(attrs.length ? { attributes: Object.fromEntries(attrs) } : {}),
  };
}

function readValueInfo(buf: Uint8Array): OnnxValueInfo {
  let name = '';
  let dataType = 0;
  let shape: (number | string | null)[] | undefined;
  for (const f of fields(buf)) {
    if (f.field === 1) name = text(f.bytes);
    else if (f.field === 2) {
      for (const tf of fields(f.bytes)) {
        if (tf.field !== 1) fail(`graph input/output "${name}" is not a tensor`);
        for (const t of fields(tf.bytes)) {
          if (t.field === 1) dataType = t.int;
          else if (t.field === 2) {
            shape = [];
            for (const d of fields(t.bytes)) {
              if (d.field !== 1) continue;
              let dim: number | string | null = null;
              for (const x of fields(d.bytes)) {
                if (x.field === 1) dim = x.int;
                else if (x.field === 2) dim = text(x.bytes);
              }
              shape.push(dim);
            }
          }
        }
      }
    }
  }
  return {
    name,
    dataType: dataTypeOf(dataType, `graph input/output "${name}"`),
    ...(shape ? { shape } : {}),
  };
}

/**
 * Decodes ONNX model bytes (a ModelProto) into the {@link OnnxModel} that `encodeOnnxModel`
 * writes, so that a model read and written back unchanged gives a model that runs the same.
 * Value infos, doc strings and metadata are dropped. Throws ModelLoadError for what it does not
 * cover: non-default op domains, subgraphs, external or sparse tensors, element types other than
 * float, uint8, int8, int32, int64 and bool.
 *
 * @example
 * ```ts
 * const model = decodeOnnxModel(await readFile('model.onnx'));
 * console.log(model.graph.nodes.length, model.opsetVersion);
 * ```
 */
export function decodeOnnxModel(input: Uint8Array): OnnxModel {
  // A plain view (a Node Buffer's subarray and slice would be Buffers sharing memory).
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  let irVersion = 0;
  let producerName = '';
  let producerVersion: string | undefined;
  let docString: string | undefined;
  let graphBuf: Uint8Array | undefined;
  let opsetVersion = 0;
  for (const f of fields(bytes)) {
    if (f.field === 1) irVersion = f.int;
    else if (f.field === 2) producerName = text(f.bytes);
    else if (f.field === 3) producerVersion = text(f.bytes);
    else if (f.field === 6) docString = text(f.bytes);
    else if (f.field === 7) graphBuf = f.bytes;
    else if (f.field === 8) {
      let domain = '';
      let version = 0;
      for (const o of fields(f.bytes)) {
        if (o.field === 1) domain = text(o.bytes);
        else if (o.field === 2) version = o.int;
      }
      if (domain && domain !== 'ai.onnx') fail(`it imports the opset of domain "${domain}"`);
      opsetVersion = version;
    } else if (f.field === 25) fail('it defines local functions');
  }
  if (!graphBuf) fail('it has no graph (is this an ONNX file?)');
  if (!opsetVersion) fail('it imports no default-domain opset');
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  let name = '';
  for (const f of fields(graphBuf)) {
    if (f.field === 1) nodes.push(readNode(f.bytes));
    else if (f.field === 2) name = text(f.bytes);
    else if (f.field === 5) initializers.push(readTensor(f.bytes));
    else if (f.field === 11) inputs.push(readValueInfo(f.bytes));
    else if (f.field === 12) outputs.push(readValueInfo(f.bytes));
    else if (f.field === 15) fail('it has sparse initializers');
  }
  // Older exporters list initializers among the inputs too; they are not real inputs.
  const initNames = new Set(initializers.map((t) => t.name));
  return {
    irVersion,
    opsetVersion,
    producerName,
    ...(producerVersion ? { producerVersion } : {}),
    ...(docString ? { docString } : {}),
    graph: { name, nodes, initializers, inputs: inputs.filter((i) => !initNames.has(i.name)), outputs },
  };
}
