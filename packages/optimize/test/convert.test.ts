// Small synthetic TFJS graphs: the ops and attribute cases the shipped models do not use (checked
// against tfjs too), option and unsupported-op errors, determinism. No model files needed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionsError, sha256Hex } from '@ondevice/core';
import { getOrt } from '@ondevice/core/onnx';
import { getTfjs } from '@ondevice/core/tfjs';
import { describe, expect, it } from 'vitest';
import {
  convertGraphModelToOnnx,
  type GraphModelJson,
  loadGraphModelFromMemory,
  SUPPORTED_TFJS_OPS,
  UnsupportedOpError,
} from '../src/index.js';

type Attr = Record<string, unknown>;
const b64 = (s: string) => btoa(s);
const list = (...i: number[]) => ({ list: { i: i.map(String) } });
const s = (v: string) => ({ s: b64(v) });
const fused = (...ops: string[]) => ({ list: { s: ops.map(b64) } });

/** Builds a graph model.json + weights from nodes and constants (float32 or int32). */
class GraphBuilder {
  nodes: { name: string; op: string; input?: string[]; attr?: Attr }[] = [];
  weights: { name: string; shape: number[]; dtype: string }[] = [];
  private parts: Uint8Array[] = [];
  private seed = 1;

  input(name: string, shape: number[]): string {
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: {
        dtype: { type: 'DT_FLOAT' },
        shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } },
      },
    });
    return name;
  }

  /** A float32 constant: given values or deterministic pseudo-random ones in [-1, 1). */
  float(name: string, shape: number[], values?: number[]): string {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from(values ?? Array.from({ length: n }, () => this.random()));
    return this.constant(name, shape, 'float32', new Uint8Array(data.buffer));
  }

  int(name: string, shape: number[], values: number[]): string {
    return this.constant(name, shape, 'int32', new Uint8Array(Int32Array.from(values).buffer));
  }

  op(name: string, op: string, input: string[], attr: Attr = {}): string {
    this.nodes.push({ name, op, input, attr });
    return name;
  }

  build(): { json: GraphModelJson; bin: Uint8Array } {
    const bin = new Uint8Array(this.parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of this.parts) {
      bin.set(p, at);
      at += p.byteLength;
    }
    return {
      json: {
        format: 'graph-model',
        modelTopology: { node: this.nodes, library: {}, versions: {} },
        weightsManifest: [{ paths: ['w.bin'], weights: this.weights }],
      },
      bin,
    };
  }

  private constant(name: string, shape: number[], dtype: string, bytes: Uint8Array): string {
    this.nodes.push({
      name,
      op: 'Const',
      attr: { dtype: { type: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' } },
    });
    this.weights.push({ name, shape, dtype });
    this.parts.push(bytes);
    return name;
  }

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return (this.seed / 2 ** 31) * 2 - 1;
  }
}

const NHWC = { data_format: s('NHWC') };

