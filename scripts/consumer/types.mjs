#!/usr/bin/env node
// The consumer type check: a strict TypeScript app (strict: true, no skipLibCheck) that imports the
// main entries of @ondevice/vision, audio, text and core, and the evaluation subpaths, as installed
// from the packed tarballs. It is type-checked with TypeScript 5.9 (the workspace's `typescript`)
// and TypeScript 7 (`@typescript/native-preview`), under moduleResolution node16, nodenext and
// bundler, each with and without `lib: dom`, plus the same app as CommonJS under nodenext. Every
// variant must report 0 errors and load no runtime's types (tfjs, onnxruntime, WebGPU); and
// `detectObjects(12345)`, or importing an evaluation helper, schema or recipe from a main entry,
// must be a type error in every one (those lines carry `@ts-expect-error`, so an input type that
// collapsed to `any` shows as TS2578 "Unused '@ts-expect-error' directive").
//
// As a module: `checkTypes({ appDir })` writes the tsconfig variants and the consumer file into an
// app where the tarballs are installed (scripts/consumer/check.mjs makes such apps) and returns one
// result per variant. Alone, it packs, installs into a temporary app with npm and prints the table:
//
//   node scripts/consumer/types.mjs [--keep] [--app <dir>] [--no-build]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The compilers, from the workspace's devDependencies.
 *
 * @example
 * ```js
 * await checkTypes({ appDir, compilers: { ts7: COMPILERS.ts7 } }); // TypeScript 7 only
 * ```
 */
export const COMPILERS = {
  'ts5.9': join(root, 'node_modules/typescript/bin/tsc'),
  ts7: join(root, 'node_modules/@typescript/native-preview/bin/tsgo'),
};

const BASE = {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  target: 'ES2022',
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  esModuleInterop: true,
  forceConsistentCasingInFileNames: true,
};
const LIB_NODOM = ['ES2023', 'ESNext.Disposable'];
const LIB_DOM = [...LIB_NODOM, 'DOM', 'DOM.Iterable'];

/**
 * The variants: module settings × DOM lib. Node apps have @types/node, with or without `dom`; a
 * bundled app without `dom` is a Node one (Electron, a server bundle), so it has @types/node too;
 * a bundled page has `dom` and no @types/node, so the types must not need Node's.
 *
 * @example
 * ```js
 * await checkTypes({ appDir, variants: VARIANTS.filter((v) => v.name.endsWith('-nodom')) });
 * ```
 */
