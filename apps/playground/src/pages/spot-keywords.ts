import '../style.css';
import {
  BUILTIN_KEYWORD_HEADS,
  BUILTIN_KEYWORDS,
  type BuiltinKeyword,
  OPENWAKEWORD_WAKE_WORDS,
  type KeywordDetection,
  OPENWAKEWORD_HEAD_LICENSE,
  OWW_EMBEDDING,
  OWW_MELSPECTROGRAM,
} from '@ondevice/audio';
import { colorFor } from '../draw.js';
import { el, fileInputs, mountPage, type Sample } from '../ui.js';
import type { SpotEvent } from '../worker/audio.worker.js';
import { audioWorker, prefetchIn } from '../worker/clients.js';
import micTapUrl from '../worker/mic-tap.worklet.ts?worker&url';

const SAMPLES: Sample[] = [
  {
    src: '/samples/audio/hey-jarvis-alexa.wav',
    label: '“hey jarvis … alexa”',
    credit: 'espeak-ng, made here',
  },
  { src: '/samples/audio/hey-jarvis.wav', label: '“hey jarvis”', credit: 'espeak-ng, made here' },
  {
    src: '/samples/audio/yes_no_go_stop.wav',
    label: '“yes no go stop” (no wake word)',
    credit: 'Speech Commands v0.02, CC BY 4.0',
  },
];

const page = mountPage({
  title: 'Keyword spotting',
  blurb:
    'Listens for wake words in a clip or from the microphone; the trace shows every keyword’s score every 80 ms.',
  apiCall:
    "import { spotKeywords } from '@ondevice/audio';\nconst hits = await spotKeywords(wavBytes, { keywords: ['hey_jarvis', 'alexa'] }); // [{ keyword, score, startTime, endTime }]",
});

// Keyword choice, with the licence of the built-in heads stated where they are offered.
const chosen = new Set<BuiltinKeyword>(OPENWAKEWORD_WAKE_WORDS);
const boxes = el('div', { class: 'keywords' });
for (const k of BUILTIN_KEYWORDS) {
  const box = el('input', { type: 'checkbox', value: k });
  box.checked = chosen.has(k);
  box.addEventListener('change', () => {
    if (box.checked) chosen.add(k);
    else chosen.delete(k);
  });
  boxes.append(el('label', { style: 'display:block' }, box, ` ${k}`));
}
page.inputs.append(
  el('h2', { text: 'Keywords' }),
  boxes,
  el('p', {
    class: 'caption',
    text: `Built-in heads: openWakeWord, ${OPENWAKEWORD_HEAD_LICENSE}. Bring your own KeywordHead for other uses.`,
  }),
);

// The score trace: one line per keyword, the threshold dashed, detections marked.
const trace = el('canvas', { class: 'stage', id: 'trace', width: '900', height: '300' });
const player = el('audio', { controls: '', id: 'player' });
page.output.append(trace, player);
const THRESHOLD = 0.5;
let points: { t: number; scores: Record<string, number> }[] = [];
let hits: KeywordDetection[] = [];
let span: { from: number; to: number } = { from: 0, to: 10 };

