import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelSpec } from '@ondevice/core';
import { CliError, EXIT, oneLine, UsageError } from './exit-codes.js';
import { createProgress, formatBytes } from './progress.js';
import { type Io, parseFlags } from './run-task.js';
import { packageDir } from './runner.js';
import type { FlagSpec } from './tasks.js';

/**
 * The task packages whose `MODEL_SPECS` the models command covers.
 *
 * @example
 * ```ts
 * for (const name of TASK_PACKAGES) console.log(name, packageDir(name) ? 'installed' : 'missing');
 * ```
 */
export const TASK_PACKAGES = ['@ondevice/vision', '@ondevice/audio', '@ondevice/text'] as const;

/** A model spec and the task package that lists it. */
export interface KnownModel {
  spec: ModelSpec;
  owner: string;
}

/**
 * Every model spec of the installed task packages: each package's `MODEL_SPECS`, from its index or
 * from its built `dist/models.js`. Packages without models are skipped.
 *
 * @example
 * ```ts
 * for (const { spec, owner } of await knownModels()) console.log(owner, spec.id);
 * ```
 */
export async function knownModels(): Promise<KnownModel[]> {
  const core = await import('@ondevice/core');
  const out: KnownModel[] = [];
  const seen = new Set<string>();
  for (const owner of TASK_PACKAGES) {
    const dir = packageDir(owner);
    if (!dir) continue;
    core.addModelPackageRoot(dir);
    let specs: unknown;
    try {
      specs = (await import(pathToFileURL(join(dir, 'dist', 'models.js')).href)).MODEL_SPECS;
    } catch {
      try {
        specs = ((await import(owner)) as Record<string, unknown>).MODEL_SPECS;
      } catch {
        specs = undefined;
      }
    }
    if (!Array.isArray(specs)) continue;
    for (const listed of specs as ModelSpec[]) {
      const key = `${listed.id}@${listed.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ spec: await withShippedFiles(listed, owner, dir), owner });
    }
  }
  return out;
}

/**
 * A spec without an `npm` source whose files ship inside the task package itself, in
 * `<package>/models/<id>/` (the text package's tiny translation model): the package is its npm
 * source, so the store finds the files there as it finds any installed weights. Without this,
 * `models verify` looked only in the cache and failed on a healthy install.
 */
async function withShippedFiles(spec: ModelSpec, owner: string, dir: string): Promise<ModelSpec> {
  if (spec.npm || !spec.files.length) return spec;
  const folder = `models/${spec.id}`;
  const present = await Promise.all(
    spec.files.map((f) =>
      access(join(dir, folder, f.path)).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!present.every(Boolean)) return spec;
  let version = '0.0.0';
  try {
    version =
      (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ??
      version;
  } catch {
    // keep the placeholder: the version is only shown
  }
  return { ...spec, npm: { package: owner, version, dir: folder } };
}

/** Whether every file of a spec is present in its npm package, resolved from the owner package (not hashed). */
async function installedFromNpm(spec: ModelSpec, owner: string): Promise<boolean> {
  if (!spec.npm) return false;
  const npm = spec.npm;
  const hasAll = async (dir: string) =>
    (
      await Promise.all(
        spec.files.map((f) =>
          access(join(dir, f.path)).then(
            () => true,
            () => false,
          ),
        ),
      )
    ).every(Boolean);
  const roots = [packageDir(owner), process.cwd()].filter((r): r is string => !!r);
  for (const root of roots) {
    const req = createRequire(join(root, 'noop.js'));
    for (const base of req.resolve.paths(npm.package) ?? [])
      if (await hasAll(join(base, npm.package, npm.dir))) return true;
    // A package can also resolve itself (the task package that ships its own models).
    try {
      if (await hasAll(join(dirname(req.resolve(`${npm.package}/package.json`)), npm.dir))) return true;
    } catch {
      // not resolvable from here
    }
  }
  return false;
}

const FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'machine-readable output' },
  all: { type: 'boolean', description: 'remove: every cached model' },
  'base-url': {
    type: 'string',
    value: 'URL',
    description: 'pull: download missing models from <URL>/<id>/<version>/<file> into the cache',
  },
  'cache-dir': {
    type: 'string',
    value: 'DIR',
    description: 'model cache folder (default $ONDEVICE_CACHE_DIR or ~/.cache/ondevice)',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/**
 * Help text of `ondevice models`.
 *
 * @example
 * ```ts
 * process.stdout.write(`${MODELS_HELP}\n`);
 * ```
 */
export const MODELS_HELP = `ondevice models — the models of the installed task packages and the local cache

usage:
  ondevice models list [--json]            every known model: size, cached?, installed via npm?
                                           (also removes partial downloads left by killed processes)
  ondevice models pull [MODEL...]          make models available (all when none named), with progress
  ondevice models verify [MODEL...]        check every file's SHA-256 (all when none named)
  ondevice models remove MODEL... | --all  delete models from the cache (npm packages are left alone)

MODEL is an id or id@version (see list).

options:
  --json             machine-readable output
  --all              remove: every cached model
  --base-url URL     pull: download missing models from URL/<id>/<version>/<file> into the cache
  --cache-dir DIR    model cache folder (default $ONDEVICE_CACHE_DIR or ~/.cache/ondevice)

exit status: 0 ok, 1 a model failed (missing, bad checksum, download failed), 2 usage error
(unknown subcommand or model, a MODEL that is not a plain id such as ../.., a bad option value)`;

/** `id` or `id@version` → its parts. */
function parseName(name: string): { id: string; version: string | undefined } {
  const at = name.indexOf('@');
  return at < 0 ? { id: name, version: undefined } : { id: name.slice(0, at), version: name.slice(at + 1) };
}

function select(models: KnownModel[], names: string[]): KnownModel[] {
  if (!names.length) return models;
  return names.map((name) => {
    const { id, version } = parseName(name);
    const found = models.filter((m) => m.spec.id === id && (!version || m.spec.version === version));
    if (!found.length)
      throw new UsageError(
        `unknown model "${name}"; known: ${models.map((m) => `${m.spec.id}@${m.spec.version}`).join(', ') || 'none (no task package lists models yet)'}`,
      );
    return found[0] as KnownModel;
  });
}

/**
 * `ondevice models list|pull|verify|remove`.
 *
 * @example
 * ```ts
 * process.exitCode = await runModelsCommand(['verify'], process);
 * ```
 */
export async function runModelsCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('models', args, FLAGS);
  const [sub, ...names] = positionals;
  if (values.help || !sub) {
    if (!sub && !values.help)
      throw new UsageError(
        'models needs a subcommand: list, pull, verify or remove (see ondevice models --help)',
      );
    io.stdout.write(`${MODELS_HELP}\n`);
    return EXIT.OK;
  }
  const core = await import('@ondevice/core');
  try {
    if (typeof values['cache-dir'] === 'string') core.configure({ cacheDir: values['cache-dir'] });
    if (typeof values['base-url'] === 'string')
      core.configure({ modelBaseUrl: values['base-url'], allowRemoteModels: true });
    else core.configure({ allowRemoteModels: false });
  } catch (error) {
    throw new UsageError(
      `--${typeof values['base-url'] === 'string' ? 'base-url or --cache-dir' : 'cache-dir'}: ${oneLine(error)}`,
    );
  }
  const models = await knownModels();
  const key = (s: Pick<ModelSpec, 'id' | 'version'>) => `${s.id}@${s.version}`;

  if (sub === 'list') {
    // Partial files of downloads killed mid-write are removed here; live ones are only reported.
    const cleaned = await core.cleanPartialDownloads();
    const part = (p: (typeof cleaned.removed)[number]) => ({
      model: key(p),
      path: p.path,
      size: p.size,
      pid: p.pid,
      modifiedAt: new Date(p.modifiedAt).toISOString(),
    });
    const partial = { removed: cleaned.removed.map(part), inProgress: cleaned.inProgress.map(part) };
    const cached = await core.listCachedModels();
    const rows = await Promise.all(
      models.map(async ({ spec, owner }) => {
        const inCache = cached.find((c) => c.id === spec.id && c.version === spec.version);
        return {
          model: key(spec),
          package: owner,
          format: spec.format,
          size: core.modelSize(spec),
          license: spec.license,
          cached:
            !!inCache &&
            spec.files.every((f) => inCache.files.some((c) => c.path === f.path && c.size === f.size)),
          npm: spec.npm ? `${spec.npm.package}@${spec.npm.version}` : undefined,
          installed: await installedFromNpm(spec, owner),
          description: spec.description,
        };
      }),
    );
    const orphans = cached
      .filter((c) => !models.some((m) => m.spec.id === c.id && m.spec.version === c.version))
      .map((c) => ({ model: key(c), size: c.size, files: c.files.length }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ models: rows, otherCached: orphans, partial }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (!rows.length) io.stdout.write('No task package lists models yet.\n');
    else {
      const w = Math.max(...rows.map((r) => r.model.length));
      const p = Math.max(...rows.map((r) => r.package.length));
      io.stdout.write(
        `${'MODEL'.padEnd(w)}  ${'PACKAGE'.padEnd(p)}  ${'SIZE'.padStart(9)}  CACHED  INSTALLED VIA NPM\n`,
      );
      for (const r of rows)
        io.stdout.write(
          `${r.model.padEnd(w)}  ${r.package.padEnd(p)}  ${formatBytes(r.size).padStart(9)}  ${(r.cached ? 'yes' : 'no').padEnd(6)}  ${r.installed ? `yes (${r.npm})` : r.npm ? `no (${r.npm})` : '-'}\n`,
        );
    }
    for (const o of orphans)
      io.stdout.write(`cached, not listed by any installed package: ${o.model} (${formatBytes(o.size)})\n`);
    for (const p of partial.removed)
      io.stdout.write(
        `removed a partial download left by ${p.pid === undefined ? 'a stopped process' : `process ${p.pid}, which is gone`}: ${p.model} ${p.path} (${formatBytes(p.size)})\n`,
      );
    for (const p of partial.inProgress)
      io.stdout.write(
        `download in progress${p.pid === undefined ? '' : ` (process ${p.pid})`}: ${p.model} ${p.path} (${formatBytes(p.size)} so far)\n`,
      );
    return EXIT.OK;
  }

  if (sub === 'pull' || sub === 'verify') {
    const chosen = select(models, names);
    let failed = 0;
    const results: { model: string; ok: boolean; sources?: Record<string, string>; error?: string }[] = [];
    for (const { spec } of chosen) {
      const bar = createProgress(`${sub} ${key(spec)}`, core.modelSize(spec), {
        bytes: true,
        enabled: !values.json,
      });
      try {
        const sources = await core.prefetchModel(spec, { onProgress: (p) => bar.update(p.loaded) });
        bar.finish();
        results.push({ model: key(spec), ok: true, sources });
        if (!values.json)
          io.stdout.write(
            `ok    ${key(spec)}  ${formatBytes(core.modelSize(spec))}, ${spec.files.length} file${spec.files.length === 1 ? '' : 's'} ${sub === 'verify' ? 'match their SHA-256' : 'available'} (from ${[...new Set(Object.values(sources))].join(', ')})\n`,
          );
      } catch (error) {
        bar.finish();
        failed++;
        results.push({ model: key(spec), ok: false, error: oneLine(error) });
        io.stderr.write(`ondevice models ${sub}: ${key(spec)}: ${oneLine(error)}\n`);
      }
    }
    if (values.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else if (!chosen.length) io.stdout.write('No task package lists models yet.\n');
    return failed ? EXIT.SOME_INPUTS_FAILED : EXIT.OK;
  }

  if (sub === 'remove') {
    if (!names.length && !values.all) throw new UsageError('models remove needs MODEL names or --all');
    // Every name is checked before anything is removed: a MODEL is an id, never a path.
    const named = names.map((n) => {
      const { id, version } = parseName(n);
      try {
        core.checkModelName(id, 'model id');
        if (version !== undefined) core.checkModelName(version, 'model version');
      } catch (error) {
        throw new UsageError(`"${n}": ${oneLine(error)} MODEL is an id or id@version (see models list).`);
      }
      return { id, version };
    });
    const cached = await core.listCachedModels();
    const targets = values.all ? cached.map((c) => ({ id: c.id, version: c.version })) : named;
    let failed = 0;
    for (const t of targets) {
      const removed = await core.deleteCachedModel(
        t.version ? { id: t.id, version: t.version } : { id: t.id },
      );
      const label = t.version ? `${t.id}@${t.version}` : t.id;
      if (removed) io.stdout.write(`removed ${label} from the cache\n`);
      else {
        failed++;
        io.stderr.write(`ondevice models remove: ${label}: not in the cache\n`);
      }
    }
    if (!targets.length) io.stdout.write('The cache is empty.\n');
    return failed ? EXIT.SOME_INPUTS_FAILED : EXIT.OK;
  }
  throw new CliError(`unknown models subcommand "${sub}": use list, pull, verify or remove`, EXIT.USAGE);
}
