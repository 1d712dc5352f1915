/**
 * `@ondevice/core/onnx`: core's onnxruntime layer, for the task packages that open ONNX sessions
 * themselves (OCR, keyword spotting, the ONNX quantiser) and the tools around them. A subpath of its
 * own because its types are onnxruntime's: an app that imports only the main entries of
 * `@ondevice/core`, vision, audio or text never loads onnxruntime's declarations (nor needs the
 * DOM lib they require).
 *
 * @packageDocumentation
 */
import { disableDependencyTelemetry } from './privacy.js';

export type { OnnxRuntimeName } from './backend/engine.js';
export type { OnnxSessionOptions, OrtModule } from './backend/onnx.js';
export {
  createOnnxSession,
  getOrt,
  NATIVE_MISSING,
  nativeRuntimeAvailable,
  ORT_WASM_FILES,
  openOnnxSession,
} from './backend/onnx.js';

// As the main entry does: before onnxruntime-node can load, keep every dependency's telemetry off.
disableDependencyTelemetry();
