import { describe, expect, it } from 'vitest';
import { boxIou, type EvalImage, evaluateDetections, interpolatedAp } from './detection-eval.js';

const box = (x: number, y = 0, width = 10, height = 10) => ({ x, y, width, height });

describe('boxIou', () => {
  it('is IoU for normal boxes and intersection over detection area for crowd regions', () => {
    expect(boxIou(box(0), box(5), false)).toBeCloseTo(50 / 150);
    expect(boxIou(box(0), box(0, 0, 100, 100), true)).toBe(1);
    expect(boxIou(box(0), box(20), false)).toBe(0);
  });
});

describe('interpolatedAp', () => {
  it('is 1 for a perfect ranking and 0 with no true positives', () => {
    expect(interpolatedAp([true, true], 2)).toBe(1);
    expect(interpolatedAp([false, false], 2)).toBe(0);
    expect(interpolatedAp([], 2)).toBe(0);
  });

  it('samples the monotone precision envelope at 101 recall points', () => {
    // precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1 → envelope 1, 2/3, 2/3
    expect(interpolatedAp([true, false, true], 2)).toBeCloseTo((51 * 1 + 50 * (2 / 3)) / 101, 10);
    // half the boxes never found: recall points above 0.5 score 0
    expect(interpolatedAp([true], 2)).toBeCloseTo(51 / 101, 10);
  });
});

describe('evaluateDetections', () => {
  const gt = [
    { label: 'cup', box: box(0) },
    { label: 'cup', box: box(50) },
    { label: 'dog', box: box(100) },
  ];

  it('scores perfect detections as mAP 1 and recall 1', () => {
    const images: EvalImage[] = [
      { id: 'a', groundTruth: gt, detections: gt.map((g, i) => ({ ...g, score: 0.9 - i / 10 })) },
    ];
    const r = evaluateDetections(images);
    expect(r).toMatchObject({ mAP: 1, recall: 1, meanClassRecall: 1, classes: 2, groundTruth: 3 });
  });

  it('counts duplicates, wrong labels and poor overlaps as false positives', () => {
    const images: EvalImage[] = [
      {
        id: 'a',
        groundTruth: gt,
        detections: [
          { label: 'cup', score: 0.9, box: box(0) },
          { label: 'cup', score: 0.8, box: box(1) }, // duplicate of the first cup
          { label: 'cup', score: 0.7, box: box(50) },
          { label: 'cat', score: 0.95, box: box(100) }, // wrong label: no cat in the ground truth
          { label: 'dog', score: 0.6, box: box(106) }, // IoU 4/16 < 0.5
        ],
      },
    ];
    const r = evaluateDetections(images);
    expect(r.perClass.cup).toMatchObject({ truePositives: 2, falsePositives: 1, recall: 1 });
    expect(r.perClass.cup!.ap).toBeCloseTo((51 + 50 * (2 / 3)) / 101, 10);
    expect(r.perClass.dog).toMatchObject({ ap: 0, recall: 0, falsePositives: 1 });
    expect(r.perClass.cat).toBeUndefined(); // classes absent from the ground truth are not averaged
    expect(r.mAP).toBeCloseTo(r.perClass.cup!.ap / 2, 10);
    expect(r.recall).toBeCloseTo(2 / 3, 10);
  });

  it('ranks detections across images and ignores those on crowd regions', () => {
    const images: EvalImage[] = [
      {
        id: 'a',
        groundTruth: [
          { label: 'person', box: box(0) },
          { label: 'person', box: box(200, 0, 100, 100), iscrowd: true },
        ],
        detections: [
          { label: 'person', score: 0.5, box: box(0) },
          { label: 'person', score: 0.99, box: box(210, 10) }, // inside the crowd: ignored
        ],
      },
      {
        id: 'b',
        groundTruth: [{ label: 'person', box: box(0) }],
        detections: [{ label: 'person', score: 0.9, box: box(30) }],
      },
    ];
    const r = evaluateDetections(images);
    // ranking: b's false positive (0.9), then a's true positive (0.5); 2 ground-truth boxes
    expect(r.perClass.person).toMatchObject({ groundTruth: 2, truePositives: 1, falsePositives: 1 });
    expect(r.perClass.person!.ap).toBeCloseTo((51 * 0.5) / 101, 10);
  });

  it('keeps only the best maxDetections per image', () => {
    const images: EvalImage[] = [
      {
        id: 'a',
        groundTruth: [{ label: 'cup', box: box(0) }],
        detections: [
          { label: 'cup', score: 0.9, box: box(40) },
          { label: 'cup', score: 0.1, box: box(0) },
        ],
      },
    ];
    expect(evaluateDetections(images).recall).toBe(1);
    expect(evaluateDetections(images, { maxDetections: 1 }).recall).toBe(0);
    expect(evaluateDetections(images, { iouThreshold: 0.99 }).recall).toBe(1);
  });

  it('returns zeros for no images', () => {
    expect(evaluateDetections([])).toMatchObject({ mAP: 0, recall: 0, classes: 0 });
  });
});
