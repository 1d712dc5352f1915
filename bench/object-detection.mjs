// Object detection: @ondevice/vision's createObjectDetector beside @vladmandic/human 3.3.6's object
// module running the same CenterNet weights (models/centernet.* of the same package), in one process,
// on the same decoded pixels, alternating call by call after warm-up.
//   node bench/object-detection.mjs      → results/object-detection.{json,md}
// human runs with its result cache off (cacheSensitivity 0, object.skipFrames/skipTime 0, filter off,
// warmup none) and every other module disabled. Both get the same settings: score ≥ 0.2, at most 10
// objects, IoU 0.4 (human's defaults). Also measured: cold start (import → first result, fresh
// processes, alternating), our three variants, the tfjs WASM vs cpu backend, and mAP@0.5 of both
// pipelines on datasets/object_detection with the testkit evaluator.
// Engines (issue #18): "ours" is the default engine — onnxruntime-node in Node, on the ONNX form
// converted from the same weights on first use — at 1 thread (the default on this 2-core machine)
// and at 2 threads (configure({ threads: 2 })), beside our own tfjs path (engine: 'tfjs', the
// same tfjs-wasm human uses) and human. Cold start three ways: native with an empty model cache
// (so the first-use conversion is inside the time), native with the converted model cached, tfjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, quantile, summarize } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');
const RUNS = Number(process.env.BENCH_RUNS ?? 24);
const WARMUP = 3;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const CPU_RUNS = Number(process.env.BENCH_CPU_RUNS ?? 3);
const IMAGES = ['000000397133', '000000214753', '000000460229', '000000303818'];
const imagePath = (id) => join(datasets, 'object_detection', 'images', `${id}.jpg`);
const humanDir = join(here, 'node_modules/@vladmandic/human');
const HUMAN_SETTINGS = { minConfidence: 0.2, maxDetected: 10, iouThreshold: 0.4 };
const OUR_SETTINGS = { scoreThreshold: 0.2, maxResults: 10, iouThreshold: 0.4 };

// ---------------------------------------------------------------- helpers shared by every mode
const stats = (a) => ({
  ...summarize(a, { digits: 1, countKey: 'runs' }),
  p95: +quantile(a, 0.95).toFixed(1),
});

function installFileFetch() {
  // Node's fetch cannot read file:// URLs; human loads its models with fetch.
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const href = typeof url === 'string' ? url : (url.url ?? String(url));
    if (!href.startsWith('file://')) return realFetch(url, init);
    return new Response(readFileSync(fileURLToPath(href)), {
      status: 200,
      headers: { 'content-type': href.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
    });
  };
}

async function createHuman(object = HUMAN_SETTINGS) {
  installFileFetch();
  const require = createRequire(import.meta.url);
  const { Human } = require(join(humanDir, 'dist/human.node-wasm.js'));
  const off = { enabled: false };
  const human = new Human({
    backend: 'wasm',
    wasmPath: `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`,
    modelBasePath: `${pathToFileURL(join(humanDir, 'models')).href}/`,
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: off,
    body: off,
    hand: off,
    gesture: off,
    segmentation: off,
    object: { enabled: true, modelPath: 'centernet.json', skipFrames: 0, skipTime: 0, ...object },
  });
  await human.load();
  return human;
}

/** human.detect on our decoded pixels (the tensor is built inside the timed call, as ours does). */
async function humanDetect(human, pixels) {
  const t = human.tf.tensor4d(pixels.data, [1, pixels.height, pixels.width, 3], 'int32');
  try {
    const r = await human.detect(t);
    if (r.error) throw new Error(`human: ${r.error}`);
    return r.object;
  } finally {
    t.dispose();
  }
}

