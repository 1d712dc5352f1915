import { decodeFloat16, dequantizeAffine } from './quantize.js';

/** How one weight is stored, as the TFJS weights manifest states it. */
export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  min?: number;
  scale?: number;
  original_dtype?: string;
}

/** One entry of a TFJS weights manifest. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: WeightQuantization;
  group?: string;
}

/** One group of a TFJS weights manifest: its files, concatenated, hold its weights in order. */
export interface WeightsGroup {
  paths: string[];
  weights: WeightEntry[];
}

/** A TFJS graph model's `model.json`. */
export interface GraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  modelTopology: { node?: { name: string; op: string; input?: string[] }[]; [key: string]: unknown };
  weightsManifest: WeightsGroup[];
  userDefinedMetadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A decoded weight: float values as float32 (dequantised), others as their raw bytes. */
export interface DecodedWeight {
  entry: WeightEntry;
  /** Dequantised values of a float32 weight. */
  values?: Float32Array;
  /** The stored bytes of a non-float weight (int32, bool, string...), kept as they are. */
  raw?: Uint8Array;
}

const BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function elements(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function storedBytes(entry: WeightEntry, data: Uint8Array, offset: number): number {
  const n = elements(entry.shape);
  if (entry.quantization) return n * BYTES[entry.quantization.dtype]!;
  if (entry.dtype === 'string') {
    // Each string: a little-endian uint32 byte length, then its bytes.
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let at = offset;
    for (let i = 0; i < n; i++) at += 4 + view.getUint32(at, true);
    return at - offset;
  }
  const size = BYTES[entry.dtype];
  if (!size) throw new Error(`weight ${entry.name} has an unsupported dtype ${entry.dtype}`);
  return n * size;
}

/** Copies `length` bytes at `offset` into a fresh, aligned buffer (also for a Node Buffer, whose slice is a view). */
function slice(data: Uint8Array, offset: number, length: number): Uint8Array {
  return Uint8Array.prototype.slice.call(data, offset, offset + length);
}

/**
 * Splits a graph model's weight bytes (all weight files concatenated in manifest order) into its
 * weights, dequantising float weights to float32 exactly as tfjs-core does at load.
 *
 * @example
 * ```ts
 * const weights = decodeWeights(json, bin);
 * console.log(weights.map((w) => w.entry.name));
 * ```
 */
export function decodeWeights(json: GraphModelJson, data: Uint8Array): DecodedWeight[] {
  const out: DecodedWeight[] = [];
  let offset = 0;
  for (const group of json.weightsManifest) {
    for (const entry of group.weights) {
      const length = storedBytes(entry, data, offset);
      if (offset + length > data.byteLength)
        throw new Error(`the weights data ends before weight ${entry.name} (needs ${offset + length} bytes)`);
      const bytes = slice(data, offset, length);
      offset += length;
      const q = entry.quantization;
      if (entry.dtype !== 'float32') {
        if (q) throw new Error(`weight ${entry.name}: quantised ${entry.dtype} weights are not supported`);
        out.push({ entry, raw: bytes });
      } else if (!q) {
        out.push({ entry, values: new Float32Array(bytes.buffer, 0, length / 4) });
      } else if (q.dtype === 'float16') {
        out.push({ entry, values: decodeFloat16(new Uint16Array(bytes.buffer, 0, length / 2)) });
      } else {
        if (q.min === undefined || q.scale === undefined)
          throw new Error(`weight ${entry.name}: ${q.dtype} quantisation without min and scale`);
        const codes = q.dtype === 'uint8' ? bytes : new Uint16Array(bytes.buffer, 0, length / 2);
        out.push({ entry, values: dequantizeAffine(codes, { min: q.min, scale: q.scale }) });
      }
    }
  }
  if (offset !== data.byteLength)
    throw new Error(`the manifest describes ${offset} bytes of weights but the data has ${data.byteLength}`);
  return out;
}

/** Number of elements of a shape. @internal */
export const shapeSize = elements;
