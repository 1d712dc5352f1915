// The conversion context: TF values (with their layout), ONNX nodes and initializers emitted so
// far, and unique names. TF graphs here are NHWC; 4-D activations are kept as NCHW in ONNX (one
// transpose after the input) and transposed back only where an op needs the TF layout.
import { NotCovered } from './errors.js';
import {
  OnnxDataType,
  type OnnxAttributeValue,
  type OnnxDataTypeValue,
  type OnnxNode,
  type OnnxTensor,
} from './onnx-proto.js';
import { bytesOf, type ConstData, type DType, transposeData } from './tensor.js';

/** An attribute of a TFJS graph node, as model.json stores it. */
export interface TfAttr {
  list?: { i?: string[]; s?: string[]; f?: number[] };
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean };
}

/** A TFJS graph node. */
export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

/** A TF tensor during conversion. */
export interface Value {
  /** Logical (TF, NHWC) shape; -1 where unknown. */
  shape: number[];
  dtype: DType;
  /** Whether the ONNX tensor `name` holds the NCHW transpose of this rank-4 value. */
  nchw: boolean;
  /** The ONNX tensor holding it; undefined for a constant never used as a tensor yet. */
  name?: string;
  /** Values of a constant, in TF layout. */
  data?: ConstData;
  /** Names of layout variants already emitted. */
  plainName?: string;
  nchwName?: string;
  /** Hint for names derived from it. */
  hint: string;
}

/** NHWC → NCHW and back. */
export const TO_NCHW = [0, 3, 1, 2] as const;
export const TO_NHWC = [0, 2, 3, 1] as const;
/** The NCHW axis of each NHWC axis. */
export const NCHW_AXIS_OF = [0, 2, 3, 1] as const;

const ONNX_TYPE: Record<DType, OnnxDataTypeValue> = {
  float32: OnnxDataType.FLOAT,
  int32: OnnxDataType.INT32,
  int64: OnnxDataType.INT64,
  bool: OnnxDataType.BOOL,
};

/** The ONNX element type of a dtype. */
export function onnxTypeOf(dtype: DType): OnnxDataTypeValue {
  return ONNX_TYPE[dtype];
}

/** Reading TFJS node attributes. */
export const attr = {
  ints(node: TfNode, key: string, fallback?: number[]): number[] {
    const a = node.attr?.[key];
    if (!a?.list) {
      if (fallback) return fallback;
      throw new NotCovered(`attribute ${key} is missing`);
    }
    return (a.list.i ?? []).map(Number);
  },
  string(node: TfNode, key: string, fallback?: string): string {
    const a = node.attr?.[key];
    if (a?.s === undefined) {
      if (fallback !== undefined) return fallback;
      throw new NotCovered(`attribute ${key} is missing`);
    }
    return decodeBase64(a.s);
  },
  strings(node: TfNode, key: string): string[] {
    return (node.attr?.[key]?.list?.s ?? []).map(decodeBase64);
  },
  bool(node: TfNode, key: string, fallback = false): boolean {
    return node.attr?.[key]?.b ?? fallback;
  },
  float(node: TfNode, key: string, fallback: number): number {
    const f = node.attr?.[key]?.f;
    return f === undefined ? fallback : Number(f);
  },
  int(node: TfNode, key: string, fallback: number): number {
    const i = node.attr?.[key]?.i;
    return i === undefined ? fallback : Number(i);
  },
};

function decodeBase64(s: string): string {
  const bin = atob(s);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** Emits ONNX nodes and initializers with unique, deterministic names. */
export class OnnxBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private readonly scalars = new Map<string, string>();

  /** Marks names as taken (graph inputs and outputs). */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** A name not used yet: `base`, else `base_1`, `base_2`… */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Appends a node; returns its output names. */
  node(
    opType: string,
    inputs: readonly string[],
    hint: string,
    attributes?: Record<string, OnnxAttributeValue>,
    outputs = 1,
  ): string[] {
    const outs = Array.from({ length: outputs }, (_, i) => this.unique(i ? `${hint}:${i}` : hint));
    this.nodes.push({ name: outs[0]!, opType, inputs, outputs: outs, ...(attributes ? { attributes } : {}) });
    return outs;
  }

  /** Appends an Identity node writing `src` to the (reserved) graph output `name`. */
  output(src: string, name: string): void {
    this.nodes.push({
      name: this.unique(`${name}/identity`),
      opType: 'Identity',
      inputs: [src],
      outputs: [name],
    });
  }

  /** Appends an initializer; returns its name. */
  constant(data: ConstData, dims: readonly number[], dtype: DType, hint: string): string {
    const name = this.unique(hint);
    this.initializers.push({ name, dims: [...dims], dataType: onnxTypeOf(dtype), rawData: bytesOf(data) });
    return name;
  }

  /** A shared float32 scalar initializer. */
  scalar(value: number): string {
    const key = String(value);
    let name = this.scalars.get(key);
    if (!name) {
      name = this.constant(Float32Array.of(value), [], 'float32', `const/${key}`);
      this.scalars.set(key, name);
    }
    return name;
  }

  /** The ONNX tensor holding `v` in TF layout. */
  plain(v: Value): string {
    if (v.plainName) return v.plainName;
    if (v.data) {
      v.plainName = this.constant(v.data, v.shape, v.dtype, v.hint);
    } else if (v.nchw) {
      v.plainName = this.node('Transpose', [v.name!], `${v.hint}/nhwc`, {
        perm: { kind: 'ints', value: TO_NHWC },
      })[0]!;
    } else {
      v.plainName = v.name!;
    }
    return v.plainName;
  }

  /**
   * The ONNX tensor holding a rank-4 `v` as NCHW. Constants of lower rank are first given leading
   * ones (as broadcasting would), so a per-channel `[C]` becomes `[1, C, 1, 1]`.
   */
  nchw(v: Value): string {
    if (v.nchwName) return v.nchwName;
    if (v.data) {
      if (v.shape.length > 4) throw new Error(`internal: ${v.hint} has rank ${v.shape.length}`);
      const shape4 = [...new Array<number>(4 - v.shape.length).fill(1), ...v.shape];
      const data = transposeData(v.data, shape4, TO_NCHW);
      v.nchwName = this.constant(
        data,
        TO_NCHW.map((a) => shape4[a]!),
        v.dtype,
        `${v.hint}/nchw`,
      );
    } else if (v.nchw) {
      v.nchwName = v.name!;
    } else {
      if (v.shape.length !== 4) throw new Error(`internal: ${v.hint} is not 4-D`);
      v.nchwName = this.node('Transpose', [v.name!], `${v.hint}/nchw`, {
        perm: { kind: 'ints', value: TO_NCHW },
      })[0]!;
    }
    return v.nchwName;
  }
}

/** A tensor value produced by an ONNX node. */
export function tensorValue(name: string, shape: number[], dtype: DType, nchw: boolean, hint = name): Value {
  return nchw
    ? { name, shape, dtype, nchw, nchwName: name, hint }
    : { name, shape, dtype, nchw, plainName: name, hint };
}

/** Whether a constant broadcasts the same in any layout (a scalar or all ones but one element). */
export function layoutFree(v: Value): boolean {
  return v.shape.every((d) => d === 1);
}
