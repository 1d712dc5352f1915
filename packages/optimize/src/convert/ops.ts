// TF op → ONNX (opset 13) mappings. Each handler gets the node and its resolved input values and
// returns its output value(s); 4-D activations stay NCHW wherever the op allows.
import { NotCovered } from './errors.js';
import {
  attr,
  layoutFree,
  NCHW_AXIS_OF,
  type OnnxBuilder,
  TO_NCHW,
  type TfNode,
  tensorValue,
  type Value,
} from './graph.js';
import type { OnnxAttributeValue } from './onnx-proto.js';
import { broadcastShapes, intsOf, sizeOf, toInt64, transposeData } from './tensor.js';

/** Converts one TF node. */
export type OpHandler = (b: OnnxBuilder, node: TfNode, inputs: Value[]) => Value | Value[];

const ints = (value: readonly number[]): OnnxAttributeValue => ({ kind: 'ints', value });
const int = (value: number): OnnxAttributeValue => ({ kind: 'int', value });
const str = (value: string): OnnxAttributeValue => ({ kind: 'string', value });

function constOf(v: Value | undefined, what: string): NonNullable<Value['data']> {
  if (!v?.data) throw new NotCovered(`${what} must be a constant`);
  return v.data;
}

function requireNhwc(node: TfNode): void {
  const format = attr.string(node, 'data_format', 'NHWC');
  if (format !== 'NHWC') throw new NotCovered(`data_format ${format} (only NHWC)`);
}

function require4d(v: Value): void {
  if (v.shape.length !== 4) throw new NotCovered(`input of rank ${v.shape.length} (expects 4-D NHWC)`);
}

/** ONNX pads [top, left, bottom, right] and the output size of a 2-D window op, from TF padding. */
function windowPads(
  node: TfNode,
  inH: number,
  inW: number,
  k: [number, number],
  s: [number, number],
  d: [number, number],
): { pads?: number[]; autoPad?: string; outH: number; outW: number } {
  const padding = attr.string(node, 'padding');
  const eff = [(k[0] - 1) * d[0] + 1, (k[1] - 1) * d[1] + 1] as const;
  if (padding === 'SAME') {
    if (inH < 0 || inW < 0) return { autoPad: 'SAME_UPPER', outH: -1, outW: -1 };
    const outH = Math.ceil(inH / s[0]);
    const outW = Math.ceil(inW / s[1]);
    const th = Math.max((outH - 1) * s[0] + eff[0] - inH, 0);
    const tw = Math.max((outW - 1) * s[1] + eff[1] - inW, 0);
    const top = Math.floor(th / 2);
    const left = Math.floor(tw / 2);
    return { pads: [top, left, th - top, tw - left], outH, outW };
  }
  let pads = [0, 0, 0, 0];
  if (padding === 'EXPLICIT') {
    const e = attr.ints(node, 'explicit_paddings');
    if (e.length !== 8) throw new NotCovered('explicit_paddings must have 8 values');
    pads = [e[2]!, e[4]!, e[3]!, e[5]!];
  } else if (padding !== 'VALID') {
    throw new NotCovered(`padding ${padding}`);
  }
  const out = (n: number, a: number, b: number, i: 0 | 1) =>
    n < 0 ? -1 : Math.floor((n + a + b - eff[i]) / s[i]) + 1;
  return { pads, outH: out(inH, pads[0]!, pads[2]!, 0), outW: out(inW, pads[1]!, pads[3]!, 1) };
}

/** An activation applied to an NCHW/plain tensor; `alpha` is the PReLU slope value. */
function activation(
  b: OnnxBuilder,
  op: string,
  x: string,
  hint: string,
  node: TfNode,
  alpha?: Value,
  nchw = true,
): string {
  switch (op) {
    case 'Relu':
    case 'Sigmoid':
    case 'Tanh':
    case 'Elu':
      return b.node(op, [x], hint)[0]!;
    case 'Relu6':
      return b.node('Clip', [x, b.scalar(0), b.scalar(6)], hint)[0]!;
    case 'LeakyRelu':
      return b.node('LeakyRelu', [x], hint, {
        alpha: {
          kind: 'float',
          value: attr.float(node, node.op === 'LeakyRelu' ? 'alpha' : 'leakyrelu_alpha', 0.2),
        },
      })[0]!;
    case 'Prelu': {
      if (!alpha) throw new NotCovered('Prelu without its alpha input');
      constOf(alpha, 'the Prelu alpha');
      const slope = nchw && !layoutFree(alpha) ? b.nchw(alpha) : b.plain(alpha);
      return b.node('PRelu', [x, slope], hint)[0]!;
    }
    default:
      throw new NotCovered(`fused activation ${op}`);
  }
}

