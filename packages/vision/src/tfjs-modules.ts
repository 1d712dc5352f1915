import { provideTfjs } from '@ondevice/core/tfjs';

// Core does not depend on tfjs (audio and text apps do not need it): this package does, and hands
// core its loaders. Static import()s, so bundlers emit only the backends a page loads.
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
