// The browser path end to end, in Debian's Chromium: a page built by Vite with the plugin runs an
// ONNX model (PP-OCRv4's detector) on core's onnxruntime-web (1) self-hosted, with no setting, from
// /ondevice/ where the plugin put the files, and (2) with configure({ assets: 'cdn' }) from a local
// server standing in for jsDelivr (CORS like it), at exact versions, every file SHA-256 checked —
// (3) a tampered .wasm there is refused. No request leaves 127.0.0.1.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { realpath } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as vision from '@ondevice/vision';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetPlan } from '../src/commands/assets.js';
import { ondeviceAssets } from '../src/vite.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'ondevice-assets-browser-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const playground = join(repo, 'apps', 'playground', 'node_modules');
const vite = (await import(
  pathToFileURL(join(await realpath(join(playground, 'vite')), 'dist', 'node', 'index.js')).href
)) as {
  build(config: Record<string, unknown>): Promise<unknown>;
};
/** The parts of playwright-core used here (the playground's copy; the CLI does not depend on it). */
interface Chromium {
  launch(options: Record<string, unknown>): Promise<{
    newContext(): Promise<{
      on(event: 'request', listener: (request: { url(): string }) => void): void;
      route(url: RegExp, handler: (route: { abort(): Promise<void> }) => Promise<void>): Promise<void>;
      newPage(): Promise<{
        goto(url: string): Promise<unknown>;
        waitForFunction(fn: () => unknown, arg: undefined, options: { timeout: number }): Promise<unknown>;
        evaluate<T>(fn: () => T): Promise<T>;
      }>;
      close(): Promise<void>;
    }>;
    close(): Promise<void>;
  }>;
}
const { chromium } = (await import(
  pathToFileURL(join(await realpath(join(playground, 'playwright-core')), 'index.mjs')).href
)) as { chromium: Chromium };

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

/** A static server for `root` that records what it was asked for. */
async function serve(
  handler: (path: string) => { body: Uint8Array; type: string; cors?: boolean } | undefined,
) {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    seen.push(path);
    const found = handler(path);
    if (!found) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': found.type,
      'content-length': found.body.byteLength,
      ...(found.cors ? { 'access-control-allow-origin': '*' } : {}),
    });
    res.end(found.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => server.close(),
  };
}

