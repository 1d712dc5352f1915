#!/usr/bin/env node
// Trains a keyword head from text: espeak-ng, flite and festival speak the phrase in many voices,
// speeds and pitches (sox adds reverb, band limits, tempo and pitch shifts), the spotter's own mel →
// embedding front end embeds it,
// and a small MLP (src/custom-keywords/mlp.ts) is trained against a bank of negatives:
//   - real speech: the non-English Porcupine recordings of the shared keyword-spotting set
//     (de, fr, it, ja, ko; Apache-2.0), slowed/sped/pitched with sox;
//   - synthetic speech: English and other-language sentences, the other keywords, and hard
//     negatives (parts of the phrase, similar-sounding words) spoken by the same synthesisers;
//   - signals that are not speech (digital silence, DC, clipping, noise, tones, hum, clicks), and
//     streams whose edges and pauses are digital silence or very low noise.
//   - real English speech: the training half of Debian's pocketsphinx-testdata and alsa's
//     channel-test voice (which also gives `left` and `right` real positives).
// The threshold is calibrated on real speech never used in training (the es, pt, zh Porcupine
// recordings and the other half of pocketsphinx-testdata), never on the English Porcupine
// recordings or the Speech Commands clips (evaluation only).
//
// Usage (after `pnpm run build` in packages/audio; needs `apt-get install espeak-ng sox`):
//   node scripts/train-keyword.mjs "hey ondevice" [--name hey_ondevice] [--out heads/hey_ondevice.json]
//        [--count 240] [--hard "word,word"] [--seed 1] [--license Apache-2.0] [--trainer numpy|js]
// Writes the head as JSON (load it with keywordHeadFromJson). Licences: espeak-ng is GPL-3.0 (a tool
// run at training time; its speech output is not covered), the real negatives are Apache-2.0.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeAudio } from '@ondevice/core';
import { keywordHeadFromJson } from '../dist/index.js';
import { augmentedStream, createSpeechEmbedder, MlpHead, trainMlp } from '../dist/internals.js';
import { gatherWindows, labelWindows } from '../dist/custom-keywords/augment.js';
import { negativeWindows } from '../dist/custom-keywords/enroll-keyword.js';
import { compactWeights } from '../dist/custom-keywords/head.js';
import { noise, tones } from './nuisance-signals.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const DATA = process.env.ONDEVICE_DATASETS ?? join(pkg, '..', '..', '..', 'shared', 'datasets');
const KWS = join(DATA, 'keyword_spotting', 'porcupine');
const CACHE = process.env.KWS_CACHE ?? join(tmpdir(), 'ondevice-kws-cache');
mkdirSync(CACHE, { recursive: true });

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    out: { type: 'string' },
    count: { type: 'string', default: '240' },
    hard: { type: 'string', default: '' },
    seed: { type: 'string', default: '1' },
    license: { type: 'string', default: 'Apache-2.0' },
    epochs: { type: 'string', default: '20' },
    'exclude-words': { type: 'string', default: '' },
    // `numpy`: scripts/train-mlp.py (Debian's python3-numpy), the same model and optimiser batched;
    // `js`: trainMlp of src/custom-keywords/mlp.ts.
    trainer: { type: 'string', default: 'numpy' },
    projection: { type: 'string', default: '8' },
    hidden: { type: 'string', default: '16' },
  },
});
const phrase = positionals.join(' ').trim();
if (!phrase) {
  console.error('usage: node scripts/train-keyword.mjs "<phrase>" [--name n] [--out file.json]');
  process.exit(2);
}
const name = values.name ?? phrase.toLowerCase().replace(/[^a-z0-9]+/g, '_');
const out = values.out ?? join(pkg, 'heads', `${name}.json`);
const COUNT = Number(values.count);
const SEED = Number(values.seed);

let rs = SEED * 2654435761;
const rand = () => {
  rs = (rs + 0x6d2b79f5) >>> 0;
  let t = rs;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rand() * a.length)];
const between = (a, b) => a + (b - a) * rand();

const VOICES = [
  'en',
  'en-us',
  'en-gb-scotland',
  'en-gb-x-gbclan',
  'en-gb-x-rp',
  'en-gb-x-gbcwmd',
  'en-029',
  'en-us-nyc',
];
const VARIANTS = [
  '',
  '+m1',
  '+m2',
  '+m3',
  '+m4',
  '+m5',
  '+m6',
  '+m7',
  '+f1',
  '+f2',
  '+f3',
  '+f4',
  '+f5',
  '+klatt',
  '+klatt2',
  '+klatt4',
];

