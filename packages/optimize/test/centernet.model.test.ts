import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, loadModel, type ModelSpec, resizePixels, sha256Hex } from '@ondevice/core';
import { type GraphModel, getTfjs, loadGraphModel } from '@ondevice/core/tfjs';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeWeights,
  kernelWeightNames,
  loadGraphModelFromMemory,
  type OptimizedGraphModel,
  optimizeGraphModel,
  sparsityOf,
} from '../src/index.js';

// The published CenterNet (MobileNetV3, COCO) weights, stored as float16 by their publisher.
const CENTERNET: ModelSpec = {
  id: 'centernet-mobilenetv3-coco',
  version: '3.3.6',
  format: 'tfjs-graph',
  license: 'MIT',
  files: [
    {
      path: 'centernet.json',
      sha256: 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
      size: 201_673,
    },
    {
      path: 'centernet.bin',
      sha256: '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
      size: 4_030_290,
    },
  ],
  npm: { package: '@vladmandic/human', version: '3.3.6', dir: 'models' },
};

const IMAGES = ['000000397133', '000000000790', '000000303818', '000000214753'];

/** [x1, y1, x2, y2, score, class] in 512×512 input pixels, best first. */
type Detection = number[];

let json: string;
let bin: Uint8Array;
let inputs: Float32Array[];
let original: Detection[][];

async function detect(model: GraphModel): Promise<Detection[][]> {
  const { tf } = await getTfjs();
  const out: Detection[][] = [];
  for (const data of inputs) {
    const x = tf.tensor4d(data, [1, 512, 512, 3]);
    const y = model.execute(x, 'tower_0/detections') as ReturnType<typeof tf.tensor>;
    out.push(((await y.array()) as number[][][])[0]!);
    tf.dispose([x, y]);
  }
  return out;
}

function iou(a: Detection, b: Detection): number {
  const w = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const h = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = w * h;
  const area = (d: Detection) => (d[2]! - d[0]!) * (d[3]! - d[1]!);
  return inter / (area(a) + area(b) - inter);
}

/**
 * Of the original's detections scoring ≥ 0.3, the fraction the optimised model also finds (same
 * class, IoU ≥ minIou, score within maxScoreDiff), and the largest score difference among those.
 */
function agreement(opt: Detection[][], minIou: number, maxScoreDiff: number) {
  let wanted = 0;
  let found = 0;
  let worstScore = 0;
  for (let i = 0; i < original.length; i++) {
    for (const a of original[i]!.filter((d) => d[4]! >= 0.3)) {
      wanted++;
      const match = opt[i]!.find(
        (b) => b[5] === a[5] && iou(a, b) >= minIou && Math.abs(b[4]! - a[4]!) <= maxScoreDiff,
      );
      if (match) {
        found++;
        worstScore = Math.max(worstScore, Math.abs(match[4]! - a[4]!));
      }
    }
  }
  return { wanted, found, recall: found / wanted, worstScore };
}

async function optimise(
  options: Partial<Parameters<typeof optimizeGraphModel>[0]>,
): Promise<OptimizedGraphModel> {
  return optimizeGraphModel({ modelJson: json, weights: bin, ...options });
}

beforeAll(async () => {
  const loaded = await loadModel(CENTERNET);
  json = new TextDecoder().decode(loaded.files.get('centernet.json'));
  bin = loaded.files.get('centernet.bin')!;
  inputs = [];
  for (const id of IMAGES) {
    const pixels = resizePixels(
      await decodeImage(datasetPath('object_detection', 'images', `${id}.jpg`)),
      512,
      512,
    );
    inputs.push(Float32Array.from(pixels.data));
  }
  const model = await loadGraphModelFromMemory(JSON.parse(json), bin);
  original = await detect(model);
  model.dispose();
});

