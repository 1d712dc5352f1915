// Model optimisation, measured: CenterNet (MobileNetV3, COCO) as published vs. its quantised and
// pruned variants from @ondevice/optimize, in one run: file size (raw, gzip), accuracy on the
// object-detection evaluation set (mAP@0.5, recall at score ≥ 0.3), load time and inference latency;
// then the tfjs backends available in Node (WASM with SIMD, WASM without SIMD, cpu), each in its own
// process because SIMD is chosen when the WASM backend initialises.
//   node bench/optimize.mjs            → bench/results/optimize.{json,md}
//   node bench/optimize.mjs --quick    → fewer images and runs (smoke test)
//   node bench/optimize.mjs --backend wasm-simd|wasm-nosimd|cpu   (child mode: prints one JSON line)
//   node bench/optimize.mjs --compare out/centernet.json   → the published CenterNet vs. an optimised
//        copy (e.g. from `ondevice optimize`), same evaluation, printed only (what --eval detect runs)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** core's tfjs layer, with tfjs provided by @ondevice/optimize (core does not depend on tfjs). */
async function tfjsLayer() {
  await import('../packages/optimize/dist/index.js');
  return import('@ondevice/core/tfjs');
}
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const backendArg = args.includes('--backend') ? args[args.indexOf('--backend') + 1] : undefined;
const compareArg = args.includes('--compare') ? args[args.indexOf('--compare') + 1] : undefined;

// The published weights (float16 storage), as @ondevice/vision's CENTERNET_MOBILENETV3 spec names them.
const CENTERNET = {
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
const SIZE = 512;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};
const stats = (xs) => ({
  median: median(xs),
  p25: quantile(xs, 0.25),
  p75: quantile(xs, 0.75),
  runs: xs.length,
});

async function loadFiles(core) {
  const loaded = await core.loadModel(CENTERNET);
  return {
    json: new TextDecoder().decode(loaded.files.get('centernet.json')),
    bin: loaded.files.get('centernet.bin'),
  };
}

async function toInput(core, path) {
  const pixels = await core.decodeImage(path);
  return {
    width: pixels.width,
    height: pixels.height,
    data: Float32Array.from(core.resizePixels(pixels, SIZE, SIZE).data),
  };
}

function runOnce(tf, model, input) {
  const x = tf.tensor4d(input.data, [1, SIZE, SIZE, 3]);
  const y = model.execute(x, 'tower_0/detections');
  const out = y.dataSync();
  tf.dispose([x, y]);
  return out;
}

// ---- child mode: one backend, one process --------------------------------------------------------
if (backendArg) {
  const tf = await import('@tensorflow/tfjs-core');
  // The flag is registered by the WASM backend module and read once when the backend initialises.
  await import('@tensorflow/tfjs-backend-wasm');
  if (backendArg === 'wasm-nosimd') tf.env().set('WASM_HAS_SIMD_SUPPORT', false);
  const core = await import('@ondevice/core');
  core.configure({ backend: backendArg === 'cpu' ? 'cpu' : 'wasm' });
  const { info } = await (await tfjsLayer()).getTfjs();
  const { json, bin } = await loadFiles(core);
  const opt = await import('../packages/optimize/dist/index.js');
  const model = await opt.loadGraphModelFromMemory(JSON.parse(json), bin);
  const input = await toInput(core, join(datasetsDir(), 'object_detection', 'images', '000000397133.jpg'));
  const runs = Number(args[args.indexOf('--runs') + 1]) || 10;
  runOnce(tf, model, input); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    runOnce(tf, model, input);
    times.push(performance.now() - t);
  }
  console.log(JSON.stringify({ backend: backendArg, info, ms: stats(times), tfBackend: tf.getBackend() }));
  process.exit(0);
}

function datasetsDir() {
  return process.env.ONDEVICE_DATASETS ?? join(here, '..', '..', 'shared', 'datasets');
}

