import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudio } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript shared with the scripts (no types).
import { nuisanceSignals } from '../scripts/nuisance-signals.mjs';
import { enrollKeyword } from '../src/custom-keywords/enroll-keyword.js';
import {
  keywordHeadFromJson,
  loadOpenKeywordHead,
  OPEN_KEYWORDS,
  type SerializableKeywordHead,
} from '../src/custom-keywords/head.js';
import { createSpeechEmbedder, type SpeechEmbedder } from '../src/spot-keywords/embeddings.js';
import type { KeywordDetection } from '../src/spot-keywords/result.js';
import { createKeywordSpotter } from '../src/spot-keywords/spot-keywords.js';

// Measured figures (README "Custom keywords") — floors sit a little below them.
const KWS = datasetPath('keyword_spotting');
const porcupine = (f: string) => join(KWS, 'porcupine', `${f}.wav`);
const MULTIPLE_MINUTES = 45.502 / 60;

interface Occurrence {
  keyword: string;
  start_s: number;
  end_s: number;
}

/** Hit = an unmatched occurrence of the keyword began before the detection and ends inside the span the head judged. */
function match(detections: KeywordDetection[], occurrences: Occurrence[]) {
  const used = new Set<number>();
  let hits = 0;
  let falseAlarms = 0;
  for (const d of detections) {
    const i = occurrences.findIndex(
      (o, j) => !used.has(j) && o.keyword === d.keyword && o.start_s < d.endTime && o.end_s > d.endTime - 2.1,
    );
    if (i >= 0) {
      used.add(i);
      hits++;
    } else falseAlarms++;
  }
  return { hits, falseAlarms };
}

/** 1.5 s of low noise before (the spotter ignores its first second) and 1 s after. */
async function padded(file: string): Promise<{ samples: Float32Array; sampleRate: number }> {
  const { samples } = await decodeAudio(file, { sampleRate: 16_000 });
  const out = new Float32Array(samples.length + 40_000);
  let s = 12345;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = ((s / 4294967296) * 2 - 1) * 3e-4;
  }
  out.set(samples, 24_000);
  return { samples: out, sampleRate: 16_000 };
}

