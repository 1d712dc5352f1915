// @ondevice/optimize: weight quantisation and magnitude pruning of TFJS graph models, and their
// conversion to ONNX.

// convert (TFJS graph model → ONNX)
export type { ConvertedOnnxModel, OnnxTensorInfo } from './convert/convert-graph-model.js';
export { convertGraphModelToOnnx, ONNX_OPSET, SUPPORTED_TFJS_OPS } from './convert/convert-graph-model.js';
export { UnsupportedOpError } from './convert/errors.js';
export type { ConvertFilesOptions } from './convert/files.js';
export { convertGraphModelFileToOnnx } from './convert/files.js';
export type { ConvertOptions } from './convert/options.js';
export { convertOptionsSchema } from './convert/options.js';

// optimize-graph-model
export type { OptimizeFilesOptions } from './files.js';
export { optimizeGraphModelFiles } from './files.js';
export { fromFloat16Bits, toFloat16Bits } from './float16.js';
export { loadGraphModelFromMemory } from './load.js';
export type {
  DecodedWeight,
  GraphModelJson,
  WeightEntry,
  WeightQuantization,
  WeightsGroup,
} from './manifest.js';
export { decodeWeights } from './manifest.js';
export type {
  ModelSize,
  OptimizedGraphModel,
  OptimizeReport,
  WeightReport,
  WeightStorage,
} from './optimize-graph-model.js';
export { optimizeGraphModel } from './optimize-graph-model.js';
export type { OptimizeOptions } from './options.js';
export { optimizeOptionsSchema } from './options.js';
export { depthwiseWeightNames, kernelWeightNames, pruneByMagnitude, sparsityOf } from './prune.js';
export type { AffineQuantization, QuantizeDtype } from './quantize.js';
export { decodeFloat16, dequantizeAffine, encodeFloat16, quantizeAffine } from './quantize.js';
export { gzipSize } from './size.js';

// quantize-onnx (float32 ONNX → int8 QDQ ONNX, calibrated)
export { calibrateOnnxModel, calibrationModel } from './quantize-onnx/calibrate.js';
export { decodeOnnxModel } from './quantize-onnx/onnx-read.js';
export type { ActivationRanges, CalibrateOnnxOptions, QuantizeOnnxOptions } from './quantize-onnx/options.js';
export { calibrateOnnxOptionsSchema, quantizeOnnxOptionsSchema } from './quantize-onnx/options.js';
export type { PlanOptions, QuantKind, QuantPlan } from './quantize-onnx/plan.js';
export { planQuantization } from './quantize-onnx/plan.js';
export type { QuantizedOnnxModel } from './quantize-onnx/quantize-onnx-model.js';
export { activationParams, quantizeOnnxModel } from './quantize-onnx/quantize-onnx-model.js';
export type { Uint8WeightSensitivity, Uint8WeightSensitivityOptions } from './quantize-onnx/sensitivity.js';
export { rankUint8WeightSensitivity } from './quantize-onnx/sensitivity.js';
