// Browser engines, measured (issue #18, "Browsers"): per vision model, tfjs (WebGPU, WebGL, WASM)
// against onnxruntime-web (WebGPU, WASM on 1 thread, WASM on 2 threads when the page is
// cross-origin isolated) on the same weights, in one Chromium page, alternating run by run.
//   node bench/browser-engines.mjs               → results/browser-engines.{json,md}
//   node bench/browser-engines.mjs --runs 5      → fewer runs (smoke test)
//   node bench/browser-engines.mjs --models iris,facemesh
// The TFJS graphs are the published files the vision tasks load (CenterNet re-targeted to 512 as
// the detector does); the ONNX forms are derived here in Node by @ondevice/optimize's
// convertGraphModelToOnnx, exactly as the vision package derives them (their SHA-256 is checked
// against the one recorded in packages/vision/src/models.ts), and served from 127.0.0.1 by the
// playground's server (COOP/COEP, so the page is cross-origin isolated). Nothing comes from a CDN.
// Each timed run: input tensor made, network run, every output read back to the CPU.
// Debian's Chromium (/usr/bin/chromium) through playwright-core; first, which backends exist at
// all under several flag sets (this machine has no GPU: WebGL and WebGPU are SwiftShader).
// Build packages/optimize and packages/vision first (imported from their dist).
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../apps/playground/scripts/serve.mjs';
import { visionModelInputs } from './lib/model-inputs.mjs';
import { quantile, summarize } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(arg('--runs', process.env.BENCH_RUNS ?? 20));
const WARMUP = 3;
/** A round whose slowest engine takes longer than this runs that engine on fewer rounds (see below). */
const SLOW_MS = Number(arg('--slow-ms', 1500));
const MIN_RUNS_SLOW = Number(arg('--min-runs-slow', 8));
/** …and one slower than this (CenterNet on a software GPU: tens of seconds a run) on RUNS_VERY_SLOW. */
const VERY_SLOW_MS = Number(arg('--very-slow-ms', 10_000));
const RUNS_VERY_SLOW = Number(arg('--runs-very-slow', 4));
/** Rounds of the second page, where only the WASM engines run (they are fast, so more rounds). */
const RUNS_WASM = Number(arg('--runs-wasm', 2 * RUNS));
/** Reuse the all-engines page of the last results file (and its probes): only re-run the WASM page. */
const REPORT_ONLY = args.includes('--report-only'); // re-render the last results, measure nothing
const REUSE = REPORT_ONLY || args.includes('--reuse-all-engines');
/**
 * onnxruntime-web is kept for a model and backend only where it took less than this share of
 * tfjs's p50 in every page that measured the pair; otherwise tfjs, which the other models load
 * anyway (a second runtime is a second download: 14–27 MB of WASM). Within 10 % is a tie here.
 */
const MARGIN = 0.9;
const WASM_ENGINES = ['tfjs-wasm', 'ort-wasm-1', 'ort-wasm-2'];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');

const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
/** Flag sets probed for which backends exist; the measurement runs under `measured`. */
const FLAG_SETS = {
  'as the e2e tests (--disable-gpu)': BASE_FLAGS,
  'without --disable-gpu': BASE_FLAGS.filter((f) => f !== '--disable-gpu'),
  '--disable-gpu --enable-unsafe-webgpu': [...BASE_FLAGS, '--enable-unsafe-webgpu'],
  'without --disable-gpu, --enable-unsafe-webgpu': [
    ...BASE_FLAGS.filter((f) => f !== '--disable-gpu'),
    '--enable-unsafe-webgpu',
  ],
  'without --disable-gpu, --enable-unsafe-webgpu, SwiftShader forced (ANGLE + WebGPU adapter)': [
    ...BASE_FLAGS.filter((f) => f !== '--disable-gpu'),
    '--enable-unsafe-webgpu',
    '--use-angle=swiftshader',
    '--use-webgpu-adapter=swiftshader',
    '--enable-features=Vulkan',
  ],
};
const MEASURED_FLAGS = '--disable-gpu --enable-unsafe-webgpu';

// Resolved from the packages that depend on them (the bench package does not).
const playgroundRequire = createRequire(join(root, 'apps/playground/package.json'));
const { chromium } = playgroundRequire('playwright-core');
// (pnpm links each dependency into the depending package's node_modules: tfjs and onnxruntime-web
// are core's or vision's.)
const pkgDir = (name) => {
  const dir = ['packages/vision', 'packages/core', 'bench']
    .map((p) => join(root, p, 'node_modules', name))
    .find((d) => existsSync(join(d, 'package.json')));
  if (!dir) throw new Error(`${name} is not installed for @ondevice/vision or @ondevice/core`);
  return dir;
};
const version = (name) => JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version;

