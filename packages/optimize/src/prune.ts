import type { GraphModelJson } from './manifest.js';

/** Ops whose second input is a weight kernel (conv filters, dense matrices). */
const KERNEL_OPS = new Set([
  'Conv2D',
  '_FusedConv2D',
  'Conv2DBackpropInput',
  'DepthwiseConv2d',
  'DepthwiseConv2dNative',
  'FusedDepthwiseConv2dNative',
  'Conv3D',
  'MatMul',
  '_FusedMatMul',
  'BatchMatMul',
  'BatchMatMulV2',
  'Conv1D',
]);

/**
 * Names of the weights a graph model uses as conv or dense kernels (the filter input of a conv or
 * the matrix of a MatMul). Biases, batch-norm parameters and other constants are not among them.
 *
 * @example
 * ```ts
 * const kernels = kernelWeightNames(json); // Set { 'MobilenetV3/Conv/weights', ... }
 * ```
 */
export function kernelWeightNames(json: GraphModelJson): Set<string> {
  const names = new Set<string>();
  for (const node of json.modelTopology.node ?? []) {
    if (!KERNEL_OPS.has(node.op)) continue;
    // The filter is input 1 for all of them (Conv2DBackpropInput: output_shape, filter, input).
    const input = node.input?.[1];
    if (!input) continue;
    names.add(input.replace(/^\^/, '').replace(/:\d+$/, ''));
  }
  return names;
}

/**
 * Magnitude pruning of one tensor: sets the `round(sparsity × n)` values of smallest magnitude to
 * zero (ties broken by position, so the count is exact), in place. Values already zero count
 * toward the target.
 *
 * @example
 * ```ts
 * const w = new Float32Array([0.1, -2, 0.05, 3]);
 * pruneByMagnitude(w, 0.5); // w = [0, -2, 0, 3]
 * ```
 */
export function pruneByMagnitude(values: Float32Array, sparsity: number): number {
  if (!(sparsity >= 0 && sparsity <= 1)) throw new RangeError(`sparsity must be in [0, 1], got ${sparsity}`);
  const k = Math.round(sparsity * values.length);
  if (k === 0) return 0;
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const mags = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) mags[i] = Math.abs(values[i]!);
  order.sort((a, b) => mags[a]! - mags[b]! || a - b);
  for (let i = 0; i < k; i++) values[order[i]!] = 0;
  return k;
}

/**
 * Fraction of exact zeros in a tensor.
 *
 * @example
 * ```ts
 * sparsityOf(new Float32Array([0, 1, 0, 2])); // 0.5
 * ```
 */
export function sparsityOf(values: Float32Array): number {
  if (!values.length) return 0;
  let zeros = 0;
  for (const v of values) if (v === 0) zeros++;
  return zeros / values.length;
}

const DEPTHWISE_OPS = new Set(['DepthwiseConv2d', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);

/**
 * Names of the weights a graph model uses as depthwise conv kernels. Their per-channel ranges differ
 * widely once batch norm is folded in, so one uint8 scale per tensor loses them (see the README).
 *
 * @example
 * ```ts
 * const depthwise = depthwiseWeightNames(json);
 * ```
 */
export function depthwiseWeightNames(json: GraphModelJson): Set<string> {
  const names = new Set<string>();
  for (const node of json.modelTopology.node ?? []) {
    const input = DEPTHWISE_OPS.has(node.op) ? node.input?.[1] : undefined;
    if (input) names.add(input.replace(/^\^/, '').replace(/:\d+$/, ''));
  }
  return names;
}
