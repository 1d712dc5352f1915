import { isNode } from '../env.js';
import { InputError } from '../errors.js';
import { importNodeOnly } from '../node-only.js';
import { checkDimensions, type ImagePixels, MAX_IMAGE_PIXELS, type RawPixels, rawToRgb } from './pixels.js';

/**
 * Every image input the vision tasks accept.
 * - Node: a file path, a Buffer/Uint8Array/ArrayBuffer of an encoded JPEG/PNG/WebP/GIF/TIFF/AVIF,
 *   or raw pixels `{ data, width, height }` (RGBA as in ImageData, RGB, or grey).
 * - Browsers: HTMLImageElement, HTMLCanvasElement, OffscreenCanvas, ImageBitmap, ImageData,
 *   HTMLVideoElement, VideoFrame, Blob/File, encoded bytes, raw pixels, or a same-origin URL string.
 */
export type ImageInput =
  | string
  | Uint8Array
  | ArrayBuffer
  | RawPixels
  | ImagePixels
  | Blob
  | CanvasImageSource
  | ImageData;

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** Refuse images with more pixels than this. Default: 100 megapixels. */
  maxPixels?: number;
}

function isRawPixels(v: unknown): v is RawPixels {
  return typeof v === 'object' && v !== null && 'data' in v && 'width' in v && 'height' in v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'object';
}

/**
 * Turns any accepted image into upright 8-bit RGB pixels: applies EXIF orientation, composites
 * alpha over white, expands grey to RGB. Empty, corrupt, zero-sized, absurdly large or unsupported
 * inputs reject with {@link InputError}.
 *
 * @example
 * ```ts
 * const { data, width, height } = await decodeImage('photo.jpg');
 * ```
 */
export async function decodeImage(input: ImageInput, options: DecodeImageOptions = {}): Promise<ImagePixels> {
  const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
  if (input === null || input === undefined)
    throw new InputError('No image was given (got ' + String(input) + ').');
  if (typeof input === 'string') {
    if (!input.length) throw new InputError('The image path is an empty string.');
    if (isNode() && !/^(https?|data|blob):/i.test(input)) return decodeNodeFile(input, maxPixels);
    return decodeUrl(input, maxPixels);
  }
  if (input instanceof ArrayBuffer) return decodeEncoded(new Uint8Array(input), maxPixels);
  if (ArrayBuffer.isView(input)) {
    const view = input as ArrayBufferView;
    return decodeEncoded(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), maxPixels);
  }
  if (isRawPixels(input)) {
    if ((input as ImagePixels).channels === 3 && input.data instanceof Uint8Array) {
      checkDimensions(input.width, input.height, maxPixels);
      if (input.data.length !== input.width * input.height * 3) {
        throw new InputError(
          `RGB pixel data has ${input.data.length} values, expected ${input.width * input.height * 3}.`,
        );
      }
      return input as ImagePixels;
    }
    return rawToRgb(input, maxPixels);
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    if (!input.size) throw new InputError('The image Blob is empty.');
    if (isNode()) return decodeEncoded(new Uint8Array(await input.arrayBuffer()), maxPixels);
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(input, { imageOrientation: 'from-image' });
    } catch (error) {
      throw new InputError(
        `The image Blob (${input.type || 'unknown type'}) could not be decoded; it may be corrupt.`,
        { cause: error },
      );
    }
    try {
      return drawToPixels(bitmap, bitmap.width, bitmap.height, maxPixels);
    } finally {
      bitmap.close();
    }
  }
  if (!isNode()) return decodeDrawable(input as CanvasImageSource, maxPixels);
  throw new InputError(
    `Unsupported image input (${describe(input)}). In Node pass a file path, encoded image bytes (Buffer/Uint8Array) or raw pixels { data, width, height }.`,
  );
}

async function decodeNodeFile(path: string, maxPixels: number): Promise<ImagePixels> {
  const fs = await import('node:fs/promises');
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`Image file "${path}" ${why}.`, { cause: error });
  }
  return decodeEncoded(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), maxPixels, path);
}

