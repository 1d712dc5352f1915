#!/usr/bin/env node
// Every shipped head (the project's heads/*.json and openWakeWord's built-ins) over the synthetic
// nuisance signals (scripts/nuisance-signals.mjs), over real non-keyword speech (the shared
// keyword-spotting set: every Porcupine recording as recorded and with 1 s of zeros around it, and
// the Speech Commands clips of other words), and over the real positives we have.
//   node scripts/eval-nuisance.mjs [--heads dir] [--dist dir] [--json out.json]
// (after `pnpm run build`). Prints one row per head.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeAudio } from '@ondevice/core';
import { nuisanceSignals, zeroPadded } from './nuisance-signals.mjs';

const { values } = parseArgs({
  options: {
    heads: { type: 'string', default: new URL('../heads', import.meta.url).pathname },
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    json: { type: 'string' },
  },
});
const { createKeywordSpotter, keywordHeadFromJson } = await import(
  pathToFileURL(resolve(values.dist, 'index.js')).href
);
const DATA = process.env.ONDEVICE_DATASETS ?? '/work/shared/datasets';
const KWS = join(DATA, 'keyword_spotting');
const OWW = ['hey_jarvis', 'alexa', 'hey_mycroft', 'hey_rhasspy', 'timer', 'weather'];
const own = readdirSync(values.heads)
  .filter((f) => f.endsWith('.json') && f !== 'negatives.json')
  .map((f) => keywordHeadFromJson(readFileSync(join(values.heads, f), 'utf8')));
const spotter = await createKeywordSpotter({ keywords: [...own, ...OWW], runtime: 'node' });
const labels = spotter.keywords;
/** Which head a label belongs to (timer's six labels are one head). */
const headOf = (label) => (label.endsWith('_timer') ? 'timer' : label);
const heads = [...new Set(labels.map(headOf))];
const row = () => ({ nuisance: [], realFires: 0, realHeldOutFires: 0, paddedClipsFired: 0, positives: [] });
const table = Object.fromEntries(heads.map((h) => [h, row()]));

const spot = (samples) => spotter.spot({ samples, sampleRate: 16000 });

for (const [name, samples] of Object.entries(nuisanceSignals())) {
  for (const d of await spot(samples)) {
    const r = table[headOf(d.keyword)];
    if (!r.nuisance.includes(name)) r.nuisance.push(name);
  }
}

const meta = JSON.parse(readFileSync(join(KWS, 'labels.json'), 'utf8'));
const realAlexa = (file, d) =>
  file === 'porcupine/en_multiple_keywords.wav' &&
  d.keyword === 'alexa' &&
  d.endTime > 7.3 &&
  d.endTime < 9.3;
/** Never trained or calibrated on by scripts/train-keyword.mjs. */
const HELD_OUT = new Set(['porcupine/en_multiple_keywords.wav', 'porcupine/en_porcupine.wav']);
let speechSeconds = 0;
let heldOutSeconds = 0;
for (const { file } of meta.filter((m) => m.file.startsWith('porcupine/'))) {
  const { samples } = await decodeAudio(join(KWS, file), { sampleRate: 16000 });
  speechSeconds += samples.length / 16000;
  if (HELD_OUT.has(file)) heldOutSeconds += samples.length / 16000;
  for (const d of await spot(samples)) {
    if (realAlexa(file, d)) {
      table.alexa.positives.push(`${file}@${d.endTime}`);
      continue;
    }
    table[headOf(d.keyword)].realFires++;
    if (HELD_OUT.has(file)) table[headOf(d.keyword)].realHeldOutFires++;
  }
  const fired = new Set();
  for (const d of await spot(zeroPadded(samples))) {
    if (!realAlexa(file, { ...d, endTime: d.endTime - 1 })) fired.add(headOf(d.keyword));
  }
  for (const h of fired) table[h].paddedClipsFired++;
}

// Speech Commands: a clip of word w is a positive for head w and non-keyword speech for the rest.
const COMMANDS = [
  ['arm_ml_eval_kit/yes.wav', ['yes']],
  ['arm_ml_eval_kit/down.wav', ['down']],
  ['tflite_micro/yes_1000ms.wav', ['yes']],
  ['tflite_micro/no_1000ms.wav', ['no']],
  ['tflite_micro/silence_1000ms.wav', []],
  ['tflite_micro/noise_1000ms.wav', []],
  ['arm_ml_eval_kit/right_left_up.wav', ['right', 'left', 'up']],
  ['arm_ml_eval_kit/yes_no_go_stop.wav', ['yes', 'no', 'go', 'stop']],
];
let commandSeconds = 0;
const sequences = {};
for (const [file, words] of COMMANDS) {
  const { samples } = await decodeAudio(join(KWS, file), { sampleRate: 16000 });
  commandSeconds += samples.length / 16000;
  const found = await spot(samples);
  sequences[file] = found.map((d) => d.keyword).join(' ');
  const left = [...words];
  for (const d of found) {
    const slot = Math.min(words.length - 1, Math.floor((d.endTime - 0.0001) / 1));
    const i = left.indexOf(d.keyword);
    // A positive when the word is in the clip (and, in a concatenation, its 1 s slot is not later).
    if (i >= 0 && (words.length === 1 || words.indexOf(d.keyword) <= slot)) {
      table[d.keyword].positives.push(`${file}@${d.endTime}`);
      left.splice(i, 1);
    } else table[headOf(d.keyword)].realFires++;
  }
}
await spotter.dispose();

const minutes = (speechSeconds + commandSeconds) / 60;
console.log(
  `real non-keyword speech: ${speechSeconds.toFixed(1)} s Porcupine + ${commandSeconds.toFixed(1)} s Speech Commands = ${minutes.toFixed(2)} min; held out from training: ${heldOutSeconds.toFixed(1)} s`,
);
console.log(
  'head | real positives | false alarms (all real) | per min | held-out en fires | zero-padded clips fired /19 | nuisance signals fired',
);
for (const h of heads) {
  const r = table[h];
  console.log(
    `${h} | ${r.positives.length} | ${r.realFires} | ${(r.realFires / minutes).toFixed(2)} | ${r.realHeldOutFires} | ${r.paddedClipsFired} | ${r.nuisance.length ? r.nuisance.join(', ') : '0'}`,
  );
}
console.log('command clips heard as:', sequences);
if (values.json)
  writeFileSync(values.json, JSON.stringify({ minutes, heldOutSeconds, table, sequences }, null, 1));
