// int8 against fp32 on the native engine (issue #18): the int8 QDQ forms @ondevice/vision derives on
// the device (@ondevice/optimize's quantizeOnnxModel with the recorded calibration) beside the
// float32 ONNX forms they are made from, in one process, alternating run by run after warm-up,
// onnxruntime-node with 1 intra-op and 1 inter-op thread and all graph optimisations (as the engine
// opens them). Measured: size, first-use quantisation time, model latency (p50/p95) on real inputs,
// whole-task latency (detect() and the face pipeline), mAP@0.5 on the 28 COCO photos per detector
// variant, and how far the int8 face pipeline's keypoints are from the fp32 one's.
//   node bench/int8.mjs               → bench/results/int8.{json,md}
//   BENCH_RUNS=8 node bench/int8.mjs  → fewer runs (smoke test)
// Build packages/optimize and packages/vision first (their dist is imported).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, setPriority, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { quantile, summarize } from './lib/stats.mjs';

// Niced: the machine is shared; the alternating order and the CPU-time figures keep the ratios fair.
try {
  setPriority(10);
} catch {}
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = 3;
const stats = (a) => ({ ...summarize(a, { digits: 2 }), p95: +quantile(a, 0.95).toFixed(2) });

// Importing core first switches onnxruntime's telemetry off.
const core = await import('@ondevice/core');
const { getOrt } = await import('@ondevice/core/onnx');
const vision = await import('@ondevice/vision');
const visionEval = await import('@ondevice/vision/eval');
const opt = await import('../packages/optimize/dist/index.js');
const { centerNetEngineModel } = await import('../packages/vision/dist/detect-objects/centernet.js');
const { toModelInput } = await import('../packages/vision/dist/detect-objects/preprocess.js');
const { quantizeCenterNetOnnx } = await import('../packages/vision/dist/detect-objects/int8-onnx.js');
const { quantizeFaceOnnx } = await import('../packages/vision/dist/detect-face-landmarks/int8.js');
const models = await import('../packages/vision/dist/models.js');
const ort = await getOrt('node');

const cacheDir = mkdtempSync(join(tmpdir(), 'ondevice-int8-bench-'));
core.configure({ cacheDir, threads: 1 });
const now = () => performance.now();
const loadStart = loadavg()[0];

// The detection evaluator is TypeScript in the private testkit (no build): transpile that one file.
async function loadEvaluator() {
  const ts = (await import(pathToFileURL(join(root, 'node_modules/typescript/lib/typescript.js')).href))
    .default;
  const src = readFileSync(join(root, 'packages/testkit/src/detection-eval.ts'), 'utf8');
  const out = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dir = mkdtempSync(join(tmpdir(), 'ondevice-int8-eval-'));
  writeFileSync(join(dir, 'detection-eval.mjs'), out);
  return import(pathToFileURL(join(dir, 'detection-eval.mjs')).href);
}
const { evaluateDetections } = await loadEvaluator();
const detectionDir = join(datasets, 'object_detection');
const detectionSet = readdirSync(join(detectionDir, 'labels'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const id = f.replace(/\.json$/, '');
    const raw = JSON.parse(readFileSync(join(detectionDir, 'labels', f), 'utf8'));
    return {
      id,
      imagePath: join(detectionDir, 'images', `${id}.jpg`),
      groundTruth: raw.map((r) => ({
        label: r.label,
        box: { x: r.box[0], y: r.box[1], width: r.box[2], height: r.box[3] },
        iscrowd: Boolean(r.iscrowd),
      })),
    };
  });

/** Alternates two async functions `RUNS` times after warm-up (order swapped every run). */
async function alternate(a, b) {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const ta = [];
  const tb = [];
  // CPU time of the process per run (1 intra-op thread): what the run cost, whatever else the shared
  // machine was doing meanwhile (wall time also holds the time other processes had the core).
  const ca = [];
  const cb = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [f, t, c] of i % 2
      ? [
          [b, tb, cb],
          [a, ta, ca],
        ]
      : [
          [a, ta, ca],
          [b, tb, cb],
        ]) {
      const c0 = process.cpuUsage();
      const t0 = now();
      await f();
      t.push(now() - t0);
      const d = process.cpuUsage(c0);
      c.push((d.user + d.system) / 1000);
    }
  }
  // Paired: the ratio of the two runs of each round, then its median.
  const paired = ta.map((x, i) => tb[i] / x).sort((x, y) => x - y);
  return {
    a: stats(ta),
    b: stats(tb),
    paired: +paired[paired.length >> 1].toFixed(3),
    cpuA: stats(ca),
    cpuB: stats(cb),
  };
}

