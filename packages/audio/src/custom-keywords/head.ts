import { readPackageText } from '#platform/package-file';
import { getConfig, InputError, ModelLoadError, OptionsError } from '@ondevice/core';
import { type KeywordHead, MAX_HEAD_WINDOW_SIZE } from '../spot-keywords/heads.js';
import { EMBEDDING_SIZE } from '../spot-keywords/preprocess.js';
import { MlpHead, type MlpWeights } from './mlp.js';

/** The JSON form of a keyword head trained by this package (enrolment or the training script). */
export interface KeywordHeadJson {
  format: 'ondevice-keyword-head';
  version: 1;
  /** The keyword's name, reported in detections. */
  name: string;
  /** Score at or above which the keyword fires. */
  threshold: number;
  /** Licence of the weights. */
  license: string;
  description?: string;
  /** How it was trained (free-form record: sources, counts, calibration). */
  training?: Record<string, unknown>;
  /** Set when the head misses the project's bars on real recordings: why, with the figures. */
  experimental?: string;
  mlp: MlpWeights;
}

/** A keyword head that can be saved as JSON (`JSON.stringify(head)`) and revived with {@link keywordHeadFromJson}. */
export interface SerializableKeywordHead extends KeywordHead {
  readonly labels: readonly [string];
  readonly threshold: number;
  readonly license: string;
  /**
   * Set when the head missed the project's bars on real recordings (recall on real voices, false
   * alarms per minute of real speech): why, with the figures. Such a head is never a default.
   */
  readonly experimental?: string;
  toJSON(): KeywordHeadJson;
}

const round = (v: number) => Number(v.toPrecision(5));

/** Rounds the weights to 5 significant digits (the JSON stays small; scores move < 1e-3). */
export function compactWeights(w: MlpWeights): MlpWeights {
  return {
    ...w,
    mean: w.mean.map(round),
    std: w.std.map(round),
    proj: w.proj.map(round),
    projBias: w.projBias.map(round),
    w1: w.w1.map(round),
    b1: w.b1.map(round),
    w2: w.w2.map(round),
    b2: round(w.b2),
  };
}

/**
 * The bounds a keyword head file must keep: the window (embeddings per prediction, 128 ≈ 10 s),
 * the embedding size (the speech embedding's 96) and the MLP's widths.
 *
 * @example
 * ```ts
 * KEYWORD_HEAD_LIMITS.windowSize; // { min: 1, max: 128 }
 * ```
 */
export const KEYWORD_HEAD_LIMITS = {
  windowSize: { min: 1, max: MAX_HEAD_WINDOW_SIZE },
  embeddingSize: { min: EMBEDDING_SIZE, max: EMBEDDING_SIZE },
  projection: { min: 1, max: 256 },
  hidden: { min: 1, max: 1024 },
} as const;

const show = (v: unknown): string =>
  typeof v === 'number' ? String(v) : v === undefined ? 'missing' : (JSON.stringify(v) ?? String(v));

