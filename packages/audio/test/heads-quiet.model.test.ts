// Every shipped head — the project's own (heads/*.json) and openWakeWord's built-ins — stays quiet
// on signals that are not speech (digital silence, DC offset, clipping, noise, tones, room tone) and
// on the real non-keyword speech of the shared keyword-spotting set, as recorded and zero-padded.
import { readFileSync } from 'node:fs';
import { decodeAudio } from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript shared with the scripts (no types).
import { nuisanceSignals, zeroPadded } from '../scripts/nuisance-signals.mjs';
import { OPEN_KEYWORDS } from '../src/custom-keywords/head.js';
import {
  createKeywordSpotter,
  type KeywordDetection,
  type KeywordSpotter,
  OPENWAKEWORD_WAKE_WORDS,
} from '../src/index.js';

const SHIPPED = [...OPEN_KEYWORDS, ...OPENWAKEWORD_WAKE_WORDS, 'timer', 'weather'] as const;
/**
 * Measured exceptions (README "Every shipped head"): the heads that do not reach the bar yet, and
 * exactly where they fire. Everything else must stay silent; a new fire or a fixed one fails here.
 */
const KNOWN_NUISANCE_FIRES: Record<string, string[]> = {};
/**
 * Fires on the real non-keyword speech (19 Porcupine recordings, as recorded + zero-padded), per
 * head, as measured after the issue #20 retraining (before: down 11, on 5, left 4, off 2, yes 2,
 * no 2, stop 1, hey_ondevice 1).
 */
const REAL_FIRE_CEILING: Record<string, number> = {
  off: 2,
  right: 2,
  left: 1,
  up: 1,
  stop: 1,
  hey_ondevice: 1,
};
/** Detections of a head of another word on the 8 Speech Commands clips (13 s). */
const SPEECH_COMMANDS_WRONG_CEILING = 2;
/** Measured: nothing fires on TFLite Micro's real 1 s "silence" and "noise" recordings (before issue #20's retraining `yes` did, 0.82). */
const KNOWN_SILENCE_CLIP_FIRES: string[] = [];
const brief = (ds: KeywordDetection[]) => ds.map((d) => `${d.keyword}@${d.endTime}(${d.score.toFixed(2)})`);

let spotter: KeywordSpotter;
beforeAll(async () => {
  spotter = await createKeywordSpotter({ keywords: [...new Set(SHIPPED)] as never, runtime: 'node' });
});
afterAll(async () => {
  await spotter?.dispose();
});

describe('every shipped head on nuisance signals', () => {
  const signals = Object.entries(nuisanceSignals() as Record<string, Float32Array>);

  it('covers the project heads, the openWakeWord heads and every kind of signal', () => {
    expect(spotter.keywords).toEqual(expect.arrayContaining(['hey_ondevice', 'right', 'left', 'alexa']));
    expect(signals.length).toBeGreaterThanOrEqual(15);
  });

  it.each(signals)('fires nothing on %s (3 s, as a whole clip)', async (name, samples) => {
    const found = await spotter.spot({ samples, sampleRate: 16000 });
    const heads = [...new Set(found.map((d) => d.keyword))].sort();
    const known = Object.keys(KNOWN_NUISANCE_FIRES)
      .filter((h) => KNOWN_NUISANCE_FIRES[h]!.includes(name))
      .sort();
    if (heads.length) console.log(`${name}:`, brief(found));
    expect(heads).toEqual(known);
  });

  it('fires nothing on 10 s of digital silence streamed in odd chunks', async () => {
    await spotter.reset();
    const found: KeywordDetection[] = [];
    const z = new Float32Array(777);
    for (let i = 0; i < 206; i++) found.push(...(await spotter.process(z)));
    found.push(...(await spotter.flush()));
    expect(brief(found)).toEqual([]);
  });
});

describe('every shipped head on real non-keyword speech', () => {
  const labels = JSON.parse(readFileSync(datasetPath('keyword_spotting', 'labels.json'), 'utf8')) as {
    file: string;
  }[];
  const porcupine = labels.map((l) => l.file).filter((f) => f.startsWith('porcupine/'));
  /** Porcupine's own test armed "alexa" on this recording: a real spoken alexa at ≈ 7.5–8.2 s. */
  const realAlexa = (file: string, d: KeywordDetection, offset: number) =>
    file === 'porcupine/en_multiple_keywords.wav' &&
    d.keyword === 'alexa' &&
    d.endTime - offset > 7.3 &&
    d.endTime - offset < 9.3;

  it('19 Porcupine recordings (8 languages), as recorded and with 1 s of zeros around them: within the measured ceilings', async () => {
    const fires: string[] = [];
    let seconds = 0;
    for (const file of porcupine) {
      const { samples } = await decodeAudio(datasetPath('keyword_spotting', file), { sampleRate: 16000 });
      seconds += samples.length / 16000;
      for (const [offset, clip] of [
        [0, samples],
        [1, zeroPadded(samples) as Float32Array],
      ] as const) {
        const found = await spotter.spot({ samples: clip, sampleRate: 16000 });
        for (const d of found.filter((x) => !realAlexa(file, x, offset)))
          fires.push(`${file}${offset ? ' (padded)' : ''}: ${brief([d])[0]}`);
      }
    }
    console.log(`real non-keyword speech: ${seconds.toFixed(1)} s ×2; fires:`, fires);
    expect(seconds).toBeGreaterThan(125);
    const perHead: Record<string, number> = {};
    for (const f of fires) {
      const k = f.split(': ')[1]!.split('@')[0]!;
      perHead[k] = (perHead[k] ?? 0) + 1;
    }
    for (const k of spotter.keywords)
      expect(perHead[k] ?? 0, k).toBeLessThanOrEqual(REAL_FIRE_CEILING[k] ?? 0);
  });

  it('Speech Commands clips: heads of other words, and on silence or noise, within the measured exceptions', async () => {
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
    const wrong: string[] = [];
    for (const [file, words] of clips) {
      const found = await spotter.spot(datasetPath('keyword_spotting', file));
      for (const d of found.filter((x) => !words.includes(x.keyword)))
        wrong.push(`${file}: ${brief([d])[0]}`);
    }
    console.log('Speech Commands, heads of other words firing:', wrong);
    expect(wrong.length).toBeLessThanOrEqual(SPEECH_COMMANDS_WRONG_CEILING);
    // Nothing at all on the silence and noise clips.
    expect(wrong.filter((w) => /silence|noise/.test(w)).map((w) => w.split('@')[0])).toEqual(
      KNOWN_SILENCE_CLIP_FIRES,
    );
  });
});
