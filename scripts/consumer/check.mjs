#!/usr/bin/env node
// The consumer test: @ondevice as a user gets it, outside this workspace. Packs every package,
// installs the tarballs into fresh apps with npm (default settings: no environment switches, install
// scripts on) and with pnpm, runs the README's one-liners from ESM and CommonJS, adds the native
// engine in the one documented step, and measures what each install weighs. Prints one line per
// case and `consumer: N passed, M failed`. Run by scripts/test.sh; alone: `pnpm consumer`.
//
//   node scripts/consumer/check.mjs [--keep] [--only name,name]
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const work = mkdtempSync(join(tmpdir(), 'ondevice-consumer-'));
const packs = join(work, 'packs');
mkdirSync(packs);

/** Bars of issue #17, in MB of `du -sm node_modules` after `npm install` on linux/x64. */
export const SIZE_BARS = { vision: 400, audio: 300, text: 400 };

// A user's shell: none of this workspace's switches (ONNXRUNTIME_NODE_INSTALL, pnpm's config).
const userEnv = {};
for (const [k, v] of Object.entries(process.env))
  if (
    v !== undefined &&
    !/^(ONNXRUNTIME_NODE_INSTALL|npm_|PNPM_|pnpm_|INIT_CWD|VITEST|NODE_OPTIONS)/i.test(k)
  )
    userEnv[k] = v;
userEnv.HOME = process.env.HOME ?? work;
// A fresh model cache (npm's own cache under HOME stays, so installs reuse downloaded tarballs).
userEnv.XDG_CACHE_HOME = join(work, 'cache');

function sh(cmd, argv, cwd, { env = userEnv, timeout = 600_000 } = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, ms: Date.now() - t0 };
}
const pnpm = (argv, cwd, opts) => sh('bash', [join(root, 'scripts/pnpm.sh'), ...argv], cwd, opts);
const npm = (argv, cwd, opts) =>
  sh('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...argv], cwd, opts);
const duMb = (dir) => Number(sh('du', ['-sm', dir], work).out.split(/\s/)[0]);

const results = [];
function record(name, ok, detail) {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
function tail(text, n = 15) {
  return text.trim().split('\n').slice(-n).join('\n      ');
}

// 1. Pack every published package, as `npm publish` would ship it (from a fresh build).
const built = pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], root, {
  env: process.env,
});
if (built.status !== 0) {
  record('build', false, tail(built.out));
  process.exit(1);
}
const packed = pnpm(
  ['-r', '--filter', './packages/*', '--filter', '!@ondevice/testkit', 'pack', '--pack-destination', packs],
  root,
  { env: process.env },
);
if (packed.status !== 0) {
  record('pack', false, tail(packed.out));
  process.exit(1);
}
const tarball = (name) => {
  const file = readdirSync(packs).find((f) => f.startsWith(`ondevice-${name}-`) && f.endsWith('.tgz'));
  if (!file) throw new Error(`no tarball for @ondevice/${name} in ${packs}`);
  return join(packs, file);
};
// What each app installs: the package and the @ondevice packages it depends on (unpublished
// here, so given as tarballs; everything else comes from the npm registry).
const CLOSURE = {
  vision: ['core', 'optimize', 'vision-models', 'vision'],
  audio: ['core', 'audio'],
  text: ['core', 'text'],
  cli: ['core', 'optimize', 'vision-models', 'vision', 'audio', 'text', 'cli'],
};

// publint, and attw with the esm-only profile: the packages are ESM, and CommonJS apps load them
// with require() of ESM (Node >= 20.19, checked below), which attw's other profiles flag.
for (const file of readdirSync(packs).filter((f) => f.endsWith('.tgz'))) {
  check(`publint and attw --profile esm-only: ${file}`, () => {
    const lint = sh('npx', ['-y', 'publint@0.3.25', 'run', join(packs, file), '--strict'], work);
    if (lint.status !== 0 || !/All good!/.test(lint.out))
      throw new Error(`publint:\n      ${tail(lint.out)}`);
    if (/vision-models|text-demo-model/.test(file)) return 'publint (no types to check)';
    const types = sh(
      'npx',
      ['-y', '@arethetypeswrong/cli@0.18.5', join(packs, file), '--profile', 'esm-only', '--format', 'ascii'],
      work,
    );
    if (types.status !== 0) throw new Error(`attw:\n      ${tail(types.out, 25)}`);
    return 'publint, attw';
  });
}