// ---------------------------------------------------------------- child modes (fresh processes)
const mode = process.argv[2];
if (mode === 'cold-ours') {
  // argv[3]: engine ('auto' = native here, or 'tfjs'); the parent points ONDEVICE_CACHE_DIR at an
  // empty folder (first use: conversion included) or at one holding the converted model.
  const engine = process.argv[3] ?? 'auto';
  const t0 = performance.now();
  const { detectObjects } = await import('@ondevice/vision');
  const t1 = performance.now();
  const found = await detectObjects(imagePath(IMAGES[0]), { ...OUR_SETTINGS, engine });
  const t2 = performance.now();
  console.log(JSON.stringify({ ms: t2 - t0, importMs: t1 - t0, firstCallMs: t2 - t1, found: found.length }));
  process.exit(0);
}
if (mode === 'cold-human') {
  const t0 = performance.now();
  const { decodeImage } = await import('@ondevice/core');
  const human = await createHuman();
  const t1 = performance.now();
  const pixels = await decodeImage(imagePath(IMAGES[0]));
  const found = await humanDetect(human, pixels);
  const t2 = performance.now();
  console.log(
    JSON.stringify({ ms: t2 - t0, importAndLoadMs: t1 - t0, firstCallMs: t2 - t1, found: found.length }),
  );
  process.exit(0);
}
if (mode === 'variants') {
  // Issue #21: time per call of each variant at its defaults, beside the accurate of before (512 +
  // mirror, flip-averaged), one process, native 1 thread, alternating call by call (order reversed
  // every round), on the 4 photos above.  node bench/object-detection.mjs variants
  const { configure, decodeImage } = await import('@ondevice/core');
  const { createObjectDetector } = await import('@ondevice/vision');
  const dist = join(root, 'packages/vision/dist/detect-objects');
  const { centerNetVariant } = await import(pathToFileURL(join(dist, 'centernet.js')).href);
  const { finalizeDetections } = await import(pathToFileURL(join(dist, 'postprocess.js')).href);
  const { COCO_LABELS } = await import(pathToFileURL(join(dist, 'labels.js')).href);
  configure({ threads: 1 });
  const detectors = {};
  for (const model of ['balanced', 'fast', 'accurate'])
    detectors[model] = await createObjectDetector({ model });
  const flip = await centerNetVariant({ inputSize: 512, flip: true, fit: 'letterbox', description: '' }).load(
    {},
  );
  const flipDetect = async (p) =>
    finalizeDetections(await flip.run(p, { scoreThreshold: 0.3 }), {
      labels: COCO_LABELS,
      scoreThreshold: 0.3,
      iouThreshold: 0.5,
      maxResults: 20,
    });
  const pixels = await Promise.all(IMAGES.map((id) => decodeImage(imagePath(id))));
  const order = ['balanced', 'fast', 'accurate', 'accurateBefore'];
  const times = Object.fromEntries(order.map((k) => [k, []]));
  const one = async (who, p) => {
    const t = performance.now();
    if (who === 'accurateBefore') await flipDetect(p);
    else await detectors[who].detect(p);
    return performance.now() - t;
  };
  for (let i = 0; i < WARMUP; i++) for (const who of order) await one(who, pixels[i % pixels.length]);
  for (let i = 0; i < RUNS; i++) {
    const p = pixels[i % pixels.length];
    for (const who of i % 2 ? [...order].reverse() : order) times[who].push(await one(who, p));
  }
  const paired = (a, b) => +median(times[a].map((t, i) => t / times[b][i])).toFixed(3);
  const result = {
    date: new Date().toISOString(),
    load: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
    runs: RUNS,
    stats: Object.fromEntries(order.map((k) => [k, stats(times[k])])),
    pairedVsBalanced: Object.fromEntries(order.map((k) => [k, paired(k, 'balanced')])),
    accurateVsBefore: paired('accurate', 'accurateBefore'),
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results/object-detection-variants.json'), `${JSON.stringify(result, null, 2)}\n`);
  const rows = order.map(
    (k) => `| ${k} | ${result.stats[k].median} / ${result.stats[k].p95} | ${result.pairedVsBalanced[k]} |`,
  );
  writeFileSync(
    join(here, 'results/object-detection-variants.md'),
    `# Object detection variants (issue #21)\n\n${result.date}, load ${result.load.join(' ')}, ${RUNS} alternating calls each on ${IMAGES.length} COCO photos, native 1 thread, each at its default threshold (accurateBefore: 512 + mirror at 0.3).\n\n| variant | p50 / p95 ms | paired ratio to balanced |\n|---|---|---|\n${rows.join('\n')}\n\naccurate ÷ accurateBefore (paired median): ${result.accurateVsBefore}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
  for (const d of Object.values(detectors)) d.dispose();
  flip.dispose();
  process.exit(0);
}
if (mode === 'backend') {
  const backend = process.argv[3];
  const { configure, decodeImage } = await import('@ondevice/core');
  const { createObjectDetector } = await import('@ondevice/vision');
  const { getTfjs } = await import('@ondevice/core/tfjs');
  configure({ backend });
  const { info } = await getTfjs();
  const detector = await createObjectDetector({ ...OUR_SETTINGS, engine: 'tfjs' });
  const pixels = await decodeImage(imagePath(IMAGES[0]));
  await detector.detect(pixels);
  const times = [];
  const runs = backend === 'cpu' ? CPU_RUNS : RUNS;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await detector.detect(pixels);
    times.push(performance.now() - t);
  }
  console.log(JSON.stringify({ backend: info.backend, simd: info.simd ?? null, times }));
  process.exit(0);
}

// ---------------------------------------------------------------- main: same process, alternating
const child = (args, env = {}) => {
  if (typeof args === 'string') args = [args];
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    cwd: here,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};

// The evaluator is TypeScript in the private testkit (no build): transpile that one file.
async function loadEvaluator() {
  const ts = (await import(pathToFileURL(join(root, 'node_modules/typescript/lib/typescript.js')).href))
    .default;
  const src = readFileSync(join(root, 'packages/testkit/src/detection-eval.ts'), 'utf8');
  const out = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dir = join(tmpdir(), `ondevice-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'detection-eval.mjs'), out);
  return import(pathToFileURL(join(dir, 'detection-eval.mjs')).href);
}

