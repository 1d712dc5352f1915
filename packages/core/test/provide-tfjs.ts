// Core does not depend on tfjs; its tests provide it from core's devDependencies, as
// @ondevice/vision does for apps.
import { provideTfjs } from '../src/tfjs.js';

provideTfjs({
  from: import.meta.url,
  core: () => import('@tensorflow/tfjs-core'),
  converter: () => import('@tensorflow/tfjs-converter'),
  backends: {
    wasm: () => import('@tensorflow/tfjs-backend-wasm'),
    cpu: () => import('@tensorflow/tfjs-backend-cpu'),
    webgl: () => import('@tensorflow/tfjs-backend-webgl'),
    webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  },
});
