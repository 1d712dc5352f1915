import { ModelLoadError, OptionsError, parseOptions } from '@ondevice/core';
import { type DecodedWeight, decodeWeights, type GraphModelJson } from '../manifest.js';
import { concatWeights } from '../optimize-graph-model.js';
import { NotCovered, UnsupportedOpError } from './errors.js';
import { OnnxBuilder, onnxTypeOf, type TfNode, tensorValue, type Value } from './graph.js';
import { encodeOnnxModel, type OnnxValueInfo } from './onnx-proto.js';
import { OP_HANDLERS } from './ops.js';
import { type ConvertOptions, convertOptionsSchema } from './options.js';
import type { ConstData, DType } from './tensor.js';

/**
 * The ONNX opset the converter writes, with IR version 7 (the first that opset 13 needs).
 *
 * @example
 * ```ts
 * console.log(`writes ONNX opset ${ONNX_OPSET}`);
 * ```
 */
export const ONNX_OPSET = 13;
const IR_VERSION = 7;

/**
 * Every TFJS op the converter translates, sorted. Fused convolutions are covered with `BiasAdd`
 * followed by at most one of Relu, Relu6, Prelu, LeakyRelu, Elu, Sigmoid (what tfjs fuses).
 *
 * @example
 * ```ts
 * if (!SUPPORTED_TFJS_OPS.includes('NonMaxSuppressionV5')) console.log('cut the graph before the NMS');
 * ```
 */
export const SUPPORTED_TFJS_OPS: readonly string[] = [
  ...Object.keys(OP_HANDLERS),
  'Const',
  'Identity',
  'Placeholder',
  'Snapshot',
  'StopGradient',
].sort();

/** A graph input or output of the converted model. */
export interface OnnxTensorInfo {
  /** The tensor name: the TFJS node name (inputs and outputs keep their TFJS names). */
  name: string;
  /** `float32`, `int32`, `int64` or `bool`. */
  dtype: DType;
  /** NHWC, as in TFJS; -1 for a dynamic or unknown dimension. */
  shape: number[];
}

/** What {@link convertGraphModelToOnnx} returns. */
export interface ConvertedOnnxModel {
  /** The ONNX model (opset 13), ready for `InferenceSession.create(bytes)`. */
  onnx: Uint8Array;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  /** How many nodes of each TFJS op were converted (those the outputs depend on). */
  ops: Record<string, number>;
  /** ONNX node count. */
  onnxNodes: number;
}

const TF_DTYPES: Record<string, DType> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool' };

function parseJson(modelJson: ConvertOptions['modelJson']): GraphModelJson {
  let json: GraphModelJson;
  try {
    json =
      typeof modelJson === 'string'
        ? (JSON.parse(modelJson) as GraphModelJson)
        : modelJson instanceof Uint8Array
          ? (JSON.parse(new TextDecoder().decode(modelJson)) as GraphModelJson)
          : (modelJson as unknown as GraphModelJson);
  } catch (error) {
    throw new OptionsError(`convertGraphModelToOnnx: modelJson is not valid JSON: ${String(error)}`, {
      cause: error,
    });
  }
  if (!Array.isArray(json?.modelTopology?.node) || !Array.isArray(json.weightsManifest))
    throw new OptionsError(
      'convertGraphModelToOnnx: modelJson is not a TFJS graph model (it needs modelTopology.node and weightsManifest; layers models are not supported).',
    );
  return json;
}

function constValue(w: DecodedWeight): { data: ConstData; dtype: DType } {
  const { entry } = w;
  if (w.values) return { data: w.values, dtype: 'float32' };
  const raw = w.raw!;
  if (entry.dtype === 'int32')
    return { data: new Int32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), dtype: 'int32' };
  if (entry.dtype === 'bool') return { data: raw, dtype: 'bool' };
  throw new NotCovered(`a ${entry.dtype} constant`);
}

/** Splits `name:1` into the node name and output index; null for a control input (`^name`). */
function parseRef(ref: string): { node: string; index: number } | null {
  if (ref.startsWith('^')) return null;
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? { node: m[1]!, index: Number(m[2]) } : { node: ref, index: 0 };
}

function signatureOutputs(json: GraphModelJson): string[] | undefined {
  const outs = (json.signature as { outputs?: Record<string, { name?: string }> } | undefined)?.outputs;
  if (!outs) return undefined;
  const names = Object.values(outs).map((o) => o.name?.replace(/:0$/, ''));
  return names.every((n): n is string => !!n) && names.length ? names : undefined;
}