console.log('cold start (fresh processes, alternating) …');
// ours: native, empty cache (first-use conversion included); oursCached: native, converted model
// cached; tfjs: our tfjs path; human.
const cold = { ours: [], oursCached: [], tfjs: [], human: [] };
const coldRuns = { ours: [], oursCached: [], tfjs: [], human: [] };
const cachedDir = mkdtempSync(join(tmpdir(), 'ondevice-bench-cached-'));
child(['cold-ours', 'auto'], { ONDEVICE_CACHE_DIR: cachedDir }); // fills it
const coldKinds = {
  ours: () => {
    const dir = mkdtempSync(join(tmpdir(), 'ondevice-bench-empty-'));
    try {
      return child(['cold-ours', 'auto'], { ONDEVICE_CACHE_DIR: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  oursCached: () => child(['cold-ours', 'auto'], { ONDEVICE_CACHE_DIR: cachedDir }),
  tfjs: () => child(['cold-ours', 'tfjs'], { ONDEVICE_CACHE_DIR: cachedDir }),
  human: () => child('cold-human'),
};
for (let i = 0; i < COLD_RUNS; i++) {
  const kinds = Object.keys(coldKinds);
  for (const who of i % 2 ? kinds.reverse() : kinds) {
    const r = coldKinds[who]();
    cold[who].push(r.ms);
    coldRuns[who].push(r);
  }
}
rmSync(cachedDir, { recursive: true, force: true });

console.log('backends (fresh processes) …');
const wasmRun = child(['backend', 'wasm']);
const cpuRun = child(['backend', 'cpu']);

const { configure, decodeImage } = await import('@ondevice/core');
const { createObjectDetector } = await import('@ondevice/vision');
const { getTfjs } = await import('@ondevice/core/tfjs');
const { tf, info } = await getTfjs();
const human = await createHuman();
const sameTf = human.tf.engine() === tf.engine();
const detectors = {};
configure({ threads: 1 });
for (const model of ['balanced', 'fast', 'accurate'])
  detectors[model] = await createObjectDetector({ model, ...OUR_SETTINGS });
configure({ threads: 2 });
detectors.native2 = await createObjectDetector({ model: 'balanced', ...OUR_SETTINGS });
configure({ threads: undefined });
detectors.tfjs = await createObjectDetector({ model: 'balanced', ...OUR_SETTINGS, engine: 'tfjs' });
const runtimes = Object.fromEntries(Object.entries(detectors).map(([k, d]) => [k, d.runtime]));
const pixels = await Promise.all(IMAGES.map((id) => decodeImage(imagePath(id))));

console.log('warm latency (same process, alternating) …');
const times = { human: [], balanced: [], native2: [], tfjs: [], fast: [], accurate: [] };
const order = ['balanced', 'human', 'native2', 'tfjs', 'fast', 'accurate'];
const runOne = async (who, p) => {
  const t = performance.now();
  if (who === 'human') await humanDetect(human, p);
  else await detectors[who].detect(p);
  return performance.now() - t;
};
for (let i = 0; i < WARMUP; i++) for (const who of order) await runOne(who, pixels[i % pixels.length]);
for (let i = 0; i < RUNS; i++) {
  const p = pixels[i % pixels.length];
  // Reverse the order every other round so neither side always runs first.
  for (const who of i % 2 ? [...order].reverse() : order) times[who].push(await runOne(who, p));
}
const paired = (a, b) => {
  const r = times[a].map((t, i) => t / times[b][i]);
  return {
    median: +median(r).toFixed(3),
    p25: +quantile(r, 0.25).toFixed(3),
    p75: +quantile(r, 0.75).toFixed(3),
  };
};
const pairRatios = times.balanced.map((t, i) => t / times.human[i]);

console.log('same detections? …');
const parity = [];
for (const [i, p] of pixels.entries()) {
  const a = await detectors.balanced.detect(p);
  const b = await humanDetect(human, p);
  parity.push({ image: IMAGES[i], ours: a.map((o) => o.label).sort(), human: b.map((o) => o.label).sort() });
}

console.log('accuracy on datasets/object_detection …');
const { evaluateDetections } = await loadEvaluator();
const evalHuman = await createHuman({ minConfidence: 0.01, maxDetected: 100, iouThreshold: 0.5 });
const evalOurs = await createObjectDetector({ model: 'balanced', scoreThreshold: 0.01, maxResults: 100 });
const labelsDir = join(datasets, 'object_detection', 'labels');
const evalImages = { ours: [], human: [] };
for (const f of readdirSync(labelsDir).sort()) {
  const id = f.replace(/\.json$/, '');
  const groundTruth = JSON.parse(readFileSync(join(labelsDir, f), 'utf8')).map((g) => ({
    label: g.label,
    box: { x: g.box[0], y: g.box[1], width: g.box[2], height: g.box[3] },
    iscrowd: g.iscrowd,
  }));
  const p = await decodeImage(imagePath(id));
  evalImages.ours.push({ id, groundTruth, detections: await evalOurs.detect(p) });
  const h = await humanDetect(evalHuman, p);
  evalImages.human.push({
    id,
    groundTruth,
    detections: h.map((o) => ({
      label: o.label,
      score: o.score,
      box: { x: o.box[0], y: o.box[1], width: o.box[2], height: o.box[3] },
    })),
  });
}
const acc = {
  ours: evaluateDetections(evalImages.ours),
  human: evaluateDetections(evalImages.human),
};

// ---------------------------------------------------------------- report
const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
const coldS = Object.fromEntries(Object.entries(cold).map(([k, v]) => [k, stats(v)]));
const wasmS = stats(wasmRun.times);
const cpuS = stats(cpuRun.times);
const ratio = (a, b) => +(a / b).toFixed(3);
const result = {
  task: 'object-detection',
  title: 'Object detection',
  peer: '@vladmandic/human 3.3.6',
  date: new Date().toISOString(),
  setup: {
    node: process.version,
    backend: info.backend,
    simd: info.simd ?? null,
    sameTfjsInstance: sameTf,
    runtimes,
    images: IMAGES.map((id, i) => `${id} (${pixels[i].width}×${pixels[i].height})`),
    settings: { ours: OUR_SETTINGS, human: HUMAN_SETTINGS },
    runs: RUNS,
    warmup: WARMUP,
  },
  comparisons: [
    {
      name: 'detect() warm, balanced (CenterNet 512) vs human object',
      unit: 'ms',
      ours: s.balanced,
      peer: s.human,
      ratio: ratio(s.balanced.median, s.human.median),
      pairedRatio: {
        median: +median(pairRatios).toFixed(3),
        p25: +quantile(pairRatios, 0.25).toFixed(3),
        p75: +quantile(pairRatios, 0.75).toFixed(3),
      },
      better: 'lower',
      runs: RUNS,
    },
    {
      name: 'detect() warm, balanced, native 2 threads vs human object',
      unit: 'ms',
      ours: s.native2,
      peer: s.human,
      ratio: ratio(s.native2.median, s.human.median),
      pairedRatio: paired('native2', 'human'),
      better: 'lower',
      runs: RUNS,
    },
    {
      name: 'detect() warm, balanced, native 1 thread vs our tfjs path',
      unit: 'ms',
      ours: s.balanced,
      peer: s.tfjs,
      ratio: ratio(s.balanced.median, s.tfjs.median),
      pairedRatio: paired('balanced', 'tfjs'),
      better: 'lower',
      vs: 'our tfjs path (engine: tfjs)',
      runs: RUNS,
    },
    {
      name: 'detect() warm, balanced, our tfjs path vs human object',
      unit: 'ms',
      ours: s.tfjs,
      peer: s.human,
      ratio: ratio(s.tfjs.median, s.human.median),
      pairedRatio: paired('tfjs', 'human'),
      better: 'lower',
      runs: RUNS,
    },
    {
      name: 'detect() warm, balanced, native 2 threads vs 1 thread',
      unit: 'ms',
      ours: s.native2,
      peer: s.balanced,
      ratio: ratio(s.native2.median, s.balanced.median),
      pairedRatio: paired('native2', 'balanced'),
      better: 'lower',
      vs: 'native 1 thread',
      runs: RUNS,
    },
    {
      name: 'cold start: import → first result (fresh process)',
      unit: 'ms',
      ours: coldS.ours,
      peer: coldS.human,
      ratio: ratio(coldS.ours.median, coldS.human.median),
      better: 'lower',
      runs: COLD_RUNS,
      note: 'ours: native, empty model cache (first-use ONNX conversion included)',
    },
    {
      name: 'cold start, native with the converted model cached vs human',
      unit: 'ms',
      ours: coldS.oursCached,
      peer: coldS.human,
      ratio: ratio(coldS.oursCached.median, coldS.human.median),
      better: 'lower',
      runs: COLD_RUNS,
    },
    {
      name: 'cold start, our tfjs path vs human',
      unit: 'ms',
      ours: coldS.tfjs,
      peer: coldS.human,
      ratio: ratio(coldS.tfjs.median, coldS.human.median),
      better: 'lower',
      runs: COLD_RUNS,
    },
    {
      name: 'detect() warm, fast (CenterNet 384) vs human object',
      unit: 'ms',
      ours: s.fast,
      peer: s.human,
      ratio: ratio(s.fast.median, s.human.median),
      better: 'lower',
      runs: RUNS,
    },
    {
      name: 'detect() warm, accurate (CenterNet 512 + flip) vs human object',
      unit: 'ms',
      ours: s.accurate,
      peer: s.human,
      ratio: ratio(s.accurate.median, s.human.median),
      better: 'lower',
      runs: RUNS,
    },
    {
      name: 'mAP@0.5 on 28 COCO photos, balanced vs human (same weights)',
      unit: 'mAP',
      ours: +acc.ours.mAP.toFixed(4),
      peer: +acc.human.mAP.toFixed(4),
      ratio: ratio(acc.ours.mAP, acc.human.mAP),
      better: 'higher',
    },
    {
      name: 'recall@0.5 on 28 COCO photos, balanced vs human (same weights)',
      unit: 'recall',
      ours: +acc.ours.recall.toFixed(4),
      peer: +acc.human.recall.toFixed(4),
      ratio: ratio(acc.ours.recall, acc.human.recall),
      better: 'higher',
    },
    {
      name: 'detect() balanced: tfjs WASM vs cpu backend (ours, fresh processes)',
      unit: 'ms',
      ours: wasmS,
      peer: cpuS,
      ratio: ratio(wasmS.median, cpuS.median),
      better: 'lower',
      vs: 'tfjs cpu backend',
      runs: `${wasmS.runs} wasm / ${cpuS.runs} cpu`,
    },
  ],
  parity,
  coldRuns,
  accuracy: {
    ours: { mAP: acc.ours.mAP, recall: acc.ours.recall, classes: acc.ours.classes },
    human: { mAP: acc.human.mAP, recall: acc.human.recall, classes: acc.human.classes },
  },
};

const f = (x) => `${x.median} (${x.p25}–${x.p75}; p95 ${x.p95})`;
const c = (name) => result.comparisons.find((x) => x.name === name);
const md = `Same CenterNet weights, same decoded pixels, one process, alternating call by call (order reversed every
round), ${WARMUP} warm-up rounds then ${RUNS} runs each over ${IMAGES.length} COCO photos. "ours" runs on ${runtimes.balanced}
(the ONNX form converted from the same weights, 1 intra-op thread; "2 threads": configure({ threads: 2 })); "our tfjs"
is engine: 'tfjs' (${info.backend}${info.simd ? '+SIMD' : ''}, the tfjs instance human uses too: ${sameTf}). human's result cache
is off. All: score ≥ 0.2, ≤ 10 objects, IoU 0.4. Median (p25–p75; p95), ms. Paired ratio: the median of
per-round ratios (each round runs both within a second). Measured ${result.date.slice(0, 16)}Z on the shared 2-core
machine (other jobs running: read the ratios, not the milliseconds).

| | time, ms | ratio vs human (p50) | paired ratio vs human |
|---|---|---|---|
| human object (tfjs-wasm) | ${f(s.human)} | 1 | |
| ours, balanced (512), native 1 thread | ${f(s.balanced)} | **${c('detect() warm, balanced (CenterNet 512) vs human object').ratio}** | ${c('detect() warm, balanced (CenterNet 512) vs human object').pairedRatio.median} |
| ours, balanced, native 2 threads | ${f(s.native2)} | ${c('detect() warm, balanced, native 2 threads vs human object').ratio} | ${c('detect() warm, balanced, native 2 threads vs human object').pairedRatio.median} |
| ours, balanced, our tfjs path | ${f(s.tfjs)} | ${c('detect() warm, balanced, our tfjs path vs human object').ratio} | ${c('detect() warm, balanced, our tfjs path vs human object').pairedRatio.median} |
| ours, fast (384), native 1 thread | ${f(s.fast)} | ${c('detect() warm, fast (CenterNet 384) vs human object').ratio} | |
| ours, accurate (512 + flip), native 1 thread | ${f(s.accurate)} | ${c('detect() warm, accurate (CenterNet 512 + flip) vs human object').ratio} | |

Native 1 thread vs our tfjs path: ${c('detect() warm, balanced, native 1 thread vs our tfjs path').ratio} (paired ${c('detect() warm, balanced, native 1 thread vs our tfjs path').pairedRatio.median}).
Native 2 threads vs 1 thread: ${c('detect() warm, balanced, native 2 threads vs 1 thread').ratio} (paired ${c('detect() warm, balanced, native 2 threads vs 1 thread').pairedRatio.median}).

Cold start, import → first result, ${COLD_RUNS} fresh processes each, alternating:

| | ms | ratio vs human |
|---|---|---|
| human (load + first detect) | ${f(coldS.human)} | 1 |
| ours native, empty model cache (first-use conversion included) | ${f(coldS.ours)} | ${c('cold start: import → first result (fresh process)').ratio} |
| ours native, converted model cached | ${f(coldS.oursCached)} | ${c('cold start, native with the converted model cached vs human').ratio} |
| ours, tfjs path | ${f(coldS.tfjs)} | ${c('cold start, our tfjs path vs human').ratio} |

Accuracy on the 28 COCO photos (score ≥ 0.01, ≤ 100; ours native): mAP@0.5 ${acc.ours.mAP.toFixed(3)} vs human's
${acc.human.mAP.toFixed(3)}, recall@0.5 ${acc.ours.recall.toFixed(3)} vs ${acc.human.recall.toFixed(3)}.

tfjs backends (our tfjs path, balanced, one photo, fresh processes): WASM${wasmRun.simd ? '+SIMD' : ''} ${f(wasmS)} ms over ${wasmS.runs} runs,
cpu ${f(cpuS)} ms over ${cpuS.runs} runs: WASM takes **${c('detect() balanced: tfjs WASM vs cpu backend (ours, fresh processes)').ratio}×** the cpu backend's time.

Labels found at the shared settings (balanced native vs human): ${parity
  .map(
    (p) =>
      `${p.image}: ${p.ours.length} vs ${p.human.length}${p.ours.join() === p.human.join() ? ' (same labels)' : ''}`,
  )
  .join('; ')}.
`;
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/object-detection.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(here, 'results/object-detection.md'), md);
console.log(md);
process.exit(0);