const comparisons = [];
const rows = { models: [], tasks: [], accuracy: [], faces: [] };

// ------------------------------------------------------------------ models: size, quantisation, latency
const facePhoto = join(datasets, 'faces', 'images', '000000162415.jpg');
const detectionPhoto = detectionSet.find((s) => s.id === '000000397133').imagePath;
// Face-model inputs exactly as the landmarker feeds them, captured from one fp32 run.
const captured = {};
{
  const run = ort.InferenceSession.prototype.run;
  ort.InferenceSession.prototype.run = function (feeds, ...rest) {
    for (const t of Object.values(feeds))
      captured[t.dims[1]] ??= { data: Float32Array.from(t.data), dims: [...t.dims] };
    return run.call(this, feeds, ...rest);
  };
  const lm = await vision.createFaceLandmarker({ refineLandmarks: true, engine: 'onnx' });
  await lm.detect(facePhoto);
  lm.dispose();
  ort.InferenceSession.prototype.run = run;
}
const pixels = await core.decodeImage(detectionPhoto);
const fp32Face = async (spec) => {
  const { files } = await core.loadModel(spec);
  const jsonPath = [...files.keys()].find((p) => p.endsWith('.json'));
  return opt.convertGraphModelToOnnx({
    modelJson: files.get(jsonPath),
    weights: new Map([...files].filter(([p]) => p !== jsonPath)),
  }).onnx;
};
const MODELS = [
  {
    name: 'CenterNet 512 (balanced)',
    fp32: () => centerNetEngineModel(vision.CENTERNET_MOBILENETV3, 'fp32', 512).onnx.derive({}),
    quantize: (b) => quantizeCenterNetOnnx(b, 512),
    spec: models.CENTERNET_ONNX['int8-512'],
    input: () => ({
      'tower_0/images': { data: toModelInput(pixels, 512, 'letterbox', false), dims: [1, 512, 512, 3] },
    }),
  },
  {
    name: 'CenterNet 512 ×2 (accurate: image and mirror)',
    fp32: () => centerNetEngineModel(vision.CENTERNET_MOBILENETV3, 'fp32', 512).onnx.derive({}),
    quantize: (b) => quantizeCenterNetOnnx(b, 512),
    spec: models.CENTERNET_ONNX['int8-512'],
    input: () => ({
      'tower_0/images': { data: toModelInput(pixels, 512, 'letterbox', true), dims: [2, 512, 512, 3] },
    }),
  },
  {
    name: 'CenterNet 384 (fast)',
    fp32: () => centerNetEngineModel(vision.CENTERNET_MOBILENETV3, 'fp32', 384).onnx.derive({}),
    quantize: (b) => quantizeCenterNetOnnx(b, 384),
    spec: models.CENTERNET_ONNX['int8-384'],
    input: () => ({
      'tower_0/images': { data: toModelInput(pixels, 384, 'letterbox', false), dims: [1, 384, 384, 3] },
    }),
  },
  {
    name: 'BlazeFace 256',
    fp32: () => fp32Face(vision.BLAZEFACE),
    quantize: (b) => quantizeFaceOnnx('blazeface', b, models.BLAZEFACE_ONNX),
    spec: models.BLAZEFACE_INT8_ONNX,
    input: () => ({ input: captured[256] }),
  },
  {
    name: 'FaceMesh 192',
    fp32: () => fp32Face(vision.FACEMESH),
    quantize: (b) => quantizeFaceOnnx('facemesh', b, models.FACEMESH_ONNX),
    spec: models.FACEMESH_INT8_ONNX,
    input: () => ({
      input_1: { data: captured[192].data.subarray(0, 192 * 192 * 3), dims: [1, 192, 192, 3] },
    }),
  },
  {
    name: 'Iris 64',
    fp32: () => fp32Face(vision.IRIS),
    quantize: (b) => quantizeFaceOnnx('iris', b, models.IRIS_ONNX),
    spec: models.IRIS_INT8_ONNX,
    input: () => ({ input_1: { data: captured[64].data.subarray(0, 64 * 64 * 3), dims: [1, 64, 64, 3] } }),
  },
];
const session = (bytes) =>
  ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