function drawTrace(): void {
  const ctx = trace.getContext('2d')!;
  const W = trace.width;
  const H = trace.height;
  const left = 40;
  const bottom = H - 24;
  const top = 12;
  const x = (t: number) => left + ((t - span.from) / (span.to - span.from)) * (W - left - 10);
  const y = (s: number) => bottom - s * (bottom - top);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.strokeStyle = '#d9dee4';
  ctx.fillStyle = '#5b6470';
  ctx.font = '12px system-ui, sans-serif';
  ctx.lineWidth = 1;
  for (const s of [0, 0.25, 0.5, 0.75, 1]) {
    ctx.beginPath();
    ctx.moveTo(left, y(s));
    ctx.lineTo(W - 10, y(s));
    ctx.stroke();
    ctx.fillText(s.toFixed(2), 4, y(s) + 4);
  }
  const step = span.to - span.from > 20 ? 5 : 1;
  for (let t = Math.ceil(span.from / step) * step; t <= span.to; t += step)
    ctx.fillText(`${t}s`, x(t) - 6, H - 6);
  ctx.setLineDash([6, 4]);
  ctx.strokeStyle = '#b3261e';
  ctx.beginPath();
  ctx.moveTo(left, y(THRESHOLD));
  ctx.lineTo(W - 10, y(THRESHOLD));
  ctx.stroke();
  ctx.setLineDash([]);
  for (const h of hits) {
    ctx.fillStyle = `${colorFor(h.keyword)}26`; // 15% opaque
    ctx.fillRect(x(h.startTime), top, Math.max(2, x(h.endTime) - x(h.startTime)), bottom - top);
    ctx.fillStyle = colorFor(h.keyword);
    ctx.fillText(`${h.keyword} ${h.score.toFixed(2)}`, x(h.startTime) + 3, top + 12);
  }
  const labels = points.length ? Object.keys(points[points.length - 1]!.scores) : [];
  for (const label of labels) {
    ctx.strokeStyle = colorFor(label);
    ctx.lineWidth = 2;
    ctx.beginPath();
    let started = false;
    for (const p of points) {
      if (p.t < span.from) continue;
      const s = p.scores[label] ?? 0;
      if (started) ctx.lineTo(x(p.t), y(s));
      else ctx.moveTo(x(p.t), y(s));
      started = true;
    }
    ctx.stroke();
  }
  // Legend.
  let lx = left + 8;
  for (const label of labels) {
    ctx.fillStyle = colorFor(label);
    ctx.fillRect(lx, bottom - 16, 10, 10);
    ctx.fillStyle = '#1b1f24';
    ctx.fillText(label, lx + 14, bottom - 7);
    lx += ctx.measureText(label).width + 30;
  }
}

function showHits(): void {
  page.details.replaceChildren(
    el('h2', { text: `${hits.length} detection${hits.length === 1 ? '' : 's'}` }),
    el(
      'table',
      { id: 'detections' },
      el(
        'tr',
        {},
        el('th', { text: 'Keyword' }),
        el('th', { text: 'When' }),
        el('th', { text: 'Score', class: 'score' }),
      ),
      ...hits.map((h) =>
        el(
          'tr',
          {},
          el(
            'td',
            {},
            el('span', { class: 'swatch', style: `background:${colorFor(h.keyword)}` }),
            h.keyword,
          ),
          el('td', { text: `${h.startTime.toFixed(2)}–${h.endTime.toFixed(2)} s` }),
          el('td', { class: 'score', text: h.score.toFixed(2) }),
        ),
      ),
    ),
  );
}

// The spotter runs in a worker (one per keyword set there), so the page stays responsive; its
// scores come back as events that feed the trace.
const worker = audioWorker();
const spotters = new Map<string, Promise<BuiltinKeyword[]>>();
function getSpotter(): Promise<BuiltinKeyword[]> {
  const keywords = BUILTIN_KEYWORDS.filter((k) => chosen.has(k));
  if (!keywords.length) return Promise.reject(new Error('Choose at least one keyword.'));
  const key = keywords.join(',');
  let spotter = spotters.get(key);
  if (!spotter) {
    spotter = (async () => {
      await page.loadModels(
        [OWW_MELSPECTROGRAM, OWW_EMBEDDING, ...keywords.map((k) => BUILTIN_KEYWORD_HEADS[k])],
        prefetchIn(worker),
      );
      await worker.call('loadSpotter', { keywords, threshold: THRESHOLD });
      page.setBackend('onnxruntime-web WASM, 1 thread, in a worker');
      return keywords;
    })();
    spotter.catch(() => spotters.delete(key));
    spotters.set(key, spotter);
  }
  return spotter;
}

