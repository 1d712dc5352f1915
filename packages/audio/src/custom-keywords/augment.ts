import { seededRandom } from './mlp.js';

/** Where the speech of a clip lies, in samples. */
export interface SpeechBounds {
  start: number;
  end: number;
}

/**
 * Finds the speech in a short clip by frame energy (20 ms frames): the first and last frames
 * above a threshold between the clip's noise floor and its peak. Returns the whole clip if flat.
 *
 * @example
 * ```ts
 * const { start, end } = speechBounds(samples, 16000);
 * ```
 */
export function speechBounds(samples: Float32Array, sampleRate = 16_000): SpeechBounds {
  const frame = Math.max(1, Math.round(sampleRate * 0.02));
  const n = Math.floor(samples.length / frame);
  if (n < 3) return { start: 0, end: samples.length };
  const rms: number[] = [];
  for (let f = 0; f < n; f++) {
    let s = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) s += samples[i]! * samples[i]!;
    rms.push(Math.sqrt(s / frame));
  }
  const sorted = [...rms].sort((a, b) => a - b);
  const floor = sorted[Math.floor(n * 0.1)]!;
  const peak = sorted[n - 1]!;
  if (peak <= floor * 1.5 || peak < 1e-4) return { start: 0, end: samples.length };
  // Geometric midpoint-ish threshold, biased towards the floor so that soft word endings count.
  const threshold = floor + (peak - floor) * 0.08;
  let first = 0;
  while (first < n && rms[first]! < threshold) first++;
  let last = n - 1;
  while (last > first && rms[last]! < threshold) last--;
  return { start: first * frame, end: Math.min(samples.length, (last + 1) * frame) };
}

/** Plays a clip faster (factor > 1) or slower by linear-interpolation resampling (pitch follows). */
export function changeSpeed(samples: Float32Array, factor: number): Float32Array {
  const n = Math.max(1, Math.floor(samples.length / factor));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i * factor;
    const j = Math.floor(x);
    const f = x - j;
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = a + (b - a) * f;
  }
  return out;
}

