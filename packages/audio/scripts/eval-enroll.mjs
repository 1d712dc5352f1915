#!/usr/bin/env node
// Enrolment on real takes (the only real repeated words in the shared keyword-spotting set):
//   - murciélago: enrol from the first take of es_murcielago.wav, find the held-out second take;
//   - porcupine: enrol from en_porcupine.wav, find the two occurrences in en_multiple_keywords.wav.
// False alarms: every other detection on held-out real speech (Porcupine recordings not in the
// enrolment bank: es, pt, zh, en), plus the synthetic nuisance signals.
//   node scripts/eval-enroll.mjs (after `pnpm run build`)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudio } from '@ondevice/core';
import { createKeywordSpotter, enrollKeyword } from '../dist/index.js';
import { nuisanceSignals, zeroPadded } from './nuisance-signals.mjs';

const KWS = join(process.env.ONDEVICE_DATASETS ?? '/work/shared/datasets', 'keyword_spotting');
const wav = async (f) =>
  (await decodeAudio(join(KWS, 'porcupine', `${f}.wav`), { sampleRate: 16000 })).samples;
const HELD_OUT = [
  'es_multiple_keywords',
  'es_manzana',
  'pt_multiple_keywords',
  'pt_fenomeno',
  'zh_multiple_keywords',
  'zh_haozhu',
  'en_multiple_keywords',
  'en_porcupine',
];

/** `exclude`: files not counted as held-out speech (the enrolment source); `occurrences`: real
 * occurrences of the keyword in a held-out file, whose detections are not false alarms. */
async function evaluate(name, examples, positives, { exclude = [], occurrences = {} } = {}) {
  const t0 = Date.now();
  const head = await enrollKeyword({
    name,
    examples: examples.map((samples) => ({ samples, sampleRate: 16000 })),
  });
  const took = (Date.now() - t0) / 1000;
  const spotter = await createKeywordSpotter({ keywords: [head], runtime: 'node' });
  let found = 0;
  let falseAlarms = 0;
  let seconds = 0;
  const where = [];
  for (const [file, samples] of positives) {
    const ds = await spotter.spot({ samples, sampleRate: 16000 });
    found += Math.min(ds.length, 1);
    falseAlarms += Math.max(0, ds.length - 1);
    where.push(`${file}: ${ds.map((d) => `${d.endTime}(${d.score.toFixed(2)})`).join(' ')}`);
  }
  for (const f of HELD_OUT) {
    if (exclude.includes(f)) continue;
    const s = await wav(f);
    seconds += s.length / 16000;
    for (const clip of [s, zeroPadded(s)]) {
      const shift = clip === s ? 0 : 1;
      const ds = (await spotter.spot({ samples: clip, sampleRate: 16000 })).filter(
        (d) => !(occurrences[f] ?? []).some(([a, b]) => d.endTime - shift > a && d.endTime - shift < b + 2.1),
      );
      falseAlarms += ds.length;
      if (ds.length) where.push(`${f}${clip === s ? '' : ' (padded)'}: ${ds.length}`);
    }
  }
  let nuisance = 0;
  for (const [signal, samples] of Object.entries(nuisanceSignals())) {
    const n = (await spotter.spot({ samples, sampleRate: 16000 })).length;
    nuisance += n;
    if (n) where.push(`${signal}: ${n}`);
  }
  await spotter.dispose();
  console.log(
    JSON.stringify({
      name,
      threshold: head.threshold,
      enrolSeconds: Number(took.toFixed(1)),
      found: `${found}/${positives.length}`,
      falseAlarms,
      heldOutSeconds: Number(seconds.toFixed(1)),
      falseAlarmsPerMinute: Number(((falseAlarms / (2 * seconds)) * 60).toFixed(2)),
      nuisanceFires: nuisance,
      where,
    }),
  );
}

// es_murcielago holds two takes: enrol from 0.3–2.0 s, find the one after 2.3 s (as the test does).
const murci = await wav('es_murcielago');
const takes = [murci.slice(0.3 * 16000, 2.0 * 16000), murci.slice(2.3 * 16000)];
const only = process.env.ONLY;
if (!only || only === 'murcielago')
  await evaluate('murcielago', [takes[0]], [['es_murcielago (take 2)', takes[1]]], {
    exclude: ['es_murcielago'],
  });
// en_multiple_keywords: porcupine at 5.11–6.54 s and again later; each cut with 1 s around it.
const times = JSON.parse(readFileSync(join(KWS, 'en_multiple_keywords.times.json'), 'utf8'));
const multi = await wav('en_multiple_keywords');
const occ = times.occurrences.filter((o) => o.keyword === 'porcupine');
if (!only || only === 'porcupine')
  await evaluate(
    'porcupine',
    [await wav('en_porcupine')],
    occ.map((o, i) => [
      `en_multiple_keywords porcupine #${i + 1}`,
      multi.subarray(Math.round((o.start_s - 1) * 16000), Math.round((o.end_s + 1) * 16000)),
    ]),
    {
      exclude: ['en_porcupine'],
      occurrences: { en_multiple_keywords: occ.map((o) => [o.start_s, o.end_s]) },
    },
  );