/** Checks every field of a head file; throws `make(message)` naming the first bad field and what is allowed. */
function checkHeadJson(data: KeywordHeadJson, make: (message: string) => Error): void {
  const where =
    typeof data.name === 'string' && data.name ? `The keyword head "${data.name}"` : 'The keyword head';
  const fail = (field: string, value: unknown, allowed: string) =>
    make(`${where}: ${field} is ${show(value)}; allowed: ${allowed}.`);
  if (typeof data.name !== 'string' || data.name.length === 0 || data.name.length > 100)
    throw fail('name', data.name, 'a non-empty string of at most 100 characters');
  if (typeof data.threshold !== 'number' || !(data.threshold >= 0 && data.threshold <= 1))
    throw fail('threshold', data.threshold, 'a number from 0 to 1');
  if (data.license !== undefined && typeof data.license !== 'string')
    throw fail('license', data.license, 'a string');
  const mlp = data.mlp as unknown as Record<string, unknown>;
  if (!mlp || typeof mlp !== 'object' || Array.isArray(mlp)) throw fail('mlp', data.mlp, 'an object');
  const sizes = {} as Record<keyof typeof KEYWORD_HEAD_LIMITS, number>;
  for (const [key, { min, max }] of Object.entries(KEYWORD_HEAD_LIMITS)) {
    const v = mlp[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw fail(`mlp.${key}`, v, min === max ? String(min) : `an integer from ${min} to ${max}`);
    sizes[key as keyof typeof KEYWORD_HEAD_LIMITS] = v;
  }
  const { windowSize: T, embeddingSize: E, projection: D, hidden: H } = sizes;
  const arrays: [string, number, string][] = [
    ['mean', E, 'embeddingSize'],
    ['std', E, 'embeddingSize'],
    ['proj', D * E, 'projection × embeddingSize'],
    ['projBias', D, 'projection'],
    ['w1', H * T * D, 'hidden × windowSize × projection'],
    ['b1', H, 'hidden'],
    ['w2', H, 'hidden'],
  ];
  for (const [key, n, from] of arrays) {
    const a = mlp[key];
    if (!Array.isArray(a))
      throw make(`${where}: mlp.${key} is not an array; expected ${n} numbers (${from}).`);
    if (a.length !== n) throw make(`${where}: mlp.${key} has ${a.length} values; expected ${n} (${from}).`);
    for (let i = 0; i < a.length; i++) {
      if (typeof a[i] !== 'number' || !Number.isFinite(a[i]))
        throw fail(`mlp.${key}[${i}]`, a[i], 'a finite number');
    }
  }
  if (typeof mlp.b2 !== 'number' || !Number.isFinite(mlp.b2)) throw fail('mlp.b2', mlp.b2, 'a finite number');
}

/**
 * Revives a head saved as JSON (by `enrollKeyword`, the training script, or the committed heads)
 * into a {@link KeywordHead} the spotter runs like a built-in. Accepts the object or its JSON text.
 * Every field is checked first ({@link KEYWORD_HEAD_LIMITS}, weights' lengths against the declared
 * sizes, finite numbers): a bad one rejects with `InputError` naming the field and what is allowed;
 * a bad override with `OptionsError`.
 *
 * @example
 * ```ts
 * const head = keywordHeadFromJson(JSON.parse(await readFile('hey_ondevice.json', 'utf8')));
 * const spotter = await createKeywordSpotter({ keywords: [head] });
 * ```
 */
export function keywordHeadFromJson(
  json: KeywordHeadJson | string,
  overrides: { name?: string; threshold?: number } = {},
): SerializableKeywordHead {
  let data: KeywordHeadJson;
  try {
    data = typeof json === 'string' ? (JSON.parse(json) as KeywordHeadJson) : json;
  } catch (error) {
    throw new InputError('The keyword head is not valid JSON.', { cause: error });
  }
  if (data?.format !== 'ondevice-keyword-head' || data.version !== 1 || !data.mlp) {
    throw new InputError(
      'Not an @ondevice keyword head (expected format "ondevice-keyword-head", version 1).',
    );
  }
  checkHeadJson(data, (m) => new InputError(m));
  if (overrides.name !== undefined || overrides.threshold !== undefined) {
    checkHeadJson(
      {
        ...data,
        ...(overrides.name === undefined ? {} : { name: overrides.name }),
        ...(overrides.threshold === undefined ? {} : { threshold: overrides.threshold }),
      },
      (m) => new OptionsError(m.replace(/^The keyword head[^:]*: /, 'keywordHeadFromJson override: ')),
    );
  }
  let mlp: MlpHead;
  try {
    mlp = new MlpHead(data.mlp);
  } catch (error) {
    throw new InputError(`The keyword head "${data.name}" is malformed: ${(error as Error).message}`);
  }
  const name = overrides.name ?? data.name;
  const threshold = overrides.threshold ?? data.threshold;
  const size = data.mlp.windowSize * data.mlp.embeddingSize;
  const out = { ...data, name, threshold };
  return {
    labels: [name] as const,
    windowSize: data.mlp.windowSize,
    threshold,
    license: data.license,
    ...(typeof data.experimental === 'string' ? { experimental: data.experimental } : {}),
    predict(window: Float32Array) {
      if (window.length !== size) {
        throw new InputError(
          `A window of ${data.mlp.windowSize} × ${data.mlp.embeddingSize} values was expected.`,
        );
      }
      return [mlp.predict(window)];
    },
    toJSON: () => out,
  };
}

/**
 * Keyword heads trained from text by this project (espeak-ng speech against real-speech negatives;
 * `scripts/train-keyword.mjs`), licensed Apache-2.0 like the rest of the project.
 *
 * @example
 * ```ts
 * const spotter = await createKeywordSpotter({ keywords: [...OPEN_KEYWORDS] });
 * ```
 */
export const OPEN_KEYWORDS = [
  'hey_ondevice',
  'yes',
  'no',
  'up',
  'down',
  'left',
  'right',
  'on',
  'off',
  'stop',
  'go',
] as const;

/** Name of a head in {@link OPEN_KEYWORDS}. */
export type OpenKeyword = (typeof OPEN_KEYWORDS)[number];

function readPackageFile(relative: string): Promise<string> {
  return readPackageText(new URL(`../../${relative}`, import.meta.url));
}

/**
 * Loads one of the project's own keyword heads ({@link OPEN_KEYWORDS}, Apache-2.0), ready to pass
 * to `createKeywordSpotter({ keywords })` — no non-commercial weights involved. A head that missed
 * the project's bars on real recordings carries `experimental` (why, with figures), said once at warn level.
 *
 * @example
 * ```ts
 * const heads = await Promise.all(['yes', 'no'].map((k) => loadOpenKeywordHead(k)));
 * const spotter = await createKeywordSpotter({ keywords: heads });
 * ```
 */
export async function loadOpenKeywordHead(
  name: OpenKeyword,
  overrides: { threshold?: number } = {},
): Promise<SerializableKeywordHead> {
  if (!(OPEN_KEYWORDS as readonly string[]).includes(name)) {
    throw new InputError(`Unknown keyword head "${name}". Available: ${OPEN_KEYWORDS.join(', ')}.`);
  }
  let text: string;
  try {
    text = await readPackageFile(`heads/${name}.json`);
  } catch (error) {
    throw new ModelLoadError(`Keyword head "${name}" could not be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let head: SerializableKeywordHead;
  try {
    head = keywordHeadFromJson(text, overrides);
  } catch (error) {
    if (error instanceof OptionsError) throw error;
    // A shipped head that does not pass is a broken install, not the caller's input.
    throw new ModelLoadError(
      `Keyword head "${name}" (heads/${name}.json) is damaged: ${(error as Error).message} Reinstall @ondevice/audio.`,
      {
        cause: error,
      },
    );
  }
  if (head.experimental && !warnedExperimental.has(name)) {
    warnedExperimental.add(name);
    getConfig().logger.warn(`keyword head "${name}" is experimental: ${head.experimental}`);
  }
  return head;
}

const warnedExperimental = new Set<string>();

/** A bank of speech embeddings (quantised to 8 bits per value), used as built-in negatives. */
export interface EmbeddingBankJson {
  format: 'ondevice-embedding-bank';
  version: 1;
  license: string;
  sources: string[];
  size: number;
  /** value = min[d] + q × scale[d] */
  min: number[];
  scale: number[];
  /** One base64 string of `rows × size` bytes per continuous stream. */
  streams: string[];
}

function fromBase64(s: string): Uint8Array {
  if (typeof atob === 'function') {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  return new Uint8Array(Buffer.from(s, 'base64'));
}

function toBase64(bytes: Uint8Array): string {
  if (typeof btoa === 'function') {
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(bin);
  }
  return Buffer.from(bytes).toString('base64');
}

/** Quantises continuous embedding streams (each `rows × size`) into an {@link EmbeddingBankJson}. */
export function encodeEmbeddingBank(
  streams: Float32Array[],
  meta: { license: string; sources: string[]; size?: number },
): EmbeddingBankJson {
  const size = meta.size ?? 96;
  const min = new Array<number>(size).fill(Number.POSITIVE_INFINITY);
  const max = new Array<number>(size).fill(Number.NEGATIVE_INFINITY);
  for (const s of streams) {
    for (let i = 0; i < s.length; i++) {
      const d = i % size;
      if (s[i]! < min[d]!) min[d] = s[i]!;
      if (s[i]! > max[d]!) max[d] = s[i]!;
    }
  }
  const minR = min.map((v) => Number(v.toPrecision(6)));
  const scale = max.map((v, d) => Number((Math.max(v - minR[d]!, 1e-6) / 255).toPrecision(6)));
  return {
    format: 'ondevice-embedding-bank',
    version: 1,
    license: meta.license,
    sources: meta.sources,
    size,
    min: minR,
    scale,
    streams: streams.map((s) => {
      const q = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) {
        const d = i % size;
        q[i] = Math.max(0, Math.min(255, Math.round((s[i]! - minR[d]!) / scale[d]!)));
      }
      return toBase64(q);
    }),
  };
}

/** Decodes an {@link EmbeddingBankJson} into its continuous streams of embeddings. */
export function decodeEmbeddingBank(bank: EmbeddingBankJson): Float32Array[] {
  return bank.streams.map((b64) => {
    const q = fromBase64(b64);
    const out = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) {
      const d = i % bank.size;
      out[i] = bank.min[d]! + q[i]! * bank.scale[d]!;
    }
    return out;
  });
}

let builtinBank: Promise<Float32Array[]> | undefined;

/** The built-in negative embeddings (real and synthetic non-keyword speech) shipped in `heads/`. */
export function loadBuiltinNegatives(): Promise<Float32Array[]> {
  builtinBank ??= readPackageFile('heads/negatives.json')
    .then((t) => decodeEmbeddingBank(JSON.parse(t) as EmbeddingBankJson))
    .catch((error) => {
      builtinBank = undefined;
      throw new ModelLoadError(
        `The built-in negative embeddings could not be read: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    });
  return builtinBank;
}