// Importing core first switches onnxruntime's telemetry off (not used here, but as everywhere).
const core = await import('@ondevice/core');
const vision = await import('@ondevice/vision');
const visionModels = await import('../packages/vision/dist/models.js');
const { centerNetEngineModel } = await import('../packages/vision/dist/detect-objects/centernet.js');
const { convertGraphModelToOnnx } = await import('../packages/optimize/dist/index.js');

// ------------------------------------------------------------------ models, inputs, ONNX forms
const inputs = await visionModelInputs(core, datasets);

/** The face models' ONNX form, as detect-face-landmarks derives it. */
async function faceFiles(spec) {
  const { files } = await core.loadModel(spec);
  const jsonPath = [...files.keys()].find((p) => p.endsWith('.json'));
  const onnx = convertGraphModelToOnnx({
    modelJson: files.get(jsonPath),
    weights: new Map([...files].filter(([p]) => p !== jsonPath)),
  }).onnx;
  return { files, onnx };
}
async function centerNetFiles() {
  const model = centerNetEngineModel(vision.CENTERNET_MOBILENETV3, 'fp32', 512);
  return { files: await model.tfjsFiles({}), onnx: await model.onnx.derive({}) };
}

const MODELS = [
  {
    key: 'centernet',
    name: 'CenterNet 512',
    size: 512,
    outputs: ['tower_0/keypoints', 'tower_0/wh'],
    onnxSpec: visionModels.CENTERNET_ONNX['fp32-512'],
    load: centerNetFiles,
    input: inputs.centernet,
  },
  {
    key: 'blazeface',
    name: 'BlazeFace 256',
    size: 256,
    onnxSpec: visionModels.BLAZEFACE_ONNX,
    load: () => faceFiles(vision.BLAZEFACE),
    input: inputs.blazeface,
  },
  {
    key: 'facemesh',
    name: 'FaceMesh 192',
    size: 192,
    onnxSpec: visionModels.FACEMESH_ONNX,
    load: () => faceFiles(vision.FACEMESH),
    input: inputs.facemesh,
  },
  {
    key: 'iris',
    name: 'Iris 64',
    size: 64,
    onnxSpec: visionModels.IRIS_ONNX,
    load: () => faceFiles(vision.IRIS),
    input: inputs.iris,
  },
];
const wanted = arg('--models', '').split(',').filter(Boolean);
// Smallest first, so that a long run has the small models' results early (written after each model).
const models = (wanted.length ? MODELS.filter((m) => wanted.includes(m.key)) : MODELS).reverse();

// ------------------------------------------------------------------ the served folder
const site = mkdtempSync(join(tmpdir(), 'ondevice-browser-engines-'));
const copy = (from, to) => {
  mkdirSync(dirname(join(site, to)), { recursive: true });
  copyFileSync(from, join(site, to));
};
const TFJS_SCRIPTS = [
  ['@tensorflow/tfjs-core', 'tf-core.min.js'],
  ['@tensorflow/tfjs-converter', 'tf-converter.min.js'],
  ['@tensorflow/tfjs-backend-webgl', 'tf-backend-webgl.min.js'],
  ['@tensorflow/tfjs-backend-webgpu', 'tf-backend-webgpu.min.js'],
  ['@tensorflow/tfjs-backend-wasm', 'tf-backend-wasm.min.js'],
];
for (const [pkg, file] of TFJS_SCRIPTS) copy(join(pkgDir(pkg), 'dist', file), `tf/${file}`);
for (const file of [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
])
  copy(join(pkgDir('@tensorflow/tfjs-backend-wasm'), 'dist', file), `tf/${file}`);
// onnxruntime-web: the WASM build (what core loads, `onnxruntime-web/wasm`) and the WebGPU build.
for (const file of [
  'ort.wasm.min.mjs',
  'ort.webgpu.min.mjs',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
])
  copy(join(pkgDir('onnxruntime-web'), 'dist', file), `ort/${file}`);

mkdirSync(join(site, 'inputs'), { recursive: true });
const previous = REUSE
  ? JSON.parse(readFileSync(join(here, 'results', 'browser-engines.json'), 'utf8'))
  : undefined;