/** A graph with the ops and cases none of the shipped models has. */
function extraOpsGraph() {
  const g = new GraphBuilder();
  const x = g.input('x', [-1, 9, 9, 4]);
  // Asymmetric SAME padding (2×2 kernel, stride 2 on 9 px: 0 before, 1 after), fused LeakyRelu.
  const c1 = g.op('c1', '_FusedConv2D', [x, g.float('k1', [2, 2, 4, 6]), g.float('b1', [6])], {
    ...NHWC,
    strides: list(1, 2, 2, 1),
    dilations: list(1, 1, 1, 1),
    padding: s('SAME'),
    fused_ops: fused('BiasAdd', 'LeakyRelu'),
    leakyrelu_alpha: { f: 0.1 },
    num_args: { i: '1' },
  });
  // Depthwise with channel multiplier 2 and fused Elu.
  const c2 = g.op(
    'c2',
    'FusedDepthwiseConv2dNative',
    [c1, g.float('k2', [3, 3, 6, 2]), g.float('b2', [12])],
    {
      ...NHWC,
      strides: list(1, 1, 1, 1),
      dilations: list(1, 1, 1, 1),
      padding: s('SAME'),
      fused_ops: fused('BiasAdd', 'Elu'),
      num_args: { i: '1' },
    },
  );
  // Explicit padding, dilation 2.
  const c3 = g.op('c3', 'Conv2D', [c2, g.float('k3', [3, 3, 12, 8])], {
    ...NHWC,
    strides: list(1, 1, 1, 1),
    dilations: list(1, 2, 2, 1),
    padding: s('EXPLICIT'),
    explicit_paddings: list(0, 0, 2, 1, 1, 2, 0, 0),
  });
  const b = g.op('bias', 'BiasAdd', [c3, g.float('b3', [8])], NHWC);
  const d = g.op('div', 'RealDiv', [b, g.float('two', [], [2])]);
  const mx = g.op('max', 'Maximum', [d, g.float('floor', [8])]);
  const mn = g.op('min', 'Minimum', [
    mx,
    g.float('ceil', [1, 1, 1, 8], [0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3]),
  ]);
  const t = g.op('tanh', 'Tanh', [mn]);
  const lr = g.op('leaky', 'LeakyRelu', [t], { alpha: { f: 0.3 } });
  const avg = g.op('avg', 'AvgPool', [lr], {
    ...NHWC,
    ksize: list(1, 2, 2, 1),
    strides: list(1, 2, 2, 1),
    padding: s('SAME'),
  });
  const pad = g.op('pad', 'PadV2', [
    avg,
    g.int('paddings', [4, 2], [0, 0, 1, 0, 0, 2, 0, 1]),
    g.float('fill', [], [0.5]),
  ]);
  const sum = g.op('sum', 'Sum', [pad, g.int('hw', [2], [1, 2])], { keep_dims: { b: false } });
  const cmax = g.op('cmax', 'Max', [pad, g.int('c', [1], [-1])], { keep_dims: { b: true } });
  const cmin = g.op('cmin', 'Min', [pad, g.int('c2axis', [1], [3])], { keep_dims: { b: false } });
  const flat = g.op('flat', 'Reshape', [cmax, g.int('flat/shape', [2], [-1, 12])]);
  const flat2 = g.op('flat2', 'Reshape', [cmin, g.int('flat2/shape', [2], [-1, 12])]);
  const sub = g.op('sub', 'Sub', [flat, flat2]);
  g.op('out', 'ConcatV2', [sum, sub, g.int('axis1', [], [1])]);
  g.op('up_ac', 'ResizeBilinear', [lr, g.int('size1', [2], [11, 7])], {
    align_corners: { b: true },
    half_pixel_centers: { b: false },
  });
  g.op('up_hp', 'ResizeBilinear', [lr, g.int('size2', [2], [10, 14])], {
    align_corners: { b: false },
    half_pixel_centers: { b: true },
  });
  return g.build();
}

const OUTPUTS = ['out', 'up_ac', 'up_hp'];

