// Object detection: @ondevice/vision's createObjectDetector beside @vladmandic/human 3.3.6's object
// module running the same CenterNet weights (models/centernet.* of the same package), in one process,
// on the same decoded pixels, alternating call by call after warm-up.
//   node bench/object-detection.mjs      → results/object-detection.{json,md}
// human runs with its result cache off (cacheSensitivity 0, object.skipFrames/skipTime 0, filter off,
// warmup none) and every other module disabled. Both get the same settings: score ≥ 0.2, at most 10
// objects, IoU 0.4 (human's defaults). Also measured: cold start (import → first result, fresh
// processes, alternating), our three variants, the tfjs WASM vs cpu backend, and mAP@0.5 of both
// pipelines on datasets/object_detection with the testkit evaluator.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const stats = (a) => summarize(a, { digits: 1, countKey: 'runs' });

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
  const t0 = performance.now();
  const { detectObjects } = await import('@ondevice/vision');
  const t1 = performance.now();
  const found = await detectObjects(imagePath(IMAGES[0]), OUR_SETTINGS);
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
if (mode === 'backend') {
  const backend = process.argv[3];
  const { configure, decodeImage, getTfjs } = await import('@ondevice/core');
  const { createObjectDetector } = await import('@ondevice/vision');
  configure({ backend });
  const { info } = await getTfjs();
  const detector = await createObjectDetector(OUR_SETTINGS);
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
const child = (...args) => {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    cwd: here,
    encoding: 'utf8',
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
const cold = { ours: [], human: [] };
const coldRuns = { ours: [], human: [] };
for (let i = 0; i < COLD_RUNS; i++) {
  for (const who of i % 2 ? ['human', 'ours'] : ['ours', 'human']) {
    const r = child(`cold-${who}`);
    cold[who].push(r.ms);
    coldRuns[who].push(r);
  }
}

console.log('backends (fresh processes) …');
const wasmRun = child('backend', 'wasm');
const cpuRun = child('backend', 'cpu');

const { decodeImage, getTfjs } = await import('@ondevice/core');
const { createObjectDetector } = await import('@ondevice/vision');
const { tf, info } = await getTfjs();
const human = await createHuman();
const sameTf = human.tf.engine() === tf.engine();
const detectors = {};
for (const model of ['balanced', 'fast', 'accurate'])
  detectors[model] = await createObjectDetector({ model, ...OUR_SETTINGS });
const pixels = await Promise.all(IMAGES.map((id) => decodeImage(imagePath(id))));

console.log('warm latency (same process, alternating) …');
const times = { human: [], balanced: [], fast: [], accurate: [] };
const order = ['balanced', 'human', 'fast', 'accurate'];
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
const coldS = { ours: stats(cold.ours), human: stats(cold.human) };
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
      name: 'cold start: import → first result (fresh process)',
      unit: 'ms',
      ours: coldS.ours,
      peer: coldS.human,
      ratio: ratio(coldS.ours.median, coldS.human.median),
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

const f = (x) => `${x.median} (${x.p25}–${x.p75})`;
const md = `Same CenterNet weights, same decoded pixels, one process (${info.backend}${info.simd ? '+SIMD' : ''},
shared tfjs instance: ${sameTf}), alternating call by call (order reversed every round), ${WARMUP} warm-up
rounds then ${RUNS} runs each over ${IMAGES.length} COCO photos. human's result cache is off. Both: score ≥ 0.2,
≤ 10 objects, IoU 0.4. Median (p25–p75), ms. Measured ${result.date.slice(0, 16)}Z on the shared 2-core machine.

| | ours | human | ratio ours/human |
|---|---|---|---|
| warm detect, balanced (512) | ${f(s.balanced)} | ${f(s.human)} | **${result.comparisons[0].ratio}** (paired median ${result.comparisons[0].pairedRatio.median}) |
| warm detect, fast (384) | ${f(s.fast)} | | ${result.comparisons[2].ratio} |
| warm detect, accurate (512 + flip) | ${f(s.accurate)} | | ${result.comparisons[3].ratio} |
| cold start, import → first result (${COLD_RUNS} fresh processes each, alternating) | ${f(coldS.ours)} | ${f(coldS.human)} | ${result.comparisons[1].ratio} |
| mAP@0.5, 28 COCO photos (score ≥ 0.01, ≤ 100) | ${acc.ours.mAP.toFixed(3)} | ${acc.human.mAP.toFixed(3)} | ${result.comparisons[4].ratio} |
| recall@0.5 | ${acc.ours.recall.toFixed(3)} | ${acc.human.recall.toFixed(3)} | ${result.comparisons[5].ratio} |

Backends (ours, balanced, one photo, fresh processes): WASM${wasmRun.simd ? '+SIMD' : ''} ${f(wasmS)} ms over ${wasmS.runs} runs,
cpu ${f(cpuS)} ms over ${cpuS.runs} runs: WASM takes **${result.comparisons[6].ratio}×** the cpu backend's time.

Labels found at the shared settings (balanced vs human): ${parity
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
