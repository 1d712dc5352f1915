// Which nodes of a float ONNX graph become int8 node groups (DequantizeLinear → op →
// QuantizeLinear, the "QDQ" form onnxruntime fuses into its int8 kernels), which activations are
// folded into the quantiser before them, and which tensors need a calibrated range. Pure: the same
// model and options give the same plan.
import { OnnxDataType, type OnnxModel, type OnnxNode, type OnnxTensor } from '../convert/onnx-proto.js';

/**
 * How a node is quantised:
 * - `conv`: int8 per-output-channel weights, int32 bias (onnxruntime: QLinearConv);
 * - `binary`: Add / Mul on two quantised inputs (QLinearAdd / QLinearMul);
 * - `concat`: Concat (QLinearConcat);
 * - `mean`: ReduceMean over H and W of an NCHW tensor, written as GlobalAveragePool
 *   (QLinearGlobalAveragePool);
 * - `unary`: AveragePool, GlobalAveragePool, Sigmoid, LeakyRelu, Softmax whose input is already
 *   quantised and whose consumers are all quantised (a QLinear kernel);
 * - `move`: ops that only move or pick values (MaxPool, Resize, Transpose, Reshape, Slice, …) on a
 *   quantised input: the output keeps the input's scale and zero point, so the runtime runs them
 *   on uint8 directly.
 * - `scale`: Mul of a quantised input by a positive scalar constant (hard-swish's `x / 6`): no op at
 *   all, its output is the input's uint8 values read with the scale times the constant (exact, and
 *   one QLinearMul fewer per hard-swish).
 */
export type QuantKind = 'conv' | 'binary' | 'concat' | 'mean' | 'unary' | 'move' | 'scale';

/** The quantisation plan of a graph. */
export interface QuantPlan {
  /** Quantised nodes by index into `graph.nodes`. */
  kinds: Map<number, QuantKind>;
  /** Relu / Clip nodes folded into the quantiser of the node before them: activation index → that node's index. */
  folded: Map<number, number>;
  /** For each quantised node, the tensor its quantiser writes (the folded activation's output, else its own). */
  effectiveOutput: Map<number, string>;
  /** Every activation tensor that gets a QuantizeLinear → DequantizeLinear pair. */
  quantized: Set<string>;
  /**
   * Quantised tensors that must share one scale and zero point, by tensor → the group's first
   * member (in sort order): the input and output of a `move` node (so the runtime can drop the
   * quantisers around it), and the inputs and output of a Concat (so it is a plain copy). A group's
   * range is the union of its members' calibrated ranges. Tensors in no group are not listed.
   */
  paramGroups: Map<string, string>;
  /** Quantised tensors that need a calibrated range (all but `move` and `scale` outputs), sorted. */
  rangeTensors: string[];
  /** Outputs of `scale` nodes → the quantised tensor they rescale and the (positive) factor. */
  scaled: Map<string, { input: string; factor: number }>;
  /**
   * Range tensors whose values leave the int8 part of the graph (a float32 node reads them or a
   * tensor of their group), with the op types of those float readers. Calibration keeps their
   * full range: clipping there clips what the model outputs (scores, box sizes).
   */
  exits: Map<string, string[]>;
}

/** Options that shape the plan. */
export interface PlanOptions {
  /** Node names (or names of tensors they write) left in float32. */
  keepFloat?: readonly string[];
  /** Plan Mul by a positive scalar constant as `scale` (no op) rather than `binary`. Default: true. */
  rescaleScalarMul?: boolean;
}

const BINARY = new Set(['Add', 'Mul']);
const UNARY = new Set(['AveragePool', 'GlobalAveragePool', 'Sigmoid', 'LeakyRelu', 'Softmax']);
/** Ops onnxruntime runs on uint8 when input and output share quantisation parameters. */
const MOVE = new Set([
  'MaxPool',
  'Resize',
  'Transpose',
  'Reshape',
  'Slice',
  'Squeeze',
  'Unsqueeze',
  'Flatten',
  'Gather',
  'Expand',
  'Tile',
]);
/** Ops whose output element type is not that of their first input. */
const INT64_OUT = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin']);
/** Elementwise ops: output rank is the largest input rank. */
const ELEMENTWISE = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Max',
  'Min',
  'PRelu',
  'Relu',
  'Clip',
  'Sigmoid',
  'Tanh',
  'Exp',
  'Log',
  'Sqrt',
  'Neg',
  'Abs',
  'LeakyRelu',
  'Elu',
  'HardSigmoid',
  'Identity',
  'Softmax',
]);
const SAME_RANK = new Set([
  'Conv',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'Transpose',
  'Concat',
  'Resize',
  'Pad',
  'Slice',
  'Tile',
  'Expand',
]);

