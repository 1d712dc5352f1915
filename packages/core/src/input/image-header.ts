import { readPnmHeader } from './pnm.js';
import { readTiffSize } from './tiff.js';

/** The size an encoded image declares in its header. */
export interface ImageHeaderSize {
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'pnm' | 'tiff';
}

/**
 * Reads the width and height an encoded PNG (IHDR), JPEG (SOFn), WebP (VP8, VP8L, VP8X), GIF
 * (logical screen), BMP (DIB header), PBM/PGM/PPM (text header) or TIFF (first image directory,
 * when it is within `bytes`) declares, from its first bytes
 * only, without decoding anything. Returns `undefined` for other formats or when the header is not within `bytes`.
 * This is how an image too large to decode is refused before any pixel memory is spent.
 *
 * @internal
 * @example
 * ```ts
 * const size = readImageSize(new Uint8Array(await blob.slice(0, 65536).arrayBuffer()));
 * if (size && size.width * size.height > 40_000_000) throw new InputError('too large');
 * ```
 */
export function readImageSize(bytes: Uint8Array): ImageHeaderSize | undefined {
  const n = bytes.byteLength;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n);
  const ascii = (at: number, s: string) => {
    if (at + s.length > n) return false;
    for (let i = 0; i < s.length; i++) if (bytes[at + i] !== s.charCodeAt(i)) return false;
    return true;
  };
  // PNG: 8-byte signature, then the IHDR chunk (length, "IHDR", width, height big-endian).
  if (n >= 24 && ascii(1, 'PNG\r\n\x1a\n') && bytes[0] === 0x89 && ascii(12, 'IHDR')) {
    return { width: dv.getUint32(16), height: dv.getUint32(20), format: 'png' };
  }
  // GIF: "GIF87a"/"GIF89a", logical screen width and height, little-endian.
  if (n >= 10 && (ascii(0, 'GIF87a') || ascii(0, 'GIF89a'))) {
    return { width: dv.getUint16(6, true), height: dv.getUint16(8, true), format: 'gif' };
  }
  // BMP: "BM", then the DIB header: 12-byte BITMAPCOREHEADER (16-bit sizes) or larger (32-bit).
  if (n >= 26 && ascii(0, 'BM')) {
    const dib = dv.getUint32(14, true);
    if (dib === 12) return { width: dv.getUint16(18, true), height: dv.getUint16(20, true), format: 'bmp' };
    if (dib >= 40) {
      return {
        width: Math.abs(dv.getInt32(18, true)),
        height: Math.abs(dv.getInt32(22, true)),
        format: 'bmp',
      };
    }
    return undefined;
  }
  // WebP: RIFF....WEBP, then a VP8 / VP8L / VP8X chunk.
  if (n >= 30 && ascii(0, 'RIFF') && ascii(8, 'WEBP')) {
    if (ascii(12, 'VP8 ') && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
      return {
        width: dv.getUint16(26, true) & 0x3fff,
        height: dv.getUint16(28, true) & 0x3fff,
        format: 'webp',
      };
    }
    if (ascii(12, 'VP8L') && bytes[20] === 0x2f) {
      const bits = dv.getUint32(21, true);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, format: 'webp' };
    }
    if (ascii(12, 'VP8X')) {
      const w = bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16);
      const h = bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16);
      return { width: w + 1, height: h + 1, format: 'webp' };
    }
    return undefined;
  }
  // PBM/PGM/PPM: "P1"–"P6", then width and height in ASCII, comments allowed.
  if (n >= 3 && bytes[0] === 0x50) {
    const pnm = readPnmHeader(bytes);
    if (pnm) return { width: pnm.width, height: pnm.height, format: 'pnm' };
  }
  // TIFF: "II*\0" / "MM\0*", then the first image directory wherever its offset points.
  if (n >= 8 && ((bytes[0] === 0x49 && bytes[1] === 0x49) || (bytes[0] === 0x4d && bytes[1] === 0x4d))) {
    const size = readTiffSize(bytes);
    return size ? { ...size, format: 'tiff' } : undefined;
  }
  // JPEG: walk the marker segments up to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
  if (n >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 4 <= n) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1]!;
      if (marker === 0xff) {
        at++; // fill byte
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2; // markers without a length
        continue;
      }
      if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan before a frame
      const length = dv.getUint16(at + 2);
      const isFrame =
        marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) {
        if (at + 9 > n) return undefined;
        return { width: dv.getUint16(at + 7), height: dv.getUint16(at + 5), format: 'jpeg' };
      }
      at += 2 + length;
    }
    return undefined;
  }
  return undefined;
}

/** Encoded image formats told apart by their first bytes, named as people know them. */
export type ImageFormatName =
  | 'JPEG'
  | 'PNG'
  | 'WebP'
  | 'GIF'
  | 'BMP'
  | 'PNM'
  | 'TIFF'
  | 'AVIF'
  | 'HEIC'
  | 'JPEG XL'
  | 'JPEG 2000'
  | 'ICO'
  | 'PSD'
  | 'PDF'
  | 'SVG';

/**
 * Names the format of encoded image bytes from their signature (magic number), or `undefined`
 * when it is none of the known ones. Reads at most the first 40 bytes; decodes nothing. Used to
 * pick a decoder and to say in an error what a file is.
 *
 * @internal
 * @example
 * ```ts
 * sniffImageFormat(new Uint8Array([0x42, 0x4d, 0, 0])); // 'BMP'
 * ```
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormatName | undefined {
  const n = bytes.byteLength;
  const at = (i: number, ...v: number[]) => i + v.length <= n && v.every((b, k) => bytes[i + k] === b);
  const ascii = (i: number, s: string) => at(i, ...Array.from(s, (c) => c.charCodeAt(0)));
  if (at(0, 0xff, 0xd8, 0xff)) return 'JPEG';
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return 'PNG';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'WebP';
  if (ascii(0, 'GIF8')) return 'GIF';
  if (ascii(0, 'BM')) return 'BMP';
  if (
    n >= 3 &&
    bytes[0] === 0x50 &&
    bytes[1]! >= 0x31 &&
    bytes[1]! <= 0x37 &&
    /\s/.test(String.fromCharCode(bytes[2]!))
  )
    return 'PNM';
  if (ascii(0, 'II*\0') || ascii(0, 'MM\0*') || ascii(0, 'II+\0') || ascii(0, 'MM\0+')) return 'TIFF';
  if (ascii(4, 'ftyp')) {
    const brands: string[] = [];
    const size = Math.min(
      n,
      40,
      ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0,
    );
    for (let i = 8; i + 4 <= size; i += 4)
      if (i !== 12) brands.push(String.fromCharCode(...bytes.subarray(i, i + 4)));
    if (brands.some((b) => b === 'avif' || b === 'avis')) return 'AVIF';
    if (brands.some((b) => /^(heic|heix|heim|heis|hevc|hevx|mif1|msf1)$/.test(b))) return 'HEIC';
    if (brands.includes('jp2 ')) return 'JPEG 2000';
    return undefined;
  }
  if (at(0, 0xff, 0x0a) || ascii(4, 'JXL ')) return 'JPEG XL';
  if (at(0, 0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20)) return 'JPEG 2000';
  if (at(0, 0, 0, 1, 0)) return 'ICO';
  if (ascii(0, '8BPS')) return 'PSD';
  if (ascii(0, '%PDF')) return 'PDF';
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(n, 256))).trimStart();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'SVG';
  return undefined;
}
