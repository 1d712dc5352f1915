import { type LocalFile, openLocalFile } from '#platform/files';
import { isNode } from '../env.js';
import { InputError } from '../errors.js';

/** Mono PCM samples in [-1, 1] at a sample rate. */
export interface AudioSamples {
  samples: Float32Array;
  sampleRate: number;
}

/**
 * Every audio input the audio tasks accept: a WAV file path (Node), WAV bytes, mono samples with
 * their rate, or (browsers) an `AudioBuffer`.
 */
export type AudioInput =
  | string
  | Uint8Array
  | ArrayBuffer
  | AudioSamples
  | { getChannelData(i: number): Float32Array; sampleRate: number; numberOfChannels: number };

/**
 * Longest audio accepted by {@link decodeAudio} and {@link parseWav}: one hour. A WAV is measured
 * from its header, so a longer file is refused before its samples are read or decoded.
 *
 * @example
 * ```ts
 * if (clip.duration > MAX_AUDIO_SECONDS) console.warn('split the recording first');
 * ```
 */
export const MAX_AUDIO_SECONDS = 3600;

/**
 * Turns any accepted audio input into mono float samples, resampled to `sampleRate` when given.
 * Bad input (empty, not a WAV, unsupported encoding, no samples, absurd rate, longer than
 * {@link MAX_AUDIO_SECONDS}, a NaN or infinite sample) is an {@link InputError}.
 *
 * @example
 * ```ts
 * const { samples } = await decodeAudio('hey.wav', { sampleRate: 16000 });
 * ```
 */
export async function decodeAudio(
  input: AudioInput,
  options: { sampleRate?: number } = {},
): Promise<AudioSamples> {
  let audio: AudioSamples;
  if (input === null || input === undefined) throw new InputError('No audio was given.');
  if (typeof input === 'string') {
    if (!isNode())
      throw new InputError(
        'Audio file paths are accepted in Node only; pass WAV bytes or samples in browsers.',
      );
    audio = await readWavFile(input);
  } else if (input instanceof ArrayBuffer) {
    audio = parseWav(new Uint8Array(input));
  } else if (ArrayBuffer.isView(input)) {
    if (input instanceof Float32Array) {
      throw new InputError('A Float32Array needs its sample rate: pass { samples, sampleRate }.');
    }
    audio = parseWav(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  } else if (typeof input === 'object' && 'samples' in input) {
    const { samples, sampleRate } = input;
    if (!(samples instanceof Float32Array))
      throw new InputError('audio.samples must be a Float32Array of mono samples in [-1, 1].');
    checkRate(sampleRate);
    checkFinite(samples, 'audio.samples');
    audio = { samples, sampleRate };
  } else if (typeof input === 'object' && 'getChannelData' in input) {
    checkRate(input.sampleRate);
    const n = input.numberOfChannels;
    const first = input.getChannelData(0);
    const mono = new Float32Array(first.length);
    for (let c = 0; c < n; c++) {
      const ch = input.getChannelData(c);
      for (let i = 0; i < mono.length; i++) mono[i]! += ch[i]! / n;
    }
    checkFinite(mono, 'The AudioBuffer');
    audio = { samples: mono, sampleRate: input.sampleRate };
  } else {
    throw new InputError(
      'Unsupported audio input: pass a WAV path (Node), WAV bytes, or { samples: Float32Array, sampleRate }.',
    );
  }
  if (!audio.samples.length) throw new InputError('The audio has no samples.');
  checkDuration(audio.samples.length, audio.sampleRate, 'The audio');
  if (options.sampleRate && options.sampleRate !== audio.sampleRate) {
    return {
      samples: resample(audio.samples, audio.sampleRate, options.sampleRate),
      sampleRate: options.sampleRate,
    };
  }
  return audio;
}

function checkRate(rate: number): void {
  if (!Number.isFinite(rate) || rate < 1000 || rate > 384000) {
    throw new InputError(`Sample rate ${rate} is not plausible; expected 1000–384000 Hz.`);
  }
}

function checkDuration(frames: number, rate: number, what: string): void {
  if (frames / rate > MAX_AUDIO_SECONDS) {
    throw new InputError(
      `${what} is ${Math.round(frames / rate)} s long, more than the ${MAX_AUDIO_SECONDS} s allowed; split it or stream it.`,
    );
  }
}

/**
 * Throws InputError at the first NaN or infinite sample: one would silently spoil every result.
 * Task packages call it on streamed chunks, which do not pass through {@link decodeAudio}.
 *
 * @example
 * ```ts
 * checkFinite(chunk, 'The audio chunk'); // InputError: … non-finite value at sample 700 (NaN) …
 * ```
 */
export function checkFinite(samples: Float32Array, what: string): void {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (v - v !== 0) {
      throw new InputError(
        `${what} has a non-finite value at sample ${i} (${v}); every sample must be a finite number in [-1, 1].`,
      );
    }
  }
}

