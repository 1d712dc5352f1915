// Real weights: every TFJS model the project ships, converted to ONNX and run in onnxruntime-node
// against tfjs on real photos, preprocessed as @ondevice/vision does (CenterNet: stretch to 512,
// RGB 0..255; BlazeFace: letterbox to 256, [-1, 1]; FaceMesh / Iris: face / eye crops, [0, 1],
// batched as the face landmarker batches them).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeImage,
  type ImagePixels,
  loadModel,
  type ModelSpec,
  resizePixels,
  sha256Hex,
  warpAffine,
} from '@ondevice/core';
import { getOrt } from '@ondevice/core/onnx';
import { getTfjs } from '@ondevice/core/tfjs';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  convertGraphModelToOnnx,
  type GraphModelJson,
  loadGraphModelFromMemory,
  optimizeGraphModel,
} from '../src/index.js';

const HUMAN = { package: '@vladmandic/human', version: '3.3.6', dir: 'models' } as const;

function spec(
  id: string,
  file: string,
  jsonSha: string,
  jsonSize: number,
  binSha: string,
  binSize: number,
): ModelSpec {
  return {
    id,
    version: '3.3.6',
    format: 'tfjs-graph',
    license: 'Apache-2.0',
    files: [
      { path: `${file}.json`, sha256: jsonSha, size: jsonSize },
      { path: `${file}.bin`, sha256: binSha, size: binSize },
    ],
    npm: HUMAN,
  };
}

// The same files and SHA-256 as @ondevice/vision's models.ts.
const CENTERNET = spec(
  'centernet-mobilenetv3-coco',
  'centernet',
  'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
  201_673,
  '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
  4_030_290,
);
const BLAZEFACE = spec(
  'blazeface-back',
  'blazeface',
  'cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f',
  79_038,
  'dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72',
  538_928,
);
const FACEMESH = spec(
  'facemesh',
  'facemesh',
  'b60ca26f404724f43bd2b1575761d8265180e1f053cc0731caa68462927309e7',
  95_845,
  '3826da640b0a3021161605369ee6af293f75d518040355b960ec71a3390c1c0b',
  1_477_958,
);
const IRIS = spec(
  'iris',
  'iris',
  '49038ac9dcc09aa05474d91d98e9db5b47af4830929bcf102ed5a56bfbabb465',
  122_025,
  'd7f296d184274213d4642681ae186112cbbec77fd2ab066257d3c56a1940bc71',
  2_599_092,
);
const CENTERNET_OUTPUTS = ['tower_0/keypoints', 'tower_0/wh'];

interface Files {
  json: GraphModelJson;
  bin: Uint8Array;
}

async function files(s: ModelSpec): Promise<Files> {
  const loaded = await loadModel(s);
  const [json, bin] = s.files.map((f) => loaded.files.get(f.path)!);
  return { json: JSON.parse(new TextDecoder().decode(json)) as GraphModelJson, bin: bin! };
}

/** Largest |tfjs − onnx| of one output, and that relative to the output's largest |tfjs| value. */
interface Difference {
  output: string;
  maxAbs: number;
  maxRel: number;
  peak: number;
}

/**
 * Runs the same NHWC batch through tfjs (the TFJS graph) and onnxruntime-node (the converted
 * model, one thread) and returns the per-output differences.
 */
async function compare(
  model: Files,
  onnx: Uint8Array,
  batch: Float32Array,
  shape: number[],
  outputs?: string[],
) {
  const { tf } = await getTfjs();
  const ort = await getOrt('node');
  const graph = await loadGraphModelFromMemory(model.json, model.bin);
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const names = outputs ?? [...session.outputNames];
    const x = tf.tensor(batch, shape);
    const ys = graph.execute(x, names);
    const tfOut = await Promise.all(
      (Array.isArray(ys) ? ys : [ys]).map((y) => y.data() as Promise<Float32Array>),
    );
    tf.dispose([x, ...(Array.isArray(ys) ? ys : [ys])]);
    const onnxOut = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', batch, shape) });
    return names.map((output, i): Difference => {
      const a = tfOut[i]!;
      const b = onnxOut[output]!.data as Float32Array;
      expect(b.length, output).toBe(a.length);
      let maxAbs = 0;
      let peak = 0;
      for (let j = 0; j < a.length; j++) {
        maxAbs = Math.max(maxAbs, Math.abs(a[j]! - b[j]!));
        peak = Math.max(peak, Math.abs(a[j]!));
      }
      return { output, maxAbs, maxRel: maxAbs / peak, peak };
    });
  } finally {
    graph.dispose();
    await session.release();
  }
}