// The activations tfjs fuses into convolutions.
const FUSED_ACTIVATIONS = ['Relu', 'Relu6', 'Prelu', 'LeakyRelu', 'Elu', 'Sigmoid'];

/** Conv2D, DepthwiseConv2dNative and their fused forms (BiasAdd + activation). */
const conv: OpHandler = (b, node, inputs) => {
  requireNhwc(node);
  const [x, filter] = inputs;
  require4d(x!);
  const w = constOf(filter, 'the filter');
  const depthwise = node.op.includes('Depthwise');
  const [kh, kw, cin, cout] = filter!.shape as [number, number, number, number];
  const strides = attr.ints(node, 'strides', [1, 1, 1, 1]);
  const dilations = attr.ints(node, 'dilations', [1, 1, 1, 1]);
  if (strides[0] !== 1 || strides[3] !== 1) throw new NotCovered('strides on batch or channels');
  const s: [number, number] = [strides[1]!, strides[2]!];
  const d: [number, number] = [dilations[1]!, dilations[2]!];
  const [n, h, wIn, c] = x!.shape as [number, number, number, number];
  if (c >= 0 && c !== cin)
    throw new NotCovered(`a grouped convolution (${c} input channels, filter for ${cin})`);
  const { pads, autoPad, outH, outW } = windowPads(node, h, wIn, [kh, kw], s, d);
  // TF HWIO → ONNX OIHW; depthwise HW(C)(M) → (C·M)1HW, group C.
  const kernel = depthwise
    ? transposeData(w, [kh, kw, cin, cout], [2, 3, 0, 1])
    : transposeData(w, [kh, kw, cin, cout], [3, 2, 0, 1]);
  const outC = depthwise ? cin * cout : cout;
  const kernelName = b.constant(
    kernel,
    depthwise ? [outC, 1, kh, kw] : [outC, cin, kh, kw],
    'float32',
    `${filter!.hint}/oihw`,
  );
  const fused =
    node.op.startsWith('_Fused') || node.op.startsWith('Fused') ? attr.strings(node, 'fused_ops') : [];
  const convInputs = [b.nchw(x!), kernelName];
  let extra = 2;
  let ops = fused;
  if (ops[0] === 'BiasAdd') {
    const bias = inputs[extra++];
    constOf(bias, 'the bias');
    if (bias!.shape.length !== 1) throw new NotCovered('a bias that is not 1-D');
    convInputs.push(b.plain(bias!));
    ops = ops.slice(1);
  }
  if (ops.length > 1 || (ops.length === 1 && !FUSED_ACTIVATIONS.includes(ops[0]!)))
    throw new NotCovered(
      `fused_ops [${fused.join(', ')}] (covered: BiasAdd then one of ${FUSED_ACTIVATIONS.join(', ')})`,
    );
  const attrs: Record<string, OnnxAttributeValue> = {
    dilations: ints(d),
    group: int(depthwise ? cin : 1),
    kernel_shape: ints([kh, kw]),
    strides: ints(s),
    ...(pads ? { pads: ints(pads) } : { auto_pad: str(autoPad!) }),
  };
  let out = b.node('Conv', convInputs, ops.length ? `${node.name}/conv` : node.name, attrs)[0]!;
  if (ops.length) out = activation(b, ops[0]!, out, node.name, node, inputs[extra]);
  return tensorValue(out, [n, outH, outW, outC], 'float32', true);
};

/** TF binary elementwise ops and their ONNX names. */
const BINARY: Record<string, string> = {
  Add: 'Add',
  AddV2: 'Add',
  BiasAdd: 'Add',
  Sub: 'Sub',
  Mul: 'Mul',
  RealDiv: 'Div',
  Maximum: 'Max',
  Minimum: 'Min',
};

/** Both operands of an elementwise op, NCHW when a 4-D operand already is and the other can follow. */
function operands(
  b: OnnxBuilder,
  x: Value,
  y: Value,
): { names: [string, string]; shape: number[]; nchw: boolean } {
  const shape = broadcastShapes(x.shape, y.shape);
  const nchw =
    shape.length === 4 &&
    [x, y].some((v) => !v.data && v.nchw) &&
    [x, y].every((v) => layoutFree(v) || (v.data ? v.shape.length <= 4 : v.shape.length === 4));
  const name = (v: Value) => (nchw && !layoutFree(v) ? b.nchw(v) : b.plain(v));
  return { names: [name(x), name(y)], shape, nchw };
}

