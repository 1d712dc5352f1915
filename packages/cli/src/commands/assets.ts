// `ondevice assets <dir> --tasks …`: copies exactly the runtime and model files a browser app's
// tasks load into <dir> (served as configure({ assetsUrl })), each SHA-256 checked. The same plan
// and copy serve the Vite plugin (`@ondevice/cli/vite`).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ModelSpec, modelMirrorPath } from '@ondevice/core';
import { CliError, EXIT, oneLine, UsageError } from '../exit-codes.js';
import { formatBytes } from '../progress.js';
import { type Io, parseFlags } from '../run-task.js';
import type { FlagSpec } from '../tasks.js';

type Vision = typeof import('@ondevice/vision');
type Audio = typeof import('@ondevice/audio');
type Text = typeof import('@ondevice/text');

/**
 * A runtime a task loads in the browser: the npm package its files come from, the package that
 * loads it (the runtime is found, at the version installed for it, among that package's
 * dependencies; by default the task's own package), and its file names.
 */
interface RuntimeUse {
  readonly package: string;
  readonly loadedBy?: string;
  /** The file names, from the code that loads them (core's ORT_WASM_FILES, TFJS_WASM_FILES…). */
  files(names: RuntimeFileNames): readonly string[];
}

/** The runtime file lists core exports, wherever they live in it (`@ondevice/core`, its `/onnx` or `/tfjs` subpath). */
interface RuntimeFileNames {
  ORT_WASM_FILES: readonly string[];
  TFJS_WASM_FILES: readonly string[];
}

const ONNXRUNTIME: RuntimeUse = {
  package: 'onnxruntime-web',
  loadedBy: '@ondevice/core',
  files: (n) => n.ORT_WASM_FILES,
};
const TFJS_WASM: RuntimeUse = { package: '@tensorflow/tfjs-backend-wasm', files: (n) => n.TFJS_WASM_FILES };
// @ondevice/text loads these itself: fastText's WASM for language ID, and the asyncify build of the
// onnxruntime-web that transformers.js pins, for translation (names as those packages load them).
const FASTTEXT_WASM: RuntimeUse = { package: 'fasttext.wasm.js', files: () => ['fastText.common.wasm'] };
const TRANSFORMERS_ONNXRUNTIME: RuntimeUse = {
  package: 'onnxruntime-web',
  loadedBy: '@huggingface/transformers',
  files: () => ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'],
};

/** A task as browsers run it: its package, the model specs it loads (imported from it) and its runtimes. */
interface AssetTask {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  readonly package: '@ondevice/vision' | '@ondevice/audio' | '@ondevice/text';
  models(mod: never): readonly ModelSpec[];
  readonly runtimes: readonly RuntimeUse[];
}

const task = <M>(t: Omit<AssetTask, 'models'> & { models(mod: M): readonly ModelSpec[] }): AssetTask =>
  t as AssetTask;

/**
 * The tasks `ondevice assets --tasks` and the Vite plugin know, with what each loads in a browser
 * (where tfjs picks WebGPU/WebGL when it can and WASM otherwise, and OCR runs PP-OCR on
 * onnxruntime-web; Tesseract is Node-only).
 *
 * @example
 * ```ts
 * ASSET_TASKS.map((t) => t.name); // ['detect', 'faces', 'ocr', 'keywords', 'wake-words', 'langid', 'translate']
 * ```
 */
