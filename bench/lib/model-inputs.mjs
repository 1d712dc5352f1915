// The real inputs the model-level benchmarks (convert, browser-engines) feed each vision model,
// preprocessed as the vision tasks do: one COCO photo for CenterNet, and one labelled face photo
// for BlazeFace (letterboxed), FaceMesh (a crop around the eyes and nose) and Iris (a crop around
// the left eye).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Decodes the photos and returns one input maker per model key (`centernet`, `blazeface`,
 * `facemesh`, `iris`), each giving the model's NHWC float32 input.
 */
export async function visionModelInputs(core, datasets) {
  const detectionPhoto = await core.decodeImage(
    join(datasets, 'object_detection', 'images', '000000397133.jpg'),
  );
  const facePhoto = await core.decodeImage(join(datasets, 'faces', 'images', '000000162415.jpg'));
  // The first labelled face of that photo: eyes and nose, for the FaceMesh and Iris crops.
  const face = JSON.parse(readFileSync(join(datasets, 'faces', 'labels', '000000162415.json'), 'utf8'))[0];
  const k = face.face_keypoints;
  const crop = (cx, cy, side, size) =>
    core.warpAffine(facePhoto, [side / size, 0, cx - side / 2, 0, side / size, cy - side / 2], size, size);
  const floats = (pixels, map) => Float32Array.from(pixels.data, map);
  const letterbox = (pixels, size) => {
    const s = size / Math.max(pixels.width, pixels.height);
    const padX = (size - pixels.width * s) / 2;
    const padY = (size - pixels.height * s) / 2;
    return core.warpAffine(pixels, [1 / s, 0, -padX / s, 0, 1 / s, -padY / s], size, size);
  };
  return {
    centernet: () => floats(core.resizePixels(detectionPhoto, 512, 512), (v) => v),
    blazeface: () => floats(letterbox(facePhoto, 256), (v) => (v / 255) * 2 - 1),
    facemesh: () =>
      floats(
        crop(
          (k.left_eye.x + k.right_eye.x + k.nose.x) / 3,
          (k.left_eye.y + k.right_eye.y + k.nose.y) / 3,
          3.5 * face.interocular_px,
          192,
        ),
        (v) => v / 255,
      ),
    iris: () => floats(crop(k.left_eye.x, k.left_eye.y, 1.2 * face.interocular_px, 64), (v) => v / 255),
  };
}
