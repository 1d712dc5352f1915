// Cold start (import → first result, in a fresh process) and peak RSS per task, ours beside the
// plain peer library where one exists, alternating fresh processes.
//   node bench/cold-start.mjs [--runs 3]
// Writes bench/results/cold-start.{json,md}.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.ONDEVICE_DATASETS ?? join(here, '..', '..', 'shared', 'datasets');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

// Each case runs in its own process: `node cold-start.mjs --child <case>` prints one JSON line.
const CASES = {
  'detect-ours': async () => {
    const { detectObjects } = await import('@ondevice/vision');
    return (await detectObjects(join(data, 'object_detection/images/000000397133.jpg'))).length;
  },
  'faces-ours': async () => {
    const { detectFaceLandmarks } = await import('@ondevice/vision');
    const result = await detectFaceLandmarks(join(data, 'faces/images/einstein.jpg'));
    return (result.faces ?? result).length;
  },
  'ocr-ours': async () => {
    const { recognizeText } = await import('@ondevice/vision');
    return (await recognizeText(join(data, 'ocr/images/tesseractjs_simple.png'), { engine: 'tesseract' }))
      .text.length;
  },
  'ocr-peer': async () => {
    // tesseract.js used directly, with the same local language data and no cache or CDN.
    const require = createRequire(join(here, '..', 'packages', 'vision', 'package.json'));
    const { createWorker } = require('tesseract.js');
    const eng = dirname(require.resolve('@tesseract.js-data/eng/package.json'));
    const worker = await createWorker('eng', 1, {
      langPath: join(eng, '4.0.0_best_int'),
      cacheMethod: 'none',
      gzip: true,
    });
    const { data: out } = await worker.recognize(join(data, 'ocr/images/tesseractjs_simple.png'));
    await worker.terminate();
    return out.text.length;
  },
  'ocr-ppocr-ours': async () => {
    const { recognizeText } = await import('@ondevice/vision');
    return (await recognizeText(join(data, 'ocr/images/tesseractjs_simple.png'), { engine: 'ppocr' })).text
      .length;
  },
  'keywords-ours': async () => {
    const { spotKeywords } = await import('@ondevice/audio');
    return (await spotKeywords(join(data, 'keyword_spotting/porcupine/en_multiple_keywords.wav'))).length;
  },
  'langid-ours': async () => {
    const { identifyLanguage } = await import('@ondevice/text');
    return (await identifyLanguage('¿Dónde está la estación de tren?'))[0].language;
  },
  'langid-peer': async () => {
    const require = createRequire(join(here, '..', 'packages', 'text', 'package.json'));
    const { detect } = require('tinyld');
    return detect('¿Dónde está la estación de tren?');
  },
};

if (process.argv[2] === '--child') {
  const name = process.argv[3];
  const started = performance.now();
  const answer = await CASES[name]();
  const ms = performance.now() - started;
  // Wall time from process start too (includes Node's own start-up).
  const sinceStart = performance.now();
  console.log(
    JSON.stringify({ name, ms, sinceStart, maxRssMB: process.resourceUsage().maxRSS / 1024, answer }),
  );
  process.exit(0);
}

function child(name) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name], {
    cwd: here,
    encoding: 'utf8',
    env: { ...process.env, ONDEVICE_DATASETS: data },
  });
  const line = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (r.status !== 0 || !line) throw new Error(`${name} failed: ${r.stderr.slice(-800)}`);
  return JSON.parse(line);
}

const PAIRS = [
  ['Object detection (balanced)', 'detect-ours', undefined],
  ['Face landmarks', 'faces-ours', undefined],
  ['Text recognition, Tesseract engine', 'ocr-ours', 'ocr-peer'],
  ['Text recognition, PP-OCR engine', 'ocr-ppocr-ours', 'ocr-peer'],
  ['Keyword spotting (whole 45 s clip)', 'keywords-ours', undefined],
  ['Language identification', 'langid-ours', 'langid-peer'],
];
const samples = {};
for (let i = 0; i < RUNS; i++) {
  for (const [, ours, peer] of PAIRS) {
    for (const name of i % 2 ? [peer, ours] : [ours, peer]) {
      if (!name || (samples[name]?.length ?? 0) > i) continue;
      process.stderr.write(`run ${i + 1}/${RUNS} ${name}\n`);
      samples[name] ??= [];
      samples[name].push(child(name));
    }
  }
}
const summary = (name) =>
  name && {
    median: +median(samples[name].map((s) => s.ms)).toFixed(0),
    runs: samples[name].length,
    maxRssMB: +median(samples[name].map((s) => s.maxRssMB)).toFixed(0),
  };
const comparisons = [];
const rows = [];
for (const [title, ours, peer] of PAIRS) {
  const o = summary(ours);
  const p = summary(peer);
  const peerName =
    peer === 'ocr-peer' ? 'tesseract.js 7 directly' : peer === 'langid-peer' ? 'tinyld directly' : undefined;
  rows.push(
    `| ${title} | ${o.median} | ${o.maxRssMB} | ${p ? `${p.median} (${peerName})` : '—'} | ${p ? `${p.maxRssMB}` : '—'} | ${p ? (o.median / p.median).toFixed(2) : '—'} |`,
  );
  if (p) {
    comparisons.push({
      name: `${title}: cold start, import → first result`,
      unit: 'ms',
      ours: o.median,
      peer: p.median,
      ratio: +(o.median / p.median).toFixed(3),
      better: 'lower',
      vs: peerName,
      runs: RUNS,
    });
    comparisons.push({
      name: `${title}: peak RSS`,
      unit: 'MB',
      ours: o.maxRssMB,
      peer: p.maxRssMB,
      ratio: +(o.maxRssMB / p.maxRssMB).toFixed(3),
      better: 'lower',
      vs: peerName,
      runs: RUNS,
    });
  }
}
const result = {
  task: 'cold-start',
  title: 'Cold start and peak RSS per task',
  date: new Date().toISOString(),
  node: process.version,
  runs: RUNS,
  samples,
  comparisons,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/cold-start.json'), `${JSON.stringify(result, null, 2)}\n`);
const md = `Fresh Node ${process.version} process per run (${RUNS} runs each, ours and the peer alternating): time from the first \`import\` of the package to the first result, and the process's peak RSS (\`process.resourceUsage().maxRSS\`), medians. Models come from the installed npm packages (SHA-256 checked). Object detection's cold start against human is in its own section.

| task | ours: ms | ours: peak RSS MB | peer: ms | peer: peak RSS MB | ratio (ms) |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
writeFileSync(join(here, 'results/cold-start.md'), md);
console.log(md);