const derived = REPORT_ONLY ? previous.derived : [];
for (const m of REPORT_ONLY ? [] : models) {
  const t0 = performance.now();
  const { files, onnx } = await m.load();
  const sha256 = await core.sha256Hex(onnx);
  const recorded = m.onnxSpec.files[0];
  if (sha256 !== recorded.sha256 || onnx.byteLength !== recorded.size)
    throw new Error(`${m.name}: derived ONNX differs from the one recorded in @ondevice/vision`);
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(site, 'models', m.key, path)), { recursive: true });
    writeFileSync(join(site, 'models', m.key, path), bytes);
  }
  writeFileSync(join(site, 'models', `${m.key}.onnx`), onnx);
  const data = m.input();
  writeFileSync(join(site, 'inputs', `${m.key}.f32`), Buffer.from(data.buffer), { flag: 'w' });
  const json = [...files.keys()].find((p) => p.endsWith('.json'));
  derived.push({ key: m.key, json, bytes: onnx.byteLength, sha256, ms: Math.round(performance.now() - t0) });
  console.log(`${m.name}: ONNX derived (${onnx.byteLength} bytes, SHA-256 as recorded)`);
}

// The page: tfjs as its UMD scripts (global `tf`), onnxruntime-web as ES modules. Two instances of
// the WASM build (distinct URLs), because its thread count is fixed per instance at first use.
writeFileSync(
  join(site, 'index.html'),
  `<!doctype html><meta charset="utf-8"><title>browser engines</title>
${TFJS_SCRIPTS.map(([, f]) => `<script src="/tf/${f}"></script>`).join('\n')}
<script type="module" src="/bench.js"></script>
`,
);
writeFileSync(join(site, 'bench.js'), `(${pageMain.toString()})();\n`);