for (const m of MODELS) {
  const fp32 = await m.fp32();
  const t0 = now();
  const int8 = await m.quantize(fp32);
  const quantizeMs = now() - t0;
  const sha = await core.sha256Hex(int8);
  const recorded = m.spec.files[0].sha256 === sha && m.spec.files[0].size === int8.byteLength;
  const [sf, sq] = [await session(fp32), await session(int8)];
  const feeds = Object.fromEntries(
    Object.entries(m.input()).map(([k, t]) => [k, new ort.Tensor('float32', t.data, t.dims)]),
  );
  const t = await alternate(
    () => sf.run(feeds),
    () => sq.run(feeds),
  );
  await sf.release();
  await sq.release();
  const row = {
    model: m.name,
    fp32Bytes: fp32.byteLength,
    int8Bytes: int8.byteLength,
    sizeRatio: +(int8.byteLength / fp32.byteLength).toFixed(3),
    quantizeMs: Math.round(quantizeMs),
    int8Sha256: sha,
    matchesRecordedSha256: recorded,
    fp32: t.a,
    int8: t.b,
    speedup: +(t.a.median / t.b.median).toFixed(3),
    pairedSpeedup: +(1 / t.paired).toFixed(3),
    cpuFp32: t.cpuA,
    cpuInt8: t.cpuB,
    cpuSpeedup: +(t.cpuA.median / t.cpuB.median).toFixed(3),
  };
  rows.models.push(row);
  comparisons.push({
    name: `${m.name}: model latency, int8 vs fp32`,
    unit: 'ms',
    ours: t.b,
    peer: t.a,
    ratio: +(t.b.median / t.a.median).toFixed(3),
    better: 'lower',
    vs: 'fp32 ONNX, same engine',
    runs: RUNS,
  });
  comparisons.push({
    name: `${m.name}: size, int8 vs fp32`,
    unit: 'bytes',
    ours: int8.byteLength,
    peer: fp32.byteLength,
    ratio: row.sizeRatio,
    better: 'lower',
    vs: 'fp32 ONNX',
  });
  console.log(
    `${m.name}: ${row.int8Bytes} B int8 vs ${row.fp32Bytes} B (${row.sizeRatio}×), p50 ${t.b.median} vs ${t.a.median} ms → ${row.speedup}× faster (paired ${row.pairedSpeedup}×; CPU time p50 ${row.cpuInt8.median} vs ${row.cpuFp32.median} ms, ${row.cpuSpeedup}×), quantised in ${row.quantizeMs} ms${recorded ? '' : ' — NOT the recorded bytes'}`,
  );
}

