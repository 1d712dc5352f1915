// Language identification speed: @ondevice/text's identifyLanguage (calibrated vote of three
// engines, and each engine alone through our API) beside the raw peer libraries it builds on —
// tinyld 1.3.4 (`detectAll`), eld 2.1.0 large (`detect`), fastText lid.176 via fasttext.wasm.js
// 1.0.0 (`predict`, top 12). One process, same texts, alternating engine by engine after warm-up.
// Texts: the 182 samples of datasets/language/langid plus their first two words (332 texts).
// Also: the tiny Marian en→es model through translate() (sentences per second), and cold start and
// peak memory: each measurement is a fresh Node process (time from process start to the first
// answer, peak RSS), the cases alternating run by run — identifyLanguage on texts of five scripts
// beside tinyld, eld (each database) and fastText alone.
//   node bench/text.mjs               → results/text.{json,md}
//   node bench/text.mjs --cold-start  → only the cold-start part, printed
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLanguageIdentifier, createTranslator } from '@ondevice/text';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const textPkg = join(root, 'packages/text');
const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');
const PASSES = Number(process.env.BENCH_RUNS ?? 10);

// ---- Cold start and peak RSS, one process per measurement, alternating. ----
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const COLD_TEXTS = {
  Latin: 'Das ist ein kleines Haus.',
  'Latin, one word': 'Bibliothek',
  Cyrillic: 'Это маленький дом.',
  Han: '我们今天去公园。',
  Arabic: 'هذا بيت صغير.',
  Hangul: '작은 집입니다.',
};
const distUrl = pathToFileURL(join(textPkg, 'dist', 'index.js')).href;
const COLD_CASES = [
  ...Object.entries(COLD_TEXTS).map(([script, t]) => ({
    name: 'ours: identifyLanguage',
    script,
    code: `const { identifyLanguage } = await import(${JSON.stringify(distUrl)}); const r = (await identifyLanguage(${JSON.stringify(t)}))[0].language;`,
  })),
  {
    name: 'tinyld alone',
    script: 'Latin',
    code: `const tiny = await import('tinyld'); const r = tiny.detect(${JSON.stringify(COLD_TEXTS.Latin)});`,
  },
  ...['extrasmall', 'small', 'medium', 'large'].map((db) => ({
    name: `eld ${db} alone`,
    script: 'Latin',
    code: `const { eld } = await import('eld/${db}'); const r = eld.detect(${JSON.stringify(COLD_TEXTS.Latin)}).language;`,
  })),
  {
    name: 'fastText lid.176 alone',
    script: 'Latin',
    code: `const ft = await import('fasttext.wasm.js'); const m = await (await ft.getLIDModel()).load(); const v = m.predict(${JSON.stringify(COLD_TEXTS.Latin)}, 1, 0); const r = v.get(0)[1]; v.delete?.();`,
  },
];
function coldStart() {
  const samples = COLD_CASES.map(() => ({ t: [], rss: [], answer: '' }));
  for (let k = 0; k < COLD_RUNS; k++)
    COLD_CASES.forEach((c, i) => {
      // Peak RSS from VmHWM (this process's own address space): maxRSS would carry over the parent's
      // size at fork time on Linux, so a parent with the engines loaded would inflate every case.
      const src = `${c.code} let rss = process.resourceUsage().maxRSS; try { rss = Number(/VmHWM:\\s+(\\d+)/.exec((await import('node:fs')).readFileSync('/proc/self/status', 'utf8'))[1]); } catch {} console.log(JSON.stringify({ t: performance.now(), rss, r }));`;
      // cwd: the text package, so the peers resolve to the copies it depends on.
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', src], {
        cwd: textPkg,
        encoding: 'utf8',
      });
      const m = JSON.parse(out.trim().split('\n').pop());
      samples[i].t.push(m.t / 1000);
      samples[i].rss.push(m.rss / 1024);
      samples[i].answer = String(m.r);
    });
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const rows = COLD_CASES.map((c, i) => ({
    name: c.name,
    script: c.script,
    seconds: Math.round(med(samples[i].t) * 100) / 100,
    peakRssMB: Math.round(med(samples[i].rss)),
    answer: samples[i].answer,
  }));
  const base = (n) => rows.find((r) => r.name === n && r.script === 'Latin');
  const tiny = base('tinyld alone');
  const md = `| case | text | cold start (s) | × tinyld | peak RSS (MB) | × tinyld | answer |
|---|---|---|---|---|---|---|
${rows
  .map(
    (r) =>
      `| ${r.name} | ${r.script} | ${r.seconds.toFixed(2)} | ${(r.seconds / tiny.seconds).toFixed(2)} | ${r.peakRssMB} | ${(r.peakRssMB / tiny.peakRssMB).toFixed(2)} | ${r.answer} |`,
  )
  .join('\n')}

Median of ${COLD_RUNS} fresh processes per case, cases alternating run by run.`;
  return { runs: COLD_RUNS, rows, md };
}
if (process.argv.includes('--cold-start')) {
  console.log(coldStart().md);
  process.exit(0);
}

