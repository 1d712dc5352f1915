#!/usr/bin/env node
// Builds heads/negatives.json: the bank of non-keyword speech embeddings `enrollKeyword` trains
// against by default. Sources: the non-English Porcupine recordings used as training negatives by
// train-keyword.mjs (Apache-2.0; es/pt/zh and all English recordings are left out, they are
// calibration and test data), the training half of the real English speech of Debian's
// pocketsphinx-testdata, and English sentences spoken by espeak-ng.
// Usage (after `pnpm run build`; needs espeak-ng and sox): node scripts/build-negatives.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAudio } from '@ondevice/core';
import { augmentedStream, createSpeechEmbedder, encodeEmbeddingBank } from '../dist/internals.js';
import { nuisanceSignals, noise, tones } from './nuisance-signals.mjs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const KWS = join(process.env.ONDEVICE_DATASETS ?? '/work/shared/datasets', 'keyword_spotting', 'porcupine');
const REAL = [
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
const SENTENCES = [
  ['en-us', 'the weather is nice today and I think we should take a walk later'],
  ['en-gb-x-rp+f2', 'could you please send me the report before the meeting tomorrow morning'],
  ['en-029+m3', 'hello everyone and welcome to the weekly team update call'],
  ['en-us-nyc+f4', 'set a timer for ten minutes and remind me to check the oven'],
  ['en-gb-scotland+m5', 'the quick brown fox jumps over the lazy dog near the river bank'],
  ['en+klatt', 'this is a test of the microphone one two three four five'],
];
const tmp = mkdtempSync(join(tmpdir(), 'kws-neg-'));
const clips = [];
// Each real recording three times: as recorded, pitched down, and faster and pitched up (sox).
for (const b of REAL) {
  for (const [i, fx] of [[], ['pitch', '-250'], ['tempo', '1.1', 'pitch', '200']].entries()) {
    const wav = join(tmp, `${b}-${i}.wav`);
    execFileSync('sox', ['-R', '-V1', join(KWS, `${b}.wav`), wav, ...fx]);
    clips.push((await decodeAudio(readFileSync(wav), { sampleRate: 16000 })).samples);
  }
}
// Real English speech: the training half of Debian's `pocketsphinx-testdata` (BSD-2, CMU; the
// LibriVox excerpts are public domain) — the same files train-keyword.mjs trains on; the other
// half calibrates the command heads. Skipped (with a warning) when the package is not installed.
const PS = '/usr/share/pocketsphinx/test/data';
const EN_REAL = [
  `${PS}/librivox/sense_and_sensibility_01_austen_64kb-0870.wav`,
  `${PS}/librivox/sense_and_sensibility_01_austen_64kb-0890.wav`,
  `${PS}/librivox/sense_and_sensibility_01_austen_64kb-0920.wav`,
  `${PS}/cards/001.wav`,
  `${PS}/cards/002.wav`,
  `${PS}/cards/003.wav`,
  `${PS}/numbers.raw`,
  `${PS}/goforward.raw`,
].filter((f) => existsSync(f));
if (EN_REAL.length < 8)
  console.warn('pocketsphinx-testdata is not installed: the bank holds no real English speech');
for (const [k, f] of EN_REAL.entries()) {
  const input = f.endsWith('.raw')
    ? ['-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1', f]
    : [f];
  for (const [i, fx] of [[], ['pitch', '-250'], ['tempo', '1.1', 'pitch', '200']].entries()) {
    const wav = join(tmp, `en-${k}-${i}.wav`);
    execFileSync('sox', ['-R', '-V1', ...input, '-r', '16000', '-c', '1', '-b', '16', wav, ...fx]);
    clips.push((await decodeAudio(readFileSync(wav), { sampleRate: 16000 })).samples);
  }
}
for (const [i, [voice, text]] of SENTENCES.entries()) {
  const raw = join(tmp, `${i}.raw.wav`);
  const wav = join(tmp, `${i}.wav`);
  execFileSync('espeak-ng', ['-v', voice, '-s', '160', '-w', raw, text]);
  execFileSync('sox', [
    '-R',
    '-V1',
    raw,
    '-r',
    '16000',
    '-c',
    '1',
    '-b',
    '16',
    wav,
    'gain',
    '-6',
    'norm',
    '-3',
  ]);
  clips.push((await decodeAudio(readFileSync(wav), { sampleRate: 16000 })).samples);
}
const embedder = await createSpeechEmbedder({ runtime: 'node' });
const streams = [];
for (let i = 0; i < clips.length; i += 4) {
  const s = augmentedStream(clips.slice(i, i + 4), { seed: 11 + i, gap: [0.1, 0.3], snrDb: [25, 40] });
  const { embeddings } = await embedder.embed({ samples: s.samples, sampleRate: 16000 });
  streams.push(embeddings.slice()); // every row: streams start from the state after silence
}
// Signals that are not speech (digital silence, DC, clipping, noise, tones, hum), as they are,
// with other seeds and levels than the test's (test/heads-quiet.model.test.ts).
{
  const sig = nuisanceSignals();
  const parts = [
    new Float32Array(16000),
    sig['DC offset +0.1'].subarray(0, 16000),
    sig['clipped 200 Hz sine'].subarray(0, 12000),
    new Float32Array(8000),
    noise('white', 1, -45, 101),
    noise('pink', 1, -25, 102),
    noise('brown', 1, -35, 103),
    new Float32Array(8000),
    tones([294, 370, 440, 587, 494, 392], 0.2, 0.3),
    tones([196, 247, 294], 1, 0.4, true),
    sig['room tone (hum + brown noise)'].subarray(0, 16000).map((v) => v * 0.7),
    new Float32Array(16000),
  ];
  const samples = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  const { embeddings } = await embedder.embed({ samples, sampleRate: 16000 });
  streams.push(embeddings.slice());
}
await embedder.dispose();
const bank = encodeEmbeddingBank(streams, {
  license:
    'Apache-2.0 (embeddings of Picovoice/porcupine resources/audio_samples, Apache-2.0, of Debian pocketsphinx-testdata, BSD-2 (c) 1995-2014 Carnegie Mellon University, 2014-2015 Alpha Cephei Inc., and of espeak-ng speech)',
  sources: [
    ...REAL.map((b) => `Picovoice/porcupine@b42ec9f849c0 resources/audio_samples: ${b}`),
    ...EN_REAL.map((f) => `Debian pocketsphinx-testdata 0.8+5prealpha+1-15: ${f.replace(`${PS}/`, '')}`),
    'espeak-ng sentences',
    'synthetic non-speech signals (scripts/nuisance-signals.mjs)',
  ],
});
writeFileSync(join(pkg, 'heads', 'negatives.json'), `${JSON.stringify(bank)}\n`);
console.log(`rows ${streams.reduce((a, s) => a + s.length / 96, 0)} in ${streams.length} streams`);
