// Soak: each task called many times in its own fresh process (node --expose-gc), RSS and heap read
// after a forced GC at every tenth of the run, results compared with the first call's.
//   node bench/soak.mjs [task ...] [--scale 0.4]   → results/soak.{json,md}
// Counts at scale 1 are the reliability issue's: 1,000 detections, 100 face calls, 200 OCR calls
// per engine, 10 minutes of streamed audio (80 ms chunks), 5,000 language IDs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');

const TASKS = {
  detect: { calls: 1000, unit: 'calls' },
  faces: { calls: 100, unit: 'calls' },
  'ocr-ppocr': { calls: 200, unit: 'calls' },
  'ocr-tesseract': { calls: 200, unit: 'calls' },
  'audio-stream': { calls: 7500, unit: '80 ms chunks' },
  langid: { calls: 5000, unit: 'calls' },
};

if (process.argv[2] === '--child') {
  const [, , , name, n] = process.argv;
  const calls = Number(n);
  const pkg = (p) => pathToFileURL(join(root, 'packages', p, 'dist', 'index.js')).href;
  let call;
  let dispose = () => {};
  if (name === 'detect') {
    const { createObjectDetector } = await import(pkg('vision'));
    const d = await createObjectDetector();
    const img = join(root, 'samples', 'kitchen.jpg');
    call = () => d.detect(img);
    dispose = () => d.dispose();
  } else if (name === 'faces') {
    const { createFaceLandmarker } = await import(pkg('vision'));
    const f = await createFaceLandmarker();
    const img = join(datasets, 'faces', 'images', 'einstein.jpg');
    call = () => f.detect(img);
    dispose = () => f.dispose();
  } else if (name.startsWith('ocr-')) {
    const { createTextRecognizer } = await import(pkg('vision'));
    const r = await createTextRecognizer({ engine: name.slice(4) });
    const img = join(datasets, 'ocr', 'images', 'tesseract_eurotext.png');
    call = async () => (await r.recognize(img)).text;
    dispose = () => r.dispose();
  } else if (name === 'audio-stream') {
    const { createKeywordSpotter } = await import(pkg('audio'));
    const { decodeAudio } = await import(pkg('core'));
    const s = await createKeywordSpotter({ keywords: ['alexa'] });
    const clip = (
      await decodeAudio(join(root, 'packages', 'audio', 'test', 'fixtures', 'alexa.wav'), {
        sampleRate: 16000,
      })
    ).samples;
    let offset = 0;
    const chunk = new Float32Array(1280);
    call = async () => {
      for (let i = 0; i < chunk.length; i++) chunk[i] = clip[(offset + i) % clip.length];
      offset += chunk.length;
      return (await s.process(chunk)).length;
    };
    dispose = () => s.dispose();
  } else if (name === 'langid') {
    const { identifyLanguage } = await import(pkg('text'));
    const texts = [
      '¿Dónde está la estación?',
      'Wo ist der Bahnhof?',
      'Où est la gare ?',
      'Where is the station?',
    ];
    let i = 0;
    call = async () => (await identifyLanguage(texts[i++ % texts.length]))[0]?.language;
  }
  const points = [];
  const sample = (done) => {
    globalThis.gc();
    const m = process.memoryUsage();
    points.push({
      calls: done,
      rssMb: +(m.rss / 2 ** 20).toFixed(1),
      heapMb: +(m.heapUsed / 2 ** 20).toFixed(1),
    });
  };
  const periodic = name === 'audio-stream' || name === 'langid';
  const first = JSON.stringify(await call());
  let differing = 0;
  sample(1);
  const step = Math.max(1, Math.floor(calls / 10));
  for (let i = 2; i <= calls; i++) {
    const r = JSON.stringify(await call());
    // Streams and rotating texts change from call to call by design; compare the others.
    if (!periodic && r !== first) differing++;
    if (i % step === 0) sample(i);
  }
  await dispose();
  process.stdout.write(JSON.stringify({ points, differing }));
  process.exit(0);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { scale: { type: 'string', default: '1' }, 'from-json': { type: 'boolean', default: false } },
});

/** Least-squares slope of RSS over calls, in MB per 100 calls, from the first tenth onward. */
function slopePer100(points) {
  const p = points.slice(1);
  if (p.length < 2) return 0;
  const mx = p.reduce((a, q) => a + q.calls, 0) / p.length;
  const my = p.reduce((a, q) => a + q.rssMb, 0) / p.length;
  const num = p.reduce((a, q) => a + (q.calls - mx) * (q.rssMb - my), 0);
  const den = p.reduce((a, q) => a + (q.calls - mx) ** 2, 0);
  return +((num / den) * 100).toFixed(2);
}

function summarise(name, calls, seconds, { points, differing }) {
  const last = points.at(-1);
  return {
    calls,
    unit: TASKS[name].unit,
    seconds,
    rssAfterFirstMb: points[0].rssMb,
    rssAfterFirstTenthMb: (points[1] ?? points[0]).rssMb,
    rssEndMb: last.rssMb,
    rssMaxMb: Math.max(...points.map((q) => q.rssMb)),
    heapFirstMb: points[0].heapMb,
    heapEndMb: last.heapMb,
    rssSlopePer100: slopePer100(points),
    resultsDifferingFromFirst: differing,
    points,
  };
}

const results = {};
let scale = Number(values.scale);
if (values['from-json']) {
  const saved = JSON.parse(readFileSync(join(here, 'results', 'soak.json'), 'utf8'));
  scale = saved.scale;
  for (const [name, r] of Object.entries(saved.results))
    results[name] = r.error
      ? r
      : summarise(name, r.calls, r.seconds, { points: r.points, differing: r.resultsDifferingFromFirst });
} else {
  const names = positionals.length ? positionals : Object.keys(TASKS);
  for (const name of names) {
    const calls = Math.max(10, Math.round(TASKS[name].calls * scale));
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), '--child', name, String(calls)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    );
    if (r.status !== 0) {
      results[name] = { calls, error: r.stderr.trim().split('\n').slice(-3).join(' ') };
      console.log(name, 'failed:', results[name].error);
      continue;
    }
    results[name] = summarise(name, calls, Math.round((Date.now() - t0) / 1000), JSON.parse(r.stdout));
    console.log(name, JSON.stringify({ ...results[name], points: undefined }));
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results', 'soak.json'),
    `${JSON.stringify({ date: new Date().toISOString(), scale, results }, null, 2)}\n`,
  );
}
const rows = Object.entries(results).map(([n, r]) =>
  r.error
    ? `| ${n} | ${r.calls} | failed: ${r.error} | | | | |`
    : `| ${n} | ${r.calls} ${r.unit} | ${r.rssAfterFirstMb} → ${r.rssAfterFirstTenthMb} → ${r.rssEndMb} (max ${r.rssMaxMb}) | ${r.heapFirstMb} → ${r.heapEndMb} | ${r.rssSlopePer100} | ${r.resultsDifferingFromFirst} |`,
);
writeFileSync(
  join(here, 'results', 'soak.md'),
  `# Soak (scale ${scale})\n\nEach task in a fresh process (\`node bench/soak.mjs --scale ${scale}\`), GC forced before each of 11 readings. The slope is a least-squares fit of RSS over calls from the first tenth on (start-up allocations excluded).\n\n| task | calls | RSS MB: after 1st → after 1st tenth → end | heap MB | RSS slope, MB per 100 calls | results differing from the 1st |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
);
