// Synthetic signals no keyword head may fire on (16 kHz mono, [-1, 1]), from a fixed seed:
// digital silence, DC offset, clipping, white/pink/brown noise, music-like tones, room tone (hum +
// low noise). Used by test/heads-quiet.model.test.ts and scripts/eval-nuisance.mjs; the training
// script draws its edge negatives from the same kinds of signal (with other seeds).

const SR = 16_000;

/** mulberry32: a small seeded generator in [0, 1). */
export function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dbfs = (db) => 10 ** (db / 20);

/** White (flat), pink (−3 dB/oct, Paul Kellet's filter) or brown (−6 dB/oct) noise at an RMS level in dBFS. */
export function noise(kind, seconds, levelDb, seed = 1) {
  const rand = seeded(seed);
  const n = Math.round(seconds * SR);
  const out = new Float32Array(n);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let br = 0;
  for (let i = 0; i < n; i++) {
    const w = rand() * 2 - 1;
    if (kind === 'pink') {
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    } else if (kind === 'brown') {
      br = 0.995 * br + 0.05 * w;
      out[i] = br;
    } else out[i] = w;
  }
  let e = 0;
  for (const v of out) e += v * v;
  const g = dbfs(levelDb) / Math.sqrt(e / n || 1);
  for (let i = 0; i < n; i++) out[i] = Math.max(-1, Math.min(1, out[i] * g));
  return out;
}

/** Notes of `freqs` (Hz) one after another, each `noteSeconds` long with harmonics and an envelope. */
export function tones(freqs, noteSeconds, amplitude = 0.3, chord = false) {
  const per = Math.round(noteSeconds * SR);
  const n = chord ? per : per * freqs.length;
  const out = new Float32Array(n);
  const notes = chord ? [freqs] : freqs.map((f) => [f]);
  notes.forEach((fs, k) => {
    for (let i = 0; i < per; i++) {
      const t = i / SR;
      const env = Math.min(1, t / 0.01) * Math.exp(-2.5 * t);
      let v = 0;
      for (const f of fs) for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * f * h * t) / h;
      out[k * per + i] = (amplitude * env * v) / fs.length;
    }
  });
  return out;
}

/** The named nuisance signals, 3 s each (the stream around them is silence, as in a clip). */
export function nuisanceSignals() {
  const s = 3;
  const n = s * SR;
  const fill = (f) => Float32Array.from({ length: n }, (_, i) => f(i / SR, i));
  const melody = [262, 330, 392, 523, 440, 349, 294, 247, 262, 392, 330, 262];
  const hum = fill((t) => 0.01 * Math.sin(2 * Math.PI * 50 * t) + 0.004 * Math.sin(2 * Math.PI * 150 * t));
  const room = noise('brown', s, -50, 11);
  for (let i = 0; i < n; i++) room[i] += hum[i];
  return {
    'digital silence': new Float32Array(n),
    'DC offset +0.1': fill(() => 0.1),
    'DC offset −0.5': fill(() => -0.5),
    'clipped 200 Hz sine': fill((t) => Math.max(-1, Math.min(1, 3 * Math.sin(2 * Math.PI * 200 * t)))),
    'full-scale square 1 kHz': fill((t) => (Math.sin(2 * Math.PI * 1000 * t) >= 0 ? 1 : -1)),
    'clipped white noise': noise('white', s, 0, 2),
    'white noise −60 dBFS': noise('white', s, -60, 3),
    'white noise −30 dBFS': noise('white', s, -30, 4),
    'white noise −10 dBFS': noise('white', s, -10, 5),
    'pink noise −50 dBFS': noise('pink', s, -50, 6),
    'pink noise −20 dBFS': noise('pink', s, -20, 7),
    'brown noise −30 dBFS': noise('brown', s, -30, 8),
    'melody (tones)': tones(melody, 0.25),
    'chords (tones)': [
      [262, 330, 392],
      [220, 277, 330],
      [196, 247, 294],
    ].reduce((acc, c, k) => {
      acc.set(tones(c, 1, 0.4, true), k * SR);
      return acc;
    }, new Float32Array(n)),
    'pure tone 440 Hz': fill((t) => 0.3 * Math.sin(2 * Math.PI * 440 * t)),
    'room tone (hum + brown noise)': room,
    'single click': fill((_, i) => (i === 8000 ? 0.9 : 0)),
  };
}

/** `samples` with `before`/`after` seconds of digital zeros around it. */
export function zeroPadded(samples, before = 1, after = 1) {
  const out = new Float32Array(samples.length + Math.round((before + after) * SR));
  out.set(samples, Math.round(before * SR));
  return out;
}
