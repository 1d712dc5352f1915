import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetPath } from '@ondevice/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeImage, type ImagePixels, InputError, OptionsError } from '../src/index.js';
import { decodeBmp } from '../src/input/bmp.js';
import { readImageSize, sniffImageFormat } from '../src/input/image-header.js';
import { decodePnm, readPnmHeader } from '../src/input/pnm.js';
import { decodeTiff } from '../src/input/tiff.js';

// Real files made from a real photo and a real scan by ImageMagick, netpbm, libtiff, cwebp,
// avifenc and heif-enc: see fixtures/formats/README.md and make-fixtures.sh.
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'formats');
const file = (name: string) => join(dir, name);
const bytesOf = async (name: string) => new Uint8Array(await readFile(file(name)));

/** Mean and largest absolute difference of two decoded images of one size. */
async function diff(name: string, reference: string, page?: number) {
  const a = await decodeImage(file(name), page === undefined ? {} : { page });
  const b = await decodeImage(file(reference));
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, 3]);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.data.length, max };
}

const exact = { mean: 0, max: 0 };

describe('every format decodes to the pixels of the same image as PNG', () => {
  // Lossless: pixel-exact against the PNG the file was written from.
  it.each([
    ['photo-24.bmp', 'photo.png', 'BMP 24-bit, bottom-up (BMP3 header)'],
    ['photo-24-top-down.bmp', 'photo.png', 'BMP 24-bit, top-down (negative height)'],
    ['photo-32.bmp', 'photo.png', 'BMP 32-bit bit fields with an alpha mask (BMP4 header)'],
    ['palette-8.bmp', 'palette-256.png', 'BMP 8-bit palette'],
    ['palette-8-rle.bmp', 'palette-256.png', 'BMP 8-bit palette, RLE8'],
    ['palette-4.bmp', 'palette-16.png', 'BMP 4-bit palette'],
    ['bilevel-1.bmp', 'bilevel.png', 'BMP 1-bit'],
    ['bilevel.pbm', 'bilevel.png', 'PBM binary (P4)'],
    ['bilevel-ascii.pbm', 'bilevel.png', 'PBM ASCII (P1)'],
    ['grey.pgm', 'grey.png', 'PGM binary (P5)'],
    ['grey-ascii.pgm', 'grey-small.png', 'PGM ASCII (P2)'],
    ['grey-16.pgm', 'grey.png', 'PGM 16-bit (maxval 65535)'],
    ['photo.ppm', 'photo.png', 'PPM binary (P6)'],
    ['photo-ascii.ppm', 'photo-small.png', 'PPM ASCII (P3)'],
    ['photo-16.ppm', 'photo.png', 'PPM 16-bit (maxval 65535)'],
    ['photo.tif', 'photo.png', 'TIFF RGB, LZW'],
    ['photo-16.tif', 'photo.png', 'TIFF 16-bit RGB, Deflate'],
    ['grey.tif', 'grey.png', 'TIFF grey'],
    ['bilevel-g4.tif', 'bilevel.png', 'TIFF 1-bit, CCITT Group 4 (fax)'],
    ['photo-16.png', 'photo.png', 'PNG 16-bit RGB'],
    ['palette-256.png', 'palette-256.png', 'PNG palette'],
    ['photo-lossless.webp', 'photo.png', 'WebP lossless'],
    ['palette-2-frames.gif', 'palette-256.png', 'GIF, first of two frames'],
  ])('%s = %s (%s)', async (name, reference) => {
    expect(await diff(name, reference)).toEqual(exact);
  });

  // Lossy or colour-converted: bounded mean error. CMYK goes through sharp's ICC conversion, while
  // ImageMagick wrote it with the naive formula; an inverted (Adobe) CMYK would be ~100 off.
  it.each([
    ['photo-16.bmp', 'BMP 16-bit RGB555', 5],
    ['photo-16-565.bmp', 'BMP 16-bit RGB565', 4],
    ['photo-lossy.webp', 'WebP lossy (q 90)', 5],
    ['photo.jpg', 'JPEG (q 95)', 4],
    ['photo.avif', 'AVIF', 4],
    ['photo-cmyk.jpg', 'JPEG CMYK', 16],
    ['photo-cmyk.tif', 'TIFF CMYK', 16],
  ])('%s ≈ photo.png (%s): mean abs diff under %d', async (name, _what, bound) => {
    const { mean } = await diff(name, 'photo.png');
    expect(mean).toBeLessThan(bound);
  });

  it('HEIC: decoded when sharp has an HEVC decoder, else InputError naming HEIC and what to do', async () => {
    const outcome = await decodeImage(file('photo.heic')).then(
      (img) => img,
      (e: unknown) => e,
    );
    if (outcome instanceof Error) {
      // sharp 0.35's prebuilt libvips: libheif with AV1 (aom) only.
      expect(outcome).toBeInstanceOf(InputError);
      expect(outcome.message).toMatch(/HEIC/);
      expect(outcome.message).toMatch(/JPEG or AVIF/);
    } else {
      expect((await diff('photo.heic', 'photo.png')).mean).toBeLessThan(4);
    }
  });
});

