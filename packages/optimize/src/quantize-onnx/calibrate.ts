import { ModelLoadError, parseOptions } from '@ondevice/core';
import { getOrt } from '@ondevice/core/onnx';
import { encodeOnnxModel, OnnxDataType } from '../convert/onnx-proto.js';
import { decodeOnnxModel } from './onnx-read.js';
import { type ActivationRanges, type CalibrateOnnxOptions, calibrateOnnxOptionsSchema } from './options.js';
import { planQuantization } from './plan.js';

/**
 * The model with every activation {@link planQuantization} quantises added as a graph output, so
 * one run shows all their values. Returns the bytes and those tensor names.
 *
 * @example
 * ```ts
 * const { onnx: probe, tensors } = calibrationModel(onnx);
 * ```
 */
export function calibrationModel(
  onnx: Uint8Array,
  keepFloat: readonly string[] = [],
): { onnx: Uint8Array; tensors: string[] } {
  const model = decodeOnnxModel(onnx);
  // Planned without `scale` nodes: their outputs get ranges too, so the ranges serve either setting
  // of quantizeOnnxModel's rescaleScalarMul.
  const { rangeTensors } = planQuantization(model, { keepFloat, rescaleScalarMul: false });
  const existing = new Set(model.graph.outputs.map((o) => o.name));
  const outputs = [
    ...model.graph.outputs,
    ...rangeTensors.filter((t) => !existing.has(t)).map((name) => ({ name, dataType: OnnxDataType.FLOAT })),
  ];
  return { onnx: encodeOnnxModel({ ...model, graph: { ...model.graph, outputs } }), tensors: rangeTensors };
}

/** Histogram bins per tensor for the `mse` method. */
const BINS = 2048;
/** Candidate shrink factors of min and max for the `mse` method (1 down to about 0.02). */
const SHRINK = Array.from({ length: 64 }, (_, i) => 0.94 ** i);

/** Per-bin count, sum and sum of squares of one tensor's values over all calibration runs. */
interface Histogram {
  lo: number;
  hi: number;
  count: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
}

/**
 * The `[lo, hi]` (bin edges, lo ≤ 0 ≤ hi) whose uint8 quantisation has the smallest expected
 * squared error over the histogram: rounding error (step² / 12 per value inside) plus clipping
 * error (the squared distance of each value outside to the nearest end).
 */
function mseRange(h: Histogram): [number, number] {
  const width = (h.hi - h.lo) / BINS;
  if (!(width > 0)) return [h.lo, h.hi];
  // Prefix sums: P[i] = over bins < i.
  const n = new Float64Array(BINS + 1);
  const s1 = new Float64Array(BINS + 1);
  const s2 = new Float64Array(BINS + 1);
  for (let i = 0; i < BINS; i++) {
    n[i + 1] = n[i]! + h.count[i]!;
    s1[i + 1] = s1[i]! + h.sum[i]!;
    s2[i + 1] = s2[i]! + h.sumSq[i]!;
  }
  const edge = (v: number) => Math.min(BINS, Math.max(0, Math.round((v - h.lo) / width)));
  const los = h.lo < 0 ? SHRINK.map((f) => h.lo * f) : [h.lo];
  const his = h.hi > 0 ? SHRINK.map((f) => h.hi * f) : [h.hi];
  let best: [number, number] = [h.lo, h.hi];
  let bestErr = Number.POSITIVE_INFINITY;
  for (const a0 of los) {
    const ia = edge(a0);
    const a = h.lo + ia * width;
    for (const b0 of his) {
      const ib = edge(b0);
      const b = h.lo + ib * width;
      if (b - a <= 0) continue;
      const step = (Math.max(b, 0) - Math.min(a, 0)) / 255;
      // Below a: Σ (x − a)² = Σx² − 2aΣx + a²n; above b likewise.
      const below = s2[ia]! - 2 * a * s1[ia]! + a * a * n[ia]!;
      const above = s2[BINS]! - s2[ib]! - 2 * b * (s1[BINS]! - s1[ib]!) + b * b * (n[BINS]! - n[ib]!);
      const inside = ((n[ib]! - n[ia]!) * step * step) / 12;
      const err = below + above + inside;
      if (err < bestErr) {
        bestErr = err;
        best = [a, b];
      }
    }
  }
  return best;
}