describe('quantisation of the real CenterNet weights', () => {
  for (const dtype of ['uint8', 'uint16'] as const) {
    it(`${dtype}: every weight is within scale/2 of its original value`, async () => {
      const out = await optimise({ quantize: dtype, gzip: false });
      const before = decodeWeights(JSON.parse(json), bin);
      const after = decodeWeights(out.modelJson, out.weights);
      expect(after.length).toBe(before.length);
      let quantised = 0;
      for (let i = 0; i < before.length; i++) {
        const b = before[i]!;
        const a = after[i]!;
        expect(a.entry.name).toBe(b.entry.name);
        if (!b.values) {
          expect(a.raw).toEqual(b.raw);
          continue;
        }
        const q = a.entry.quantization!;
        expect(q.dtype).toBe(dtype);
        quantised++;
        let worst = 0;
        let largest = 0;
        for (let j = 0; j < b.values.length; j++) {
          worst = Math.max(worst, Math.abs(a.values![j]! - b.values[j]!));
          largest = Math.max(largest, Math.abs(b.values[j]!));
        }
        expect(worst, b.entry.name).toBeLessThanOrEqual(q.scale! / 2 + largest * 2 ** -23);
        expect(out.report.weights[i]!.maxAbsError).toBeCloseTo(worst, 9);
      }
      expect(quantised).toBe(227);
    });
  }

  it('uint8 halves the file and float16 (the published storage) reproduces it byte for byte', async () => {
    const u8 = await optimise({ quantize: 'uint8' });
    expect(u8.weights.byteLength).toBe(2_015_305);
    expect(u8.report.ratio.raw).toBeLessThan(0.53);
    expect(u8.report.ratio.gzip).toBeLessThan(0.45);
    const f16 = await optimise({ quantize: 'float16', gzip: false });
    expect(await sha256Hex(f16.weights)).toBe(CENTERNET.files[1]!.sha256);
  });
});

describe('pruning of the real CenterNet weights', () => {
  it('reaches the requested sparsity in every pruned kernel (±1%), measured after', async () => {
    const out = await optimise({ prune: 0.5, gzip: false });
    const kernels = kernelWeightNames(JSON.parse(json));
    const before = new Map(decodeWeights(JSON.parse(json), bin).map((w) => [w.entry.name, w.values]));
    const after = decodeWeights(out.modelJson, out.weights);
    let pruned = 0;
    for (const w of after) {
      if (!w.values) continue;
      const report = out.report.weights.find((r) => r.name === w.entry.name)!;
      const measured = sparsityOf(w.values);
      expect(report.sparsity).toBeCloseTo(measured, 9);
      if (!report.pruned) {
        // Biases, batch-norm offsets, scalars and kernels under 1024 values are untouched.
        expect(w.values).toEqual(before.get(w.entry.name));
        continue;
      }
      pruned++;
      expect(kernels.has(w.entry.name)).toBe(true);
      expect(w.entry.shape.length).toBeGreaterThanOrEqual(2);
      const already = sparsityOf(before.get(w.entry.name)!);
      // A kernel that was already sparser (dead squeeze-excite channels) keeps its own zeros.
      expect(measured).toBeGreaterThanOrEqual(0.49);
      if (already < 0.5) expect(Math.abs(measured - 0.5)).toBeLessThanOrEqual(0.01);
      else expect(measured).toBeCloseTo(already, 9);
    }
    expect(pruned).toBe(80);
    expect(out.report.pruning!.tensors).toBe(pruned);
  });
});

describe('optimised CenterNet loads in tfjs and detects like the original', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ondevice-optimize-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uint16 through core loadGraphModel (a spec): same detections (IoU ≥ 0.95, score ± 0.01)', async () => {
    const out = await optimise({ quantize: 'uint16', weightsPath: 'centernet.bin', gzip: false });
    writeFileSync(join(dir, 'centernet.json'), out.modelJsonBytes);
    writeFileSync(join(dir, 'centernet.bin'), out.weights);
    const spec: ModelSpec = {
      ...CENTERNET,
      id: 'centernet-uint16-test',
      npm: undefined,
      files: [
        {
          path: 'centernet.json',
          sha256: await sha256Hex(out.modelJsonBytes),
          size: out.modelJsonBytes.byteLength,
        },
        { path: 'centernet.bin', sha256: await sha256Hex(out.weights), size: out.weights.byteLength },
      ],
    };
    const model = await loadGraphModel(spec, { modelPath: dir });
    const got = agreement(await detect(model), 0.95, 0.01);
    model.dispose();
    expect(got.wanted).toBeGreaterThan(10);
    expect(got.recall).toBe(1);
  });

  it('uint8 with depthwise kernels kept (tf.io.fromMemory): ≥ 80% of detections kept (IoU ≥ 0.7, score ± 0.1)', async () => {
    const out = await optimise({ quantize: 'uint8', quantizeDepthwise: false, gzip: false });
    const model = await loadGraphModelFromMemory(out.modelJson, out.weights);
    const got = agreement(await detect(model), 0.7, 0.1);
    model.dispose();
    console.info('uint8 (depthwise kept) agreement', got);
    expect(got.recall).toBeGreaterThanOrEqual(0.8);
  });
});