describe('pages and frames', () => {
  it('a 3-page TIFF gives page 0 by default, each page by `page`, and InputError past the last', async () => {
    expect(await diff('pages-3.tif', 'photo.png')).toEqual(exact);
    expect(await diff('pages-3.tif', 'photo.png', 0)).toEqual(exact);
    expect(await diff('pages-3.tif', 'grey.png', 1)).toEqual(exact);
    expect(await diff('pages-3.tif', 'bilevel.png', 2)).toEqual(exact);
    const past = decodeImage(file('pages-3.tif'), { page: 3 });
    await expect(past).rejects.toThrow(InputError);
    await expect(decodeImage(file('pages-3.tif'), { page: 3 })).rejects.toThrow(/has 3 pages; page 3/);
  });

  it('the second GIF frame is the mirrored first', async () => {
    const first = await decodeImage(file('palette-2-frames.gif'));
    const second = await decodeImage(file('palette-2-frames.gif'), { page: 1 });
    const w = first.width;
    const at = (img: ImagePixels, x: number, y: number) =>
      Array.from(img.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3));
    for (const [x, y] of [
      [0, 0],
      [10, 20],
      [79, 59],
    ] as const)
      expect(at(second, x, y)).toEqual(at(first, w - 1 - x, y));
  });

  it('single-image formats refuse page 1; a bad page is an OptionsError', async () => {
    await expect(decodeImage(file('photo-24.bmp'), { page: 1 })).rejects.toThrow(/BMP file holds one image/);
    await expect(decodeImage(file('photo.ppm'), { page: 1 })).rejects.toThrow(InputError);
    await expect(decodeImage(file('photo.png'), { page: 1 })).rejects.toThrow(/has 1 page; page 1/);
    await expect(decodeImage(file('photo.png'), { page: -1 })).rejects.toThrow(OptionsError);
    await expect(decodeImage(file('photo.png'), { page: 0.5 })).rejects.toThrow(OptionsError);
  });
});

