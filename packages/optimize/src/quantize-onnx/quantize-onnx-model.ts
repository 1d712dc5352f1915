import { OptionsError, parseOptions } from '@ondevice/core';
import {
  encodeOnnxModel,
  type OnnxAttributeValue,
  OnnxDataType,
  type OnnxDataTypeValue,
  type OnnxNode,
  type OnnxTensor,
} from '../convert/onnx-proto.js';
import { decodeOnnxModel } from './onnx-read.js';
import { type QuantizeOnnxOptions, quantizeOnnxOptionsSchema } from './options.js';
import { floatValues, intAttr, planQuantization, type QuantKind } from './plan.js';

/** What {@link quantizeOnnxModel} returns. */
export interface QuantizedOnnxModel {
  /** The QDQ model: float32 inputs and outputs, int8 weights, uint8 activations between. */
  onnx: Uint8Array;
  /** Quantised nodes by op type (a folded Relu/Clip counts under `folded`). */
  quantized: Record<string, number>;
  /** Nodes left in float32 by op type (QuantizeLinear/DequantizeLinear not counted). */
  float: Record<string, number>;
  /** Relu / Clip nodes folded into the quantiser before them. */
  folded: number;
  /**
   * For each quantised activation, the tensor holding its dequantised values in the new model (to
   * compare with the float model's tensor of the same name).
   */
  dequantized: Record<string, string>;
  /** For each quantised Conv (by node name), the tensor holding its float output before its quantiser (before a folded Relu / Clip). */
  convOutputs: Record<string, string>;
  /** Conv weights quantised, and how many bias values had to be clamped to int32. */
  convWeights: number;
  clampedBias: number;
}

/**
 * Activation scale and zero point (uint8, asymmetric) covering [min(lo, 0), max(hi, 0)], as
 * {@link quantizeOnnxModel} computes them from a range (float32 scale, zero point rounded half away
 * from zero).
 *
 * @example
 * ```ts
 * activationParams(0, 6); // { scale: 0.023529…, zeroPoint: 0 }: a Relu6 output
 * ```
 */
export function activationParams(lo: number, hi: number): { scale: number; zeroPoint: number } {
  const a = Math.min(lo, 0);
  let b = Math.max(hi, 0);
  if (b - a < 1e-12) b = a + 1e-12;
  const scale = Math.fround((b - a) / 255);
  const zeroPoint = Math.min(255, Math.max(0, roundHalfAway(-a / scale)));
  return { scale, zeroPoint };
}

/** Rounds half away from zero (the same on every engine). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

const sortedCounts = (m: Map<string, number>) =>
  Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function tensor(
  name: string,
  dims: readonly number[],
  dataType: OnnxDataTypeValue,
  data: ArrayBufferView,
): OnnxTensor {
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { name, dims: [...dims], dataType, rawData: bytes };
}

/**
 * Quantises a float32 ONNX model to the QDQ form that onnxruntime runs with int8 kernels:
 * convolution weights to int8 per output channel (symmetric, `weightBits` bits), biases to int32,
 * activations to uint8 per tensor from calibrated ranges, with QuantizeLinear → DequantizeLinear
 * pairs between ops. onnxruntime fuses each DequantizeLinear → op → QuantizeLinear group into its
 * int8 kernel (QLinearConv, QLinearAdd, QLinearMul, QLinearConcat, QLinearGlobalAveragePool…);
 * ops it has no int8 kernel for (PRelu, Pad, …) run in float32 between a DequantizeLinear and a
 * QuantizeLinear. Inputs and outputs stay float32 with the same names and shapes.
 *
 * `ranges` gives `[min, max]` of every tensor {@link planQuantization} lists in `rangeTensors`
 * (from {@link calibrateOnnxModel}); a missing one is an `OptionsError` naming it. Deterministic:
 * the same model, ranges and options give the same bytes.
 *
 * @example
 * ```ts
 * const ranges = await calibrateOnnxModel({ onnx, inputs: feeds });
 * const { onnx: int8 } = quantizeOnnxModel({ onnx, ranges });
 * const session = await ort.InferenceSession.create(int8);
 * ```
 */
