import { readFileBytes } from '#platform/files';
import { importNodeOnly } from '#platform/load';
import { getConfig, isNode } from '../env.js';
import { AbortedError, InputError, OptionsError, throwIfAborted } from '../errors.js';
import { decodeBmp } from './bmp.js';
import type { DomType } from './dom-types.js';
import { type ImageFormatName, readImageSize, sniffImageFormat } from './image-header.js';
import { checkDimensions, type ImagePixels, type RawPixels, rawToRgb } from './pixels.js';
import { decodePnm } from './pnm.js';
import { decodeTiff } from './tiff.js';
import { fetchInput } from './remote.js';

/**
 * Every image input the vision tasks accept.
 * - Node: a file path, a Buffer/Uint8Array/ArrayBuffer of an encoded JPEG, PNG, WebP, GIF, TIFF,
 *   AVIF, BMP or PBM/PGM/PPM, a Blob, or raw pixels `{ data, width, height }` (RGBA as in
 *   ImageData, RGB, or grey).
 * - Browsers: HTMLImageElement, HTMLCanvasElement, OffscreenCanvas, ImageBitmap, ImageData,
 *   HTMLVideoElement, VideoFrame, Blob/File, encoded bytes (what the browser decodes, plus BMP and
 *   PBM/PGM/PPM by core's own decoders), raw pixels, or a URL string of the page's own origin,
 *   `blob:` or `data:` ({@link BrowserImageSource}).
 * - URL strings that are network requests (Node: any `http(s)://`; browsers: another origin) are
 *   fetched only when allowed: `configure({ allowRemoteInputs: true })` or `{ allowRemote: true }`.
 *
 * The type needs no DOM lib: without it the browser objects drop out and the rest stays exact, so
 * `detectObjects(12345)` is a type error in every program.
 *
 * @example
 * ```ts
 * const inputs: ImageInput[] = ['photo.jpg', await readFile('photo.jpg'), { data: rgba, width: 640, height: 480 }];
 * ```
 */
export type ImageInput = string | Uint8Array | ArrayBuffer | RawPixels | ImagePixels | BrowserImageSource;

/**
 * The browser objects {@link ImageInput} takes: `<img>` and SVG `<image>` elements, `<canvas>`,
 * `<video>` (its current frame), OffscreenCanvas, ImageBitmap, VideoFrame, ImageData and
 * Blob/File. Each is the DOM type where the program has the DOM lib (Blob also with
 * `@types/node`), and drops out where it does not (see {@link DomType}).
 *
 * @example
 * ```ts
 * const source: BrowserImageSource = document.querySelector('video')!;
 * await detectObjects(source);
 * ```
 */
export type BrowserImageSource =
  | DomType<'HTMLImageElement'>
  | DomType<'SVGImageElement'>
  | DomType<'HTMLCanvasElement'>
  | DomType<'HTMLVideoElement'>
  | DomType<'OffscreenCanvas'>
  | DomType<'ImageBitmap'>
  | DomType<'VideoFrame'>
  | DomType<'ImageData'>
  | DomType<'Blob'>;

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
  /**
   * Which page of a multi-page TIFF, or frame of an animated GIF or WebP, to decode, from 0. A page
   * past the last rejects with `InputError` saying how many there are, so all pages are read by
   * counting up until then. Node only for pages past 0 (browsers decode the first frame). Default: 0.
   */
  page?: number;
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
 * alpha over white, expands grey and palettes to RGB, converts CMYK and 16-bit images to 8-bit
 * sRGB, takes the first page or frame of a multi-page TIFF, GIF or WebP (or `page`). BMP and
 * PBM/PGM/PPM are decoded by core's own TypeScript decoders, everywhere; the other formats by
 * sharp in Node and by the browser's decoder in browsers, with core's baseline TIFF decoder where
 * the browser has none (all but Safari). Empty, corrupt, zero-sized, over-limit (checked from the
 * header, before decoding) or unsupported inputs reject with {@link InputError}; a network URL
 * that was not allowed rejects with {@link InputError} at once, without a request.
 *
 * @example
 * ```ts
 * const { data, width, height } = await decodeImage('photo.jpg');
 * const remote = await decodeImage('https://example.com/cat.jpg', { allowRemote: true, signal });
 * const secondPage = await decodeImage('fax.tif', { page: 1 });
 * ```
 */