// ---- accuracy: mAP@0.5 and recall -----------------------------------------------------------------
function iouXywh(a, b) {
  const x1 = Math.max(a[0], b[0]);
  const y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]);
  const y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}

/**
 * COCO-style AP at IoU 0.5 (101-point interpolated precision), averaged over the classes that have
 * ground truth; detections matched to crowd boxes are ignored. Used until the shared evaluator in
 * packages/testkit is importable from a .mjs script.
 */
function evaluate(images, minIou = 0.5) {
  const byClass = new Map();
  for (const img of images) {
    for (const g of img.truth) {
      if (g.iscrowd) continue;
      const c = byClass.get(g.label) ?? { dets: [], total: 0 };
      c.total++;
      byClass.set(g.label, c);
    }
  }
  for (const [label, c] of byClass) {
    for (let i = 0; i < images.length; i++) {
      const img = images[i];
      const truth = img.truth.filter((g) => g.label === label);
      const used = new Array(truth.length).fill(false);
      const dets = img.detections.filter((d) => d.label === label).sort((a, b) => b.score - a.score);
      for (const d of dets) {
        let best = -1;
        let bestIou = minIou;
        // Non-crowd first, as COCO does.
        for (let k = 0; k < truth.length; k++) {
          if (used[k] || truth[k].iscrowd) continue;
          const v = iouXywh(d.box, truth[k].box);
          if (v >= bestIou) {
            bestIou = v;
            best = k;
          }
        }
        if (best >= 0) {
          used[best] = true;
          c.dets.push({ score: d.score, tp: true });
          continue;
        }
        const crowd = truth.some((g) => g.iscrowd && iouXywh(d.box, g.box) >= minIou);
        if (!crowd) c.dets.push({ score: d.score, tp: false });
      }
    }
  }
  const aps = [];
  for (const [, c] of byClass) {
    c.dets.sort((a, b) => b.score - a.score);
    let tp = 0;
    let fp = 0;
    const prec = [];
    const rec = [];
    for (const d of c.dets) {
      if (d.tp) tp++;
      else fp++;
      prec.push(tp / (tp + fp));
      rec.push(tp / c.total);
    }
    for (let i = prec.length - 2; i >= 0; i--) prec[i] = Math.max(prec[i], prec[i + 1]);
    let ap = 0;
    for (let t = 0; t <= 100; t++) {
      const r = t / 100;
      const k = rec.findIndex((x) => x >= r);
      ap += k >= 0 ? prec[k] : 0;
    }
    aps.push(ap / 101);
  }
  return aps.reduce((s, x) => s + x, 0) / aps.length;
}

function recallAt(images, threshold, minIou = 0.5) {
  let total = 0;
  let found = 0;
  for (const img of images) {
    const dets = img.detections.filter((d) => d.score >= threshold);
    for (const g of img.truth) {
      if (g.iscrowd) continue;
      total++;
      if (dets.some((d) => d.label === g.label && iouXywh(d.box, g.box) >= minIou)) found++;
    }
  }
  return found / total;
}

