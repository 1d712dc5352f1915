// The static server's caching and compression: a revisit revalidates (304, no body) instead of
// downloading the runtimes again, hashed assets are cached for good, and text/JS/WASM go gzipped.
// Cross-origin isolation: every response carries COOP/COEP/CORP, so a page it serves is
// crossOriginIsolated in Chromium (SharedArrayBuffer, WASM threads) and its worker too.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, startServer } from '../scripts/serve.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let root: string;
let server: { url: string; close(): Promise<void> };
const wasm = new Uint8Array(200_000).map((_, i) => (i % 97 === 0 ? i & 0xff : 0)); // compressible, like real WASM
const js = 'export const answer = 42;\n'.repeat(500);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ondevice-serve-'));
  await mkdir(join(root, 'assets'));
  await mkdir(join(root, 'wasm'));
  await writeFile(join(root, 'assets', 'app-1a2b3c.js'), js);
  await writeFile(join(root, 'wasm', 'runtime.wasm'), wasm);
  await writeFile(join(root, 'photo.png'), new Uint8Array(5000).fill(7));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(
    join(root, 'worker.js'),
    'postMessage({ isolated: self.crossOriginIsolated, sab: typeof SharedArrayBuffer });',
  );
  server = await startServer({ root });
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });

describe('playground static server', () => {
  it('gzips WASM and JavaScript for clients that accept it, byte-exact', async () => {
    // Node's fetch would decompress transparently; read the raw body through a HEAD-less request.
    const { request } = await import('node:http');
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(`${server.url}/wasm/runtime.wasm`, { headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['content-type']).toBe('application/wasm');
    expect(raw.body.byteLength).toBeLessThan(wasm.byteLength / 5);
    expect(new Uint8Array(gunzipSync(raw.body))).toEqual(wasm);
    const plain = await get('/wasm/runtime.wasm', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(new Uint8Array(await plain.arrayBuffer())).toEqual(wasm);
  });

  it('does not re-compress images', async () => {
    const r = await get('/photo.png', { 'accept-encoding': 'gzip' });
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(r.headers.get('content-length')).toBe('5000');
  });

  it('answers a revisit with 304 and no body when the ETag matches', async () => {
    const first = await get('/wasm/runtime.wasm');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    await first.arrayBuffer();
    const again = await get('/wasm/runtime.wasm', { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect((await get('/wasm/runtime.wasm', { 'if-none-match': 'W/"other"' })).status).toBe(200);
  });

  it('caches content-hashed assets for a year and revalidates everything else', async () => {
    expect((await get('/assets/app-1a2b3c.js')).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await get('/')).headers.get('cache-control')).toBe('no-cache');
    expect((await get('/wasm/runtime.wasm')).headers.get('cache-control')).toBe('no-cache');
  });

  it('sends COOP, COEP and CORP on every response (200, 304, 404)', async () => {
    expect(ISOLATION_HEADERS).toEqual({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
    const first = await get('/wasm/runtime.wasm');
    await first.arrayBuffer();
    const responses = [
      await get('/'),
      first,
      await get('/wasm/runtime.wasm', { 'if-none-match': first.headers.get('etag') as string }),
      await get('/missing.js'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 304, 404]);
    for (const r of responses)
      for (const [name, value] of Object.entries(ISOLATION_HEADERS)) expect(r.headers.get(name)).toBe(value);
  });

  it('makes its pages cross-origin isolated in Chromium, workers included', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/`);
      const seen = await page.evaluate(async () => {
        const worker = new Worker('/worker.js');
        const inWorker = await new Promise((resolve) => {
          worker.onmessage = (e) => resolve(e.data);
        });
        worker.terminate();
        return { isolated: globalThis.crossOriginIsolated, sab: typeof SharedArrayBuffer, inWorker };
      });
      expect(seen).toEqual({
        isolated: true,
        sab: 'function',
        inWorker: { isolated: true, sab: 'function' },
      });
    } finally {
      await browser.close();
    }
  });

  it('still refuses paths outside its root', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      request(`${server.url}/..%2f..%2fetc%2fpasswd`, (res) => resolve(res.statusCode ?? 0))
        .on('error', reject)
        .end();
    });
    expect([403, 404]).toContain(status);
  });
});
