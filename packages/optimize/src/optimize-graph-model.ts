import { OptionsError, parseOptions } from '@ondevice/core';
import {
  type DecodedWeight,
  decodeWeights,
  type GraphModelJson,
  shapeSize,
  type WeightEntry,
  type WeightQuantization,
} from './manifest.js';
import { type OptimizeOptions, optimizeOptionsSchema } from './options.js';
import { depthwiseWeightNames, kernelWeightNames, pruneByMagnitude, sparsityOf } from './prune.js';
import { encodeFloat16, quantizeAffine } from './quantize.js';
import { gzipSize } from './size.js';

/** Storage of one float weight: float32 or a manifest quantisation dtype. */
export type WeightStorage = 'float32' | 'uint8' | 'uint16' | 'float16';

/** What happened to one weight. */
export interface WeightReport {
  name: string;
  shape: number[];
  /** Storage before and after. Non-float weights are copied unchanged. */
  from: WeightStorage | string;
  to: WeightStorage | string;
  /** Whether it was magnitude-pruned (a conv/dense kernel of at least `pruneMinElements`). */
  pruned: boolean;
  /** Fraction of exact zeros after optimisation, measured on the written (and dequantised) values. */
  sparsity: number;
  /** Largest |written − intended| over the tensor, where intended is the value after pruning. */
  maxAbsError: number;
  /** Quantisation step (uint8/uint16 only): `maxAbsError` is at most half of it. */
  scale?: number;
}

/** Byte sizes of a model. */
export interface ModelSize {
  modelJsonBytes: number;
  weightsBytes: number;
  /** model.json + weights. */
  totalBytes: number;
  /** Sum of the gzip (node:zlib level 6, or CompressionStream) sizes of model.json and the weights. */
  gzipBytes?: number;
}

/** The report of {@link optimizeGraphModel}. */
export interface OptimizeReport {
  quantize?: 'uint8' | 'uint16' | 'float16';
  prune?: number;
  before: ModelSize;
  after: ModelSize;
  /** after / before. */
  ratio: { raw: number; gzip?: number };
  /** Over the pruned kernels: their count, elements and the fraction of zeros measured after. */
  pruning?: { tensors: number; elements: number; zeros: number; sparsity: number };
  weights: WeightReport[];
}

/** The optimised model. */
export interface OptimizedGraphModel {
  /** The new model.json (one weights group naming `weightsPath`). */
  modelJson: GraphModelJson;
  /** Its bytes, as written (compact JSON). */
  modelJsonBytes: Uint8Array;
  /** The single weights file. */
  weights: Uint8Array;
  weightsPath: string;
  report: OptimizeReport;
}

function storageOf(entry: WeightEntry): WeightStorage | string {
  return entry.quantization?.dtype ?? entry.dtype;
}

/** The weight bytes in manifest order, from bytes or a path → bytes map. @internal */
export function concatWeights(
  json: GraphModelJson,
  weights: OptimizeOptions['weights'],
  where = 'optimizeGraphModel',
): Uint8Array {
  if (weights instanceof Uint8Array) return weights;
  const get = (p: string): Uint8Array | undefined =>
    weights instanceof Map
      ? (weights.get(p) as Uint8Array | undefined)
      : (weights as Record<string, Uint8Array>)[p];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const bytes = get(p) ?? get(p.split('/').pop()!);
      if (!bytes) throw new OptionsError(`${where}: weights: no bytes for "${p}", which model.json names.`);
      parts.push(bytes);
    }
  }
  const out = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

interface Encoded {
  entry: WeightEntry;
  bytes: Uint8Array;
  report: WeightReport;
}