const binary: OpHandler = (b, node, inputs) => {
  if (node.op === 'BiasAdd') requireNhwc(node);
  const [x, y] = inputs as [Value, Value];
  const { names, shape, nchw } = operands(b, x, y);
  const out = b.node(BINARY[node.op]!, names, node.name)[0]!;
  return tensorValue(out, shape, x.dtype, nchw);
};

const COMPARE: Record<string, string> = {
  Equal: 'Equal',
  Greater: 'Greater',
  GreaterEqual: 'GreaterOrEqual',
  Less: 'Less',
  LessEqual: 'LessOrEqual',
};

const compare: OpHandler = (b, node, inputs) => {
  const [x, y] = inputs as [Value, Value];
  const { names, shape, nchw } = operands(b, x, y);
  return tensorValue(b.node(COMPARE[node.op]!, names, node.name)[0]!, shape, 'bool', nchw);
};

/**
 * FloorMod (the remainder has the divisor's sign) and FloorDiv (rounds down): ONNX `Mod` with
 * fmod 0 is floor-mod for integers; for floats `a − b·floor(a / b)`. FloorDiv is then
 * `(a − floormod(a, b)) / b`, exact for integers.
 */
const floorDivMod: OpHandler = (b, node, inputs) => {
  const [x, y] = inputs as [Value, Value];
  const { names, shape, nchw } = operands(b, x, y);
  const [a, d] = names;
  const float = x.dtype === 'float32';
  if (node.op === 'FloorDiv' && float) {
    const q = b.node('Div', [a, d], `${node.name}/div`)[0]!;
    return tensorValue(b.node('Floor', [q], node.name)[0]!, shape, x.dtype, nchw);
  }
  let mod: string;
  if (float) {
    const q = b.node('Floor', [b.node('Div', [a, d], `${node.name}/div`)[0]!], `${node.name}/floor`)[0]!;
    const bq = b.node('Mul', [d, q], `${node.name}/mul`)[0]!;
    mod = b.node('Sub', [a, bq], node.op === 'FloorMod' ? node.name : `${node.name}/mod`)[0]!;
  } else {
    mod = b.node('Mod', [a, d], node.op === 'FloorMod' ? node.name : `${node.name}/mod`, {
      fmod: int(0),
    })[0]!;
  }
  if (node.op === 'FloorMod') return tensorValue(mod, shape, x.dtype, nchw);
  const exact = b.node('Sub', [a, mod], `${node.name}/sub`)[0]!;
  return tensorValue(b.node('Div', [exact, d], node.name)[0]!, shape, x.dtype, nchw);
};

const CAST_TO: Record<string, { dtype: 'float32' | 'int32' | 'bool'; onnx: number }> = {
  DT_FLOAT: { dtype: 'float32', onnx: 1 },
  DT_INT32: { dtype: 'int32', onnx: 6 },
  DT_BOOL: { dtype: 'bool', onnx: 9 },
};

const cast: OpHandler = (b, node, inputs) => {
  const x = inputs[0]!;
  const to = CAST_TO[node.attr?.DstT?.type ?? ''];
  if (!to)
    throw new NotCovered(`a cast to ${node.attr?.DstT?.type} (covered: ${Object.keys(CAST_TO).join(', ')})`);
  const nchw = !x.data && x.nchw;
  const out = b.node('Cast', [nchw ? b.nchw(x) : b.plain(x)], node.name, { to: int(to.onnx) })[0]!;
  return tensorValue(out, x.shape, to.dtype, nchw);
};

const topK: OpHandler = (b, node, inputs) => {
  const [x, kV] = inputs as [Value, Value];
  const k = intsOf(constOf(kV, 'k'))[0]!;
  const [values, indices64] = b.node(
    'TopK',
    [b.plain(x), b.constant(toInt64([k]), [1], 'int64', `${node.name}/k`)],
    node.name,
    { axis: int(-1), largest: int(1), sorted: int(1) },
    2,
  ) as [string, string];
  // TF's indices are int32.
  const indices = b.node('Cast', [indices64], `${node.name}/indices`, { to: int(6) })[0]!;
  const shape = [...x.shape.slice(0, -1), k];
  return [tensorValue(values, shape, x.dtype, false), tensorValue(indices, shape, 'int32', false)];
};