export function quantizeOnnxModel(options: QuantizeOnnxOptions): QuantizedOnnxModel {
  const opts = parseOptions(quantizeOnnxOptionsSchema, options, 'quantizeOnnxModel');
  const model = decodeOnnxModel(opts.onnx);
  if (model.opsetVersion < 13)
    throw new OptionsError(
      `quantizeOnnxModel: the model imports opset ${model.opsetVersion}; per-channel quantisation needs opset 13 or later (convertGraphModelToOnnx writes 13).`,
    );
  const plan = planQuantization(model, {
    keepFloat: opts.keepFloat,
    rescaleScalarMul: opts.rescaleScalarMul,
  });
  const missing = plan.rangeTensors.filter((t) => !opts.ranges[t]);
  if (missing.length)
    throw new OptionsError(
      `quantizeOnnxModel: ranges has no [min, max] for ${missing.length} tensor(s) the plan quantises: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}. Calibrate this model with calibrateOnnxModel (same keepFloat).`,
    );
  const g = model.graph;
  const inits = new Map(g.initializers.map((t) => [t.name, t]));
  const graphOutputs = new Set(g.outputs.map((o) => o.name));
  const qmaxOf = (bits: number) => 2 ** (bits - 1) - 1;
  const uint8Weights = new Set(opts.uint8Weights);
  const convNames = new Set(g.nodes.filter((n) => n.opType === 'Conv').map((n) => n.name));
  const unknown = opts.uint8Weights.filter((n) => !convNames.has(n));
  if (unknown.length)
    throw new OptionsError(
      `quantizeOnnxModel: uint8Weights names ${unknown.length} node(s) that are not Conv nodes of the model: ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}. Give Conv node names.`,
    );

  const used = new Set<string>([
    ...g.inputs.map((i) => i.name),
    ...g.outputs.map((o) => o.name),
    ...g.initializers.map((t) => t.name),
    ...g.nodes.flatMap((n) => [n.name, ...n.outputs]),
  ]);
  let counter = 0;
  /** A short fresh name: model size matters, and these tensors are many. */
  const fresh = (prefix: string) => {
    let name = `${prefix}${counter++}`;
    while (used.has(name)) name = `${prefix}${counter++}`;
    used.add(name);
    return name;
  };
  const newInits: OnnxTensor[] = [];
  const addInit = (
    prefix: string,
    dims: readonly number[],
    type: OnnxDataTypeValue,
    data: ArrayBufferView,
  ) => {
    const name = fresh(prefix);
    newInits.push(tensor(name, dims, type, data));
    return name;
  };
  // Zero points shared by every tensor of the same length and type.
  const zeros = new Map<string, string>();
  const zerosOf = (len: number, type: OnnxDataTypeValue) => {
    const key = `${type}:${len}`;
    let name = zeros.get(key);
    if (!name) {
      const data =
        type === OnnxDataType.INT32
          ? new Int32Array(len)
          : type === OnnxDataType.UINT8
            ? new Uint8Array(len).fill(128)
            : new Int8Array(len);
      name = addInit('z', len === 0 ? [] : [len], type, data);
      zeros.set(key, name);
    }
    return name;
  };

  // Quantisation parameters of every quantised tensor (shared ones resolved to their root).
  interface Params {
    scale: number;
    scaleName: string;
    zpName: string;
  }
  const params = new Map<string, Params>();
  const members = new Map<string, string[]>();
  for (const [t, group] of plan.paramGroups) members.set(group, [...(members.get(group) ?? []), t]);
  const paramsOf = (t: string): Params => {
    const root = plan.paramGroups.get(t) ?? t;
    let p = params.get(root);
    if (!p) {
      // A group holding a `scale` output (and the moves after it): the input's parameters, the
      // scale times the factor, the same zero point.
      const scaledMember = (members.get(root) ?? [root]).find((m) => plan.scaled.has(m));
      if (scaledMember !== undefined) {
        const { input, factor } = plan.scaled.get(scaledMember)!;
        const from = paramsOf(input);
        const scale = Math.fround(from.scale * factor);
        p = {
          scale,
          scaleName: addInit('s', [], OnnxDataType.FLOAT, Float32Array.of(scale)),
          zpName: from.zpName,
        };
        params.set(root, p);
        return p;
      }
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const m of members.get(root) ?? [root]) {
        const r = opts.ranges[m];
        if (!r) continue;
        if (!Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[0] > r[1])
          throw new OptionsError(
            `quantizeOnnxModel: ranges["${m}"] is [${r[0]}, ${r[1]}]; need finite min ≤ max.`,
          );
        lo = Math.min(lo, r[0]);
        hi = Math.max(hi, r[1]);
      }
      const { scale, zeroPoint } = activationParams(lo, hi);
      p = {
        scale,
        scaleName: addInit('s', [], OnnxDataType.FLOAT, Float32Array.of(scale)),
        zpName: addInit('z', [], OnnxDataType.UINT8, Uint8Array.of(zeroPoint)),
      };
      params.set(root, p);
    }
    return p;
  };

  const out: OnnxNode[] = [];
  /** Tensor → its QuantizeLinear output and DequantizeLinear output. */
  const qdq = new Map<string, { q: string; dq: string }>();
  /** Emits Q → DQ for quantised tensor `t`, whose float values are in `src`. */
  const emitQdq = (t: string, src: string) => {
    const p = paramsOf(t);
    const q = fresh('q');
    const dq = graphOutputs.has(t) ? t : fresh('d');
    out.push({ name: q, opType: 'QuantizeLinear', inputs: [src, p.scaleName, p.zpName], outputs: [q] });
    out.push({ name: dq, opType: 'DequantizeLinear', inputs: [q, p.scaleName, p.zpName], outputs: [dq] });
    qdq.set(t, { q, dq });
  };
  /** A float constant as uint8 (per tensor) behind a DequantizeLinear. */
  const constDq = new Map<string, string>();
  const dequantizedConst = (name: string): string => {
    let dq = constDq.get(name);
    if (dq) return dq;
    const t = inits.get(name)!;
    const v = floatValues(t);
    let lo = 0;
    let hi = 0;
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const { scale, zeroPoint } = activationParams(lo, hi);
    const q = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++)
      q[i] = Math.min(255, Math.max(0, roundHalfAway(v[i]! / scale) + zeroPoint));
    const qName = addInit('c', t.dims, OnnxDataType.UINT8, q);
    const sName = addInit('s', [], OnnxDataType.FLOAT, Float32Array.of(scale));
    const zName = addInit('z', [], OnnxDataType.UINT8, Uint8Array.of(zeroPoint));
    dq = fresh('d');
    out.push({ name: dq, opType: 'DequantizeLinear', inputs: [qName, sName, zName], outputs: [dq] });
    constDq.set(name, dq);
    return dq;
  };

  const producerKind = new Map<string, QuantKind>();
  for (const [i, kind] of plan.kinds) {
    producerKind.set(plan.effectiveOutput.get(i)!, kind);
    for (const o of g.nodes[i]!.outputs) producerKind.set(o, kind);
  }
  /** What a node reads for tensor `x`. */
  const readFor = (x: string, node: OnnxNode, quantizedNode: boolean): string => {
    const pair = qdq.get(x);
    if (!pair) return x;
    // The shape of a quantised tensor is that of its uint8 form: no dequantisation pass for it.
    if (node.opType === 'Shape') return pair.q;
    // A quantised node's float output exists only behind its quantiser.
    return quantizedNode || producerKind.has(x) ? pair.dq : x;
  };

  for (const i of g.inputs) if (plan.quantized.has(i.name)) emitQdq(i.name, i.name);
  const quantizedCounts = new Map<string, number>();
  const floatCounts = new Map<string, number>();
  let convWeights = 0;
  const convOutputs = new Map<string, string>();
  let clampedBias = 0;

  g.nodes.forEach((node, index) => {
    if (plan.folded.has(index)) return;
    const kind = plan.kinds.get(index);
    if (!kind) {
      out.push({ ...node, inputs: node.inputs.map((x) => (x ? readFor(x, node, false) : x)) });
      floatCounts.set(node.opType, (floatCounts.get(node.opType) ?? 0) + 1);
      for (const o of node.outputs) if (plan.quantized.has(o)) emitQdq(o, o);
      return;
    }
    quantizedCounts.set(node.opType, (quantizedCounts.get(node.opType) ?? 0) + 1);
    const eff = plan.effectiveOutput.get(index)!;
    // The op writes its float result here; its quantiser reads it.
    const raw = graphOutputs.has(node.outputs[0]!) || eff !== node.outputs[0] ? fresh('r') : node.outputs[0]!;
    let inputs: string[];
    let opType = node.opType;
    let attributes: Readonly<Record<string, OnnxAttributeValue>> | undefined = node.attributes;
    if (kind === 'conv') {
      convWeights++;
      const x = readFor(node.inputs[0]!, node, true);
      const w = inits.get(node.inputs[1]!)!;
      const values = floatValues(w);
      const m = w.dims[0]!;
      const per = values.length / m;
      const depthwise = intAttr(node, 'group', 1) > 1 && w.dims[1] === 1;
      const exact = !depthwise && uint8Weights.has(node.name);
      const qmax = qmaxOf(depthwise ? opts.depthwiseWeightBits : exact ? 8 : opts.weightBits);
      const wq = new Int8Array(values.length);
      const scales = new Float32Array(m);
      const bias = node.inputs[2] ? floatValues(inits.get(node.inputs[2])!) : undefined;
      const sx = paramsOf(node.inputs[0]!).scale;
      for (let c = 0; c < m; c++) {
        let amax = 0;
        for (let k = c * per; k < (c + 1) * per; k++) amax = Math.max(amax, Math.abs(values[k]!));
        // A channel of (near) zero weights with a bias: widen its scale so the int32 bias
        // (bias / (input scale × weight scale)) fits; its weights round to (near) zero either way.
        const fit = bias ? Math.abs(bias[c]!) / (sx * 2 ** 30) : 0;
        const s = amax > 0 || fit > 0 ? Math.fround(Math.max(amax / qmax, fit)) : 1;
        scales[c] = s;
        for (let k = c * per; k < (c + 1) * per; k++)
          wq[k] = Math.min(qmax, Math.max(-qmax, roundHalfAway(values[k]! / s)));
      }
      // uint8 storage (value + 128, zero point 128): onnxruntime then uses its exact u8×u8 kernels.
      const unsigned = (opts.weightType === 'uint8' || exact) && !depthwise;
      const wName = unsigned
        ? addInit(
            'w',
            w.dims,
            OnnxDataType.UINT8,
            Uint8Array.from(wq, (v) => v + 128),
          )
        : addInit('w', w.dims, OnnxDataType.INT8, wq);
      const wsName = addInit('s', [m], OnnxDataType.FLOAT, scales);
      const wdq = fresh('d');
      out.push({
        name: wdq,
        opType: 'DequantizeLinear',
        inputs: [wName, wsName, unsigned ? zerosOf(m, OnnxDataType.UINT8) : zerosOf(m, OnnxDataType.INT8)],
        outputs: [wdq],
        attributes: { axis: { kind: 'int', value: 0 } },
      });
      inputs = [x, wdq];
      if (bias) {
        const b = bias;
        const bs = new Float32Array(m);
        const bq = new Int32Array(m);
        for (let c = 0; c < m; c++) {
          bs[c] = Math.fround(sx * scales[c]!);
          const v = roundHalfAway(b[c]! / bs[c]!);
          const clamped = Math.min(2 ** 31 - 1, Math.max(-(2 ** 31) + 1, v));
          if (clamped !== v) clampedBias++;
          bq[c] = clamped;
        }
        const bName = addInit('b', [m], OnnxDataType.INT32, bq);
        const bsName = addInit('s', [m], OnnxDataType.FLOAT, bs);
        const bdq = fresh('d');
        out.push({
          name: bdq,
          opType: 'DequantizeLinear',
          inputs: [bName, bsName, zerosOf(m, OnnxDataType.INT32)],
          outputs: [bdq],
          attributes: { axis: { kind: 'int', value: 0 } },
        });
        inputs.push(bdq);
      }
    } else if (kind === 'scale') {
      // No op: the input's uint8 values, dequantised with the scaled parameters.
      const { input } = plan.scaled.get(node.outputs[0]!)!;
      const p = paramsOf(eff);
      const dq = fresh('d');
      out.push({
        name: dq,
        opType: 'DequantizeLinear',
        inputs: [qdq.get(input)!.q, p.scaleName, p.zpName],
        outputs: [dq],
      });
      qdq.set(eff, { q: qdq.get(input)!.q, dq });
      return;
    } else if (kind === 'move') {
      inputs = node.inputs.map((x, k) => (k === 0 ? readFor(x, node, true) : x));
    } else {
      inputs = node.inputs.map((x) => (inits.has(x) ? dequantizedConst(x) : readFor(x, node, true)));
      if (kind === 'mean') {
        opType = 'GlobalAveragePool';
        attributes = undefined;
      }
    }
    if (kind === 'conv') convOutputs.set(node.name, raw);
    out.push({ name: node.name, opType, inputs, outputs: [raw], ...(attributes ? { attributes } : {}) });
    emitQdq(eff, raw);
  });

  // Quantisers nobody reads (the DequantizeLinear of a tensor whose only reader was a `scale` Mul):
  // onnxruntime would still run them, so they go (from the end, so chains go too).
  const live = new Set(g.outputs.map((o) => o.name));
  const kept: OnnxNode[] = [];
  for (let k = out.length - 1; k >= 0; k--) {
    const n = out[k]!;
    const dead =
      (n.opType === 'DequantizeLinear' || n.opType === 'QuantizeLinear') &&
      !n.outputs.some((o) => live.has(o));
    if (dead) continue;
    kept.push(n);
    for (const x of n.inputs) live.add(x);
  }
  out.splice(0, out.length, ...kept.reverse());
  // Initializers still read (the float weights that were quantised are not), then the new ones.
  const read = new Set(out.flatMap((n) => n.inputs));
  let initializers = [
    ...g.initializers.filter((t) => read.has(t.name)),
    ...newInits.filter((t) => read.has(t.name)),
  ];
  // Compact names: every tensor but the graph's inputs and outputs gets a short name (in order of
  // first use) and nodes lose theirs. On a small model the names are a tenth of the bytes.
  const rename = new Map<string, string>();
  if (opts.compactNames) {
    const io = new Set([...g.inputs.map((i) => i.name), ...g.outputs.map((o) => o.name), '']);
    const name = (t: string) => {
      if (io.has(t)) return t;
      let n = rename.get(t);
      if (n === undefined) {
        n = rename.size.toString(36);
        while (io.has(n)) n = `_${n}`;
        rename.set(t, n);
      }
      return n;
    };
    for (const n of out) {
      n.inputs = n.inputs.map(name);
      (n as { outputs: readonly string[] }).outputs = n.outputs.map(name);
      (n as { name: string }).name = '';
    }
    initializers = initializers.map((t) => ({ ...t, name: name(t.name) }));
  }
  const renamed = (t: string) => rename.get(t) ?? t;
  const onnx = encodeOnnxModel({
    ...model,
    graph: { ...g, nodes: out, initializers },
  });
  quantizedCounts.set('folded', plan.folded.size);
  return {
    onnx,
    quantized: sortedCounts(quantizedCounts),
    float: sortedCounts(floatCounts),
    folded: plan.folded.size,
    dequantized: Object.fromEntries(
      [...qdq].map(([t, p]) => [t, renamed(p.dq)]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
    ),
    convOutputs: Object.fromEntries(
      [...convOutputs].map(([c, r]) => [c, renamed(r)]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
    ),
    convWeights,
    clampedBias,
  };
}
