// Face landmarks: @ondevice/vision's detectFaceLandmarks beside @vladmandic/human 3.3.6's face
// pipeline (the same blazeface, facemesh and iris weights from the same package), in one process,
// on the same decoded pixels, alternating call by call, after warm-up.
//   node bench/face-landmarks.mjs        → results/face-landmarks.{json,md}
// human runs with its result cache off (cacheSensitivity 0, skipFrames/skipTime 0, filter off,
// warmup none) and every non-face module disabled, with rotation correction on (as ours does).
// Cases: the whole pipeline with irises, detector + mesh (both without iris), and the detector
// stage alone (human with mesh and iris off vs our own detect-stage timer). Per stage: the time
// inside each network (GraphModel.execute, timed identically for both) and everything else.
// Engines (issue #18): "ours" is the default engine — onnxruntime-node in Node, on ONNX forms
// converted from the same weights on first use — at 1 thread (the default on this 2-core machine)
// and 2 threads (configure({ threads: 2 })), beside our own tfjs path (engine: 'tfjs', the same
// tfjs-wasm human uses) and human, all alternating. The per-network split is measured for our tfjs
// path and human (GraphModel.execute). Cold start (fresh processes, alternating): native with an
// empty model cache (first-use conversion of the three models included), native with them cached,
// our tfjs path, human.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, quantile, summarize } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;
const IMAGES = [
  { id: '000000162415', note: '536×640, 1 large face' },
  { id: '000000444294', note: '640×427, group photo' },
  { id: '000000229358', note: '640×423, 1 small face' },
];

const require = createRequire(import.meta.url);
const humanDir = join(here, 'node_modules/@vladmandic/human');
const humanPkg = JSON.parse(readFileSync(join(humanDir, 'package.json'), 'utf8'));
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const coldImage = join(datasets, 'faces/images', `${IMAGES[0].id}.jpg`);

// ---------------------------------------------------------------- child mode: our cold start
if (process.argv[2] === 'cold-ours') {
  const engine = process.argv[3] ?? 'auto';
  const t0 = performance.now();
  const { createFaceLandmarker } = await import('@ondevice/vision');
  const landmarker = await createFaceLandmarker({ refineLandmarks: true, engine });
  const { faces } = await landmarker.detect(coldImage);
  console.log(
    JSON.stringify({ ms: performance.now() - t0, faces: faces.length, runtime: landmarker.runtime }),
  );
  process.exit(0);
}