/** The shared evaluator (packages/testkit/src/detection-eval.ts, self-contained), type-stripped here. */
async function sharedEvaluator() {
  const path = join(here, '..', 'packages', 'testkit', 'src', 'detection-eval.ts');
  try {
    const ts = (await import('typescript')).default;
    const js = ts.transpileModule(readFileSync(path, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const mod = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);
    return mod.evaluateDetections;
  } catch (error) {
    console.warn(`shared evaluator unavailable (${error.message}); using this script's own`);
    return undefined;
  }
}

/** mAP@0.5 over all detections, recall over those scoring ≥ 0.3. */
function score(evaluated) {
  if (!evaluateShared) return { mAP50: evaluate(evaluated), recall30: recallAt(evaluated, 0.3) };
  const asEval = (minScore) =>
    evaluated.map((img, i) => ({
      id: String(i),
      groundTruth: img.truth.map((g) => ({
        label: g.label,
        iscrowd: g.iscrowd,
        box: { x: g.box[0], y: g.box[1], width: g.box[2], height: g.box[3] },
      })),
      detections: img.detections
        .filter((d) => d.score >= minScore)
        .map((d) => ({
          label: d.label,
          score: d.score,
          box: { x: d.box[0], y: d.box[1], width: d.box[2], height: d.box[3] },
        })),
    }));
  return { mAP50: evaluateShared(asEval(0)).mAP, recall30: evaluateShared(asEval(0.3)).recall };
}

// ---- main -----------------------------------------------------------------------------------------
const evaluateShared = await sharedEvaluator();
const tf = await import('@tensorflow/tfjs-core');
const core = await import('@ondevice/core');
const opt = await import('../packages/optimize/dist/index.js');
const { info } = await (await tfjsLayer()).getTfjs();
const { json, bin } = await loadFiles(core);
const LABELS = await cocoLabels();

const dataset = join(datasetsDir(), 'object_detection');
let ids = readdirSync(join(dataset, 'images'))
  .filter((f) => f.endsWith('.jpg'))
  .map((f) => f.replace(/\.jpg$/, ''))
  .sort();
if (quick) ids = ids.slice(0, 4);
const images = [];
for (const id of ids) {
  images.push({
    id,
    input: await toInput(core, join(dataset, 'images', `${id}.jpg`)),
    truth: JSON.parse(readFileSync(join(dataset, 'labels', `${id}.json`), 'utf8')),
  });
}

function decode(raw, img) {
  const boxes = [];
  const scores = [];
  const classes = [];
  for (let i = 0; i < raw.length / 6; i++) {
    const [x1, y1, x2, y2, score, cls] = raw.slice(i * 6, i * 6 + 6);
    if (!(score >= 0.01) || Number.isNaN(cls)) continue;
    const sx = img.input.width / SIZE;
    const sy = img.input.height / SIZE;
    boxes.push({ x: x1 * sx, y: y1 * sy, width: (x2 - x1) * sx, height: (y2 - y1) * sy });
    scores.push(score);
    classes.push(cls);
  }
  const keep = core.nonMaxSuppression(boxes, scores, { iouThreshold: 0.5, maxResults: 100, classes });
  return keep.map((k) => ({
    label: LABELS[classes[k]],
    score: scores[k],
    box: [boxes[k].x, boxes[k].y, boxes[k].width, boxes[k].height],
  }));
}

async function cocoLabels() {
  // The class order of COCO-80 detectors; taken from @ondevice/vision when it is built.
  try {
    const vision = await import('@ondevice/vision');
    if (vision.COCO_LABELS?.length === 80) return vision.COCO_LABELS;
  } catch {
    // fall through
  }
  const src = readFileSync(
    join(here, '..', 'packages', 'vision', 'src', 'detect-objects', 'labels.ts'),
    'utf8',
  );
  const list = [...src.matchAll(/^\s+'([a-z ]+)',$/gm)].map((m) => m[1]);
  if (list.length !== 80) throw new Error('could not read the COCO labels');
  return list;
}

const VARIANTS = [
  { name: 'published (float16 storage)', key: 'original', options: {} },
  { name: 'float16', key: 'float16', options: { quantize: 'float16' } },
  { name: 'uint16', key: 'uint16', options: { quantize: 'uint16' } },
  { name: 'uint8 (all weights)', key: 'uint8', options: { quantize: 'uint8' } },
  {
    name: 'uint8, depthwise kernels kept float16',
    key: 'uint8-keep-depthwise',
    options: { quantize: 'uint8', quantizeDepthwise: false },
  },
  { name: 'prune 0.2', key: 'prune-0.2', options: { prune: 0.2 } },
  { name: 'prune 0.5', key: 'prune-0.5', options: { prune: 0.5 } },
  { name: 'prune 0.5 + uint8', key: 'prune-0.5-uint8', options: { prune: 0.5, quantize: 'uint8' } },
];

if (compareArg) {
  // Evaluate a model.json from disk beside the published one (its weights as they are).
  const text = readFileSync(compareArg, 'utf8');
  const weights = new Map();
  for (const g of JSON.parse(text).weightsManifest)
    for (const p of g.paths) weights.set(p, new Uint8Array(readFileSync(join(dirname(compareArg), p))));
  VARIANTS.splice(1, VARIANTS.length - 1, {
    name: compareArg,
    key: 'compare',
    modelJson: text,
    weights,
    options: {},
  });
}

/** A model from disk, unchanged, in the shape optimizeGraphModel returns. */
async function asIs(text, weights) {
  const modelJson = JSON.parse(text);
  const parts = modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => weights.get(p)));
  const all = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    all.set(b, at);
    at += b.byteLength;
  }
  const jsonBytes = new TextEncoder().encode(text);
  const size = {
    totalBytes: jsonBytes.byteLength + all.byteLength,
    gzipBytes: (await opt.gzipSize(jsonBytes)) + (await opt.gzipSize(all)),
  };
  return { modelJson, weights: all, report: { after: size } };
}

