import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeAudio, encodeWav, InputError, MAX_AUDIO_SECONDS, parseWav } from '../src/index.js';

// Watch how much of each file decodeAudio reads: readFile calls and bytes read through open().
const io = vi.hoisted(() => ({ readFile: [] as string[], bytesRead: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = (async (...args: Parameters<typeof real.readFile>) => {
    io.readFile.push(String(args[0]));
    return real.readFile(...args);
  }) as typeof real.readFile;
  const open = (async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    return new Proxy(handle, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key === 'read') {
          return async (...a: unknown[]) => {
            const r = await (value as (...x: unknown[]) => Promise<{ bytesRead: number }>).apply(target, a);
            io.bytesRead += r.bytesRead;
            return r;
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }) as typeof real.open;
  const mocked = { ...real, readFile, open };
  return { ...mocked, default: mocked };
});

function wavHeader(o: { rate: number; channels: number; bits: number; format?: number; dataLength: number }) {
  const b = new Uint8Array(44);
  const dv = new DataView(b.buffer);
  const tag = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) b[at + i] = s.charCodeAt(i);
  };
  const block = (o.channels * o.bits) / 8;
  tag(0, 'RIFF');
  dv.setUint32(4, Math.min(0xffffffff, 36 + o.dataLength), true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  dv.setUint32(16, 16, true);
  dv.setUint16(20, o.format ?? 1, true);
  dv.setUint16(22, o.channels, true);
  dv.setUint32(24, o.rate, true);
  dv.setUint32(28, o.rate * block, true);
  dv.setUint16(32, block, true);
  dv.setUint16(34, o.bits, true);
  tag(36, 'data');
  dv.setUint32(40, Math.min(0xffffffff, o.dataLength), true);
  return b;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ondevice-audio-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  io.readFile.length = 0;
  io.bytesRead = 0;
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('audio length is checked from the WAV header', () => {
  it('rejects a 3-hour WAV file after reading only its header', async () => {
    // 3 h of 8 kHz 8-bit mono = 86 MB; a sparse file, so it costs no disk.
    const path = join(dir, 'three-hours.wav');
    const dataLength = 3 * 3600 * 8000;
    const fd = openSync(path, 'w');
    writeSync(fd, wavHeader({ rate: 8000, channels: 1, bits: 8, dataLength }));
    ftruncateSync(fd, 44 + dataLength);
    closeSync(fd);
    const error = await failure(decodeAudio(path));
    expect(io.readFile).toEqual([]);
    expect(io.bytesRead).toBeLessThan(1024 * 1024);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/10800 s/);
    expect((error as Error).message).toMatch(new RegExp(`${MAX_AUDIO_SECONDS} s`));
  });

  it('rejects 3 hours of WAV bytes before decoding the samples', () => {
    const header = wavHeader({ rate: 8000, channels: 1, bits: 8, dataLength: 3 * 3600 * 8000 });
    const bytes = new Uint8Array(44 + 3 * 3600 * 8000);
    bytes.set(header);
    expect(() => parseWav(bytes)).toThrow(/10800 s/);
  });

  it('reads a file with a large chunk before the data chunk, and only the data it needs', async () => {
    const rate = 16000;
    const samples = Float32Array.from({ length: rate }, (_, i) => Math.sin(i / 10) * 0.5);
    const wav = encodeWav({ samples, sampleRate: rate });
    // RIFF + fmt (36 bytes), then a 2 MB LIST chunk, then data.
    const list = new Uint8Array(8 + 2 * 1024 * 1024);
    list.set([0x4c, 0x49, 0x53, 0x54]);
    new DataView(list.buffer).setUint32(4, 2 * 1024 * 1024, true);
    const file = new Uint8Array(wav.byteLength + list.byteLength);
    file.set(wav.subarray(0, 36));
    file.set(list, 36);
    file.set(wav.subarray(36), 36 + list.byteLength);
    new DataView(file.buffer).setUint32(4, file.byteLength - 8, true);
    const path = join(dir, 'with-list.wav');
    await writeFile(path, file);
    const fromFile = await decodeAudio(path);
    expect(fromFile.sampleRate).toBe(rate);
    expect(fromFile.samples.length).toBe(rate);
    expect(fromFile.samples[100]).toBeCloseTo(samples[100]!, 3);
    expect(io.bytesRead).toBeLessThan(file.byteLength - 1024 * 1024);
    const fromBytes = parseWav(file);
    expect(Array.from(fromBytes.samples)).toEqual(Array.from(fromFile.samples));
  });

  it('uses the real file size when the data chunk claims more (a streamed WAV)', async () => {
    const rate = 16000;
    const header = wavHeader({ rate, channels: 1, bits: 16, dataLength: 0xffffffff });
    const file = new Uint8Array(44 + rate * 2);
    file.set(header);
    const path = join(dir, 'streamed.wav');
    await writeFile(path, file);
    const audio = await decodeAudio(path);
    expect(audio.samples.length).toBe(rate);
  });

  it('rejects a WAV file without a data chunk', async () => {
    const path = join(dir, 'no-data.wav');
    await writeFile(path, wavHeader({ rate: 16000, channels: 1, bits: 16, dataLength: 0 }).subarray(0, 36));
    await expect(decodeAudio(path)).rejects.toThrow(/no data chunk/);
  });
});

describe('non-finite samples are refused', () => {
  it('NaN every 0.25 s in { samples, sampleRate } names the first bad index', async () => {
    const samples = new Float32Array(16000 * 2).fill(0.1);
    for (let i = 4000; i < samples.length; i += 4000) samples[i] = Number.NaN;
    const error = await failure(decodeAudio({ samples, sampleRate: 16000 }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/sample 4000 /);
    expect((error as Error).message).toMatch(/NaN/);
  });

  it('Infinity and -Infinity', async () => {
    const samples = new Float32Array(100);
    samples[7] = Number.NEGATIVE_INFINITY;
    await expect(decodeAudio({ samples, sampleRate: 16000 })).rejects.toThrow(/sample 7 .*-Infinity/);
  });

  it('NaN in an AudioBuffer-like channel', async () => {
    const left = new Float32Array(100);
    const right = new Float32Array(100);
    right[42] = Number.NaN;
    const buffer = {
      numberOfChannels: 2,
      sampleRate: 16000,
      getChannelData: (c: number) => [left, right][c]!,
    };
    await expect(decodeAudio(buffer)).rejects.toThrow(/sample 42 /);
  });

  it('NaN in a 32-bit float WAV', async () => {
    const header = wavHeader({ rate: 16000, channels: 1, bits: 32, format: 3, dataLength: 400 });
    const bytes = new Uint8Array(444);
    bytes.set(header);
    new DataView(bytes.buffer).setFloat32(44 + 4 * 9, Number.NaN, true);
    await expect(decodeAudio(bytes)).rejects.toThrow(/sample 9 /);
  });

  it('finite samples are still accepted unchanged', async () => {
    const samples = Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i));
    const audio = await decodeAudio({ samples, sampleRate: 16000 });
    expect(audio.samples).toBe(samples);
  });
});
