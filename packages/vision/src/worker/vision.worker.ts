// @ondevice/vision's Web Worker: with configure({ worker: true }) on a page, the package's tasks
// run here (see ./tasks.ts), off the page's main thread. Started by the package itself.
import { serveTasks } from '@ondevice/core/worker';
import { createFaceLandmarker, detectFaceLandmarks } from '../detect-face-landmarks/detect-face-landmarks.js';
import { createObjectDetector, detectObjects } from '../detect-objects/detect-objects.js';
import { createTextRecognizer, recognizeText } from '../recognize-text/recognize-text.js';

serveTasks({
  detectObjects,
  createObjectDetector,
  detectFaceLandmarks,
  createFaceLandmarker,
  recognizeText,
  createTextRecognizer,
});
