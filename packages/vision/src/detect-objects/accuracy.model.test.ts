import { evaluateDetections, readDetectionDataset } from '@ondevice/testkit';
import { describe, expect, it } from 'vitest';
import { createObjectDetector } from './detect-objects.js';
import { OBJECT_DETECTION_MODEL_NAMES, type ObjectDetectionModelName } from './registry.js';

// mAP@0.5 (COCO 101-point AP, averaged over the 55 classes present), recall@0.5 and the recall of
// the 99 small boxes (< 32² px) on the 28 COCO photos of datasets/object_detection. Floors sit a
// little below what was measured (mAP / recall / small recall: fast 0.437 / 0.612 / 0.313,
// balanced 0.501 / 0.711 / 0.455, accurate with its tiled pass 0.555 / 0.761 / 0.586); see the
// README table.
const FLOORS: Record<ObjectDetectionModelName, { mAP: number; recall: number; smallRecall: number }> = {
  fast: { mAP: 0.42, recall: 0.59, smallRecall: 0.29 },
  balanced: { mAP: 0.48, recall: 0.69, smallRecall: 0.43 },
  accurate: { mAP: 0.535, recall: 0.74, smallRecall: 0.56 },
};

describe('object detection accuracy on COCO photos', () => {
  it('reaches the measured mAP@0.5 and recall@0.5 per variant; accurate beats fast', async () => {
    const samples = readDetectionDataset();
    expect(samples).toHaveLength(28);
    const measured: Partial<
      Record<ObjectDetectionModelName, { mAP: number; recall: number; smallRecall: number }>
    > = {};
    for (const model of OBJECT_DETECTION_MODEL_NAMES) {
      using detector = await createObjectDetector({ model, scoreThreshold: 0.01, maxResults: 100 });
      const images = [];
      for (const s of samples) {
        images.push({ id: s.id, groundTruth: s.groundTruth, detections: await detector.detect(s.imagePath) });
      }
      const r = evaluateDetections(images, { iouThreshold: 0.5, maxDetections: 100 });
      // Recall of the small objects (< 32² px, COCO's "small"): the other boxes left out.
      const small = evaluateDetections(
        images.map((i) => ({
          ...i,
          groundTruth: i.groundTruth.filter((g) => g.iscrowd || g.box.width * g.box.height < 32 * 32),
        })),
        { iouThreshold: 0.5, maxDetections: 100 },
      );
      measured[model] = { mAP: r.mAP, recall: r.recall, smallRecall: small.recall };
      console.log(
        `${model}: mAP@0.5 ${r.mAP.toFixed(4)}, recall@0.5 ${r.recall.toFixed(4)}, small recall ${small.recall.toFixed(4)} of ${small.groundTruth} (${r.classes} classes, ${r.groundTruth} boxes)`,
      );
    }
    for (const model of OBJECT_DETECTION_MODEL_NAMES) {
      expect(measured[model]!.mAP, `${model} mAP`).toBeGreaterThanOrEqual(FLOORS[model].mAP);
      expect(measured[model]!.recall, `${model} recall`).toBeGreaterThanOrEqual(FLOORS[model].recall);
      expect(measured[model]!.smallRecall, `${model} small recall`).toBeGreaterThanOrEqual(
        FLOORS[model].smallRecall,
      );
    }
    expect(measured.accurate!.mAP).toBeGreaterThan(measured.fast!.mAP);
    // accurate earns its name: at least 3 mAP points and 0.08 small-object recall over balanced.
    expect(measured.accurate!.mAP).toBeGreaterThan(measured.balanced!.mAP + 0.03);
    expect(measured.accurate!.smallRecall).toBeGreaterThan(measured.balanced!.smallRecall + 0.08);
  });
});
