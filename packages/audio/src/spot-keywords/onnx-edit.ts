/**
 * Small, exact edits of ONNX model bytes (protocol buffers read and re-written field by field; the
 * fields an edit does not touch are copied byte for byte). Used to open the SHA-256-verified
 * openWakeWord models in forms that take a batch or a longer time axis: the arithmetic of every
 * node stays as it is, only declared shapes, one constant or which tensor is an output change.
 */
import { ModelLoadError } from '@ondevice/core';

// ONNX field numbers (onnx.proto3).
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const GRAPH_VALUE_INFO = 13;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_GRAPH = 6;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_SHAPE = 2;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const TENSOR_ELEM_TYPE = 1;
const INT64 = 7;
const FLOAT = 1;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/** One field of a protobuf message: its number, wire type, and where it lies in the message. */
interface Field {
  no: number;
  wire: number;
  /** The whole field: tag, length and value. */
  raw: Uint8Array;
  /** The value of a length-delimited field. */
  body: Uint8Array;
}

function readVarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, i + 1];
  }
  throw new ModelLoadError('malformed protobuf varint');
}

function readFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    const [tag, afterTag] = readVarint(buf, at);
    const no = Math.floor(tag / 8);
    const wire = tag % 8;
    let bodyStart = afterTag;
    let end: number;
    if (wire === WIRE_VARINT) end = readVarint(buf, afterTag)[1];
    else if (wire === WIRE_FIXED64) end = afterTag + 8;
    else if (wire === WIRE_FIXED32) end = afterTag + 4;
    else if (wire === WIRE_LENGTH) {
      const [len, afterLen] = readVarint(buf, afterTag);
      bodyStart = afterLen;
      end = afterLen + len;
    } else throw new ModelLoadError(`unsupported protobuf wire type ${wire}`);
    if (end > buf.length) throw new ModelLoadError('truncated protobuf message');
    fields.push({ no, wire, raw: buf.subarray(start, end), body: buf.subarray(bodyStart, end) });
    at = end;
  }
  return fields;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function lengthField(no: number, body: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...varint(no * 8 + WIRE_LENGTH), ...varint(body.byteLength)]), body]);
}

const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);
const stringOf = (fields: Field[], no: number) => {
  const f = fields.find((x) => x.no === no && x.wire === WIRE_LENGTH);
  return f ? utf8(f.body) : undefined;
};

/**
 * Rebuilds a message, replacing each length-delimited field with number `no` by `edit(body)`
 * (undefined drops the field); every other field is copied as it is.
 */
function mapFields(
  buf: Uint8Array,
  no: number,
  edit: (body: Uint8Array) => Uint8Array | undefined,
): Uint8Array {
  return concat(
    readFields(buf).flatMap((f) => {
      if (f.no !== no || f.wire !== WIRE_LENGTH) return [f.raw];
      const next = edit(f.body);
      return next ? [lengthField(no, next)] : [];
    }),
  );
}

function editGraph(model: Uint8Array, edit: (graph: Uint8Array) => Uint8Array): Uint8Array {
  let found = false;
  const out = mapFields(model, MODEL_GRAPH, (g) => {
    found = true;
    return edit(g);
  });
  if (!found) throw new ModelLoadError('not an ONNX model: no graph');
  return out;
}

function graphFields(model: Uint8Array): Field[] {
  const g = readFields(model).find((f) => f.no === MODEL_GRAPH && f.wire === WIRE_LENGTH);
  if (!g) throw new ModelLoadError('not an ONNX model: no graph');
  return readFields(g.body);
}

/**
 * The op types of a model's top-level nodes, in graph order.
 *
 * @example
 * ```ts
 * onnxOpTypes(bytes); // ['Flatten', 'Gemm', 'Relu', 'Gemm', 'Sigmoid']
 * ```
 */
export function onnxOpTypes(model: Uint8Array): string[] {
  return graphFields(model)
    .filter((f) => f.no === GRAPH_NODE && f.wire === WIRE_LENGTH)
    .map((f) => stringOf(readFields(f.body), NODE_OP_TYPE) ?? '');
}