function encodeFloatWeight(
  w: DecodedWeight & { values: Float32Array },
  target: WeightStorage,
  pruned: boolean,
): Encoded {
  const { entry, values } = w;
  const base: WeightEntry = { name: entry.name, shape: entry.shape, dtype: 'float32' };
  if (entry.group) base.group = entry.group;
  let bytes: Uint8Array;
  let written: Float32Array;
  let quantization: WeightQuantization | undefined;
  let scale: number | undefined;
  if (target === 'float32') {
    written = values;
    bytes = new Uint8Array(values.slice().buffer);
  } else if (target === 'float16') {
    const half = encodeFloat16(values);
    bytes = new Uint8Array(half.buffer);
    quantization = { dtype: 'float16' };
    written = decodeWeights(
      { modelTopology: {}, weightsManifest: [{ paths: [], weights: [{ ...base, quantization }] }] },
      bytes,
    )[0]!.values!;
  } else {
    const { codes, quantization: q } = quantizeAffine(values, target);
    bytes = new Uint8Array(codes.buffer);
    quantization = { dtype: q.dtype, min: q.min, scale: q.scale };
    scale = q.scale;
    written = decodeWeights(
      { modelTopology: {}, weightsManifest: [{ paths: [], weights: [{ ...base, quantization }] }] },
      bytes,
    )[0]!.values!;
  }
  let maxAbsError = 0;
  for (let i = 0; i < values.length; i++) {
    const e = Math.abs(written[i]! - values[i]!);
    if (e > maxAbsError) maxAbsError = e;
  }
  const out: WeightEntry = quantization ? { ...base, quantization } : base;
  const report: WeightReport = {
    name: entry.name,
    shape: entry.shape,
    from: storageOf(entry),
    to: target,
    pruned,
    sparsity: sparsityOf(written),
    maxAbsError,
  };
  if (scale !== undefined) report.scale = scale;
  return { entry: out, bytes, report };
}

async function sizeOf(jsonBytes: Uint8Array, weights: Uint8Array, gzip: boolean): Promise<ModelSize> {
  const size: ModelSize = {
    modelJsonBytes: jsonBytes.byteLength,
    weightsBytes: weights.byteLength,
    totalBytes: jsonBytes.byteLength + weights.byteLength,
  };
  if (gzip) {
    const [a, b] = await Promise.all([gzipSize(jsonBytes), gzipSize(weights)]);
    if (a !== undefined && b !== undefined) size.gzipBytes = a + b;
  }
  return size;
}

/**
 * Quantises and/or prunes a TFJS graph model's weights and returns the new model.json and weights
 * file. Quantisation is written the way the TFJS weights manifest expresses it (`quantization: {
 * dtype: 'uint8' | 'uint16', min, scale }` per weight, or `{ dtype: 'float16' }`), so tfjs-converter
 * dequantises it to float32 at load: the files get smaller, inference runs as before in float32.
 * Pruning zeroes the smallest-magnitude values of each conv/dense kernel (not biases, batch-norm
 * parameters or kernels under `pruneMinElements`) to the requested sparsity; zeros survive
 * quantisation exactly. Deterministic: the same input and options give the same bytes.
 *
 * @example
 * ```ts
 * const out = await optimizeGraphModel({ modelJson: jsonText, weights: binBytes, quantize: 'uint8' });
 * console.log(out.report.ratio.raw, out.report.ratio.gzip);
 * // write out.modelJsonBytes as model.json and out.weights as out.weightsPath beside it
 * ```
 */
