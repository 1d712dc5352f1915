import { ModelLoadError } from '@ondevice/core';

/**
 * A TFJS graph node the ONNX converter cannot translate: its op (or one of its attributes) is not
 * covered. A {@link ModelLoadError} (code `ERR_MODEL_LOAD`) that names the op and node and lists
 * the ops the converter supports.
 *
 * @example
 * ```ts
 * try {
 *   convertGraphModelToOnnx({ modelJson, weights });
 * } catch (error) {
 *   if (error instanceof UnsupportedOpError) console.error(error.op, error.node);
 * }
 * ```
 */
export class UnsupportedOpError extends ModelLoadError {
  /** The TFJS op, e.g. `TopKV2`. */
  readonly op: string;
  /** The name of the graph node that uses it. */
  readonly node: string;
  /** The ops the converter covers. */
  readonly supportedOps: readonly string[];
  constructor(op: string, node: string, supportedOps: readonly string[], detail?: string) {
    super(
      `convertGraphModelToOnnx: op ${op} (node "${node}") is not supported${detail ? `: ${detail}` : ''}. ` +
        `Supported ops: ${supportedOps.join(', ')}. If the graph's outputs you need do not depend on it, ` +
        'pass them as `outputs` (CLI: --outputs) so the converter stops there.',
    );
    this.name = 'UnsupportedOpError';
    this.op = op;
    this.node = node;
    this.supportedOps = supportedOps;
  }
}

/** Thrown by an op handler for a case it does not cover; the converter turns it into an {@link UnsupportedOpError}. @internal */
export class NotCovered extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'NotCovered';
  }
}