/**
 * Whether some top-level node of the model outputs a tensor of this name.
 *
 * @example
 * ```ts
 * onnxHasTensor(melBytes, 'onnx::ReduceMax_31'); // true
 * ```
 */
export function onnxHasTensor(model: Uint8Array, name: string): boolean {
  return graphFields(model).some(
    (f) =>
      f.no === GRAPH_NODE &&
      readFields(f.body).some((x) => x.no === NODE_OUTPUT && x.wire === WIRE_LENGTH && utf8(x.body) === name),
  );
}

/**
 * Drops the declared shapes of the graph's inputs and outputs (and of any `value_info`), so that
 * onnxruntime takes any batch size or length the nodes themselves allow.
 *
 * @example
 * ```ts
 * const anyBatch = withFreeShapes(headBytes);
 * ```
 */
export function withFreeShapes(model: Uint8Array): Uint8Array {
  const dropShape = (valueInfo: Uint8Array) =>
    mapFields(valueInfo, VALUE_INFO_TYPE, (type) =>
      mapFields(type, TYPE_TENSOR, (tensor) => mapFields(tensor, TENSOR_TYPE_SHAPE, () => undefined)),
    );
  return editGraph(model, (graph) => {
    let g = mapFields(graph, GRAPH_INPUT, dropShape);
    g = mapFields(g, GRAPH_OUTPUT, dropShape);
    return mapFields(g, GRAPH_VALUE_INFO, dropShape);
  });
}

/**
 * Replaces the values of an int64 initializer (e.g. the target shape of a Reshape), keeping its
 * name. Throws `ModelLoadError` when the model has no initializer of that name.
 *
 * @example
 * ```ts
 * const longer = withInt64Initializer(bytes, 'new_shape__262', [0, 1, -1, 32]);
 * ```
 */
export function withInt64Initializer(model: Uint8Array, name: string, values: readonly number[]): Uint8Array {
  let found = false;
  const out = editGraph(model, (graph) =>
    mapFields(graph, GRAPH_INITIALIZER, (tensor) => {
      if (stringOf(readFields(tensor), TENSOR_NAME) !== name) return tensor;
      found = true;
      const raw = new Uint8Array(values.length * 8);
      const view = new DataView(raw.buffer);
      values.forEach((v, i) => {
        view.setBigInt64(i * 8, BigInt(v), true);
      });
      return concat([
        Uint8Array.from([...varint(TENSOR_DIMS * 8 + WIRE_VARINT), ...varint(values.length)]),
        Uint8Array.from([...varint(TENSOR_DATA_TYPE * 8 + WIRE_VARINT), INT64]),
        lengthField(TENSOR_NAME, new TextEncoder().encode(name)),
        lengthField(TENSOR_RAW_DATA, raw),
      ]);
    }),
  );
  if (!found) throw new ModelLoadError(`the model has no initializer "${name}"`);
  return out;
}

/**
 * Makes another tensor the graph's output in place of `from` (its declared shape dropped): the
 * nodes after it no longer feed an output. Throws `ModelLoadError` when the model has no
 * output `from` or no node making `to`.
 *
 * @example
 * ```ts
 * const beforeClip = withOutput(melBytes, 'output', 'onnx::ReduceMax_31');
 * ```
 */
export function withOutput(model: Uint8Array, from: string, to: string): Uint8Array {
  if (!onnxHasTensor(model, to)) throw new ModelLoadError(`no node of the model makes "${to}"`);
  let found = false;
  const out = editGraph(model, (graph) =>
    mapFields(graph, GRAPH_OUTPUT, (valueInfo) => {
      if (stringOf(readFields(valueInfo), VALUE_INFO_NAME) !== from) return valueInfo;
      found = true;
      const type = readFields(valueInfo).find((f) => f.no === VALUE_INFO_TYPE && f.wire === WIRE_LENGTH);
      const elemOnly = type
        ? mapFields(type.body, TYPE_TENSOR, (t) => mapFields(t, TENSOR_TYPE_SHAPE, () => undefined))
        : undefined;
      return concat([
        lengthField(VALUE_INFO_NAME, new TextEncoder().encode(to)),
        ...(elemOnly ? [lengthField(VALUE_INFO_TYPE, elemOnly)] : []),
      ]);
    }),
  );
  if (!found) throw new ModelLoadError(`the model has no output "${from}"`);
  return out;
}