/** Runs in the page: sets up every engine and times single runs on request. */
function pageMain() {
  const engines = {}; // name → { run(model) → outputs, dispose }
  const state = { models: {}, errors: {} };
  const now = () => performance.now();
  const errorText = (e) => String(e?.message ?? e).slice(0, 300);
  const ortModules = {};

  async function ortFor(kind) {
    if (ortModules[kind]) return ortModules[kind];
    const url = kind === 'webgpu' ? '/ort/ort.webgpu.min.mjs' : `/ort/ort.wasm.min.mjs?instance=${kind}`;
    const ort = await import(url);
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = kind === 'wasm-2' ? 2 : 1;
    ort.env.logLevel = 'error';
    ortModules[kind] = ort;
    return ort;
  }

  // `only`: the engines to set up (default all); `tfjsThreads`: tfjs-wasm's thread count (fixed
  // per page at its first use; default tfjs's own choice).
  let only;
  async function init(options = {}) {
    const tf = globalThis.tf;
    tf.wasm.setWasmPaths('/tf/');
    only = options.only;
    if (options.tfjsThreads) tf.wasm.setThreadsCount(options.tfjsThreads);
    const info = {
      crossOriginIsolated: globalThis.crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
      tfjs: {},
    };
    for (const b of ['webgpu', 'webgl', 'wasm']) {
      if (only && !only.includes(`tfjs-${b}`)) continue;
      try {
        const ok = await tf.setBackend(b);
        await tf.ready();
        info.tfjs[b] = ok ? 'ok' : 'setBackend returned false';
      } catch (e) {
        info.tfjs[b] = errorText(e);
      }
    }
    if (info.tfjs.wasm === 'ok') {
      await tf.setBackend('wasm');
      info.tfjsWasmThreads = tf.backend().wasm?.tfjs?.getThreadsCount?.() ?? tf.wasm.getThreadsCount?.();
    }
    if (info.tfjs.webgl === 'ok') {
      await tf.setBackend('webgl');
      const gl = tf.backend().gpgpu?.gl;
      const ext = gl?.getExtension('WEBGL_debug_renderer_info');
      info.webglRenderer = gl ? String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : '';
    }
    if (navigator.gpu) {
      const a = await navigator.gpu.requestAdapter().catch(() => null);
      info.webgpuAdapter = a
        ? {
            vendor: a.info?.vendor,
            architecture: a.info?.architecture,
            description: a.info?.description,
            isFallbackAdapter: a.info?.isFallbackAdapter ?? a.isFallbackAdapter,
          }
        : null;
    }
    return info;
  }

  async function loadModel(m) {
    const tf = globalThis.tf;
    const input = new Float32Array(await (await fetch(`/inputs/${m.key}.f32`)).arrayBuffer());
    const onnx = new Uint8Array(await (await fetch(`/models/${m.key}.onnx`)).arrayBuffer());
    const shape = [1, m.size, m.size, 3];
    const made = {};
    const timings = {};
    for (const b of ['webgpu', 'webgl', 'wasm']) {
      const name = `tfjs-${b}`;
      if (only && !only.includes(name)) continue;
      try {
        await tf.setBackend(b);
        const t0 = now();
        const graph = await tf.loadGraphModel(`/models/${m.key}/${m.json}`);
        const names = m.outputs ?? graph.outputs.map((o) => o.name.replace(/:0$/, ''));
        made[name] = {
          names,
          async run() {
            if (tf.getBackend() !== b) await tf.setBackend(b);
            const x = tf.tensor(input, shape, 'float32');
            const ys = graph.execute(x, names);
            const list = Array.isArray(ys) ? ys : [ys];
            const out = await Promise.all(list.map((y) => y.data()));
            tf.dispose([x, ...list]);
            return out;
          },
          dispose: () => graph.dispose(),
        };
        timings[name] = { loadMs: now() - t0 };
      } catch (e) {
        state.errors[`${m.key}/${name}`] = errorText(e);
      }
    }
    const ortKinds = ['webgpu', 'wasm-1', ...(globalThis.crossOriginIsolated ? ['wasm-2'] : [])];
    for (const kind of ortKinds) {
      const name = `ort-${kind}`;
      if (only && !only.includes(name)) continue;
      try {
        const ort = await ortFor(kind);
        const t0 = now();
        const session = await ort.InferenceSession.create(onnx, {
          executionProviders: [kind === 'webgpu' ? 'webgpu' : 'wasm'],
          graphOptimizationLevel: 'all',
        });
        const names = m.outputs ?? made['tfjs-wasm']?.names ?? session.outputNames;
        made[name] = {
          names,
          async run() {
            const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, shape) };
            const r = await session.run(feeds);
            return names.map((n) => r[n].data);
          },
          dispose: () => session.release(),
        };
        timings[name] = { loadMs: now() - t0 };
      } catch (e) {
        state.errors[`${m.key}/${name}`] = errorText(e);
      }
    }
    Object.assign(engines, made);
    // First run (shader compilation, kernel selection) timed on its own; outputs compared with tfjs-wasm's.
    const outputs = {};
    for (const [name, e] of Object.entries(made)) {
      try {
        const t0 = now();
        outputs[name] = await e.run();
        timings[name].firstRunMs = now() - t0;
      } catch (err) {
        state.errors[`${m.key}/${name}`] = errorText(err);
        delete engines[name];
      }
    }
    const ref = outputs['tfjs-wasm'];
    for (const [name, out] of Object.entries(outputs)) {
      if (!ref || !timings[name]) continue;
      let maxAbs = 0;
      let peak = 0;
      let nonFinite = 0;
      out.forEach((t, i) => {
        for (let j = 0; j < t.length; j++) {
          if (!Number.isFinite(t[j])) nonFinite++;
          maxAbs = Math.max(maxAbs, Math.abs(t[j] - ref[i][j]));
          peak = Math.max(peak, Math.abs(ref[i][j]));
        }
      });
      Object.assign(timings[name], { maxAbsDiff: maxAbs, maxRelDiff: maxAbs / (peak || 1), nonFinite });
    }
    return { engines: Object.keys(engines), timings, errors: state.errors };
  }

  async function time(name) {
    const t0 = now();
    await engines[name].run();
    return now() - t0;
  }

  async function unload() {
    for (const [name, e] of Object.entries(engines)) {
      await e.dispose();
      delete engines[name];
    }
  }

  globalThis.bench = { init, loadModel, time, unload };
  globalThis.benchReady = true;
}

// ------------------------------------------------------------------ run
const server = await startServer({ root: site });
const availability = [];
const launch = (flags) => chromium.launch({ executablePath: CHROMIUM, headless: true, args: flags });

/** Which APIs exist under a flag set (no models: WebGL renderer, WebGPU adapter, isolation). */
async function probe(label, flags) {
  const browser = await launch(flags);
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => globalThis.benchReady === true);
    // tfjs-wasm asked for 2 threads here (setThreadsCount before its first use), to see if it takes them.
    const info = await page.evaluate(() => globalThis.bench.init({ tfjsThreads: 2 }));
    return { flags: label, args: flags, ...info, tfjsWasmThreadsWhen2Asked: info.tfjsWasmThreads };
  } finally {
    await browser.close();
  }
}