export async function optimizeGraphModel(options: OptimizeOptions): Promise<OptimizedGraphModel> {
  const opts = parseOptions(optimizeOptionsSchema, options, 'optimizeGraphModel');
  let json: GraphModelJson;
  let inputJsonBytes: Uint8Array;
  try {
    if (typeof opts.modelJson === 'string') {
      inputJsonBytes = new TextEncoder().encode(opts.modelJson);
      json = JSON.parse(opts.modelJson) as GraphModelJson;
    } else if (opts.modelJson instanceof Uint8Array) {
      inputJsonBytes = opts.modelJson;
      json = JSON.parse(new TextDecoder().decode(opts.modelJson)) as GraphModelJson;
    } else {
      json = opts.modelJson as unknown as GraphModelJson;
      inputJsonBytes = new TextEncoder().encode(JSON.stringify(json));
    }
  } catch (error) {
    throw new OptionsError(`optimizeGraphModel: modelJson is not valid JSON: ${String(error)}`, {
      cause: error,
    });
  }
  if (!Array.isArray(json.weightsManifest) || typeof json.modelTopology !== 'object')
    throw new OptionsError('optimizeGraphModel: modelJson has no modelTopology and weightsManifest.');
  const inputWeights = concatWeights(json, opts.weights as OptimizeOptions['weights']);
  let decoded: DecodedWeight[];
  try {
    decoded = decodeWeights(json, inputWeights);
  } catch (error) {
    throw new OptionsError(`optimizeGraphModel: ${String((error as Error).message ?? error)}`, {
      cause: error,
    });
  }

  const kernels = opts.prune ? kernelWeightNames(json) : new Set<string>();
  const keep = opts.keepWeights.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
  );
  const depthwise = opts.quantizeDepthwise ? new Set<string>() : depthwiseWeightNames(json);
  const encoded: Encoded[] = [];
  for (const w of decoded) {
    if (!w.values) {
      encoded.push({
        entry: w.entry,
        bytes: w.raw!,
        report: {
          name: w.entry.name,
          shape: w.entry.shape,
          from: w.entry.dtype,
          to: w.entry.dtype,
          pruned: false,
          sparsity: 0,
          maxAbsError: 0,
        },
      });
      continue;
    }
    const n = shapeSize(w.entry.shape);
    const kept = keep.some((re) => re.test(w.entry.name));
    const prune = !kept && !!opts.prune && kernels.has(w.entry.name) && n >= opts.pruneMinElements;
    const values = prune ? w.values.slice() : w.values;
    if (prune) pruneByMagnitude(values, opts.prune!);
    const current = storageOf(w.entry) as WeightStorage;
    const target: WeightStorage =
      opts.quantize && !kept && !depthwise.has(w.entry.name) && n >= opts.quantizeMinElements
        ? opts.quantize
        : current;
    encoded.push(encodeFloatWeight({ entry: w.entry, values }, target, prune));
  }

  const weightsOut = new Uint8Array(encoded.reduce((n, e) => n + e.bytes.byteLength, 0));
  let at = 0;
  for (const e of encoded) {
    weightsOut.set(e.bytes, at);
    at += e.bytes.byteLength;
  }
  const { weightsManifest: _drop, ...rest } = json;
  const outJson: GraphModelJson = {
    ...rest,
    modelTopology: json.modelTopology,
    weightsManifest: [{ paths: [opts.weightsPath], weights: encoded.map((e) => e.entry) }],
  };
  const modelJsonBytes = new TextEncoder().encode(JSON.stringify(outJson));

  const [before, after] = await Promise.all([
    sizeOf(inputJsonBytes, inputWeights, opts.gzip),
    sizeOf(modelJsonBytes, weightsOut, opts.gzip),
  ]);
  const report: OptimizeReport = {
    before,
    after,
    ratio: { raw: after.totalBytes / before.totalBytes },
    weights: encoded.map((e) => e.report),
  };
  if (before.gzipBytes && after.gzipBytes) report.ratio.gzip = after.gzipBytes / before.gzipBytes;
  if (opts.quantize) report.quantize = opts.quantize;
  if (opts.prune !== undefined) {
    report.prune = opts.prune;
    const pruned = encoded.filter((e) => e.report.pruned);
    const elements = pruned.reduce((s, e) => s + shapeSize(e.entry.shape), 0);
    const zeros = pruned.reduce((s, e) => s + Math.round(e.report.sparsity * shapeSize(e.entry.shape)), 0);
    report.pruning = { tensors: pruned.length, elements, zeros, sparsity: elements ? zeros / elements : 0 };
  }
  return { modelJson: outJson, modelJsonBytes, weights: weightsOut, weightsPath: opts.weightsPath, report };
}
