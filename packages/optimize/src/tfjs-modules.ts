import { provideTfjs } from '@ondevice/core/tfjs';

// Core does not depend on tfjs: this package does (it reads and checks TFJS graph models), and
// hands core its loaders. The CPU backend for tools; vision adds the browser backends.
provideTfjs({
  from: import.meta.url,
  core: () => import('@tensorflow/tfjs-core'),
  converter: () => import('@tensorflow/tfjs-converter'),
  backends: {
    wasm: () => import('@tensorflow/tfjs-backend-wasm'),
    cpu: () => import('@tensorflow/tfjs-backend-cpu'),
  },
});