// ------------------------------------------------------------------ tasks: latency through the API
{
  const photos = ['000000397133', '000000214753', '000000460229', '000000303818'].map(
    (id) => detectionSet.find((s) => s.id === id).imagePath,
  );
  const decoded = await Promise.all(photos.map((p) => core.decodeImage(p)));
  const t0 = now();
  const int8 = await vision.createObjectDetector({ precision: 'int8' });
  const firstUseMs = now() - t0;
  const fp32 = await vision.createObjectDetector();
  let k = 0;
  const t = await alternate(
    () => fp32.detect(decoded[k % 4]),
    () => int8.detect(decoded[k++ % 4]),
  );
  rows.tasks.push({
    task: 'detectObjects, balanced',
    fp32: t.a,
    int8: t.b,
    speedup: +(t.a.median / t.b.median).toFixed(3),
    firstUseMs: Math.round(firstUseMs),
    runtime: int8.runtime,
  });
  comparisons.push({
    name: 'detectObjects balanced: detect() latency, int8 vs fp32',
    unit: 'ms',
    ours: t.b,
    peer: t.a,
    ratio: +(t.b.median / t.a.median).toFixed(3),
    better: 'lower',
    vs: 'precision fp32',
    runs: RUNS,
  });
  console.log(
    `detect() balanced: int8 ${t.b.median} ms vs fp32 ${t.a.median} ms (first use with quantisation ${Math.round(firstUseMs)} ms, ${int8.runtime})`,
  );
  fp32.dispose();
  int8.dispose();
}
{
  // One face, found by both: the same work for both pipelines (the group photo's weakest face
  // passes the presence check in fp32 but not in int8, which would spare int8 a mesh and two irises).
  const faces = ['000000162415', '000000009483'].map((id) => join(datasets, 'faces', 'images', `${id}.jpg`));
  const decoded = await Promise.all(faces.map((p) => core.decodeImage(p)));
  const t0 = now();
  const int8 = await vision.createFaceLandmarker({ precision: 'int8', refineLandmarks: true });
  const firstUseMs = now() - t0;
  const fp32 = await vision.createFaceLandmarker({ refineLandmarks: true });
  let k = 0;
  const t = await alternate(
    () => fp32.detect(decoded[k % 2]),
    () => int8.detect(decoded[k++ % 2]),
  );
  rows.tasks.push({
    task: 'face landmarks with irises',
    fp32: t.a,
    int8: t.b,
    speedup: +(t.a.median / t.b.median).toFixed(3),
    firstUseMs: Math.round(firstUseMs),
    runtime: int8.runtime,
  });
  comparisons.push({
    name: 'detectFaceLandmarks with irises: latency, int8 vs fp32',
    unit: 'ms',
    ours: t.b,
    peer: t.a,
    ratio: +(t.b.median / t.a.median).toFixed(3),
    better: 'lower',
    vs: 'precision fp32',
    runs: RUNS,
  });
  console.log(
    `faces: int8 ${t.b.median} ms vs fp32 ${t.a.median} ms (first use ${Math.round(firstUseMs)} ms)`,
  );

  // How far the int8 pipeline's faces are from the fp32 one's: every face photo and detection photo.
  const photos = [
    ...readdirSync(join(datasets, 'faces', 'images'))
      .sort()
      .map((f) => join(datasets, 'faces', 'images', f)),
    ...detectionSet.map((s) => s.imagePath),
  ];
  const iou = (a, b) => {
    const x = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
    const y = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
    return (x * y) / (a.width * a.height + b.width * b.height - x * y);
  };
  // The detector inputs of these photos, for the BlazeFace int8 check below.
  const detectorInputs = [];
  const run = ort.InferenceSession.prototype.run;
  ort.InferenceSession.prototype.run = function (feeds, ...rest) {
    for (const t of Object.values(feeds))
      if (t.dims[1] === 256) detectorInputs.push(Float32Array.from(t.data));
    return run.call(this, feeds, ...rest);
  };
  let ref = 0;
  let matched = 0;
  let extra = 0;
  const dist = [];
  for (const p of photos) {
    const [a, b] = [(await fp32.detect(p)).faces, (await int8.detect(p)).faces];
    ref += a.length;
    const used = new Set();
    for (const f of a) {
      const j = b.findIndex((g, i) => !used.has(i) && iou(f.box, g.box) >= 0.5);
      if (j < 0) continue;
      used.add(j);
      matched++;
      const side = Math.max(f.box.width, f.box.height);
      const d = f.keypoints.map((q, i) => Math.hypot(q.x - b[j].keypoints[i].x, q.y - b[j].keypoints[i].y));
      dist.push({ mean: d.reduce((s, x) => s + x, 0) / d.length, max: Math.max(...d), side });
    }
    extra += b.length - used.size;
  }
  ort.InferenceSession.prototype.run = run;
  // BlazeFace int8 (not used by the landmarker): anchors scoring ≥ 0.2 (the default
  // minDetectionConfidence), fp32 against int8, on the detector inputs of the fp32 runs.
  const sig = (x) => 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, x))));
  const [bf, bq] = [
    await session(await fp32Face(vision.BLAZEFACE)),
    await session(
      await quantizeFaceOnnx('blazeface', await fp32Face(vision.BLAZEFACE), models.BLAZEFACE_ONNX),
    ),
  ];
  const anchors = { fp32: 0, int8: 0, both: 0 };
  for (let i = 0; i < detectorInputs.length; i += 2) {
    const feeds = { input: new ort.Tensor('float32', detectorInputs[i], [1, 256, 256, 3]) };
    const [ra, rb] = [await bf.run(feeds), await bq.run(feeds)];
    for (const k of ['Identity', 'Identity_1'])
      ra[k].data.forEach((x, j) => {
        const [p, q] = [sig(x) >= 0.2, sig(rb[k].data[j]) >= 0.2];
        anchors.fp32 += p;
        anchors.int8 += q;
        anchors.both += p && q;
      });
  }
  await bf.release();
  await bq.release();
  const meanPx = dist.reduce((s, d) => s + d.mean, 0) / dist.length;
  const meanRel = dist.reduce((s, d) => s + d.mean / d.side, 0) / dist.length;
  const einstein = join(datasets, 'faces', 'images', 'einstein.jpg');
  const truth = readFileSync(join(datasets, 'faces', 'landmarks68', 'einstein.pts'), 'utf8')
    .split('{')[1]
    .split('}')[0]
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .map(([x, y]) => ({ x, y }));
  const nme = async (lm) => {
    const f = (await lm.detect(einstein)).faces[0];
    if (!f) return Number.NaN;
    return visionEval.nme68(
      visionEval.MESH_INDICES_68.map((i) => f.keypoints[i]),
      truth,
    ).all;
  };
  const faceRow = {
    photos: photos.length,
    fp32Faces: ref,
    matched,
    onlyInt8: extra,
    meanKeypointPx: +meanPx.toFixed(2),
    meanKeypointPerBoxSide: +meanRel.toFixed(4),
    worstFaceMeanPx: +Math.max(...dist.map((d) => d.mean)).toFixed(2),
    nme68Fp32: +(await nme(fp32)).toFixed(4),
    nme68Int8: +(await nme(int8)).toFixed(4),
    blazeFaceInt8Anchors: { inputs: detectorInputs.length / 2, ...anchors },
  };
  rows.faces.push(faceRow);
  comparisons.push({
    name: 'Einstein 68-point NME, int8 vs fp32 pipeline',
    unit: 'NME',
    ours: faceRow.nme68Int8,
    peer: faceRow.nme68Fp32,
    ratio: +(faceRow.nme68Int8 / faceRow.nme68Fp32).toFixed(3),
    better: 'lower',
    vs: 'precision fp32',
  });
  console.log(
    `faces int8 vs fp32: ${matched}/${ref} faces matched (+${extra} only in int8), keypoints ${faceRow.meanKeypointPx} px apart on average (${(100 * meanRel).toFixed(2)} % of the box side), NME68 ${faceRow.nme68Int8} vs ${faceRow.nme68Fp32}`,
  );
  fp32.dispose();
  int8.dispose();
}

