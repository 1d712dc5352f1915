import { InputError } from '../errors.js';
import { checkDimensions, type ImagePixels } from './pixels.js';

/** BMP compression codes (the DIB header's `biCompression`). */
const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_JPEG = 4;
const BI_PNG = 5;
const BI_ALPHABITFIELDS = 6;

/** One channel of a bit-field pixel: where it sits and how to widen it to 8 bits. */
interface Channel {
  mask: number;
  shift: number;
  /** 255 / (2^bits − 1), or 0 for a missing channel. */
  scale: number;
}

function channel(mask: number): Channel {
  const m = mask >>> 0;
  if (!m) return { mask: 0, shift: 0, scale: 0 };
  let shift = 0;
  while (!((m >>> shift) & 1)) shift++;
  let bits = 0;
  while ((m >>> (shift + bits)) & 1) bits++;
  return { mask: m, shift, scale: 255 / (2 ** bits - 1) };
}

function read(c: Channel, px: number): number {
  return c.mask ? Math.round(((px & c.mask) >>> c.shift) * c.scale) : 0;
}

/**
 * Decodes a Windows or OS/2 bitmap (`.bmp`, `.dib`) to upright 8-bit RGB, in pure TypeScript (no
 * native code, so the same in Node and browsers). Covers every layout in use: 1-, 4- and 8-bit
 * palettes, 16-bit (RGB555 by default, or any bit fields), 24-bit, 32-bit (BI_RGB, whose fourth
 * byte is ignored, or bit fields with an alpha mask, composited over white), RLE8 and RLE4,
 * bottom-up and top-down rows, and the 12, 40, 52, 56, 64, 108 and 124-byte headers.
 * The size is checked against `maxPixels` from the header, before any pixel memory is spent.
 * BMPs that wrap a JPEG or PNG, and truncated or corrupt files, reject with {@link InputError}.
 *
 * @example
 * ```ts
 * const { data, width, height } = decodeBmp(new Uint8Array(await readFile('scan.bmp')));
 * ```
 */
