import { InputError } from '../errors.js';
import { checkDimensions, type ImagePixels } from './pixels.js';

/** The header of a Netpbm image: magic number, size and maximum sample value. */
export interface PnmHeader {
  /** `1`–`6`: P1/P4 bitmap (PBM), P2/P5 greymap (PGM), P3/P6 pixmap (PPM); 1–3 are ASCII. */
  kind: 1 | 2 | 3 | 4 | 5 | 6;
  width: number;
  height: number;
  /** Largest sample value (1 for PBM; up to 65535, 2 bytes a sample above 255). */
  maxval: number;
  /** Where the raster starts in the bytes. */
  dataOffset: number;
}

const isSpace = (c: number) =>
  c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Reads the header of a PBM, PGM or PPM image (`P1`–`P6`): whitespace and `#` comments allowed
 * between the fields, as Netpbm allows. Returns `undefined` when the bytes do not start with a
 * Netpbm magic number or the header is not within `bytes`; this reads nothing but the header.
 *
 * @internal
 * @example
 * ```ts
 * const header = readPnmHeader(new TextEncoder().encode('P5\n# scan\n640 480\n255\n'));
 * // { kind: 5, width: 640, height: 480, maxval: 255, dataOffset: 22 }
 * ```
 */
export function readPnmHeader(bytes: Uint8Array): PnmHeader | undefined {
  const n = bytes.byteLength;
  if (n < 3 || bytes[0] !== 0x50) return undefined; // 'P'
  const kind = bytes[1]! - 0x30;
  if (kind < 1 || kind > 6 || !isSpace(bytes[2]!)) return undefined;
  let at = 2;
  const field = (): number | undefined => {
    for (;;) {
      while (at < n && isSpace(bytes[at]!)) at++;
      if (at < n && bytes[at] === 0x23) {
        while (at < n && bytes[at] !== 0x0a && bytes[at] !== 0x0d) at++; // '#' comment to end of line
        continue;
      }
      break;
    }
    if (at >= n || !isDigit(bytes[at]!)) return undefined;
    let v = 0;
    while (at < n && isDigit(bytes[at]!)) {
      v = v * 10 + (bytes[at]! - 0x30);
      if (v > 0x7fffffff) return undefined;
      at++;
    }
    return v;
  };
  const width = field();
  const height = field();
  if (width === undefined || height === undefined) return undefined;
  const maxval = kind === 1 || kind === 4 ? 1 : field();
  if (maxval === undefined) return undefined;
  // Exactly one whitespace byte ends the header of the binary formats.
  if (at >= n || !isSpace(bytes[at]!)) return undefined;
  return { kind: kind as PnmHeader['kind'], width, height, maxval, dataOffset: at + 1 };
}

/**
 * Decodes a Netpbm image to 8-bit RGB, in pure TypeScript (the same in Node and browsers): PBM,
 * PGM and PPM, ASCII (`P1`–`P3`) and binary (`P4`–`P6`), any maxval up to 65535 (2-byte
 * big-endian samples above 255), scaled to 0–255. PBM's 1 is black. The size is checked against
 * `maxPixels` from the header, before any pixel memory is spent; a file holding several images
 * gives the first. PAM (`P7`), truncated or corrupt files reject with {@link InputError}.
 *
 * @example
 * ```ts
 * const { data, width, height } = decodePnm(new Uint8Array(await readFile('page.pbm')));
 * ```
 */
export function decodePnm(bytes: Uint8Array, maxPixels?: number): ImagePixels {
  const fail = (why: string): never => {
    throw new InputError(`The PNM (PBM/PGM/PPM) image ${why}. Re-save it as PNG, or as binary P4/P5/P6.`);
  };
  if (bytes.byteLength >= 2 && bytes[0] === 0x50 && bytes[1] === 0x37) {
    fail('is a PAM (P7) file, which is not supported');
  }
  const header = readPnmHeader(bytes);
  if (!header) return fail('has no valid header ("P1"–"P6", width, height, maxval)');
  const { kind, width, height, maxval, dataOffset } = header;
  checkDimensions(width, height, maxPixels);
  if (maxval < 1 || maxval > 65535) fail(`has maxval ${maxval} (allowed: 1–65535)`);
  const pixels = width * height;
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const samples = pixels * channels;
  const out = new Uint8Array(pixels * 3);
  // Sample value → 8 bits, through a table (maxval + 1 entries).
  const lut = new Uint8Array(maxval + 1);
  for (let v = 0; v <= maxval; v++) lut[v] = Math.round((v * 255) / maxval);
  const store = (i: number, v: number) => {
    if (channels === 3) out[i] = lut[v]!;
    else out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = lut[v]!;
  };

  if (kind === 4) {
    const stride = Math.ceil(width / 8);
    if (dataOffset + stride * height > bytes.byteLength) fail('is truncated');
    for (let y = 0; y < height; y++) {
      const row = dataOffset + y * stride;
      for (let x = 0; x < width; x++) {
        const bit = (bytes[row + (x >> 3)]! >> (7 - (x & 7))) & 1;
        const v = bit ? 0 : 255;
        const o = (y * width + x) * 3;
        out[o] = out[o + 1] = out[o + 2] = v;
      }
    }
    return { data: out, width, height, channels: 3 };
  }
  if (kind === 5 || kind === 6) {
    const wide = maxval > 255;
    const need = samples * (wide ? 2 : 1);
    if (dataOffset + need > bytes.byteLength) fail(`is truncated: ${need} bytes of samples expected`);
    for (let i = 0; i < samples; i++) {
      const v = wide
        ? (bytes[dataOffset + 2 * i]! << 8) | bytes[dataOffset + 2 * i + 1]!
        : bytes[dataOffset + i]!;
      if (v > maxval) fail(`has a sample ${v} above its maxval ${maxval}`);
      store(i, v);
    }
    return { data: out, width, height, channels: 3 };
  }

  // ASCII: whitespace-separated decimal samples, '#' comments allowed; in P1 each '0'/'1' is one.
  const n = bytes.byteLength;
  let at = dataOffset;
  for (let i = 0; i < samples; i++) {
    for (;;) {
      while (at < n && isSpace(bytes[at]!)) at++;
      if (at < n && bytes[at] === 0x23) {
        while (at < n && bytes[at] !== 0x0a && bytes[at] !== 0x0d) at++;
        continue;
      }
      break;
    }
    if (at >= n) fail(`is truncated: ${samples} samples expected, ${i} found`);
    if (!isDigit(bytes[at]!)) fail(`has "${String.fromCharCode(bytes[at]!)}" where a sample was expected`);
    if (kind === 1) {
      const v = bytes[at++]! - 0x30;
      if (v > 1) fail(`has a sample ${v} in a bitmap (P1 allows 0 and 1)`);
      const o = i * 3;
      out[o] = out[o + 1] = out[o + 2] = v ? 0 : 255;
      continue;
    }
    let v = 0;
    while (at < n && isDigit(bytes[at]!)) {
      v = v * 10 + (bytes[at++]! - 0x30);
      if (v > 65535) break;
    }
    if (v > maxval) fail(`has a sample ${v} above its maxval ${maxval}`);
    store(i, v);
  }
  return { data: out, width, height, channels: 3 };
}