function toBatch(images: ImagePixels[], map: (v: number) => number): Float32Array {
  const n = images[0]!.data.length;
  const out = new Float32Array(images.length * n);
  images.forEach((img, i) => {
    for (let j = 0; j < n; j++) out[i * n + j] = map(img.data[j]!);
  });
  return out;
}

/** A square crop of side `side` centred on (cx, cy), sampled to `size` px (core's warpAffine). */
function crop(pixels: ImagePixels, cx: number, cy: number, side: number, size: number): ImagePixels {
  const k = side / size;
  return warpAffine(pixels, [k, 0, cx - side / 2, 0, k, cy - side / 2], size, size);
}

const report: Record<string, Difference[]> = {};
const dir = mkdtempSync(join(tmpdir(), 'ondevice-convert-'));
const hasPythonOnnx = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;

/** onnx.checker with full_check (shape inference included), where Debian's python3-onnx is installed. */
function checkWithOnnx(name: string, bytes: Uint8Array): void {
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, bytes);
  const r = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', path],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
}

let centernet: Files;
let detectionPhotos: ImagePixels[];
let facePhotos: {
  pixels: ImagePixels;
  faces: { eyes: [number, number][]; nose: [number, number]; iod: number }[];
}[];

beforeAll(async () => {
  centernet = await files(CENTERNET);
  detectionPhotos = [];
  for (const id of ['000000397133', '000000000790', '000000303818', '000000214753'])
    detectionPhotos.push(await decodeImage(datasetPath('object_detection', 'images', `${id}.jpg`)));
  facePhotos = [];
  for (const id of [
    '000000009483',
    '000000153797',
    '000000162415',
    '000000229358',
    '000000256353',
    '000000444294',
  ]) {
    const labels = JSON.parse(readFileSync(datasetPath('faces', 'labels', `${id}.json`), 'utf8')) as {
      face_keypoints: Record<string, { x: number; y: number; v: number }>;
      interocular_px: number | null;
    }[];
    const faces = labels
      .filter(
        (l) =>
          l.interocular_px &&
          l.face_keypoints.left_eye!.v &&
          l.face_keypoints.right_eye!.v &&
          l.face_keypoints.nose!.v,
      )
      .map((l) => {
        const k = l.face_keypoints;
        return {
          eyes: [
            [k.left_eye!.x, k.left_eye!.y],
            [k.right_eye!.x, k.right_eye!.y],
          ] as [number, number][],
          nose: [k.nose!.x, k.nose!.y] as [number, number],
          iod: l.interocular_px!,
        };
      });
    facePhotos.push({ pixels: await decodeImage(datasetPath('faces', 'images', `${id}.jpg`)), faces });
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // The measured differences, for the README table.
  for (const [model, diffs] of Object.entries(report))
    for (const d of diffs)
      console.log(
        `${model} ${d.output}: max |tfjs − onnx| ${d.maxAbs.toExponential(2)} (${d.maxRel.toExponential(2)} of the largest |value| ${d.peak.toPrecision(4)})`,
      );
});

describe('TFJS → ONNX on the real models, against tfjs on real photos', () => {
  it('CenterNet (cut at tower_0/keypoints and tower_0/wh): 4 detection photos stretched to 512', async () => {
    const { onnx, inputs, outputs } = convertGraphModelToOnnx({
      modelJson: centernet.json,
      weights: centernet.bin,
      outputs: CENTERNET_OUTPUTS,
    });
    expect(inputs).toEqual([{ name: 'tower_0/images', dtype: 'float32', shape: [1, 512, 512, 3] }]);
    expect(outputs.map((o) => o.shape)).toEqual([
      [1, 128, 128, 80],
      [1, 128, 128, 4],
    ]);
    if (hasPythonOnnx) checkWithOnnx('centernet', onnx);
    const diffs: Difference[][] = [];
    for (const photo of detectionPhotos)
      diffs.push(
        await compare(
          centernet,
          onnx,
          toBatch([resizePixels(photo, 512, 512)], (v) => v),
          [1, 512, 512, 3],
          CENTERNET_OUTPUTS,
        ),
      );
    report.centernet = worst(diffs);
    const [heat, sides] = report.centernet;
    expect(heat!.maxAbs).toBeLessThan(1e-4); // sigmoid scores in [0, 1]
    expect(sides!.maxRel).toBeLessThan(5e-5); // box sides in pixels (up to a few hundred)
  });

  it("CenterNet with a dynamic batch (inputShapes): 2 photos in one run give each photo's tfjs outputs", async () => {
    const { onnx, inputs } = convertGraphModelToOnnx({
      modelJson: centernet.json,
      weights: centernet.bin,
      outputs: CENTERNET_OUTPUTS,
      inputShapes: { 'tower_0/images': [-1, 512, 512, 3] },
    });
    expect(inputs[0]!.shape).toEqual([-1, 512, 512, 3]);
    const { tf } = await getTfjs();
    const ort = await getOrt('node');
    const graph = await loadGraphModelFromMemory(centernet.json, centernet.bin);
    const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const images = detectionPhotos.slice(0, 2).map((p) => resizePixels(p, 512, 512));
    const batch = toBatch(images, (v) => v);
    const out = await session.run({ 'tower_0/images': new ort.Tensor('float32', batch, [2, 512, 512, 3]) });
    for (const [i, image] of images.entries()) {
      const x = tf.tensor4d(
        toBatch([image], (v) => v),
        [1, 512, 512, 3],
      );
      const ys = graph.execute(x, CENTERNET_OUTPUTS) as ReturnType<typeof tf.tensor>[];
      for (const [j, name] of CENTERNET_OUTPUTS.entries()) {
        const want = (await ys[j]!.data()) as Float32Array;
        const got = (out[name]!.data as Float32Array).subarray(i * want.length, (i + 1) * want.length);
        let worst = 0;
        for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got[k]! - want[k]!));
        expect(worst, `${name} of image ${i}`).toBeLessThan(j === 0 ? 1e-4 : 2e-2);
      }
      tf.dispose([x, ...ys]);
    }
    graph.dispose();
    await session.release();
  });

  it('CenterNet int8 (uint8 weights, depthwise float16, as precision "int8" derives it) is dequantised and converts alike', async () => {
    const int8 = await optimizeGraphModel({
      modelJson: centernet.json,
      weights: centernet.bin,
      quantize: 'uint8',
      quantizeDepthwise: false,
      weightsPath: 'centernet.bin',
      gzip: false,
    });
    const model: Files = { json: int8.modelJson, bin: int8.weights };
    const { onnx } = convertGraphModelToOnnx({
      modelJson: model.json,
      weights: model.bin,
      outputs: CENTERNET_OUTPUTS,
    });
    const diffs = await compare(
      model,
      onnx,
      toBatch([resizePixels(detectionPhotos[0]!, 512, 512)], (v) => v),
      [1, 512, 512, 3],
      CENTERNET_OUTPUTS,
    );
    report['centernet-int8'] = diffs;
    expect(diffs[0]!.maxAbs).toBeLessThan(1e-4);
    expect(diffs[1]!.maxRel).toBeLessThan(5e-5);
  });

  it('BlazeFace: 6 face photos letterboxed to 256, [-1, 1]', async () => {
    const model = await files(BLAZEFACE);
    const { onnx } = convertGraphModelToOnnx({ modelJson: model.json, weights: model.bin });
    if (hasPythonOnnx) checkWithOnnx('blazeface', onnx);
    const diffs: Difference[][] = [];
    for (const { pixels } of facePhotos) {
      const s = 256 / Math.max(pixels.width, pixels.height);
      const padX = (256 - pixels.width * s) / 2;
      const padY = (256 - pixels.height * s) / 2;
      const input = warpAffine(pixels, [1 / s, 0, -padX / s, 0, 1 / s, -padY / s], 256, 256);
      diffs.push(
        await compare(
          model,
          onnx,
          toBatch([input], (v) => (v / 255) * 2 - 1),
          [1, 256, 256, 3],
        ),
      );
    }
    report.blazeface = worst(diffs);
    for (const d of report.blazeface) expect(d.maxRel, d.output).toBeLessThan(2e-5);
  });

  it('FaceMesh: every face with eyes and nose labelled (14) cropped to 192, [0, 1], in one batch', async () => {
    const model = await files(FACEMESH);
    const { onnx, inputs } = convertGraphModelToOnnx({ modelJson: model.json, weights: model.bin });
    expect(inputs[0]!.shape).toEqual([-1, 192, 192, 3]);
    if (hasPythonOnnx) checkWithOnnx('facemesh', onnx);
    const crops = facePhotos.flatMap(({ pixels, faces }) =>
      faces.map((f) => {
        const cx = (f.eyes[0]![0] + f.eyes[1]![0] + f.nose[0]) / 3;
        const cy = (f.eyes[0]![1] + f.eyes[1]![1] + f.nose[1]) / 3;
        return crop(pixels, cx, cy, 3.5 * f.iod, 192);
      }),
    );
    expect(crops.length).toBe(14); // faces with both eyes and the nose labelled
    report.facemesh = await compare(
      model,
      onnx,
      toBatch(crops, (v) => v / 255),
      [crops.length, 192, 192, 3],
    );
    for (const d of report.facemesh) expect(d.maxRel, d.output).toBeLessThan(2e-5);
  });

  it('Iris: both eyes of those faces (28) cropped to 64, [0, 1], in one batch', async () => {
    const model = await files(IRIS);
    const { onnx } = convertGraphModelToOnnx({ modelJson: model.json, weights: model.bin });
    if (hasPythonOnnx) checkWithOnnx('iris', onnx);
    const crops = facePhotos.flatMap(({ pixels, faces }) =>
      faces.flatMap((f) => f.eyes.map(([x, y]) => crop(pixels, x, y, 1.2 * f.iod, 64))),
    );
    report.iris = await compare(
      model,
      onnx,
      toBatch(crops, (v) => v / 255),
      [crops.length, 64, 64, 3],
    );
    for (const d of report.iris) expect(d.maxRel, d.output).toBeLessThan(2e-5);
  });
});