describe('headers: sizes and formats from the first bytes', () => {
  it('reads PNM sizes, comments included, and names every fixture format', async () => {
    expect(readImageSize(await bytesOf('photo.ppm'))).toEqual({ width: 80, height: 60, format: 'pnm' });
    expect(readImageSize(await bytesOf('bilevel-ascii.pbm'))).toEqual({
      width: 80,
      height: 60,
      format: 'pnm',
    });
    expect(readPnmHeader(new TextEncoder().encode('P5\n# scan\n640 480\n255\n'))).toEqual({
      kind: 5,
      width: 640,
      height: 480,
      maxval: 255,
      dataOffset: 22,
    });
    const names: Record<string, string> = {
      'photo-24.bmp': 'BMP',
      'bilevel.pbm': 'PNM',
      'grey-ascii.pgm': 'PNM',
      'photo.tif': 'TIFF',
      'photo.avif': 'AVIF',
      'photo.heic': 'HEIC',
      'photo-lossy.webp': 'WebP',
      'palette-2-frames.gif': 'GIF',
      'photo.jpg': 'JPEG',
      'photo.png': 'PNG',
    };
    for (const [name, format] of Object.entries(names))
      expect([name, sniffImageFormat(await bytesOf(name))]).toEqual([name, format]);
  });

  it('refuses an over-limit BMP, PNM and TIFF from the header, before allocating', async () => {
    // A real 80×60 BMP whose header is edited to claim 100000×100000: the pixel limit speaks first.
    const bmp = await bytesOf('photo-24.bmp');
    const dv = new DataView(bmp.buffer, bmp.byteOffset);
    dv.setInt32(18, 100_000, true);
    dv.setInt32(22, 100_000, true);
    expect(() => decodeBmp(bmp)).toThrow(/100000×100000 .* more than the 40000000 allowed/);
    const pnm = new TextEncoder().encode('P6\n100000 100000\n255\n');
    expect(() => decodePnm(pnm)).toThrow(/100000×100000/);
    await expect(decodeImage(pnm, { maxPixels: 1000 })).rejects.toThrow(/more than the 1000 allowed/);
    // TIFF: the size from the first image directory, before sharp (or a browser) decodes anything.
    expect(readImageSize(await bytesOf('pages-3.tif'))).toEqual({ width: 80, height: 60, format: 'tiff' });
    await expect(decodeImage(file('photo.tif'), { maxPixels: 1000 })).rejects.toThrow(/80×60 = 4800 pixels/);
  });
});

describe('BMP and PNM decoders on hand-made edge cases', () => {
  const bmpHeader = (
    w: number,
    h: number,
    bpp: number,
    compression: number,
    palette: number[][],
    pixels: number[],
  ) => {
    const offset = 14 + 40 + palette.length * 4;
    const out = new Uint8Array(offset + pixels.length);
    const dv = new DataView(out.buffer);
    out.set([0x42, 0x4d]);
    dv.setUint32(2, out.length, true);
    dv.setUint32(10, offset, true);
    dv.setUint32(14, 40, true);
    dv.setInt32(18, w, true);
    dv.setInt32(22, h, true);
    dv.setUint16(26, 1, true);
    dv.setUint16(28, bpp, true);
    dv.setUint32(30, compression, true);
    dv.setUint32(46, palette.length, true);
    palette.forEach(([r, g, b], i) => {
      out.set([b!, g!, r!, 0], 54 + i * 4);
    });
    out.set(pixels, offset);
    return out;
  };
  const red = [255, 0, 0];
  const blue = [0, 0, 255];

  it('RLE4 (no tool at hand writes it): runs, literals, end of line, end of bitmap', () => {
    // 4×2, bottom row: run of 4 alternating red/blue; top row: literal blue, red, red, blue.
    const data = [4, 0x01, 0, 0, 0, 4, 0x10, 0x01, 0, 1];
    const img = decodeBmp(bmpHeader(4, 2, 4, 2, [red, blue], data));
    expect(Array.from(img.data)).toEqual([
      ...blue,
      ...red,
      ...red,
      ...blue,
      ...red,
      ...blue,
      ...red,
      ...blue,
    ]);
  });

  it('truncated and unsupported BMPs reject with InputError saying why', () => {
    const full = bmpHeader(4, 2, 24, 0, [], new Array(24).fill(0));
    expect(() => decodeBmp(full.subarray(0, full.length - 5))).toThrow(/truncated/);
    expect(() => decodeBmp(bmpHeader(1, 1, 24, 4, [], [0, 0, 0, 0]))).toThrow(/wraps a JPEG/);
    expect(() => decodeBmp(bmpHeader(1, 1, 7, 0, [], [0, 0, 0, 0]))).toThrow(/7 bits a pixel/);
    expect(() => decodeBmp(bmpHeader(1, 1, 24, 0, [], [0, 0, 0, 0]).subarray(0, 20))).toThrow(InputError);
  });

  it('PNM: maxval 1023, comments between samples, truncation, PAM', () => {
    const ascii = decodePnm(new TextEncoder().encode('P2 2 1 1023\n# a comment\n0 1023\n'));
    expect(Array.from(ascii.data)).toEqual([0, 0, 0, 255, 255, 255]);
    const wide = decodePnm(new Uint8Array([...new TextEncoder().encode('P5 1 1 1023 '), 0x02, 0x00]));
    expect(Array.from(wide.data)).toEqual([128, 128, 128]);
    expect(() => decodePnm(new TextEncoder().encode('P6 2 2 255\n\x01\x02'))).toThrow(/truncated/);
    expect(() => decodePnm(new TextEncoder().encode('P2 1 1 7\n9\n'))).toThrow(/above its maxval/);
    expect(() => decodePnm(new TextEncoder().encode('P7\nWIDTH 1\n'))).toThrow(/PAM/);
  });
});