describe('custom keywords on real speech', () => {
  let embedder: SpeechEmbedder;
  beforeAll(async () => {
    embedder = await createSpeechEmbedder({ runtime: 'node' });
  });
  afterAll(async () => {
    await embedder.dispose();
  });

  it('ships every open head as Apache-2.0 JSON that loads like a built-in', async () => {
    for (const name of OPEN_KEYWORDS) {
      const head = await loadOpenKeywordHead(name);
      expect(head.labels).toEqual([name]);
      expect(head.license).toBe('Apache-2.0');
      expect(head.windowSize).toBe(16);
      expect(head.threshold).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('text-trained heads find the keywords of the real English recording (threshold set without it)', async () => {
    const dir = join(import.meta.dirname, 'fixtures', 'text-heads');
    const heads = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => keywordHeadFromJson(readFileSync(join(dir, f), 'utf8')));
    const times = JSON.parse(readFileSync(join(KWS, 'en_multiple_keywords.times.json'), 'utf8')) as {
      occurrences: Occurrence[];
    };
    const spotter = await createKeywordSpotter({ keywords: heads, runtime: 'node' });
    const detections = await spotter.spot(porcupine('en_multiple_keywords'));
    await spotter.dispose();
    const r = match(detections, times.occurrences);
    console.log(
      `[text heads on en_multiple_keywords] hits ${r.hits}/9, false alarms ${r.falseAlarms} (${(r.falseAlarms / MULTIPLE_MINUTES).toFixed(1)}/min)`,
    );
    expect(r.hits).toBeGreaterThanOrEqual(HITS_FLOOR);
    expect(r.falseAlarms).toBeLessThanOrEqual(FALSE_ALARM_CEILING);
  });

  it('the wake phrase head stays quiet on real English speech it never saw', async () => {
    const head = await loadOpenKeywordHead('hey_ondevice');
    const spotter = await createKeywordSpotter({ keywords: [head], runtime: 'node' });
    let falseAlarms = 0;
    for (const f of ['en_multiple_keywords', 'en_porcupine'])
      falseAlarms += (await spotter.spot(porcupine(f))).length;
    await spotter.dispose();
    console.log(`[hey_ondevice] false alarms on 49.4 s of real English speech: ${falseAlarms}`);
    expect(falseAlarms).toBeLessThanOrEqual(WAKE_FALSE_ALARM_CEILING);
  });

  it('spoken-command heads on real Speech Commands clips', async () => {
    const heads: SerializableKeywordHead[] = [];
    for (const name of OPEN_KEYWORDS)
      if (name !== 'hey_ondevice') heads.push(await loadOpenKeywordHead(name));
    const clips: [string, string[]][] = [
      ['arm_ml_eval_kit/yes.wav', ['yes']],
      ['arm_ml_eval_kit/down.wav', ['down']],
      ['tflite_micro/yes_1000ms.wav', ['yes']],
      ['tflite_micro/no_1000ms.wav', ['no']],
      ['tflite_micro/silence_1000ms.wav', []],
      ['tflite_micro/noise_1000ms.wav', []],
      ['arm_ml_eval_kit/right_left_up.wav', ['right', 'left', 'up']],
      ['arm_ml_eval_kit/yes_no_go_stop.wav', ['yes', 'no', 'go', 'stop']],
    ];
    let wordsFound = 0;
    let wrong = 0;
    let exact = 0;
    let argmaxRight = 0;
    for (const [file, expected] of clips) {
      const trace: [number, Record<string, number>][] = [];
      const spotter = await createKeywordSpotter({
        keywords: heads,
        runtime: 'node',
        onScores: (t, scores) => trace.push([t, { ...scores }]),
      });
      const got = (await spotter.spot(await padded(join(KWS, file)))).map((d) => d.keyword);
      await spotter.dispose();
      // Closed-set reading: in each 1 s slot (+0.3 s), the head with the highest score.
      const slots = expected.map((_, i) => {
        const best: Record<string, number> = {};
        for (const [t, sc] of trace) {
          if (t < 1.5 + i + 0.3 || t > 1.5 + i + 1.3) continue;
          for (const [k, v] of Object.entries(sc)) best[k] = Math.max(best[k] ?? 0, v);
        }
        return Object.entries(best).sort((a, b) => b[1] - a[1])[0]?.[0];
      });
      slots.forEach((k, i) => {
        if (k === expected[i]) argmaxRight++;
      });
      console.log(`[commands] ${file}: expected [${expected}] detected [${got}] argmax per slot [${slots}]`);
      const left = [...expected];
      for (const g of got) {
        const i = left.indexOf(g);
        if (i >= 0) {
          left.splice(i, 1);
          wordsFound++;
        } else wrong++;
      }
      if (JSON.stringify(got) === JSON.stringify(expected)) exact++;
    }
    console.log(
      `[commands] detected ${wordsFound}/11 words, wrong detections ${wrong}, clips exactly right ${exact}/8, argmax per slot ${argmaxRight}/11`,
    );
    expect(wordsFound).toBeGreaterThanOrEqual(WORDS_FLOOR);
    expect(wrong).toBeLessThanOrEqual(WRONG_CEILING);
    expect(argmaxRight).toBeGreaterThanOrEqual(ARGMAX_FLOOR);
  });

  it('enrols a keyword from one real take and finds the held-out take', async () => {
    const { samples } = await decodeAudio(porcupine('es_murcielago'), { sampleRate: 16_000 });
    const take1 = samples.slice(0.3 * 16_000, 2.0 * 16_000);
    const take2 = new Float32Array(samples.length);
    take2.set(samples.subarray(2.3 * 16_000), 24_000);
    const head = await enrollKeyword(
      { name: 'murcielago', examples: [{ samples: take1, sampleRate: 16_000 }] },
      { embedder },
    );
    const revived = keywordHeadFromJson(JSON.parse(JSON.stringify(head)));
    const spotter = await createKeywordSpotter({ keywords: [revived], runtime: 'node' });
    const found = await spotter.spot({ samples: take2, sampleRate: 16_000 });
    // The take cut tight (as a short clip: silence before and after it, no lead of noise) too.
    const tight = await spotter.spot({ samples: samples.slice(2.3 * 16_000), sampleRate: 16_000 });
    // Silence and other non-speech signals never fire it.
    const nuisance: string[] = [];
    for (const [name, clip] of Object.entries(nuisanceSignals() as Record<string, Float32Array>)) {
      const ds = await spotter.spot({ samples: clip, sampleRate: 16_000 });
      if (ds.length) nuisance.push(`${name}: ${ds.map((d) => d.score.toFixed(2)).join(' ')}`);
    }
    let falseAlarms = 0;
    let seconds = 0;
    // Held-out real speech: not in the built-in negative bank.
    for (const f of [
      'es_multiple_keywords',
      'pt_multiple_keywords',
      'zh_multiple_keywords',
      'es_manzana',
      'pt_fenomeno',
      'zh_haozhu',
      'en_multiple_keywords',
      'en_porcupine',
    ]) {
      falseAlarms += (await spotter.spot(porcupine(f))).length;
      seconds += (await decodeAudio(porcupine(f), { sampleRate: 16_000 })).samples.length / 16_000;
    }
    await spotter.dispose();
    console.log(
      `[enrol murcielago] held-out take found ${found.length}, false alarms ${falseAlarms} in ${seconds.toFixed(1)} s`,
    );
    console.log(`[enrol murcielago] tight take found ${tight.length}, non-speech fires`, nuisance);
    expect(found.length).toBe(1);
    expect(tight.length).toBe(1);
    expect(nuisance).toEqual([]);
    expect(falseAlarms).toBeLessThanOrEqual(ENROL_FALSE_ALARM_CEILING);
  }, 300_000);
});

// en_multiple_keywords: measured 9/9 hits, 7 false alarms (9.2/min).
const HITS_FLOOR = 8;
const FALSE_ALARM_CEILING = 9;
// Speech Commands clips with this test's low-noise padding (heads retrained for issue #20 with
// real English speech; the whole-clip reading of the bars is test/commands-real.model.test.ts):
// measured 5/11 words detected, 3 wrong detections (right and go in yes_no_go_stop, left in
// right_left_up), argmax per slot 7/11 (first retraining: 4/11, 1, 7/11; before: 3/11, 1, 5/11).
const WORDS_FLOOR = 5;
const ARGMAX_FLOOR = 7;
const WRONG_CEILING = 3;
// Enrolment (murciélago, one take): measured held-out take found, 4 false alarms in 85 s.
const ENROL_FALSE_ALARM_CEILING = 6;
// hey_ondevice: measured 0 false alarms on 49.4 s of real English speech.
const WAKE_FALSE_ALARM_CEILING = 1;
