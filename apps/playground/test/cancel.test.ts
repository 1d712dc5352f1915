// The Cancel button and the runtime download, in the built playground in Chromium: a run cancelled
// mid-inference stops at once with a readable "Cancelled" in place of the results (which are
// dimmed), the next run's results replace it; the page's progress bar counts onnxruntime-web's
// WASM with the models, and its download starts while theirs are still running.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../scripts/serve.mjs';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.PLAYGROUND_DIST ?? join(appDir, 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(distDir, 'index.html')))
    throw new Error(`Build the app first (vite build): ${distDir}`);
  server = await startServer({ root: distDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('playground: cancel and runtime download', () => {
  it('text recognition: the runtime WASM downloads with the models; Cancel stops a run at once', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const t0 = Date.now();
    const times = new Map<string, { start: number; end: number }>();
    context.on('request', (r) => {
      if (!r.url().startsWith(server.url)) return;
      times.set(new URL(r.url()).pathname, { start: Date.now() - t0, end: Infinity });
    });
    context.on('requestfinished', (r) => {
      const t = times.get(new URL(r.url()).pathname);
      if (t) t.end = Date.now() - t0;
    });
    await page.goto(`${server.url}/recognize-text.html`);
    await page.click('button.sample');
    await page.waitForFunction(() => window.__playground.state === 'ready', undefined, { timeout: 120_000 });
    // The run is in the worker now (PP-OCR takes seconds here): cancel it.
    expect(await page.isVisible('#cancel')).toBe(true);
    const clicked = Date.now();
    await page.click('#cancel');
    await page.waitForFunction(() => window.__playground.state === 'cancelled', undefined, {
      timeout: 10_000,
    });
    const cancelMs = Date.now() - clicked;
    expect(cancelMs).toBeLessThan(1000); // at once, not when the model has finished loading
    expect(await page.textContent('#error')).toContain('Cancelled');
    expect(await page.getAttribute('#output', 'class')).toContain('stale');
    expect(await page.isVisible('#cancel')).toBe(false);

    // Progress: the bar's total and list include onnxruntime-web's binary beside the models.
    const bar = (await page.textContent('#model-progress-text')) ?? '';
    expect(bar).toContain('runtime-onnxruntime-web');
    const wasm = [...times].find(([p]) => p.endsWith('/ort-wasm-simd-threaded.wasm'));
    const models = [...times].filter(([p]) => p.startsWith('/models/') && !p.endsWith('.json'));
    expect(wasm, [...times.keys()].join(', ')).toBeDefined();
    expect(models.length).toBeGreaterThan(0);
    // Together: the runtime's download started before the models' downloads had all finished.
    const lastModelEnd = Math.max(...models.map(([, t]) => t.end));
    expect(wasm![1].start).toBeLessThan(lastModelEnd);

    // The next run's results replace the "Cancelled" box.
    await page.click('button.sample');
    await page.waitForFunction(() => window.__playground.state === 'done', undefined, { timeout: 120_000 });
    expect(await page.$('#error')).toBeNull();
    expect(await page.getAttribute('#output', 'class')).not.toContain('stale');
    console.log(
      `cancel answered in ${cancelMs} ms; ort wasm requested at ${wasm![1].start} ms, models finished by ${lastModelEnd} ms; bar: ${bar}`,
    );
    await context.close();
  });
});
