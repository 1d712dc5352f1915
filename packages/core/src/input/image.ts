import { getConfig, isNode } from '../env.js';
import { AbortedError, InputError, throwIfAborted } from '../errors.js';
import { importNodeOnly } from '../node-only.js';
import { readImageSize } from './image-header.js';
import { checkDimensions, type ImagePixels, type RawPixels, rawToRgb } from './pixels.js';
import { fetchInput } from './remote.js';

/**
 * Every image input the vision tasks accept.
 * - Node: a file path, a Buffer/Uint8Array/ArrayBuffer of an encoded JPEG/PNG/WebP/GIF/TIFF/AVIF,
 *   or raw pixels `{ data, width, height }` (RGBA as in ImageData, RGB, or grey).
 * - Browsers: HTMLImageElement, HTMLCanvasElement, OffscreenCanvas, ImageBitmap, ImageData,
 *   HTMLVideoElement, VideoFrame, Blob/File, encoded bytes, raw pixels, or a URL string of the
 *   page's own origin, `blob:` or `data:`.
 * - URL strings that are network requests (Node: any `http(s)://`; browsers: another origin) are
 *   fetched only when allowed: `configure({ allowRemoteInputs: true })` or `{ allowRemote: true }`.
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
  /**
   * Refuse images with more pixels than this, from their header, before decoding.
   * Default: `configure({ maxImagePixels })`, 40 000 000.
   */
  maxPixels?: number;
  /** Stops reading or fetching the input; the call rejects with `AbortedError`. Default: none. */
  signal?: AbortSignal;
  /**
   * Fetch a URL string that is a network request (Node: `http(s)://`; browsers: another origin).
   * Default: `configure({ allowRemoteInputs })`, which is `false`: such a URL rejects with `InputError`.
   */
  allowRemote?: boolean;
  /** Milliseconds a URL fetch may take, headers and body. Default: `configure({ remoteInputTimeout })`, 30 000. */
  timeout?: number;
  /** Most bytes a URL fetch may read. Default: `configure({ remoteInputMaxBytes })`, 52 428 800 (50 MiB). */
  maxBytes?: number;
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
 * alpha over white, expands grey to RGB. Empty, corrupt, zero-sized, over-limit (checked from the
 * header, before decoding) or unsupported inputs reject with {@link InputError}; a network URL
 * that was not allowed rejects with {@link InputError} at once, without a request.
 *
 * @example
 * ```ts
 * const { data, width, height } = await decodeImage('photo.jpg');
 * const remote = await decodeImage('https://example.com/cat.jpg', { allowRemote: true, signal });
 * ```
 */
export async function decodeImage(input: ImageInput, options: DecodeImageOptions = {}): Promise<ImagePixels> {
  const maxPixels = options.maxPixels ?? getConfig().maxImagePixels;
  if (input === null || input === undefined)
    throw new InputError('No image was given (got ' + String(input) + ').');
  throwIfAborted(options.signal, 'Decoding the image');
  if (typeof input === 'string') {
    if (!input.length) throw new InputError('The image path is an empty string.');
    if (isNode() && !/^(https?|data|blob):/i.test(input))
      return decodeNodeFile(input, maxPixels, options.signal);
    return decodeUrl(input, options, maxPixels);
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
    // Refuse an over-limit image from its header before the browser decodes every pixel.
    const size = readImageSize(new Uint8Array(await input.slice(0, HEADER_BYTES).arrayBuffer()));
    if (size) checkDimensions(size.width, size.height, maxPixels);
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

/** Bytes read from a Blob to find the image size: the SOF of a JPEG can follow 64 KiB APP segments. */
const HEADER_BYTES = 256 * 1024;

async function decodeNodeFile(
  path: string,
  maxPixels: number,
  signal: AbortSignal | undefined,
): Promise<ImagePixels> {
  const fs = await import('node:fs/promises');
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw new AbortedError('Reading the image', { cause: error });
    const code = (error as NodeJS.ErrnoException)?.code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`Image file "${path}" ${why}.`, { cause: error });
  }
  throwIfAborted(signal, 'Decoding the image');
  return decodeEncoded(
    new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    maxPixels,
    `Image file "${path}"`,
  );
}

async function decodeUrl(url: string, options: DecodeImageOptions, maxPixels: number): Promise<ImagePixels> {
  const { bytes, type } = await fetchInput(url, 'image', options);
  const name = url.startsWith('data:') ? 'The image data: URL' : `The image at ${url}`;
  if (!bytes.byteLength) throw new InputError(`${name} is empty.`);
  throwIfAborted(options.signal, 'Decoding the image');
  if (!isNode()) return decodeImage(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), { maxPixels });
  return decodeEncoded(bytes, maxPixels, name);
}

async function decodeEncoded(
  bytes: Uint8Array,
  maxPixels: number,
  name = 'The image bytes',
): Promise<ImagePixels> {
  if (!bytes.byteLength) throw new InputError(`${name} is empty.`);
  if (!isNode()) {
    return decodeImage(new Blob([bytes as Uint8Array<ArrayBuffer>]), { maxPixels });
  }
  // The size from the header, before any pixel memory is spent: our own parser for the common
  // formats, then sharp's metadata() (headers only) for the rest.
  const header = readImageSize(bytes);
  if (header) checkDimensions(header.width, header.height, maxPixels);
  const { default: sharp } = await importNodeOnly<typeof import('sharp')>('sharp');
  try {
    const image = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', pages: 1 });
    if (!header) {
      const meta = await image.metadata();
      if (meta.width && meta.height) checkDimensions(meta.width, meta.height, maxPixels);
    }
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
      throw new InputError(
        `${name} is larger than the ${maxPixels} pixels allowed; resize it first, or raise the limit with configure({ maxImagePixels }).`,
        { cause: error },
      );
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