/** Reads an int attribute. */
export function intAttr(node: OnnxNode, key: string, fallback: number): number {
  const a = node.attributes?.[key];
  return a?.kind === 'int' ? a.value : fallback;
}

/** Reads an ints attribute. */
export function intsAttr(node: OnnxNode, key: string): readonly number[] | undefined {
  const a = node.attributes?.[key];
  return a?.kind === 'ints' ? a.value : undefined;
}

/** Float32 values of a float initializer. */
export function floatValues(t: OnnxTensor): Float32Array {
  const copy = new Uint8Array(t.rawData); // an aligned copy
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** Names of float tensors and known ranks, propagated from the inputs and initializers. */
function typesAndRanks(model: OnnxModel): { float: Set<string>; rank: Map<string, number> } {
  const g = model.graph;
  const type = new Map<string, number>();
  const rank = new Map<string, number>();
  for (const i of g.inputs) {
    type.set(i.name, i.dataType);
    if (i.shape) rank.set(i.name, i.shape.length);
  }
  for (const t of g.initializers) {
    type.set(t.name, t.dataType);
    rank.set(t.name, t.dims.length);
  }
  for (const n of g.nodes) {
    const t0 = type.get(n.inputs[0] ?? '');
    let out: number | undefined = t0;
    if (INT64_OUT.has(n.opType)) out = OnnxDataType.INT64;
    else if (n.opType === 'Cast') out = intAttr(n, 'to', 0);
    else if (n.opType === 'Constant') {
      const v = n.attributes?.value;
      out = v?.kind === 'tensor' ? v.value.dataType : undefined;
    }
    const ranks = n.inputs.filter(Boolean).map((i) => rank.get(i));
    let r: number | undefined;
    if (ELEMENTWISE.has(n.opType))
      r = ranks.every((x) => x !== undefined) ? Math.max(...(ranks as number[])) : undefined;
    else if (SAME_RANK.has(n.opType)) r = ranks[0];
    else if (n.opType === 'ReduceMean' || n.opType === 'ReduceMax' || n.opType === 'ReduceSum')
      r = intAttr(n, 'keepdims', 1) ? ranks[0] : undefined;
    else if (n.opType === 'Reshape') {
      const shape = g.initializers.find((t) => t.name === n.inputs[1]);
      r = shape ? shape.dims[0] : undefined;
    }
    for (const o of n.outputs) {
      if (out !== undefined) type.set(o, out);
      if (r !== undefined && o === n.outputs[0]) rank.set(o, r);
    }
  }
  const float = new Set([...type].filter(([, t]) => t === OnnxDataType.FLOAT).map(([n]) => n));
  return { float, rank };
}

/** Whether a ReduceMean averages H and W of an NCHW tensor, keeping dims (= GlobalAveragePool). */
function isSpatialMean(n: OnnxNode, rank: number | undefined, opset: number): boolean {
  if (n.opType !== 'ReduceMean' || rank !== 4 || opset >= 18 || n.inputs.length > 1) return false;
  const axes = intsAttr(n, 'axes')?.map((a) => (a < 0 ? a + 4 : a));
  return intAttr(n, 'keepdims', 1) === 1 && axes?.length === 2 && axes.includes(2) && axes.includes(3);
}

/**
 * Plans the quantisation of a float ONNX graph (see {@link QuantKind}). Nodes listed in
 * `keepFloat` stay float32. A Relu, or a Clip from 0, that is the only reader of a quantised
 * node's output is folded into that node's quantiser (uint8 with zero point 0 clamps at 0 itself).
 *
 * @example
 * ```ts
 * const plan = planQuantization(decodeOnnxModel(bytes), { keepFloat: ['first/conv'] });
 * console.log(plan.rangeTensors.length, 'activations to calibrate');
 * ```
 */
export function planQuantization(model: OnnxModel, options: PlanOptions = {}): QuantPlan {
  const g = model.graph;
  const nodes = g.nodes;
  const keep = new Set(options.keepFloat ?? []);
  const inits = new Map(g.initializers.map((t) => [t.name, t]));
  const graphOutputs = new Set(g.outputs.map((o) => o.name));
  const { float, rank } = typesAndRanks(model);
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const x of n.inputs) if (x) consumers.set(x, [...(consumers.get(x) ?? []), i]);
  });
  const isActivation = (x: string) => !!x && float.has(x) && !inits.has(x);
  const isFloatConst = (x: string) => inits.get(x)?.dataType === OnnxDataType.FLOAT;
  const kept = (n: OnnxNode) => keep.has(n.name) || n.outputs.some((o) => keep.has(o));

  // 1. Nodes quantised for what they are (independent of their neighbours).
  const kinds = new Map<number, QuantKind>();
  nodes.forEach((n, i) => {
    if (kept(n) || !n.outputs[0] || !float.has(n.outputs[0])) return;
    if (n.opType === 'Conv') {
      const w = inits.get(n.inputs[1] ?? '');
      const b = n.inputs[2] ? inits.get(n.inputs[2]) : undefined;
      if (
        isActivation(n.inputs[0] ?? '') &&
        w?.dataType === OnnxDataType.FLOAT &&
        w.dims.length >= 3 &&
        (!n.inputs[2] || b?.dataType === OnnxDataType.FLOAT)
      )
        kinds.set(i, 'conv');
    } else if (BINARY.has(n.opType)) {
      const [a = '', b = ''] = n.inputs;
      const ok = (x: string) => isActivation(x) || isFloatConst(x);
      if (ok(a) && ok(b) && (isActivation(a) || isActivation(b))) kinds.set(i, 'binary');
    } else if (n.opType === 'Concat') {
      const ok = n.inputs.every((x) => isActivation(x) || isFloatConst(x));
      if (ok && n.inputs.some(isActivation)) kinds.set(i, 'concat');
    } else if (isSpatialMean(n, rank.get(n.inputs[0] ?? ''), model.opsetVersion)) {
      kinds.set(i, 'mean');
    }
  });
  // 2. In graph order: fold a Relu / Clip(0, …) that is the only reader of a quantised node's
  // output into that node's quantiser; quantise ops that move values, and unary ops, whose input
  // is quantised.
  const producedQuantized = new Set<string>();
  const folded = new Map<number, number>();
  const effectiveOutput = new Map<number, string>();
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.outputs) producer.set(o, i);
  });
  const coreOrMove = (i: number) => {
    const k = kinds.get(i);
    return k !== undefined && k !== 'unary';
  };
  const foldInto = (act: OnnxNode): number | undefined => {
    if (act.opType !== 'Relu' && act.opType !== 'Clip') return undefined;
    const x = act.inputs[0] ?? '';
    const p = producer.get(x);
    if (p === undefined || !kinds.has(p) || kinds.get(p) === 'move' || kept(act)) return undefined;
    // A `scale` output has no quantiser of its own to fold into.
    if (kinds.get(p) === 'scale') return undefined;
    if (graphOutputs.has(x) || graphOutputs.has(act.outputs[0]!) || (consumers.get(x) ?? []).length !== 1)
      return undefined;
    if (act.opType === 'Clip') {
      const min = inits.get(act.inputs[1] ?? '');
      if (!min || min.dataType !== OnnxDataType.FLOAT || floatValues(min)[0] !== 0) return undefined;
    }
    return p;
  };
  const scaled = new Map<string, { input: string; factor: number }>();
  const positiveScalar = (x: string): number | undefined => {
    const t = inits.get(x);
    if (t?.dataType !== OnnxDataType.FLOAT || t.dims.reduce((a, b) => a * b, 1) !== 1) return undefined;
    const v = floatValues(t)[0]!;
    return v > 0 && Number.isFinite(v) ? v : undefined;
  };
  nodes.forEach((n, i) => {
    if (
      options.rescaleScalarMul !== false &&
      kinds.get(i) === 'binary' &&
      n.opType === 'Mul' &&
      !graphOutputs.has(n.outputs[0]!)
    ) {
      const [a = '', b = ''] = n.inputs;
      const [x, c] = positiveScalar(a) !== undefined ? [b, positiveScalar(a)] : [a, positiveScalar(b)];
      if (c !== undefined && producedQuantized.has(x)) {
        kinds.set(i, 'scale');
        scaled.set(n.outputs[0]!, { input: x, factor: c });
      }
    }
    if (kinds.has(i)) {
      effectiveOutput.set(i, n.outputs[0]!);
      producedQuantized.add(n.outputs[0]!);
      return;
    }
    const into = foldInto(n);
    if (into !== undefined) {
      folded.set(i, into);
      effectiveOutput.set(into, n.outputs[0]!);
      producedQuantized.add(n.outputs[0]!);
      return;
    }
    if (kept(n)) return;
    const x = n.inputs[0] ?? '';
    if (!producedQuantized.has(x) || !float.has(n.outputs[0] ?? '') || n.outputs.length !== 1) return;
    if (MOVE.has(n.opType)) {
      kinds.set(i, 'move');
      effectiveOutput.set(i, n.outputs[0]!);
      producedQuantized.add(n.outputs[0]!);
    } else if (UNARY.has(n.opType)) {
      const readers = consumers.get(n.outputs[0]!) ?? [];
      // Quantising the output only pays when the readers run int8 too (a Sigmoid at the end of
      // the graph stays float32, on the dequantised input: the same values, no rounding after).
      if (readers.length && readers.every(coreOrMove) && !graphOutputs.has(n.outputs[0]!)) {
        kinds.set(i, 'unary');
        effectiveOutput.set(i, n.outputs[0]!);
        producedQuantized.add(n.outputs[0]!);
      }
    }
  });

  // 3. The quantised tensors: activation inputs of quantised nodes and their (effective) outputs.
  const quantized = new Set<string>();
  // Union-find over tensors that must share quantisation parameters.
  const parent = new Map<string, string>();
  const find = (t: string): string => {
    let r = t;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(t, r);
    return r;
  };
  const unite = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // The group's key is its first member in sort order (deterministic).
    const [first, second] = ra < rb ? [ra, rb] : [rb, ra];
    parent.set(second, first);
  };
  const moveOutputs = new Set<string>();
  const concats: number[] = [];
  for (const [i, kind] of kinds) {
    const n = nodes[i]!;
    const ins =
      kind === 'conv' || kind === 'move'
        ? [n.inputs[0]!]
        : kind === 'scale'
          ? [scaled.get(n.outputs[0]!)!.input]
          : n.inputs;
    for (const x of ins) if (isActivation(x)) quantized.add(x);
    const out = effectiveOutput.get(i)!;
    quantized.add(out);
    if (kind === 'scale') {
      moveOutputs.add(out);
    } else if (kind === 'move') {
      moveOutputs.add(out);
      unite(out, n.inputs[0]!);
    } else if (kind === 'concat') {
      concats.push(i);
    }
  }
  // A folded Relu / Clip relies on its zero point 0 to clamp at 0: a Concat joins its inputs'
  // parameters only when no folded output would end up in the group (the union range could then
  // go below 0).
  const foldedOutputs = new Set([...folded.values()].map((i) => effectiveOutput.get(i)!));
  const groupHasFolded = (t: string) =>
    [...quantized].some((m) => foldedOutputs.has(m) && find(m) === find(t));
  for (const i of concats.sort((a, b) => a - b)) {
    const n = nodes[i]!;
    const members = [effectiveOutput.get(i)!, ...n.inputs.filter(isActivation)];
    // A `scale` output's parameters are its input's times the factor: it joins no Concat group.
    if (members.some(groupHasFolded) || members.some((m) => scaled.has(m))) continue;
    for (const x of members.slice(1)) unite(members[0]!, x);
  }
  const paramGroups = new Map<string, string>();
  for (const t of [...parent.keys()].sort()) paramGroups.set(t, find(t));
  const rangeTensors = [...quantized].filter((t) => !moveOutputs.has(t)).sort();
  const floatReaders = new Map<string, string[]>();
  for (const t of quantized) {
    const ops = (consumers.get(t) ?? [])
      .filter((c) => !kinds.has(c) && !folded.has(c) && nodes[c]!.opType !== 'Shape')
      .map((c) => nodes[c]!.opType);
    if (ops.length || graphOutputs.has(t)) {
      const g = paramGroups.get(t) ?? t;
      floatReaders.set(g, [...(floatReaders.get(g) ?? []), ...ops]);
    }
  }
  const exits = new Map<string, string[]>();
  for (const t of rangeTensors) {
    const ops = floatReaders.get(paramGroups.get(t) ?? t);
    if (ops) exits.set(t, [...new Set(ops)].sort());
  }
  return { kinds, folded, effectiveOutput, quantized, paramGroups, rangeTensors, exits, scaled };
}