export const ASSET_TASKS: readonly AssetTask[] = [
  task<Vision>({
    name: 'detect',
    summary: 'detectObjects (CenterNet on tfjs)',
    package: '@ondevice/vision',
    models: (m) => [m.CENTERNET_MOBILENETV3],
    runtimes: [TFJS_WASM],
  }),
  task<Vision>({
    name: 'faces',
    summary:
      'detectFaceLandmarks (BlazeFace on tfjs; FaceMesh and Iris on onnxruntime-web, measured faster there)',
    package: '@ondevice/vision',
    models: (m) => [m.BLAZEFACE, m.FACEMESH, m.IRIS],
    runtimes: [TFJS_WASM, ONNXRUNTIME],
  }),
  task<Vision>({
    name: 'ocr',
    summary: 'recognizeText (PP-OCRv4 on onnxruntime-web)',
    package: '@ondevice/vision',
    models: (m) => [m.PPOCR_V4_DET, m.PPOCR_V4_REC, m.PPOCR_KEYS],
    runtimes: [ONNXRUNTIME],
  }),
  task<Audio>({
    name: 'keywords',
    aliases: ['listen'],
    summary: "spotKeywords with the project's own heads (mel + speech embedding on onnxruntime-web)",
    package: '@ondevice/audio',
    models: (m) => [m.OWW_MELSPECTROGRAM, m.OWW_EMBEDDING],
    runtimes: [ONNXRUNTIME],
  }),
  task<Audio>({
    name: 'wake-words',
    summary: "spotKeywords with openWakeWord's heads (hey_jarvis, alexa, …: CC BY-NC-SA 4.0, non-commercial)",
    package: '@ondevice/audio',
    models: (m) => [m.OWW_MELSPECTROGRAM, m.OWW_EMBEDDING, ...Object.values(m.BUILTIN_KEYWORD_HEADS)],
    runtimes: [ONNXRUNTIME],
  }),
  task<Text>({
    name: 'langid',
    summary: 'identifyLanguage (fastText WASM beside tinyld and eld)',
    package: '@ondevice/text',
    models: (m) => [m.FASTTEXT_LID176],
    runtimes: [FASTTEXT_WASM],
  }),
  task<Text>({
    name: 'translate',
    summary: 'translate with the demo en→es model (@ondevice/text-demo-model) on transformers.js',
    package: '@ondevice/text',
    models: (m) => [m.TINY_MARIAN_EN_ES],
    runtimes: [TRANSFORMERS_ONNXRUNTIME],
  }),
];

/** Every name `--tasks` accepts. */
const TASK_NAMES = ASSET_TASKS.flatMap((t) => [t.name, ...(t.aliases ?? [])]);

/** One file of an assets folder, as `assetPlan` lists it. */
export interface PlannedAsset {
  /** Where it goes inside the assets folder: `wasm/<file>` or `models/<id>/<version>/<path>`. */
  readonly path: string;
  readonly kind: 'runtime' | 'model';
  readonly sha256: string;
  readonly size: number;
  /** The npm package version and folder it comes from, and its path in that folder. */
  readonly npm: { readonly package: string; readonly version: string; readonly dir: string };
  readonly file: string;
  /** Its npm CDN URL at that exact version (what `configure({ assets: 'cdn' })` loads). */
  readonly cdnUrl: string;
  readonly license: string;
  /** `id@version` of the model (models only). */
  readonly model?: string;
  /** The tasks that load it. */
  readonly tasks: readonly string[];
  /** Where it was found on this machine, or undefined with `problem` saying why. */
  readonly source?: string;
  readonly problem?: string;
}

/** What a set of tasks loads in a browser: see {@link assetPlan}. */
export interface AssetPlan {
  readonly tasks: readonly string[];
  readonly files: readonly PlannedAsset[];
  /** Sum of the files' sizes in bytes. */
  readonly bytes: number;
}

/** Options of {@link assetPlan}. */
export interface AssetPlanOptions {
  /** The app's folder: its installed packages come first. Default: the working directory. */
  root?: string;
  /** Model specs of your own to add (files from their `npm` package). */
  models?: readonly ModelSpec[];
}

