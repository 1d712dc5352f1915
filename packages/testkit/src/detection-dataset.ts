import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroundTruthObject } from './detection-eval.js';
import { datasetPath } from './index.js';

/** One photo of the object-detection evaluation set with its COCO boxes. */
export interface DetectionSample {
  id: string;
  imagePath: string;
  groundTruth: GroundTruthObject[];
}

/**
 * Reads `datasets/object_detection` (COCO photos and their original boxes, crowd regions marked).
 *
 * @example
 * ```ts
 * for (const s of readDetectionDataset()) console.log(s.id, s.groundTruth.length);
 * ```
 */
export function readDetectionDataset(): DetectionSample[] {
  const dir = datasetPath('object_detection');
  return readdirSync(join(dir, 'labels'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const id = f.replace(/\.json$/, '');
      const raw = JSON.parse(readFileSync(join(dir, 'labels', f), 'utf8')) as {
        label: string;
        box: [number, number, number, number];
        iscrowd?: boolean;
      }[];
      return {
        id,
        imagePath: join(dir, 'images', `${id}.jpg`),
        groundTruth: raw.map((r) => ({
          label: r.label,
          box: { x: r.box[0], y: r.box[1], width: r.box[2], height: r.box[3] },
          iscrowd: Boolean(r.iscrowd),
        })),
      };
    });
}