/** A graph input or output: a float tensor of any shape. */
function floatValueInfo(name: string): Uint8Array {
  const tensorType = Uint8Array.from([...varint(TENSOR_ELEM_TYPE * 8 + WIRE_VARINT), FLOAT]);
  return concat([
    lengthField(VALUE_INFO_NAME, new TextEncoder().encode(name)),
    lengthField(VALUE_INFO_TYPE, lengthField(TYPE_TENSOR, tensorType)),
  ]);
}

/**
 * The part of a graph that computes the float tensor `output` from the float tensor `input`: the
 * nodes between them and the initializers they read, with `input` as the only graph input and
 * `output` as the only output (shapes left free). Throws `ModelLoadError` when `output` does not
 * depend on `input` alone (a node on the way reads another graph input).
 *
 * @example
 * ```ts
 * const firstStage = onnxSubgraph(embeddingBytes, 'input_1', 'model/max_pooling2d/MaxPool:0');
 * ```
 */
export function onnxSubgraph(model: Uint8Array, input: string, output: string): Uint8Array {
  const graph = graphFields(model);
  const strings = (fields: Field[], no: number) =>
    fields.filter((f) => f.no === no && f.wire === WIRE_LENGTH).map((f) => utf8(f.body));
  const nodes = graph
    .filter((f) => f.no === GRAPH_NODE && f.wire === WIRE_LENGTH)
    .map((f) => {
      const fields = readFields(f.body);
      return { field: f, inputs: strings(fields, NODE_INPUT), outputs: strings(fields, NODE_OUTPUT) };
    });
  const initializers = new Map(
    graph
      .filter((f) => f.no === GRAPH_INITIALIZER && f.wire === WIRE_LENGTH)
      .map((f) => [stringOf(readFields(f.body), TENSOR_NAME) ?? '', f] as const),
  );
  const needed = new Set([output]);
  const kept = new Set<(typeof nodes)[number]>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!node.outputs.some((o) => needed.has(o))) continue;
    kept.add(node);
    for (const x of node.inputs) if (x && x !== input) needed.add(x);
  }
  const made = new Set([input, ...[...kept].flatMap((n) => n.outputs)]);
  const missing = [...needed].filter((x) => !made.has(x) && !initializers.has(x));
  if (!made.has(output) || missing.length) {
    throw new ModelLoadError(
      `"${output}" cannot be computed from "${input}" alone${missing.length ? ` (it also needs ${missing.join(', ')})` : ''}`,
    );
  }
  const keptNodes = new Set([...kept].map((n) => n.field));
  const body: Uint8Array[] = [];
  for (const f of graph) {
    if (f.no === GRAPH_NODE) {
      if (keptNodes.has(f)) body.push(f.raw);
    } else if (f.no === GRAPH_INITIALIZER) {
      if (needed.has(stringOf(readFields(f.body), TENSOR_NAME) ?? '')) body.push(f.raw);
    } else if (f.no === GRAPH_INPUT || f.no === GRAPH_OUTPUT || f.no === GRAPH_VALUE_INFO) {
      // replaced below / dropped
    } else body.push(f.raw);
  }
  body.push(
    lengthField(GRAPH_INPUT, floatValueInfo(input)),
    lengthField(GRAPH_OUTPUT, floatValueInfo(output)),
  );
  return editGraph(model, () => concat(body));
}

/**
 * Each top-level `If` node replaced by both of its branches and a `Where` on its condition: the
 * same value for a condition of one element, and one per row for a batch (an `If` takes one
 * condition only). Each branch must have one output and make no name made elsewhere. Throws
 * `ModelLoadError` otherwise. Costs computing both branches.
 *
 * @example
 * ```ts
 * const rowWise = withIfAsWhere(heyJarvisBytes); // its verifier network gated per row
 * ```
 */
