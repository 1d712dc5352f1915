import { InputError } from '../errors.js';
import { checkDimensions, type ImagePixels } from './pixels.js';

const COMPRESSION: Record<number, string> = {
  1: 'none',
  2: 'CCITT RLE',
  3: 'CCITT Group 3',
  4: 'CCITT Group 4',
  5: 'LZW',
  6: 'old JPEG',
  7: 'JPEG',
  8: 'Deflate',
  32773: 'PackBits',
  32946: 'Deflate',
  34712: 'JPEG 2000',
  50000: 'Zstandard',
  34925: 'LZMA',
  50001: 'WebP',
};

/** Baseline TIFF tags read here. */
interface Ifd {
  width: number;
  height: number;
  bits: number[];
  compression: number;
  photometric: number;
  samples: number;
  planar: number;
  predictor: number;
  rowsPerStrip: number;
  stripOffsets: number[];
  stripByteCounts: number[];
  colorMap: number[] | undefined;
  extraSamples: number[];
  tiled: boolean;
}

function fail(why: string): never {
  throw new InputError(
    `The TIFF image ${why}. Decode it in Node (sharp reads every TIFF), or convert it to PNG.`,
  );
}

/** Reads the IFD chain up to page `page` (0-based) and its tags; throws saying how many pages there are. */
function readIfd(bytes: Uint8Array, page: number): Ifd {
  const n = bytes.byteLength;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n);
  const little = bytes[0] === 0x49;
  if (n < 8 || !((little && bytes[1] === 0x49) || (!little && bytes[0] === 0x4d && bytes[1] === 0x4d))) {
    fail('has no "II" or "MM" byte-order mark');
  }
  const magic = dv.getUint16(2, little);
  if (magic === 43) fail('is a BigTIFF, which only the Node decoder reads');
  if (magic !== 42) fail(`has magic number ${magic} instead of 42`);
  let at = dv.getUint32(4, little);
  for (let p = 0; p < page; p++) {
    if (at === 0 || at + 2 > n) break;
    const count = dv.getUint16(at, little);
    if (at + 2 + count * 12 + 4 > n) fail('is truncated inside an image directory');
    at = dv.getUint32(at + 2 + count * 12, little);
    if (at === 0) {
      throw new InputError(
        `The TIFF image has ${p + 1} page${p ? 's' : ''}; page ${page} does not exist (pages count from 0).`,
      );
    }
  }
  if (at === 0 || at + 2 > n) fail('has no image directory');
  const count = dv.getUint16(at, little);
  if (at + 2 + count * 12 > n) fail('is truncated inside its image directory');
  const size: Record<number, number> = {
    1: 1,
    2: 1,
    3: 2,
    4: 4,
    5: 8,
    6: 1,
    7: 1,
    8: 2,
    9: 4,
    10: 8,
    11: 4,
    12: 8,
    16: 8,
  };
  const values = (entry: number): number[] => {
    const type = dv.getUint16(entry + 2, little);
    const num = dv.getUint32(entry + 4, little);
    const width = size[type] ?? 1;
    const inline = width * num <= 4;
    const base = inline ? entry + 8 : dv.getUint32(entry + 8, little);
    if (base + width * num > n) fail('is truncated inside a tag');
    const out: number[] = [];
    for (let i = 0; i < num; i++) {
      const o = base + i * width;
      out.push(
        type === 3 || type === 8
          ? dv.getUint16(o, little)
          : type === 4 || type === 9
            ? dv.getUint32(o, little)
            : bytes[o]!,
      );
    }
    return out;
  };
  const tags = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const entry = at + 2 + i * 12;
    const tag = dv.getUint16(entry, little);
    if ([256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 317, 320, 322, 338].includes(tag))
      tags.set(tag, values(entry));
  }
  const one = (tag: number, fallback?: number) => {
    const v = tags.get(tag)?.[0] ?? fallback;
    if (v === undefined) fail(`has no tag ${tag}`);
    return v;
  };
  const samples = one(277, 1);
  return {
    width: one(256),
    height: one(257),
    bits: tags.get(258) ?? new Array(samples).fill(1),
    compression: one(259, 1),
    photometric: one(262),
    samples,
    planar: one(284, 1),
    predictor: one(317, 1),
    rowsPerStrip: Math.min(one(278, 2 ** 32 - 1), one(257)),
    stripOffsets: tags.get(273) ?? [],
    stripByteCounts: tags.get(279) ?? [],
    colorMap: tags.get(320),
    extraSamples: tags.get(338) ?? [],
    tiled: tags.has(322),
  };
}