const expandDims: OpHandler = (b, node, inputs) => {
  const [x, axisV] = inputs as [Value, Value];
  const rank = x.shape.length + 1;
  let axis = intsOf(constOf(axisV, 'the axis'))[0]!;
  if (axis < 0) axis += rank;
  const out = b.node(
    'Unsqueeze',
    [b.plain(x), b.constant(toInt64([axis]), [1], 'int64', `${node.name}/axes`)],
    node.name,
  )[0]!;
  const shape = [...x.shape];
  shape.splice(axis, 0, 1);
  return tensorValue(out, shape, x.dtype, false);
};

const gather: OpHandler = (b, node, inputs) => {
  const [params, indices, axisV] = inputs as [Value, Value, Value];
  if (attr.int(node, 'batch_dims', 0) !== 0) throw new NotCovered('batch_dims other than 0');
  let axis = intsOf(constOf(axisV, 'the axis'))[0]!;
  if (axis < 0) axis += params.shape.length;
  const out = b.node('Gather', [b.plain(params), b.plain(indices)], node.name, { axis: int(axis) })[0]!;
  const shape = [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)];
  return tensorValue(out, shape, params.dtype, false);
};

const INT64_MAX = 2n ** 63n - 1n;

const stridedSlice: OpHandler = (b, node, inputs) => {
  const [x, beginV, endV, stridesV] = inputs as [Value, Value, Value, Value];
  for (const mask of ['ellipsis_mask', 'new_axis_mask'])
    if (attr.int(node, mask, 0))
      throw new NotCovered(`${mask} (only begin_mask, end_mask and shrink_axis_mask)`);
  const begin = intsOf(constOf(beginV, 'begin'));
  const end = intsOf(constOf(endV, 'end'));
  const strides = intsOf(constOf(stridesV, 'strides'));
  const beginMask = attr.int(node, 'begin_mask', 0);
  const endMask = attr.int(node, 'end_mask', 0);
  const shrink = attr.int(node, 'shrink_axis_mask', 0);
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const shape = [...x.shape];
  const squeeze: number[] = [];
  for (let i = 0; i < begin.length; i++) {
    const step = strides[i]!;
    if (step === 0) throw new NotCovered('a zero stride');
    const big = step > 0 ? INT64_MAX : -INT64_MAX;
    if (shrink & (1 << i)) {
      // One element at begin (negative counts from the end).
      starts.push(BigInt(begin[i]!));
      ends.push(begin[i] === -1 ? INT64_MAX : BigInt(begin[i]! + 1));
      squeeze.push(i);
      shape[i] = 1;
      continue;
    }
    starts.push(beginMask & (1 << i) ? (step > 0 ? 0n : INT64_MAX) : BigInt(begin[i]!));
    ends.push(endMask & (1 << i) ? big : BigInt(end[i]!));
    const n = x.shape[i]!;
    if (n >= 0) {
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
      const norm = (v: number) => (v < 0 ? v + n : v);
      const s0 =
        beginMask & (1 << i)
          ? step > 0
            ? 0
            : n - 1
          : step > 0
            ? clamp(norm(begin[i]!), 0, n)
            : clamp(norm(begin[i]!), -1, n - 1);
      const e0 =
        endMask & (1 << i)
          ? step > 0
            ? n
            : -1
          : step > 0
            ? clamp(norm(end[i]!), 0, n)
            : clamp(norm(end[i]!), -1, n - 1);
      shape[i] = Math.max(0, Math.ceil((e0 - s0) / step));
    } else {
      shape[i] = -1;
    }
  }
  const axes = begin.map((_, i) => BigInt(i));
  let out = b.node(
    'Slice',
    [
      b.plain(x),
      b.constant(BigInt64Array.from(starts), [starts.length], 'int64', `${node.name}/starts`),
      b.constant(BigInt64Array.from(ends), [ends.length], 'int64', `${node.name}/ends`),
      b.constant(BigInt64Array.from(axes), [axes.length], 'int64', `${node.name}/axes`),
      b.constant(toInt64(strides), [strides.length], 'int64', `${node.name}/steps`),
    ],
    squeeze.length ? `${node.name}/slice` : node.name,
  )[0]!;
  if (squeeze.length)
    out = b.node(
      'Squeeze',
      [out, b.constant(toInt64(squeeze), [squeeze.length], 'int64', `${node.name}/squeeze_axes`)],
      node.name,
    )[0]!;
  return tensorValue(
    out,
    shape.filter((_, i) => !squeeze.includes(i)),
    x.dtype,
    false,
  );
};