const sample = join(root, 'samples/kitchen.jpg');
const wav = join(root, 'packages/audio/test/fixtures/hey_jarvis.wav');

const SCRIPTS = {
  'vision.mjs': `import { createObjectDetector, detectObjects } from '@ondevice/vision';
const objects = await detectObjects(${JSON.stringify(sample)});
// Node 20 has no \`using\` (TypeScript compiles it): dispose by hand.
const detector = await createObjectDetector();
await detector.detect(${JSON.stringify(sample)});
console.log(JSON.stringify({ count: objects.length, labels: [...new Set(objects.map((o) => o.label))], runtime: detector.runtime }));
detector.dispose();`,
  'vision.cjs': `const { detectObjects, configure, InputError } = require('@ondevice/vision');
(async () => {
  if (typeof configure !== 'function' || typeof InputError !== 'function') throw new Error('re-exports missing');
  const objects = await detectObjects(${JSON.stringify(sample)});
  console.log(JSON.stringify({ count: objects.length, labels: [...new Set(objects.map((o) => o.label))] }));
})().catch((e) => { console.error(e); process.exit(1); });`,
  'audio.mjs': `import { spotKeywords } from '@ondevice/audio';
const detections = await spotKeywords(${JSON.stringify(wav)});
console.log(JSON.stringify({ keywords: detections.map((d) => d.keyword) }));`,
  'audio.cjs': `const { spotKeywords } = require('@ondevice/audio');
spotKeywords(${JSON.stringify(wav)}).then((d) => console.log(JSON.stringify({ keywords: d.map((x) => x.keyword) })), (e) => { console.error(e); process.exit(1); });`,
  'text.mjs': `import { identifyLanguage, translate } from '@ondevice/text';
const [top] = await identifyLanguage('¿Dónde está la biblioteca?');
let translation;
try { translation = (await translate('the black cat', { from: 'en', to: 'es', model: 'tiny-marian-en-es' })).text; }
catch (e) { translation = e.name + ': ' + e.message; }
console.log(JSON.stringify({ language: top.language, translation }));`,
  'text.cjs': `const { identifyLanguage } = require('@ondevice/text');
identifyLanguage('Bonjour à tous, comment allez-vous ?').then(([top]) => console.log(JSON.stringify({ language: top.language })), (e) => { console.error(e); process.exit(1); });`,
};

function app(name) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumer-${name}`, private: true, version: '1.0.0' }, null, 2)}\n`,
  );
  for (const [file, text] of Object.entries(SCRIPTS)) writeFileSync(join(dir, file), `${text}\n`);
  return dir;
}
function runJson(dir, file) {
  const r = sh('node', [file], dir);
  const line = r.out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (r.status !== 0 || !line) throw new Error(`node ${file} exited ${r.status}:\n      ${tail(r.out)}`);
  return { value: JSON.parse(line), out: r.out };
}
function check(name, fn) {
  if (only && !only.some((o) => name.startsWith(o))) return;
  try {
    const detail = fn();
    record(name, true, detail);
  } catch (error) {
    record(name, false, String(error?.message ?? error));
  }
}
const has = (dir, pkg) => existsSync(join(dir, 'node_modules', pkg, 'package.json'));
function countPackages(dir, pkg) {
  const r = sh('find', [join(dir, 'node_modules'), '-path', `*/node_modules/${pkg}/package.json`], dir);
  return r.out.trim() ? r.out.trim().split('\n').length : 0;
}
const sizes = {};