const results = [];
const models = [];
const outputs = [];
// One load before timing any, so the first variant does not pay for JIT and backend warm-up.
(await opt.loadGraphModelFromMemory(JSON.parse(json), bin)).dispose();
for (const v of VARIANTS) {
  const t0 = performance.now();
  const out = v.modelJson
    ? await asIs(v.modelJson, v.weights)
    : await opt.optimizeGraphModel({ modelJson: json, weights: bin, ...v.options });
  const optimiseMs = performance.now() - t0;
  const model = await opt.loadGraphModelFromMemory(out.modelJson, out.weights);
  const evaluated = images.map((img) => ({
    truth: img.truth,
    detections: decode(runOnce(tf, model, img.input), img),
  }));
  const r = {
    key: v.key,
    name: v.name,
    options: v.options,
    // The published row counts the files as published (their model.json is pretty-printed).
    bytes:
      v.key === 'original'
        ? { raw: out.report.before.totalBytes, gzip: out.report.before.gzipBytes }
        : { raw: out.report.after.totalBytes, gzip: out.report.after.gzipBytes },
    optimiseMs: Math.round(optimiseMs),
    ...score(evaluated),
    pruning: out.report.pruning,
  };
  results.push(r);
  models.push(model);
  outputs.push(out);
  console.log(
    `${v.name.padEnd(40)} raw ${r.bytes.raw} gzip ${r.bytes.gzip} mAP@0.5 ${r.mAP50.toFixed(4)} recall@0.3 ${r.recall30.toFixed(4)}`,
  );
}

// Load time (tfjs parses the manifest, dequantises to float32, builds the graph, uploads the
// weights): every variant in turn, order rotated each round.
const loadTimes = outputs.map(() => []);
for (let r = 0; r < (quick ? 2 : 6); r++) {
  for (let i = 0; i < outputs.length; i++) {
    const k = (i + r) % outputs.length;
    const t = performance.now();
    const m = await opt.loadGraphModelFromMemory(outputs[k].modelJson, outputs[k].weights);
    loadTimes[k].push(performance.now() - t);
    m.dispose();
  }
}
results.forEach((r, i) => {
  r.loadMs = stats(loadTimes[i]);
});

// Latency: all variants loaded at once, alternating one inference each per round after warm-up,
// so machine load (2 shared cores) hits them alike.
const rounds = quick ? 3 : 12;
const latencyImage = images.find((i) => i.id === '000000397133') ?? images[0];
for (const m of models) runOnce(tf, m, latencyImage.input);
const times = models.map(() => []);
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < models.length; i++) {
    const k = (i + r) % models.length;
    const t = performance.now();
    runOnce(tf, models[k], latencyImage.input);
    times[k].push(performance.now() - t);
  }
}
for (const m of models) m.dispose();
results.forEach((r, i) => {
  r.inferMs = stats(times[i]);
});

