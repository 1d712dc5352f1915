// Text recognition: @ondevice/vision's recognizeText beside the engines called directly and beside
// Debian's native `tesseract` CLI, on the shared OCR set.
//   node bench/text-recognition.mjs      → results/text-recognition.{json,md}
// Needs `apt-get install -y tesseract-ocr` for the CLI rows (skipped with a note when missing);
// the package's tests never need it.
// 1. Overhead: recognizer.recognize(path) vs the engine alone on the same file, alternating call by
//    call after warm-up — PP-OCR vs our PpOcrEngine (decode + engine, no layout/options), and the
//    Tesseract engine vs tesseract.js 7 worker.recognize with the same data and rotateAuto.
// 2. Throughput: 8 different images submitted at once, pool of 1 vs 2 Tesseract workers (and
//    PP-OCR with 1 vs 2 onnxruntime threads).
// 3. CER and time per image: ours (both engines, and 'auto' with its line-coverage check) vs
//    `tesseract <img> stdout -l eng`, on the shared set and on the real phone photos of printed
//    pages in packages/vision/test/fixtures/ocr (issue #21).
// 4. RSS over 100 recognitions through a 2-worker pool.
// 5. PP-OCR's recogniser by width bucket (now) vs the sorted batches of 8 padded to the widest
//    (before issue #18): the same engine otherwise, 1 thread, alternating call by call — one page
//    (p50/p95) and the 20 images (CPU and wall time, CER); and 2 vs 1 intra-op threads on one page.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeImage } from '@ondevice/core';
import { createTextRecognizer } from '@ondevice/vision';
import { characterErrorRate } from '@ondevice/vision/eval';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');
const ocr = join(datasets, 'ocr');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const RSS_CALLS = Number(process.env.BENCH_RSS_CALLS ?? 100);
const WARMUP = 2;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 5);
// BENCH_ONLY=overhead,throughput,cer,rss runs some sections (to re-measure one; the results then hold only those).
const ONLY = process.env.BENCH_ONLY?.split(',');
const visionDist = join(root, 'packages/vision/dist');
const { PpOcrEngine, sortedRecBatches } = await import(
  pathToFileURL(join(visionDist, 'recognize-text/ppocr.js')).href
);
const { buildResult } = await import(pathToFileURL(join(visionDist, 'recognize-text/layout.js')).href);
const { TesseractEngine } = await import(pathToFileURL(join(visionDist, 'recognize-text/tesseract.js')).href);
const require = createRequire(import.meta.url);
const Tesseract = require('tesseract.js');
const tessPkg = JSON.parse(readFileSync(join(here, 'node_modules/tesseract.js/package.json'), 'utf8'));

const index = JSON.parse(readFileSync(join(ocr, 'index.json'), 'utf8'));
const img = (name) => join(ocr, 'images', name);
const photoDir = join(root, 'packages/vision/test/fixtures/ocr');
const photos = ['boston-cooking-a', 'boston-cooking-b', 'linguistics-thesis-a'];
const gtOf = (r) => readFileSync(join(ocr, r.ground_truth), 'utf8');
const cerOf = (r, text) => characterErrorRate(gtOf(r), text, { ignoreSpaces: r.language.startsWith('chi') });