export function decodeBmp(bytes: Uint8Array, maxPixels?: number): ImagePixels {
  const n = bytes.byteLength;
  const fail = (why: string): never => {
    throw new InputError(`The BMP image ${why}. Re-save it as PNG, BMP (24-bit) or JPEG.`);
  };
  if (n < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) fail('has no "BM" signature');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n);
  const dataOffset = dv.getUint32(10, true);
  const dib = dv.getUint32(14, true);
  if (14 + dib > n) fail(`is truncated inside its ${dib}-byte header`);
  let width: number;
  let rawHeight: number;
  let bpp: number;
  let compression = BI_RGB;
  let colorsUsed = 0;
  if (dib === 12) {
    // BITMAPCOREHEADER (OS/2 1.x): unsigned 16-bit sizes, 3-byte palette entries.
    width = dv.getUint16(18, true);
    rawHeight = dv.getInt16(20, true);
    bpp = dv.getUint16(24, true);
  } else if (dib >= 40) {
    width = dv.getInt32(18, true);
    rawHeight = dv.getInt32(22, true);
    bpp = dv.getUint16(28, true);
    compression = dv.getUint32(30, true);
    colorsUsed = dv.getUint32(46, true);
  } else {
    return fail(`has a ${dib}-byte DIB header, which no BMP version uses`);
  }
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  // The pixel limit first: nothing below allocates before this.
  checkDimensions(width, height, maxPixels);
  if (compression === BI_JPEG || compression === BI_PNG) {
    fail(
      `wraps a ${compression === BI_JPEG ? 'JPEG' : 'PNG'} stream (a printer format); open that stream instead`,
    );
  }
  if (![BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(compression)) {
    fail(`uses compression ${compression}, which is not a standard BMP compression`);
  }
  if (![1, 2, 4, 8, 16, 24, 32].includes(bpp))
    fail(`has ${bpp} bits a pixel (BMP allows 1, 4, 8, 16, 24, 32)`);
  if ((compression === BI_RLE8 && bpp !== 8) || (compression === BI_RLE4 && bpp !== 4)) {
    fail(`says RLE${compression === BI_RLE8 ? 8 : 4} with ${bpp} bits a pixel`);
  }
  if ((compression === BI_RLE8 || compression === BI_RLE4) && topDown)
    fail('is RLE-compressed and top-down, which BMP forbids');

  // Bit fields: in the header from version 2 (52 bytes) on, else in 12 or 16 bytes after it.
  let masks: [number, number, number, number] | undefined;
  let paletteAt = 14 + dib;
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    if (bpp !== 16 && bpp !== 32) fail(`has bit fields with ${bpp} bits a pixel (only 16 or 32 allowed)`);
    const inHeader = dib >= 52;
    const at = inHeader ? 54 : 14 + dib;
    const count = compression === BI_ALPHABITFIELDS || (inHeader && dib >= 56) ? 4 : 3;
    if (at + count * 4 > n) fail('is truncated inside its colour masks');
    masks = [
      dv.getUint32(at, true),
      dv.getUint32(at + 4, true),
      dv.getUint32(at + 8, true),
      count === 4 ? dv.getUint32(at + 12, true) : 0,
    ];
    if (!inHeader) paletteAt += count * 4;
  } else if (bpp === 16) {
    masks = [0x7c00, 0x03e0, 0x001f, 0]; // BI_RGB 16-bit is RGB555
  } else if (bpp === 32) {
    masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0]; // BI_RGB 32-bit: the fourth byte is unused
  }

  // The palette (1/2/4/8-bit): BGRx entries, BGR in the OS/2 1.x header.
  let palette: Uint8Array | undefined;
  if (bpp <= 8) {
    const entrySize = dib === 12 ? 3 : 4;
    const maxColors = 1 << bpp;
    const count = colorsUsed > 0 && colorsUsed <= maxColors ? colorsUsed : maxColors;
    const available = Math.max(0, Math.floor((Math.min(dataOffset, n) - paletteAt) / entrySize));
    const used = Math.min(count, available);
    if (!used) fail('has a palette format but no palette');
    palette = new Uint8Array(maxColors * 3); // entries past the palette read as black
    for (let i = 0; i < used; i++) {
      const at = paletteAt + i * entrySize;
      palette[i * 3] = bytes[at + 2]!;
      palette[i * 3 + 1] = bytes[at + 1]!;
      palette[i * 3 + 2] = bytes[at]!;
    }
  }
  if (dataOffset >= n) fail('has no pixel data (it is truncated)');

  const out = new Uint8Array(width * height * 3);
  // Row `r` of the file is image row `rowOf(r)`.
  const rowOf = (r: number) => (topDown ? r : height - 1 - r);

  if (compression === BI_RLE8 || compression === BI_RLE4) {
    decodeRle(bytes, dataOffset, width, height, bpp, palette!, out);
    return { data: out, width, height, channels: 3 };
  }

  const stride = Math.floor((width * bpp + 31) / 32) * 4;
  if (dataOffset + stride * height > n) {
    fail(
      `is truncated: ${height} rows of ${stride} bytes need ${dataOffset + stride * height} bytes, the file has ${n}`,
    );
  }
  if (palette) {
    const perByte = 8 / bpp;
    const valueMask = (1 << bpp) - 1;
    for (let r = 0; r < height; r++) {
      const src = dataOffset + r * stride;
      let o = rowOf(r) * width * 3;
      for (let x = 0; x < width; x++) {
        const byte = bytes[src + Math.floor(x / perByte)]!;
        const index = (byte >> (8 - bpp * ((x % perByte) + 1))) & valueMask;
        out[o++] = palette[index * 3]!;
        out[o++] = palette[index * 3 + 1]!;
        out[o++] = palette[index * 3 + 2]!;
      }
    }
  } else if (bpp === 24) {
    for (let r = 0; r < height; r++) {
      let src = dataOffset + r * stride;
      let o = rowOf(r) * width * 3;
      for (let x = 0; x < width; x++, src += 3) {
        out[o++] = bytes[src + 2]!;
        out[o++] = bytes[src + 1]!;
        out[o++] = bytes[src]!;
      }
    }
  } else {
    const [red, green, blue, alpha] = masks!.map(channel) as [Channel, Channel, Channel, Channel];
    const wide = bpp === 32;
    // An alpha mask whose every value is 0 is a file that never meant transparency: show it opaque.
    let useAlpha = alpha.mask !== 0;
    if (useAlpha) {
      useAlpha = false;
      scan: for (let r = 0; r < height; r++) {
        const src = dataOffset + r * stride;
        for (let x = 0; x < width; x++) {
          const px = wide ? dv.getUint32(src + x * 4, true) : dv.getUint16(src + x * 2, true);
          if (px & alpha.mask) {
            useAlpha = true;
            break scan;
          }
        }
      }
    }
    for (let r = 0; r < height; r++) {
      const src = dataOffset + r * stride;
      let o = rowOf(r) * width * 3;
      for (let x = 0; x < width; x++) {
        const px = wide ? dv.getUint32(src + x * 4, true) : dv.getUint16(src + x * 2, true);
        let rv = read(red, px);
        let gv = read(green, px);
        let bv = read(blue, px);
        if (useAlpha) {
          const a = read(alpha, px) / 255;
          const bg = 255 * (1 - a);
          rv = Math.round(rv * a + bg);
          gv = Math.round(gv * a + bg);
          bv = Math.round(bv * a + bg);
        }
        out[o++] = rv;
        out[o++] = gv;
        out[o++] = bv;
      }
    }
  }
  return { data: out, width, height, channels: 3 };
}