/** onnx.checker with full_check (shape inference included), where Debian's python3-onnx is installed. */
function onnxCheck(bytes: Uint8Array): void {
  if (spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'ignore' }).status !== 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'ondevice-convert-'));
  try {
    writeFileSync(join(dir, 'm.onnx'), bytes);
    const r = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)',
        join(dir, 'm.onnx'),
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Integer and indexing ops (a top-k decoder's): comparisons, casts, floor div/mod with negative operands, slicing. */
function indexOpsGraph() {
  const g = new GraphBuilder();
  const x = g.input('x', [2, 6]);
  g.op('positive', 'Cast', [g.op('gt', 'Greater', [x, g.float('zero', [], [0])])], {
    DstT: { type: 'DT_FLOAT' },
    SrcT: { type: 'DT_BOOL' },
  });
  g.op(
    'le',
    'Cast',
    [g.op('lessEqual', 'LessEqual', [x, g.float('half', [6], [0.5, -0.5, 0, 1, -1, 0.25])])],
    { DstT: { type: 'DT_FLOAT' } },
  );
  const top = g.op('top', 'TopKV2', [x, g.int('k', [], [3])], { sorted: { b: true } });
  const shifted = g.op('shifted', 'Sub', [`${top}:1`, g.int('two', [], [2])]);
  const fd = g.op('fd', 'FloorDiv', [shifted, g.int('div', [], [2])]);
  const fm = g.op('fm', 'FloorMod', [shifted, g.int('negFour', [], [-4])]);
  g.op('ints', 'ConcatV2', [fd, fm, g.int('axis', [], [1])]);
  g.op('fdf', 'FloorDiv', [x, g.float('d', [], [0.7])]);
  g.op('fmf', 'FloorMod', [x, g.float('m', [], [-0.7])]);
  g.op('expanded', 'ExpandDims', [top, g.int('last', [], [-1])]);
  g.op('gathered', 'GatherV2', [x, `${top}:1`, g.int('gatherAxis', [], [1])], { batch_dims: { i: '0' } });
  const ss = (name: string, begin: number[], end: number[], strides: number[], masks: Attr) =>
    g.op(
      name,
      'StridedSlice',
      [x, g.int(`${name}/b`, [2], begin), g.int(`${name}/e`, [2], end), g.int(`${name}/s`, [2], strides)],
      masks,
    );
  ss('every_other', [0, 1], [0, -1], [1, 2], { begin_mask: { i: '1' }, end_mask: { i: '1' } });
  ss('row1', [1, 0], [2, 0], [1, 1], { shrink_axis_mask: { i: '1' }, end_mask: { i: '2' } });
  ss('reversed', [0, -1], [0, 0], [1, -1], { begin_mask: { i: '1' }, end_mask: { i: '1' } });
  ss('last_col', [0, -1], [0, 0], [1, 1], {
    begin_mask: { i: '1' },
    end_mask: { i: '1' },
    shrink_axis_mask: { i: '2' },
  });
  return g.build();
}

const INDEX_OUTPUTS = [
  'positive',
  'le',
  'top',
  'ints',
  'fdf',
  'fmf',
  'expanded',
  'gathered',
  'every_other',
  'row1',
  'reversed',
  'last_col',
];

describe('convertGraphModelToOnnx on synthetic graphs', () => {
  it('covers the ops and padding cases the shipped models do not use, matching tfjs (batch 3)', async () => {
    const { json, bin } = extraOpsGraph();
    const converted = convertGraphModelToOnnx({ modelJson: json, weights: bin, outputs: OUTPUTS });
    expect(converted.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [-1, 9, 9, 4] }]);
    onnxCheck(converted.onnx);
    expect(converted.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['out', [-1, 21]],
      ['up_ac', [-1, 11, 7, 8]],
      ['up_hp', [-1, 10, 14, 8]],
    ]);
    const { tf } = await getTfjs();
    const ort = await getOrt('node');
    const graph = await loadGraphModelFromMemory(json, bin);
    const session = await ort.InferenceSession.create(converted.onnx);
    const data = Float32Array.from({ length: 3 * 9 * 9 * 4 }, (_, i) => Math.sin(i * 1.7) * 3);
    const x = tf.tensor4d(data, [3, 9, 9, 4]);
    const ys = graph.execute(x, OUTPUTS) as ReturnType<typeof tf.tensor>[];
    const onnx = await session.run({ x: new ort.Tensor('float32', data, [3, 9, 9, 4]) });
    for (const [i, name] of OUTPUTS.entries()) {
      const a = (await ys[i]!.data()) as Float32Array;
      const b = onnx[name]!.data as Float32Array;
      expect(onnx[name]!.dims).toEqual(ys[i]!.shape);
      let worst = 0;
      for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j]! - b[j]!));
      expect(worst, name).toBeLessThan(1e-5);
    }
    tf.dispose([x, ...ys]);
    graph.dispose();
    await session.release();
  });

  it('covers the integer and indexing ops of a top-k decoder, matching tfjs (negative floor div/mod too)', async () => {
    const { json, bin } = indexOpsGraph();
    const converted = convertGraphModelToOnnx({ modelJson: json, weights: bin, outputs: INDEX_OUTPUTS });
    onnxCheck(converted.onnx);
    const { tf } = await getTfjs();
    const ort = await getOrt('node');
    const graph = await loadGraphModelFromMemory(json, bin);
    const session = await ort.InferenceSession.create(converted.onnx);
    const data = Float32Array.of(1.3, -2.2, 0.5, 3.1, -0.4, 2.0, -1.5, 0.9, 2.6, -3.3, 0.1, 1.7);
    const x = tf.tensor2d(data, [2, 6]);
    const ys = graph.execute(x, INDEX_OUTPUTS) as ReturnType<typeof tf.tensor>[];
    const onnx = await session.run({ x: new ort.Tensor('float32', data, [2, 6]) });
    for (const [i, name] of INDEX_OUTPUTS.entries()) {
      const want = Array.from(await ys[i]!.data(), Number);
      const got = Array.from(onnx[name]!.data as ArrayLike<number>, Number);
      expect(onnx[name]!.dims, name).toEqual(ys[i]!.shape);
      expect(converted.outputs[i]!.shape, name).toEqual(ys[i]!.shape);
      for (let j = 0; j < want.length; j++)
        expect(Math.abs(got[j]! - want[j]!), `${name}[${j}]`).toBeLessThan(1e-5);
    }
    tf.dispose([x, ...ys]);
    graph.dispose();
    await session.release();
  });

  it('gives the same bytes for the same input, whatever form the input takes', async () => {
    const { json, bin } = extraOpsGraph();
    const a = convertGraphModelToOnnx({ modelJson: json, weights: bin, outputs: OUTPUTS });
    const b = convertGraphModelToOnnx({
      modelJson: new TextEncoder().encode(JSON.stringify(json)),
      weights: { 'w.bin': bin.slice() },
      outputs: OUTPUTS,
    });
    expect(await sha256Hex(b.onnx)).toBe(await sha256Hex(a.onnx));
  });

  it('names an op it does not cover, and its node, and lists the supported ops', () => {
    const g = new GraphBuilder();
    const x = g.input('x', [1, 4]);
    g.op('cumulative', 'Cumsum', [x, g.int('axis', [], [1])]);
    const { json, bin } = g.build();
    expect(() => convertGraphModelToOnnx({ modelJson: json, weights: bin })).toThrow(UnsupportedOpError);
    try {
      convertGraphModelToOnnx({ modelJson: json, weights: bin });
    } catch (error) {
      const e = error as UnsupportedOpError;
      expect(e.op).toBe('Cumsum');
      expect(e.node).toBe('cumulative');
      expect(e.supportedOps).toEqual(SUPPORTED_TFJS_OPS);
      expect(e.message).toMatch(/op Cumsum \(node "cumulative"\) is not supported\. Supported ops: Add, /);
    }
  });

  it('names an attribute case it does not cover (an NCHW conv, a fused op tfjs does not fuse)', () => {
    for (const [attr, detail] of [
      [{ data_format: s('NCHW') }, /data_format NCHW/],
      [{ fused_ops: fused('BiasAdd', 'Tanh'), num_args: { i: '1' } }, /fused_ops \[BiasAdd, Tanh\]/],
    ] as const) {
      const g = new GraphBuilder();
      const x = g.input('x', [1, 4, 4, 2]);
      g.op('conv', '_FusedConv2D', [x, g.float('k', [1, 1, 2, 2]), g.float('b', [2])], {
        ...NHWC,
        strides: list(1, 1, 1, 1),
        padding: s('VALID'),
        ...attr,
      });
      const { json, bin } = g.build();
      expect(() => convertGraphModelToOnnx({ modelJson: json, weights: bin })).toThrow(detail);
    }
  });

  it('names a grouped convolution (filter channels ≠ input channels)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', [1, 4, 4, 4]);
    g.op('conv', 'Conv2D', [x, g.float('k', [1, 1, 2, 2])], {
      ...NHWC,
      strides: list(1, 1, 1, 1),
      padding: s('VALID'),
    });
    const { json, bin } = g.build();
    expect(() => convertGraphModelToOnnx({ modelJson: json, weights: bin })).toThrow(
      /op Conv2D \(node "conv"\) is not supported: a grouped convolution \(4 input channels, filter for 2\)/,
    );
  });

  it('rejects bad options with OptionsError saying what is allowed', () => {
    const { json, bin } = extraOpsGraph();
    expect(() => convertGraphModelToOnnx({ modelJson: json, weights: bin, outputs: ['nope'] })).toThrow(
      /outputs: no node "nope" in the graph. Nodes no other node reads: out, up_ac, up_hp/,
    );
    expect(() =>
      convertGraphModelToOnnx({ modelJson: json, weights: bin, inputShapes: { c1: [1] } }),
    ).toThrow(/inputShapes: "c1" is not an input; inputs: x/);
    expect(() => convertGraphModelToOnnx({ modelJson: '{', weights: bin })).toThrow(OptionsError);
    expect(() => convertGraphModelToOnnx({ modelJson: json, weights: { 'other.bin': bin } })).toThrow(
      /weights: no bytes for "w.bin"/,
    );
    // @ts-expect-error: weights are required
    expect(() => convertGraphModelToOnnx({ modelJson: json })).toThrow(OptionsError);
  });

  it('converts a 20,000-node chain (no recursion), and a cycle is a ModelLoadError', () => {
    const g = new GraphBuilder();
    let prev = g.input('x', [1, 4]);
    for (let i = 0; i < 20_000; i++) prev = g.op(`relu${i}`, 'Relu', [prev]);
    const deep = g.build();
    expect(convertGraphModelToOnnx({ modelJson: deep.json, weights: deep.bin }).onnxNodes).toBe(20_001);
    const c = new GraphBuilder();
    c.input('x', [1, 4]);
    c.op('a', 'AddV2', ['x', 'b']);
    c.op('b', 'Relu', ['a']);
    const cyclic = c.build();
    expect(() =>
      convertGraphModelToOnnx({ modelJson: cyclic.json, weights: cyclic.bin, outputs: ['b'] }),
    ).toThrow(/the graph has a cycle through "b"/);
  });

  it('inputShapes replaces a recorded input shape (e.g. a dynamic batch)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', [1, 4, 4, 2]);
    g.op('y', 'Relu', [x]);
    const { json, bin } = g.build();
    const out = convertGraphModelToOnnx({ modelJson: json, weights: bin, inputShapes: { x: [-1, 4, 4, 2] } });
    expect(out.inputs[0]!.shape).toEqual([-1, 4, 4, 2]);
    expect(out.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: [-1, 4, 4, 2] }]);
  });
});
