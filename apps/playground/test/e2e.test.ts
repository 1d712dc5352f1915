// End-to-end: the built playground (dist/) served on 127.0.0.1, driven by playwright-core in
// Debian's Chromium (/usr/bin/chromium, never a downloaded browser). Every page must load, run its
// task on a bundled sample, show the expected result, log no console error and send no request
// anywhere but 127.0.0.1. Screenshots go to test-output/ (gitignored).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as audio from '@ondevice/audio';
import * as text from '@ondevice/text';
import * as vision from '@ondevice/vision';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIP, makeClip, TEXT_CLIP } from '../scripts/make-clip.mjs';
import { startServer } from '../scripts/serve.mjs';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(appDir, 'test-output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The built app; PLAYGROUND_DIST points elsewhere (e.g. a private build while someone else builds dist/).
const distDir = process.env.PLAYGROUND_DIST ?? join(appDir, 'dist');
const clip = join(outDir, 'clip.y4m');
const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  // A synthetic camera and microphone, so the live inputs can be exercised without hardware.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

// A page's test runs once its task has landed in its package (the page says so otherwise).
const has = (pkg: object, name: string) => typeof (pkg as Record<string, unknown>)[name] === 'function';
const landed = {
  objects: has(vision, 'createObjectDetector'),
  faces: has(vision, 'createFaceLandmarker'),
  text: has(vision, 'createTextRecognizer'),
  keywords: has(audio, 'createKeywordSpotter'),
  language: has(text, 'identifyLanguage'),
  translate:
    has(text, 'translate') &&
    ((text as unknown as { TINY_MARIAN_EN_ES?: { files: unknown[] } }).TINY_MARIAN_EN_ES?.files.length ?? 0) >
      0,
};

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let context: BrowserContext;
const requests: string[] = [];
const blocked: string[] = [];
// Beacons, WebSockets, EventSources and peer connections, which a request listener can miss.
const sideChannels: string[] = [];
const summary: Record<string, { backend: string; latency: string; model: string; status: string }> = {};

beforeAll(async () => {
  if (!existsSync(join(distDir, 'index.html')))
    throw new Error(`Build the app first (vite build): ${distDir}`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  await mkdir(outDir, { recursive: true });
  // The fake camera plays the test clip (a pan over a bundled COCO photo; scripts/make-clip.mjs).
  const clipSource = join(appDir, 'scripts', 'make-clip.mjs');
  if (!existsSync(clip) || statSync(clip).mtimeMs < statSync(clipSource).mtimeMs) await makeClip(clip);
  server = await startServer({ root: distDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...BROWSER_ARGS, `--use-file-for-fake-video-capture=${clip}`],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => {
    requests.push(r.url());
  });
  // Every page records (and refuses) the other ways a page can send data, to any address.
  await context.addInitScript(() => {
    const w = window as unknown as {
      __sideChannels: string[];
      __longTasks: { start: number; duration: number }[];
    };
    w.__sideChannels = [];
    // Main-thread tasks over 50 ms (the page froze for that long), read by longestTask().
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Long animation frames, for the scripts that ran in them (what page code spent, not rendering).
    const ww = w as unknown as { __scripts: { start: number; duration: number; what: string }[] };
    ww.__scripts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as {
        scripts: { startTime: number; duration: number; invoker: string; sourceURL: string }[];
      }[])
        for (const sc of e.scripts)
          ww.__scripts.push({
            start: sc.startTime,
            duration: sc.duration,
            what: `${sc.invoker} ${sc.sourceURL.replace(/^.*\//, '')}`,
          });
    }).observe({ type: 'long-animation-frame', buffered: true });
    const record = (kind: string, url: unknown) => w.__sideChannels.push(`${kind} ${String(url)}`);
    navigator.sendBeacon = (url: string | URL) => {
      record('sendBeacon', url);
      return false;
    };
    for (const name of ['WebSocket', 'EventSource', 'RTCPeerConnection'] as const) {
      const Original = (window as unknown as Record<string, unknown>)[name];
      if (typeof Original !== 'function') continue;
      (window as unknown as Record<string, unknown>)[name] = function Refused(url?: unknown) {
        record(name, url ?? '');
        throw new DOMException(`${name} is refused by the privacy check`, 'SecurityError');
      };
    }
  });
  context.on('page', (page) => page.on('websocket', (ws) => sideChannels.push(`websocket ${ws.url()}`)));
  // Anything not on our server is recorded and refused, so a stray CDN fetch fails loudly.
  await context.route(
    (url) => !isLocal(url.href),
    (route) => {
      blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
});

afterAll(async () => {
  if (Object.keys(summary).length)
    await writeFile(
      join(outDir, 'summary.json'),
      `${JSON.stringify({ pages: summary, figures }, null, 2)}\n`,
    );
  await context?.close();
  await browser?.close();
  await server?.close();
});

function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

interface Probe {
  state: string;
  runs: number;
  last: unknown;
  error?: string;
}

/** Opens a page and collects its console errors and uncaught exceptions. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
  // Playwright injects its own scripts on first use; let that happen before anything is measured.
  await page.waitForFunction(() => true);
  await page.$('body');
  return { page, errors };
}

/** Waits until the page has finished `runs` runs (or failed); returns its probe. */
async function waitForRun(page: Page, runs = 1, timeout = 90_000): Promise<Probe> {
  await page.waitForFunction(
    (n) => {
      const p = (window as unknown as { __playground?: Probe }).__playground;
      return !!p && (p.state === 'error' || p.runs >= n);
    },
    runs,
    { timeout, polling: 100 },
  );
  const probe = (await page.evaluate(
    () => (window as unknown as { __playground: Probe }).__playground,
  )) as Probe;
  if (probe.state === 'error') throw new Error(`The page reported an error: ${probe.error}`);
  return probe;
}

/** The page's clock now (ms), to bound a longestTask() window. */
function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

/** The longest main-thread task (ms) that started at or after `since` (0 when none was over 50 ms). */
async function longestTask(page: Page, since: number): Promise<number> {
  // Long-task entries are delivered after the task, in a later callback: let one through.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  return page.evaluate(
    (t0) =>
      (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks
        .filter((t) => t.start >= t0)
        .reduce((m, t) => Math.max(m, t.duration), 0),
    since,
  );
}

/**
 * The longest main-thread task allowed while a task runs, in CPU time of the page's main thread
 * (Chromium's trace: `RunTask` events' thread time). The page must never compute for longer than
 * a frame budget at a time. Wall time (the PerformanceObserver `longtask` figures, also recorded)
 * is not asserted: on this shared 2-core machine a task that used 2 ms of CPU was measured at
 * 349 ms of wall time while other processes held both cores. Inference on the main thread measured
 * 300–4400 ms of long tasks.
 */
const CPU_BUDGET_MS = Number(process.env.MAIN_THREAD_CPU_BUDGET_MS ?? 50);

let tracing = false;

/** Starts a measured window: a Chromium trace and the page's clock. */
async function startMeasure(page: Page): Promise<number> {
  // A test that failed mid-window left its trace running.
  if (tracing) await browser.stopTracing();
  tracing = true;
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  return pageNow(page);
}

/** The longest renderer main-thread task in a trace: its thread (CPU) time and wall time, in ms. */
function longestMainThreadTask(trace: Buffer): { cpu: number; wall: number } {
  type Event = {
    name: string;
    ph: string;
    pid: number;
    tid: number;
    dur?: number;
    tdur?: number;
    args?: { name?: string };
  };
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: Event[] } | Event[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  let cpu = 0;
  let wall = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || !mains.has(`${e.pid}:${e.tid}`)) continue;
    cpu = Math.max(cpu, (e.tdur ?? e.dur ?? 0) / 1000);
    wall = Math.max(wall, (e.dur ?? 0) / 1000);
  }
  return { cpu, wall };
}