fileInputs(page.inputs, {
  samples: SAMPLES,
  accept: 'audio/wav,.wav',
  kind: 'audio',
  onPick: async ({ url, name }) => {
    try {
      const signal = page.running();
      page.setStatus(`Listening to ${name}…`);
      const wav = await (await fetch(url)).arrayBuffer();
      player.src = url;
      const keywords = await getSpotter();
      points = [];
      hits = [];
      const { detections, ms } = await worker.call(
        'spot',
        { keywords, threshold: THRESHOLD, wav },
        {
          transfer: [wav],
          signal,
          onProgress: (e) => {
            const event = e as SpotEvent;
            if (event.kind === 'scores') points.push(...event.steps);
          },
        },
      );
      hits = detections;
      const duration = points.length ? points[points.length - 1]!.t : 1;
      span = { from: 0, to: Math.max(1, Math.ceil(duration)) };
      drawTrace();
      showHits();
      page.setLatency(
        ms,
        `for ${duration.toFixed(1)} s of audio (${((ms / 1000 / duration) * 100).toFixed(1)}% of real time)`,
      );
      page.setStatus(`${name}: ${hits.map((h) => h.keyword).join(', ') || 'no keyword'}.`);
      page.done(hits);
    } catch (e) {
      page.fail(e);
    }
  },
});

// The microphone: an AudioWorklet tap posts the samples straight to the worker (a MessagePort),
// which spots keywords and sends scores back; the trace scrolls over the last 10 s.
const mic = el('button', { type: 'button', id: 'mic', text: 'Start microphone' });
page.inputs.append(el('h2', { text: 'Live' }), mic);
let stop: (() => Promise<void>) | undefined;
mic.addEventListener('click', async () => {
  if (stop) {
    await stop();
    stop = undefined;
    mic.textContent = 'Start microphone';
    return;
  }
  try {
    page.running();
    const keywords = await getSpotter();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
    const audio = new AudioContext();
    await audio.audioWorklet.addModule(micTapUrl);
    const source = audio.createMediaStreamSource(stream);
    const tap = new AudioWorkletNode(audio, 'playground-mic-tap', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    const channel = new MessageChannel();
    tap.port.postMessage({ port: channel.port1 }, [channel.port1]);
    source.connect(tap);
    // Some browsers only pull nodes that reach the destination; the tap outputs silence.
    tap.connect(audio.destination);
    points = [];
    hits = [];
    let steps = 0;
    let frame = 0;
    const listening = worker.call(
      'listen',
      { keywords, threshold: THRESHOLD, sampleRate: audio.sampleRate, port: channel.port2 },
      {
        transfer: [channel.port2],
        onProgress: (e) => {
          const event = e as SpotEvent;
          if (event.kind === 'detection') {
            hits.push(event.detection);
            showHits();
            page.setStatus(`Heard “${event.detection.keyword}” (${event.detection.score.toFixed(2)}).`);
          } else if (event.kind === 'lag') {
            page.setLatency(Math.max(0, event.seconds * 1000), `behind live audio (${steps} steps of 80 ms)`);
          } else {
            for (const p of event.steps) {
              points.push(p);
              if (points.length > 400) points.shift();
              span = { from: Math.max(0, p.t - 10), to: Math.max(10, p.t) };
              steps++;
              if (steps % 25 === 0) page.done({ steps, hits });
            }
            if (!frame)
              frame = requestAnimationFrame(() => {
                frame = 0;
                drawTrace();
              });
          }
        },
      },
    );
    listening.catch((e: unknown) => page.fail(e));
    stop = async () => {
      await worker.call('stopListening', undefined);
      tap.port.postMessage({ stop: true });
      source.disconnect();
      tap.disconnect();
      for (const t of stream.getTracks()) t.stop();
      await audio.close();
      await listening.catch(() => undefined);
    };
    mic.textContent = 'Stop microphone';
    page.setStatus('Listening… say one of the keywords.');
  } catch (e) {
    page.fail(e);
  }
});

drawTrace();