export function withIfAsWhere(model: Uint8Array): Uint8Array {
  const graph = graphFields(model);
  const made = new Map<string, number>();
  const count = (name: string) => made.set(name, (made.get(name) ?? 0) + 1);
  const nodeOutputs = (node: Uint8Array) =>
    readFields(node)
      .filter((f) => f.no === NODE_OUTPUT && f.wire === WIRE_LENGTH)
      .map((f) => utf8(f.body));
  for (const f of graph) {
    if (f.no === GRAPH_NODE && f.wire === WIRE_LENGTH) for (const o of nodeOutputs(f.body)) count(o);
    if (f.no === GRAPH_INITIALIZER && f.wire === WIRE_LENGTH)
      count(stringOf(readFields(f.body), TENSOR_NAME) ?? '');
    if (f.no === GRAPH_INPUT && f.wire === WIRE_LENGTH)
      count(stringOf(readFields(f.body), VALUE_INFO_NAME) ?? '');
  }
  const body: Uint8Array[] = [];
  for (const f of graph) {
    const fields = f.no === GRAPH_NODE && f.wire === WIRE_LENGTH ? readFields(f.body) : undefined;
    if (!fields || stringOf(fields, NODE_OP_TYPE) !== 'If') {
      body.push(f.raw);
      continue;
    }
    const cond = fields.find((x) => x.no === NODE_INPUT && x.wire === WIRE_LENGTH);
    const out = fields.filter((x) => x.no === NODE_OUTPUT && x.wire === WIRE_LENGTH);
    if (!cond || out.length !== 1)
      throw new ModelLoadError('an If node without one condition and one output');
    const branches = new Map<string, Field[]>();
    for (const a of fields.filter((x) => x.no === NODE_ATTRIBUTE && x.wire === WIRE_LENGTH)) {
      const af = readFields(a.body);
      const g = af.find((x) => x.no === ATTRIBUTE_GRAPH && x.wire === WIRE_LENGTH);
      if (g) branches.set(stringOf(af, ATTRIBUTE_NAME) ?? '', readFields(g.body));
    }
    const results: string[] = [];
    for (const name of ['then_branch', 'else_branch']) {
      const g = branches.get(name);
      const outputs = g?.filter((x) => x.no === GRAPH_OUTPUT && x.wire === WIRE_LENGTH) ?? [];
      if (!g || outputs.length !== 1) throw new ModelLoadError(`an If whose ${name} has not one output`);
      for (const x of g) {
        if (x.wire !== WIRE_LENGTH) continue;
        if (x.no === GRAPH_NODE) {
          for (const o of nodeOutputs(x.body)) {
            if (made.has(o)) throw new ModelLoadError(`an If branch makes "${o}", also made elsewhere`);
            count(o);
          }
          body.push(x.raw);
        } else if (x.no === GRAPH_INITIALIZER) {
          const n = stringOf(readFields(x.body), TENSOR_NAME) ?? '';
          if (made.has(n)) throw new ModelLoadError(`an If branch holds "${n}", also made elsewhere`);
          count(n);
          body.push(x.raw);
        }
      }
      results.push(stringOf(readFields(outputs[0]!.body), VALUE_INFO_NAME) ?? '');
    }
    const enc = (t: string) => new TextEncoder().encode(t);
    const where = concat([
      lengthField(NODE_INPUT, cond.body),
      lengthField(NODE_INPUT, enc(results[0]!)),
      lengthField(NODE_INPUT, enc(results[1]!)),
      lengthField(NODE_OUTPUT, out[0]!.body),
      lengthField(NODE_NAME, enc(`${stringOf(fields, NODE_NAME) ?? 'If'}/as_where`)),
      lengthField(NODE_OP_TYPE, enc('Where')),
    ]);
    body.push(lengthField(GRAPH_NODE, where));
  }
  return editGraph(model, () => concat(body));
}