/**
 * Ends a window started with startMeasure: records the time to the result, the longest long task
 * (PerformanceObserver), the longest script and result drawing, and the longest main-thread task
 * in CPU time, which must stay within the budget.
 */
async function responsive(
  page: Page,
  t0: number,
  name: string,
  run: 'cold' | 'warm' | 'live',
): Promise<void> {
  const Run = run === 'cold' ? 'Cold' : run === 'warm' ? 'Warm' : 'Live';
  // From the click to the result (the wait polls every 100 ms).
  if (run !== 'live') record(name, `firstResult${Run}Ms`, (await pageNow(page)) - t0);
  const ms = await longestTask(page, t0);
  const trace = await browser.stopTracing();
  tracing = false;
  record(name, `longestTask${Run}Ms`, ms);
  const script = await page.evaluate(
    (since) =>
      (window as unknown as { __scripts: { start: number; duration: number; what: string }[] }).__scripts
        .filter((x) => x.start >= since)
        .sort((a, b) => b.duration - a.duration)[0],
    t0,
  );
  record(name, `longestScript${Run}Ms`, script?.duration ?? 0);
  if (script) console.log(`[e2e] ${name} longest script: ${script.what}`);
  const draw = await page.evaluate(
    (since) =>
      performance
        .getEntriesByName('draw')
        .filter((e) => e.startTime >= since)
        .reduce((m, e) => Math.max(m, e.duration), 0),
    t0,
  );
  record(name, `draw${Run}Ms`, draw);
  const task = longestMainThreadTask(trace);
  record(name, `longestTaskCpu${Run}Ms`, task.cpu);
  expect(task.cpu, `${name}: longest main-thread task in CPU time (${run})`).toBeLessThanOrEqual(
    CPU_BUDGET_MS,
  );
}

