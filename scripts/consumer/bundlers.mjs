#!/usr/bin/env node
// The browser half of the consumer test: a fresh app installs the packed @ondevice tarballs from
// files and vite / webpack / webpack-cli from the npm registry, writes a page that does
// `import { detectObjects, configure } from '@ondevice/vision'` on a bundled photo, and builds it
// as the README's "Use it in a browser app" says: Vite with only the @ondevice/cli/vite plugin,
// webpack 5 with no config file (`webpack --mode production`) after `ondevice assets
// public/ondevice --tasks detect`. It fails on any error or warning either build prints (webpack's
// performance hints are reported, not counted: see PERFORMANCE_HINTS), serves each build from a
// tiny static server on 127.0.0.1, runs the page in Debian's Chromium (playwright-core from this
// workspace; every request off 127.0.0.1 refused and failing the case), which must print the
// detections, and fails when a build emits a runtime (.wasm) the page never loads. Every emitted
// file is reported with its size, and which the page loaded.
//
// Measured on the packed tarballs (vite 8.4.0, webpack 5.112.2), before the #platform/* split and
// after it: Vite 23 warnings ("externalized for browser compatibility": node:fs/promises, path,
// module, url, os, crypto, zlib from core, optimize and vision) and 14 files / 15.96 MB, of which
// onnxruntime-web's wasm (14.24 MB) was never loaded -> 0 warnings, 11 files / 1.70 MB, no wasm;
// webpack 7 errors (UnhandledSchemeError, one per node: module) and nothing emitted -> 0 errors,
// 0 warnings, 24 files / 1.82 MB; both pages find 7 objects (person, bowl, oven, potted plant)
// and load tfjs-backend-wasm-simd.wasm, the one runtime file this machine's Chromium picks.
//
//   checkBundlers({ appDir, tarballs })       called by scripts/consumer/check.mjs
//   node scripts/consumer/bundlers.mjs [--keep] [--json out.json] [--only vite|webpack]
//                                              standalone: packs the packages itself
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * What the consumer app installs from the registry (the versions this project checks against).
 *
 * @example
 * ```js
 * npm(['install', ...Object.entries(BUNDLER_VERSIONS).map(([n, v]) => `${n}@${v}`)], appDir);
 * ```
 */
export const BUNDLER_VERSIONS = { vite: '8.4.0', webpack: '5.112.2', 'webpack-cli': '7.3.1' };

/** The photo the page bundles, and what detection must find on it. */
const SAMPLE = join(root, 'samples/kitchen.jpg');
const MIN_OBJECTS = 3;
const MUST_FIND = 'person';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

// A user's shell: none of this workspace's switches.
function userEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (
      v !== undefined &&
      !/^(ONNXRUNTIME_NODE_INSTALL|npm_|PNPM_|pnpm_|INIT_CWD|VITEST|NODE_OPTIONS|NODE_ENV)/i.test(k)
    )
      env[k] = v;
  return env;
}

/** Runs a command without a shell; resolves to its status and its stdout+stderr. */
function run(cmd, argv, cwd, { timeout = 900_000 } = {}) {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(cmd, argv, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, out, ms: Date.now() - t0 });
    });
  });
}

