import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { configure, decodeImage, InputError, MAX_IMAGE_PIXELS, resetConfig } from '../src/index.js';
import { readImageSize } from '../src/input/image-header.js';

afterEach(() => resetConfig());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#808080' } });

describe('image size limits', () => {
  it('the default limit is 40 megapixels', () => {
    expect(MAX_IMAGE_PIXELS).toBe(40_000_000);
  });

  it('refuses a 10000×10000 PNG (291 KB on disk) from its header, naming the limit and the setting', async () => {
    const png = await solid(10000, 10000).png().toBuffer();
    expect(png.byteLength).toBeLessThan(1_000_000);
    const error = await failure(decodeImage(png));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/10000×10000/);
    expect((error as Error).message).toMatch(/40000000/);
    expect((error as Error).message).toMatch(/maxImagePixels/);
  });

  it('configure({ maxImagePixels }) and the per-call maxPixels move the limit', async () => {
    const png = await solid(300, 200).png().toBuffer();
    configure({ maxImagePixels: 50_000 });
    await expect(decodeImage(png)).rejects.toThrow(/300×200/);
    const img = await decodeImage(png, { maxPixels: 60_000 });
    expect([img.width, img.height]).toEqual([300, 200]);
  });

  it('applies the limit to raw pixels too', async () => {
    configure({ maxImagePixels: 100 });
    await expect(decodeImage({ data: new Uint8Array(11 * 10 * 3), width: 11, height: 10 })).rejects.toThrow(
      /more than the 100 allowed/,
    );
  });
});

describe('readImageSize reads only headers', () => {
  it.each([
    ['PNG', () => solid(123, 45).png().toBuffer()],
    ['JPEG', () => solid(123, 45).jpeg().toBuffer()],
    ['JPEG with EXIF', () => solid(123, 45).jpeg().withMetadata({ orientation: 6 }).toBuffer()],
    ['progressive JPEG', () => solid(123, 45).jpeg({ progressive: true }).toBuffer()],
    ['lossy WebP (VP8)', () => solid(123, 45).webp().toBuffer()],
    ['lossless WebP (VP8L)', () => solid(123, 45).webp({ lossless: true }).toBuffer()],
    [
      'WebP with alpha (VP8X)',
      () =>
        sharp({
          create: { width: 123, height: 45, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } },
        })
          .webp()
          .toBuffer(),
    ],
    ['GIF', () => solid(123, 45).gif().toBuffer()],
  ])('%s', async (_name, make) => {
    const bytes = new Uint8Array(await make());
    expect(readImageSize(bytes)).toMatchObject({ width: 123, height: 45 });
    // The size is found in the first bytes; the rest of the file is never needed.
    expect(readImageSize(bytes.subarray(0, 64 * 1024))).toMatchObject({ width: 123, height: 45 });
  });

  it('BMP (BITMAPINFOHEADER, bottom-up and top-down)', () => {
    const bmp = (h: number) => {
      const b = new Uint8Array(54);
      const dv = new DataView(b.buffer);
      b.set([0x42, 0x4d]);
      dv.setUint32(14, 40, true);
      dv.setInt32(18, 123, true);
      dv.setInt32(22, h, true);
      return b;
    };
    expect(readImageSize(bmp(45))).toMatchObject({ width: 123, height: 45, format: 'bmp' });
    expect(readImageSize(bmp(-45))).toMatchObject({ width: 123, height: 45, format: 'bmp' });
  });

  it('a 60000×60000 PNG header (a decompression bomb) reads as its declared size', () => {
    const b = new Uint8Array(33);
    b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(b.buffer).setUint32(16, 60000);
    new DataView(b.buffer).setUint32(20, 60000);
    expect(readImageSize(b)).toMatchObject({ width: 60000, height: 60000, format: 'png' });
  });

  it('returns undefined for unknown or truncated headers', () => {
    expect(readImageSize(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(readImageSize(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined();
    expect(readImageSize(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toBeUndefined();
  });
});

describe('raw pixel validation', () => {
  const one = (data: ArrayLike<number>, width = 2, height = 1) => decodeImage({ data, width, height });

  it.each([
    ['NaN', [10, 20, 30, Number.NaN, 50, 60], /index 3/],
    ['300 (would wrap to 44)', [10, 20, 30, 300, 50, 60], /index 3.*300/],
    ['a negative value', [10, -1, 30, 40, 50, 60], /index 1/],
    ['Infinity', [10, 20, 30, 40, 50, Number.POSITIVE_INFINITY], /index 5/],
    ['a fraction (0..1 data)', [0.5, 0.2, 0.1, 0.5, 0.2, 0.1], /index 0/],
  ])('rejects %s in a number array with InputError naming the index', async (_name, values, message) => {
    const error = await failure(one(values));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/0–255/);
  });

  it('rejects bad values in a Float32Array and in grey and RGBA layouts', async () => {
    await expect(one(new Float32Array([1, Number.NaN]))).rejects.toThrow(/index 1/);
    await expect(one(new Float32Array([1, 2, 3, 255, 4, 5, 6, 256]))).rejects.toThrow(/index 7/);
  });

  it('rejects a channels field that does not match the data', async () => {
    // Six values for 2×1 read as RGB, but the caller says RGBA: refuse rather than guess.
    const data = new Uint8Array(2 * 1 * 3);
    await expect(decodeImage({ data, width: 2, height: 1, channels: 4 } as never)).rejects.toThrow(
      /channels: 4/,
    );
    await expect(
      decodeImage({ data: new Uint8Array(8), width: 2, height: 1, channels: 3 } as never),
    ).rejects.toThrow(InputError);
  });

  it('rejects non-integer sizes and a data array of the wrong length', async () => {
    await expect(one(new Uint8Array(6), 1.5, 2)).rejects.toThrow(/whole numbers/);
    await expect(one(new Uint8Array(7), 2, 1)).rejects.toThrow(/expected 8 \(RGBA\), 6 \(RGB\) or 2/);
  });

  it('still accepts valid number arrays and typed arrays', async () => {
    const img = await one([0, 128, 255, 1, 2, 3]);
    expect(Array.from(img.data)).toEqual([0, 128, 255, 1, 2, 3]);
    const f = await one(new Float32Array([7, 255]));
    expect(Array.from(f.data)).toEqual([7, 7, 7, 255, 255, 255]);
    const clamped = await one(new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 255]));
    expect(Array.from(clamped.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