/**
 * Starts a page's camera (the test clip), lets it run for `loops` loops of the clip's pan (6 s each), then
 * checks and records: the preview's frame rate (the clip plays at 30 fps), the model's, frames
 * dropped while the worker was busy (never queued), and the main thread's longest task. Stops the
 * camera and returns the page's last live result.
 */
async function runLive(
  page: Page,
  name: string,
  whileLive?: (last: Record<string, unknown>) => Promise<void>,
  loops = 1,
): Promise<Record<string, unknown>> {
  await page.click('#webcam');
  await waitForRun(page, 1);
  const t0 = await startMeasure(page);
  await page.waitForTimeout(loops * 2 * CLIP.seconds * 1000);
  const probe = await waitForRun(page, 1);
  await responsive(page, t0, name, 'live');
  const stats = (await page.evaluate(
    () => (window as unknown as { __playground: { live: unknown } }).__playground.live,
  )) as {
    previewFps: number;
    modelFps: number;
    processed: number;
    dropped: number;
    queued: number;
  };
  record(name, 'livePreviewFps', stats.previewFps);
  record(name, 'liveModelFpsX10', stats.modelFps * 10);
  record(name, 'liveProcessed', stats.processed);
  record(name, 'liveDropped', stats.dropped);
  await page.screenshot({ path: join(outDir, `${name}-live.png`) });
  expect(stats.previewFps).toBeGreaterThanOrEqual(20);
  expect(stats.processed).toBeGreaterThanOrEqual(10);
  expect(stats.dropped).toBeGreaterThan(stats.processed);
  expect(stats.queued).toBe(0);
  expect(await page.textContent('#status')).toMatch(/preview \d+ fps, model [\d.]+ fps/);
  await whileLive?.(probe.last as Record<string, unknown>);
  await page.click('#webcam');
  return probe.last as Record<string, unknown>;
}

/** Figures the tests measured, per page, written to test-output/summary.json. */
const figures: Record<string, Record<string, number>> = {};
function record(name: string, key: string, value: number): void {
  figures[name] = { ...figures[name], [key]: Math.round(value) };
  console.log(`[e2e] ${name} ${key}: ${Math.round(value)}`);
}

const AXE = readFileSync(join(appDir, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's critical and serious findings on the page, one line each (rule, impact, where). */
async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    type Result = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Result[] }> } }
    ).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