/**
 * RLE8 / RLE4 (bottom-up only). Pixels the stream skips (delta and early end-of-line codes) are
 * transparent by the format; they are left white, as if composited over white like any alpha.
 */
function decodeRle(
  bytes: Uint8Array,
  start: number,
  width: number,
  height: number,
  bpp: number,
  palette: Uint8Array,
  out: Uint8Array,
): void {
  out.fill(255);
  const n = bytes.byteLength;
  let x = 0;
  let r = 0; // file row, 0 = bottom
  let at = start;
  const put = (index: number) => {
    if (x < width && r < height) {
      const o = ((height - 1 - r) * width + x) * 3;
      out[o] = palette[index * 3]!;
      out[o + 1] = palette[index * 3 + 1]!;
      out[o + 2] = palette[index * 3 + 2]!;
    }
    x++;
  };
  const truncated = () => {
    throw new InputError(
      'The RLE-compressed BMP image is truncated or corrupt. Re-save it uncompressed or as PNG.',
    );
  };
  while (r < height) {
    if (at + 1 >= n) truncated();
    const count = bytes[at]!;
    const value = bytes[at + 1]!;
    at += 2;
    if (count > 0) {
      // An encoded run: `count` pixels of one index (RLE4: two indices alternating).
      for (let i = 0; i < count; i++) put(bpp === 8 ? value : i % 2 ? value & 0x0f : value >> 4);
    } else if (value === 0) {
      x = 0; // end of line
      r++;
    } else if (value === 1) {
      return; // end of bitmap
    } else if (value === 2) {
      if (at + 1 >= n) truncated();
      x += bytes[at]!;
      r += bytes[at + 1]!;
      at += 2;
    } else {
      // An absolute run of `value` literal pixels, padded to a 16-bit boundary.
      const literalBytes = bpp === 8 ? value : Math.ceil(value / 2);
      if (at + literalBytes > n) truncated();
      for (let i = 0; i < value; i++) {
        put(bpp === 8 ? bytes[at + i]! : i % 2 ? bytes[at + (i >> 1)]! & 0x0f : bytes[at + (i >> 1)]! >> 4);
      }
      at += literalBytes + (literalBytes % 2);
    }
  }
}
