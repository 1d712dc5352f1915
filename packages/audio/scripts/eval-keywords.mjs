#!/usr/bin/env node
// Evaluates keyword heads (JSON) on the real recordings of the shared keyword-spotting set:
//   node scripts/eval-keywords.mjs multiple <dir-with-picovoice-word-heads>
//   node scripts/eval-keywords.mjs commands <dir-with-command-heads>
// `multiple`: the English 45 s Porcupine recording, 9 occurrences of 8 keywords, machine-aligned
// times; a detection is a hit when an unmatched occurrence of its keyword ends inside the span the
// head judged ([endTime − 2.1 s, endTime]) and began before the detection; anything else is a
// false alarm.
// `commands`: Speech Commands clips (Arm kit, TFLite Micro), each padded with 1.5 s of low noise
// before (the spotter ignores the first second) and 1 s after.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudio } from '@ondevice/core';
import { createKeywordSpotter, keywordHeadFromJson } from '../dist/index.js';

const DATA = process.env.ONDEVICE_DATASETS ?? '/work/shared/datasets';
const KWS = join(DATA, 'keyword_spotting');
const [mode, dir] = process.argv.slice(2);
const heads = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'negatives.json')
  .map((f) => keywordHeadFromJson(readFileSync(join(dir, f), 'utf8')));

export function matchOccurrences(detections, occurrences) {
  const used = new Set();
  let hits = 0;
  const falseAlarms = [];
  for (const d of detections) {
    const i = occurrences.findIndex(
      (o, j) => !used.has(j) && o.keyword === d.keyword && o.start_s < d.endTime && o.end_s > d.endTime - 2.1,
    );
    if (i >= 0) {
      used.add(i);
      hits++;
    } else falseAlarms.push(d);
  }
  return { hits, falseAlarms, missed: occurrences.filter((_, j) => !used.has(j)) };
}

function pad(samples, before = 1.5, after = 1.0) {
  const out = new Float32Array(samples.length + Math.round((before + after) * 16000));
  let s = 12345;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = ((s / 4294967296) * 2 - 1) * 3e-4;
  }
  out.set(samples, Math.round(before * 16000));
  return out;
}

const spotter = await createKeywordSpotter({ keywords: heads, runtime: 'node' });
if (mode === 'multiple') {
  const times = JSON.parse(readFileSync(join(KWS, 'en_multiple_keywords.times.json'), 'utf8'));
  const wanted = new Set(heads.map((h) => h.labels[0]));
  const occ = times.occurrences.filter((o) => wanted.has(o.keyword));
  const det = await spotter.spot(join(KWS, 'porcupine/en_multiple_keywords.wav'));
  const r = matchOccurrences(det, occ);
  const minutes = 45.502 / 60;
  console.log(
    JSON.stringify({ detections: det.map((d) => [d.keyword, +d.score.toFixed(3), +d.endTime.toFixed(2)]) }),
  );
  console.log(
    `hits ${r.hits}/${occ.length}, false alarms ${r.falseAlarms.length} (${(r.falseAlarms.length / minutes).toFixed(1)}/min); missed ${r.missed.map((m) => m.keyword).join(', ')}`,
  );
} else {
  const clips = [
    ['arm_ml_eval_kit/yes.wav', ['yes']],
    ['arm_ml_eval_kit/down.wav', ['down']],
    ['tflite_micro/yes_1000ms.wav', ['yes']],
    ['tflite_micro/no_1000ms.wav', ['no']],
    ['tflite_micro/silence_1000ms.wav', []],
    ['tflite_micro/noise_1000ms.wav', []],
    ['arm_ml_eval_kit/right_left_up.wav', ['right', 'left', 'up']],
    ['arm_ml_eval_kit/yes_no_go_stop.wav', ['yes', 'no', 'go', 'stop']],
  ];
  for (const [file, expected] of clips) {
    const { samples } = await decodeAudio(join(KWS, file), { sampleRate: 16000 });
    const maxima = {};
    const s2 = await createKeywordSpotter({
      keywords: heads,
      runtime: 'node',
      onScores: (_t, scores) => {
        for (const [k, v] of Object.entries(scores)) maxima[k] = Math.max(maxima[k] ?? 0, v);
      },
    });
    const det = await s2.spot({ samples: pad(samples), sampleRate: 16000 });
    await s2.dispose();
    const got = det.map((d) => d.keyword);
    const top = Object.entries(maxima)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k}:${v.toFixed(3)}`);
    console.log(
      `${file}: expected [${expected}] got [${got}] ${JSON.stringify(got) === JSON.stringify(expected) ? 'OK' : 'WRONG'}  top ${top.join(' ')}`,
    );
  }
}
await spotter.dispose();