const tail = (text, n = 20) => text.trim().split('\n').slice(-n).join('\n      ');
// Colour codes (ESC [ … m), if a bundler prints them.
const ESC = String.fromCharCode(27);
const stripAnsi = (s) =>
  s
    .split(ESC)
    .map((part, i) => (i ? part.replace(/^\[[0-9;]*m/, '') : part))
    .join('');

/** Every file under dir (relative paths, `/`-separated) with its size, largest first. */
function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push({ file: relative(dir, p).split(sep).join('/'), bytes: statSync(p).size });
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort((a, b) => b.bytes - a.bytes);
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

// The page's one setting: assetsUrl is /ondevice/ by default, set here only to show that configure
// comes with the same import (README: "Use it in a browser app").
const PAGE_CONFIGURE = "configure({ assetsUrl: '/ondevice/' });";

/**
 * webpack's performance hints ("asset size limit", "entrypoint size limit", "webpack performance
 * recommendations"): advice that an asset is over 244 KiB, on by default in production mode. tfjs's
 * own lazy chunks are over it whatever the app does (tfjs-core 270 KiB, its WebGL backend 337 KiB,
 * its WebGPU backend 287 KiB, minified; a page loads the one backend it picks), so they are
 * reported with each build and not counted as warnings. Every other warning counts.
 */
const PERFORMANCE_HINTS = /^(asset size limit|entrypoint size limit|webpack performance recommendations)/;

// The page runs detection twice (cold, then warm) on the main thread, or with `?worker` in
// @ondevice/vision's own Web Worker (`configure({ worker: true })`, the same call), and reports the
// main thread's longest task while it does (PerformanceObserver 'longtask': every task over 50 ms
// that starts once the calls begin, in a task of their own after the module has run).
const PAGE_JS = `import { detectObjects, configure } from '@ondevice/vision';

const worker = new URLSearchParams(location.search).has('worker');
${PAGE_CONFIGURE.replace(' });', ', worker });')}
const out = document.getElementById('out');
const image = new URL('./kitchen.jpg', import.meta.url).href;
let t0 = Infinity;
let longest = 0;
let longTasks = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if (e.startTime >= t0) {
      longTasks++;
      longest = Math.max(longest, e.duration);
    }
}).observe({ type: 'longtask' });
setTimeout(async () => {
  try {
    t0 = performance.now();
    const objects = await detectObjects(image);
    const coldMs = performance.now() - t0;
    const t1 = performance.now();
    await detectObjects(image);
    const warmMs = performance.now() - t1;
    await new Promise((r) => setTimeout(r, 200)); // the observer's last entries
    // Runtime files fetched by this thread (a worker's fetches are in the worker's own timeline).
    const wasmOnPage = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length;
    const line = JSON.stringify({
      count: objects.length,
      wasmOnPage,
      labels: [...new Set(objects.map((o) => o.label))],
      worker,
      longestTaskMs: Math.round(longest),
      longTasks,
      coldMs: Math.round(coldMs),
      warmMs: Math.round(warmMs),
    });
    console.log('detections ' + line);
    out.textContent = line;
    out.dataset.done = 'ok';
  } catch (error) {
    console.error('detection failed: ' + (error && error.name) + ': ' + (error && error.message));
    out.textContent = String(error && error.message);
    out.dataset.done = 'error';
  }
}, 0);
`;
/** The most a main-thread task may take while detection runs in the worker (the issue's bar). */
const WORKER_LONGEST_TASK_MS = 50;
const html = (script) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>detect</title></head>
  <body>
    <pre id="out">detecting…</pre>
    ${script}
  </body>
</html>
`;

/**
 * Rolldown's build-timing report ("[PLUGIN_TIMINGS] JavaScript callbacks ran for 4.5s of the 4.9s
 * build"): it says how long the build took, not that anything in it is wrong, and it comes and goes
 * with the machine's load. What it times here is Vite's own `vite:worker-import-meta-url`
 * transform, which bundles @ondevice/vision's Web Worker in a sub-build (measured in the consumer
 * app: a quiet machine, 6.0 s build, no report; six busy loops on the two cores, 15.9 s build, 12.9 s
 * of it in that transform, reported). Reported apart like webpack's size hints, not counted.
 */
const BUILD_TIMING_REPORT = /^\s*\[(PLUGIN|BUNDLER)_TIMINGS\]/;

/** Counts the warnings and errors in Vite's build output (it prints them; its exit code is 0 on warnings). */
export function viteProblems(out) {
  const lines = stripAnsi(out).split('\n');
  const warnings = [];
  const errors = [];
  const hints = [];
  for (const line of lines) {
    if (/^\s*(error|\[vite\]: Rollup failed|✗|Error:)/i.test(line)) errors.push(line.trim());
    else if (BUILD_TIMING_REPORT.test(line)) hints.push(line.trim());
    else if (
      /warn|\(!\)|externalized for browser compatibility|\[plugin |^\s*\[[A-Z_]+\]/i.test(line) &&
      !/^\s*(dist|\.\/)/.test(line)
    )
      warnings.push(line.trim());
  }
  return { warnings, errors, hints };
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
  '.bin': 'application/octet-stream',
  '.css': 'text/css',
};

/** A static file server on 127.0.0.1 (a random port): each path from the first of `roots` that has it. */
async function serve(roots) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file;
    for (const dir of roots) {
      let candidate = join(dir, path);
      if (!candidate.startsWith(dir)) continue;
      if (existsSync(candidate) && statSync(candidate).isDirectory())
        candidate = join(candidate, 'index.html');
      if (existsSync(candidate)) {
        file = candidate;
        break;
      }
    }
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/** Opens the page in Chromium; resolves to its detections line, what it requested and its console. */
async function runPage(roots, query = '') {
  const { chromium } = createRequire(join(root, 'apps/playground/package.json'))('playwright-core');
  const server = await serve(roots);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const requested = [];
  const offsite = [];
  const consoleLines = [];
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) {
        requested.push(url.startsWith(server.url) ? url.slice(server.url.length) : url.slice(0, 30));
        return route.continue();
      }
      offsite.push(url);
      return route.abort();
    });
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    await page.goto(server.url + query);
    await page.waitForSelector('#out[data-done]', { timeout: 180_000 });
    const done = await page.$eval('#out', (el) => el.dataset.done);
    const text = await page.$eval('#out', (el) => el.textContent);
    return { ok: done === 'ok', text, requested, offsite, consoleLines };
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * Builds the detection page with Vite and with webpack 5 in `appDir` (a fresh folder; created when
 * missing) as the README's "Use it in a browser app" says, after installing `tarballs` (the packed
 * @ondevice packages: vision and the CLI, which carries `ondevice assets` and the Vite plugin, with
 * what they depend on: core, optimize, vision-models, vision, audio, text, cli) and the bundlers,
 * and runs each build in Chromium. Resolves to one result
 * per case, `{ name, ok, detail, data }`; never rejects for a failed case.
 *
 * @example
 * ```js
 * for (const r of await checkBundlers({ appDir: '/tmp/app', tarballs })) console.log(r.ok, r.name);
 * ```
 */
export async function checkBundlers({ appDir, tarballs, only, log = () => {} }) {
  const list = Array.isArray(tarballs) ? tarballs : Object.values(tarballs);
  const results = [];
  const record = (name, ok, detail, data) => {
    results.push({ name, ok, detail, data });
    log({ name, ok, detail });
  };
  await mkdir(join(appDir, 'src'), { recursive: true });
  await writeFile(
    join(appDir, 'package.json'),
    `${JSON.stringify({ name: 'consumer-bundlers', private: true, version: '1.0.0', type: 'module' }, null, 2)}\n`,
  );
  const install = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...list,
      ...Object.entries(BUNDLER_VERSIONS).map(([n, v]) => `${n}@${v}`),
    ],
    appDir,
  );
  if (install.status !== 0) {
    record('bundlers: npm install (tarballs, vite, webpack, webpack-cli)', false, tail(install.out));
    return results;
  }
  record(
    'bundlers: npm install (tarballs, vite, webpack, webpack-cli)',
    true,
    `${(install.ms / 1000).toFixed(0)} s`,
  );
  await copyFile(SAMPLE, join(appDir, 'src', 'kitchen.jpg'));
  await writeFile(join(appDir, 'src', 'index.js'), PAGE_JS);
  const bin = (name) => join(appDir, 'node_modules', '.bin', name);

  const cases = {
    async vite() {
      // The README's Vite setup: index.html at the root, the plugin of @ondevice/cli/vite, which
      // writes the tasks' files into dist/ondevice/.
      await writeFile(
        join(appDir, 'index.html'),
        html('<script type="module" src="/src/index.js"></script>'),
      );
      await writeFile(
        join(appDir, 'vite.config.ts'),
        `import { defineConfig } from 'vite';\nimport { ondeviceAssets } from '@ondevice/cli/vite';\n\nexport default defineConfig({ plugins: [ondeviceAssets({ tasks: ['detect'] })] });\n`,
      );
      await rm(join(appDir, 'public'), { recursive: true, force: true });
      const b = await run(bin('vite'), ['build'], appDir);
      await rm(join(appDir, 'vite.config.ts'));
      const { warnings, errors, hints } = viteProblems(b.out);
      if (b.status !== 0) errors.push(`vite build exited ${b.status}`);
      const dist = join(appDir, 'dist-vite');
      await rm(dist, { recursive: true, force: true });
      if (existsSync(join(appDir, 'dist'))) await rename(join(appDir, 'dist'), dist);
      return { roots: [dist], assets: join(dist, 'ondevice'), warnings, errors, hints, out: b.out, ms: b.ms };
    },
    async webpack() {
      // The README's webpack setup: `ondevice assets public/ondevice --tasks detect` before the
      // build, webpack 5 with no config file (./src/index.js -> ./dist/main.js), the page's own
      // public/index.html, and a server pointed at both folders.
      const pub = join(appDir, 'public');
      await rm(pub, { recursive: true, force: true });
      await mkdir(pub, { recursive: true });
      await writeFile(join(pub, 'index.html'), html('<script src="main.js"></script>'));
      const copied = await run(bin('ondevice'), ['assets', 'public/ondevice', '--tasks', 'detect'], appDir);
      if (copied.status !== 0)
        return {
          roots: [],
          warnings: [],
          errors: [`ondevice assets exited ${copied.status}: ${tail(copied.out)}`],
          out: copied.out,
          ms: copied.ms,
        };
      await rm(join(appDir, 'dist'), { recursive: true, force: true });
      const statsFile = join(appDir, 'webpack-stats.json');
      const b = await run(bin('webpack'), ['--mode', 'production', `--json=${statsFile}`], appDir);
      let warnings = [];
      let errors = [];
      let hints = [];
      try {
        const stats = JSON.parse(await readFile(statsFile, 'utf8'));
        const text = (w) => `${w.moduleName ?? ''} ${w.message}`.trim();
        // webpack's size advice (`performance.hints`, on in production mode) is not a build
        // problem: reported apart, not counted (see PERFORMANCE_HINTS).
        const isHint = (w) => PERFORMANCE_HINTS.test(w.message ?? '');
        warnings = (stats.warnings ?? []).filter((w) => !isHint(w)).map(text);
        hints = (stats.warnings ?? []).filter(isHint).map(text);
        errors = (stats.errors ?? []).map(text);
      } catch {
        errors.push(`no stats: ${tail(b.out)}`);
      }
      if (b.status !== 0 && !errors.length) errors.push(`webpack exited ${b.status}: ${tail(b.out)}`);
      const dist = join(appDir, 'dist-webpack');
      await rm(dist, { recursive: true, force: true });
      // With errors webpack emits nothing (production mode): there is no page to run then.
      const built = existsSync(join(appDir, 'dist', 'main.js'));
      if (built) await rename(join(appDir, 'dist'), dist);
      return {
        roots: built ? [dist, pub] : [],
        assets: join(pub, 'ondevice'),
        warnings,
        errors,
        hints,
        out: b.out,
        ms: b.ms,
      };
    },
  };

  for (const [name, build] of Object.entries(cases)) {
    if (only && !only.includes(name)) continue;
    let built;
    try {
      built = await build();
    } catch (error) {
      record(`${name}: build`, false, String(error?.stack ?? error));
      continue;
    }
    // What the bundler emitted (the checked files under ondevice/ are the assets step's, listed apart).
    const emitted = built.roots[0]
      ? listFiles(built.roots[0]).filter((f) => !f.file.startsWith('ondevice/'))
      : [];
    const assets = built.assets
      ? listFiles(built.assets).map((f) => ({ ...f, file: `ondevice/${f.file}` }))
      : [];
    const total = emitted.reduce((n, f) => n + f.bytes, 0);
    const data = {
      errors: built.errors,
      warnings: built.warnings,
      performanceHints: built.hints ?? [],
      emitted,
      emittedBytes: total,
      assets,
      buildMs: built.ms,
    };
    const problems = [
      ...built.errors.map((e) => `error: ${e}`),
      ...built.warnings.map((w) => `warning: ${w}`),
    ];
    record(
      `${name}: build with no errors and no warnings`,
      problems.length === 0,
      `${built.errors.length} errors, ${built.warnings.length} warnings, ${emitted.length} files, ${mb(total)}${
        built.hints?.length
          ? `; ${built.hints.length} performance hint(s) or timing report(s), not counted: ${built.hints.map((h) => h.split('\n')[0]).join('; ')}`
          : ''
      }${problems.length ? `\n      ${problems.slice(0, 12).join('\n      ').slice(0, 4000)}` : ''}`,
      data,
    );
    if (!built.roots.length) continue;
    let page;
    try {
      page = await runPage(built.roots);
    } catch (error) {
      record(`${name}: page detects objects in Chromium`, false, String(error?.message ?? error));
      continue;
    }
    const plain = page.ok ? JSON.parse(page.text) : undefined;
    let ok = page.ok;
    let detail = page.text;
    if (plain) ok = plain.count >= MIN_OBJECTS && plain.labels.includes(MUST_FIND);
    if (page.offsite.length) {
      ok = false;
      detail += `; requests off 127.0.0.1: ${page.offsite.join(', ')}`;
    }
    if (!ok) detail += `\n      ${page.consoleLines.slice(-15).join('\n      ')}`;
    record(`${name}: page detects objects in Chromium`, ok, detail, {
      requested: page.requested,
      offsite: page.offsite,
    });
    // The same page with the task in the library's worker: same answer, main thread never busy.
    let inWorker;
    try {
      inWorker = await runPage(built.roots, '?worker');
    } catch (error) {
      inWorker = { ok: false, text: String(error?.message ?? error), offsite: [], consoleLines: [] };
    }
    const w = inWorker.ok ? JSON.parse(inWorker.text) : undefined;
    let workerOk = inWorker.ok;
    let workerDetail = inWorker.text;
    if (w) {
      workerOk =
        w.worker === true &&
        w.wasmOnPage === 0 &&
        (!plain || plain.wasmOnPage > 0) &&
        w.count >= MIN_OBJECTS &&
        w.labels.includes(MUST_FIND) &&
        (!plain || w.count === plain.count) &&
        w.longestTaskMs <= WORKER_LONGEST_TASK_MS;
      workerDetail = `runtime WASM fetched by the page's thread: ${w.wasmOnPage} in the worker case vs ${plain?.wasmOnPage ?? '?'} without; longest main-thread task ${w.longestTaskMs} ms (${w.longTasks} over 50 ms) in the worker vs ${
        plain ? `${plain.longestTaskMs} ms (${plain.longTasks} over 50 ms)` : '?'
      } on the main thread; first result ${w.coldMs} ms vs ${plain?.coldMs ?? '?'} ms, warm ${w.warmMs} ms vs ${
        plain?.warmMs ?? '?'
      } ms; ${w.count} objects vs ${plain?.count ?? '?'} (bar: <= ${WORKER_LONGEST_TASK_MS} ms, same objects)`;
    }
    if (inWorker.offsite.length) {
      workerOk = false;
      workerDetail += `; requests off 127.0.0.1: ${inWorker.offsite.join(', ')}`;
    }
    if (!workerOk) workerDetail += `\n      ${inWorker.consoleLines.slice(-15).join('\n      ')}`;
    record(
      `${name}: configure({ worker: true }) detects in the library's worker, main thread's longest task <= ${WORKER_LONGEST_TASK_MS} ms`,
      workerOk,
      workerDetail,
      { worker: w, plain },
    );
    // A runtime the bundler emitted that the page never loaded is dead weight for every visitor.
    const loaded = new Set(page.requested.map((u) => u.split('?')[0]));
    // Lazy chunks this page did not load here (e.g. the tfjs backends of GPUs this machine lacks).
    const notLoaded = emitted.filter((f) => /\.m?js$/.test(f.file) && !loaded.has(f.file)).map((f) => f.file);
    const unused = emitted.filter((f) => f.file.endsWith('.wasm') && !loaded.has(f.file));
    record(
      `${name}: emits only the runtimes the page loads`,
      unused.length === 0,
      unused.length
        ? `emitted, never loaded: ${unused.map((f) => `${f.file} (${mb(f.bytes)})`).join(', ')}`
        : `wasm emitted: ${
            emitted
              .filter((f) => f.file.endsWith('.wasm'))
              .map((f) => f.file)
              .join(', ') || 'none'
          }; loaded: ${[...loaded].filter((u) => u.endsWith('.wasm')).join(', ')}`,
      { requested: page.requested, notLoaded },
    );
  }
  return results;
}

// Standalone: pack the packages the way check.mjs does, then check.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const jsonOut = args.includes('--json') ? resolve(args[args.indexOf('--json') + 1]) : undefined;
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
  const work = await mkdtemp(join(tmpdir(), 'ondevice-bundlers-'));
  const packs = join(work, 'packs');
  await mkdir(packs);
  const packed = spawnSync(
    'bash',
    [
      join(root, 'scripts/pnpm.sh'),
      '-r',
      '--filter',
      './packages/*',
      '--filter',
      '!@ondevice/testkit',
      'pack',
      '--pack-destination',
      packs,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (packed.status !== 0) {
    console.log(`FAIL pack — ${tail(`${packed.stdout}${packed.stderr}`)}`);
    process.exit(1);
  }
  const tarball = (name) => {
    const file = readdirSync(packs).find((f) => f.startsWith(`ondevice-${name}-`) && f.endsWith('.tgz'));
    if (!file) throw new Error(`no tarball for @ondevice/${name} in ${packs}`);
    return join(packs, file);
  };
  // @ondevice/vision and, for the assets step (README: npm install -D @ondevice/cli), the CLI.
  const tarballs = ['core', 'optimize', 'vision-models', 'vision', 'audio', 'text', 'cli'].map(tarball);
  const results = await checkBundlers({
    appDir: join(work, 'app'),
    tarballs,
    only,
    log: ({ name, ok, detail }) =>
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`),
  });
  for (const r of results)
    if (r.data?.notLoaded && r.name.endsWith('runtimes the page loads'))
      console.log(
        `${r.name.split(':')[0]}: loaded ${r.data.requested.filter((u) => /\.(m?js|wasm)$/.test(u)).join(', ')}; emitted, not loaded here: ${r.data.notLoaded.join(', ') || 'none'}`,
      );
  for (const r of results)
    if (r.data?.assets?.length && r.name.endsWith('warnings'))
      console.log(
        `${r.name.split(':')[0]} assets (ondevice assets / the Vite plugin): ${r.data.assets.map((f) => `${f.file} ${mb(f.bytes)}`).join(', ')}`,
      );
  for (const r of results)
    if (r.data?.emitted && r.name.endsWith('warnings'))
      console.log(
        `${r.name.split(':')[0]} emitted:\n  ${r.data.emitted.map((f) => `${mb(f.bytes).padStart(10)}  ${f.file}`).join('\n  ')}`,
      );
  if (jsonOut) await writeFile(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
  const passed = results.filter((r) => r.ok).length;
  console.log(`bundlers: ${passed} passed, ${results.length - passed} failed`);
  if (!keep) await rm(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
  process.exit(results.length === passed ? 0 : 1);
}
