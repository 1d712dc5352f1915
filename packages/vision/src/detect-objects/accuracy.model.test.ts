import { evaluateDetections, readDetectionDataset } from '@ondevice/testkit';
import { describe, expect, it } from 'vitest';
import { createObjectDetector } from './detect-objects.js';
import { OBJECT_DETECTION_MODEL_NAMES, type ObjectDetectionModelName } from './registry.js';

// mAP@0.5 (COCO 101-point AP, averaged over the 55 classes present) and recall@0.5 on the 28 COCO
// photos of datasets/object_detection. Floors sit a little below what was measured
// (fast 0.437 / 0.612, balanced 0.501 / 0.711, accurate 0.511 / 0.692); see the README table.
const FLOORS: Record<ObjectDetectionModelName, { mAP: number; recall: number }> = {
  fast: { mAP: 0.42, recall: 0.59 },
  balanced: { mAP: 0.48, recall: 0.69 },
  accurate: { mAP: 0.49, recall: 0.67 },
};

describe('object detection accuracy on COCO photos', () => {
  it('reaches the measured mAP@0.5 and recall@0.5 per variant; accurate beats fast', async () => {
    const samples = readDetectionDataset();
    expect(samples).toHaveLength(28);
    const measured: Partial<Record<ObjectDetectionModelName, { mAP: number; recall: number }>> = {};
    for (const model of OBJECT_DETECTION_MODEL_NAMES) {
      using detector = await createObjectDetector({ model, scoreThreshold: 0.01, maxResults: 100 });
      const images = [];
      for (const s of samples) {
        images.push({ id: s.id, groundTruth: s.groundTruth, detections: await detector.detect(s.imagePath) });
      }
      const r = evaluateDetections(images, { iouThreshold: 0.5, maxDetections: 100 });
      measured[model] = { mAP: r.mAP, recall: r.recall };
      console.log(
        `${model}: mAP@0.5 ${r.mAP.toFixed(4)}, recall@0.5 ${r.recall.toFixed(4)} (${r.classes} classes, ${r.groundTruth} boxes)`,
      );
    }
    for (const model of OBJECT_DETECTION_MODEL_NAMES) {
      expect(measured[model]!.mAP, `${model} mAP`).toBeGreaterThanOrEqual(FLOORS[model].mAP);
      expect(measured[model]!.recall, `${model} recall`).toBeGreaterThanOrEqual(FLOORS[model].recall);
    }
    expect(measured.accurate!.mAP).toBeGreaterThan(measured.fast!.mAP);
  });
});