export const VARIANTS = [
  { name: 'node16', module: 'node16', moduleResolution: 'node16' },
  { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext' },
  { name: 'bundler', module: 'esnext', moduleResolution: 'bundler' },
]
  .flatMap((v) => [
    { ...v, name: `${v.name}-nodom`, lib: LIB_NODOM, types: ['node'], file: 'consumer.mts' },
    {
      ...v,
      name: `${v.name}-dom`,
      lib: LIB_DOM,
      types: v.moduleResolution === 'bundler' ? [] : ['node'],
      file: 'consumer.mts',
    },
  ])
  // CommonJS (`import x = require()`): TypeScript allows require() of ES modules under nodenext,
  // which models Node >= 20.19; node16 models a Node that cannot, so it has no CommonJS variant.
  .concat([
    {
      name: 'nodenext-cjs',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: LIB_NODOM,
      types: ['node'],
      file: 'consumer.cts',
    },
  ]);

/**
 * Packages whose types the main entries must never reach: the runtimes' (see issue #17).
 *
 * @example
 * ```js
 * if (RUNTIME_TYPE_PACKAGES.includes('@webgpu/types')) console.log('WebGPU types are checked for');
 * ```
 */
export const RUNTIME_TYPE_PACKAGES = [
  'onnxruntime-common',
  'onnxruntime-web',
  'onnxruntime-node',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-converter',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  '@webgpu/types',
  '@huggingface/transformers',
];

/**
 * The consumer: the README's one-liners, typed, plus the calls that must not type-check.
 *
 * @example
 * ```js
 * writeFileSync(join(dir, 'consumer.mts'), CONSUMER_SOURCE);
 * ```
 */
export const CONSUMER_SOURCE = `// Written by scripts/consumer/types.mjs: what an app developer writes, type-checked strictly.
import {
  configure,
  createObjectDetector,
  detectFaceLandmarks,
  detectObjects,
  type DetectedObject,
  type FaceLandmarksResult,
  type ImageInput,
  InputError,
  OnDeviceError,
  recognizeText,
  type TextResult,
} from '@ondevice/vision';
import { characterErrorRate, nme68 } from '@ondevice/vision/eval';
import { type KeywordDetection, spotKeywords, configure as configureAudio, type AudioInput } from '@ondevice/audio';
import { identifyLanguage, type LanguageGuess, translate, type TranslationResult } from '@ondevice/text';
import { configure as configureCore, ModelLoadError, type OnDeviceConfig } from '@ondevice/core';
// The main entries carry what an app calls; evaluation helpers, option schemas, recipes and the
// runtimes' own API are in subpaths (@ondevice/vision/eval, …/internals, @ondevice/core/onnx).
// @ts-expect-error an evaluation helper
import { characterErrorRate as cerFromMain } from '@ondevice/vision';
// @ts-expect-error an option schema
import { detectOptionsSchema } from '@ondevice/vision';
// @ts-expect-error an internal recipe
import { deriveCenterNetInt8 } from '@ondevice/vision';
// @ts-expect-error an option schema
import { keywordSpotterOptionsSchema } from '@ondevice/audio';
// @ts-expect-error an option schema
import { translateOptionsSchema } from '@ondevice/text';
// @ts-expect-error onnxruntime's API
import { getOrt } from '@ondevice/core';

const config: OnDeviceConfig = configure({ maxImagePixels: 10_000_000 });
configureAudio({ allowRemoteModels: false });
configureCore({ cacheDir: '/tmp/models' });

const objects: DetectedObject[] = await detectObjects('photo.jpg', { scoreThreshold: 0.3 });
const pixels: ImageInput = { data: new Uint8ClampedArray(4), width: 1, height: 1 };
await detectObjects(pixels);
await detectObjects(new Uint8Array([0xff, 0xd8]));
{
  using detector = await createObjectDetector();
  const again: DetectedObject[] = await detector.detect('photo.jpg');
  console.log(again.length);
}
const faces: FaceLandmarksResult = await detectFaceLandmarks('selfie.jpg');
const text: TextResult = await recognizeText('scan.png');
const keywords: KeywordDetection[] = await spotKeywords('clip.wav');
const clip: AudioInput = { samples: new Float32Array(16000), sampleRate: 16000 };
await spotKeywords(clip);
const languages: LanguageGuess[] = await identifyLanguage('¿Dónde está la estación?');
const translation: TranslationResult = await translate('the cat', { to: 'es' });
const cer: number = characterErrorRate('hello', 'hallo');
console.log(config, objects, faces, text, keywords, languages, translation, cer, typeof nme68);

try {
  await detectObjects('photo.jpg');
} catch (error) {
  if (error instanceof InputError || error instanceof ModelLoadError) console.log(error.code);
  else if (error instanceof OnDeviceError) console.log(error.message);
}

// Must not type-check: a number is no image, a string array no audio.
// @ts-expect-error a number is not an ImageInput
await detectObjects(12345);
// @ts-expect-error a number is not an ImageInput
const notAnImage: ImageInput = 12345;
// @ts-expect-error an options typo
await detectObjects('photo.jpg', { scoreTreshold: 0.3 });
// @ts-expect-error a string array is not an AudioInput
await spotKeywords(['clip.wav']);
console.log(notAnImage, cerFromMain, detectOptionsSchema, deriveCenterNetInt8);
console.log(keywordSpotterOptionsSchema, translateOptionsSchema, getOrt);
`;

/**
 * The same app written as CommonJS: `import … = require(…)`.
 *
 * @example
 * ```js
 * writeFileSync(join(dir, 'consumer.cts'), CONSUMER_CJS_SOURCE);
 * ```
 */
export const CONSUMER_CJS_SOURCE = `// Written by scripts/consumer/types.mjs: a CommonJS app, type-checked strictly.
import vision = require('@ondevice/vision');
import audio = require('@ondevice/audio');
import text = require('@ondevice/text');

async function main(): Promise<void> {
  vision.configure({ allowRemoteModels: false });
  const objects: vision.DetectedObject[] = await vision.detectObjects('photo.jpg');
  const keywords: audio.KeywordDetection[] = await audio.spotKeywords('clip.wav');
  const [top] = await text.identifyLanguage('¿Dónde está la estación?');
  console.log(objects.length, keywords.length, top?.language);
  try {
    await vision.detectObjects('missing.jpg');
  } catch (error) {
    if (error instanceof vision.InputError) console.log(error.code);
  }
  // @ts-expect-error a number is not an ImageInput
  await vision.detectObjects(12345);
}
void main();
`;

function tsconfigOf(variant) {
  return {
    compilerOptions: {
      ...BASE,
      module: variant.module,
      moduleResolution: variant.moduleResolution,
      lib: variant.lib,
      types: variant.types,
    },
    files: [variant.file],
  };
}

const ERROR_LINE = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/** Which package an error's file belongs to: `consumer`, or the node_modules package name. */
function ownerOf(file, appDir) {
  const path = resolve(appDir, file).replaceAll('\\', '/');
  if (/\/(typescript|@typescript\/native-preview[^/]*)\/lib\//.test(path)) return 'typescript lib';
  const all = [...path.matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)];
  if (all.length) return all[all.length - 1][1];
  return relative(appDir, path).startsWith('types-check/') ? 'consumer' : relative(appDir, path);
}

/**
 * Type-checks the consumer in `appDir` (the tarballs installed there with npm, and @types/node for
 * the Node variants) with every compiler and variant.
 *
 * @param {{ appDir: string, compilers?: Record<string, string>, variants?: typeof VARIANTS }} options
 * @returns {Promise<Array<{ compiler: string, variant: string, ok: boolean, errors: number,
 *   runtimeTypes: string[], byPackage: Record<string, number>, expectErrorUnused: boolean,
 *   sample: string[], ms: number }>>} one result per compiler × variant; `ok` is 0 errors (which
 *   includes `detectObjects(12345)` being a type error) and no runtime's types in the program
 *   (`runtimeTypes`: which of {@link RUNTIME_TYPE_PACKAGES} the main entries' types reached).
 * @example
 * ```js
 * import { checkTypes } from './types.mjs';
 * for (const r of await checkTypes({ appDir: '/tmp/app' })) console.log(r.compiler, r.variant, r.errors);
 * ```
 */
export async function checkTypes({ appDir, compilers = COMPILERS, variants = VARIANTS }) {
  const dir = join(appDir, 'types-check');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'consumer.mts'), CONSUMER_SOURCE);
  writeFileSync(join(dir, 'consumer.cts'), CONSUMER_CJS_SOURCE);
  // `types: ['node']` is looked up from the tsconfig's folder up; the app has @types/node.
  const jobs = [];
  for (const variant of variants) {
    const config = join(dir, `tsconfig.${variant.name}.json`);
    writeFileSync(config, `${JSON.stringify(tsconfigOf(variant), null, 2)}\n`);
    for (const [compiler, bin] of Object.entries(compilers)) jobs.push({ variant, config, compiler, bin });
  }
  // Two compilers at a time (each is one process on one core): 16 runs took 63 s one by one.
  const results = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await checkOne(jobs[i], dir, appDir);
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, lane));
  return results;
}