export async function decodeImage(input: ImageInput, options: DecodeImageOptions = {}): Promise<ImagePixels> {
  const maxPixels = options.maxPixels ?? getConfig().maxImagePixels;
  const page = options.page ?? 0;
  if (!Number.isInteger(page) || page < 0) {
    throw new OptionsError(
      `decodeImage: page must be a whole number from 0 (the first page), got ${String(page)}.`,
    );
  }
  if (input === null || input === undefined)
    throw new InputError('No image was given (got ' + String(input) + ').');
  throwIfAborted(options.signal, 'Decoding the image');
  if (typeof input === 'string') {
    if (!input.length) throw new InputError('The image path is an empty string.');
    if (isNode() && !/^(https?|data|blob):/i.test(input))
      return decodeNodeFile(input, maxPixels, options.signal, page);
    return decodeUrl(input, options, maxPixels, page);
  }
  if (input instanceof ArrayBuffer) return decodeEncoded(new Uint8Array(input), maxPixels, page);
  if (ArrayBuffer.isView(input)) {
    const view = input as ArrayBufferView;
    return decodeEncoded(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), maxPixels, page);
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
    if (isNode()) return decodeEncoded(new Uint8Array(await input.arrayBuffer()), maxPixels, page);
    // Refuse an over-limit image from its header before the browser decodes every pixel.
    const head = new Uint8Array(await input.slice(0, HEADER_BYTES).arrayBuffer());
    const size = readImageSize(head);
    if (size) checkDimensions(size.width, size.height, maxPixels);
    const format = sniffImageFormat(head);
    if (format === 'BMP' || format === 'PNM') {
      return decodeOwn(format, new Uint8Array(await input.arrayBuffer()), maxPixels, page);
    }
    // TIFF pages past the first, and TIFFs the browser cannot decode (all but Safari): our decoder.
    if (format === 'TIFF' && page > 0)
      return decodeTiff(new Uint8Array(await input.arrayBuffer()), maxPixels, page);
    if (page > 0) {
      throw new InputError(
        `decodeImage({ page: ${page} }) reads frames past the first of ${format ?? 'an image'} in Node only; browsers decode the first frame (TIFF: every page).`,
      );
    }
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(input, { imageOrientation: 'from-image' });
    } catch (error) {
      if (format === 'TIFF') return decodeTiff(new Uint8Array(await input.arrayBuffer()), maxPixels, page);
      if (format === 'HEIC' || format === 'JPEG XL' || format === 'JPEG 2000' || format === 'PSD') {
        throw new InputError(
          `This browser cannot decode ${format} images (Safari decodes HEIC; Chrome and Firefox do not). ${BROWSER_FORMATS} Convert the image first, or decode it in Node.`,
          { cause: error },
        );
      }
      throw new InputError(
        `The image Blob (${input.type || format || 'unknown type'}) could not be decoded; it may be corrupt. ${BROWSER_FORMATS}`,
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

/** What every browser decodes, for error messages. */
const BROWSER_FORMATS =
  'Every browser decodes JPEG, PNG, WebP, GIF, AVIF, BMP, PBM/PGM/PPM and baseline TIFF (strips; none, LZW, PackBits or Deflate).';
/** What Node decodes, for error messages. */
const NODE_FORMATS =
  'Supported: JPEG, PNG, WebP, GIF, TIFF, AVIF, BMP, PBM/PGM/PPM (HEIC only where libvips has an HEVC decoder).';

/** BMP and PNM: core's own decoders, the same in Node and browsers; one image a file. */
function decodeOwn(format: 'BMP' | 'PNM', bytes: Uint8Array, maxPixels: number, page: number): ImagePixels {
  if (page > 0) {
    throw new InputError(
      `A ${format} file holds one image; page ${page} does not exist (pages count from 0).`,
    );
  }
  return format === 'BMP' ? decodeBmp(bytes, maxPixels) : decodePnm(bytes, maxPixels);
}

async function decodeNodeFile(
  path: string,
  maxPixels: number,
  signal: AbortSignal | undefined,
  page: number,
): Promise<ImagePixels> {
  let bytes: Uint8Array;
  try {
    bytes = await readFileBytes(path, signal);
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
  return decodeEncoded(bytes, maxPixels, page, `Image file "${path}"`);
}

async function decodeUrl(
  url: string,
  options: DecodeImageOptions,
  maxPixels: number,
  page: number,
): Promise<ImagePixels> {
  const { bytes, type } = await fetchInput(url, 'image', options);
  const name = url.startsWith('data:') ? 'The image data: URL' : `The image at ${url}`;
  if (!bytes.byteLength) throw new InputError(`${name} is empty.`);
  throwIfAborted(options.signal, 'Decoding the image');
  if (!isNode())
    return decodeImage(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), { maxPixels, page });
  return decodeEncoded(bytes, maxPixels, page, name);
}

async function decodeEncoded(
  bytes: Uint8Array,
  maxPixels: number,
  page: number,
  name = 'The image bytes',
): Promise<ImagePixels> {
  if (!bytes.byteLength) throw new InputError(`${name} is empty.`);
  // The size from the header, before any pixel memory is spent: our own parser for the common
  // formats, then sharp's metadata() (headers only) for the rest.
  const header = readImageSize(bytes);
  if (header) checkDimensions(header.width, header.height, maxPixels);
  const format: ImageFormatName | undefined = sniffImageFormat(bytes);
  if (format === 'BMP' || format === 'PNM') return decodeOwn(format, bytes, maxPixels, page);
  if (!isNode()) {
    return decodeImage(new Blob([bytes as Uint8Array<ArrayBuffer>]), { maxPixels, page });
  }
  const { default: sharp } = await importNodeOnly<typeof import('sharp')>('sharp');
  let compression: string | undefined;
  try {
    const image = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', pages: 1, page });
    // Headers only: the size when our parser had none, the page count when a page was asked for.
    if (!header || page > 0) {
      const meta = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }).metadata();
      compression = meta.compression;
      if (!header && meta.width && meta.height) checkDimensions(meta.width, meta.height, maxPixels);
      const pages = meta.pages ?? 1;
      if (page >= pages) {
        throw new InputError(
          `${name} (${format ?? meta.format}) has ${pages} page${pages === 1 ? '' : 's'}; page ${page} does not exist (pages count from 0).`,
        );
      }
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
    if (format === 'HEIC' || compression === 'hevc') {
      throw new InputError(
        `${name} is HEIC (HEVC-coded HEIF), which this build of sharp/libvips cannot decode: its prebuilt libvips carries an AV1 decoder (AVIF) but no HEVC decoder. Convert it to JPEG or AVIF first (e.g. heif-convert, or "Most Compatible" in the iPhone camera settings), or pass the File in Safari, which decodes HEIC.`,
        { cause: error },
      );
    }
    const what = format ? `${format} ` : '';
    throw new InputError(
      `${name} could not be decoded as an ${what}image (${msg.split('\n')[0]}). ${NODE_FORMATS}`,
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
