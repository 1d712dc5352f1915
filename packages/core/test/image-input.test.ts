import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetPath } from '@ondevice/testkit';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, InputError } from '../src/index.js';

// A 4×2 image, left half red, right half blue: orientation is visible in the pixels.
const W = 4;
const H = 2;
const rgb = new Uint8Array(W * H * 3);
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) {
    const o = (y * W + x) * 3;
    if (x < W / 2) rgb[o] = 255;
    else rgb[o + 2] = 255;
  }
const raw = { raw: { width: W, height: H, channels: 3 as const } };

let dir: string;
let pngPath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ondevice-img-'));
  pngPath = join(dir, 'a.png');
  await writeFile(pngPath, await sharp(rgb, raw).png().toBuffer());
});

const px = (img: { data: Uint8Array; width: number }, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe('decodeImage in Node', () => {
  it('reads a file path', async () => {
    const img = await decodeImage(pngPath);
    expect([img.width, img.height, img.channels]).toEqual([W, H, 3]);
    expect(px(img, 0, 0)).toEqual([255, 0, 0]);
    expect(px(img, 3, 1)).toEqual([0, 0, 255]);
  });

  it('reads encoded PNG, JPEG and WebP bytes as Buffer, Uint8Array and ArrayBuffer', async () => {
    const png = await sharp(rgb, raw).png().toBuffer();
    const webp = await sharp(rgb, raw).webp({ lossless: true }).toBuffer();
    const jpeg = await sharp(datasetPath('object_detection/images/000000397133.jpg')).jpeg().toBuffer();
    expect(px(await decodeImage(png), 0, 0)).toEqual([255, 0, 0]);
    expect(px(await decodeImage(new Uint8Array(webp)), 3, 0)).toEqual([0, 0, 255]);
    const ab = jpeg.buffer.slice(jpeg.byteOffset, jpeg.byteOffset + jpeg.byteLength);
    const img = await decodeImage(ab as ArrayBuffer);
    expect([img.width, img.height]).toEqual([640, 427]);
  });

  it('reads a real photo from the dataset', async () => {
    const img = await decodeImage(datasetPath('object_detection/images/000000397133.jpg'));
    expect([img.width, img.height]).toEqual([640, 427]);
    expect(img.data.length).toBe(640 * 427 * 3);
  });

  it('applies EXIF orientation (6 = rotate 90° clockwise)', async () => {
    const rotated = await sharp(rgb, raw).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    const img = await decodeImage(rotated);
    expect([img.width, img.height]).toEqual([H, W]);
    // After a 90° clockwise turn the red (left) half is at the top.
    expect(px(img, 0, 0)[0]).toBeGreaterThan(200);
    expect(px(img, 0, 3)[2]).toBeGreaterThan(200);
  });

  it('expands grey images to RGB and composites alpha over white', async () => {
    const grey = await sharp(Buffer.from([0, 128, 255, 64]), { raw: { width: 2, height: 2, channels: 1 } })
      .png()
      .toBuffer();
    const g = await decodeImage(grey);
    expect(px(g, 1, 0)).toEqual([128, 128, 128]);
    const rgba = Buffer.from([255, 0, 0, 255, 0, 0, 0, 0]);
    const withAlpha = await sharp(rgba, { raw: { width: 2, height: 1, channels: 4 } })
      .png()
      .toBuffer();
    const a = await decodeImage(withAlpha);
    expect(px(a, 0, 0)).toEqual([255, 0, 0]);
    expect(px(a, 1, 0)).toEqual([255, 255, 255]);
  });

  it('accepts raw RGBA (ImageData-like), RGB and grey pixels, inferring channels from the length', async () => {
    const rgba = new Uint8ClampedArray([10, 20, 30, 255, 40, 50, 60, 255]);
    expect(px(await decodeImage({ data: rgba, width: 2, height: 1 }), 1, 0)).toEqual([40, 50, 60]);
    expect(
      px(await decodeImage({ data: new Uint8Array([1, 2, 3, 4, 5, 6]), width: 2, height: 1 }), 1, 0),
    ).toEqual([4, 5, 6]);
    expect(px(await decodeImage({ data: new Uint8Array([7, 9]), width: 2, height: 1 }), 1, 0)).toEqual([
      9, 9, 9,
    ]);
  });

  it.each([
    ['an empty buffer', () => new Uint8Array(0), /empty/],
    ['corrupt bytes', () => new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3, 4, 5, 6, 7]), /could not be decoded/],
    ['random bytes', () => new Uint8Array(1000).map((_, i) => (i * 31) % 256), /could not be decoded/],
    ['a missing file', () => '/nonexistent/photo.jpg', /does not exist/],
    ['a directory', () => '/tmp', /is a directory/],
    ['an empty path', () => '', /empty/],
    ['zero-sized raw pixels', () => ({ data: new Uint8Array(0), width: 0, height: 0 }), /positive/],
    [
      'raw pixels of the wrong length',
      () => ({ data: new Uint8Array(10), width: 2, height: 2 }),
      /expected 16/,
    ],
    [
      'absurdly large raw pixels',
      () => ({ data: new Uint8Array(3), width: 100_000, height: 100_000 }),
      /more than/,
    ],
    ['a number', () => 42, /Unsupported/],
    ['null', () => null, /No image/],
    ['a plain object', () => ({ foo: 1 }), /Unsupported/],
  ])('rejects %s with InputError', async (_name, make, message) => {
    const error = await decodeImage(make() as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('ERR_INPUT');
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a truncated JPEG', async () => {
    const jpeg = await sharp(datasetPath('object_detection/images/000000397133.jpg')).jpeg().toBuffer();
    await expect(decodeImage(jpeg.subarray(0, jpeg.byteLength / 3))).rejects.toBeInstanceOf(InputError);
  });

  it('refuses an encoded image over the pixel limit without decoding it', async () => {
    const big = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    await expect(decodeImage(big, { maxPixels: 1_000_000 })).rejects.toThrow(/more than the 1000000 allowed/);
  });
});