const read = (f) =>
  readFileSync(join(datasets, 'language', 'langid', f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).text);
const full = [...read('tatoeba_langid.jsonl'), ...read('udhr_article1_langid.jsonl')];
const texts = [...full, ...full.slice(0, 150).map((t) => t.split(/\s+/).slice(0, 2).join(' '))];

// The peers, imported from the copies @ondevice/text depends on.
const mod = (p) => import(pathToFileURL(join(textPkg, 'node_modules', p)).href);
const tinyld = await mod('tinyld/dist/tinyld.normal.node.mjs');
const { eld } = await mod('eld/src/entries/static.large.js');
const ftMod = await mod('fasttext.wasm.js/dist/main/node.mjs');
const lid = await ftMod.getLIDModel();
const ftModel = await lid.load();

const peers = {
  'tinyld detectAll (raw)': (t) => tinyld.detectAll(t),
  'eld large detect (raw)': (t) => eld.detect(t).getScores(),
  'fastText predict (raw)': (t) => {
    // Read the 12 (probability, label) pairs, as any caller must, and free the vector.
    const v = ftModel.predict(t.replace(/\s+/g, ' '), 12, 0);
    const out = [];
    for (let i = 0; i < v.size(); i++) out.push(v.get(i));
    v.delete?.();
    return out;
  },
};
const ours = {};
for (const engine of ['combined', 'fasttext', 'tinyld', 'eld'])
  ours[engine] = await createLanguageIdentifier({ engine });

function timeSync(fn) {
  const t0 = performance.now();
  for (const t of texts) fn(t);
  return performance.now() - t0;
}
async function timeOurs(id) {
  const t0 = performance.now();
  await id.identifyMany(texts);
  return performance.now() - t0;
}

const names = [...Object.keys(ours).map((n) => `ours: ${n}`), ...Object.keys(peers)];
const totals = Object.fromEntries(names.map((n) => [n, []]));
for (let pass = -2; pass < PASSES; pass++) {
  for (const [n, id] of Object.entries(ours)) {
    const ms = await timeOurs(id);
    if (pass >= 0) totals[`ours: ${n}`].push(ms);
  }
  for (const [n, fn] of Object.entries(peers)) {
    const ms = timeSync(fn);
    if (pass >= 0) totals[n].push(ms);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rows = names.map((n) => {
  const ms = median(totals[n]);
  return {
    name: n,
    usPerText: Math.round((ms / texts.length) * 1000),
    textsPerSecond: Math.round(texts.length / (ms / 1000)),
  };
});
const us = Object.fromEntries(rows.map((r) => [r.name, r.usPerText]));
const rawSum = us['tinyld detectAll (raw)'] + us['eld large detect (raw)'] + us['fastText predict (raw)'];

// Translation: the tiny model (its own vocabulary only) on its held-out sentences.
const heldout = readFileSync(join(textPkg, '../text-demo-model/tiny-marian-en-es/heldout.tsv'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 100)
  .map((l) => l.split('\t')[0]);
const translator = await createTranslator({ from: 'en', to: 'es', model: 'tiny-marian-en-es' });
await translator.translate(heldout.slice(0, 8));
const t0 = performance.now();
await translator.translate(heldout);
const trSeconds = (performance.now() - t0) / 1000;
translator.dispose();

// Last, so the warm passes above are not measured beside child processes.
const cold = coldStart();

const result = {
  date: new Date().toISOString(),
  machine: `${process.platform} ${process.arch}, node ${process.version}`,
  texts: texts.length,
  passes: PASSES,
  langid: rows,
  combinedVsSumOfRawPeers: Math.round((us['ours: combined'] / rawSum) * 100) / 100,
  translation: {
    model: 'tiny-marian-en-es',
    sentences: heldout.length,
    sentencesPerSecond: Math.round((heldout.length / trSeconds) * 10) / 10,
  },
  coldStart: { runs: cold.runs, rows: cold.rows },
};
writeFileSync(join(here, 'results/text.json'), `${JSON.stringify(result, null, 2)}\n`);
const md = `# Text: language identification speed

${result.machine}; ${texts.length} texts (182 langid samples + 150 two-word prefixes), median of ${PASSES} passes after 2 warm-up passes, engines alternating.

| engine | µs per text | texts per second |
|---|---|---|
${rows.map((r) => `| ${r.name} | ${r.usPerText} | ${r.textsPerSecond} |`).join('\n')}

The combined identifier runs the engines its fitted cell for the text uses (at most all three): its time over the sum of the
three raw peers is **${result.combinedVsSumOfRawPeers}×** (the rest is the script check, the vote and text preparation).

## Cold start and peak memory

${cold.md}

Translation, tiny Marian en→es (transformers.js, onnxruntime-node, batch 8): ${result.translation.sentencesPerSecond} sentences/s on ${heldout.length} held-out template sentences.
`;
writeFileSync(join(here, 'results/text.md'), md);
console.log(md);
for (const id of Object.values(ours)) id.dispose();