/**
 * Measures the range of every activation {@link quantizeOnnxModel} will quantise, by running the
 * float model on real inputs with onnxruntime (onnxruntime-node in Node, else its WASM build).
 * `method: 'minmax'` takes the smallest and largest value seen; `'mse'` (the default) the range
 * with the smallest expected squared quantisation error over all values seen (rare outliers are
 * clipped when that costs less than coarser steps for everything else), except for tensors whose
 * values leave the int8 part of the graph (`exits` of the plan: what the model outputs is never
 * clipped), which keep min to max. Tensors read only by a float Sigmoid start at −12 at the lowest.
 * The result is plain data (sorted by name; numbers rounded to 7 significant digits) that can be
 * stored and passed to {@link quantizeOnnxModel} later, so the quantised bytes do not depend on
 * having the calibration inputs at hand.
 *
 * @example
 * ```ts
 * const ranges = await calibrateOnnxModel({
 *   onnx,
 *   inputs: photos.map((data) => ({ input_1: { data, dims: [1, 192, 192, 3] } })),
 * });
 * ```
 */
export async function calibrateOnnxModel(options: CalibrateOnnxOptions): Promise<ActivationRanges> {
  const opts = parseOptions(calibrateOnnxOptionsSchema, options, 'calibrateOnnxModel');
  const { onnx, tensors } = calibrationModel(opts.onnx, opts.keepFloat);
  const { exits } = planQuantization(decodeOnnxModel(opts.onnx), {
    keepFloat: opts.keepFloat,
    rescaleScalarMul: false,
  });
  const ort = await getOrt('auto');
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(onnx, { graphOptimizationLevel: 'basic' });
  } catch (error) {
    throw new ModelLoadError(
      `calibrateOnnxModel: onnxruntime could not open the model: ${String((error as Error)?.message ?? error)}`,
      { cause: error },
    );
  }
  const forEachRun = async (visit: (name: string, data: Float32Array) => void) => {
    for (const feed of opts.inputs) {
      const feeds = Object.fromEntries(
        Object.entries(feed).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]),
      );
      const out = await session.run(feeds, tensors);
      for (const name of tensors) visit(name, out[name]!.data as Float32Array);
    }
  };
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  const ranges = new Map<string, [number, number]>();
  try {
    await forEachRun((name, data) => {
      let a = lo.get(name) ?? Number.POSITIVE_INFINITY;
      let b = hi.get(name) ?? Number.NEGATIVE_INFINITY;
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (v < a) a = v;
        if (v > b) b = v;
      }
      lo.set(name, a);
      hi.set(name, b);
    });
    for (const t of tensors) ranges.set(t, [lo.get(t)!, hi.get(t)!]);
    if (opts.method === 'mse') {
      const hists = new Map<string, Histogram>();
      for (const t of tensors) {
        const [a, b] = ranges.get(t)!;
        hists.set(t, {
          lo: Math.min(a, 0),
          hi: Math.max(b, 0),
          count: new Float64Array(BINS),
          sum: new Float64Array(BINS),
          sumSq: new Float64Array(BINS),
        });
      }
      await forEachRun((name, data) => {
        const h = hists.get(name)!;
        const k = BINS / (h.hi - h.lo || 1);
        for (let i = 0; i < data.length; i++) {
          const v = data[i]!;
          const bin = Math.min(BINS - 1, Math.max(0, Math.floor((v - h.lo) * k)));
          h.count[bin]!++;
          h.sum[bin]! += v;
          h.sumSq[bin]! += v * v;
        }
      });
      for (const t of tensors) if (!exits.has(t)) ranges.set(t, mseRange(hists.get(t)!));
    }
    // Logits read only by a float Sigmoid: below −12 the sigmoid is under 1e-5, so those values
    // need no levels of their own; the top keeps the full range (scores are not capped).
    for (const [t, ops] of exits) {
      if (!ops.length || ops.some((op) => op !== 'Sigmoid')) continue;
      const [a, b] = ranges.get(t)!;
      ranges.set(t, [Math.max(a, -12), b]);
    }
  } finally {
    await session.release();
  }
  const round = (v: number) => Number(v.toPrecision(7));
  return Object.fromEntries(
    tensors.map((t) => [t, [round(ranges.get(t)![0]), round(ranges.get(t)![1])] as const]),
  );
}