const now = () => performance.now();
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return {
    median: round(q(0.5)),
    p25: round(q(0.25)),
    p75: round(q(0.75)),
    p95: round(q(0.95)),
    n: s.length,
  };
}
const round = (v, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const log = (...a) => console.error(...a);

async function alternate(a, b, runs = RUNS) {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const ta = [];
  const tb = [];
  for (let i = 0; i < runs; i++) {
    let t = now();
    await a();
    ta.push(now() - t);
    t = now();
    await b();
    tb.push(now() - t);
  }
  return { ours: stats(ta), peer: stats(tb) };
}

const comparisons = [];
const md = [];
const started = new Date().toISOString();
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
log(`load average at start: ${load()}`);

// 1. Overhead ---------------------------------------------------------------------------------
const page = img('tesseractjs_testocr.png');
if (!ONLY || ONLY.includes('overhead')) {
  const rec = await createTextRecognizer({ engine: 'ppocr', workers: 1 });
  const engine = await PpOcrEngine.create({ threads: 1 });
  const r = await alternate(
    () => rec.recognize(page),
    async () => engine.recognize(await decodeImage(page), {}),
  );
  comparisons.push({
    name: 'overhead: recognizeText (PP-OCR) vs the PP-OCR engine alone, 640×480 page',
    unit: 'ms',
    ...r,
    ratio: round(r.ours.median / r.peer.median, 3),
    better: 'lower',
    vs: 'PP-OCR engine alone',
    runs: RUNS,
  });
  await rec.dispose();
  await engine.dispose();
}
if (!ONLY || ONLY.includes('overhead')) {
  const rec = await createTextRecognizer({ engine: 'tesseract', workers: 1 });
  // The same checked eng.traineddata.gz our engine reads (from @ondevice/vision-models or the cache).
  const { prepareLanguageData } = await import(
    pathToFileURL(join(visionDist, 'recognize-text/tessdata.js')).href
  );
  const langPath = await prepareLanguageData(['eng']);
  const worker = await Tesseract.createWorker('eng', 1, {
    langPath,
    cacheMethod: 'none',
    gzip: true,
    logger: () => {},
    errorHandler: () => {},
  });
  const r = await alternate(
    () => rec.recognize(page),
    () =>
      worker.recognize(
        page,
        { rotateAuto: true, tessedit_pageseg_mode: '3', debug_file: '/dev/null' },
        { blocks: true, text: true },
      ),
  );
  comparisons.push({
    name: 'overhead: recognizeText (Tesseract; deskew pass only when the first is unsure) vs tesseract.js worker.recognize',
    unit: 'ms',
    ...r,
    ratio: round(r.ours.median / r.peer.median, 3),
    better: 'lower',
    vs: `tesseract.js ${tessPkg.version} directly`,
    runs: RUNS,
  });
  // The same without our deskew step: what the pool and layout cost on their own.
  const bare = await TesseractEngine.create({ workers: 1 });
  const pixels = await decodeImage(page);
  const r2 = await alternate(
    () => bare.recognize(pixels, {}),
    () =>
      worker.recognize(
        page,
        { rotateAuto: true, tessedit_pageseg_mode: '3', debug_file: '/dev/null' },
        { blocks: true, text: true },
      ),
  );
  comparisons.push({
    name: 'overhead: Tesseract engine without the PP-OCR deskew vs tesseract.js worker.recognize',
    unit: 'ms',
    ...r2,
    ratio: round(r2.ours.median / r2.peer.median, 3),
    better: 'lower',
    vs: `tesseract.js ${tessPkg.version} directly`,
    runs: RUNS,
  });
  await bare.dispose();
  await worker.terminate();
  await rec.dispose();
}
log('overhead done', load());

// 2. Throughput: 8 images at once, 1 vs 2 workers ---------------------------------------------
const EIGHT = [
  'tesseractjs_testocr.png',
  'tesseract_phototest.png',
  'tesseract_eurotext.png',
  'tesseractjs_cosmic.png',
  'tesseractjs_escape_chars.png',
  'tesseractjs_bill.png',
  'ocrs_polar-bears.png',
  'ocrs_why-rust.png',
].map(img);
async function batch(rec) {
  const s = now();
  await Promise.all(EIGHT.map((f) => rec.recognize(f)));
  return now() - s;
}
if (!ONLY || ONLY.includes('throughput')) {
  for (const engine of ['tesseract', 'ppocr']) {
    // Both pools live side by side; batches alternate 1, 2, 1, 2… after a warm-up batch each.
    const one = await createTextRecognizer({ engine, workers: 1 });
    const two = await createTextRecognizer({ engine, workers: 2 });
    await batch(one);
    await batch(two);
    const t1 = [];
    const t2 = [];
    for (let i = 0; i < BATCHES; i++) {
      t1.push(await batch(one));
      t2.push(await batch(two));
    }
    await one.dispose();
    await two.dispose();
    const s1 = stats(t1);
    const s2 = stats(t2);
    comparisons.push({
      name: `throughput: 8 images at once, ${engine === 'tesseract' ? '2 vs 1 Tesseract workers' : '2 vs 1 onnxruntime threads (PP-OCR)'}`,
      unit: 'ms',
      ours: s2,
      peer: s1,
      ratio: round(s2.median / s1.median, 3),
      better: 'lower',
      vs: engine === 'tesseract' ? 'the same pool with 1 worker' : 'PP-OCR with 1 thread',
      runs: BATCHES,
    });
    log(`throughput ${engine} done`, load(), JSON.stringify({ t1, t2 }));
  }
}

// 3. CER and time per image vs the native tesseract CLI ----------------------------------------
const cli = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
const cliVersion = cli.status === 0 ? (cli.stdout || cli.stderr).split('\n')[0] : undefined;
const perImage = [];
if (!ONLY || ONLY.includes('cer')) {
  const pp = await createTextRecognizer({ engine: 'ppocr', workers: 1 });
  const ts = await createTextRecognizer({ engine: 'tesseract', workers: 1 });
  // engine 'auto' (PP-OCR here) with its line-coverage check: Tesseract fills unread regions.
  const auto = await createTextRecognizer({ workers: 1 });
  await pp.recognize(page);
  await ts.recognize(page);
  // The shared set, then the real phone photos of printed pages added for issue #21.
  const records = [
    ...index.map((r) => ({ ...r, file: join(ocr, r.image), truth: gtOf(r) })),
    ...photos.map((name) => ({
      image: `fixtures/ocr/${name}.jpg`,
      file: join(photoDir, `${name}.jpg`),
      truth: readFileSync(join(photoDir, `${name}.txt`), 'utf8'),
      gt_kind: 'human (hand-typed)',
      language: 'eng',
    })),
  ];
  const cer = (r, text) => characterErrorRate(r.truth, text, { ignoreSpaces: r.language.startsWith('chi') });
  for (const r of records) {
    const file = r.file;
    const row = { image: r.image.replace('images/', ''), kind: r.gt_kind, language: r.language };
    let t = now();
    row.ppocr = { cer: cer(r, (await pp.recognize(file)).text), ms: now() - t };
    t = now();
    row.tesseract = { cer: cer(r, (await ts.recognize(file)).text), ms: now() - t };
    t = now();
    const a = await auto.recognize(file);
    row.auto = { cer: cer(r, a.text), ms: now() - t, coverage: a.coverage };
    if (cliVersion) {
      t = now();
      const out = execFileSync('tesseract', [file, 'stdout', '-l', 'eng'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      row.cli = { cer: cer(r, out), ms: now() - t };
    }
    perImage.push(row);
    log(row.image, JSON.stringify(row));
  }
  await pp.dispose();
  await ts.dispose();
  await auto.dispose();
}
const truth = perImage.filter(
  (r) =>
    r.kind !== 'engine_regression_output' &&
    !r.language.startsWith('chi') &&
    !r.image.startsWith('fixtures/'),
);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
if (cliVersion && perImage.length) {
  for (const engine of ['ppocr', 'tesseract']) {
    comparisons.push({
      name: `mean CER, ${truth.length} images with true text (English/Latin), ${engine === 'ppocr' ? 'PP-OCR' : 'our Tesseract'} vs tesseract CLI`,
      unit: '%',
      ours: round(100 * mean(truth.map((r) => r[engine].cer)), 2),
      peer: round(100 * mean(truth.map((r) => r.cli.cer)), 2),
      better: 'lower',
      vs: cliVersion,
    });
    comparisons.push({
      name: `time for ${perImage.length} images one by one, ${engine === 'ppocr' ? 'PP-OCR' : 'our Tesseract'} vs tesseract CLI`,
      unit: 'ms',
      ours: round(sum(perImage.map((r) => r[engine].ms)), 0),
      peer: round(sum(perImage.map((r) => r.cli.ms)), 0),
      ratio: round(sum(perImage.map((r) => r[engine].ms)) / sum(perImage.map((r) => r.cli.ms)), 3),
      better: 'lower',
      vs: `${cliVersion} (one process per image)`,
    });
  }
}
log('CER done', load());

// 4. RSS over many recognitions with the pool --------------------------------------------------
const rss = [];
if (!ONLY || ONLY.includes('rss')) {
  const rec = await createTextRecognizer({ engine: 'tesseract', workers: 2 });
  const files = EIGHT.slice(0, 4);
  rss.push({ calls: 0, mb: round(process.memoryUsage().rss / 2 ** 20) });
  for (let i = 0; i < RSS_CALLS; i += 2) {
    await Promise.all([rec.recognize(files[i % 4]), rec.recognize(files[(i + 1) % 4])]);
    if ((i + 2) % 10 === 0) rss.push({ calls: i + 2, mb: round(process.memoryUsage().rss / 2 ** 20) });
  }
  await rec.dispose();
}
log('RSS done', JSON.stringify(rss));

// 5. PP-OCR's recogniser runs: width buckets vs the sorted batches before ---------------------------
let recBatching;
if (!ONLY || ONLY.includes('batches')) {
  const now1 = await PpOcrEngine.create({ threads: 1 });
  const before1 = await PpOcrEngine.create({ threads: 1, groupRuns: sortedRecBatches });
  const pixels = await decodeImage(page);
  const r = await alternate(
    () => now1.recognize(pixels, {}),
    () => before1.recognize(pixels, {}),
    Math.max(RUNS, 20),
  );
  comparisons.push({
    name: 'PP-OCR engine, 640×480 page: recogniser by width bucket vs the sorted batches of 8 before (1 thread)',
    unit: 'ms',
    ...r,
    ratio: round(r.ours.median / r.peer.median, 3),
    better: 'lower',
    vs: 'sorted batches of 8 padded to the widest (before issue #18)',
    runs: Math.max(RUNS, 20),
  });
  // Every image once each way, alternating: CPU and wall time, and what each reads.
  const sets = { now: { cpu: 0, wall: 0, cer: [] }, before: { cpu: 0, wall: 0, cer: [] } };
  const rows = [];
  for (const rec of index) {
    const px = await decodeImage(join(ocr, rec.image));
    await now1.recognize(px, {});
    await before1.recognize(px, {});
    const row = { image: rec.image.replace('images/', ''), kind: rec.gt_kind, language: rec.language };
    for (const [who, e] of [
      ['now', now1],
      ['before', before1],
    ]) {
      const c = process.cpuUsage();
      const t = now();
      const out = await e.recognize(px, {});
      const wall = now() - t;
      const used = process.cpuUsage(c);
      const cer = cerOf(rec, buildResult(out, px.width, px.height, 'ppocr', 'eng').text);
      sets[who].cpu += (used.user + used.system) / 1000;
      sets[who].wall += wall;
      sets[who].cer.push(cer);
      row[who] = round(100 * cer, 2);
    }
    rows.push(row);
  }
  const trueText = rows
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => row.kind !== 'engine_regression_output' && !row.language.startsWith('chi'));
  const meanOf = (who, sel) =>
    round((100 * sel.reduce((a, { i }) => a + sets[who].cer[i], 0)) / sel.length, 2);
  const all = rows.map((row, i) => ({ row, i }));
  comparisons.push(
    {
      name: `PP-OCR engine, ${index.length} images one by one, CPU time: width buckets vs the sorted batches before (1 thread)`,
      unit: 'ms',
      ours: round(sets.now.cpu, 0),
      peer: round(sets.before.cpu, 0),
      ratio: round(sets.now.cpu / sets.before.cpu, 3),
      better: 'lower',
      vs: 'sorted batches of 8 (before issue #18)',
    },
    {
      name: `PP-OCR engine, mean CER over the ${trueText.length} images with true text: width buckets vs the sorted batches before`,
      unit: '%',
      ours: meanOf('now', trueText),
      peer: meanOf('before', trueText),
      better: 'lower',
      vs: 'sorted batches of 8 (before issue #18)',
    },
  );
  recBatching = {
    cpuMs: { now: round(sets.now.cpu, 0), before: round(sets.before.cpu, 0) },
    wallMs: { now: round(sets.now.wall, 0), before: round(sets.before.wall, 0) },
    meanCer: {
      trueText: { now: meanOf('now', trueText), before: meanOf('before', trueText), images: trueText.length },
      all: { now: meanOf('now', all), before: meanOf('before', all), images: all.length },
    },
    worseNow: rows.filter((row) => row.now > row.before).map((row) => row.image),
    betterNow: rows.filter((row) => row.now < row.before).map((row) => row.image),
    perImage: rows,
  };
  await now1.dispose();
  await before1.dispose();
  // Intra-op threads on one page (a single call, nothing else submitted): 2 vs 1.
  const two = await PpOcrEngine.create({ threads: 2 });
  const one = await PpOcrEngine.create({ threads: 1 });
  const t = await alternate(
    () => two.recognize(pixels, {}),
    () => one.recognize(pixels, {}),
    Math.max(RUNS, 20),
  );
  comparisons.push({
    name: 'PP-OCR engine, 640×480 page, one call at a time: 2 vs 1 onnxruntime intra-op threads',
    unit: 'ms',
    ...t,
    ratio: round(t.ours.median / t.peer.median, 3),
    better: 'lower',
    vs: 'the same engine with 1 thread',
    runs: Math.max(RUNS, 20),
  });
  await two.dispose();
  await one.dispose();
}
log('batches done', load());

// Output ----------------------------------------------------------------------------------------
const result = {
  task: 'text-recognition',
  title: 'Text recognition',
  peer: `tesseract.js ${tessPkg.version}${cliVersion ? `, ${cliVersion} CLI` : ''}`,
  date: started,
  machine: {
    cores: (await import('node:os')).availableParallelism(),
    loadAverageAtEnd: load(),
    node: process.version,
  },
  comparisons,
  perImage,
  rss,
  ...(recBatching ? { recBatching } : {}),
};
// With BENCH_ONLY, rows measured now replace those of the same name in the previous results.
const resultsFile = join(here, 'results/text-recognition.json');
if (ONLY) {
  try {
    const prev = JSON.parse(readFileSync(resultsFile, 'utf8'));
    const fresh = new Map(comparisons.map((c) => [c.name, { ...c, measured: started }]));
    result.comparisons = [
      ...prev.comparisons.map((c) => fresh.get(c.name) ?? c),
      ...[...fresh.values()].filter((c) => !prev.comparisons.some((p) => p.name === c.name)),
    ];
    if (!perImage.length) result.perImage = prev.perImage ?? [];
    if (!rss.length) result.rss = prev.rss ?? [];
    if (!recBatching && prev.recBatching) result.recBatching = prev.recBatching;
    result.date = prev.date;
    result.partialUpdate = { sections: ONLY, date: started };
  } catch {
    // no previous results: write what was measured
  }
}
writeFileSync(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
const pct = (v) => (v === undefined ? '—' : `${(100 * v).toFixed(2)}%`);
md.push(
  `Measured ${result.date}${result.partialUpdate ? ` (${result.partialUpdate.sections.join(', ')} re-measured ${result.partialUpdate.date})` : ''} on ${result.machine.cores} shared cores (load average at end ${result.machine.loadAverageAtEnd}); medians of ${RUNS} alternating runs after ${WARMUP} warm-up runs. Absolute times on this shared machine are noise; read the ratios.`,
);
md.push('');
md.push('| comparison | ours | reference | ratio |');
md.push('|---|---|---|---|');
for (const c of result.comparisons) {
  const v = (x) => (typeof x === 'number' ? x : x.median);
  md.push(
    `| ${c.name} | ${v(c.ours)} ${c.unit} | ${v(c.peer)} ${c.unit} (${c.vs}) | ${c.ratio ?? round(v(c.ours) / v(c.peer), 3)} |`,
  );
}
md.push('');
md.push(
  `CER per image (whitespace-normalised; Chinese compared without spaces; * = expected text is another engine's output with its errors, regression use only):`,
);
md.push('');
md.push(
  `| image | PP-OCR | Tesseract (ours) | auto (coverage: regions / unread / lines added) | ${cliVersion ?? 'tesseract CLI (not installed)'} |`,
);
md.push('|---|---|---|---|---|');
for (const r of result.perImage) {
  const c = r.auto?.coverage;
  const cov = c ? ` (${c.regions} / ${c.unread} / ${c.filledFrom ? c.added : '–'})` : '';
  md.push(
    `| ${r.image}${r.kind === 'engine_regression_output' ? ' *' : ''} | ${pct(r.ppocr.cer)} | ${pct(r.tesseract.cer)} | ${pct(r.auto?.cer)}${cov} | ${pct(r.cli?.cer)} |`,
  );
}
md.push('');
if (result.recBatching) {
  const b = result.recBatching;
  md.push(
    `PP-OCR's recogniser (issue #18): each line piece runs at its own width plus 32 columns of margin, rounded up to a multiple of 8, and only pieces of the same width share a run (at most 8, at most 4096 columns), instead of sorted batches of 8 each padded to its widest piece. Over the ${b.perImage.length} images one by one, alternating: CPU ${b.cpuMs.now} ms vs ${b.cpuMs.before} ms before (${round(b.cpuMs.now / b.cpuMs.before, 3)}), wall ${b.wallMs.now} vs ${b.wallMs.before} ms; mean CER ${b.meanCer.trueText.now} % vs ${b.meanCer.trueText.before} % on the ${b.meanCer.trueText.images} images with true text (${b.meanCer.all.now} % vs ${b.meanCer.all.before} % on all ${b.meanCer.all.images}); read better now: ${b.betterNow.join(', ') || 'none'}; worse: ${b.worseNow.join(', ') || 'none'}.`,
  );
  md.push('');
}
if (result.rss.length)
  md.push(
    `RSS (MB) over ${result.rss.at(-1).calls} recognitions through a 2-worker Tesseract pool: ${result.rss.map((x) => `${x.calls}: ${x.mb}`).join(', ')}.`,
  );
writeFileSync(join(here, 'results/text-recognition.md'), `${md.join('\n')}\n`);
console.log(md.join('\n'));
