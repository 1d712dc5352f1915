// Object-detection evaluation, COCO style: per-class average precision with 101-point interpolation,
// averaged over the classes present in the ground truth, plus recall. Self-contained (no imports) so
// benchmark scripts can load it without a build.

/** An axis-aligned box: top-left corner and size, in pixels. */
export interface EvalBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A ground-truth object. Crowd regions (`iscrowd`) are neither required nor penalised. */
export interface GroundTruthObject {
  label: string;
  box: EvalBox;
  iscrowd?: boolean;
}

/** A detection to score. */
export interface DetectionToScore {
  label: string;
  score: number;
  box: EvalBox;
}

/** One image's ground truth and detections. */
export interface EvalImage {
  id: string;
  groundTruth: readonly GroundTruthObject[];
  detections: readonly DetectionToScore[];
}

/** Options of {@link evaluateDetections}. */
export interface DetectionEvalOptions {
  /** A detection matches a ground-truth box of its label at IoU ≥ this. Default 0.5. */
  iouThreshold?: number;
  /** Only each image's best this-many detections count (COCO's maxDets). Default 100. */
  maxDetections?: number;
}

/** Scores of one class. */
export interface ClassEval {
  /** Average precision (101-point interpolated). */
  ap: number;
  /** Matched ground-truth boxes ÷ ground-truth boxes. */
  recall: number;
  /** Non-crowd ground-truth boxes. */
  groundTruth: number;
  truePositives: number;
  falsePositives: number;
}

/** What {@link evaluateDetections} returns. */
export interface DetectionEval {
  /** Mean of per-class AP over the classes with at least one non-crowd ground-truth box. */
  mAP: number;
  /** Matched ground-truth boxes ÷ all non-crowd ground-truth boxes (over all classes). */
  recall: number;
  /** Mean of per-class recall over the same classes as mAP. */
  meanClassRecall: number;
  /** Number of classes averaged. */
  classes: number;
  /** Non-crowd ground-truth boxes. */
  groundTruth: number;
  perClass: Record<string, ClassEval>;
}

/**
 * Intersection over union; for a crowd region COCO uses intersection ÷ detection area instead.
 *
 * @example
 * ```ts
 * boxIou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 }, false); // 1/3
 * ```
 */
export function boxIou(det: EvalBox, gt: EvalBox, crowd: boolean): number {
  const w = Math.min(det.x + det.width, gt.x + gt.width) - Math.max(det.x, gt.x);
  const h = Math.min(det.y + det.height, gt.y + gt.height) - Math.max(det.y, gt.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = crowd ? det.width * det.height : det.width * det.height + gt.width * gt.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Average precision from a ranked list of true/false positives, COCO style: precision made
 * monotone from the right, sampled at recall 0, 0.01, …, 1 (0 where the recall is never reached).
 *
 * @example
 * ```ts
 * interpolatedAp([true, false, true], 2); // (51 × 1 + 50 × 2/3) / 101
 * ```
 */
export function interpolatedAp(ranked: readonly boolean[], groundTruth: number): number {
  if (groundTruth <= 0) return Number.NaN;
  const n = ranked.length;
  const precision = new Array<number>(n);
  const recall = new Array<number>(n);
  let tp = 0;
  for (let i = 0; i < n; i++) {
    if (ranked[i]) tp++;
    precision[i] = tp / (i + 1);
    recall[i] = tp / groundTruth;
  }
  for (let i = n - 1; i > 0; i--) precision[i - 1] = Math.max(precision[i - 1]!, precision[i]!);
  let sum = 0;
  let k = 0;
  for (let r = 0; r <= 100; r++) {
    const target = r / 100;
    // First rank whose recall reaches the target (recall only grows along the ranking).
    while (k < n && recall[k]! < target - 1e-12) k++;
    if (k < n) sum += precision[k]!;
  }
  return sum / 101;
}

/**
 * Scores detections against ground truth: per class, detections (best first, each image capped at
 * `maxDetections`) are greedily matched to the unmatched ground-truth box of the same label with the
 * highest IoU ≥ `iouThreshold`; a detection that instead falls on a crowd region is ignored, any
 * other is a false positive. mAP averages the classes present in the ground truth.
 *
 * @example
 * ```ts
 * const r = evaluateDetections([{ id: '1', groundTruth: [{ label: 'cup', box }], detections: [{ label: 'cup', score: 0.9, box }] }]);
 * r.mAP; // 1
 * ```
 */
export function evaluateDetections(
  images: readonly EvalImage[],
  options: DetectionEvalOptions = {},
): DetectionEval {
  const iouThreshold = options.iouThreshold ?? 0.5;
  const maxDetections = options.maxDetections ?? 100;
  // Per class: every detection with its image, and the ground-truth count.
  const dets = new Map<string, { score: number; image: number; order: number; box: EvalBox }[]>();
  const gtCount = new Map<string, number>();
  images.forEach((img, imageIndex) => {
    for (const g of img.groundTruth) if (!g.iscrowd) gtCount.set(g.label, (gtCount.get(g.label) ?? 0) + 1);
    const top = [...img.detections]
      .map((d, order) => ({ d, order }))
      .sort((a, b) => b.d.score - a.d.score || a.order - b.order)
      .slice(0, maxDetections);
    for (const { d, order } of top) {
      let list = dets.get(d.label);
      if (!list) {
        list = [];
        dets.set(d.label, list);
      }
      list.push({ score: d.score, image: imageIndex, order, box: d.box });
    }
  });
  const perClass: Record<string, ClassEval> = {};
  let matchedAll = 0;
  let gtAll = 0;
  for (const [label, groundTruth] of [...gtCount].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const list = (dets.get(label) ?? []).sort(
      (a, b) => b.score - a.score || a.image - b.image || a.order - b.order,
    );
    const used = images.map((img) => img.groundTruth.map(() => false));
    const ranked: boolean[] = [];
    let tp = 0;
    let fp = 0;
    for (const d of list) {
      const gts = images[d.image]!.groundTruth;
      let best = -1;
      let bestIou = iouThreshold;
      for (let j = 0; j < gts.length; j++) {
        const g = gts[j]!;
        if (g.label !== label || g.iscrowd || used[d.image]![j]) continue;
        const v = boxIou(d.box, g.box, false);
        if (v >= bestIou) {
          bestIou = v;
          best = j;
        }
      }
      if (best >= 0) {
        used[d.image]![best] = true;
        ranked.push(true);
        tp++;
        continue;
      }
      const onCrowd = gts.some(
        (g) => g.label === label && g.iscrowd && boxIou(d.box, g.box, true) >= iouThreshold,
      );
      if (onCrowd) continue;
      ranked.push(false);
      fp++;
    }
    perClass[label] = {
      ap: interpolatedAp(ranked, groundTruth),
      recall: tp / groundTruth,
      groundTruth,
      truePositives: tp,
      falsePositives: fp,
    };
    matchedAll += tp;
    gtAll += groundTruth;
  }
  const classes = Object.values(perClass);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    mAP: mean(classes.map((c) => c.ap)),
    recall: gtAll ? matchedAll / gtAll : 0,
    meanClassRecall: mean(classes.map((c) => c.recall)),
    classes: classes.length,
    groundTruth: gtAll,
    perClass,
  };
}