// More English speakers than espeak-ng's formant voices: flite's voices (kal, kal16 diphone; awb,
// rms, slt clustergen) and festival's (slt HTS, kal diphone), when installed
// (`apt-get install flite festival festvox-us-slt-hts festvox-kallpc16k`). Every kind of clip —
// positives and negatives alike — is spoken by the same mix, so the engine is no cue.
const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const FLITE_VOICES = has('flite') ? ['kal', 'kal16', 'awb', 'rms', 'slt'] : [];
const FESTIVAL_DIRS = {
  voice_cmu_us_slt_arctic_hts: '/usr/share/festival/voices/us/cmu_us_slt_arctic_hts',
  voice_kal_diphone: '/usr/share/festival/voices/english/kal_diphone',
  // festvox-kdlpc16k: a second American male diphone voice (recorded diphones, not formants).
  voice_ked_diphone: '/usr/share/festival/voices/english/ked_diphone',
};
const FESTIVAL_VOICES = has('text2wave')
  ? Object.keys(FESTIVAL_DIRS).filter((v) => existsSync(FESTIVAL_DIRS[v]))
  : [];

/** Runs one TTS engine into `raw` (a WAV at the engine's own rate). */
function synthesise(engine, text, { voice, speed, pitch }, raw) {
  if (engine === 'flite') {
    execFileSync('flite', [
      '-voice',
      voice,
      '-t',
      text,
      '-o',
      raw,
      '--setf',
      `duration_stretch=${(160 / speed).toFixed(3)}`,
      '--setf',
      `int_f0_target_mean=${Math.round(80 + pitch * 1.6)}`,
    ]);
  } else if (engine === 'festival') {
    execFileSync(
      'text2wave',
      [
        '-eval',
        `(${voice})`,
        '-eval',
        `(Parameter.set 'Duration_Stretch ${(160 / speed).toFixed(3)})`,
        '-o',
        raw,
      ],
      { input: text },
    );
  } else {
    execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '-w', raw, text]);
  }
}

/** A TTS engine (espeak-ng, flite or festival) + sox → a 16 kHz Float32Array of one varied utterance. */
async function speak(
  text,
  { engine = 'espeak', voice, speed, pitch, reverb, lowpass, highpass, tempo, cents = 0 },
) {
  const key = createHash('sha1')
    .update(JSON.stringify([text, voice, speed, pitch, reverb, lowpass, highpass, tempo, engine, cents]))
    .digest('hex');
  const file = join(CACHE, 'tts', `${key}.wav`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const raw = `${file}.raw.wav`;
    synthesise(engine, text, { voice, speed, pitch }, raw);
    const fx = [
      '-r',
      '16000',
      '-c',
      '1',
      '-b',
      '16',
      file,
      'highpass',
      String(highpass),
      'lowpass',
      String(lowpass),
    ];
    if (tempo !== 1) fx.push('tempo', String(tempo));
    if (cents !== 0) fx.push('pitch', String(cents));
    if (reverb > 0) fx.push('reverb', String(reverb), '50', String(Math.round(reverb)));
    execFileSync('sox', [
      '-R',
      '-V1',
      raw,
      ...fx.slice(0, 7),
      'rate',
      '16000',
      'gain',
      '-8',
      ...fx.slice(7),
      'norm',
      '-3',
    ]);
    execFileSync('rm', ['-f', raw]);
  }
  return (await decodeAudio(readFileSync(file), { sampleRate: 16000 })).samples;
}

function randomStyle(english = true) {
  // 45 % espeak-ng, 40 % flite, 15 % festival (English only; other languages are espeak-ng's).
  const r = rand();
  const engine = !english
    ? 'espeak'
    : r < 0.45 || (!FLITE_VOICES.length && !FESTIVAL_VOICES.length)
      ? 'espeak'
      : (r < 0.85 && FLITE_VOICES.length) || !FESTIVAL_VOICES.length
        ? 'flite'
        : 'festival';
  const voice =
    engine === 'flite'
      ? pick(FLITE_VOICES)
      : engine === 'festival'
        ? pick(FESTIVAL_VOICES)
        : english
          ? `${pick(VOICES)}${pick(VARIANTS)}`
          : undefined;
  return {
    engine,
    voice,
    // Speaker variety beyond the engines' voices: sox pitch shift (formants move with it).
    cents: engine === 'espeak' || rand() < 0.4 ? 0 : Math.round(between(-400, 400)),
    speed: Math.round(between(115, 205)),
    pitch: Math.round(between(20, 80)),
    reverb: rand() < 0.5 ? 0 : Math.round(between(10, 70)),
    lowpass: Math.round(between(3400, 7800)),
    highpass: Math.round(between(60, 300)),
    tempo: rand() < 0.6 ? 1 : Number(between(0.85, 1.15).toFixed(2)),
  };
}

