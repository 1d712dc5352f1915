// Fault injection for the model store: downloads from a server that hangs, stalls, resets,
// truncates and lies about sizes; path-like ids; read-only and corrupt caches; SIGKILL of a
// process in the middle of a cache write. Every case must settle (typed error or success) within
// a bound: a hang fails the case with "did not settle", never the whole run.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULTS, type Fault, type FaultServer, startFaultServer } from '@ondevice/testkit';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortedError,
  cleanPartialDownloads,
  configure,
  deleteCachedModel,
  listCachedModels,
  loadModel,
  ModelIntegrityError,
  ModelLoadError,
  type ModelSpec,
  type OnDeviceError,
  OptionsError,
  resetConfig,
  storeDerivedModel,
  TimeoutError,
} from '../src/index.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const weights = new Uint8Array(200_000).map((_, i) => (i * 31 + 7) % 253);
const config = new TextEncoder().encode('{"synthetic":true}');

function spec(id = 'faulty', overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    id,
    version: '1.0.0',
    format: 'files',
    license: 'test',
    files: [
      { path: 'weights.bin', sha256: sha(weights), size: weights.byteLength },
      { path: 'cfg/config.json', sha256: sha(config), size: config.byteLength },
    ],
    ...overrides,
  };
}

/** Settles `p` within `ms`, or reports a hang. */
async function settle<T>(
  p: Promise<T>,
  ms = 5_000,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown } | { hang: true }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<{ hang: true }>((r) => {
    timer = setTimeout(() => r({ hang: true }), ms);
  });
  try {
    return await Promise.race([
      p.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error `p` rejects with, failing the case when it hangs or resolves. */
async function failure(p: Promise<unknown>, ms = 5_000): Promise<Error> {
  const r = await settle(p, ms);
  if ('hang' in r) throw new Error(`did not settle within ${ms} ms`);
  if (r.ok) throw new Error('resolved, expected a rejection');
  return r.error as Error;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

let server: FaultServer;
let work: string;
let cacheDir: string;
beforeAll(async () => {
  server = await startFaultServer();
  for (const id of ['faulty', 'shared', 'killed', ...FAULTS.map((f) => `faulty-${f}`)])
    for (const [path, bytes] of [
      ['weights.bin', weights],
      ['cfg/config.json', config],
    ] as const)
      server.serve(`${id}/1.0.0/${path}`, bytes);
});
afterAll(() => server.close());
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'ondevice-faults-'));
  cacheDir = join(work, 'home', '.cache', 'ondevice');
  await mkdir(cacheDir, { recursive: true });
  configure({ cacheDir, downloadResponseTimeout: 300, downloadIdleTimeout: 300 });
});
afterEach(async () => {
  resetConfig();
  await rm(work, { recursive: true, force: true });
});