const base = results[0];
for (const r of results) {
  r.ratio = {
    raw: r.bytes.raw / base.bytes.raw,
    gzip: r.bytes.gzip / base.bytes.gzip,
    latency: r.inferMs.median / base.inferMs.median,
    load: r.loadMs.median / base.loadMs.median,
  };
  r.delta = { mAP50: r.mAP50 - base.mAP50, recall30: r.recall30 - base.recall30 };
}

// The shipped option, end to end: detectObjects/createObjectDetector({ precision }) with
// @ondevice/vision's own decoder, int8 derived on first use into an empty cache.
let shipped;
if (!compareArg)
  try {
    const vision = await import('@ondevice/vision');
    const { CENTERNET_MOBILENETV3_INT8 } = await import('@ondevice/vision/internals');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const previous = core.getConfig().cacheDir;
    const cacheDir = mkdtempSync(join(tmpdir(), 'ondevice-bench-optimize-'));
    core.configure({ cacheDir });
    const timed = async (f) => {
      const t = performance.now();
      const v = await f();
      return [v, performance.now() - t];
    };
    const [int8, firstUseMs] = await timed(() => vision.createObjectDetector({ precision: 'int8' }));
    const [int8Again, cachedLoadMs] = await timed(() => vision.createObjectDetector({ precision: 'int8' }));
    int8Again.dispose();
    const [fp32, fp32LoadMs] = await timed(() => vision.createObjectDetector({ precision: 'fp32' }));
    const run = async (detector) => {
      const evaluated = [];
      for (const img of images) {
        const objects = await detector.detect(join(dataset, 'images', `${img.id}.jpg`), {
          scoreThreshold: 0.05,
          maxResults: 100,
        });
        evaluated.push({
          truth: img.truth,
          detections: objects.map((o) => ({
            label: o.label,
            score: o.score,
            box: [o.box.x, o.box.y, o.box.width, o.box.height],
          })),
        });
      }
      return score(evaluated);
    };
    const acc = { fp32: await run(fp32), int8: await run(int8) };
    const path = join(dataset, 'images', `${latencyImage.id}.jpg`);
    await fp32.detect(path);
    await int8.detect(path);
    const lat = { fp32: [], int8: [] };
    for (let r = 0; r < rounds; r++) {
      for (const [name, d] of r % 2
        ? [
            ['int8', int8],
            ['fp32', fp32],
          ]
        : [
            ['fp32', fp32],
            ['int8', int8],
          ]) {
        const t = performance.now();
        await d.detect(path);
        lat[name].push(performance.now() - t);
      }
    }
    fp32.dispose();
    int8.dispose();
    core.configure({ cacheDir: previous });
    rmSync(cacheDir, { recursive: true, force: true });
    shipped = {
      fp32: { ...acc.fp32, detectMs: stats(lat.fp32), loadMs: Math.round(fp32LoadMs) },
      int8: {
        ...acc.int8,
        detectMs: stats(lat.int8),
        firstUseMs: Math.round(firstUseMs),
        cachedLoadMs: Math.round(cachedLoadMs),
        bytes: Object.fromEntries(CENTERNET_MOBILENETV3_INT8.files.map((f) => [f.path, f.size])),
      },
    };
    shipped.delta = {
      mAP50: acc.int8.mAP50 - acc.fp32.mAP50,
      recall30: acc.int8.recall30 - acc.fp32.recall30,
    };
    shipped.latencyRatio = shipped.int8.detectMs.median / shipped.fp32.detectMs.median;
    console.log('detectObjects precision', JSON.stringify(shipped));
  } catch (error) {
    console.warn(`detectObjects precision comparison skipped: ${error.stack ?? error}`);
  }

