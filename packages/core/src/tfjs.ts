/**
 * `@ondevice/core/tfjs`: core's tfjs layer, for the packages that run tfjs models. It is a subpath
 * of its own because its types come from tfjs, which core does not depend on: apps that import only
 * `@ondevice/core` (or audio and text) never load tfjs or its types.
 *
 * @packageDocumentation
 */
export type { TensorScope } from './backend/scope.js';
export { createTensorScope, withTensorScope } from './backend/scope.js';
export type { BackendInfo, GraphModel, Tfjs, TfjsBackendModuleName, TfjsModules } from './backend/tfjs.js';
export { getTfjs, loadGraphModel, provideTfjs, TFJS_WASM_FILES } from './backend/tfjs.js';