for (const pkg of ['vision', 'audio', 'text']) {
  const dir = app(`npm-${pkg}`);
  check(`npm install @ondevice/${pkg} (default settings)`, () => {
    const r = npm(['install', ...CLOSURE[pkg].map(tarball)], dir);
    if (r.status !== 0) throw new Error(`npm install exited ${r.status}:\n      ${tail(r.out)}`);
    if (has(dir, 'onnxruntime-node')) throw new Error('onnxruntime-node was installed (it must stay opt-in)');
    sizes[pkg] = duMb(join(dir, 'node_modules'));
    if (sizes[pkg] > SIZE_BARS[pkg])
      throw new Error(`node_modules is ${sizes[pkg]} MB > ${SIZE_BARS[pkg]} MB`);
    return `${(r.ms / 1000).toFixed(0)} s, ${sizes[pkg]} MB (bar ${SIZE_BARS[pkg]} MB)`;
  });
  if (pkg === 'audio')
    check('npm @ondevice/audio installs no tfjs', () => {
      if (has(dir, '@tensorflow/tfjs-core')) throw new Error('@tensorflow/tfjs-core is in node_modules');
    });
  if (pkg === 'text')
    check('npm @ondevice/text: one onnxruntime-web, no transformers.js', () => {
      const n = countPackages(dir, 'onnxruntime-web');
      if (n !== 1) throw new Error(`${n} copies of onnxruntime-web`);
      if (has(dir, '@huggingface/transformers')) throw new Error('@huggingface/transformers was installed');
    });
  check(`npm @ondevice/${pkg}: README one-liner from ESM`, () => {
    const { value } = runJson(dir, `${pkg}.mjs`);
    if (pkg === 'vision') {
      if (value.count < 3 || !value.labels.includes('person'))
        throw new Error(`objects: ${JSON.stringify(value)}`);
      if (value.runtime !== 'tfjs') throw new Error(`runtime ${value.runtime} without onnxruntime-node`);
    }
    if (pkg === 'audio' && !Array.isArray(value.keywords)) throw new Error(JSON.stringify(value));
    if (pkg === 'text') {
      if (value.language !== 'es') throw new Error(JSON.stringify(value));
      if (!/ModelUnavailableOfflineError: .*install @ondevice\/text-demo-model/.test(value.translation))
        throw new Error(`translation without the demo model: ${value.translation}`);
    }
    return JSON.stringify(value).slice(0, 160);
  });
  check(`npm @ondevice/${pkg}: README one-liner from CommonJS`, () => {
    const { value } = runJson(dir, `${pkg}.cjs`);
    return JSON.stringify(value).slice(0, 120);
  });
  if (pkg === 'text')
    check(
      'npm @ondevice/text: translation opt-in (the demo model, then transformers.js --ignore-scripts)',
      () => {
        let r = npm(['install', tarball('text-demo-model')], dir);
        if (r.status !== 0) throw new Error(`npm install exited ${r.status}:\n      ${tail(r.out)}`);
        let { value } = runJson(dir, 'text.mjs');
        if (
          !/BackendUnavailableError: .*npm install @huggingface\/transformers@[\d.]+ --ignore-scripts/.test(
            value.translation,
          )
        )
          throw new Error(`without transformers.js: ${value.translation}`);
        r = npm(['install', '@huggingface/transformers@4.3.1', '--ignore-scripts'], dir);
        if (r.status !== 0) throw new Error(`npm install exited ${r.status}:\n      ${tail(r.out)}`);
        ({ value } = runJson(dir, 'text.mjs'));
        if (value.translation !== 'el gato negro')
          throw new Error(`with transformers.js: ${value.translation}`);
        return `"the black cat" → "${value.translation}"`;
      },
    );
  if (pkg === 'vision')
    check(
      'npm @ondevice/vision: native engine in one step (npm install onnxruntime-node --ignore-scripts)',
      () => {
        const r = npm(['install', 'onnxruntime-node@1.30.0', '--ignore-scripts'], dir);
        if (r.status !== 0) throw new Error(`npm install exited ${r.status}:\n      ${tail(r.out)}`);
        const { value } = runJson(dir, 'vision.mjs');
        if (value.runtime !== 'onnxruntime-node') throw new Error(`runtime ${value.runtime}`);
        return `runtime ${value.runtime}, ${value.count} objects`;
      },
    );
}