// Backends, one process each.
const backendRuns = {};
for (const [name, runs] of compareArg
  ? []
  : [
      ['wasm-simd', quick ? 3 : 10],
      ['wasm-nosimd', quick ? 3 : 10],
      ['cpu', quick ? 1 : 3],
    ]) {
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--backend', name, '--runs', String(runs)],
    {
      cwd: here,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  const line = child.stdout.trim().split('\n').pop();
  try {
    backendRuns[name] = JSON.parse(line);
    console.log(
      `backend ${name}: ${backendRuns[name].ms.median.toFixed(0)} ms (${backendRuns[name].tfBackend}, simd ${backendRuns[name].info.simd})`,
    );
  } catch {
    backendRuns[name] = { error: (child.stderr || child.stdout).slice(-500) };
    console.log(`backend ${name}: failed ${backendRuns[name].error}`);
  }
}
const simdMs = backendRuns['wasm-simd']?.ms?.median;
for (const b of Object.values(backendRuns)) if (b.ms && simdMs) b.ratioVsWasmSimd = b.ms.median / simdMs;

const fmtPct = (x) => `${(100 * x).toFixed(1)}%`;
const fmtDelta = (x) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
const md = [
  `CenterNet MobileNetV3 (COCO), ${SIZE}×${SIZE}, ${images.length} images / ${images.reduce((n, i) => n + i.truth.filter((g) => !g.iscrowd).length, 0)} boxes of the object-detection set; tfjs ${info.backend}${info.simd ? ' (SIMD)' : ''}, Node ${process.version}, ${cpus().length} cores (shared). One run; ${rounds} alternating inference rounds per variant on one image.`,
  '',
  '| variant | raw bytes | raw ratio | gzip bytes | gzip ratio | mAP@0.5 | Δ mAP (pts) | recall@0.3 | Δ recall (pts) | latency ratio | load ratio |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.bytes.raw.toLocaleString('en')} | ${r.ratio.raw.toFixed(3)} | ${r.bytes.gzip.toLocaleString('en')} | ${r.ratio.gzip.toFixed(3)} | ${fmtPct(r.mAP50)} | ${fmtDelta(r.delta.mAP50)} | ${fmtPct(r.recall30)} | ${fmtDelta(r.delta.recall30)} | ${r.ratio.latency.toFixed(2)} | ${r.ratio.load.toFixed(2)} |`,
  ),
  '',
  `Latency of the published model: median ${base.inferMs.median.toFixed(0)} ms per ${SIZE}×${SIZE} inference (p25 ${base.inferMs.p25.toFixed(0)}, p75 ${base.inferMs.p75.toFixed(0)}); load (parse + dequantise + graph) ${base.loadMs.median.toFixed(0)} ms.`,
  'Weights are dequantised to float32 at load, so inference runs the same float32 kernels for every variant: latency ratios are ≈ 1 by construction and only size and load change.',
  '',
  ...(shipped
    ? [
        `**As shipped** — \`detectObjects(img, { precision })\` (model "balanced", @ondevice/vision's decoder, scoreThreshold 0.05 for mAP):`,
        '',
        '| precision | mAP@0.5 | recall@0.3 | detect() median ms | load ms |',
        '|---|---:|---:|---:|---:|',
        `| fp32 (default; = fp16) | ${fmtPct(shipped.fp32.mAP50)} | ${fmtPct(shipped.fp32.recall30)} | ${shipped.fp32.detectMs.median.toFixed(0)} | ${shipped.fp32.loadMs} |`,
        `| int8 | ${fmtPct(shipped.int8.mAP50)} (${fmtDelta(shipped.delta.mAP50)} pts) | ${fmtPct(shipped.int8.recall30)} (${fmtDelta(shipped.delta.recall30)} pts) | ${shipped.int8.detectMs.median.toFixed(0)} (ratio ${shipped.latencyRatio.toFixed(2)}) | first use (derive + cache) ${shipped.int8.firstUseMs}, cached ${shipped.int8.cachedLoadMs} |`,
        '',
      ]
    : []),
  ...(Object.keys(backendRuns).length
    ? [
        '| backend (Node, CenterNet 512) | median ms | p25–p75 | runs | ratio vs WASM SIMD |',
        '|---|---:|---:|---:|---:|',
      ]
    : []),
  ...Object.entries(backendRuns).map(([name, b]) =>
    b.ms
      ? `| ${name} | ${b.ms.median.toFixed(0)} | ${b.ms.p25.toFixed(0)}–${b.ms.p75.toFixed(0)} | ${b.ms.runs} | ${b.ratioVsWasmSimd.toFixed(2)} |`
      : `| ${name} | failed | | | |`,
  ),
  '',
].join('\n');