const unary: OpHandler = (b, node, inputs) => {
  const x = inputs[0]!;
  const src = x.data ? b.plain(x) : x.name!;
  const out = activation(b, node.op, src, node.name, node, inputs[1], x.nchw);
  return tensorValue(out, x.shape, x.dtype, x.nchw && !x.data);
};

const prelu: OpHandler = (b, node, inputs) => {
  const x = inputs[0]!;
  if (x.data) throw new NotCovered('a constant input');
  const out = activation(b, 'Prelu', x.name!, node.name, node, inputs[1], x.nchw);
  return tensorValue(out, x.shape, x.dtype, x.nchw);
};

const pool: OpHandler = (b, node, inputs) => {
  requireNhwc(node);
  const x = inputs[0]!;
  require4d(x);
  const k = attr.ints(node, 'ksize');
  const st = attr.ints(node, 'strides');
  if (k[0] !== 1 || k[3] !== 1 || st[0] !== 1 || st[3] !== 1)
    throw new NotCovered('pooling over batch or channels');
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const { pads, autoPad, outH, outW } = windowPads(node, h, w, [k[1]!, k[2]!], [st[1]!, st[2]!], [1, 1]);
  const out = b.node(node.op === 'MaxPool' ? 'MaxPool' : 'AveragePool', [b.nchw(x)], node.name, {
    kernel_shape: ints([k[1]!, k[2]!]),
    strides: ints([st[1]!, st[2]!]),
    ...(pads ? { pads: ints(pads) } : { auto_pad: str(autoPad!) }),
  })[0]!;
  return tensorValue(out, [n, outH, outW, c], 'float32', true);
};

const pad: OpHandler = (b, node, inputs) => {
  const [x, paddings, value] = inputs as [Value, Value, Value | undefined];
  const p = intsOf(constOf(paddings, 'the paddings'));
  const rank = x.shape.length;
  if (p.length !== rank * 2) throw new NotCovered('paddings of the wrong size');
  const nchw = x.nchw && rank === 4;
  const order = nchw ? TO_NCHW : x.shape.map((_, i) => i);
  const pads = [...order.map((a) => p[a * 2]!), ...order.map((a) => p[a * 2 + 1]!)];
  const padInputs = [
    nchw ? b.nchw(x) : b.plain(x),
    b.constant(toInt64(pads), [pads.length], 'int64', `${node.name}/pads`),
  ];
  if (value) padInputs.push(b.plain(value));
  const out = b.node('Pad', padInputs, node.name, { mode: str('constant') })[0]!;
  const shape = x.shape.map((d, i) => (d < 0 ? -1 : d + p[i * 2]! + p[i * 2 + 1]!));
  return tensorValue(out, shape, x.dtype, nchw);
};

const REDUCE: Record<string, string> = {
  Mean: 'ReduceMean',
  Sum: 'ReduceSum',
  Max: 'ReduceMax',
  Min: 'ReduceMin',
};

const reduce: OpHandler = (b, node, inputs) => {
  const [x, axesV] = inputs as [Value, Value];
  const rank = x.shape.length;
  const axes = [
    ...new Set(intsOf(constOf(axesV, 'the reduction axes')).map((a) => (a < 0 ? a + rank : a))),
  ].sort();
  const keep = attr.bool(node, 'keep_dims');
  const remaining = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  // NCHW works when the kept axes stay in TF order (always with keep_dims; e.g. N, C after H, W).
  const nchw =
    x.nchw &&
    rank === 4 &&
    (keep || remaining.every((a, i) => i === 0 || NCHW_AXIS_OF[a]! > NCHW_AXIS_OF[remaining[i - 1]!]!));
  const onnxAxes = nchw ? axes.map((a) => NCHW_AXIS_OF[a]!) : axes;
  const src = nchw ? b.nchw(x) : b.plain(x);
  // Opset 13: ReduceSum takes its axes as an input, the other reductions as an attribute.
  const out =
    node.op === 'Sum'
      ? b.node(
          'ReduceSum',
          [src, b.constant(toInt64(onnxAxes), [onnxAxes.length], 'int64', `${node.name}/axes`)],
          node.name,
          { keepdims: int(keep ? 1 : 0) },
        )[0]!
      : b.node(REDUCE[node.op]!, [src], node.name, { axes: ints(onnxAxes), keepdims: int(keep ? 1 : 0) })[0]!;
  const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : remaining.map((i) => x.shape[i]!);
  return tensorValue(out, shape, x.dtype, nchw && keep);
};