async function decodeUrl(url: string, maxPixels: number): Promise<ImagePixels> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (error) {
    throw new InputError(`Image URL ${url} could not be fetched.`, { cause: error });
  }
  if (!res.ok) throw new InputError(`Image URL ${url} answered HTTP ${res.status}.`);
  const blob = await res.blob();
  return decodeImage(blob, { maxPixels });
}

async function decodeEncoded(
  bytes: Uint8Array,
  maxPixels: number,
  name = 'The image bytes',
): Promise<ImagePixels> {
  if (!bytes.byteLength)
    throw new InputError(`${name === 'The image bytes' ? name : `Image file "${name}"`} is empty.`);
  if (!isNode()) {
    return decodeImage(new Blob([bytes as Uint8Array<ArrayBuffer>]), { maxPixels });
  }
  const { default: sharp } = await importNodeOnly<typeof import('sharp')>('sharp');
  try {
    const image = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', pages: 1 });
    const { data, info } = await image
      .rotate() // EXIF orientation
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    checkDimensions(info.width, info.height, maxPixels);
    if (info.channels !== 3) throw new InputError(`Decoded image has ${info.channels} channels; expected 3.`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: 3,
    };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const msg = String((error as Error)?.message ?? error);
    if (/pixel limit/i.test(msg)) {
      throw new InputError(`${name} is larger than the ${maxPixels} pixels allowed; resize it first.`, {
        cause: error,
      });
    }
    throw new InputError(
      `${name} could not be decoded as an image (${msg.split('\n')[0]}). Supported: JPEG, PNG, WebP, GIF, TIFF, AVIF.`,
      {
        cause: error,
      },
    );
  }
}

function sizeOf(src: CanvasImageSource): { width: number; height: number } {
  const s = src as unknown as Record<string, number>;
  if (typeof HTMLVideoElement !== 'undefined' && src instanceof HTMLVideoElement)
    return { width: src.videoWidth, height: src.videoHeight };
  if (typeof HTMLImageElement !== 'undefined' && src instanceof HTMLImageElement)
    return { width: src.naturalWidth, height: src.naturalHeight };
  if (typeof VideoFrame !== 'undefined' && src instanceof VideoFrame)
    return { width: src.displayWidth, height: src.displayHeight };
  return { width: s.width ?? 0, height: s.height ?? 0 };
}

async function decodeDrawable(src: CanvasImageSource, maxPixels: number): Promise<ImagePixels> {
  if (typeof HTMLImageElement !== 'undefined' && src instanceof HTMLImageElement) {
    if (!src.complete || !src.naturalWidth) {
      try {
        await src.decode();
      } catch (error) {
        throw new InputError(`The <img> (${src.currentSrc || src.src || 'no src'}) could not be decoded.`, {
          cause: error,
        });
      }
    }
  }
  if (typeof HTMLVideoElement !== 'undefined' && src instanceof HTMLVideoElement && src.readyState < 2) {
    throw new InputError(
      'The <video> has no frame yet (readyState < HAVE_CURRENT_DATA); wait for "loadeddata".',
    );
  }
  const known =
    (typeof HTMLImageElement !== 'undefined' && src instanceof HTMLImageElement) ||
    (typeof HTMLVideoElement !== 'undefined' && src instanceof HTMLVideoElement) ||
    (typeof HTMLCanvasElement !== 'undefined' && src instanceof HTMLCanvasElement) ||
    (typeof OffscreenCanvas !== 'undefined' && src instanceof OffscreenCanvas) ||
    (typeof ImageBitmap !== 'undefined' && src instanceof ImageBitmap) ||
    (typeof VideoFrame !== 'undefined' && src instanceof VideoFrame) ||
    (typeof SVGImageElement !== 'undefined' && src instanceof SVGImageElement);
  if (!known) throw new InputError(`Unsupported image input (${describe(src)}).`);
  const { width, height } = sizeOf(src);
  return drawToPixels(src, width, height, maxPixels);
}

function drawToPixels(src: CanvasImageSource, width: number, height: number, maxPixels: number): ImagePixels {
  checkDimensions(width, height, maxPixels);
  const canvas =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | null;
  if (!ctx) throw new InputError('A 2D canvas is not available to read the image pixels.');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(src, 0, 0, width, height);
  const img = ctx.getImageData(0, 0, width, height);
  return rawToRgb(img, maxPixels);
}