describe('the pure TIFF decoder (browsers other than Safari) gives what sharp gives', () => {
  const same = async (name: string, reference: string, page = 0) => {
    const ours = await decodeTiff(await bytesOf(name), undefined, page);
    const ref = await decodeImage(reference.startsWith('/') ? reference : file(reference));
    expect([ours.width, ours.height]).toEqual([ref.width, ref.height]);
    let sum = 0;
    for (let i = 0; i < ours.data.length; i++) sum += Math.abs(ours.data[i]! - ref.data[i]!);
    return sum / ours.data.length;
  };

  it.each([
    ['photo.tif', 'photo.png', 'RGB, LZW + horizontal predictor'],
    ['grey.tif', 'grey.png', 'grey, LZW + predictor'],
    ['photo-16.tif', 'photo.png', '16-bit RGB, Deflate + predictor'],
    ['photo-packbits.tif', 'photo.png', 'RGB, PackBits'],
    ['palette.tif', 'palette-256.png', 'palette, LZW'],
  ])('%s = %s (%s)', async (name, reference) => {
    expect(await same(name, reference)).toBe(0);
  });

  it("the real 1-bit scan (tesseract's phototest.tif, uncompressed, min-is-white) = its PNG", async () => {
    const ours = await decodeTiff(
      new Uint8Array(await readFile(datasetPath('ocr', 'images', 'tesseract_phototest.tif'))),
    );
    const png = await decodeImage(datasetPath('ocr', 'images', 'tesseract_phototest.png'));
    expect(Buffer.from(ours.data).equals(Buffer.from(png.data))).toBe(true);
  });

  it('CMYK by the naive formula, pages by index, and what it cannot read named', async () => {
    // ImageMagick wrote the CMYK with the naive formula, so the naive inverse is close to the photo.
    expect(await same('photo-cmyk.tif', 'photo.png')).toBeLessThan(1);
    expect(await same('pages-3.tif', 'grey.png', 1)).toBe(0);
    await expect(decodeTiff(await bytesOf('pages-3.tif'), undefined, 2)).rejects.toThrow(
      /CCITT Group 4 .*Node/,
    );
    await expect(decodeTiff(await bytesOf('pages-3.tif'), undefined, 3)).rejects.toThrow(
      /has 3 pages; page 3/,
    );
    await expect(decodeTiff(await bytesOf('photo.png'))).rejects.toThrow(InputError);
  });
});