// ------------------------------------------------------------------ accuracy: mAP@0.5 on the 28 photos
for (const model of ['fast', 'balanced', 'accurate']) {
  const r = {};
  for (const precision of ['fp32', 'int8']) {
    const d = await vision.createObjectDetector({ model, precision, scoreThreshold: 0.01, maxResults: 100 });
    const images = [];
    for (const s of detectionSet)
      images.push({ id: s.id, groundTruth: s.groundTruth, detections: await d.detect(s.imagePath) });
    d.dispose();
    r[precision] = evaluateDetections(images, { iouThreshold: 0.5, maxDetections: 100 });
  }
  const row = {
    model,
    mAPFp32: +r.fp32.mAP.toFixed(4),
    mAPInt8: +r.int8.mAP.toFixed(4),
    deltaPoints: +(100 * (r.int8.mAP - r.fp32.mAP)).toFixed(2),
    recallFp32: +r.fp32.recall.toFixed(4),
    recallInt8: +r.int8.recall.toFixed(4),
  };
  rows.accuracy.push(row);
  comparisons.push({
    name: `${model}: mAP@0.5 on the 28 COCO photos, int8 vs fp32`,
    unit: 'mAP',
    ours: row.mAPInt8,
    peer: row.mAPFp32,
    ratio: +(r.int8.mAP / r.fp32.mAP).toFixed(3),
    better: 'higher',
    vs: 'precision fp32',
  });
  console.log(
    `${model}: mAP@0.5 int8 ${row.mAPInt8} vs fp32 ${row.mAPFp32} (${row.deltaPoints} points), recall ${row.recallInt8} vs ${row.recallFp32}`,
  );
}

// ------------------------------------------------------------------ write
const date = new Date().toISOString();
const cpu = cpus()[0]?.model ?? 'cpu';
const vnni = /avx512_vnni|avx_vnni/.test(readFileSync('/proc/cpuinfo', 'utf8')) ? 'with' : 'without';
const machine =
  `${cpu} ×${cpus().length} (AVX2, ${vnni} VNNI), Node ${process.version}, onnxruntime-node ${ort.env.versions?.common ?? ''}`.trim();
