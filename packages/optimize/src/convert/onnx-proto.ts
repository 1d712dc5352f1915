// The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) the converter
// writes, with its field numbers. Fields are written in ascending field-number order.
import { ProtoWriter } from './protobuf.js';

/** ONNX `TensorProto.DataType` values the converter uses. */
export const OnnxDataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
} as const;

/** An ONNX element type number. */
export type OnnxDataTypeValue = (typeof OnnxDataType)[keyof typeof OnnxDataType];

/** A tensor (initializer): dims, element type and its little-endian bytes. */
export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  dataType: OnnxDataTypeValue;
  rawData: Uint8Array;
}

/** An attribute value: int, float, string, ints, floats, or a tensor. */
export type OnnxAttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'tensor'; value: OnnxTensor };

/** One node. Attributes are written sorted by name. */
export interface OnnxNode {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, OnnxAttributeValue>>;
}

/** A graph input or output: name, element type and shape (a string is a symbolic dimension, null unknown). */
export interface OnnxValueInfo {
  name: string;
  dataType: OnnxDataTypeValue;
  shape?: readonly (number | string | null)[];
}

/** A model: one graph, the default-domain opset, IR version and producer. */
export interface OnnxModel {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion?: string;
  docString?: string;
  graph: {
    name: string;
    nodes: readonly OnnxNode[];
    initializers: readonly OnnxTensor[];
    inputs: readonly OnnxValueInfo[];
    outputs: readonly OnnxValueInfo[];
  };
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9.
  w.packedInts(1, t.dims);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.rawData);
}

function writeAttribute(w: ProtoWriter, name: string, a: OnnxAttributeValue): void {
  // AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20.
  w.string(1, name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value).int(20, ATTR_FLOAT);
      break;
    case 'int':
      w.int(3, a.value).int(20, ATTR_INT);
      break;
    case 'string':
      w.string(4, a.value).int(20, ATTR_STRING);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, a.value)).int(20, ATTR_TENSOR);
      break;
    case 'floats':
      w.packedFloats(7, a.value).int(20, ATTR_FLOATS);
      break;
    case 'ints':
      w.packedInts(8, a.value).int(20, ATTR_INTS);
      break;
  }
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  const attrs = n.attributes ?? {};
  for (const key of Object.keys(attrs).sort()) w.message(5, (a) => writeAttribute(a, key, attrs[key]!));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  // ValueInfoProto: name = 1, type = 2. TypeProto: tensor_type = 1. TypeProto.Tensor: elem_type = 1,
  // shape = 2. TensorShapeProto: dim = 1. Dimension: dim_value = 1, dim_param = 2.
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      if (v.shape)
        tensor.message(2, (shape) => {
          for (const d of v.shape!)
            shape.message(1, (dim) => {
              if (typeof d === 'number') dim.int(1, d);
              else if (typeof d === 'string') dim.string(2, d);
            });
        });
    }),
  );
}

/**
 * Serialises an ONNX model to its protobuf bytes (ModelProto). Deterministic: the same model
 * gives the same bytes.
 *
 * @example
 * ```ts
 * const bytes = encodeOnnxModel({ irVersion: 7, opsetVersion: 13, producerName: 'me', graph });
 * ```
 */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6,
  // graph = 7, opset_import = 8. OperatorSetIdProto: domain = 1, version = 2.
  // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => {
    for (const n of model.graph.nodes) g.message(1, (m) => writeNode(m, n));
    g.string(2, model.graph.name);
    for (const t of model.graph.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const v of model.graph.inputs) g.message(11, (m) => writeValueInfo(m, v));
    for (const v of model.graph.outputs) g.message(12, (m) => writeValueInfo(m, v));
  });
  w.message(8, (o) => o.int(2, model.opsetVersion)); // domain '' (the default ONNX domain) is left out
  return w.finish();
}