interface WavFormat {
  format: number;
  channels: number;
  rate: number;
  bits: number;
}

function readFmt(dv: DataView, body: number, size: number, what: string): WavFormat {
  if (size < 16 || body + 16 > dv.byteLength) throw new InputError(`${what} has a truncated fmt chunk.`);
  let format = dv.getUint16(body, true);
  if (format === 0xfffe && size >= 26 && body + 26 <= dv.byteLength) format = dv.getUint16(body + 24, true);
  return {
    format,
    channels: dv.getUint16(body + 2, true),
    rate: dv.getUint32(body + 4, true),
    bits: dv.getUint16(body + 14, true),
  };
}

/** Checks the format and the length of a WAV before any sample is read; returns its frame count. */
function checkWav(fmt: WavFormat | undefined, dataLength: number | undefined, what: string): number {
  if (!fmt) throw new InputError(`${what} has no fmt chunk.`);
  if (dataLength === undefined) throw new InputError(`${what} has no data chunk.`);
  const { format, channels, rate, bits } = fmt;
  checkRate(rate);
  if (channels < 1 || channels > 32) throw new InputError(`${what} has ${channels} channels.`);
  const supported =
    (format === 1 && [8, 16, 24, 32].includes(bits)) || (format === 3 && (bits === 32 || bits === 64));
  if (!supported)
    throw new InputError(
      `${what} uses WAV format ${format} with ${bits} bits, which is not supported (PCM 8/16/24/32 or float 32/64).`,
    );
  const frames = Math.floor(dataLength / ((bits / 8) * channels));
  checkDuration(frames, rate, what);
  return frames;
}

/** Decodes `frames` interleaved frames starting at `start` of `dv` into mono samples. */
function decodeFrames(
  dv: DataView,
  start: number,
  frames: number,
  fmt: WavFormat,
  what: string,
): Float32Array {
  const { format, channels, bits } = fmt;
  const bytesPer = bits / 8;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const o = start + (i * channels + c) * bytesPer;
      let v: number;
      if (format === 3) v = bits === 32 ? dv.getFloat32(o, true) : dv.getFloat64(o, true);
      else if (bits === 8) v = (dv.getUint8(o) - 128) / 128;
      else if (bits === 16) v = dv.getInt16(o, true) / 32768;
      else if (bits === 24)
        v = ((dv.getUint8(o) | (dv.getUint8(o + 1) << 8) | (dv.getInt8(o + 2) << 16)) as number) / 8388608;
      else v = dv.getInt32(o, true) / 2147483648;
      sum += v;
    }
    out[i] = sum / channels;
  }
  if (format === 3) checkFinite(out, what);
  return out;
}

/**
 * Reads a WAV file in Node: the chunk headers first (a few small reads), then, once the format and
 * the length are accepted, only the data chunk. A file longer than {@link MAX_AUDIO_SECONDS} is
 * refused after reading its header.
 */