describe('conversion properties on the real models', () => {
  it('is deterministic: converting twice gives the same SHA-256', async () => {
    const a = convertGraphModelToOnnx({
      modelJson: centernet.json,
      weights: centernet.bin,
      outputs: CENTERNET_OUTPUTS,
    });
    const b = convertGraphModelToOnnx({
      modelJson: JSON.stringify(centernet.json),
      weights: new Map([['centernet.bin', centernet.bin.slice()]]),
      outputs: CENTERNET_OUTPUTS,
    });
    expect(await sha256Hex(b.onnx)).toBe(await sha256Hex(a.onnx));
  });

  it("the whole CenterNet graph (signature outputs, with its own top-100 decoder) gives tfjs's detections", async () => {
    const { onnx, outputs, ops } = convertGraphModelToOnnx({
      modelJson: centernet.json,
      weights: centernet.bin,
    });
    expect(outputs.map((o) => [o.name, o.shape])).toEqual([
      ['tower_0/wh', [1, 128, 128, 4]],
      ['tower_0/keypoints', [1, 128, 128, 80]],
      ['tower_0/detections', [1, 100, 6]],
    ]);
    expect(ops).toMatchObject({
      TopKV2: 1,
      GatherV2: 1,
      StridedSlice: 4,
      FloorDiv: 3,
      FloorMod: 2,
      Equal: 1,
    });
    if (hasPythonOnnx) checkWithOnnx('centernet-full', onnx);
    const { tf } = await getTfjs();
    const ort = await getOrt('node');
    const graph = await loadGraphModelFromMemory(centernet.json, centernet.bin);
    const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    let rows = 0;
    let worstBox = 0;
    let worstScore = 0;
    for (const photo of detectionPhotos) {
      const data = toBatch([resizePixels(photo, 512, 512)], (v) => v);
      const x = tf.tensor4d(data, [1, 512, 512, 3]);
      const y = graph.execute(x, 'tower_0/detections') as ReturnType<typeof tf.tensor>;
      const expected = ((await y.array()) as number[][][])[0]!;
      tf.dispose([x, y]);
      const got = (
        await session.run({ 'tower_0/images': new ort.Tensor('float32', data, [1, 512, 512, 3]) })
      )['tower_0/detections']!.data as Float32Array;
      // [x1, y1, x2, y2, score, class] per row, best first; rows of (nearly) tied scores may swap.
      for (const want of expected.filter((d) => d[4]! >= 0.05)) {
        const match = Array.from({ length: 100 }, (_, i) => Array.from(got.subarray(i * 6, i * 6 + 6))).find(
          (d) =>
            d[5] === want[5] &&
            Math.abs(d[4]! - want[4]!) < 1e-4 &&
            d.slice(0, 4).every((v, j) => Math.abs(v - want[j]!) < 0.05),
        );
        expect(match, JSON.stringify(want)).toBeDefined();
        rows++;
        worstScore = Math.max(worstScore, Math.abs(match![4]! - want[4]!));
        for (let j = 0; j < 4; j++) worstBox = Math.max(worstBox, Math.abs(match![j]! - want[j]!));
      }
    }
    graph.dispose();
    await session.release();
    expect(rows).toBeGreaterThan(20);
    console.log(
      `centernet tower_0/detections: ${rows} rows (score ≥ 0.05) matched; worst box ${worstBox.toExponential(2)} px, worst score ${worstScore.toExponential(2)}`,
    );
  });
});

/** Per output, the worst difference over several runs. */
function worst(runs: Difference[][]): Difference[] {
  return runs[0]!.map((_, i) =>
    runs
      .map((r) => r[i]!)
      .reduce((a, b) => ({
        output: a.output,
        maxAbs: Math.max(a.maxAbs, b.maxAbs),
        maxRel: Math.max(a.maxRel, b.maxRel),
        peak: Math.max(a.peak, b.peak),
      })),
  );
}