describe('corrupt files: the own decoders reject with InputError, never crash or hang', () => {
  // Deterministic: a fixed-seed generator flips bytes (headers included) and cuts files short.
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  it.each([
    [
      'photo-24.bmp',
      'photo-16-565.bmp',
      'palette-8-rle.bmp',
      'palette-4.bmp',
      'bilevel-1.bmp',
      'photo-32.bmp',
    ],
    ['photo.ppm', 'photo-ascii.ppm', 'grey-16.pgm', 'bilevel.pbm', 'bilevel-ascii.pbm'],
    ['photo.tif', 'photo-16.tif', 'photo-packbits.tif', 'palette.tif', 'pages-3.tif'],
  ])('%s and the others of its format, 150 mutations each', async (...names) => {
    let rejected = 0;
    let decoded = 0;
    for (const name of names) {
      const original = await bytesOf(name);
      const decode = name.endsWith('.tif')
        ? (b: Uint8Array) => decodeTiff(b, 1_000_000)
        : async (b: Uint8Array) =>
            name.endsWith('.bmp') ? decodeBmp(b, 1_000_000) : decodePnm(b, 1_000_000);
      for (let i = 0; i < 150; i++) {
        const bytes = original.slice(
          0,
          i % 5 === 0 ? Math.floor(random() * original.length) : original.length,
        );
        const flips = 1 + Math.floor(random() * 8);
        for (let f = 0; f < flips; f++) {
          // Half of the flips land in the first 128 bytes, where the headers are.
          const at = Math.floor(random() * (random() < 0.5 ? Math.min(128, bytes.length) : bytes.length));
          bytes[at] = Math.floor(random() * 256);
        }
        try {
          const img = await decode(bytes);
          expect(img.data.length).toBe(img.width * img.height * 3);
          decoded++;
        } catch (error) {
          if (!(error instanceof InputError)) throw new Error(`${name}, mutation ${i}: ${String(error)}`);
          rejected++;
        }
      }
    }
    expect(rejected + decoded).toBe(names.length * 150);
    expect(rejected).toBeGreaterThan(0);
  });
});

describe('in a browser (no sharp): BMP, PNM and TIFF by the own decoders', () => {
  afterEach(() => {
    vi.doUnmock('../src/env.js');
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('decodes BMP and PBM Blobs without createImageBitmap, TIFF when it fails, and names the formats for G4', async () => {
    vi.resetModules();
    vi.doMock('../src/env.js', async (original) => ({
      ...(await original<typeof import('../src/env.js')>()),
      isNode: () => false,
    }));
    const createImageBitmap = vi.fn(async () => {
      throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
    });
    vi.stubGlobal('createImageBitmap', createImageBitmap);
    const browser = await import('../src/input/image.js');
    const node = await decodeImage(file('photo-24.bmp'));
    const bmp = await browser.decodeImage(new Blob([await bytesOf('photo-24.bmp')]));
    expect(Buffer.from(bmp.data).equals(Buffer.from(node.data))).toBe(true);
    const pbm = await browser.decodeImage(await bytesOf('bilevel.pbm'));
    expect([pbm.width, pbm.height]).toEqual([80, 60]);
    expect(createImageBitmap).not.toHaveBeenCalled();
    const tiff = await browser.decodeImage(new Blob([await bytesOf('photo.tif')]));
    expect(Buffer.from(tiff.data).equals(Buffer.from((await decodeImage(file('photo.tif'))).data))).toBe(
      true,
    );
    expect(createImageBitmap).toHaveBeenCalledTimes(1);
    const grey = await browser.decodeImage(new Blob([await bytesOf('pages-3.tif')]), { page: 1 });
    expect(Buffer.from(grey.data).equals(Buffer.from((await decodeImage(file('grey.png'))).data))).toBe(true);
    await expect(browser.decodeImage(new Blob([await bytesOf('bilevel-g4.tif')]))).rejects.toThrow(
      /CCITT Group 4/,
    );
    await expect(
      browser.decodeImage(new Blob([await bytesOf('palette-2-frames.gif')]), { page: 1 }),
    ).rejects.toThrow(/in Node only/);
  });
});