const resizeBilinear: OpHandler = (b, node, inputs) => {
  const [x, sizeV] = inputs as [Value, Value];
  require4d(x);
  const [oh, ow] = intsOf(constOf(sizeV, 'the output size')) as [number, number];
  const alignCorners = attr.bool(node, 'align_corners');
  const halfPixel = attr.bool(node, 'half_pixel_centers');
  const [n, , , c] = x.shape as [number, number, number, number];
  const src = b.nchw(x);
  let sizes: string;
  if (n >= 0 && c >= 0) {
    sizes = b.constant(toInt64([n, c, oh, ow]), [4], 'int64', `${node.name}/sizes`);
  } else {
    const shape = b.node('Shape', [src], `${node.name}/shape`)[0]!;
    const nc = b.node(
      'Slice',
      [
        shape,
        b.constant(toInt64([0]), [1], 'int64', `${node.name}/starts`),
        b.constant(toInt64([2]), [1], 'int64', `${node.name}/ends`),
      ],
      `${node.name}/nc`,
    )[0]!;
    sizes = b.node(
      'Concat',
      [nc, b.constant(toInt64([oh, ow]), [2], 'int64', `${node.name}/hw`)],
      `${node.name}/sizes`,
      {
        axis: int(0),
      },
    )[0]!;
  }
  const out = b.node('Resize', [src, '', '', sizes], node.name, {
    coordinate_transformation_mode: str(
      alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric',
    ),
    mode: str('linear'),
  })[0]!;
  return tensorValue(out, [n, oh, ow, c], 'float32', true);
};

const concat: OpHandler = (b, node, inputs) => {
  const parts = inputs.slice(0, -1);
  const rank = parts[0]!.shape.length;
  let axis = intsOf(constOf(inputs[inputs.length - 1], 'the axis'))[0]!;
  if (axis < 0) axis += rank;
  const nchw = rank === 4 && parts.some((p) => p.nchw) && parts.every((p) => p.shape.length === 4);
  const out = b.node(
    'Concat',
    parts.map((p) => (nchw ? b.nchw(p) : b.plain(p))),
    node.name,
    {
      axis: int(nchw ? NCHW_AXIS_OF[axis]! : axis),
    },
  )[0]!;
  const shape = [...parts[0]!.shape];
  shape[axis] = parts.some((p) => p.shape[axis]! < 0) ? -1 : parts.reduce((s, p) => s + p.shape[axis]!, 0);
  return tensorValue(out, shape, parts[0]!.dtype, nchw);
};

const reshape: OpHandler = (b, node, inputs) => {
  const [x, shapeV] = inputs as [Value, Value];
  const target = intsOf(constOf(shapeV, 'the shape'));
  const out = b.node(
    'Reshape',
    [b.plain(x), b.constant(toInt64(target), [target.length], 'int64', `${node.name}/shape`)],
    node.name,
  )[0]!;
  const known = x.shape.every((d) => d >= 0);
  const rest = sizeOf(target.filter((d) => d >= 0));
  const shape = target.map((d) => (d >= 0 ? d : known && rest > 0 ? sizeOf(x.shape) / rest : -1));
  return tensorValue(out, shape, x.dtype, false);
};

/** The converter's op table (Const, Placeholder and Identity are handled by the converter itself). */
export const OP_HANDLERS: Readonly<Record<string, OpHandler>> = {
  Conv2D: conv,
  _FusedConv2D: conv,
  DepthwiseConv2dNative: conv,
  FusedDepthwiseConv2dNative: conv,
  ...Object.fromEntries(Object.keys(BINARY).map((op) => [op, binary])),
  Relu: unary,
  Relu6: unary,
  Sigmoid: unary,
  Tanh: unary,
  Elu: unary,
  LeakyRelu: unary,
  Prelu: prelu,
  MaxPool: pool,
  AvgPool: pool,
  Pad: pad,
  PadV2: pad,
  ...Object.fromEntries(Object.keys(REDUCE).map((op) => [op, reduce])),
  ResizeBilinear: resizeBilinear,
  ConcatV2: concat,
  Reshape: reshape,
  ...Object.fromEntries(Object.keys(COMPARE).map((op) => [op, compare])),
  FloorDiv: floorDivMod,
  FloorMod: floorDivMod,
  Cast: cast,
  TopKV2: topK,
  ExpandDims: expandDims,
  GatherV2: gather,
  StridedSlice: stridedSlice,
};
