import { ModelLoadError, OptionsError } from '@ondevice/core';
import { getOrt } from '@ondevice/core/onnx';
import { decodeOnnxModel } from './onnx-read.js';
import type { QuantizeOnnxOptions } from './options.js';
import { quantizeOnnxModel } from './quantize-onnx-model.js';

/** Options of {@link rankUint8WeightSensitivity}. */
export interface Uint8WeightSensitivityOptions {
  /** What {@link quantizeOnnxModel} gets for the baseline (model, ranges, keepFloat, weight bits…). */
  quantize: QuantizeOnnxOptions;
  /** Real inputs (not the evaluation set), preprocessed as at inference: one feed per run. */
  inputs: readonly Record<string, { data: Float32Array; dims: readonly number[] }>[];
  /** Graph outputs compared with the float32 model's. Default: every output. */
  outputs?: readonly string[];
}

/** One Conv node of {@link rankUint8WeightSensitivity}'s answer. */
export interface Uint8WeightSensitivity {
  /** The Conv node's name. */
  node: string;
  /** How much the summed squared output error against float32 falls with this node's weights in uint8 (8 bits). */
  gain: number;
}

/**
 * Per-layer sensitivity of a quantised model to its convolution weights' rounding: for each
 * non-depthwise Conv the plan quantises, the model is quantised again with only that node's weights
 * in `uint8Weights` (8 bits, u8×u8 kernels) and the squared error of the outputs against the float32
 * model, summed over `inputs`, is compared with the baseline's. Returns the baseline error, the error
 * with every such node in uint8, and the nodes by decreasing gain, so the few that matter can be given
 * 8 bits while the rest keep the faster 7-bit int8 kernels. One onnxruntime session per Conv: slow
 * (about a second per node for CenterNet), an offline step.
 *
 * @example
 * ```ts
 * const { ranked } = await rankUint8WeightSensitivity({ quantize: { onnx, ranges, weightBits: 7 }, inputs });
 * const { onnx: int8 } = quantizeOnnxModel({ onnx, ranges, weightBits: 7, uint8Weights: ranked.slice(0, 2).map((r) => r.node) });
 * ```
 */
export async function rankUint8WeightSensitivity(options: Uint8WeightSensitivityOptions): Promise<{
  baseline: number;
  allUint8: number;
  ranked: Uint8WeightSensitivity[];
}> {
  if (!options.inputs.length)
    throw new OptionsError('rankUint8WeightSensitivity: inputs is empty; give at least one feed.');
  const model = decodeOnnxModel(options.quantize.onnx);
  const keep = new Set(options.quantize.keepFloat ?? []);
  const convs = model.graph.nodes
    .filter((n) => {
      if (n.opType !== 'Conv' || keep.has(n.name) || n.outputs.some((o) => keep.has(o))) return false;
      const group = n.attributes?.group;
      return !(group?.kind === 'int' && group.value > 1);
    })
    .map((n) => n.name);
  const ort = await getOrt('auto');
  const open = async (bytes: Uint8Array) => {
    try {
      return await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
    } catch (error) {
      throw new ModelLoadError(
        `rankUint8WeightSensitivity: onnxruntime could not open the model: ${String((error as Error)?.message ?? error)}`,
        { cause: error },
      );
    }
  };
  const feeds = options.inputs.map((f) =>
    Object.fromEntries(
      Object.entries(f).map(([k, t]) => [k, new ort.Tensor('float32', t.data, [...t.dims])]),
    ),
  );
  const outputs = options.outputs ?? model.graph.outputs.map((o) => o.name);
  const reference: Float32Array[][] = [];
  {
    const s = await open(options.quantize.onnx);
    for (const f of feeds) {
      const out = await s.run(f, [...outputs]);
      reference.push(outputs.map((o) => Float32Array.from(out[o]!.data as Float32Array)));
    }
    await s.release();
  }
  const error = async (uint8Weights: string[]) => {
    const { onnx } = quantizeOnnxModel({ ...options.quantize, uint8Weights });
    const s = await open(onnx);
    let e = 0;
    for (const [i, f] of feeds.entries()) {
      const out = await s.run(f, [...outputs]);
      outputs.forEach((o, k) => {
        const a = out[o]!.data as Float32Array;
        const b = reference[i]![k]!;
        for (let j = 0; j < a.length; j++) e += (a[j]! - b[j]!) ** 2;
      });
    }
    await s.release();
    return e;
  };
  const given = [...(options.quantize.uint8Weights ?? [])];
  const base = await error(given);
  const allUint8 = await error(convs);
  const ranked: Uint8WeightSensitivity[] = [];
  for (const node of convs.filter((c) => !given.includes(c)))
    ranked.push({ node, gain: base - (await error([...given, node])) });
  ranked.sort((a, b) => b.gain - a.gain || (a.node < b.node ? -1 : 1));
  return { baseline: base, allUint8, ranked };
}