async function speakMany(texts, n, { english = true, lang } = {}) {
  const clips = [];
  for (let i = 0; i < n; i++) {
    const style = randomStyle(english);
    if (!english) style.voice = lang ?? 'en';
    clips.push(await speak(pick(texts), style));
  }
  return clips;
}

const embedder = await createSpeechEmbedder({ runtime: 'node' });
const T = 16;
const E = 96;

/** Embeds clips as augmented streams; returns { pos: windows[], neg: windows[] }. */
async function embedClips(clips, seed, { positive }) {
  const pos = [];
  const neg = [];
  for (let i = 0; i < clips.length; i += 12) {
    const stream = augmentedStream(clips.slice(i, i + 12), {
      seed: seed + i,
      snrDb: [5, 40],
      // Leads and gaps are digital silence a third of the time (zero-padded clips), low noise
      // at −100 … −50 dBFS otherwise.
      // Negatives get the same gaps as positives: with shorter gaps, "a long pause before a word"
      // became a cue for the keyword and real isolated words fired every command head.
    });
    const { embeddings, count } = await embedder.embed({ samples: stream.samples, sampleRate: 16000 });
    if (positive) {
      const { rows, labels } = labelWindows(count, stream.segments, { windowSize: T, stepSeconds: 0.08 });
      const all = gatherWindows(embeddings, rows, T);
      labels.forEach((l, j) => {
        (l === 1 ? pos : neg).push(all.slice(j * T * E, (j + 1) * T * E));
      });
    } else {
      // Every window, the leading silence and the silence after the stream included.
      neg.push(...negativeWindows([embeddings], T, 1, 0).map((w) => w.slice()));
    }
  }
  return { pos, neg };
}

/** Cached embedding of a negative bank (Float32 windows), keyed by name. */
async function cachedNegatives(key, make) {
  const file = join(CACHE, `neg-${key}.f32`);
  if (existsSync(file)) {
    const b = readFileSync(file);
    const all = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    return Array.from({ length: all.length / (T * E) }, (_, i) => all.subarray(i * T * E, (i + 1) * T * E));
  }
  const windows = await make();
  const all = new Float32Array(windows.length * T * E);
  windows.forEach((w, i) => {
    all.set(w, i * T * E);
  });
  writeFileSync(file, Buffer.from(all.buffer));
  return windows;
}

const REAL_TRAIN = [
  'de_multiple_keywords',
  'fr_multiple_keywords',
  'it_multiple_keywords',
  'ja_multiple_keywords',
  'ko_multiple_keywords',
  'de_heuschrecke',
  'fr_mon_chouchou',
  'it_cameriere',
  'ja_ringo',
  'ko_bixby',
];
const REAL_CALIBRATION = [
  'es_multiple_keywords',
  'pt_multiple_keywords',
  'zh_multiple_keywords',
  'es_manzana',
  'es_murcielago',
  'pt_fenomeno',
  'zh_haozhu',
];

// Real English speech from Debian packages, when installed (never the evaluation clips of the
// shared set): `pocketsphinx-testdata` (BSD-2; CMU's AN4 "cards" utterances, LibriVox "Sense and
// Sensibility" excerpts, "go forward ten meters", digits) and alsa-utils' channel-test voice in
// /usr/share/sounds/alsa ("Front Left", "Rear Right", …: a real voice saying "left" and "right" last).
// Split by file: the first list is trained on, the second only calibrates thresholds.
const PS = '/usr/share/pocketsphinx/test/data';
const ALSA = '/usr/share/sounds/alsa';
const EN_TRAIN = [
  `${PS}/librivox/sense_and_sensibility_01_austen_64kb-0870.wav`,
  `${PS}/librivox/sense_and_sensibility_01_austen_64kb-0890.wav`,
  `${PS}/librivox/sense_and_sensibility_01_austen_64kb-0920.wav`,
  `${PS}/cards/001.wav`,
  `${PS}/cards/002.wav`,
  `${PS}/cards/003.wav`,
  `${PS}/numbers.raw`,
  `${PS}/goforward.raw`,
  `${ALSA}/Front_Center.wav`,
  `${ALSA}/Rear_Center.wav`,
  `${ALSA}/Front_Left.wav`,
  `${ALSA}/Rear_Left.wav`,
  `${ALSA}/Side_Left.wav`,
  `${ALSA}/Front_Right.wav`,
  `${ALSA}/Rear_Right.wav`,
  `${ALSA}/Side_Right.wav`,
].filter((f) => existsSync(f));
const EN_CALIBRATION = [
  `${PS}/librivox/sense_and_sensibility_01_austen_64kb-0880.wav`,
  `${PS}/librivox/sense_and_sensibility_01_austen_64kb-0930.wav`,
  `${PS}/cards/004.wav`,
  `${PS}/cards/005.wav`,
  `${PS}/something.raw`,
  `${PS}/tidigits/dhd.2934z.raw`,
].filter((f) => existsSync(f));
/** The words each real English file holds that are command words (it is no negative for them). */
const EN_WORDS = (f) =>
  /goforward/.test(f) ? ['go'] : /_Left/.test(f) ? ['left'] : /_Right/.test(f) ? ['right'] : [];

