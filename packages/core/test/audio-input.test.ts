import { readdirSync } from 'node:fs';
import { datasetPath } from '@ondevice/testkit';
import { describe, expect, it } from 'vitest';
import { decodeAudio, encodeWav, InputError, parseWav, resample, StreamingResampler } from '../src/index.js';

const tone = (hz: number, rate: number, seconds: number) =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate),
  );

function wav(opts: {
  rate: number;
  channels: number;
  bits: number;
  format?: number;
  frames: number[][];
}): Uint8Array {
  const { rate, channels, bits, format = bits === 32 && opts.format === 3 ? 3 : 1, frames } = opts;
  const bps = bits / 8;
  const dataLen = frames.length * channels * bps;
  const buf = new DataView(new ArrayBuffer(44 + dataLen));
  const tag = (o: number, s: string) => {
    for (let i = 0; i < s.length; i++) buf.setUint8(o + i, s.charCodeAt(i));
  };
  tag(0, 'RIFF');
  buf.setUint32(4, 36 + dataLen, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  buf.setUint32(16, 16, true);
  buf.setUint16(20, format, true);
  buf.setUint16(22, channels, true);
  buf.setUint32(24, rate, true);
  buf.setUint32(28, rate * channels * bps, true);
  buf.setUint16(32, channels * bps, true);
  buf.setUint16(34, bits, true);
  tag(36, 'data');
  buf.setUint32(40, dataLen, true);
  frames.forEach((f, i) => {
    f.forEach((v, c) => {
      const o = 44 + (i * channels + c) * bps;
      if (format === 3) buf.setFloat32(o, v, true);
      else if (bits === 16) buf.setInt16(o, Math.round(v * 32767), true);
      else if (bits === 8) buf.setUint8(o, Math.round(v * 127 + 128));
      else if (bits === 24) {
        const n = Math.round(v * 8388607);
        buf.setUint8(o, n & 255);
        buf.setUint8(o + 1, (n >> 8) & 255);
        buf.setInt8(o + 2, n >> 16);
      } else buf.setInt32(o, Math.round(v * 2147483647), true);
    });
  });
  return new Uint8Array(buf.buffer);
}

describe('audio input', () => {
  it('reads every real 16 kHz clip of the dataset', async () => {
    const dir = datasetPath('keyword_spotting/porcupine');
    const files = readdirSync(dir).filter((f) => f.endsWith('.wav'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const a = await decodeAudio(`${dir}/${f}`);
      expect(a.sampleRate).toBe(16000);
      expect(a.samples.length).toBeGreaterThan(8000);
      expect(Math.max(...a.samples.subarray(0, 16000).map(Math.abs))).toBeLessThanOrEqual(1);
    }
  });

  it('parses PCM 8/16/24/32-bit and float WAVs and mixes stereo to mono', () => {
    for (const bits of [8, 16, 24, 32]) {
      const a = parseWav(
        wav({
          rate: 8000,
          channels: 2,
          bits,
          frames: [
            [0.5, -0.5],
            [0.5, 0.5],
            [-0.25, -0.25],
          ],
        }),
      );
      expect(a.sampleRate).toBe(8000);
      expect(a.samples[0]).toBeCloseTo(0, 1);
      expect(a.samples[1]).toBeCloseTo(0.5, 1);
      expect(a.samples[2]).toBeCloseTo(-0.25, 1);
    }
    const f = parseWav(wav({ rate: 8000, channels: 1, bits: 32, format: 3, frames: [[0.125]] }));
    expect(f.samples[0]).toBe(0.125);
  });

  it('round-trips through encodeWav', () => {
    const samples = tone(440, 16000, 0.1);
    const back = parseWav(encodeWav({ samples, sampleRate: 16000 }));
    expect(back.samples.length).toBe(samples.length);
    expect(Math.max(...back.samples.map((v, i) => Math.abs(v - samples[i]!)))).toBeLessThan(1e-4);
  });

  it.each([
    ['empty bytes', () => new Uint8Array(0), /empty/],
    ['not a WAV', () => new TextEncoder().encode('hello world, not a wav file'), /not a WAV/],
    ['a Float32Array without a rate', () => new Float32Array(10), /sample rate/],
    ['no samples', () => ({ samples: new Float32Array(0), sampleRate: 16000 }), /no samples/],
    ['an absurd rate', () => ({ samples: new Float32Array(10), sampleRate: 3 }), /not plausible/],
    ['a missing file', () => '/nonexistent.wav', /cannot be read/],
    ['a number', () => 5, /Unsupported/],
  ])('rejects %s with InputError', async (_n, make, msg) => {
    const e = await decodeAudio(make() as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(msg);
  });

  it('resamples 44.1 kHz and 48 kHz to 16 kHz keeping a tone and its length', () => {
    for (const rate of [8000, 44100, 48000]) {
      const out = resample(tone(440, rate, 1), rate, 16000);
      expect(out.length).toBe(16000);
      const ref = tone(440, 16000, 1);
      let err = 0;
      for (let i = 200; i < 15800; i++) err = Math.max(err, Math.abs(out[i]! - ref[i]!));
      expect(err).toBeLessThan(0.01);
    }
  });

  it('removes content above the new Nyquist frequency', () => {
    const out = resample(tone(12000, 48000, 0.5), 48000, 16000);
    const rms = Math.sqrt(out.subarray(500, -500).reduce((s, v) => s + v * v, 0) / (out.length - 1000));
    expect(rms).toBeLessThan(0.01);
  });

  it('streaming gives exactly the whole-signal result whatever the chunk size', () => {
    const input = tone(300, 44100, 0.7).map((v, i) => v + 0.1 * Math.sin(i));
    const whole = resample(input, 44100, 16000);
    for (const chunk of [1, 128, 1000, 16000]) {
      const r = new StreamingResampler(44100, 16000);
      const parts: number[] = [];
      for (let o = 0; o < input.length; o += chunk) parts.push(...r.push(input.subarray(o, o + chunk)));
      parts.push(...r.flush());
      expect(parts.length).toBe(whole.length);
      expect(Float32Array.from(parts)).toEqual(whole);
    }
  });
});