if (previous) availability.push(...previous.availability);
else
  for (const [label, flags] of Object.entries(FLAG_SETS)) {
    const info = await probe(label, flags);
    availability.push(info);
    console.log(
      `${label}: isolated ${info.crossOriginIsolated}, tfjs ${JSON.stringify(info.tfjs)}, WebGL "${info.webglRenderer ?? '—'}", WebGPU adapter ${JSON.stringify(info.webgpuAdapter)}`,
    );
  }

const results = [];
/** The models measured so far (results are written after each one). */
const done = [];
const load = [];
const consoleErrors = [];
/** Mean load average and date of each page (set once it has run). */
let allEnginesLoad;
let allEnginesDate;
let wasmLoad;
let wasmDate;

/**
 * One page under the measured flags: every engine in `init.only` (default all) loaded per model,
 * then timed alternating. `rename` maps the page's engine names to the names results use.
 */
async function measurePage(label, init, rounds = RUNS, rename = (n) => n) {
  const browser = await launch(FLAG_SETS[MEASURED_FLAGS]);
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${label}: ${m.text().slice(0, 300)}`);
    });
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => globalThis.benchReady === true);
    const info = await page.evaluate((o) => globalThis.bench.init(o), init);
    console.log(`page "${label}" under ${MEASURED_FLAGS}: tfjs-wasm ${info.tfjsWasmThreads} thread(s)`);
    for (const m of models) {
      const d = derived.find((x) => x.key === m.key);
      const setup = await page.evaluate((mm) => globalThis.bench.loadModel(mm), {
        key: m.key,
        size: m.size,
        json: d.json,
        outputs: m.outputs,
      });
      const names = setup.engines;
      const times = Object.fromEntries(names.map((n) => [n, []]));
      const timeOne = (n) => page.evaluate((nn) => globalThis.bench.time(nn), n);
      // Warm-up (after the first run, timed on its own in loadModel): one round for everything,
      // which also tells how slow each engine is, then WARMUP - 1 more for the engines that are not
      // slow. An engine slower than SLOW_MS a run then runs only on every `stride`-th round
      // (MIN_RUNS_SLOW runs spread evenly over the rounds), so a software GPU at seconds a run
      // does not take hours; the others run on every round.
      const warm = Object.fromEntries(names.map((n) => [n, []]));
      console.log(
        `${m.name}: first runs ${names.map((n) => `${n} ${Math.round(setup.timings[n].firstRunMs)}`).join(', ')} ms`,
      );
      for (const n of names) warm[n].push(await timeOne(n));
      console.log(`${m.name}: warm-up ${names.map((n) => `${n} ${Math.round(warm[n][0])}`).join(', ')} ms`);
      const slow = new Set(names.filter((n) => warm[n][0] > SLOW_MS));
      for (let r = 1; r < WARMUP; r++)
        for (const n of names) if (!slow.has(n)) warm[n].push(await timeOne(n));
      const stride = (n) =>
        slow.has(n)
          ? Math.max(1, Math.floor(RUNS / (warm[n][0] > VERY_SLOW_MS ? RUNS_VERY_SLOW : MIN_RUNS_SLOW)))
          : 1;
      for (let r = 0; r < rounds; r++) {
        // Rotate the order every round and reverse it every other one.
        const order = names.map((_, i) => names[(i + r) % names.length]);
        if (r % 2) order.reverse();
        for (const n of order) if (r % stride(n) === 0) times[n].push(await timeOne(n));
        load.push(loadavg()[0]);
        if (names.some((n) => slow.has(n) && r % stride(n) === 0))
          console.log(`${m.name}: round ${r + 1}/${rounds}`);
      }
      await page.evaluate(() => globalThis.bench.unload());
      for (const n of names) {
        const t = setup.timings[n];
        const row = {
          model: m.name,
          engine: rename(n),
          page: label,
          ...summarize(times[n], { digits: 2 }),
          p95: +quantile(times[n], 0.95).toFixed(2),
          firstRunMs: +t.firstRunMs.toFixed(1),
          loadMs: +t.loadMs.toFixed(1),
          maxAbsDiffVsTfjsWasm: t.maxAbsDiff,
          maxRelDiffVsTfjsWasm: t.maxRelDiff,
          nonFinite: t.nonFinite,
        };
        results.push(row);
        console.log(
          `${m.name} ${row.engine.padEnd(12)} p50 ${String(row.median).padStart(8)} ms  p95 ${String(row.p95).padStart(8)} ms  (${row.runs} runs, first ${row.firstRunMs} ms, max rel diff ${row.maxRelDiffVsTfjsWasm?.toExponential(1)})`,
        );
      }
      for (const [k2, v] of Object.entries(setup.errors))
        if (k2.startsWith(`${m.key}/`)) {
          results.push({ model: m.name, engine: rename(k2.split('/')[1]), page: label, error: v });
          console.log(`  ${k2}: ${v}`);
        }
      if (!done.includes(m)) done.push(m);
      writeResults(info, false);
    }
    return info;
  } finally {
    await browser.close();
  }
}

// Every engine in one page; tfjs-wasm as tfjs sets itself up there (its thread count reported:
// the probes above asked it for 2 threads, see tfjsWasmThreadsWhen2Asked).
let pageInfo;
if (previous) {
  pageInfo = previous.page;
  results.push(...previous.runs.filter((r) => r.page === 'all engines'));
  load.push(previous.allEnginesLoadAverage ?? previous.loadAverage);
  done.push(...models.filter((m) => results.some((r) => r.model === m.name)));
} else pageInfo = await measurePage('all engines', {});
allEnginesLoad = load.reduce((a, b) => a + b, 0) / (load.length || 1);
allEnginesDate = previous?.allEnginesDate ?? previous?.date ?? new Date().toISOString();
// The WASM engines again, alone in a page of their own and with more rounds: the software GPU
// runs of the first page (seconds each, on the same 2 cores) are not interleaved with them here.
if (REPORT_ONLY) {
  results.push(...previous.runs.filter((r) => r.page === 'WASM engines alone'));
  wasmLoad = previous.wasmPage.loadAverage;
  wasmDate = previous.date;
} else {
  const wasmLoadStart = load.length;
  await measurePage('WASM engines alone', { only: WASM_ENGINES }, RUNS_WASM);
  wasmLoad = load.slice(wasmLoadStart).reduce((a, b) => a + b, 0) / (load.length - wasmLoadStart || 1);
}
writeResults(pageInfo, true);
await server.close();
rmSync(site, { recursive: true, force: true });

// ------------------------------------------------------------------ results
/** Writes results/browser-engines.{json,md} for the models measured so far. */
function writeResults(pageInfo, final) {
  const models = done;
  const BACKENDS = [
    { backend: 'WebGPU', tfjs: 'tfjs-webgpu', ort: 'ort-webgpu' },
    { backend: 'WebGL', tfjs: 'tfjs-webgl', ort: undefined },
    { backend: 'WASM, 1 thread', tfjs: 'tfjs-wasm', ort: 'ort-wasm-1' },
    { backend: 'WASM, 2 threads', tfjs: 'tfjs-wasm', ort: 'ort-wasm-2' },
  ];
  const row = (model, engine, page = 'all engines') =>
    results.find((r) => r.model === model && r.engine === engine && r.page === page && !r.error);
  const comparisons = [];
  const choice = {};
  const disagreements = {};
  const PAGES = ['all engines', 'WASM engines alone'];
  for (const m of models) {
    choice[m.key] = {};
    for (const b of BACKENDS) {
      // Every page that measured both engines of this backend gives a ratio.
      const pairs = [];
      for (const page of PAGES) {
        const t = row(m.name, b.tfjs, page);
        const o = b.ort && row(m.name, b.ort, page);
        if (!t || !o) continue;
        const ratio = o.median / t.median;
        pairs.push(ratio);
        comparisons.push({
          name: `${m.name}, ${b.backend}: onnxruntime-web vs tfjs${page === PAGES[0] ? '' : ` (${page})`}`,
          model: m.name,
          backend: b.backend,
          page,
          unit: 'ms',
          ours: { median: o.median, p25: o.p25, p75: o.p75, p95: o.p95 },
          peer: { median: t.median, p25: t.p25, p75: t.p75, p95: t.p95 },
          ratio: +ratio.toFixed(3),
          better: 'lower',
          vs: b.tfjs,
          runs: Math.min(o.runs, t.runs),
        });
      }
      if (pairs.length > 1 && pairs.some((r) => r < 1) && pairs.some((r) => r >= 1))
        disagreements[m.key] = [...(disagreements[m.key] ?? []), b.backend];
      const tfjsRan = PAGES.some((page) => row(m.name, b.tfjs, page));
      choice[m.key][b.backend] =
        pairs.length && pairs.every((r) => r < MARGIN) ? 'onnxruntime-web' : tfjsRan ? 'tfjs' : null;
    }
  }
  const date = wasmDate ?? new Date().toISOString();
  const machine = `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, ${pageInfo.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}`;
  const meanLoad = load.reduce((a, b) => a + b, 0) / (load.length || 1);
  const versions = {
    tfjs: version('@tensorflow/tfjs-core'),
    'onnxruntime-web': version('onnxruntime-web'),
    chromium: pageInfo.userAgent.match(/Chrome\/([\d.]+)/)?.[1],
  };
  const SOFTWARE = /swiftshader|llvmpipe|softpipe|software/i;
  const fmt = (v) =>
    v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  const ENGINE_ORDER = ['tfjs-webgpu', 'ort-webgpu', 'tfjs-webgl', 'tfjs-wasm', 'ort-wasm-1', 'ort-wasm-2'];
  const alone = (model, engine) => row(model, engine, 'WASM engines alone');
  const wasmRuns = results.filter((r) => r.page === 'WASM engines alone');
  const wasmMd = wasmRuns.length
    ? [
        `The WASM engines again, alone in a second page (no software-GPU runs in between), ${RUNS_WASM} rounds after ${WARMUP} warm-up rounds, ${date.slice(0, 16)} UTC, load average ${(wasmLoad ?? meanLoad).toFixed(1)}:`,
        '',
        '| model | tfjs-wasm p50 / p95 ms | ort-wasm-1 p50 / p95 ms | ort-wasm-2 p50 / p95 ms | 1 thread: ort ÷ tfjs | 2 threads: ort ÷ tfjs |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        ...models
          .filter((m) => alone(m.name, 'tfjs-wasm'))
          .map((m) => {
            const [t, o1, o2] = WASM_ENGINES.map((e) => alone(m.name, e));
            const pair = (r) => (r ? `${fmt(r.median)} / ${fmt(r.p95)}` : '—');
            const ratio = (r) => (r && t ? (r.median / t.median).toFixed(2) : '—');
            return `| ${m.name} | ${pair(t)} | ${pair(o1)} | ${pair(o2)} | ${ratio(o1)} | ${ratio(o2)} |`;
          }),
        '',
        Object.keys(disagreements).length
          ? `The two pages disagree on which is faster for ${Object.entries(disagreements)
              .map(([k2, v]) => `${k2} (${v.join(', ')})`)
              .join('; ')}: within the noise of this shared machine.`
          : 'Both pages agree on the faster WASM engine for every model.',
        '',
      ]
    : [];
  const md = [
    `First page, all six engines: Chromium ${versions.chromium} (headless, flags \`${FLAG_SETS[MEASURED_FLAGS].join(' ')}\`), cross-origin isolated (${pageInfo.crossOriginIsolated}; served by the playground's server with COOP/COEP), ${(allEnginesDate ?? date).slice(0, 16)} UTC on ${machine}, load average ${(allEnginesLoad ?? meanLoad).toFixed(1)} during the runs (the machine is shared; finished at that time). tfjs ${versions.tfjs} (WASM: ${pageInfo.tfjsWasmThreads} thread(s)), onnxruntime-web ${versions['onnxruntime-web']}; the same weights (the published TFJS graphs and the ONNX form \`convertGraphModelToOnnx\` derives from them, SHA-256 as recorded in the vision package). Alternating run by run (order rotated every round, reversed every other), ${WARMUP} warm-up rounds, then ${RUNS} rounds; an engine slower than ${SLOW_MS} ms a run (its first warm-up run) ran on fewer rounds spread evenly over them, about ${MIN_RUNS_SLOW} runs, and about ${RUNS_VERY_SLOW} above ${VERY_SLOW_MS} ms (the runs column), with one warm-up run. A run: input tensor in, network, every output read back.`,
    '',
    `${SOFTWARE.test(pageInfo.webglRenderer ?? '') ? '**No GPU on this machine**: ' : ''}WebGL is \`${pageInfo.webglRenderer ?? '—'}\`; WebGPU's adapter under these flags: ${pageInfo.webgpuAdapter ? `vendor ${pageInfo.webgpuAdapter.vendor}, architecture ${pageInfo.webgpuAdapter.architecture}${pageInfo.webgpuAdapter.isFallbackAdapter ? ', a fallback (software) adapter' : ''}` : 'none'} (per flag set below). A software renderer runs on the same CPU cores as WASM. onnxruntime-web's WebGL backend is not measured (deprecated upstream, fewer ops).`,
    '',
    '| model | engine | p50 ms | p95 ms | runs | first run ms | max diff vs tfjs-wasm (relative) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...models.flatMap((m) =>
      ENGINE_ORDER.map((e) => {
        const r = results.find((x) => x.model === m.name && x.engine === e);
        if (!r) return `| ${m.name} | ${e} | — | — | — | — | not available |`;
        if (r.error)
          return `| ${m.name} | ${e} | — | — | — | — | failed: ${r.error.replace(/\|/g, '/').slice(0, 120)} |`;
        return `| ${m.name} | ${e} | ${fmt(r.median)} | ${fmt(r.p95)} | ${r.runs} | ${fmt(r.firstRunMs)} | ${r.maxRelDiffVsTfjsWasm?.toExponential(1) ?? '—'}${r.nonFinite ? `, ${r.nonFinite} non-finite` : ''} |`;
      }),
    ),
    '',
    ...wasmMd,
    `Kept per backend (\`choice\` in the JSON, what \`packages/core/src/backend/browser-choice.ts\` holds): onnxruntime-web where it took < ${MARGIN}× tfjs's p50 in every page that measured the pair, else tfjs (ratios: ort ÷ tfjs, all-engines page first):`,
    '',
    '| model | WebGPU | WebGL | WASM, 1 thread | WASM, 2 threads |',
    '| --- | --- | --- | --- | --- |',
    ...models.map(
      (m) =>
        `| ${m.name} | ${BACKENDS.map((b) => {
          const ratios = comparisons
            .filter((x) => x.model === m.name && x.backend === b.backend)
            .map((x) => `${(x.ours.median / x.peer.median).toFixed(2)}×`);
          return ratios.length
            ? `${choice[m.key][b.backend]} (${ratios.join(', ')})`
            : (choice[m.key][b.backend] ?? '—');
        }).join(' | ')} |`,
    ),
    '',
    `Ratios are onnxruntime-web ÷ tfjs (below 1: onnxruntime-web is faster). All six engines ran in the first page, alternating. "WASM, 2 threads" compares onnxruntime-web on 2 threads with tfjs-wasm as it runs: tfjs-wasm loads its threaded SIMD build in the isolated page but runs ${pageInfo.tfjsWasmThreads} thread(s), and asked for 2 with \`setThreadsCount(2)\` it still reports ${availability[0]?.tfjsWasmThreadsWhen2Asked} (probes below).`,
    '',
  ];
  const availabilityMd = [
    'Backends available per flag set (probed in the same served page, no model loaded):',
    '',
    '| flags | isolated | tfjs webgpu | tfjs webgl | tfjs wasm (threads when 2 asked) | WebGL renderer | WebGPU adapter |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...availability.map(
      (a) =>
        `| ${a.flags} | ${a.crossOriginIsolated} | ${a.tfjs.webgpu === 'ok' ? 'yes' : `no (${a.tfjs.webgpu.slice(0, 60)})`} | ${a.tfjs.webgl === 'ok' ? 'yes' : 'no'} | ${a.tfjs.wasm === 'ok' ? `yes (${a.tfjsWasmThreads} thread(s))` : 'no'} | ${a.webglRenderer ?? '—'} | ${a.webgpuAdapter ? `${a.webgpuAdapter.vendor} ${a.webgpuAdapter.architecture}${a.webgpuAdapter.isFallbackAdapter ? ' (fallback)' : ''}` : 'none'} |`,
    ),
    '',
  ];
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results', 'browser-engines.json'),
    `${JSON.stringify(
      {
        task: 'browser-engines',
        title: 'Browser engines: onnxruntime-web against tfjs, per backend (Chromium)',
        peer: 'tfjs (same weights)',
        // Runtimes compared with each other, not ours with a peer: one line in RESULTS.md's summary.
        summary: false,
        date,
        machine,
        versions,
        flags: FLAG_SETS[MEASURED_FLAGS],
        loadAverage: +meanLoad.toFixed(2),
        allEnginesDate,
        allEnginesLoadAverage: allEnginesLoad === undefined ? undefined : +allEnginesLoad.toFixed(2),
        wasmPage: {
          rounds: RUNS_WASM,
          loadAverage: wasmLoad === undefined ? undefined : +wasmLoad.toFixed(2),
        },
        disagreements,
        page: pageInfo,
        availability,
        consoleErrors: consoleErrors.slice(0, 20),
        derived,
        choice,
        comparisons,
        runs: results,
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(here, 'results', 'browser-engines.md'), `${[...md, ...availabilityMd].join('\n')}`);
  if (final) console.log(`\n${[...md, ...availabilityMd].join('\n')}`);
}