function rmsOf(samples: Float32Array, from = 0, to = samples.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += samples[i]! * samples[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Settings of {@link augmentedStream}. */
export interface StreamAugmentation {
  /** Random gain range (linear). Default [0.3, 1.6]. */
  gain?: [number, number];
  /** Random speed factor range. Default [0.88, 1.12]. */
  speed?: [number, number];
  /** Signal-to-noise ratio range in dB for added white noise. Default [8, 40]. */
  snrDb?: [number, number];
  /** Silence (low noise) between clips, seconds. Default [0.4, 1.0]. */
  gap?: [number, number];
  /** Seconds of low noise (or silence) at the start. Default 2.1. */
  lead?: number;
  /**
   * Chance that the lead and each gap are digital silence (zeros, as around a zero-padded clip)
   * instead of low noise; the noise floor itself varies from −100 to −50 dBFS. Default 0.35.
   */
  silence?: number;
  seed?: number;
}

/** A stream made of clips with gaps, and where each clip's speech starts and ends (seconds). */
export interface AugmentedStream {
  samples: Float32Array;
  sampleRate: number;
  segments: { start: number; end: number }[];
}

/**
 * Concatenates clips (16 kHz) into one stream with random gain, speed, white noise and gaps —
 * the time shift of each clip relative to the 80 ms embedding grid is random too.
 *
 * @example
 * ```ts
 * const stream = augmentedStream([clipA, clipB], { seed: 7 });
 * ```
 */
export function augmentedStream(clips: Float32Array[], options: StreamAugmentation = {}): AugmentedStream {
  const sr = 16_000;
  const rand = seededRandom(options.seed ?? 1);
  const between = (r: [number, number]) => r[0] + (r[1] - r[0]) * rand();
  const gain = options.gain ?? [0.3, 1.6];
  const speed = options.speed ?? [0.88, 1.12];
  const snr = options.snrDb ?? [8, 40];
  const gap = options.gap ?? [0.4, 1.0];
  const lead = options.lead ?? 2.1;
  const silence = options.silence ?? 0.35;
  const parts: Float32Array[] = [];
  const segments: { start: number; end: number }[] = [];
  let length = 0;
  const pushNoise = (seconds: number) => {
    const n = Math.round(seconds * sr);
    const z = new Float32Array(n);
    if (rand() >= silence) {
      // Uniform noise at −100 … −50 dBFS RMS (int16 ±0.6 … ±180).
      const floor = 10 ** (-(50 + rand() * 50) / 20) * Math.sqrt(3);
      for (let i = 0; i < n; i++) z[i] = (rand() * 2 - 1) * floor;
    }
    parts.push(z);
    length += n;
  };
  pushNoise(lead + rand() * 0.08);
  for (const clip of clips) {
    const sped = changeSpeed(clip, between(speed));
    const bounds = speechBounds(sped, sr);
    const level = rmsOf(sped, bounds.start, bounds.end) || 1e-3;
    const g = between(gain) * (0.1 / level); // normalise speech to ~0.1 RMS, then random gain
    const noiseAmp = (0.1 * between(gain)) / 10 ** (between(snr) / 20);
    const out = new Float32Array(sped.length);
    for (let i = 0; i < sped.length; i++) {
      const v = sped[i]! * g + (rand() * 2 - 1) * noiseAmp * Math.sqrt(3);
      out[i] = v > 1 ? 1 : Math.max(v, -1);
    }
    segments.push({ start: (length + bounds.start) / sr, end: (length + bounds.end) / sr });
    parts.push(out);
    length += out.length;
    pushNoise(between(gap));
  }
  const samples = new Float32Array(length);
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, sampleRate: sr, segments };
}

/** Which embedding windows of a stream to train on, and how. */
export interface WindowLabelOptions {
  windowSize: number;
  stepSeconds: number;
  /** Seconds the window reaches back (≈ (windowSize − 1) × step + 0.775). */
  span?: number;
  /** Positive windows end this long before/after a keyword's end. Default [-0.08, 0.32]. */
  positiveEnd?: [number, number];
  /** Whether windows holding no keyword at all are used as negatives. Default true. */
  backgroundNegatives?: boolean;
  /** Windows ending this long after a keyword's end (keyword still inside) are negatives. Default: never (measured: 0.8 s made real-speech false alarms much worse). */
  staleAfter?: number;
  /** First window end (seconds) to use; earlier ones still see the start-up buffers. Default 2.0. */
  from?: number;
}

/**
 * Labels the windows of an embedded stream: 1 when the window ends just after a keyword ends,
 * 0 when it holds no part of any keyword, and skipped otherwise. Returns window end-row indices.
 *
 * @example
 * ```ts
 * const { rows, labels } = labelWindows(count, stream.segments, { windowSize: 16, stepSeconds: 0.08 });
 * ```
 */
export function labelWindows(
  count: number,
  segments: { start: number; end: number }[],
  options: WindowLabelOptions,
): { rows: number[]; labels: number[] } {
  const { windowSize, stepSeconds } = options;
  const span = options.span ?? (windowSize - 1) * stepSeconds + 0.775;
  const [pa, pb] = options.positiveEnd ?? [-0.08, 0.32];
  const background = options.backgroundNegatives ?? true;
  const from = options.from ?? 2.0;
  const stale = options.staleAfter ?? Number.POSITIVE_INFINITY;
  const rows: number[] = [];
  const labels: number[] = [];
  for (let k = windowSize - 1; k < count; k++) {
    const endT = (k + 1) * stepSeconds;
    if (endT < from) continue;
    const startT = endT - span;
    let label = -1;
    let overlaps = false;
    let fresh = false;
    for (const s of segments) {
      if (s.end > startT && s.start < endT) {
        overlaps = true;
        // A keyword that ended long before the window's end is "stale": the head must not fire
        // again on it (one detection per utterance), so such windows are negatives.
        if (endT - s.end < stale) fresh = true;
      }
      if (endT >= s.end + pa && endT <= s.end + pb) label = 1;
    }
    if (label < 0 && background && (!overlaps || !fresh)) label = 0;
    if (label < 0) continue;
    rows.push(k);
    labels.push(label);
  }
  return { rows, labels };
}

/** Copies the windows ending at `rows` out of `count × size` embeddings into one array. */
export function gatherWindows(
  embeddings: Float32Array,
  rows: number[],
  windowSize: number,
  size = 96,
): Float32Array {
  const out = new Float32Array(rows.length * windowSize * size);
  rows.forEach((k, i) => {
    out.set(embeddings.subarray((k - windowSize + 1) * size, (k + 1) * size), i * windowSize * size);
  });
  return out;
}

/**
 * A stream of signals that are not speech, for negatives (16 kHz): digital silence, DC offsets,
 * clipped sines, square waves, white/pink/brown noise from −70 to 0 dBFS, note sequences, chords,
 * mains hum over low noise, and clicks, each kind in turn with silent gaps. Deterministic per seed.
 *
 * @example
 * ```ts
 * const samples = nonSpeechStream(3, 20); // ≈ 20 s
 * ```
 */
export function nonSpeechStream(seed = 1, seconds = 20): Float32Array {
  const sr = 16_000;
  const rand = seededRandom(seed);
  const between = (a: number, b: number) => a + (b - a) * rand();
  const len = (a: number, b: number) => Math.round(between(a, b) * sr);
  const noise = (n: number, db: number) => {
    const out = new Float32Array(n);
    const kind = Math.floor(rand() * 3);
    let b0 = 0;
    let b1 = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const w = rand() * 2 - 1;
      b0 = 0.997 * b0 + 0.05 * w;
      b1 = 0.6 * b1 + 0.4 * w;
      out[i] = kind === 0 ? w : kind === 1 ? b1 + 0.3 * b0 : b0;
      e += out[i]! * out[i]!;
    }
    const g = 10 ** (db / 20) / Math.sqrt(e / Math.max(1, n) || 1);
    for (let i = 0; i < n; i++) out[i] = Math.max(-1, Math.min(1, out[i]! * g));
    return out;
  };
  const notes = (freqs: number[], per: number, amp: number) => {
    const out = new Float32Array(freqs.length * per);
    freqs.forEach((f, k) => {
      for (let i = 0; i < per; i++) {
        const t = i / sr;
        const env = Math.min(1, t / 0.01) * Math.exp(-2.5 * t);
        let v = 0;
        for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * f * h * t) / h;
        out[k * per + i] = amp * env * v;
      }
    });
    return out;
  };
  const kinds: (() => Float32Array)[] = [
    () => new Float32Array(len(0.5, 1.5)),
    () => new Float32Array(len(0.5, 1.5)).fill(between(-0.6, 0.6)),
    () => {
      const f = between(80, 2000);
      const g = between(1.2, 6);
      return Float32Array.from({ length: len(0.5, 1.5) }, (_, i) =>
        Math.max(-1, Math.min(1, g * Math.sin((2 * Math.PI * f * i) / sr))),
      );
    },
    () => noise(len(0.5, 1.5), between(-70, 0)),
    () => {
      const f = between(100, 4000);
      const a = between(0.02, 0.7);
      return Float32Array.from({ length: len(0.5, 1.5) }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / sr));
    },
    () =>
      notes(
        Array.from({ length: 6 }, () => between(110, 880)),
        len(0.12, 0.4),
        between(0.05, 0.5),
      ),
    () => {
      const c = new Float32Array(len(0.6, 1.2));
      for (let j = 0; j < 3; j++) {
        const part = notes([between(110, 440)], c.length, between(0.05, 0.2));
        for (let i = 0; i < c.length; i++) c[i]! += part[i]!;
      }
      return c;
    },
    () => {
      const b = noise(len(0.8, 1.5), between(-70, -40));
      const f = [50, 60, 100, 120][Math.floor(rand() * 4)]!;
      const a = 10 ** between(-3, -1.3);
      for (let i = 0; i < b.length; i++) b[i]! += a * Math.sin((2 * Math.PI * f * i) / sr);
      return b;
    },
    () => {
      const c = new Float32Array(len(0.5, 1));
      for (let j = 0; j < 3; j++) c[Math.floor(rand() * c.length)] = between(-1, 1);
      return c;
    },
  ];
  const parts: Float32Array[] = [];
  let total = 0;
  // Every kind in turn (from a random one), so even a short stream holds each kind once.
  let k = Math.floor(rand() * kinds.length);
  while (total < seconds * sr) {
    const p = kinds[k++ % kinds.length]!();
    parts.push(p);
    total += p.length;
    if (rand() < 0.5) {
      const gap = new Float32Array(len(0.1, 0.6));
      parts.push(gap);
      total += gap.length;
    }
  }
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
