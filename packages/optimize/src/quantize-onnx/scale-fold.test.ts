// Synthetic graphs (no files): Mul by a positive scalar constant on a quantised tensor (hard-swish's
// x / 6) becomes no op at all, only a DequantizeLinear with the scale times the constant; the
// quantisers nobody reads are gone; uint8Weights gives the named convolutions 8-bit uint8 weights.
import { OptionsError } from '@ondevice/core';
import { getOrt } from '@ondevice/core/onnx';
import { describe, expect, it } from 'vitest';
import { encodeOnnxModel, OnnxDataType, type OnnxNode, type OnnxTensor } from '../convert/onnx-proto.js';
import { decodeOnnxModel } from './onnx-read.js';
import { planQuantization } from './plan.js';
import { quantizeOnnxModel } from './quantize-onnx-model.js';
import { rankUint8WeightSensitivity } from './sensitivity.js';

const C = 8;
const HW = 6;
const f32 = (name: string, dims: number[], values: ArrayLike<number>): OnnxTensor => ({
  name,
  dims,
  dataType: OnnxDataType.FLOAT,
  rawData: new Uint8Array(Float32Array.from(values).buffer),
});
const wave = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3) * 0.5);

/**
 * x → Conv → a/6 · (relu6(a + 3) / 6) → Conv → y, NCHW: hard-swish's x / 6 on a tensor that also has
 * another reader, and a hard-sigmoid's / 6 on one (relu6) that has no other reader, whose own
 * dequantiser is then read by nobody.
 */
function hardSwishModel(): Uint8Array {
  const nodes: OnnxNode[] = [
    { name: 'c1', opType: 'Conv', inputs: ['x', 'w1', 'b1'], outputs: ['a'] },
    { name: 'm', opType: 'Mul', inputs: ['sixth', 'a'], outputs: ['a6'] },
    { name: 'p', opType: 'Add', inputs: ['a', 'three'], outputs: ['a3'] },
    { name: 'r', opType: 'Clip', inputs: ['a3', 'zero', 'six'], outputs: ['r6'] },
    { name: 's', opType: 'Mul', inputs: ['r6', 'sixth'], outputs: ['rs'] },
    { name: 'h', opType: 'Mul', inputs: ['a6', 'rs'], outputs: ['hs'] },
    { name: 'c2', opType: 'Conv', inputs: ['hs', 'w2', 'b2'], outputs: ['y'] },
  ];
  return encodeOnnxModel({
    irVersion: 7,
    opsetVersion: 13,
    producerName: 'test',
    graph: {
      name: 'g',
      nodes,
      initializers: [
        f32(
          'w1',
          [C, C, 1, 1],
          wave(C * C, 0.7).map((v) => v * 4),
        ),
        f32('b1', [C], wave(C, 1.3)),
        f32('w2', [C, C, 1, 1], wave(C * C, 1.1)),
        f32('b2', [C], wave(C, 0.9)),
        f32('sixth', [], [1 / 6]),
        f32('three', [], [3]),
        f32('zero', [], [0]),
        f32('six', [], [6]),
      ],
      inputs: [{ name: 'x', dataType: OnnxDataType.FLOAT, shape: [1, C, HW, HW] }],
      outputs: [{ name: 'y', dataType: OnnxDataType.FLOAT, shape: [1, C, HW, HW] }],
    },
  });
}

const input = Float32Array.from({ length: C * HW * HW }, (_, i) => Math.sin(i * 0.37) * 2);

async function run(onnx: Uint8Array, extraOutputs: string[] = []): Promise<Record<string, Float32Array>> {
  const ort = await getOrt('node');
  const s = await ort.InferenceSession.create(onnx, { graphOptimizationLevel: 'disabled' });
  const out = await s.run({ x: new ort.Tensor('float32', input, [1, C, HW, HW]) });
  await s.release();
  return Object.fromEntries(['y', ...extraOutputs].map((k) => [k, out[k]!.data as Float32Array]));
}

/** Ranges from the float model's own values (min/max), for every tensor the plan asks. */
async function rangesOf(onnx: Uint8Array): Promise<Record<string, [number, number]>> {
  const model = decodeOnnxModel(onnx);
  const { rangeTensors } = planQuantization(model);
  const probe = encodeOnnxModel({
    ...model,
    graph: {
      ...model.graph,
      outputs: [
        ...model.graph.outputs,
        ...rangeTensors.filter((t) => t !== 'y').map((name) => ({ name, dataType: OnnxDataType.FLOAT })),
      ],
    },
  });
  const out = await run(
    probe,
    rangeTensors.filter((t) => t !== 'y'),
  );
  return Object.fromEntries(
    rangeTensors.map((t) => {
      const v = t === 'x' ? input : out[t]!;
      return [t, [Math.min(...v), Math.max(...v)]];
    }),
  );
}

