// Node half of loading onnxruntime (selected by `#platform/ort` in package.json `imports`).
import type * as Ort from 'onnxruntime-common';
import { importNodeOnly } from './load.node.js';

/** @internal onnxruntime-node, the native engine (an optional peer: rejects when not installed). */
export function loadNativeOnnxRuntime(): Promise<typeof Ort> {
  return importNodeOnly<typeof Ort>('onnxruntime-node');
}

/** @internal onnxruntime-web's WASM build, from the installed package. */
export async function loadWebOnnxRuntime(): Promise<typeof Ort> {
  return (await import('onnxruntime-web/wasm')) as unknown as typeof Ort;
}