/** The folder of an installed package as Node finds it from `from` (also without a package.json export). */
function installedDir(name: string, from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readJson = async (path: string): Promise<PackageJson> =>
  JSON.parse(await readFile(path, 'utf8')) as PackageJson;

/** `dir`, then the folders of its dependencies (all kinds), real paths, once each, in order. */
async function withDependencies(dir: string, depth = 2, seen = new Set<string>()): Promise<string[]> {
  const real = await realpath(dir);
  if (seen.has(real)) return [];
  seen.add(real);
  const out = [real];
  if (depth === 0) return out;
  const pkg = await readJson(join(real, 'package.json')).catch(() => ({}) as PackageJson);
  const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
  for (const name of names) {
    const found = installedDir(name, real);
    if (found) out.push(...(await withDependencies(found, depth - 1, seen)));
  }
  return out;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Finds `<package>/<dir>/<file>` with the expected SHA-256 among `roots`: the package as Node
 * resolves it from each root, then a mirror of it inside each root (`<root>/files/<package>@<version>/<dir>/<file>`,
 * the layout of a weights package such as `@ondevice/vision-models`). The first copy whose sum
 * matches wins; otherwise the reason for each copy found.
 */
async function locate(
  npm: PlannedAsset['npm'],
  file: string,
  expected: { sha256: string; size: number },
  roots: readonly string[],
): Promise<{ source?: string; problem?: string }> {
  const candidates = new Set<string>();
  for (const root of roots) {
    const pkgDir = installedDir(npm.package, root);
    if (pkgDir) candidates.add(join(await realpath(pkgDir), npm.dir, file));
    candidates.add(join(root, 'files', modelMirrorPath(npm, file)));
  }
  const problems: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const bytes = new Uint8Array(await readFile(path));
    if (bytes.byteLength === expected.size && sha256(bytes) === expected.sha256.toLowerCase())
      return { source: path };
    problems.push(
      `${path} has ${bytes.byteLength} bytes and SHA-256 ${sha256(bytes)}, expected ${expected.size} bytes and ${expected.sha256}`,
    );
  }
  return {
    problem: problems.length
      ? `${problems.join('; ')}. Install exactly ${npm.package}@${npm.version}.`
      : `${npm.package}@${npm.version} is not installed (looked for ${npm.dir}/${file}); install it beside the task package.`,
  };
}

/** Imports a package (or a subpath of one) as the app has it (from `root`), else as this CLI has it. */
async function importFrom(
  name: string,
  root: string,
): Promise<{ mod: unknown; dir: string | undefined } | undefined> {
  for (const from of [join(root, 'package.json'), import.meta.url]) {
    const req = createRequire(from);
    let entry: string;
    try {
      entry = req.resolve(name);
    } catch {
      continue; // not installed there
    }
    let dir: string | undefined;
    try {
      dir = dirname(req.resolve(`${name}/package.json`));
    } catch {
      dir = undefined; // a subpath
    }
    return { mod: await import(pathToFileURL(entry).href), dir };
  }
  return undefined;
}

/** Core's runtime file lists, from whichever of its entry points exports them. */
async function runtimeFileNames(root: string): Promise<RuntimeFileNames> {
  const found: Partial<Record<keyof RuntimeFileNames, readonly string[]>> = {};
  for (const entry of ['@ondevice/core', '@ondevice/core/onnx', '@ondevice/core/tfjs']) {
    const loaded = await importFrom(entry, root).catch(() => undefined);
    const mod = (loaded?.mod ?? {}) as Partial<RuntimeFileNames>;
    found.ORT_WASM_FILES ??= mod.ORT_WASM_FILES;
    found.TFJS_WASM_FILES ??= mod.TFJS_WASM_FILES;
  }
  if (!found.ORT_WASM_FILES || !found.TFJS_WASM_FILES)
    throw new CliError(
      '@ondevice/core exports no ORT_WASM_FILES / TFJS_WASM_FILES here (is it built?)',
      EXIT.UNAVAILABLE,
    );
  return found as RuntimeFileNames;
}

/**
 * Which files the given tasks load in a browser, where each goes in the assets folder, its SHA-256
 * and size, the npm package version it comes from and its CDN URL at that version, and where it was
 * found on this machine. Model files come from the task packages' own specs (their `npm` source and
 * sums); runtime files from core's file lists at the version installed for the package that loads
 * them, with the sums core records. Nothing is copied.
 *
 * @example
 * ```ts
 * const plan = await assetPlan(['detect', 'ocr']);
 * for (const f of plan.files) console.log(f.path, f.size, f.cdnUrl);
 * ```
 */
export async function assetPlan(
  tasks: readonly string[],
  options: AssetPlanOptions = {},
): Promise<AssetPlan> {
  const root = resolve(options.root ?? process.cwd());
  const unknown = tasks.filter((t) => !TASK_NAMES.includes(t));
  if (unknown.length)
    throw new UsageError(
      `unknown task ${unknown.map((t) => `"${t}"`).join(', ')}; tasks: ${TASK_NAMES.join(', ')}`,
    );
  const chosen = ASSET_TASKS.filter((t) => tasks.some((n) => n === t.name || t.aliases?.includes(n)));
  const core = await importFrom('@ondevice/core', root);
  if (!core) throw new CliError('@ondevice/core is not installed', EXIT.UNAVAILABLE);
  const coreApi = core.mod as typeof import('@ondevice/core');
  const names = await runtimeFileNames(root);
  const byPath = new Map<string, PlannedAsset>();
  const add = (asset: PlannedAsset) => {
    const had = byPath.get(asset.path);
    if (had && had.sha256 !== asset.sha256)
      throw new CliError(
        `${asset.path} is needed twice with different contents (${had.npm.package}@${had.npm.version} and ${asset.npm.package}@${asset.npm.version})`,
        EXIT.UNAVAILABLE,
      );
    byPath.set(asset.path, had ? { ...had, tasks: [...new Set([...had.tasks, ...asset.tasks])] } : asset);
  };

  const models = async (specs: readonly ModelSpec[], taskName: string, roots: string[]) => {
    for (const spec of specs) {
      coreApi.checkModelSpec(spec);
      if (!spec.npm)
        throw new CliError(
          `${spec.id}@${spec.version} names no npm package to copy its files from`,
          EXIT.UNAVAILABLE,
        );
      for (const f of spec.files) {
        const where = await locate(spec.npm, f.path, f, roots);
        add({
          path: coreApi.modelAssetPath(spec, f.path),
          kind: 'model',
          sha256: f.sha256.toLowerCase(),
          size: f.size,
          npm: spec.npm,
          file: f.path,
          cdnUrl: coreApi.npmCdnUrl(spec.npm, f.path, coreApi.DEFAULT_CDN_URL),
          license: spec.license,
          model: `${spec.id}@${spec.version}`,
          tasks: [taskName],
          ...where,
        });
      }
    }
  };

  for (const t of chosen) {
    const owner = await importFrom(t.package, root);
    if (!owner?.dir)
      throw new CliError(
        `${t.name} needs ${t.package}: install it in the app (npm install ${t.package})`,
        EXIT.UNAVAILABLE,
      );
    const ownerRoots = [root, ...(await withDependencies(owner.dir))];
    await models(t.models(owner.mod as never), t.name, ownerRoots);
    for (const rt of t.runtimes) {
      // The runtime at the version installed for the package that loads it.
      const loader = rt.loadedBy
        ? ownerRoots.map((r) => installedDir(rt.loadedBy as string, r)).find(Boolean)
        : owner.dir;
      if (!loader)
        throw new CliError(
          `${t.name} needs ${rt.loadedBy}, which is not installed: install it beside ${t.package}`,
          EXIT.UNAVAILABLE,
        );
      const pkgDir = installedDir(rt.package, await realpath(loader));
      if (!pkgDir)
        throw new CliError(
          `${t.name} needs ${rt.package} (loaded by ${rt.loadedBy ?? t.package}), which is not installed`,
          EXIT.UNAVAILABLE,
        );
      const version = (await readJson(join(pkgDir, 'package.json'))).version ?? '';
      let runtime: import('@ondevice/core').RuntimeAssets;
      try {
        runtime = coreApi.runtimeAssets(rt.package, version, rt.files(names));
      } catch (error) {
        throw new CliError(oneLine(error), EXIT.UNAVAILABLE);
      }
      const runtimeRoots = [await realpath(loader), ...ownerRoots];
      for (const f of runtime.files) {
        const where = await locate(runtime.npm, f.path, f, runtimeRoots);
        add({
          path: coreApi.wasmAssetPath(f.path),
          kind: 'runtime',
          sha256: f.sha256,
          size: f.size,
          npm: runtime.npm,
          file: f.path,
          cdnUrl: coreApi.npmCdnUrl(runtime.npm, f.path, coreApi.DEFAULT_CDN_URL),
          license: runtime.license,
          tasks: [t.name],
          ...where,
        });
      }
    }
  }
  if (options.models?.length) {
    // Your own specs: their packages as the app has them, else beside the task packages.
    const cliDir = fileURLToPath(new URL('../../', import.meta.url));
    await models(options.models, 'your models', [root, ...(await withDependencies(cliDir, 3))]);
  }
  const files = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
  return { tasks: chosen.map((t) => t.name), files, bytes: files.reduce((n, f) => n + f.size, 0) };
}

/** What {@link copyAssets} did with one file. */
export interface CopiedAsset {
  readonly asset: PlannedAsset;
  readonly outcome: 'copied' | 'unchanged' | 'failed';
  readonly problem?: string;
}

/**
 * Copies a plan's files into `dir` (`<dir>/wasm/…`, `<dir>/models/…`): each source is read and
 * checked against its SHA-256 and size before anything is written, written under a `.part` name
 * and renamed; a file already there with the right sum is left alone. A file that is missing or
 * fails its check is not written (and a stale copy of it is removed); it is reported as `failed`.
 *
 * @example
 * ```ts
 * const done = await copyAssets(await assetPlan(['detect']), 'public/ondevice');
 * if (done.some((d) => d.outcome === 'failed')) process.exitCode = 1;
 * ```
 */
export async function copyAssets(plan: AssetPlan, dir: string): Promise<CopiedAsset[]> {
  const out: CopiedAsset[] = [];
  for (const asset of plan.files) {
    const dest = join(dir, ...asset.path.split('/'));
    if (!resolve(dest).startsWith(resolve(dir) + sep))
      throw new CliError(`refusing to write ${dest}`, EXIT.USAGE);
    const bytes = await checkedBytes(asset);
    if (typeof bytes === 'string') {
      await rm(dest, { force: true });
      out.push({ asset, outcome: 'failed', problem: bytes });
      continue;
    }
    if (existsSync(dest)) {
      const there = new Uint8Array(await readFile(dest));
      if (there.byteLength === asset.size && sha256(there) === asset.sha256) {
        out.push({ asset, outcome: 'unchanged' });
        continue;
      }
    }
    await mkdir(dirname(dest), { recursive: true });
    const part = `${dest}.${process.pid}.part`;
    await writeFile(part, bytes);
    await rename(part, dest);
    out.push({ asset, outcome: 'copied' });
  }
  return out;
}

/**
 * The bytes of a planned file from its source, checked again against its SHA-256 and size (the
 * source may have changed since the plan), or the reason it cannot be used.
 *
 * @example
 * ```ts
 * const bytes = await checkedBytes(plan.files[0]);
 * if (typeof bytes === 'string') throw new Error(bytes);
 * ```
 */
export async function checkedBytes(asset: PlannedAsset): Promise<Uint8Array | string> {
  if (!asset.source) return asset.problem ?? `${asset.path}: no source`;
  const bytes = new Uint8Array(await readFile(asset.source));
  const sum = sha256(bytes);
  if (bytes.byteLength !== asset.size || sum !== asset.sha256)
    return `${asset.source} has ${bytes.byteLength} bytes and SHA-256 ${sum}, expected ${asset.size} bytes and ${asset.sha256}`;
  return bytes;
}

const FLAGS: Record<string, FlagSpec> = {
  tasks: {
    type: 'string',
    multiple: true,
    value: 'LIST',
    description: `the tasks the app runs, comma-separated: ${TASK_NAMES.join(', ')}`,
  },
  spec: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    description: 'a model spec (JSON) of your own to copy too, its files from its npm package',
  },
  list: { type: 'boolean', description: 'print what would be copied (with --json: the plan), copy nothing' },
  json: { type: 'boolean', description: 'machine-readable output (the plan and what happened to each file)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/**
 * Help text of `ondevice assets`.
 *
 * @example
 * ```ts
 * process.stdout.write(`${ASSETS_HELP}\n`);
 * ```
 */
export const ASSETS_HELP = `ondevice assets — copy the runtime and model files a browser app's tasks load

usage:
  ondevice assets <dir> --tasks detect,ocr[,…] [--spec my-model.json] [--list] [--json]

Copies exactly the files the tasks load in a browser into <dir>, each checked against its SHA-256:
  <dir>/wasm/<file>                          the runtime WASM (tfjs-backend-wasm, onnxruntime-web, …)
  <dir>/models/<id>/<version>/<file>         the model files
Serve <dir> at /ondevice/ (e.g. <dir> = public/ondevice with Vite or webpack's public folder): that
is the default of configure({ assetsUrl }); elsewhere set configure({ assetsUrl: '<its URL>' }).
Vite apps can use the plugin instead: import { ondeviceAssets } from '@ondevice/cli/vite'.

tasks:
${ASSET_TASKS.map((t) => `  ${[t.name, ...(t.aliases ?? [])].join(', ').padEnd(17)} ${t.summary}`).join('\n')}

options:
${Object.entries(FLAGS)
  .map(([name, f]) => `  --${name}${f.value ? ` ${f.value}` : ''}`.padEnd(20) + f.description)
  .join('\n')}

exit status: 0 ok, 1 a file is missing or fails its SHA-256 (it is not written; the others are),
2 usage error (unknown task, no folder), 3 a task's package or runtime is not installed`;

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * `ondevice assets <dir> --tasks …`.
 *
 * @example
 * ```ts
 * process.exitCode = await runAssetsCommand(['public/ondevice', '--tasks', 'detect,ocr'], process);
 * ```
 */
export async function runAssetsCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('assets', args, FLAGS);
  if (values.help) {
    io.stdout.write(`${ASSETS_HELP}\n`);
    return EXIT.OK;
  }
  const [dir, ...extra] = positionals;
  if (!dir)
    throw new UsageError(
      'a folder to copy into is needed, e.g. ondevice assets public/ondevice --tasks detect',
    );
  if (extra.length) throw new UsageError(`one folder only; also got ${extra.join(' ')}`);
  const tasks = list(values.tasks);
  const specs: ModelSpec[] = [];
  for (const file of list(values.spec)) {
    try {
      specs.push(JSON.parse(await readFile(file, 'utf8')) as ModelSpec);
    } catch (error) {
      throw new UsageError(`--spec ${file}: ${oneLine(error)}`);
    }
  }
  if (!tasks.length && !specs.length)
    throw new UsageError(`--tasks is required: ${TASK_NAMES.join(', ')} (comma-separated)`);
  let plan: AssetPlan;
  try {
    plan = await assetPlan(tasks, { models: specs });
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new UsageError(oneLine(error)); // a --spec the library rejects (OptionsError)
  }
  if (values.list) {
    if (values.json) io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    else
      for (const f of plan.files)
        io.stdout.write(`${describe(f)}${f.problem ? `  MISSING: ${f.problem}` : ''}\n`);
    return plan.files.some((f) => f.problem) ? EXIT.SOME_INPUTS_FAILED : EXIT.OK;
  }
  const done = await copyAssets(plan, dir);
  for (const d of done) {
    if (d.outcome === 'failed') io.stderr.write(`ondevice assets: ${d.asset.path}: ${d.problem}\n`);
    else if (!values.json) io.stdout.write(`${d.outcome.padEnd(9)} ${describe(d.asset)}\n`);
  }
  const count = (o: CopiedAsset['outcome']) => done.filter((d) => d.outcome === o).length;
  if (values.json)
    io.stdout.write(
      `${JSON.stringify({ ...plan, dir: relative(process.cwd(), dir) || '.', files: done.map((d) => ({ ...d.asset, outcome: d.outcome, ...(d.problem ? { problem: d.problem } : {}) })) }, null, 2)}\n`,
    );
  else
    io.stdout.write(
      `${plan.files.length} files, ${formatBytes(plan.bytes)} in ${dir} for ${plan.tasks.join(', ') || 'your models'}: ${count('copied')} copied, ${count('unchanged')} unchanged${count('failed') ? `, ${count('failed')} FAILED` : ''}. Serve ${dir} at /ondevice/ (the default of configure({ assetsUrl })) or point assetsUrl at it.\n`,
    );
  return count('failed') ? EXIT.SOME_INPUTS_FAILED : EXIT.OK;
}

function describe(f: PlannedAsset): string {
  return `${f.path}  ${formatBytes(f.size)}  sha256 ${f.sha256.slice(0, 12)}…  from ${f.npm.package}@${f.npm.version}/${f.npm.dir}  (${f.tasks.join(', ')})`;
}