async function finish(page: Page, name: string, errors: string[]): Promise<void> {
  const text = async (sel: string) => ((await page.$(sel)) ? ((await page.textContent(sel)) ?? '') : '');
  summary[name] = {
    backend: await text('#backend'),
    latency: await text('#latency'),
    model: await text('#model-progress-text'),
    status: await text('#status'),
  };
  // The page as it is now (results shown), on a laptop and on a phone: laid out without sideways
  // scrolling, pictures drawn at a real width, and no critical or serious axe-core finding.
  for (const [viewport, size] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({
      path: join(outDir, `${name}${viewport === 'phone' ? '-phone' : ''}.png`),
      fullPage: true,
    });
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      // Every drawn picture that has content: how wide it is on screen.
      pictures: [...document.querySelectorAll('canvas.stage:not(.hidden), .live:not(.hidden) video')]
        .filter((c) => (c as HTMLCanvasElement).width > 300 || (c as HTMLVideoElement).videoWidth > 0)
        .map((c) => Math.round(c.getBoundingClientRect().width)),
    }));
    expect(layout.scrollWidth, `${name} (${viewport}) scrolls sideways`).toBeLessThanOrEqual(
      layout.clientWidth,
    );
    // (A phone's picture spans the column; the laptop's sits beside the inputs and the details.)
    const least = viewport === 'phone' ? 0.8 * size.width : 300;
    for (const w of layout.pictures) expect(w, `${name} (${viewport}) picture width`).toBeGreaterThan(least);
    const findings = await axeFindings(page);
    record(name, `axe${viewport === 'phone' ? 'Phone' : 'Desktop'}CriticalOrSerious`, findings.length);
    expect(findings, `${name} (${viewport}): axe-core`).toEqual([]);
  }
  sideChannels.push(
    ...(await page.evaluate(() => (window as unknown as { __sideChannels?: string[] }).__sideChannels ?? [])),
  );
  expect(errors).toEqual([]);
  await page.close();
}