/** Any real recording (WAV at any rate, or 16 kHz s16le raw) at 16 kHz, optionally via sox tempo/pitch. */
async function realFile(path, factor = 1, cents = 0) {
  const key = createHash('sha1').update(`${path}|${factor}|${cents}`).digest('hex').slice(0, 16);
  const file = join(CACHE, 'real-en', `${key}.wav`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const input = path.endsWith('.raw')
      ? ['-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1', path]
      : [path];
    const fx = ['rate', '16000'];
    if (factor !== 1) fx.push('tempo', String(factor));
    if (cents !== 0) fx.push('pitch', String(cents));
    execFileSync('sox', ['-R', '-V1', ...input, '-c', '1', '-b', '16', file, ...fx]);
  }
  return (await decodeAudio(readFileSync(file), { sampleRate: 16000 })).samples;
}

async function realClip(base, factor = 1, cents = 0) {
  if (factor === 1 && cents === 0)
    return (await decodeAudio(join(KWS, `${base}.wav`), { sampleRate: 16000 })).samples;
  const file = join(CACHE, 'real', `${base}_${factor}_${cents}.wav`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const fx = [];
    if (factor !== 1) fx.push('tempo', String(factor));
    if (cents !== 0) fx.push('pitch', String(cents));
    execFileSync('sox', ['-R', '-V1', join(KWS, `${base}.wav`), file, ...fx]);
  }
  return (await decodeAudio(readFileSync(file), { sampleRate: 16000 })).samples;
}

// Words every keyword head of ours is trained against unless it is the keyword itself.
const KEYWORD_WORDS = ['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go'];
const SENTENCES = [
  'the weather is nice today and I think we should go for a walk later',
  'could you please send me the report before the meeting tomorrow morning',
  'my brother bought a new car last week and he drives it everywhere',
  'there are seven apples and three oranges in the basket on the table',
  'I would like a cup of coffee with milk and a little sugar please',
  'the children played in the garden until it got dark outside',
  'turn the music louder because I can barely hear the singer',
  'what time does the train leave for the city centre this evening',
  'she opened the window and listened to the birds singing',
  'we need to buy bread cheese tomatoes and some fresh vegetables',
  'the computer restarted while I was writing an important email',
  'hello everyone and welcome to the weekly team update call',
  'hey there how are you doing this fine afternoon',
  'okay let me think about it and call you back in an hour',
  'the museum is closed on mondays but open every other day',
  'a device on the desk is blinking red and beeping loudly',
  'set a timer for ten minutes and remind me to check the oven',
  'this is a test of the microphone one two three four five',
  'please read the next chapter of the book before class',
  'the dog ran across the field chasing a yellow ball',
  'honestly I have no idea where I left my keys this morning',
  'the quick brown fox jumps over the lazy dog near the river bank',
  'call mom and tell her we will be late for dinner tonight',
  'the price of vegetables went up again at the market',
  'add milk eggs and flour to the shopping list',
  'the meeting was moved to thursday at half past two',
  'my favourite colours are blue green and purple',
  'they walked along the beach and collected shells',
  'the pilot announced that we would land in twenty minutes',
  'please lower the volume a little bit thank you',
  'I am learning to play the guitar and the piano',
  'the restaurant serves pasta pizza salad and soup',
  'hey siri hey google hey computer hey buddy hey andy',
  'an advice a device devices divide divine advise',
  'one two three four five six seven eight nine ten',
  'yeah yep nope nah okay sure fine maybe later',
];
const FOREIGN = [
  ['de', 'guten morgen wie geht es dir heute ich habe keine zeit'],
  ['fr', 'bonjour je voudrais un café et un croissant s il vous plait'],
  ['es', 'hola buenos días me gustaría reservar una mesa para dos'],
  ['it', 'buongiorno vorrei un biglietto per il treno delle otto'],
  ['pt', 'bom dia eu gostaria de uma água com gás por favor'],
  ['nl', 'goedemorgen ik wil graag een kopje thee met melk'],
  ['pl', 'dzień dobry chciałbym zamówić taksówkę na lotnisko'],
  ['sv', 'god morgon jag vill ha en kopp kaffe tack'],
];