async function readWavFile(path: string): Promise<AudioSamples> {
  const what = `Audio file "${path}"`;
  const cannot = (error: unknown) =>
    new InputError(`${what} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, {
      cause: error,
    });
  let handle: LocalFile;
  try {
    handle = await openLocalFile(path);
  } catch (error) {
    throw cannot(error);
  }
  try {
    let size: number;
    try {
      const stat = await handle.stat();
      if (stat.isDirectory) throw new InputError(`${what} is a directory, not a WAV file.`);
      size = stat.size;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw cannot(error);
    }
    const readAt = async (position: number, length: number): Promise<DataView> => {
      const buf = new Uint8Array(Math.max(0, Math.min(length, size - position)));
      let got = 0;
      try {
        while (got < buf.byteLength) {
          const bytesRead = await handle.read(buf, got, buf.byteLength - got, position + got);
          if (!bytesRead) break;
          got += bytesRead;
        }
      } catch (error) {
        throw cannot(error);
      }
      return new DataView(buf.buffer, 0, got);
    };
    const head = await readAt(0, 12);
    const tag = (dv: DataView, o: number) =>
      String.fromCharCode(dv.getUint8(o), dv.getUint8(o + 1), dv.getUint8(o + 2), dv.getUint8(o + 3));
    if (head.byteLength < 12)
      throw new InputError(`${what} is ${head.byteLength ? 'too short to be' : 'empty, not'} a WAV file.`);
    if (tag(head, 0) !== 'RIFF' || tag(head, 8) !== 'WAVE')
      throw new InputError(`${what} is not a WAV (RIFF/WAVE) file.`);
    let offset = 12;
    let fmt: WavFormat | undefined;
    let data: { start: number; length: number } | undefined;
    while (offset + 8 <= size && !(fmt && data)) {
      const chunk = await readAt(offset, 8);
      const id = tag(chunk, 0);
      const chunkSize = chunk.getUint32(4, true);
      const body = offset + 8;
      if (id === 'fmt ') fmt = readFmt(await readAt(body, Math.min(chunkSize, 64)), 0, chunkSize, what);
      else if (id === 'data') data = { start: body, length: Math.min(chunkSize, size - body) };
      offset = body + chunkSize + (chunkSize % 2);
    }
    const frames = checkWav(fmt, data?.length, what);
    const bytesPerFrame = (fmt!.bits / 8) * fmt!.channels;
    const samples = await readAt(data!.start, frames * bytesPerFrame);
    return {
      samples: decodeFrames(samples, 0, Math.floor(samples.byteLength / bytesPerFrame), fmt!, what),
      sampleRate: fmt!.rate,
    };
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Parses a RIFF/WAVE file (PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE) into mono
 * samples in [-1, 1]; channels are averaged. A WAV longer than {@link MAX_AUDIO_SECONDS} is refused
 * from its header, before any sample is decoded; a NaN or infinite float sample is refused too.
 *
 * @example
 * ```ts
 * const { samples, sampleRate } = parseWav(await readFile('clip.wav'));
 * ```
 */
export function parseWav(bytes: Uint8Array, name = 'The audio bytes'): AudioSamples {
  const what = name === 'The audio bytes' ? name : `Audio file "${name}"`;
  if (bytes.byteLength < 12)
    throw new InputError(`${what} is ${bytes.byteLength ? 'too short to be' : 'empty, not'} a WAV file.`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new InputError(`${what} is not a WAV (RIFF/WAVE) file.`);
  let offset = 12;
  let fmt: WavFormat | undefined;
  let data: { start: number; length: number } | undefined;
  while (offset + 8 <= bytes.byteLength) {
    const id = tag(offset);
    const size = dv.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      fmt = readFmt(dv, body, size, what);
    } else if (id === 'data') {
      data = { start: body, length: Math.min(size, bytes.byteLength - body) };
      if (fmt) break;
    }
    offset = body + size + (size % 2);
  }
  const frames = checkWav(fmt, data?.length, what);
  return { samples: decodeFrames(dv, data!.start, frames, fmt!, what), sampleRate: fmt!.rate };
}

/**
 * Encodes mono samples as a 16-bit PCM WAV file.
 *
 * @example
 * ```ts
 * await writeFile('out.wav', encodeWav({ samples, sampleRate: 16000 }));
 * ```
 */
export function encodeWav(audio: AudioSamples): Uint8Array {
  const n = audio.samples.length;
  const buf = new ArrayBuffer(44 + n * 2);
  const dv = new DataView(buf);
  const w = (o: number, s: string) => {
    for (let i = 0; i < 4; i++) dv.setUint8(o + i, s.charCodeAt(i));
  };
  w(0, 'RIFF');
  dv.setUint32(4, 36 + n * 2, true);
  w(8, 'WAVE');
  w(12, 'fmt ');
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true);
  dv.setUint16(22, 1, true);
  dv.setUint32(24, audio.sampleRate, true);
  dv.setUint32(28, audio.sampleRate * 2, true);
  dv.setUint16(32, 2, true);
  dv.setUint16(34, 16, true);
  w(36, 'data');
  dv.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++)
    dv.setInt16(44 + i * 2, Math.max(-32768, Math.min(32767, Math.round(audio.samples[i]! * 32768))), true);
  return new Uint8Array(buf);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * A windowed-sinc resampler that can be fed in chunks of any size and gives exactly the same
 * samples as resampling the whole signal at once (each output sample depends only on its
 * absolute position).
 *
 * @example
 * ```ts
 * const r = new StreamingResampler(48000, 16000);
 * const a = r.push(chunk1);
 * const b = r.push(chunk2);
 * const tail = r.flush();
 * ```
 */
export class StreamingResampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly cutoff: number;
  private readonly radius: number;
  private readonly phases: number;
  private readonly table: Map<number, Float32Array> = new Map();
  private buffer = new Float32Array(0);
  /** Absolute input index of buffer[0]. */
  private base = 0;
  /** Total input samples pushed. */
  private total = 0;
  /** Next output index. */
  private next = 0;

  constructor(inRate: number, outRate: number, halfWidth = 16) {
    checkRate(inRate);
    checkRate(outRate);
    this.inRate = inRate;
    this.outRate = outRate;
    this.cutoff = Math.min(1, outRate / inRate) * 0.97;
    this.radius = Math.ceil(halfWidth / this.cutoff);
    this.phases = outRate / gcd(inRate, outRate);
  }

  private weights(num: number): Float32Array {
    // The output's position is floor + num/outRate in input samples; weights depend only on num.
    const cached = this.table.get(num);
    if (cached) return cached;
    const frac = num / this.outRate;
    const R = this.radius;
    const w = new Float32Array(2 * R);
    let sum = 0;
    for (let j = 0; j < 2 * R; j++) {
      const d = frac - (j - R + 1); // t - k
      const x = this.cutoff * d;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const win = Math.abs(d) >= R ? 0 : 0.5 + 0.5 * Math.cos((Math.PI * d) / R);
      w[j] = sinc * win;
      sum += w[j]!;
    }
    for (let j = 0; j < w.length; j++) w[j]! /= sum;
    if (this.phases <= 4096) this.table.set(num, w);
    return w;
  }

  private emit(limitExclusiveInput: number, final: boolean): Float32Array {
    if (this.inRate === this.outRate) {
      const out = this.buffer;
      this.next += out.length;
      this.base += out.length;
      this.buffer = new Float32Array(0);
      return out;
    }
    const R = this.radius;
    const out: number[] = [];
    for (;;) {
      const pos = this.next * this.inRate;
      const floor = Math.floor(pos / this.outRate);
      if (final ? floor >= this.total : floor + R >= limitExclusiveInput) break;
      const w = this.weights(pos % this.outRate);
      let acc = 0;
      for (let j = 0; j < 2 * R; j++) {
        const k = floor - R + 1 + j - this.base;
        if (k >= 0 && k < this.buffer.length) acc += this.buffer[k]! * w[j]!;
      }
      out.push(acc);
      this.next++;
    }
    // Drop input no future output needs.
    const needFrom = Math.floor((this.next * this.inRate) / this.outRate) - R + 1;
    const drop = Math.max(0, Math.min(this.buffer.length, needFrom - this.base));
    if (drop > 0) {
      this.buffer = this.buffer.slice(drop);
      this.base += drop;
    }
    return Float32Array.from(out);
  }

  /** Feeds samples; returns the output samples that are now complete. */
  push(samples: Float32Array): Float32Array {
    const merged = new Float32Array(this.buffer.length + samples.length);
    merged.set(this.buffer);
    merged.set(samples, this.buffer.length);
    this.buffer = merged;
    this.total += samples.length;
    return this.emit(this.total, false);
  }

  /** Ends the stream: returns the remaining output samples (the input is taken as zero past its end). */
  flush(): Float32Array {
    return this.emit(this.total, true);
  }
}

/**
 * Resamples a whole signal (see {@link StreamingResampler}).
 *
 * @example
 * ```ts
 * const at16k = resample(samples, 44100, 16000);
 * ```
 */
export function resample(samples: Float32Array, inRate: number, outRate: number): Float32Array {
  if (inRate === outRate) return samples;
  const r = new StreamingResampler(inRate, outRate);
  const a = r.push(samples);
  const b = r.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