describe('playground in Chromium', () => {
  it('home page links every task', async () => {
    const { page, errors } = await open('/');
    const links = await page.$$eval('a.card', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual([
      '/detect-objects.html',
      '/face-landmarks.html',
      '/recognize-text.html',
      '/spot-keywords.html',
      '/identify-language.html',
      '/translate.html',
      '/virtual-lipstick.html',
      '/live-text.html',
    ]);
    await finish(page, 'index', errors);
  });

  it.runIf(landed.objects)(
    'object detection finds the person and the horse; file upload and drag-and-drop work',
    async () => {
      const { page, errors } = await open('/detect-objects.html');
      let t0 = await startMeasure(page);
      await page.click('button.sample[data-sample$="000000214753.jpg"]');
      const probe = await waitForRun(page);
      await responsive(page, t0, 'detect-objects', 'cold');
      const dets = probe.last as { label: string; score: number; box: { width: number } }[];
      const labels = dets.filter((d) => d.score >= 0.3).map((d) => d.label);
      expect(labels).toContain('person');
      expect(labels).toContain('horse');
      expect(await page.textContent('#backend')).toMatch(/wasm/i);
      expect(await page.textContent('#latency')).toMatch(/\d+ ms/);
      // The one-line API call is on the page and copyable (headless: copied, or selected for Ctrl+C).
      expect(await page.textContent('#api-call')).toContain('await detectObjects(image)');
      await page.click('button.copy');
      await page.waitForFunction(
        () => /Copied|Selected/.test(document.querySelector('button.copy')?.textContent ?? ''),
        null,
        {
          timeout: 5_000,
        },
      );
      expect(await page.textContent('#detections')).toContain('horse');
      await page.screenshot({ path: join(outDir, 'detect-objects-horse.png'), fullPage: true });
      // A second sample reuses the detector (no new download).
      t0 = await startMeasure(page);
      await page.click('button.sample[data-sample$="000000397133.jpg"]');
      const second = await waitForRun(page, 2);
      await responsive(page, t0, 'detect-objects', 'warm');
      expect((second.last as { label: string }[]).map((d) => d.label)).toContain('person');
      // The file picker…
      await page.setInputFiles('#file', join(appDir, 'public/samples/objects/000000303818.jpg'));
      const third = await waitForRun(page, 3);
      expect((third.last as { label: string }[]).map((d) => d.label)).toContain('bus');
      // …and drag-and-drop.
      const drop = await page.evaluateHandle(async (url) => {
        const blob = await (await fetch(url)).blob();
        const dt = new DataTransfer();
        dt.items.add(new File([blob], 'umbrellas.jpg', { type: 'image/jpeg' }));
        return dt;
      }, '/samples/objects/000000252219.jpg');
      await page.dispatchEvent('label.drop', 'drop', { dataTransfer: drop });
      const fourth = await waitForRun(page, 4);
      expect((fourth.last as { label: string }[]).map((d) => d.label)).toContain('umbrella');
      await finish(page, 'detect-objects', errors);
    },
  );

  it.runIf(landed.objects)(
    'object detection runs live on the camera: video at its own rate, frames dropped not queued, stable IDs',
    async () => {
      const { page, errors } = await open('/detect-objects.html');
      // Two loops of the clip's pan (12 s): the man must keep his ID through both turns.
      const result = await runLive(page, 'detect-objects', undefined, 2);
      // The man is the only person as tall as most of the frame (the other is his reflection): one
      // track for him all along is 0 ID changes.
      type TrackSummary = { id: number; label: string; frames: number; height: number };
      const tracks = result.tracks as TrackSummary[];
      const man = tracks.filter(
        (t) => t.label === 'person' && t.height > 0.6 * (result.frameHeight as number),
      );
      record('detect-objects', 'liveIdsIssued', result.idsIssued as number);
      record('detect-objects', 'liveManIdChanges', man.length - 1);
      const byLabel: Record<string, string[]> = {};
      for (const t of tracks) byLabel[t.label] = [...(byLabel[t.label] ?? []), `#${t.id}×${t.frames}`];
      console.log(`[e2e] detect-objects live tracks (ID×frames) per label: ${JSON.stringify(byLabel)}`);
      expect(man.map((t) => t.id)).toHaveLength(1);
      expect(await page.textContent('#detections')).toMatch(/#\d+/);
      await finish(page, 'detect-objects-camera-stopped', errors);
    },
  );

  it.runIf(landed.faces)('face landmarks fit the mesh and irises to a face', async () => {
    const { page, errors } = await open('/face-landmarks.html');
    const t0 = await startMeasure(page);
    await page.click('button.sample[data-sample$="000000009483.jpg"]');
    const probe = await waitForRun(page);
    await responsive(page, t0, 'face-landmarks', 'cold');
    const faces = (probe.last as { faces: { points: number; score: number }[] }).faces;
    expect(faces.length).toBeGreaterThanOrEqual(1);
    expect(faces[0]!.points).toBe(478);
    expect(await page.textContent('#backend')).toMatch(/wasm/i);
    await finish(page, 'face-landmarks', errors);
  });

  it.runIf(landed.faces)('face landmarks run live on the camera with one ID for the face', async () => {
    const { page, errors } = await open('/face-landmarks.html');
    const result = await runLive(page, 'face-landmarks');
    const ids = result.faceIds as number[];
    record('face-landmarks', 'liveFaceIdChanges', ids.length - 1);
    expect(ids).toHaveLength(1);
    await finish(page, 'face-landmarks-camera-stopped', errors);
  });

  it.runIf(landed.faces)(
    'virtual lipstick colours the lips live, inside the face, on the same face',
    async () => {
      const { page, errors } = await open('/virtual-lipstick.html');
      const result = await runLive(page, 'virtual-lipstick', async () => {
        // The paint on the overlay now, against the lips and the face the page last found.
        const seen = await page.evaluate(() => {
          const canvas = document.querySelector('#live-overlay') as HTMLCanvasElement;
          const { data, width, height } = canvas
            .getContext('2d')!
            .getImageData(0, 0, canvas.width, canvas.height);
          let n = 0;
          let x0 = width;
          let y0 = height;
          let x1 = 0;
          let y1 = 0;
          for (let y = 0; y < height; y++)
            for (let x = 0; x < width; x++)
              if (data[(y * width + x) * 4 + 3]! > 40) {
                n++;
                x0 = Math.min(x0, x);
                y0 = Math.min(y0, y);
                x1 = Math.max(x1, x);
                y1 = Math.max(y1, y);
              }
          const last = (window as unknown as { __playground: { last: Record<string, unknown> } }).__playground
            .last;
          return { n, paint: { x0, y0, x1, y1 }, last };
        });
        type Box = { x: number; y: number; width: number; height: number };
        const face = (seen.last.faces as { box: Box }[])[0]!.box;
        const lips = (seen.last.lips as Box[])[0]!;
        record('virtual-lipstick', 'paintedPixels', seen.n);
        console.log(
          `[e2e] virtual-lipstick paint ${JSON.stringify(seen.paint)} lips ${JSON.stringify(lips)} face ${JSON.stringify(face)}`,
        );
        // Painted: the lips' area, give or take the softened edge, in the lower half of the face box.
        expect(seen.n).toBeGreaterThan(0.4 * lips.width * lips.height);
        expect(seen.n).toBeLessThan(2 * lips.width * lips.height);
        expect(seen.paint.x0).toBeGreaterThanOrEqual(face.x - 4);
        expect(seen.paint.x1).toBeLessThanOrEqual(face.x + face.width + 4);
        expect(seen.paint.y0).toBeGreaterThanOrEqual(face.y + face.height / 2);
        expect(seen.paint.y1).toBeLessThanOrEqual(face.y + face.height + 4);
      });
      expect(result.faceIds as number[]).toHaveLength(1);
      record('virtual-lipstick', 'liveFaceIdChanges', (result.faceIds as number[]).length - 1);
      await finish(page, 'virtual-lipstick', errors);
    },
  );

  it.runIf(landed.text)(
    'live text reads the camera, boxes the lines and says what became of the translation',
    async () => {
      // Its own browser: Chromium's fake camera plays one file, and this page needs a clip with text.
      const textClip = join(outDir, 'text-clip.y4m');
      const clipSource = join(appDir, 'scripts', 'make-clip.mjs');
      if (!existsSync(textClip) || statSync(textClip).mtimeMs < statSync(clipSource).mtimeMs)
        await makeClip(textClip, TEXT_CLIP);
      const own = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [...BROWSER_ARGS, `--use-file-for-fake-video-capture=${textClip}`],
      });
      try {
        const ctx = await own.newContext({ viewport: { width: 1280, height: 900 } });
        ctx.on('request', (r) => {
          requests.push(r.url());
        });
        await ctx.route(
          (url) => !isLocal(url.href),
          (route) => {
            blocked.push(route.request().url());
            return route.abort('blockedbyclient');
          },
        );
        const page = await ctx.newPage();
        // Chromium here has no built-in Translator (Chrome's ships language packs it downloads):
        // a stand-in with its API shape checks that the page hands the text read to it (plumbing
        // only; the registered-model path and its refusal are checked on the translation page).
        await page.addInitScript(() => {
          (globalThis as { Translator?: unknown }).Translator = {
            availability: async (o: { sourceLanguage: string; targetLanguage: string }) =>
              o.sourceLanguage === 'en' && o.targetLanguage === 'es' ? 'available' : 'unavailable',
            create: async () => ({
              translate: async (t: string) => `[es] ${t}`,
              destroy() {},
            }),
          };
        });
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
        });
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
        await page.goto(`${server.url}/live-text.html`, { waitUntil: 'load' });
        await page.click('#webcam');
        const probe = await waitForRun(page, 1, 120_000);
        const read = (probe.last as { text: string }).text.replace(/\s+/g, ' ').toLowerCase();
        console.log(`[e2e] live-text read: ${read.slice(0, 120)}`);
        expect(read).toContain('quick brown');
        await page.waitForFunction(
          () => (document.querySelector('#translation-note')?.textContent ?? '') !== '',
          null,
          {
            timeout: 60_000,
          },
        );
        const note = (await page.textContent('#translation-note')) ?? '';
        console.log(`[e2e] live-text translation: ${note}`);
        expect(note).toMatch(/built-in translator/i);
        const es = (await page.textContent('#live-translation')) ?? '';
        expect(es.startsWith('[es] ')).toBe(true);
        expect(es.replace(/\s+/g, ' ').toLowerCase()).toContain('quick brown');
        const stats = await page.evaluate(
          () =>
            (
              window as unknown as {
                __playground: { live: { previewFps: number; processed: number; dropped: number } };
              }
            ).__playground.live,
        );
        record('live-text', 'livePreviewFps', stats.previewFps);
        record('live-text', 'liveProcessed', stats.processed);
        record('live-text', 'liveDropped', stats.dropped);
        expect(stats.previewFps).toBeGreaterThanOrEqual(20);
        await page.screenshot({ path: join(outDir, 'live-text-live.png') });
        await page.click('#webcam');
        await finish(page, 'live-text', errors);
        await ctx.close();
      } finally {
        await own.close();
      }
    },
  );

  it.runIf(landed.text)('text recognition reads the test page', async () => {
    const { page, errors } = await open('/recognize-text.html');
    const t0 = await startMeasure(page);
    await page.click('button.sample[data-sample$="tesseractjs_testocr.png"]');
    const probe = await waitForRun(page);
    await responsive(page, t0, 'recognize-text', 'cold');
    const text = (probe.last as { text: string }).text.replace(/\s+/g, ' ').toLowerCase();
    expect(text).toContain('this is a lot of 12 point text to test the');
    expect(text).toContain('the quick brown dog jumped over the');
    expect(await page.textContent('#ocr-text')).toContain('quick brown dog');
    await finish(page, 'recognize-text', errors);
  });

  it.runIf(landed.keywords)(
    'keyword spotting hears "hey jarvis" then "alexa", and nothing in "yes no go stop"',
    async () => {
      const { page, errors } = await open('/spot-keywords.html');
      const t0 = await startMeasure(page);
      await page.click('button.sample[data-sample$="yes_no_go_stop.wav"]');
      const negative = await waitForRun(page);
      await responsive(page, t0, 'spot-keywords', 'cold');
      expect(negative.last).toEqual([]);
      await page.click('button.sample[data-sample$="hey-jarvis-alexa.wav"]');
      const probe = await waitForRun(page, 2);
      const hits = probe.last as { keyword: string; startTime: number }[];
      expect(hits.map((h) => h.keyword)).toEqual(['hey_jarvis', 'alexa']);
      expect(await page.textContent('#detections')).toContain('alexa');
      expect(await page.textContent('#backend')).toMatch(/onnxruntime-web/);
      await finish(page, 'spot-keywords', errors);
    },
  );

  it.runIf(landed.keywords)('keyword spotting streams from the microphone', async () => {
    const { page, errors } = await open('/spot-keywords.html');
    await page.click('#mic');
    const probe = await waitForRun(page, 2, 60_000);
    expect((probe.last as { steps: number }).steps).toBeGreaterThanOrEqual(50);
    await page.click('#mic');
    await finish(page, 'spot-keywords-mic', errors);
  });

  it.runIf(landed.language)(
    'language identification names Spanish, German and a typed French sentence',
    async () => {
      const { page, errors } = await open('/identify-language.html');
      let t0 = await startMeasure(page);
      await page.click('button.sample[data-sample="Español"]');
      let probe = await waitForRun(page);
      await responsive(page, t0, 'identify-language', 'cold');
      t0 = await startMeasure(page);
      expect((probe.last as { language: string }[])[0]!.language).toBe('es');
      await page.click('button.sample[data-sample="Deutsch"]');
      probe = await waitForRun(page, 2);
      expect((probe.last as { language: string }[])[0]!.language).toBe('de');
      await page.fill('#text', 'Je voudrais une tasse de café, s’il vous plaît.');
      probe = await waitForRun(page, 3);
      await responsive(page, t0, 'identify-language', 'warm');
      expect((probe.last as { language: string }[])[0]!.language).toBe('fr');
      expect(await page.textContent('#guesses')).toContain('French');
      await finish(page, 'identify-language', errors);
    },
  );

  it.runIf(landed.translate)('translation turns "The cat is black." into Spanish', async () => {
    const { page, errors } = await open('/translate.html');
    const t0 = await startMeasure(page);
    await page.click('button.sample[data-sample="The cat is black."]');
    const probe = await waitForRun(page);
    await responsive(page, t0, 'translate', 'cold');
    const out = (probe.last as { text: string }).text.toLowerCase();
    expect(out).toContain('el gato');
    expect(out).toContain('negro');
    expect(await page.textContent('#translation')).toContain('gato');
    // The demo model says how much of the text it knows, and refuses text it mostly does not know.
    expect(await page.textContent('#translation-flag')).toContain('knows 100%');
    await page.fill('#text', 'The cat eats a sandwich.');
    await page.click('#translate');
    await waitForRun(page, 2);
    expect(await page.textContent('#translation-flag')).toMatch(/knows 80%.*sandwich/);
    await page.fill('#text', 'The weather is nice today.');
    await page.click('#translate');
    await page.waitForFunction(
      () => (window as unknown as { __playground?: Probe }).__playground?.state === 'error',
    );
    expect(await page.textContent('#translation-flag')).toMatch(/^Refused: .*weather, nice/);
    await finish(page, 'translate', errors);
  });

  it('no request left 127.0.0.1, and no page tried a beacon, WebSocket, EventSource or peer connection', () => {
    expect(sideChannels).toEqual([]);
    expect(blocked).toEqual([]);
    expect(requests.filter((u) => !isLocal(u))).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
  });
});