/**
 * The size the first image directory of a TIFF declares, or `undefined` when the bytes are not a
 * classic TIFF or the directory is not within them (it may sit at the end of the file).
 *
 * @internal
 * @example
 * ```ts
 * readTiffSize(new Uint8Array(await blob.slice(0, 262144).arrayBuffer())); // { width: 640, height: 480 }
 * ```
 */
export function readTiffSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    const { width, height } = readIfd(bytes, 0);
    return { width, height };
  } catch {
    return undefined;
  }
}

/** TIFF LZW (MSB-first codes, 9–12 bits, early change). */
function lzw(src: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let o = 0;
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const length = new Int32Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
    prefix[i] = -1;
  }
  let next = 258;
  let bits = 9;
  let old = -1;
  let pos = 0; // bit position
  const total = src.byteLength * 8;
  const emit = (code: number) => {
    const len = length[code]!;
    let c = code;
    for (let i = len - 1; i >= 0; i--) {
      if (o + i < expected) out[o + i] = suffix[c]!;
      c = prefix[c]!;
    }
    o += len;
  };
  while (pos + bits <= total && o < expected) {
    let code = 0;
    for (let i = 0; i < bits; i++, pos++) code = (code << 1) | ((src[pos >> 3]! >> (7 - (pos & 7))) & 1);
    if (code === 256) {
      next = 258;
      bits = 9;
      old = -1;
      continue;
    }
    if (code === 257) break;
    if (old === -1) {
      if (code > 255) fail('has corrupt LZW data');
      emit(code);
      old = code;
      continue;
    }
    if (code < next) {
      emit(code);
      if (next < 4096) {
        prefix[next] = old;
        suffix[next] = first[code]!;
        first[next] = first[old]!;
        length[next] = length[old]! + 1;
        next++;
      }
    } else if (code === next && next < 4096) {
      prefix[next] = old;
      suffix[next] = first[old]!;
      first[next] = first[old]!;
      length[next] = length[old]! + 1;
      next++;
      emit(code);
    } else {
      fail('has corrupt LZW data');
    }
    old = code;
    if (next + 1 >= 1 << bits && bits < 12) bits++;
  }
  return out;
}

function packBits(src: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let o = 0;
  let i = 0;
  while (i < src.byteLength && o < expected) {
    const h = (src[i++]! << 24) >> 24;
    if (h >= 0) {
      out.set(src.subarray(i, i + h + 1).subarray(0, expected - o), o);
      o += h + 1;
      i += h + 1;
    } else if (h !== -128) {
      out.fill(src[i++]!, o, Math.min(expected, o + 1 - h));
      o += 1 - h;
    }
  }
  return out;
}