describe('downloads from a faulty server settle with a typed error, and keep nothing', () => {
  const cases: [Fault, new (...a: never[]) => OnDeviceError, RegExp][] = [
    ['hang', TimeoutError, /downloadResponseTimeout/],
    ['stall', TimeoutError, /downloadIdleTimeout/],
    ['reset', ModelLoadError, /broke after \d+ of 200000 bytes.*[Rr]etry/],
    ['truncate', ModelLoadError, /broke after 100000 of 200000 bytes|ended after 100000 of 200000/],
    ['lie-long', ModelIntegrityError, /announces 201000 bytes.*200000/],
    ['lie-short', ModelIntegrityError, /announces 100000 bytes.*200000/],
    ['short-chunked', ModelLoadError, /ended after 100000 of 200000 bytes/],
    ['too-long', ModelIntegrityError, /larger than the 200000 bytes/],
    ['error', ModelLoadError, /HTTP 500/],
  ];
  for (const [fault, type, message] of cases) {
    it(`${fault}: ${type.name}, then a healthy server loads it`, async () => {
      configure({ modelBaseUrl: server.baseUrl(fault) });
      const id = `faulty-${fault}`;
      const error = await failure(loadModel(spec(id)));
      expect(error).toBeInstanceOf(type);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(`${server.baseUrl(fault)}${id}/1.0.0/weights.bin`);
      expect(await filesUnder(cacheDir)).toEqual([]);

      configure({ modelBaseUrl: server.baseUrl('ok') });
      const model = await settle(loadModel(spec(id)));
      expect('value' in model && sha(model.value.files.get('weights.bin')!)).toBe(sha(weights));
      expect(await filesUnder(cacheDir)).toEqual([`${id}/1.0.0/cfg/config.json`, `${id}/1.0.0/weights.bin`]);
    });
  }

  it('a refused connection is a ModelLoadError naming the URL and the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    configure({ modelBaseUrl: `http://127.0.0.1:${port}/` });
    const error = await failure(loadModel(spec()));
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${port}/faulty/1\\.0\\.0/weights\\.bin.*ECONNREFUSED.*retry`),
    );
    expect(await filesUnder(cacheDir)).toEqual([]);
  });

  it('an unknown file (404) is a ModelLoadError naming the URL', async () => {
    configure({ modelBaseUrl: server.baseUrl('ok') });
    const error = await failure(loadModel(spec('not-served')));
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toMatch(/not found/);
  });

  it('the time limits can be set per load, overriding configure()', async () => {
    configure({ modelBaseUrl: server.baseUrl('stall'), downloadIdleTimeout: 60_000 });
    const error = await failure(loadModel(spec(), { downloadIdleTimeout: 150 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/150 ms/);
  });

  it('rejects bad time limits with an OptionsError', async () => {
    for (const bad of [0, -1, Number.NaN, '100'])
      await expect(settle(loadModel(spec(), { downloadIdleTimeout: bad as never }))).resolves.toMatchObject({
        ok: false,
        error: expect.any(OptionsError),
      });
  });
});

describe('aborting a hung load', () => {
  it('rejects with AbortedError, and the next load starts fresh against a healthy server', async () => {
    // No time limits: only the signal can end the hung load.
    configure({
      modelBaseUrl: server.baseUrl('hang'),
      downloadResponseTimeout: Number.POSITIVE_INFINITY,
      downloadIdleTimeout: Number.POSITIVE_INFINITY,
    });
    const controller = new AbortController();
    const hung = loadModel(spec('shared'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await failure(hung)).toBeInstanceOf(AbortedError);

    configure({ modelBaseUrl: server.baseUrl('ok') });
    const again = await settle(loadModel(spec('shared')));
    expect('value' in again && again.value.sources.get('weights.bin')).toBe('remote');
    expect(await filesUnder(cacheDir)).toEqual(['shared/1.0.0/cfg/config.json', 'shared/1.0.0/weights.bin']);
  });

  it('a stalled body is abandoned when its only caller aborts', async () => {
    configure({ modelBaseUrl: server.baseUrl('stall'), downloadIdleTimeout: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const stalled = loadModel(spec('shared'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    expect(await failure(stalled)).toBeInstanceOf(AbortedError);
    // The partial download is gone too once the load has wound down.
    await new Promise((r) => setTimeout(r, 100));
    expect(await filesUnder(cacheDir)).toEqual([]);
  });

  it('an abort that lands before the request is sent sends nothing and leaves no unhandled rejection', async () => {
    // The cache cannot be written (cacheDir is a file): the store warns, and the warning aborts the
    // only caller, between opening the cache writer and starting the download.
    const file = join(work, 'not-a-folder');
    await writeFile(file, 'x');
    const controller = new AbortController();
    configure({
      cacheDir: file,
      modelBaseUrl: server.baseUrl('ok'),
      logger: { debug() {}, info() {}, error() {}, warn: () => controller.abort() },
    });
    const before = server.requests.length;
    expect(await failure(loadModel(spec('shared'), { signal: controller.signal }))).toBeInstanceOf(
      AbortedError,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests.slice(before)).toEqual([]);
  });

  it('an already aborted signal rejects at once', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await failure(loadModel(spec(), { signal: controller.signal }), 500)).toBeInstanceOf(AbortedError);
  });
});

describe('path-like ids never reach the file system', () => {
  const home = () => join(work, 'home');
  beforeEach(async () => {
    await mkdir(join(home(), 'Documents'), { recursive: true });
    await writeFile(join(home(), 'Documents', 'thesis.txt'), 'four years of work');
    await mkdir(join(cacheDir, 'kept', '1'), { recursive: true });
    await writeFile(join(cacheDir, 'kept', '1', 'w.bin'), 'cached');
  });
  const intact = async () => {
    expect(await readFile(join(home(), 'Documents', 'thesis.txt'), 'utf8')).toBe('four years of work');
    expect(existsSync(join(cacheDir, 'kept', '1', 'w.bin'))).toBe(true);
  };

  const badIds: { id: string; version?: string }[] = [
    { id: '..' },
    { id: '../..' },
    { id: '' },
    { id: '.' },
    { id: '/' },
    { id: '/etc' },
    { id: 'a/b' },
    { id: 'a\\b' },
    { id: 'nul\0byte' },
    { id: 'kept', version: '..' },
    { id: 'kept', version: '../../..' },
    { id: 'kept', version: '' },
    { id: 5 as never },
  ];
  for (const bad of badIds) {
    it(`deleteCachedModel(${JSON.stringify(bad)}) is an OptionsError and deletes nothing`, async () => {
      const error = await failure(deleteCachedModel(bad));
      expect(error).toBeInstanceOf(OptionsError);
      expect(error.message).toMatch(/letters, digits/);
      await intact();
    });
  }

  it('a cache entry that is a symlink out of the cache is not followed by a delete', async () => {
    const outside = join(work, 'outside');
    await mkdir(join(outside, '1'), { recursive: true });
    await writeFile(join(outside, '1', 'keep.txt'), 'not the cache');
    await symlink(outside, join(cacheDir, 'linked'));
    const error = await failure(deleteCachedModel({ id: 'linked', version: '1' }));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error.message).toMatch(/outside the cache/);
    expect(await readFile(join(outside, '1', 'keep.txt'), 'utf8')).toBe('not the cache');
    await intact();
  });

  it('loadModel refuses a spec whose id, version or file path is path-like, writing nothing', async () => {
    configure({ modelBaseUrl: server.baseUrl('ok') });
    const file = spec().files[0]!;
    const bad: ModelSpec[] = [
      spec('../../escape'),
      spec(''),
      spec('faulty', { version: '..' }),
      spec('faulty', { files: [{ ...file, path: '../../../evil.bin' }] }),
      spec('faulty', { files: [{ ...file, path: '/etc/evil.bin' }] }),
      spec('faulty', { files: [{ ...file, path: 'a//b.bin' }] }),
      spec('faulty', { files: [{ ...file, path: 'a\\..\\b.bin' }] }),
      spec('faulty', { files: [{ ...file, path: '' }] }),
      spec('faulty', { files: [{ ...file, sha256: 'xyz' }] }),
      spec('faulty', { files: [{ ...file, size: -1 }] }),
    ];
    for (const s of bad) {
      const error = await failure(loadModel(s), 1_000);
      expect(error, JSON.stringify(s.files[0]?.path ?? s.id)).toBeInstanceOf(OptionsError);
    }
    expect(server.requests.filter((r) => r.includes('evil') || r.includes('escape'))).toEqual([]);
    expect(await filesUnder(work)).toEqual([
      'home/.cache/ondevice/kept/1/w.bin',
      'home/Documents/thesis.txt',
    ]);
  });

  it('storeDerivedModel refuses a path-like spec with OptionsError, writing nothing', async () => {
    const file = spec().files[0]!;
    for (const bad of [
      spec('../../escape'),
      spec('faulty', { files: [{ ...file, path: '../../../evil.bin' }] }),
    ]) {
      const error = await failure(storeDerivedModel(bad, new Map([[bad.files[0]!.path, weights]])), 1_000);
      expect(error).toBeInstanceOf(OptionsError);
    }
    expect(await filesUnder(work)).toEqual([
      'home/.cache/ondevice/kept/1/w.bin',
      'home/Documents/thesis.txt',
    ]);
  });

  it('a valid id still deletes its model from the cache', async () => {
    expect(await deleteCachedModel({ id: 'kept', version: '1' })).toBe(true);
    // Its last version gone, the model's folder goes too.
    expect(existsSync(join(cacheDir, 'kept'))).toBe(false);
    expect(await deleteCachedModel({ id: 'kept' })).toBe(false);
    await mkdir(join(cacheDir, 'kept', '2'), { recursive: true });
    await writeFile(join(cacheDir, 'kept', '2', 'w.bin'), 'cached');
    expect(await deleteCachedModel({ id: 'kept' })).toBe(true);
    expect(existsSync(join(cacheDir, 'kept'))).toBe(false);
    expect(await readFile(join(home(), 'Documents', 'thesis.txt'), 'utf8')).toBe('four years of work');
  });
});

// Runs the model store from this checkout's sources in a child process: the store's files are
// transpiled (types stripped) into a temporary folder, so the child needs neither a build nor vitest.
const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
async function transpileStore(into: string): Promise<string> {
  const files = ['env.ts', 'errors.ts'];
  for (const dir of ['model', 'assets', 'platform'])
    files.push(...(await readdir(join(srcDir, dir))).map((f) => `${dir}/${f}`));
  for (const f of files.filter((f) => f.endsWith('.ts'))) {
    const out = ts.transpileModule(await readFile(join(srcDir, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    await mkdir(dirname(join(into, f)), { recursive: true });
    await writeFile(join(into, f.replace(/\.ts$/, '.js')), out);
  }
  // The store's Node modules, as core's package.json `imports` select them in Node.
  await writeFile(
    join(into, 'package.json'),
    JSON.stringify({ type: 'module', imports: { '#platform/*': './platform/*.node.js' } }),
  );
  return into;
}

function runChild(
  script: string,
  env: Record<string, string>,
  asUser?: number,
): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asUser === undefined ? {} : { uid: asUser, gid: asUser }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

describe('caches that cannot be trusted or written', () => {
  let lib: string;
  beforeAll(async () => {
    lib = await transpileStore(await mkdtemp(join(tmpdir(), 'ondevice-store-src-')));
    await chmod(lib, 0o755);
  });
  afterAll(() => rm(lib, { recursive: true, force: true }));

  it('a read-only cache with a corrupt file falls back to the installed package (no raw EACCES)', async () => {
    // A package that ships the weights, found through addModelPackageRoot.
    const root = join(work, 'app');
    const pkg = join(root, 'node_modules', 'synthetic-weights');
    await mkdir(join(pkg, 'models', 'cfg'), { recursive: true });
    await writeFile(join(pkg, 'package.json'), '{"name":"synthetic-weights","version":"1.0.0"}');
    await writeFile(join(pkg, 'models', 'weights.bin'), weights);
    await writeFile(join(pkg, 'models', 'cfg', 'config.json'), config);
    // The cache holds a corrupt copy, and this process may not delete it.
    const version = join(cacheDir, 'faulty', '1.0.0');
    await mkdir(version, { recursive: true });
    await writeFile(
      join(version, 'weights.bin'),
      weights.map((v) => v ^ 1),
    );
    const asRoot = process.getuid?.() === 0;
    // chmod does not stop root: run the child as nobody, in folders it can read but not write.
    for (let d = work; ; d = join(d, '..')) {
      if (d === tmpdir() || d === '/') break;
      await chmod(d, 0o755);
    }
    if (!asRoot) await chmod(version, 0o555);
    const s = spec('faulty', { npm: { package: 'synthetic-weights', version: '1.0.0', dir: 'models' } });
    const { done } = runChild(
      `import { configure } from '${lib}/env.js';
       import { addModelPackageRoot, loadModel } from '${lib}/model/store.js';
       const warnings = [];
       configure({ cacheDir: ${JSON.stringify(cacheDir)}, allowRemoteModels: false,
         logger: { debug() {}, info() {}, warn: (m) => warnings.push(String(m)), error() {} } });
       addModelPackageRoot(${JSON.stringify(root)});
       try {
         const m = await loadModel(${JSON.stringify(s)});
         console.log(JSON.stringify({ sources: Object.fromEntries(m.sources), warnings }));
       } catch (e) { console.log(JSON.stringify({ error: e.name, code: e.code ?? null, message: e.message })); }`,
      {},
      asRoot ? 65534 : undefined,
    );
    const r = await settle(done, 10_000);
    if (!asRoot) await chmod(version, 0o755);
    expect(r).toMatchObject({ ok: true });
    const out = 'value' in r ? JSON.parse(r.value.stdout.trim() || '{}') : {};
    expect(out, 'value' in r ? r.value.stderr : '').toMatchObject({
      sources: { 'weights.bin': 'package', 'cfg/config.json': 'package' },
    });
    expect(out.warnings.join(' ')).toMatch(/could not delete the corrupt cached copy/);
  });

  it('a cache entry that is a folder instead of a file, or a dangling link, is skipped', async () => {
    configure({ modelBaseUrl: server.baseUrl('ok') });
    await mkdir(join(cacheDir, 'faulty', '1.0.0', 'weights.bin'), { recursive: true });
    await symlink(join(work, 'gone'), join(cacheDir, 'faulty', '1.0.0', 'dangling'));
    expect(await settle(listCachedModels())).toMatchObject({ ok: true });
    const r = await settle(loadModel(spec()));
    expect('value' in r && r.value.sources.get('weights.bin')).toBe('remote');
  });

  it('a .part of a live writer is kept and reported, unless it went unwritten longer than the stale limit', async () => {
    const dir = join(cacheDir, 'faulty', '1.0.0');
    await mkdir(dir, { recursive: true });
    // pid 1 is alive on every Unix; this process is too.
    const fresh = `weights.bin.1.${Date.now()}.0.part`;
    const old = `cfg.json.${process.pid}.${Date.now()}.1.part`;
    await writeFile(join(dir, fresh), 'abc');
    await writeFile(join(dir, old), 'abcd');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    await utimes(join(dir, old), hourAgo, hourAgo);
    const { removed, inProgress } = await cleanPartialDownloads();
    expect(removed).toEqual([
      expect.objectContaining({ path: old, file: 'cfg.json', writerGone: false, size: 4 }),
    ]);
    expect(inProgress).toEqual([
      expect.objectContaining({ path: fresh, file: 'weights.bin', pid: 1, size: 3 }),
    ]);
    expect(await readdir(dir)).toEqual([fresh]);
  });

  it('SIGKILL during a cache write leaves a .part that the next list reports and removes', async () => {
    const { child, done } = runChild(
      `import { configure } from '${lib}/env.js';
       import { loadModel } from '${lib}/model/store.js';
       configure({ cacheDir: ${JSON.stringify(cacheDir)}, modelBaseUrl: ${JSON.stringify(server.baseUrl('slow'))} });
       await loadModel(${JSON.stringify(spec('killed'))});
       console.log('finished');`,
      {},
    );
    // Wait for the child's partial file to appear and grow, then kill it.
    const dir = join(cacheDir, 'killed', '1.0.0');
    const part = async () =>
      (await readdir(dir).catch(() => [] as string[])).find((f) => f.endsWith('.part'));
    const started = Date.now();
    let name: string | undefined;
    while (Date.now() - started < 8_000) {
      name = await part();
      if (name && (await stat(join(dir, name))).size > 4096) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(name, 'the child never started writing').toMatch(/^weights\.bin\.\d+\..*\.part$/);
    child.kill('SIGKILL');
    const end = await settle(done);
    expect(end).toMatchObject({ ok: true, value: { code: null } });
    expect(await part()).toBe(name);

    const cleaned = await settle(cleanPartialDownloads());
    expect(cleaned).toMatchObject({
      ok: true,
      value: {
        removed: [expect.objectContaining({ id: 'killed', version: '1.0.0', path: name, writerGone: true })],
        inProgress: [],
      },
    });
    expect(await part()).toBeUndefined();
    configure({ modelBaseUrl: server.baseUrl('ok') });
    const reloaded = await settle(loadModel(spec('killed')));
    expect('value' in reloaded && reloaded.value.sources.get('weights.bin')).toBe('remote');
    expect(await listCachedModels()).toEqual([
      expect.objectContaining({
        id: 'killed',
        version: '1.0.0',
        size: weights.byteLength + config.byteLength,
      }),
    ]);
    expect(await filesUnder(dir)).toEqual(['cfg/config.json', 'weights.bin']);
  });
});