// Hard negatives: similar-sounding words for the shipped commands (chosen a priori, from the
// words alone), plus automatic parts of the phrase.
const HARD = {
  yes: ['yet', 'yeah', 'less', 'guess', 'chess', 'press', 'dress', 'yell', 'jess', 'this'],
  no: ['know', 'now', 'snow', 'nose', 'low', 'new', 'note', 'noon', 'nor', 'oh'],
  up: ['cup', 'pup', 'app', 'hop', 'top', 'ugh', 'duck', 'hub', 'ah', 'uh'],
  down: ['town', 'gown', 'done', 'dawn', 'noun', 'crown', 'brown', 'round', 'sound', 'doubt'],
  left: ['lift', 'loft', 'laughed', 'theft', 'lest', 'deft', 'less', 'lent', 'leaf', 'lab'],
  right: ['write', 'light', 'bright', 'ride', 'white', 'fight', 'rice', 'night', 'bite', 'rye'],
  on: ['one', 'an', 'in', 'own', 'song', 'john', 'gone', 'don', 'awe', 'odd'],
  off: ['of', 'cough', 'if', 'oft', 'often', 'golf', 'tough', 'offer', 'awe', 'laugh'],
  stop: ['stock', 'shop', 'step', 'top', 'drop', 'spot', 'stuff', 'stomp', 'stab', 'strap'],
  go: ['ago', 'goal', 'gone', 'toe', 'grow', 'show', 'dough', 'goat', 'cold', 'gold'],
  hey_ondevice: [
    'hey',
    'on device',
    'hey on',
    'ondevice',
    'hey there',
    'andy vice',
    'advice',
    'hey andy',
    'in device',
    'a device',
    'hey everyone',
    'hey devices',
    'hey on the vice',
    'hey invoice',
  ],
};

