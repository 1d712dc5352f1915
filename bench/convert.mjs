// TFJS → ONNX, measured: each TFJS model the project ships converted by @ondevice/optimize's
// convertGraphModelToOnnx, then tfjs-wasm (the graph as published) against onnxruntime-node
// (the converted model, 1 intra-op and 1 inter-op thread) in one process, alternating, after
// warm-up, on one real photo preprocessed as the vision tasks do. Also: conversion time, ONNX size
// and the largest |tfjs − onnx| on that input.
//   node bench/convert.mjs            → bench/results/convert.{json,md}
//   node bench/convert.mjs --runs 10  → fewer runs (smoke test)
// Build packages/optimize first (it is imported from its dist, as bench/optimize.mjs does).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { visionModelInputs } from './lib/model-inputs.mjs';
import { summarize } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const RUNS = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 30;
const WARMUP = 3;

// Importing core first switches onnxruntime's telemetry off.
const core = await import('@ondevice/core');
const { getOrt } = await import('@ondevice/core/onnx');
const vision = await import('@ondevice/vision');
const opt = await import('../packages/optimize/dist/index.js');
const datasets = process.env.ONDEVICE_DATASETS ?? join(here, '..', '..', 'shared', 'datasets');

// The published CenterNet files, as the detector loads them.
const CENTERNET = vision.CENTERNET_MOBILENETV3;

const inputs = await visionModelInputs(core, datasets);

const MODELS = [
  {
    name: 'CenterNet 512',
    spec: CENTERNET,
    outputs: ['tower_0/keypoints', 'tower_0/wh'],
    size: 512,
    input: inputs.centernet,
  },
  {
    name: 'BlazeFace 256',
    spec: vision.BLAZEFACE,
    size: 256,
    input: inputs.blazeface,
  },
  {
    name: 'FaceMesh 192',
    spec: vision.FACEMESH,
    size: 192,
    input: inputs.facemesh,
  },
  {
    name: 'Iris 64',
    spec: vision.IRIS,
    size: 64,
    input: inputs.iris,
  },
];

const { tf, info } = await (await import('@ondevice/core/tfjs')).getTfjs();
const ort = await getOrt('node');
const now = () => performance.now();
const rows = [];

for (const m of MODELS) {
  const loaded = await core.loadModel(m.spec);
  const [jsonBytes, bin] = m.spec.files.map((f) => loaded.files.get(f.path));
  const json = JSON.parse(new TextDecoder().decode(jsonBytes));
  const t0 = now();
  const converted = opt.convertGraphModelToOnnx({
    modelJson: json,
    weights: bin,
    ...(m.outputs ? { outputs: m.outputs } : {}),
  });
  const convertMs = now() - t0;
  const graph = await opt.loadGraphModelFromMemory(json, bin);
  const session = await ort.InferenceSession.create(converted.onnx, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const names = m.outputs ?? converted.outputs.map((o) => o.name);
  const data = m.input();
  const shape = [1, m.size, m.size, 3];
  const runTfjs = async () => {
    const x = tf.tensor4d(data, shape);
    const ys = graph.execute(x, names);
    const list = Array.isArray(ys) ? ys : [ys];
    const out = await Promise.all(list.map((y) => y.data()));
    tf.dispose([x, ...list]);
    return out;
  };
  const runOnnx = async () => {
    const r = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, shape) });
    return names.map((n) => r[n].data);
  };
  const [a, b] = [await runTfjs(), await runOnnx()];
  let maxAbs = 0;
  let peak = 0;
  a.forEach((t, i) => {
    for (let j = 0; j < t.length; j++) {
      maxAbs = Math.max(maxAbs, Math.abs(t[j] - b[i][j]));
      peak = Math.max(peak, Math.abs(t[j]));
    }
  });
  for (let i = 0; i < WARMUP; i++) {
    await runTfjs();
    await runOnnx();
  }
  const tfjsMs = [];
  const onnxMs = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which engine goes first, so neither always runs on a warmer cache.
    const order = i % 2 ? [runOnnx, runTfjs] : [runTfjs, runOnnx];
    for (const run of order) {
      const t = now();
      await run();
      (run === runTfjs ? tfjsMs : onnxMs).push(now() - t);
    }
  }
  graph.dispose();
  await session.release();
  const tfjs = summarize(tfjsMs, { digits: 2 });
  const onnx = summarize(onnxMs, { digits: 2 });
  const row = {
    name: `${m.name}: onnxruntime-node (converted) vs tfjs-wasm`,
    model: m.name,
    unit: 'ms',
    ours: onnx,
    peer: tfjs,
    ratio: +(onnx.median / tfjs.median).toFixed(2),
    better: 'lower',
    vs: 'tfjs-wasm (same weights)',
    runs: RUNS,
    convertMs: +convertMs.toFixed(0),
    onnxBytes: converted.onnx.byteLength,
    onnxSha256: await core.sha256Hex(converted.onnx),
    onnxNodes: converted.onnxNodes,
    maxAbsDiff: maxAbs,
    maxRelDiff: maxAbs / peak,
  };
  rows.push(row);
  console.log(
    `${m.name}: tfjs-wasm p50 ${tfjs.median} ms, onnxruntime-node p50 ${onnx.median} ms, ratio ${row.ratio}; max |Δ| ${maxAbs.toExponential(2)} (${row.maxRelDiff.toExponential(2)} rel); converted in ${row.convertMs} ms`,
  );
}

const date = new Date().toISOString();
const machine = `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, Node ${process.version}, tfjs ${info.backend}${info.simd ? ' SIMD' : ''}`;
const md = [
  `TFJS graph models converted by \`convertGraphModelToOnnx\`, one process, alternating, ${WARMUP} warm-up + ${RUNS} runs each, batch 1, one real photo (${date.slice(0, 16)} UTC; ${machine}). onnxruntime-node: 1 intra-op and 1 inter-op thread, all graph optimisations; tfjs: the published graph on ${info.backend}, output download included in both.`,
  '',
  '| model | tfjs-wasm p50 (p25–p75) | onnxruntime-node p50 (p25–p75) | ratio | max abs diff | max diff / max abs value | ONNX bytes | convert |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.model} | ${r.peer.median} ms (${r.peer.p25}–${r.peer.p75}) | ${r.ours.median} ms (${r.ours.p25}–${r.ours.p75}) | ${r.ratio.toFixed(2)} | ${r.maxAbsDiff.toExponential(1)} | ${r.maxRelDiff.toExponential(1)} | ${r.onnxBytes.toLocaleString('en-US')} | ${r.convertMs} ms |`,
  ),
  '',
].join('\n');
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'convert.json'),
  `${JSON.stringify({ task: 'convert', title: 'TFJS → ONNX (converted models on onnxruntime-node)', peer: 'tfjs-wasm', date, machine, comparisons: rows }, null, 2)}\n`,
);
writeFileSync(join(here, 'results', 'convert.md'), md);
console.log(`\n${md}`);