/**
 * Converts a TFJS graph model (model.json + weights) to an ONNX model (opset 13), in memory. NHWC
 * activations become NCHW after one transpose of the input and are transposed back only where an
 * op needs TF layout (Reshape, outputs); fused convolutions become Conv + activation; quantised
 * weights (uint8/uint16/float16 in the manifest) are dequantised to float32. Deterministic: the
 * same input gives the same bytes.
 *
 * Inputs and outputs keep their TFJS names and NHWC shapes. Throws {@link UnsupportedOpError}
 * naming the first op it cannot translate (cut the graph with `outputs` when those ops are only
 * post-processing), `OptionsError` for bad options.
 *
 * @example
 * ```ts
 * const { onnx, inputs, outputs } = convertGraphModelToOnnx({
 *   modelJson: await readFile('centernet.json', 'utf8'),
 *   weights: await readFile('centernet.bin'),
 *   outputs: ['tower_0/keypoints', 'tower_0/wh'],
 * });
 * const session = await ort.InferenceSession.create(onnx);
 * ```
 */
export function convertGraphModelToOnnx(options: ConvertOptions): ConvertedOnnxModel {
  const opts = parseOptions(convertOptionsSchema, options, 'convertGraphModelToOnnx');
  const json = parseJson(opts.modelJson);
  let weights: DecodedWeight[];
  try {
    weights = decodeWeights(json, concatWeights(json, opts.weights, 'convertGraphModelToOnnx'));
  } catch (error) {
    if (error instanceof OptionsError) throw error;
    throw new ModelLoadError(`convertGraphModelToOnnx: ${String((error as Error)?.message ?? error)}`, {
      cause: error,
    });
  }
  const weightByName = new Map(weights.map((w) => [w.entry.name, w]));
  const nodes = json.modelTopology.node as TfNode[];
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const order = new Map(nodes.map((n, i) => [n.name, i]));

  const outputNames =
    opts.outputs ??
    signatureOutputs(json) ??
    (() => {
      const read = new Set(nodes.flatMap((n) => (n.input ?? []).map((r) => parseRef(r)?.node)));
      return nodes.filter((n) => !read.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp').map((n) => n.name);
    })();
  for (const name of outputNames) {
    const ref = parseRef(name);
    if (!ref || !byName.has(ref.node))
      throw new OptionsError(
        `convertGraphModelToOnnx: outputs: no node "${name}" in the graph. Nodes no other node reads: ${nodes
          .filter((n) => !nodes.some((m) => m.input?.includes(n.name)) && n.op !== 'Const')
          .map((n) => n.name)
          .join(', ')}.`,
      );
  }
  for (const name of Object.keys(opts.inputShapes ?? {})) {
    if (byName.get(name)?.op !== 'Placeholder')
      throw new OptionsError(
        `convertGraphModelToOnnx: inputShapes: "${name}" is not an input; inputs: ${nodes
          .filter((n) => n.op === 'Placeholder')
          .map((n) => n.name)
          .join(', ')}.`,
      );
  }

  const b = new OnnxBuilder();
  for (const n of nodes) if (n.op === 'Placeholder') b.reserve(n.name);
  for (const name of outputNames) b.reserve(name);

  const values = new Map<string, Value[]>();
  const visiting = new Set<string>();
  const inputs: { node: TfNode; info: OnnxTensorInfo }[] = [];
  const opCounts: Record<string, number> = {};

  const placeholder = (node: TfNode): Value => {
    const dtype = TF_DTYPES[node.attr?.dtype?.type ?? 'DT_FLOAT'];
    if (!dtype) throw new NotCovered(`input dtype ${node.attr?.dtype?.type}`);
    const recorded = node.attr?.shape?.shape;
    const shape =
      opts.inputShapes?.[node.name] ??
      (recorded && !recorded.unknownRank ? (recorded.dim ?? []).map((d) => Number(d.size ?? -1)) : undefined);
    if (!shape)
      throw new NotCovered(
        `input "${node.name}" has no recorded shape; give it with inputShapes (CLI: --input-shape)`,
      );
    inputs.push({ node, info: { name: node.name, dtype, shape } });
    return tensorValue(node.name, shape, dtype, false);
  };

  const refsOf = (node: TfNode) =>
    (node.input ?? []).map(parseRef).filter((r): r is { node: string; index: number } => r !== null);

  const done = new Set<string>();
  /** The nodes `name` depends on, inputs first (iterative: deep graphs do not overflow the stack). */
  const dependencyOrder = (name: string): TfNode[] => {
    const order: TfNode[] = [];
    if (values.has(name) || visiting.has(name)) return order;
    const stack: { node: TfNode; next: number }[] = [];
    const enter = (n: string, from?: string) => {
      const node = byName.get(n);
      if (!node)
        throw new ModelLoadError(
          `convertGraphModelToOnnx: node "${from}" reads a node "${n}" the graph does not define.`,
        );
      visiting.add(n);
      stack.push({ node, next: 0 });
    };
    enter(name);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const refs = refsOf(top.node);
      if (top.next < refs.length) {
        const ref = refs[top.next++]!;
        if (values.has(ref.node) || done.has(ref.node)) continue;
        if (visiting.has(ref.node))
          throw new ModelLoadError(`convertGraphModelToOnnx: the graph has a cycle through "${ref.node}".`);
        enter(ref.node, top.node.name);
      } else {
        stack.pop();
        visiting.delete(top.node.name);
        done.add(top.node.name);
        order.push(top.node);
      }
    }
    return order;
  };

  const convertNode = (node: TfNode): void => {
    const name = node.name;
    const ins = refsOf(node).map((r) => {
      const v = values.get(r.node)![r.index];
      if (!v)
        throw new ModelLoadError(
          `convertGraphModelToOnnx: node "${name}" reads output ${r.index} of "${r.node}", which has none.`,
        );
      return v;
    });
    let out: Value | Value[];
    try {
      if (node.op === 'Const') {
        const w = weightByName.get(name);
        if (!w) throw new NotCovered('a constant whose value is not in the weights manifest');
        const { data, dtype } = constValue(w);
        out = { data, dtype, shape: [...w.entry.shape], nchw: false, hint: name };
      } else if (node.op === 'Placeholder') {
        out = placeholder(node);
      } else if (node.op === 'Identity' || node.op === 'StopGradient' || node.op === 'Snapshot') {
        out = ins[0]!;
      } else {
        const handler = OP_HANDLERS[node.op];
        if (!handler) throw new NotCovered('');
        out = handler(b, node, ins);
      }
    } catch (error) {
      if (error instanceof NotCovered)
        throw new UnsupportedOpError(node.op, name, SUPPORTED_TFJS_OPS, error.message || undefined);
      throw error;
    }
    opCounts[node.op] = (opCounts[node.op] ?? 0) + 1;
    values.set(name, Array.isArray(out) ? out : [out]);
  };

  const visit = (name: string): Value[] => {
    for (const node of dependencyOrder(name)) convertNode(node);
    return values.get(name)!;
  };

  const outputs: OnnxTensorInfo[] = [];
  for (const name of outputNames) {
    const ref = parseRef(name)!;
    const v = visit(ref.node)[ref.index];
    if (!v) throw new OptionsError(`convertGraphModelToOnnx: outputs: "${name}" has no such output.`);
    b.output(b.plain(v), name);
    outputs.push({ name, dtype: v.dtype, shape: v.shape });
  }
  inputs.sort((x, y) => order.get(x.node.name)! - order.get(y.node.name)!);

  const valueInfo = (t: OnnxTensorInfo, symbolic: boolean): OnnxValueInfo => ({
    name: t.name,
    dataType: onnxTypeOf(t.dtype),
    shape: t.shape.map((d, i) => (d >= 0 ? d : symbolic ? (i === 0 ? 'batch' : `${t.name}_d${i}`) : null)),
  });
  const onnx = encodeOnnxModel({
    irVersion: IR_VERSION,
    opsetVersion: ONNX_OPSET,
    producerName: '@ondevice/optimize',
    graph: {
      name: opts.graphName,
      nodes: b.nodes,
      initializers: b.initializers,
      inputs: inputs.map((i) => valueInfo(i.info, true)),
      outputs: outputs.map((o) => valueInfo(o, false)),
    },
  });
  const ops = Object.fromEntries(Object.entries(opCounts).sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0)));
  return { onnx, inputs: inputs.map((i) => i.info), outputs, ops, onnxNodes: b.nodes.length };
}