const comparisons = buildComparisons(results, shipped, backendRuns);

/**
 * The rows bench/report.mjs shows (its summary spans every task, so only what decides something):
 * the shipped int8 end to end, the per-tensor uint8 and pruning losses, and the backends.
 */
function buildComparisons(variants, asShipped, backends) {
  const published = variants.find((r) => r.key === 'original');
  const pick = (key) => variants.find((r) => r.key === key);
  const rows = [];
  const int8 = pick('uint8-keep-depthwise');
  if (int8) {
    rows.push({
      name: 'int8 (shipped): gzip size',
      unit: 'bytes',
      ours: int8.bytes.gzip,
      peer: published.bytes.gzip,
      better: 'lower',
    });
    rows.push({
      name: 'int8: mAP@0.5, graph decoder',
      unit: '%',
      ours: 100 * int8.mAP50,
      peer: 100 * published.mAP50,
      better: 'higher',
    });
  }
  if (asShipped) {
    rows.push({
      name: 'int8: mAP@0.5, detectObjects',
      unit: '%',
      ours: 100 * asShipped.int8.mAP50,
      peer: 100 * asShipped.fp32.mAP50,
      better: 'higher',
    });
    rows.push({
      name: 'int8: detectObjects ms',
      unit: 'ms',
      ours: asShipped.int8.detectMs,
      peer: asShipped.fp32.detectMs,
      better: 'lower',
      runs: asShipped.int8.detectMs.runs,
    });
  }
  for (const key of ['uint8', 'prune-0.5']) {
    const r = pick(key);
    if (r)
      rows.push({
        name: `${r.name}: mAP@0.5, graph decoder`,
        unit: '%',
        ours: 100 * r.mAP50,
        peer: 100 * published.mAP50,
        better: 'higher',
      });
  }
  for (const [name, b] of Object.entries(backends)) {
    if (!b.ms || name === 'wasm-simd') continue;
    rows.push({
      name: `backend ${name}: CenterNet ms`,
      unit: 'ms',
      ours: b.ms,
      peer: backends['wasm-simd'].ms,
      vs: 'tfjs WASM with SIMD',
      better: 'lower',
      runs: b.ms.runs,
    });
  }
  return rows;
}

const payload = {
  task: 'optimize',
  title: 'Model optimisation (quantise, prune) and backends',
  peer: 'the published CenterNet weights',
  date: new Date().toISOString(),
  quick,
  environment: { node: process.version, cores: cpus().length, backend: info },
  images: images.length,
  evaluator: evaluateShared ? 'packages/testkit/src/detection-eval.ts' : 'bench/optimize.mjs (own)',
  shipped,
  variants: results,
  backends: backendRuns,
  comparisons,
};
mkdirSync(join(here, 'results'), { recursive: true });
if (!quick && !compareArg) {
  writeFileSync(join(here, 'results', 'optimize.json'), `${JSON.stringify(payload, null, 2)}\n`);
  writeFileSync(join(here, 'results', 'optimize.md'), md);
}
console.log(`\n${md}`);