/** Runs one compiler on one variant's tsconfig and reads its errors and the files it loaded. */
async function checkOne({ variant, config, compiler, bin }, dir, appDir) {
  const t0 = Date.now();
  const r = await new Promise((done) => {
    let out = '';
    const child = spawn(process.execPath, [bin, '-p', config, '--pretty', 'false', '--listFiles'], {
      cwd: dir,
      timeout: 300_000,
    });
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      out += d;
    });
    child.on('error', (error) => done({ status: null, out: `${out}${error.message}` }));
    child.on('close', (status) => done({ status, out }));
  });
  const out = r.out;
  const errors = [];
  const runtimeTypes = new Set();
  for (const line of out.split('\n')) {
    if (/^(\/|[A-Za-z]:[\\/]).*\.d\.[cm]?ts$/.test(line.trim())) {
      const owner = ownerOf(line.trim(), appDir);
      if (RUNTIME_TYPE_PACKAGES.includes(owner)) runtimeTypes.add(owner);
      continue;
    }
    const m = ERROR_LINE.exec(line.trim());
    if (m) errors.push({ file: m[1], code: m[4], message: m[5], owner: ownerOf(join(dir, m[1]), appDir) });
    else if (/^error TS\d+:/.test(line.trim()))
      errors.push({ file: '', code: line.trim().slice(6, 12), message: line.trim(), owner: 'config' });
  }
  if (r.status !== 0 && !errors.length)
    errors.push({
      file: '',
      code: 'exit',
      message: out.trim().slice(0, 400) || `exit ${r.status}`,
      owner: 'compiler',
    });
  const byPackage = {};
  for (const e of errors) byPackage[e.owner] = (byPackage[e.owner] ?? 0) + 1;
  return {
    compiler,
    variant: variant.name,
    ok: errors.length === 0 && runtimeTypes.size === 0,
    errors: errors.length,
    runtimeTypes: [...runtimeTypes].sort(),
    byPackage,
    expectErrorUnused: errors.some((e) => e.code === 'TS2578' && e.owner === 'consumer'),
    sample: errors.slice(0, 5).map((e) => `${e.owner}: ${e.code} ${e.message}`.slice(0, 220)),
    ms: Date.now() - t0,
  };
}