const phraseWords = phrase.toLowerCase().split(/\s+/);
function automaticHard(p) {
  const parts = new Set();
  const words = p.toLowerCase().split(/\s+/);
  if (words.length > 1) for (const w of words) parts.add(w);
  for (const w of words) {
    if (w.length >= 6) {
      parts.add(w.slice(0, Math.ceil(w.length * 0.55)));
      parts.add(w.slice(Math.floor(w.length * 0.45)));
    }
  }
  parts.delete(p.toLowerCase());
  return [...parts];
}
const hardWords = [
  ...(HARD[name] ?? []),
  ...automaticHard(phrase),
  ...values.hard
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
const otherKeywords = KEYWORD_WORDS.filter((w) => !phraseWords.includes(w));
const exclude = new Set([...phraseWords, ...values['exclude-words'].split(',').filter(Boolean)]);
const sentences = SENTENCES.map((s) =>
  s
    .split(' ')
    .filter((w) => !exclude.has(w))
    .join(' '),
);

const t0 = Date.now();
console.error(`[${name}] synthesising ${COUNT} positives of "${phrase}" …`);
const posClips = await speakMany([phrase], COUNT);
// Real positives where a real voice says the word last in a clip (alsa's "Front Left", …), each in
// 8 sox tempo/pitch variants, twice.
const realPos = EN_TRAIN.filter(
  (f) => EN_WORDS(f).some((w) => phraseWords.length === 1 && w === phraseWords[0]) && !/goforward/.test(f),
);
for (const f of realPos)
  for (const [fa, c] of [
    [1, 0],
    [0.9, 0],
    [1.1, 0],
    [1, -300],
    [1, 300],
    [0.95, 150],
    [1.05, -150],
    [0.85, 0],
  ]) {
    const clip = await realFile(f, fa, c);
    posClips.push(clip, clip);
  }
if (realPos.length) console.error(`[${name}] + ${realPos.length} real recordings as positives (×16)`);
const posEmb = await embedClips(posClips, SEED * 1000, { positive: true });
console.error(`[${name}] ${posEmb.pos.length} positive windows (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

const realNeg = await cachedNegatives('real-train-v3', async () => {
  const clips = [];
  for (const b of REAL_TRAIN) {
    for (const [f, c] of [
      [1, 0],
      [0.9, 0],
      [1.1, 0],
      [1, -250],
      [1, 250],
      [0.95, 150],
    ])
      clips.push(await realClip(b, f, c));
  }
  const res = [];
  for (let r = 0; r < 2; r++) res.push(...(await embedClips(clips, 5000 + r * 977, { positive: false })).neg);
  return res;
});
// Real English speech (Debian packages; see EN_TRAIN), minus files that hold this keyword.
const enFiles = EN_TRAIN.filter((f) => !EN_WORDS(f).some((w) => phraseWords.includes(w)));
const enKey = createHash('sha1').update(enFiles.join('|')).digest('hex').slice(0, 10);
const enNeg = await cachedNegatives(`real-en-train-v1-${enKey}`, async () => {
  const clips = [];
  for (const f of enFiles)
    for (const [fa, c] of [
      [1, 0],
      [0.9, 0],
      [1.1, 0],
      [1, -250],
      [1, 250],
      [0.95, 150],
    ])
      clips.push(await realFile(f, fa, c));
  const res = [];
  for (let r = 0; r < 2; r++) res.push(...(await embedClips(clips, 6000 + r * 977, { positive: false })).neg);
  return res;
});
const synthNeg = await cachedNegatives('synth-sentences-v3', async () => {
  const clips = [
    ...(await speakMany(SENTENCES, 160)),
    ...(await Promise.all(
      FOREIGN.flatMap(([lang, text]) =>
        [0, 1, 2].map(() => speak(text, { ...randomStyle(false), voice: lang })),
      ),
    )),
  ];
  return (await embedClips(clips, 7000, { positive: false })).neg;
});
// Sentences contain keyword words: heads of those words (and of "hey …" phrases) use one shared
// bank of the same sentences with every command word and "hey"/"device" removed.
const ALL_EXCLUDED = new Set([...KEYWORD_WORDS, 'hey', 'device', 'devices', ...exclude]);
const sentNeg =
  KEYWORD_WORDS.some((w) => phraseWords.includes(w)) || /hey|device/.test(phrase)
    ? await cachedNegatives(
        'synth-sentences-nokw-v3',
        async () =>
          (
            await embedClips(
              await speakMany(
                SENTENCES.map((s) =>
                  s
                    .split(' ')
                    .filter((w) => !ALL_EXCLUDED.has(w))
                    .join(' '),
                ),
                160,
              ),
              7100,
              { positive: false },
            )
          ).neg,
      )
    : synthNeg;
const kwNeg = await cachedNegatives(`synth-others-${name}-v3`, async () => {
  const clips = [
    ...(await speakMany(hardWords, 12 * Math.max(1, hardWords.length) > 200 ? 200 : 12 * hardWords.length)),
    ...(await speakMany(otherKeywords, 120)),
  ];
  return (await embedClips(clips, 9000, { positive: false })).neg;
});
// Noise without speech (white, pink-ish, brown-ish; quiet to loud).
const noiseNeg = await cachedNegatives('noise-v3', async () => {
  const clips = [];
  for (let i = 0; i < 60; i++) {
    const n = Math.round(between(0.8, 2.0) * 16000);
    const amp = 10 ** between(-3.5, -0.8);
    const kind = i % 3;
    const c = new Float32Array(n);
    let b = 0;
    let p = 0;
    for (let j = 0; j < n; j++) {
      const w = rand() * 2 - 1;
      b = 0.98 * b + 0.1 * w;
      p = 0.6 * p + 0.4 * w;
      c[j] = amp * (kind === 0 ? w : kind === 1 ? p * 1.5 : b * 3);
    }
    clips.push(c);
  }
  return (await embedClips(clips, 8100, { positive: false })).neg;
});
// Signals that are not speech at all, embedded as they are (no normalisation or added noise):
// digital silence, DC offsets, clipping, white/pink/brown noise from −70 to 0 dBFS, tones,
// melodies, chords, hum, clicks — the kinds test/heads-quiet.model.test.ts checks, other seeds.
const nuisanceNeg = await cachedNegatives('nuisance-v4', async () => {
  const kinds = [
    () => new Float32Array(Math.round(between(0.5, 2) * 16000)),
    () => new Float32Array(Math.round(between(0.5, 2) * 16000)).fill(between(-0.6, 0.6)),
    () => {
      const f = between(80, 2000);
      const g = between(1.2, 6);
      return Float32Array.from({ length: Math.round(between(0.5, 2) * 16000) }, (_, i) =>
        Math.max(-1, Math.min(1, g * Math.sin((2 * Math.PI * f * i) / 16000))),
      );
    },
    () => noise(pick(['white', 'pink', 'brown']), between(0.5, 2), between(-70, 0), Math.floor(rand() * 1e9)),
    () =>
      tones(
        Array.from({ length: 6 }, () => between(110, 880)),
        between(0.12, 0.5),
        between(0.05, 0.6),
      ),
    () =>
      tones(
        [between(110, 440), between(110, 440), between(110, 440)],
        between(0.5, 1.5),
        between(0.1, 0.6),
        true,
      ),
    () => {
      const f = pick([50, 60, 100, 120]);
      const a = 10 ** between(-3, -1.3);
      const b = noise('brown', between(1, 2), between(-70, -40), Math.floor(rand() * 1e9));
      for (let i = 0; i < b.length; i++) b[i] += a * Math.sin((2 * Math.PI * f * i) / 16000);
      return b;
    },
    () => {
      const c = new Float32Array(Math.round(between(0.5, 1.5) * 16000));
      for (let k = 0; k < 3; k++) c[Math.floor(rand() * c.length)] = between(-1, 1);
      return c;
    },
  ];
  const out = [];
  for (let s = 0; s < 24; s++) {
    const parts = [];
    for (let j = 0; j < 14; j++) {
      parts.push(pick(kinds)());
      if (rand() < 0.5) parts.push(new Float32Array(Math.round(between(0.1, 0.8) * 16000)));
    }
    const samples = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      samples.set(p, at);
      at += p.length;
    }
    const { embeddings } = await embedder.embed({ samples, sampleRate: 16000 });
    out.push(...negativeWindows([embeddings], T, 2, 0).map((w) => w.slice()));
  }
  return out;
});
// Clipped and full-scale periodic signals (sines, squares, 60–600 Hz, overdriven ×1.5–12), the
// kind that fired `no` (a clipped 200 Hz sine) after the first non-speech bank; other seeds and
// frequencies than the test's.
const clippedNeg = await cachedNegatives('nuisance-clipped-v1', async () => {
  const out = [];
  for (let s = 0; s < 8; s++) {
    const parts = [];
    for (let j = 0; j < 10; j++) {
      const f = between(60, 600);
      const g = between(1.5, 12);
      const square = rand() < 0.3;
      const n = Math.round(between(0.4, 2.5) * 16000);
      parts.push(
        Float32Array.from({ length: n }, (_, i) => {
          const v = Math.sin((2 * Math.PI * f * i) / 16000);
          return square ? (v >= 0 ? 1 : -1) * Math.min(1, g / 6) : Math.max(-1, Math.min(1, g * v));
        }),
      );
      if (rand() < 0.5) parts.push(new Float32Array(Math.round(between(0.1, 0.8) * 16000)));
    }
    const samples = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      samples.set(p, at);
      at += p.length;
    }
    const { embeddings } = await embedder.embed({ samples, sampleRate: 16000 });
    out.push(...negativeWindows([embeddings], T, 2, 0).map((w) => w.slice()));
  }
  return out;
});
// Negative windows from inside positive streams (background only) too.
const negatives = [
  ...realNeg,
  ...realNeg,
  ...enNeg,
  ...enNeg,
  ...enNeg,
  ...sentNeg,
  ...kwNeg,
  ...kwNeg,
  ...noiseNeg,
  // ×3: tones and clipped sines fired the first heads trained with these at ×1.
  ...nuisanceNeg,
  ...nuisanceNeg,
  ...nuisanceNeg,
  ...clippedNeg,
  ...clippedNeg,
  ...clippedNeg,
  ...posEmb.neg,
];
console.error(
  `[${name}] negatives: real ${realNeg.length} (×2), real English ${enNeg.length} (×3), sentences ${sentNeg.length}, hard+keywords ${kwNeg.length} (×2), noise ${noiseNeg.length}, nuisance ${nuisanceNeg.length} (×3), clipped tones ${clippedNeg.length} (×3), background/late ${posEmb.neg.length}`,
);

const n = posEmb.pos.length + negatives.length;
const windows = new Float32Array(n * T * E);
const labels = new Uint8Array(n);
posEmb.pos.forEach((w, i) => {
  windows.set(w, i * T * E);
  labels[i] = 1;
});
negatives.forEach((w, i) => {
  windows.set(w, (posEmb.pos.length + i) * T * E);
});
/** The same MLP trained by scripts/train-mlp.py (numpy, batched; much faster than the JS loops). */
function trainWithNumpy() {
  const dir = join(CACHE, 'mlp');
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, `${name}-${process.pid}`);
  writeFileSync(`${stem}.f32`, Buffer.from(windows.buffer, windows.byteOffset, windows.byteLength));
  writeFileSync(`${stem}.u8`, Buffer.from(labels.buffer));
  execFileSync(
    '/usr/bin/python3',
    [
      join(here, 'train-mlp.py'),
      `${stem}.f32`,
      `${stem}.u8`,
      String(T),
      String(E),
      `${stem}.json`,
      values.epochs,
      String(SEED),
      '4',
      values.projection,
      values.hidden,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    },
  );
  const w = JSON.parse(readFileSync(`${stem}.json`, 'utf8'));
  execFileSync('rm', ['-f', `${stem}.f32`, `${stem}.u8`, `${stem}.json`]);
  return w;
}
const weights = compactWeights(
  values.trainer === 'numpy'
    ? trainWithNumpy()
    : trainMlp(
        windows,
        labels,
        { windowSize: T, embeddingSize: E },
        {
          epochs: Number(values.epochs),
          seed: SEED,
          positiveWeight: 4,
          projection: Number(values.projection),
          hidden: Number(values.hidden),
        },
      ),
);
const mlp = new MlpHead(weights);
console.error(`[${name}] trained (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

// Calibration on held-out real speech: max score over every window after the start-up.
let calMax = 0;
let calSeconds = 0;
// es and pt say the Spanish/Portuguese "no": keyword speech for the `no` head, not calibration.
const calibrationClips = [
  ...REAL_CALIBRATION.filter((b) => !(phraseWords.includes('no') && /^(es|pt)_/.test(b))),
  ...EN_CALIBRATION,
];
for (const b of calibrationClips) {
  const clip = b.startsWith('/') ? await realFile(b) : await realClip(b);
  const stream = augmentedStream([clip], {
    seed: 1,
    gain: [1, 1],
    speed: [1, 1],
    snrDb: [60, 60],
    gap: [0.5, 0.5],
  });
  calSeconds += clip.length / 16000;
  // In a stream after low noise, and as a whole clip (from silence, with the 1 s tail).
  for (const samples of [stream.samples, clip]) {
    const { embeddings, count } = await embedder.embed({ samples, sampleRate: 16000 });
    const history = await embedder.silence();
    const rows = new Float32Array((count + T - 1) * E);
    for (let k = 0; k < T - 1; k++) rows.set(history, k * E);
    rows.set(embeddings, (T - 1) * E);
    for (let k = 0; k < count; k++) calMax = Math.max(calMax, mlp.predict(rows, k * E));
  }
}
let posScores = posEmb.pos.map((w) => mlp.predict(w)).sort((a, b) => a - b);
const threshold = Math.min(0.99, Math.max(0.5, calMax + 0.02));
const recall = posScores.filter((s) => s >= threshold).length / posScores.length;
await embedder.dispose();

const head = {
  format: 'ondevice-keyword-head',
  version: 1,
  name,
  threshold: Number(threshold.toFixed(4)),
  license: values.license,
  description: `"${phrase}", trained from text (espeak-ng) by @ondevice/audio scripts/train-keyword.mjs.`,
  training: {
    method: 'text (espeak-ng + sox) against real and synthetic negative speech',
    phrase,
    positiveClips: posClips.length,
    positiveWindows: posEmb.pos.length,
    negativeWindows: {
      realSpeech: realNeg.length,
      realEnglish: enNeg.length,
      sentences: sentNeg.length,
      hardAndKeywords: kwNeg.length,
      noise: noiseNeg.length,
      nuisance: nuisanceNeg.length,
      clippedTones: clippedNeg.length,
      background: posEmb.neg.length,
    },
    realNegativeSources: [
      ...REAL_TRAIN.map((b) => `Picovoice/porcupine resources/audio_samples (Apache-2.0): ${b}`),
      ...enFiles.map(
        (f) => `Debian ${f.includes('pocketsphinx') ? 'pocketsphinx-testdata (BSD-2)' : 'alsa-utils'}: ${f}`,
      ),
    ],
    realPositiveSources: realPos.map((f) => `Debian alsa-utils: ${f}`),
    hardNegatives: hardWords,
    calibration: {
      rule: 'threshold = clamp(max score on held-out real non-keyword speech + 0.02, 0.5, 0.99)',
      sources: calibrationClips,
      seconds: Number(calSeconds.toFixed(1)),
      maxScore: Number(calMax.toFixed(4)),
      trainingPositiveRecallAtThreshold: Number(recall.toFixed(3)),
    },
    seed: SEED,
  },
  mlp: weights,
};
keywordHeadFromJson(head); // validates
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(head)}\n`);
console.error(
  `[${name}] threshold ${head.threshold} (calibration max ${calMax.toFixed(3)} over ${calSeconds.toFixed(0)} s), training recall ${recall.toFixed(3)} → ${out} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
);
posScores = null;