async function inflate(src: Uint8Array): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined')
    fail('is Deflate-compressed and this runtime has no DecompressionStream');
  try {
    const stream = new Blob([src as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('deflate'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new InputError('The TIFF image has corrupt Deflate data. Convert it to PNG.', { cause: error });
  }
}

/**
 * Decodes a baseline TIFF to 8-bit RGB in pure TypeScript, for browsers (Node uses sharp, which
 * reads every TIFF). Covers what scanners and image tools write by default: strips (not tiles),
 * uncompressed, LZW (with or without the horizontal predictor), PackBits or Deflate; 1-, 4-, 8- and
 * 16-bit grey (either polarity), palettes, 8- and 16-bit RGB with or without alpha (composited over
 * white), and CMYK by the naive formula (no ICC profile). Page `page` of a multi-page file. CCITT fax,
 * JPEG-in-TIFF, tiles, planar files and BigTIFF reject with {@link InputError} naming what it is.
 * The size is checked against `maxPixels` before any pixel memory is spent.
 *
 * @example
 * ```ts
 * const { data, width, height } = await decodeTiff(new Uint8Array(await file.arrayBuffer()));
 * ```
 */
export async function decodeTiff(bytes: Uint8Array, maxPixels?: number, page = 0): Promise<ImagePixels> {
  const ifd = readIfd(bytes, page);
  const { width, height, samples, photometric, compression } = ifd;
  checkDimensions(width, height, maxPixels);
  const name = COMPRESSION[compression] ?? `compression ${compression}`;
  if (![1, 5, 8, 32773, 32946].includes(compression))
    fail(`uses ${name} compression, which only the Node decoder reads`);
  if (ifd.tiled) fail('is tiled, which only the Node decoder reads');
  if (ifd.planar !== 1 && samples > 1)
    fail('stores its channels in separate planes, which only the Node decoder reads');
  const bps = ifd.bits[0]!;
  if (!ifd.bits.every((b) => b === bps) || ![1, 2, 4, 8, 16].includes(bps))
    fail(`has ${ifd.bits.join('/')} bits a sample`);
  if (![0, 1, 2, 3, 5].includes(photometric))
    fail(`has photometric interpretation ${photometric} (YCbCr, Lab…)`);
  const colourSamples = photometric === 2 ? 3 : photometric === 5 ? 4 : 1;
  if (samples < colourSamples) fail(`has ${samples} samples a pixel for photometric ${photometric}`);
  const rowBytes = Math.ceil((width * samples * bps) / 8);
  const raster = new Uint8Array(rowBytes * height);
  const strips = ifd.stripOffsets.length;
  if (!strips || ifd.stripByteCounts.length !== strips) fail('has no strip offsets or byte counts');
  for (let s = 0; s < strips; s++) {
    const offset = ifd.stripOffsets[s]!;
    const count = ifd.stripByteCounts[s]!;
    if (offset + count > bytes.byteLength) fail('is truncated inside its pixel data');
    const rows = Math.min(ifd.rowsPerStrip, height - s * ifd.rowsPerStrip);
    if (rows <= 0) break;
    const expected = rows * rowBytes;
    const src = bytes.subarray(offset, offset + count);
    let strip: Uint8Array;
    if (compression === 1) strip = src;
    else if (compression === 5) strip = lzw(src, expected);
    else if (compression === 32773) strip = packBits(src, expected);
    else strip = await inflate(src);
    if (strip.byteLength < expected) fail('is truncated inside its pixel data');
    raster.set(strip.subarray(0, expected), s * ifd.rowsPerStrip * rowBytes);
  }
  // The horizontal predictor: each sample is the difference from the one before it in the row.
  if (ifd.predictor === 2) {
    if (bps === 8) {
      for (let y = 0; y < height; y++) {
        const r = y * rowBytes;
        for (let i = samples; i < width * samples; i++)
          raster[r + i] = (raster[r + i]! + raster[r + i - samples]!) & 0xff;
      }
    } else if (bps === 16) {
      const dv = new DataView(raster.buffer);
      const little = bytes[0] === 0x49;
      for (let y = 0; y < height; y++) {
        const r = y * rowBytes;
        for (let i = samples; i < width * samples; i++) {
          const v = (dv.getUint16(r + i * 2, little) + dv.getUint16(r + (i - samples) * 2, little)) & 0xffff;
          dv.setUint16(r + i * 2, v, little);
        }
      }
    } else fail(`uses the predictor with ${bps}-bit samples`);
  } else if (ifd.predictor !== 1) fail(`uses predictor ${ifd.predictor} (floating point)`);

  const little = bytes[0] === 0x49;
  const max = 2 ** bps - 1;
  // Sample `k` of pixel `x` in row `y`, scaled to 0–255 (palette indices are left unscaled).
  const sample = (y: number, x: number, k: number, raw = false): number => {
    const i = x * samples + k;
    let v: number;
    if (bps === 8) v = raster[y * rowBytes + i]!;
    else if (bps === 16) {
      const o = y * rowBytes + i * 2;
      v = little ? raster[o]! | (raster[o + 1]! << 8) : (raster[o]! << 8) | raster[o + 1]!;
    } else {
      const bit = i * bps;
      v = (raster[y * rowBytes + (bit >> 3)]! >> (8 - bps - (bit & 7))) & max;
    }
    return raw || bps === 8 ? v : Math.round((v * 255) / max);
  };
  const alphaIndex = ifd.extraSamples.length && samples > colourSamples ? colourSamples : -1;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r: number;
      let g: number;
      let b: number;
      if (photometric === 2) {
        r = sample(y, x, 0);
        g = sample(y, x, 1);
        b = sample(y, x, 2);
      } else if (photometric === 5) {
        const k = 255 - sample(y, x, 3);
        r = Math.round(((255 - sample(y, x, 0)) * k) / 255);
        g = Math.round(((255 - sample(y, x, 1)) * k) / 255);
        b = Math.round(((255 - sample(y, x, 2)) * k) / 255);
      } else if (photometric === 3) {
        const map = ifd.colorMap;
        const entries = 2 ** bps;
        if (!map || map.length < entries * 3) fail('is a palette image without a colour map');
        const index = sample(y, x, 0, true);
        r = map[index]! >> 8;
        g = map[entries + index]! >> 8;
        b = map[2 * entries + index]! >> 8;
      } else {
        const v = sample(y, x, 0);
        r = g = b = photometric === 0 ? 255 - v : v;
      }
      if (alphaIndex >= 0) {
        const a = sample(y, x, alphaIndex) / 255;
        // ExtraSamples 1 = premultiplied: the colour already carries the alpha.
        const keep = ifd.extraSamples[0] === 1 ? 1 : a;
        const bg = 255 * (1 - a);
        r = Math.round(r * keep + bg);
        g = Math.round(g * keep + bg);
        b = Math.round(b * keep + bg);
      }
      const o = (y * width + x) * 3;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
  return { data: out, width, height, channels: 3 };
}