const loadEnd = loadavg()[0];
const byModel = (name) => rows.accuracy.find((a) => a.model === name);
const md = [
  `int8 QDQ forms against the float32 ONNX forms they are quantised from, onnxruntime-node, 1 intra-op and 1 inter-op thread, one process, alternating run by run, ${WARMUP} warm-up + ${RUNS} runs each (${date.slice(0, 16)} UTC; ${machine}; load average ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)}: the machine is shared, read the ratios).`,
  '',
  '| model | fp32 bytes | int8 bytes | size | fp32 p50 / p95 ms | int8 p50 / p95 ms | int8 speed-up (p50; paired) | CPU ms per run fp32 → int8 (p50), speed-up | mAP@0.5 fp32 → int8 |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.models.map((r) => {
    const acc = r.model.includes('balanced')
      ? byModel('balanced')
      : r.model.includes('accurate')
        ? byModel('accurate')
        : r.model.includes('fast')
          ? byModel('fast')
          : undefined;
    return `| ${r.model} | ${r.fp32Bytes.toLocaleString('en-US')} | ${r.int8Bytes.toLocaleString('en-US')} | ${r.sizeRatio.toFixed(3)}× | ${r.fp32.median} / ${r.fp32.p95} | ${r.int8.median} / ${r.int8.p95} | **${r.speedup.toFixed(2)}×**; ${r.pairedSpeedup.toFixed(2)}× | ${r.cpuFp32.median} → ${r.cpuInt8.median}, ${r.cpuSpeedup.toFixed(2)}× | ${acc ? `${acc.mAPFp32.toFixed(3)} → ${acc.mAPInt8.toFixed(3)} (${acc.deltaPoints >= 0 ? '+' : ''}${acc.deltaPoints.toFixed(1)} pts; recall ${acc.recallFp32.toFixed(3)} → ${acc.recallInt8.toFixed(3)})` : ''} |`;
  }),
  '',
  "Whole tasks through the API (`precision: 'int8'` against the default `'fp32'`, both on the native engine):",
  '',
  '| task | fp32 p50 / p95 ms | int8 p50 / p95 ms | int8 speed-up | first use of int8 (convert + quantise + open), ms |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.tasks.map(
    (r) =>
      `| ${r.task} | ${r.fp32.median} / ${r.fp32.p95} | ${r.int8.median} / ${r.int8.p95} | ${r.speedup.toFixed(2)}× | ${r.firstUseMs} |`,
  ),
  '',
  ...rows.faces.map(
    (f) =>
      `Face pipeline, int8 against fp32 on ${f.photos} photos (datasets/faces and the 28 detection photos): ${f.matched} of ${f.fp32Faces} fp32 faces found again (box IoU ≥ 0.5), ${f.onlyInt8} found only by int8; keypoints ${f.meanKeypointPx} px apart on average (${(100 * f.meanKeypointPerBoxSide).toFixed(2)} % of the box side; worst face ${f.worstFaceMeanPx} px); Einstein 68-point NME ${f.nme68Int8} (fp32 ${f.nme68Fp32}). The int8 pipeline runs FaceMesh and Iris in int8 and BlazeFace in fp32: on the ${f.blazeFaceInt8Anchors.inputs} detector inputs of these photos, BlazeFace's int8 form put ${f.blazeFaceInt8Anchors.int8} anchors at score ≥ 0.2 against fp32's ${f.blazeFaceInt8Anchors.fp32} (${f.blazeFaceInt8Anchors.both} in both).`,
  ),
  '',
  `Quantised bytes equal to the SHA-256 recorded in \`packages/vision/src/models.ts\`: ${
    rows.models.every((r) => r.matchesRecordedSha256)
      ? 'yes, every model'
      : rows.models
          .filter((r) => !r.matchesRecordedSha256)
          .map((r) => r.model)
          .join(', ') + ' differ'
  }.`,
  '',
].join('\n');
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'int8.json'),
  `${JSON.stringify({ task: 'int8', title: 'int8 (QDQ) against fp32 on onnxruntime-node', peer: 'fp32 ONNX', date, machine, loadAverage: [+loadStart.toFixed(2), +loadEnd.toFixed(2)], runs: RUNS, ...rows, comparisons }, null, 2)}\n`,
);
writeFileSync(join(here, 'results', 'int8.md'), md);
rmSync(cacheDir, { recursive: true, force: true });
console.log(`\n${md}`);