describe('quantizeOnnxModel: Mul by a positive scalar', () => {
  it('is planned as `scale` on the input it rescales, needs no range, and the quantised model has no Mul by it', async () => {
    const onnx = hardSwishModel();
    const plan = planQuantization(decodeOnnxModel(onnx));
    const m = decodeOnnxModel(onnx).graph.nodes.findIndex((n) => n.name === 'm');
    expect(plan.kinds.get(m)).toBe('scale');
    expect(plan.scaled.get('a6')).toEqual({ input: 'a', factor: Math.fround(1 / 6) });
    expect(plan.scaled.get('rs')).toEqual({ input: 'r6', factor: Math.fround(1 / 6) });
    expect(plan.rangeTensors).not.toContain('a6');
    expect(plan.rangeTensors).not.toContain('rs');
    const ranges = await rangesOf(onnx);
    const q = quantizeOnnxModel({ onnx, ranges, compactNames: false });
    const nodes = decodeOnnxModel(q.onnx).graph.nodes;
    // Only the product is a Mul; each / 6 is a DequantizeLinear of its input's uint8 values.
    expect(nodes.filter((n) => n.opType === 'Mul').map((n) => n.name)).toEqual(['h']);
    // Every quantiser is read by something.
    const read = new Set(nodes.flatMap((n) => n.inputs));
    for (const n of nodes)
      if (n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear')
        expect(read.has(n.outputs[0]!) || n.outputs[0] === 'y').toBe(true);
    // Exact rescaling: the int8 model's output is as close to float32 as the step of y allows.
    const [a, b] = [(await run(onnx)).y!, (await run(q.onnx)).y!];
    const span = Math.max(...a) - Math.min(...a);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(span / 20);
  });

  it('a negative or non-scalar constant stays a QLinearMul (binary)', () => {
    const model = decodeOnnxModel(hardSwishModel());
    const neg = {
      ...model,
      graph: {
        ...model.graph,
        initializers: model.graph.initializers.map((t) =>
          t.name === 'sixth' ? f32('sixth', [], [-1 / 6]) : t,
        ),
      },
    };
    const m = model.graph.nodes.findIndex((n) => n.name === 'm');
    expect(planQuantization(neg).kinds.get(m)).toBe('binary');
  });
});

describe('quantizeOnnxModel: uint8Weights', () => {
  it('stores the named convolutions as uint8 with zero point 128 and 8 bits, the others as 7-bit int8', async () => {
    const onnx = hardSwishModel();
    const ranges = await rangesOf(onnx);
    const q = quantizeOnnxModel({ onnx, ranges, compactNames: false, uint8Weights: ['c2'] });
    const g = decodeOnnxModel(q.onnx).graph;
    const inits = new Map(g.initializers.map((t) => [t.name, t]));
    const weightOf = (conv: string) => {
      const dq = g.nodes.find((n) => n.outputs[0] === g.nodes.find((c) => c.name === conv)!.inputs[1])!;
      return { w: inits.get(dq.inputs[0]!)!, zp: inits.get(dq.inputs[2]!)! };
    };
    const c1 = weightOf('c1');
    const c2 = weightOf('c2');
    expect(c1.w.dataType).toBe(OnnxDataType.INT8);
    expect(Math.max(...new Int8Array(c1.w.rawData.buffer.slice(0)).map(Math.abs))).toBe(63);
    expect(c2.w.dataType).toBe(OnnxDataType.UINT8);
    expect([...c2.zp.rawData]).toEqual(new Array(C).fill(128));
    const u = [...c2.w.rawData];
    expect(Math.max(...u.map((v) => Math.abs(v - 128)))).toBe(127);
  });

  it('names that are not Conv nodes: OptionsError naming them', async () => {
    const onnx = hardSwishModel();
    const ranges = await rangesOf(onnx);
    expect(() => quantizeOnnxModel({ onnx, ranges, uint8Weights: ['h', 'nope'] })).toThrow(OptionsError);
    expect(() => quantizeOnnxModel({ onnx, ranges, uint8Weights: ['nope'] })).toThrow(/nope/);
  });
});

describe('rankUint8WeightSensitivity', () => {
  it('ranks every quantised non-depthwise Conv by how much 8-bit uint8 weights cut the output error', async () => {
    const onnx = hardSwishModel();
    const ranges = await rangesOf(onnx);
    const r = await rankUint8WeightSensitivity({
      quantize: { onnx, ranges },
      inputs: [{ x: { data: input, dims: [1, C, HW, HW] } }],
    });
    expect(r.ranked.map((x) => x.node).sort()).toEqual(['c1', 'c2']);
    expect(r.ranked[0]!.gain).toBeGreaterThanOrEqual(r.ranked[1]!.gain);
    // 8 bits everywhere is closer to float32 than 7.
    expect(r.allUint8).toBeLessThan(r.baseline);
    await expect(rankUint8WeightSensitivity({ quantize: { onnx, ranges }, inputs: [] })).rejects.toThrow(
      OptionsError,
    );
  });
});
