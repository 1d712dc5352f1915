import { disableDependencyTelemetry } from './privacy.js';

export type {
  Engine,
  EngineLoadOptions,
  EngineModel,
  EngineName,
  EnginePlan,
  EngineQuery,
  EngineRuntime,
  EngineTensor,
  LoadEngineOptions,
  OnnxRuntimeName,
} from './backend/engine.js';
export { defaultThreads, ENGINE_NAMES, loadEngine, planEngine } from './backend/engine.js';
// onnxruntime itself (getOrt, createOnnxSession, ORT_WASM_FILES, nativeRuntimeAvailable) is at
// `@ondevice/core/onnx` and tfjs at `@ondevice/core/tfjs`: their types are the runtimes', which
// this entry's declarations never load.
export { resolveWasmBase } from './backend/wasm-base.js';
export type { Logger, OnDeviceConfig, TfjsBackendName } from './env.js';
export {
  configure,
  DEFAULT_DOWNLOAD_IDLE_TIMEOUT,
  DEFAULT_DOWNLOAD_RESPONSE_TIMEOUT,
  getConfig,
  isNode,
  resetConfig,
} from './env.js';
export type { OnDeviceErrorCode } from './errors.js';
export {
  AbortedError,
  BackendUnavailableError,
  DisposedError,
  InputError,
  ModelIntegrityError,
  ModelLoadError,
  ModelUnavailableOfflineError,
  OnDeviceError,
  OptionsError,
  TimeoutError,
  throwIfAborted,
  withDeadline,
} from './errors.js';
export type { NmsOptions, Transform2D } from './geometry/boxes.js';
export {
  applyTransformToBox,
  applyTransformToPoint,
  boxFromCorners,
  boxFromPoints,
  clipBox,
  invertTransform,
  iou,
  letterbox,
  nonMaxSuppression,
  rotatePoint,
  scaleBox,
} from './geometry/boxes.js';
export type { BoundingBox, Category, Keypoint, Point } from './geometry/types.js';
export type { AudioInput, AudioSamples } from './input/audio.js';
export {
  checkFinite,
  decodeAudio,
  encodeWav,
  MAX_AUDIO_SECONDS,
  parseWav,
  resample,
  StreamingResampler,
} from './input/audio.js';
export type { DomType } from './input/dom-types.js';
export type { BrowserImageSource, DecodeImageOptions, ImageInput } from './input/image.js';

export { decodeImage } from './input/image.js';
export type { ImagePixels, RawPixels } from './input/pixels.js';
export {
  checkDimensions,
  cropPixels,
  MAX_IMAGE_PIXELS,
  rawToRgb,
  resizePixels,
  toRgba,
  warpAffine,
} from './input/pixels.js';
export type { CachedModelInfo, PartialDownloadInfo } from './model/cache.js';
export { resolveCacheDir, STALE_PARTIAL_MS } from './model/cache.js';
export { storeDerivedModel } from './model/derived.js';
export { sha256Hex } from './model/hash.js';
export { checkModelFilePath, checkModelName, checkModelSpec } from './model/names.js';
export type {
  LoadedModel,
  LoadModelOptions,
  ModelFileSpec,
  ModelProgress,
  ModelSource,
  ModelSpec,
} from './model/spec.js';
export { modelKey, modelMirrorPath, modelSize } from './model/spec.js';
export {
  addModelMirror,
  addModelPackageRoot,
  cleanPartialDownloads,
  deleteCachedModel,
  isModelCached,
  listCachedModels,
  loadModel,
  prefetchModel,
  verifyModel,
} from './model/store.js';
export type { TelemetryState } from './privacy.js';
export { disableDependencyTelemetry, nativeRuntimeIsPrivate, TELEMETRY_SWITCHES } from './privacy.js';
export {
  labelFilterSchema,
  lazyDefault,
  parseOptions,
  scoreThresholdSchema,
  signalSchema,
} from './options.js';
// Browser assets: where runtime and model files are served from, their layout and the npm CDN.
export { missingModelAdvice, notFoundAdvice, wasmAdvice } from './assets/advice.js';
export type { ModelLocation, NpmSource } from './assets/locations.js';
export {
  DEFAULT_ASSETS_URL,
  modelAssetPath,
  modelLocation,
  npmCdnUrl,
  resolveAssetsUrl,
  wasmAssetPath,
} from './assets/locations.js';
export type { RuntimeAssets } from './assets/runtimes.js';
export {
  ONNXRUNTIME_WEB_VERSION,
  RECORDED_RUNTIMES,
  runtimeAssets,
  runtimeSpec,
} from './assets/runtimes.js';
export type {
  OrtWebFiles,
  OrtWebRuntime,
  RuntimeWasmName,
  TfjsWasmFeatures,
  WasmRuntime,
} from './assets/wasm.js';
export { ortWebFiles, runtimeWasmSpec, tfjsWasmPaths } from './assets/wasm.js';
export type { AssetsMode } from './env.js';
export { DEFAULT_CDN_URL } from './env.js';

// Before any dependency's native library can load: keep every dependency's telemetry off.
disableDependencyTelemetry();