const spec = vision.PPOCR_V4_DET;
let site: Awaited<ReturnType<typeof serve>>;
let cdn: Awaited<ReturnType<typeof serve>>;
let tamper = false;
let browser: Awaited<ReturnType<typeof chromium.launch>>;
const cdnFiles = new Map<string, string>(); // '/npm/<pkg>@<version>/<dir>/<file>' → source on disk

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  // A one-page app that imports core as an app would (node_modules/@ondevice/core).
  const app = join(work, 'app');
  mkdirSync(join(app, 'node_modules', '@ondevice'), { recursive: true });
  symlinkSync(join(repo, 'packages', 'core'), join(app, 'node_modules', '@ondevice', 'core'));
  writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  writeFileSync(
    join(app, 'main.js'),
    `import { configure } from '@ondevice/core';
import { createOnnxSession } from '@ondevice/core/onnx';
const cdn = new URL(location.href).searchParams.get('cdn');
if (cdn) configure({ assets: 'cdn', cdnUrl: cdn });
try {
  const { session, ort } = await createOnnxSession(${JSON.stringify(spec)});
  const input = new ort.Tensor('float32', new Float32Array(3 * 32 * 32).fill(0.5), [1, 3, 32, 32]);
  const out = await session.run({ [session.inputNames[0]]: input });
  window.__result = { ok: true, outputs: Object.keys(out) };
} catch (e) {
  window.__result = { ok: false, error: e.name + ': ' + e.message };
}
`,
  );
  await vite.build({
    root: app,
    logLevel: 'silent',
    configFile: false,
    build: { target: 'es2022' },
    plugins: [ondeviceAssets({ tasks: ['ocr'] })],
  });
  const dist = join(app, 'dist');
  site = await serve((path) => {
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file) || !extname(file)) return undefined;
    return { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
  });
  // The CDN stand-in serves the same files by npm package version, as jsDelivr lays them out.
  for (const f of (await assetPlan(['ocr'], { root: repo })).files)
    if (f.source) cdnFiles.set(`/npm/${f.npm.package}@${f.npm.version}/${f.npm.dir}/${f.file}`, f.source);
  cdn = await serve((path) => {
    const source = cdnFiles.get(path);
    if (!source) return undefined;
    const body = new Uint8Array(readFileSync(source));
    if (tamper && path.endsWith('.wasm')) body[1000] = (body[1000] ?? 0) ^ 0xff;
    return { body, type: TYPES[extname(path)] ?? 'application/octet-stream', cors: true };
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  site?.close();
  cdn?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens the page in a fresh context (empty Cache API) and returns its result and every URL it asked for. */
async function run(query = '') {
  const context = await browser.newContext();
  const asked: string[] = [];
  context.on('request', (r) => void asked.push(r.url()));
  // Nothing may leave 127.0.0.1.
  await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto(`${site.url}/${query}`);
  await page.waitForFunction(() => (window as { __result?: unknown }).__result, undefined, {
    timeout: 120_000,
  });
  const result = await page.evaluate(() => (window as { __result?: unknown }).__result);
  await context.close();
  return { result: result as { ok: boolean; outputs?: string[]; error?: string }, asked };
}

describe('a Vite page with @ondevice/cli/vite, in Chromium', () => {
  it('runs the model self-hosted from /ondevice/ with no setting', async () => {
    cdn.seen.length = 0;
    const { result, asked } = await run();
    expect(result).toEqual({ ok: true, outputs: expect.any(Array) });
    const own = asked.filter((u) => u.includes('/ondevice/')).map((u) => new URL(u).pathname);
    expect(own.sort()).toEqual(
      [
        `/ondevice/models/${spec.id}/${spec.version}/${spec.files[0]?.path}`,
        '/ondevice/wasm/ort-wasm-simd-threaded.mjs',
        '/ondevice/wasm/ort-wasm-simd-threaded.wasm',
        '/ondevice/wasm/ort.wasm.min.mjs',
      ].sort(),
    );
    expect(cdn.seen).toEqual([]);
  });

  it("with assets: 'cdn' loads model and onnxruntime-web from the CDN at exact versions, checked", async () => {
    cdn.seen.length = 0;
    site.seen.length = 0;
    const { result } = await run(`?cdn=${encodeURIComponent(`${cdn.url}/npm/`)}`);
    expect(result).toEqual({ ok: true, outputs: expect.any(Array) });
    expect([...cdn.seen].sort()).toEqual(
      [
        `/npm/${spec.npm?.package}@${spec.npm?.version}/${spec.npm?.dir}/${spec.files[0]?.path}`,
        '/npm/onnxruntime-web@1.30.0/dist/ort-wasm-simd-threaded.mjs',
        '/npm/onnxruntime-web@1.30.0/dist/ort-wasm-simd-threaded.wasm',
        '/npm/onnxruntime-web@1.30.0/dist/ort.wasm.min.mjs',
      ].sort(),
    );
    expect(site.seen.filter((p) => p.startsWith('/ondevice/'))).toEqual([]);
    expect(
      sha(readFileSync(cdnFiles.get(cdn.seen.find((p) => p.endsWith('.onnx')) as string) as string)),
    ).toBe(spec.files[0]?.sha256);
  });

  it("with assets: 'cdn' refuses a tampered onnxruntime .wasm", async () => {
    tamper = true;
    try {
      const { result } = await run(`?cdn=${encodeURIComponent(`${cdn.url}/npm/`)}`);
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/ort-wasm-simd-threaded\.wasm.*SHA-256 [0-9a-f]{64}, expected/);
    } finally {
      tamper = false;
    }
  });
});