// ---------------------------------------------------------------- mode: the small-faces pass
// Issue #21: the whole pipeline (468 points) with the second look for small faces (default) and
// without it (smallFaces: false), alternating call by call, native 1 thread, on the 7 photos of
// datasets/faces.   node bench/face-landmarks.mjs small-faces → results/face-small-faces.{json,md}
if (process.argv[2] === 'small-faces') {
  const { readdirSync, mkdirSync } = await import('node:fs');
  const { configure } = await import('@ondevice/core');
  const { createFaceLandmarker } = await import('@ondevice/vision');
  configure({ threads: 1 });
  const landmarker = await createFaceLandmarker();
  const dir = join(datasets, 'faces/images');
  const files = readdirSync(dir).sort();
  const rows = [];
  for (const f of files) {
    const path = join(dir, f);
    for (let i = 0; i < WARMUP; i++) await landmarker.detect(path, { smallFaces: i % 2 === 0 });
    const t = { on: [], off: [] };
    const faces = {};
    for (let i = 0; i < RUNS; i++)
      for (const on of i % 2 ? [true, false] : [false, true]) {
        const r = await landmarker.detect(path, { smallFaces: on });
        t[on ? 'on' : 'off'].push(landmarker.lastTimings.total);
        faces[on ? 'on' : 'off'] = r.faces.length;
      }
    const paired = median(t.on.map((v, i) => v / t.off[i]));
    rows.push({
      photo: f,
      facesOff: faces.off,
      facesOn: faces.on,
      offMs: +median(t.off).toFixed(1),
      onMs: +median(t.on).toFixed(1),
      paired: +paired.toFixed(3),
    });
  }
  const geo = Math.exp(rows.reduce((a, r) => a + Math.log(r.paired), 0) / rows.length);
  const result = {
    date: new Date().toISOString(),
    load: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
    runs: RUNS,
    rows,
    geomeanPaired: +geo.toFixed(3),
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results/face-small-faces.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(
    join(here, 'results/face-small-faces.md'),
    `# Face landmarks: the small-faces second look (issue #21)\n\n${result.date}, load ${result.load.join(' ')}, ${RUNS} alternating calls each, native 1 thread, 468 points.\n\n| photo | faces off → on | p50 ms off → on | paired ratio |\n|---|---|---|---|\n${rows.map((r) => `| ${r.photo} | ${r.facesOff} → ${r.facesOn} | ${r.offMs} → ${r.onMs} | ${r.paired} |`).join('\n')}\n\nGeometric mean of the paired ratios: ${result.geomeanPaired}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
  landmarker.dispose();
  process.exit(0);
}

// Node's fetch cannot read file:// URLs; human loads its models with fetch.
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const href = typeof url === 'string' ? url : (url.url ?? String(url));
  if (href.startsWith('file://')) {
    const bytes = readFileSync(fileURLToPath(href));
    return new Response(bytes, {
      status: 200,
      headers: { 'content-type': href.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
    });
  }
  return realFetch(url, init);
};

const coldHuman = process.argv[2] === 'cold-human';
const t0Human = performance.now();
const { decodeImage, configure } = await import('@ondevice/core');
// tfjs comes with @ondevice/vision (core only holds its layer, at @ondevice/core/tfjs).
await import('@ondevice/vision');
const { getTfjs } = await import('@ondevice/core/tfjs');
const { tf, info } = await getTfjs();
const { Human } = require(join(humanDir, 'dist/human.node-wasm.js'));
const off = { enabled: false };
const humanConfig = {
  backend: 'wasm',
  modelBasePath: pathToFileURL(join(humanDir, 'models')).href + '/',
  debug: false,
  async: false,
  warmup: 'none',
  cacheSensitivity: 0,
  filter: { enabled: false },
  gesture: off,
  body: off,
  hand: off,
  object: off,
  segmentation: off,
  face: {
    enabled: true,
    detector: {
      rotation: true,
      maxDetected: 10,
      minConfidence: 0.2,
      skipFrames: 0,
      skipTime: 0,
      return: false,
    },
    mesh: { enabled: true },
    iris: { enabled: true },
    attention: off,
    emotion: off,
    description: off,
    antispoof: off,
    liveness: off,
    gear: off,
  },
};
const human = new Human(humanConfig);
await human.load();
if (coldHuman) {
  const pixels = await decodeImage(coldImage);
  const input = tf.tensor4d(pixels.data, [1, pixels.height, pixels.width, 3], 'int32');
  const res = await human.detect(input, humanConfig);
  console.log(JSON.stringify({ ms: performance.now() - t0Human, faces: res.face.length }));
  process.exit(0);
}
const sameTf = human.tf.engine() === tf.engine();

// Model time per stage, for both pipelines alike: on WASM a graph model's execute() runs its
// kernels synchronously, so timing execute() measures the network itself. The models are told
// apart by input size (256 detector, 192 mesh, 64 iris). Everything else is pre/post-processing.
const { GraphModel } = await import('@tensorflow/tfjs-converter');
let modelSink = null;
const originalExecute = GraphModel.prototype.execute;
GraphModel.prototype.execute = function (...args) {
  const t = performance.now();
  const out = originalExecute.apply(this, args);
  if (modelSink) {
    const size = this.inputs?.[0]?.shape?.[1];
    const key = size === 256 ? 'detector' : size === 192 ? 'mesh' : size === 64 ? 'iris' : 'other';
    modelSink[key] = (modelSink[key] ?? 0) + performance.now() - t;
  }
  return out;
};

const variants = {
  detector: {
    human: { face: { mesh: { enabled: false }, iris: { enabled: false } } },
    ours: { refineLandmarks: false },
  },
  mesh: {
    human: { face: { mesh: { enabled: true }, iris: { enabled: false } } },
    ours: { refineLandmarks: false },
  },
  full: {
    human: { face: { mesh: { enabled: true }, iris: { enabled: true } } },
    ours: { refineLandmarks: true },
  },
};
const merge = (a, b) => {
  const out = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? merge(a[k] ?? {}, v) : v;
  return out;
};

// ---------------------------------------------------------------- cold start (fresh processes)
const child = (args, env = {}) => {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    cwd: here,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};
console.log('cold start (fresh processes, alternating) …');
const cold = { ours: [], oursCached: [], tfjs: [], human: [] };
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
  human: () => child(['cold-human']),
};
for (let i = 0; i < COLD_RUNS; i++) {
  const kinds = Object.keys(coldKinds);
  for (const who of i % 2 ? kinds.reverse() : kinds) cold[who].push(coldKinds[who]().ms);
}
rmSync(cachedDir, { recursive: true, force: true });

const { createFaceLandmarker } = await import('@ondevice/vision');
configure({ threads: 1 });
const landmarker = await createFaceLandmarker({ maxFaces: 10 });
configure({ threads: 2 });
const landmarker2 = await createFaceLandmarker({ maxFaces: 10 });
configure({ threads: undefined });
const landmarkerTfjs = await createFaceLandmarker({ maxFaces: 10, engine: 'tfjs' });
const runtimes = { ours: landmarker.runtime, native2: landmarker2.runtime, tfjs: landmarkerTfjs.runtime };

const stats = (a) => ({ ...summarize(a, { digits: 2, countKey: 'n' }), p95: +quantile(a, 0.95).toFixed(2) });

async function runHuman(pixels, variant) {
  const input = tf.tensor4d(pixels.data, [1, pixels.height, pixels.width, 3], 'int32');
  try {
    modelSink = {};
    const t = performance.now();
    const res = await human.detect(input, merge(humanConfig, variants[variant].human));
    const ms = performance.now() - t;
    const models = modelSink;
    modelSink = null;
    return { ms, faces: res.face.length, models };
  } finally {
    input.dispose();
  }
}
async function runOurs(pixels, variant, lm = landmarker) {
  modelSink = {};
  const t = performance.now();
  const res = await lm.detect(pixels, variants[variant].ours);
  const ms = performance.now() - t;
  const models = modelSink;
  modelSink = null;
  const stage = variant === 'detector' ? lm.lastTimings.decode + lm.lastTimings.detect : ms;
  return { ms: stage, total: ms, faces: res.faces.length, timings: lm.lastTimings, models };
}

const comparisons = [];
const rows = [];
for (const { id, note } of IMAGES) {
  const pixels = await decodeImage(join(datasets, 'faces/images', `${id}.jpg`));
  for (const variant of ['full', 'mesh', 'detector']) {
    for (let i = 0; i < WARMUP; i++) {
      await runOurs(pixels, variant);
      await runHuman(pixels, variant);
      await runOurs(pixels, variant, landmarker2);
      await runOurs(pixels, variant, landmarkerTfjs);
    }
    const ours = [];
    const peer = [];
    const native2 = [];
    const tfjsPath = [];
    const stages = { detect: [], mesh: [], iris: [] };
    const modelMs = {
      ours: { detector: [], mesh: [], iris: [], rest: [] },
      peer: { detector: [], mesh: [], iris: [], rest: [] },
    };
    const addModels = (who, total, models) => {
      let sum = 0;
      for (const k of ['detector', 'mesh', 'iris']) {
        modelMs[who][k].push(models[k] ?? 0);
        sum += models[k] ?? 0;
      }
      modelMs[who].rest.push(total - sum);
    };
    let oursFaces = 0;
    let peerFaces = 0;
    for (let r = 0; r < RUNS; r++) {
      // alternate who goes first
      const order = r % 2 ? ['tfjs', 'native2', 'peer', 'ours'] : ['ours', 'peer', 'native2', 'tfjs'];
      for (const who of order) {
        if (who === 'native2') native2.push((await runOurs(pixels, variant, landmarker2)).ms);
        else if (who === 'tfjs') {
          const o = await runOurs(pixels, variant, landmarkerTfjs);
          tfjsPath.push(o.ms);
          addModels('ours', o.total, o.models);
        } else if (who === 'ours') {
          const o = await runOurs(pixels, variant);
          ours.push(o.ms);
          oursFaces = o.faces;
          for (const k of Object.keys(stages)) stages[k].push(o.timings[k]);
        } else {
          const p = await runHuman(pixels, variant);
          peer.push(p.ms);
          addModels('peer', p.ms, p.models);
          peerFaces = p.faces;
        }
      }
    }
    const label = {
      full: 'whole pipeline, 478 points (detector + mesh + iris)',
      mesh: 'detector + mesh, 468 points',
      detector: 'detector stage only',
    }[variant];
    const c = {
      variant,
      name: `${id} (${note}): ${label}`,
      unit: 'ms',
      ours: stats(ours),
      peer: stats(peer),
      ratio: +(median(ours) / median(peer)).toFixed(3),
      pairedRatio: +median(ours.map((o, i) => o / peer[i])).toFixed(3),
      native2: stats(native2),
      native2Ratio: +(median(native2) / median(peer)).toFixed(3),
      tfjs: stats(tfjsPath),
      tfjsRatio: +(median(tfjsPath) / median(peer)).toFixed(3),
      nativeVsTfjs: +(median(ours) / median(tfjsPath)).toFixed(3),
      better: 'lower',
      runs: RUNS,
      faces: { ours: oursFaces, peer: peerFaces },
      modelMs: Object.fromEntries(
        Object.entries(modelMs).map(([who, m]) => [
          who,
          Object.fromEntries(Object.entries(m).map(([k, v]) => [k, +median(v).toFixed(2)])),
        ]),
      ),
      oursStages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, +median(v).toFixed(2)])),
    };
    comparisons.push(c);
    rows.push(c);
    console.log(
      c.name,
      'ours',
      c.ours.median,
      'human',
      c.peer.median,
      'ratio',
      c.ratio,
      'faces',
      c.faces,
      'stages',
      c.oursStages,
    );
  }
}

// Per stage: the time inside each network (same weights, so this should match) and everything
// else (decoding outputs, crops, NMS, mapping), medians over the whole-pipeline runs.
const stageRows = IMAGES.map(({ id, note }) => {
  const full = comparisons.find((c) => c.name.startsWith(id) && c.variant === 'full');
  const row = { image: `${id} (${note})` };
  for (const k of ['detector', 'mesh', 'iris', 'rest']) {
    const o = full.modelMs.ours[k];
    const p = full.modelMs.peer[k];
    row[k] = { ours: o, peer: p, ratio: p > 0 ? +(o / p).toFixed(3) : null };
  }
  return row;
});
console.log('stages', JSON.stringify(stageRows));

const geo = (a) => Math.exp(a.reduce((s, v) => s + Math.log(v), 0) / a.length);
const byVariant = (v) =>
  comparisons.filter((c) =>
    c.name.includes({ full: 'whole pipeline', mesh: 'detector + mesh', detector: 'detector stage' }[v]),
  );
const summary = Object.fromEntries(
  ['full', 'mesh', 'detector'].map((v) => [v, +geo(byVariant(v).map((c) => c.ratio)).toFixed(3)]),
);
const summaryOf = (key) =>
  Object.fromEntries(
    ['full', 'mesh', 'detector'].map((v) => [v, +geo(byVariant(v).map((c) => c[key])).toFixed(3)]),
  );
const summaries = {
  native1VsHuman: summary,
  native1PairedVsHuman: summaryOf('pairedRatio'),
  native2VsHuman: summaryOf('native2Ratio'),
  tfjsVsHuman: summaryOf('tfjsRatio'),
  native1VsTfjs: summaryOf('nativeVsTfjs'),
};
const coldS = Object.fromEntries(Object.entries(cold).map(([k, v]) => [k, stats(v)]));
const result = {
  task: 'face-landmarks',
  title: 'Face landmarks',
  peer: `@vladmandic/human ${humanPkg.version}`,
  date: new Date().toISOString(),
  backend: info,
  sameTfjsInstance: sameTf,
  method: `same process, same decoded pixels, alternating call by call, ${WARMUP} warm-up calls per case, ${RUNS} runs each; human with cacheSensitivity 0, skipFrames/skipTime 0, filter off, rotation on, non-face modules off; ratio = median ours ÷ median human`,
  runtimes,
  summaryGeometricMeanRatio: summary,
  summaries,
  coldStart: { runs: COLD_RUNS, image: IMAGES[0].id, refineLandmarks: true, ...coldS },
  stages: stageRows,
  comparisons,
};
writeFileSync(join(here, 'results/face-landmarks.json'), `${JSON.stringify(result, null, 2)}\n`);

const md = [
  `Same process, same decoded pixels, alternating, ${WARMUP} warm-up + ${RUNS} runs per case, tfjs ${tf.version_core} on ${info.backend}${info.simd ? ' (SIMD)' : ''}; human ${humanPkg.version} with its result cache off and rotation correction on. Ratio = median ours ÷ median human (below 1 = faster).`,
  '',
  `"ours" runs on ${runtimes.ours} (ONNX converted from the same weights; 1 intra-op thread, "2 threads": configure({ threads: 2 })); "our tfjs" is engine: 'tfjs'. The machine is shared (2 cores, other jobs running): read the ratios.`,
  '',
  'Geometric-mean ratio over the images (median ÷ median per image and case):',
  '',
  '| | whole pipeline (478 points) | detector + mesh | detector stage |',
  '|---|---|---|---|',
  `| ours native 1 thread ÷ human | **${summaries.native1VsHuman.full}** | ${summaries.native1VsHuman.mesh} | ${summaries.native1VsHuman.detector} |`,
  `| same, paired (median of per-round ratios) | ${summaries.native1PairedVsHuman.full} | ${summaries.native1PairedVsHuman.mesh} | ${summaries.native1PairedVsHuman.detector} |`,
  `| ours native 2 threads ÷ human | ${summaries.native2VsHuman.full} | ${summaries.native2VsHuman.mesh} | ${summaries.native2VsHuman.detector} |`,
  `| our tfjs path ÷ human | ${summaries.tfjsVsHuman.full} | ${summaries.tfjsVsHuman.mesh} | ${summaries.tfjsVsHuman.detector} |`,
  `| ours native 1 thread ÷ our tfjs path | ${summaries.native1VsTfjs.full} | ${summaries.native1VsTfjs.mesh} | ${summaries.native1VsTfjs.detector} |`,
  '',
  '| image | case | native 1 thread ms p50 (p25–p75; p95) | native 2 threads p50 (p95) | our tfjs p50 (p95) | human p50 (p25–p75; p95) | ratio native 1 ÷ human | faces ours / human | our stages detect / mesh / iris ms |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((c) => {
    const [img, ...rest] = c.name.split(': ');
    return `| ${img} | ${rest.join(': ')} | ${c.ours.median} (${c.ours.p25}–${c.ours.p75}; ${c.ours.p95}) | ${c.native2.median} (${c.native2.p95}) | ${c.tfjs.median} (${c.tfjs.p95}) | ${c.peer.median} (${c.peer.p25}–${c.peer.p75}; ${c.peer.p95}) | ${c.ratio} | ${c.faces.ours} / ${c.faces.peer} | ${c.oursStages.detect} / ${c.oursStages.mesh} / ${c.oursStages.iris} |`;
  }),
  '',
  `Cold start, import → first whole-pipeline result (478 points) on ${IMAGES[0].id}, ${COLD_RUNS} fresh processes each, alternating, median (p25–p75; p95) ms:`,
  '',
  '| | ms | ratio vs human |',
  '|---|---|---|',
  `| human (load + first detect) | ${coldS.human.median} (${coldS.human.p25}–${coldS.human.p75}; ${coldS.human.p95}) | 1 |`,
  `| ours native, empty model cache (first-use conversion of the 3 models included) | ${coldS.ours.median} (${coldS.ours.p25}–${coldS.ours.p75}; ${coldS.ours.p95}) | ${(coldS.ours.median / coldS.human.median).toFixed(3)} |`,
  `| ours native, converted models cached | ${coldS.oursCached.median} (${coldS.oursCached.p25}–${coldS.oursCached.p75}; ${coldS.oursCached.p95}) | ${(coldS.oursCached.median / coldS.human.median).toFixed(3)} |`,
  `| ours, tfjs path | ${coldS.tfjs.median} (${coldS.tfjs.p25}–${coldS.tfjs.p75}; ${coldS.tfjs.p95}) | ${(coldS.tfjs.median / coldS.human.median).toFixed(3)} |`,
  '',
  'Per stage, whole pipeline, **our tfjs path** vs human (median ms per call): time inside each network (`GraphModel.execute`, synchronous on WASM, timed the same way for both) and everything else (input tensor, crops, output decoding, NMS, mapping):',
  '',
  '| image | detector net ours / human (ratio) | mesh net ours / human (ratio) | iris net ours / human (ratio) | everything else ours / human (ratio) |',
  '|---|---|---|---|---|',
  ...stageRows.map(
    (r) =>
      `| ${r.image} | ${r.detector.ours} / ${r.detector.peer} (${r.detector.ratio}) | ${r.mesh.ours} / ${r.mesh.peer} (${r.mesh.ratio}) | ${r.iris.ours} / ${r.iris.peer} (${r.iris.ratio}) | ${r.rest.ours} / ${r.rest.peer} (${r.rest.ratio}) |`,
  ),
  '',
];
writeFileSync(join(here, 'results/face-landmarks.md'), md.join('\n'));
console.log('summary', JSON.stringify(summaries), 'cold', JSON.stringify(coldS));
landmarker.dispose();
landmarker2.dispose();
landmarkerTfjs.dispose();
