// `vite dev` (and so `pnpm --filter @ondevice/playground dev`) serves the playground cross-origin
// isolated, as the static server does for the built app: COOP/COEP on every response and CORP on
// its own files, so SharedArrayBuffer exists and onnxruntime-web / tfjs can run WASM threads.
import { chromium } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS } from '../scripts/serve.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let server: ViteDevServer;
let url: string;

beforeAll(async () => {
  server = await createServer({
    configFile: new URL('../vite.config.ts', import.meta.url).pathname,
    root: new URL('..', import.meta.url).pathname,
    server: { port: 0, strictPort: false },
    logLevel: 'error',
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  url = server.resolvedUrls?.local[0] ?? '';
});
afterAll(async () => {
  await server?.close();
});

describe('playground dev server', () => {
  it('sends COOP, COEP and CORP with pages and public files', async () => {
    for (const path of ['', 'samples/faces/000000009483.jpg', 'wasm/fastText.common.wasm']) {
      const r = await fetch(`${url}${path}`);
      await r.arrayBuffer();
      expect(r.status, path).toBe(200);
      if (path) expect(r.headers.get('content-type'), path).not.toContain('html');
      for (const [k, v] of Object.entries(ISOLATION_HEADERS))
        expect(r.headers.get(k), `${path} ${k}`).toBe(v);
    }
  });

  it('makes the page crossOriginIsolated in Chromium', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      expect(await page.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([
        true,
        'function',
      ]);
    } finally {
      await browser.close();
    }
  });
});