/**
 * One line per result, for logs.
 *
 * @example
 * ```js
 * for (const r of await checkTypes({ appDir })) console.log(formatResult(r));
 * ```
 */
export function formatResult(r) {
  const where = Object.entries(r.byPackage)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const reached = r.runtimeTypes.length ? `; runtime types reached: ${r.runtimeTypes.join(', ')}` : '';
  const unused = r.expectErrorUnused
    ? '; a @ts-expect-error is unused (an input type turned any, or a moved name is back in a main entry)'
    : '';
  return `${r.compiler.padEnd(5)} ${r.variant.padEnd(15)} ${String(r.errors).padStart(4)} errors${where ? ` (${where})` : ''}${reached}${unused}`;
}

// Standalone: pack, install into a temporary app, check, print.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const given = args.includes('--app') ? resolve(args[args.indexOf('--app') + 1]) : undefined;
  const sh = (cmd, argv, cwd, env = process.env) => {
    const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 900_000 });
    if (r.status !== 0) {
      console.error(`${cmd} ${argv.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
      process.exit(1);
    }
    return r.stdout;
  };
  let work;
  let appDir = given;
  if (!appDir) {
    work = mkdtempSync(join(tmpdir(), 'ondevice-types-'));
    const packs = join(work, 'packs');
    mkdirSync(packs);
    const names = ['core', 'optimize', 'vision-models', 'vision', 'audio', 'text'];
    const filters = names.flatMap((n) => ['--filter', `@ondevice/${n}`]);
    if (!args.includes('--no-build'))
      sh(
        'bash',
        [join(root, 'scripts/pnpm.sh'), ...filters, '--filter', '!@ondevice/vision-models', 'build'],
        root,
      );
    sh('bash', [join(root, 'scripts/pnpm.sh'), ...filters, 'pack', '--pack-destination', packs], root);
    const tarballs = readdirSync(packs).map((f) => join(packs, f));
    appDir = join(work, 'app');
    mkdirSync(appDir);
    writeFileSync(
      join(appDir, 'package.json'),
      '{ "name": "types-consumer", "private": true, "version": "1.0.0" }\n',
    );
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (/^(npm_|PNPM_|pnpm_|INIT_CWD)/i.test(k)) delete env[k];
    sh(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, '@types/node@22'],
      appDir,
      env,
    );
  } else if (!existsSync(join(appDir, 'node_modules/@types/node'))) {
    console.warn(`${appDir} has no @types/node: the node16/nodenext variants will report it`);
  }
  const results = await checkTypes({ appDir });
  for (const r of results) {
    console.log(formatResult(r));
    for (const s of r.sample) console.log(`      ${s}`);
  }
  const passed = results.filter((r) => r.ok).length;
  console.log(`types: ${passed} passed, ${results.length - passed} failed`);
  if (work && !keep) rmSync(work, { recursive: true, force: true });
  else if (work) console.log(`kept ${work}`);
  process.exit(passed === results.length ? 0 : 1);
}