check(
  'pnpm add @ondevice/vision, then onnxruntime-node: the optional peer is linked in the strict layout',
  () => {
    const dir = app('pnpm-vision');
    // The @ondevice packages are not on the registry: point every dependency on them at its tarball.
    const pkgJson = join(dir, 'package.json');
    const manifest = JSON.parse(readFileSync(pkgJson, 'utf8'));
    manifest.pnpm = {
      overrides: Object.fromEntries(CLOSURE.vision.map((n) => [`@ondevice/${n}`, `file:${tarball(n)}`])),
    };
    writeFileSync(pkgJson, `${JSON.stringify(manifest, null, 2)}\n`);
    let r = pnpm(['add', tarball('vision')], dir);
    if (r.status !== 0) throw new Error(`pnpm add exited ${r.status}:\n      ${tail(r.out)}`);
    let { value } = runJson(dir, 'vision.mjs');
    if (value.runtime !== 'tfjs' || value.count < 3) throw new Error(`before: ${JSON.stringify(value)}`);
    r = pnpm(['add', 'onnxruntime-node@1.30.0'], dir);
    if (r.status !== 0)
      throw new Error(`pnpm add onnxruntime-node exited ${r.status}:\n      ${tail(r.out)}`);
    ({ value } = runJson(dir, 'vision.mjs'));
    if (value.runtime !== 'onnxruntime-node') throw new Error(`after: runtime ${value.runtime}`);
    return `${duMb(join(dir, 'node_modules'))} MB with onnxruntime-node; runtime ${value.runtime}`;
  },
);

check('npm install @ondevice/cli: `ondevice detect` runs and says how to get the native engine', () => {
  const dir = app('npm-cli');
  const r = npm(['install', ...CLOSURE.cli.map(tarball)], dir);
  if (r.status !== 0) throw new Error(`npm install exited ${r.status}:\n      ${tail(r.out)}`);
  sizes.cli = duMb(join(dir, 'node_modules'));
  const d = sh(join(dir, 'node_modules/.bin/ondevice'), ['detect', sample], dir);
  if (d.status !== 0 || !/person/.test(d.out))
    throw new Error(`ondevice detect exited ${d.status}:\n      ${tail(d.out)}`);
  if (!/onnxruntime-node is not installed.*--ignore-scripts/.test(d.out))
    throw new Error('no note about the native engine');
  return `${sizes.cli} MB`;
});

// Types: a strict app (no skipLibCheck) over the installed tarballs, TypeScript 5.9 and 7,
// with and without lib dom (scripts/consumer/types.mjs), in the app that has every package.
if (!only || only.includes('types')) {
  const cliApp = join(work, 'npm-cli');
  if (existsSync(join(cliApp, 'node_modules', '@ondevice', 'vision'))) {
    const { checkTypes, formatResult } = await import('./types.mjs');
    for (const r of await checkTypes({ appDir: cliApp }))
      record(`types: ${r.compiler} ${r.variant}`, r.ok, formatResult(r).slice(0, 300));
  } else record('types', false, 'the npm-cli app did not install');
}

// Bundlers: Vite and webpack build a detectObjects page as the README says, with no error and no
// warning, and it finds objects in Chromium (scripts/consumer/bundlers.mjs).
if (!only || only.includes('bundlers')) {
  const { checkBundlers } = await import('./bundlers.mjs');
  const appDir = join(work, 'bundlers');
  mkdirSync(appDir, { recursive: true });
  for (const r of await checkBundlers({ appDir, tarballs: CLOSURE.cli.map(tarball) }))
    record(r.name, r.ok, String(r.detail ?? '').slice(0, 300));
}

const passed = results.filter((r) => r.ok).length;
console.log(`install sizes (MB, npm, du -sm node_modules): ${JSON.stringify(sizes)}`);
console.log(`consumer: ${passed} passed, ${results.length - passed} failed`);
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
process.exit(results.length === passed ? 0 : 1);
