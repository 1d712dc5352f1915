import {
  formatFaces,
  formatKeywords,
  formatLanguages,
  formatObjects,
  formatText,
  formatTranslation,
  type Rendered,
} from './format.js';
import type { InputKind } from './inputs.js';

/** One command-line flag of a task, in node:util parseArgs terms plus help text. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `N`. */
  value?: string;
  description: string;
}

/** Parsed flag values. */
export type FlagValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** A task command: which library factory it drives and how flags map to the library's options. */
export interface TaskCommand {
  name: string;
  summary: string;
  input: InputKind;
  /** Package and async factory (`createX(options)`) that builds the task instance. */
  module: string;
  factory: string;
  /** The instance's method that runs the task on one input (first one present is used). */
  verbs: readonly string[];
  flags: Record<string, FlagSpec>;
  /** Factory options from flags. Values are checked by the library's own schema (OptionsError → exit 2). */
  options(values: FlagValues): Record<string, unknown>;
  /** Options passed with each call, when the library takes them per call. */
  callOptions?(values: FlagValues): Record<string, unknown> | undefined;
  format(result: unknown): Rendered;
  examples: readonly string[];
  /**
   * Builds the instance when the factory alone does not fit the command (the default calls
   * `module[factory](options)` and then its first verb). Returns undefined when the package lacks
   * what it needs (the task is not available yet).
   */
  create?(
    mod: Record<string, unknown>,
    options: Record<string, unknown>,
  ): Promise<{ run(input: unknown): Promise<unknown>; dispose(): Promise<void> } | undefined>;
}

/**
 * A flag value that must be a number; the message names the flag.
 *
 * @example
 * ```ts
 * throw new FlagValueError('--threshold must be a number between 0 and 1');
 * ```
 */
export class FlagValueError extends Error {}

function number(values: FlagValues, flag: string): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n))
    throw new FlagValueError(`--${flag} expects a number, got "${String(v)}"`);
  return n;
}

function list(values: FlagValues, flag: string): string[] | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  const all = (Array.isArray(v) ? v : [v]).map(String);
  return all
    .flatMap((s) => s.split(/[,+]/))
    .map((s) => s.trim())
    .filter(Boolean);
}

function str(values: FlagValues, flag: string): string | undefined {
  const v = values[flag];
  return typeof v === 'string' ? v : undefined;
}

/** Drops undefined entries so library defaults apply. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * Every task command, in help order.
 *
 * @example
 * ```ts
 * for (const task of TASKS) console.log(task.name);
 * ```
 */
export const TASKS: readonly TaskCommand[] = [
  {
    name: 'detect',
    summary: 'detect objects in images (80 COCO classes)',
    input: 'image',
    module: '@ondevice/vision',
    factory: 'createObjectDetector',
    verbs: ['detect', 'detectObjects', 'run'],
    flags: {
      threshold: { type: 'string', value: 'S', description: 'minimum score in [0, 1]' },
      'max-results': { type: 'string', value: 'N', description: 'keep at most N objects' },
      iou: {
        type: 'string',
        value: 'T',
        description: 'drop same-label boxes overlapping a better one by more than this IoU',
      },
      model: { type: 'string', value: 'NAME', description: 'fast | balanced | accurate (default balanced)' },
      precision: { type: 'string', value: 'P', description: 'weights: fp32 | fp16 | int8 (default fp32)' },
      only: { type: 'string', value: 'LABELS', description: 'keep only these labels, comma-separated' },
      exclude: { type: 'string', value: 'LABELS', description: 'drop these labels, comma-separated' },
    },
    options: (v) =>
      defined({
        scoreThreshold: number(v, 'threshold'),
        maxResults: number(v, 'max-results'),
        iouThreshold: number(v, 'iou'),
        model: str(v, 'model'),
        precision: str(v, 'precision'),
        categoryAllowlist: list(v, 'only'),
        categoryDenylist: list(v, 'exclude'),
      }),
    format: formatObjects,
    examples: [
      'ondevice detect photo.jpg',
      'ondevice detect photos/ --threshold 0.5 --only person,dog --json',
    ],
  },
  {
    name: 'faces',
    summary: 'find faces and their landmarks in images',
    input: 'image',
    module: '@ondevice/vision',
    factory: 'createFaceLandmarker',
    verbs: ['detect', 'detectFaceLandmarks', 'run'],
    flags: {
      'max-faces': { type: 'string', value: 'N', description: 'find at most N faces' },
      threshold: { type: 'string', value: 'S', description: 'minimum face detector score in [0, 1]' },
      presence: {
        type: 'string',
        value: 'S',
        description: 'minimum face-presence score of the mesh in [0, 1]',
      },
      refine: { type: 'boolean', description: 'also run the iris model: 478 landmarks instead of 468' },
    },
    options: (v) =>
      defined({
        maxFaces: number(v, 'max-faces'),
        minDetectionConfidence: number(v, 'threshold'),
        minPresenceConfidence: number(v, 'presence'),
        refineLandmarks: v.refine === true ? true : undefined,
      }),
    format: formatFaces,
    examples: [
      'ondevice faces portrait.jpg',
      "ondevice faces 'shots/**/*.jpg' --max-faces 5 --refine --json",
    ],
  },
  {
    name: 'ocr',
    summary: 'recognise printed text in images',
    input: 'image',
    module: '@ondevice/vision',
    factory: 'createTextRecognizer',
    verbs: ['recognize', 'recognizeText', 'run'],
    flags: {
      languages: {
        type: 'string',
        value: 'LANGS',
        description: 'languages to read, Tesseract codes comma-separated (e.g. eng,fra); default eng',
      },
      engine: { type: 'string', value: 'NAME', description: 'auto | ppocr | tesseract (default auto)' },
      timeout: { type: 'string', value: 'MS', description: 'give up on an image after MS milliseconds' },
      'no-deskew': {
        type: 'boolean',
        description: "tesseract: use Tesseract's own skew estimate instead of turning the page upright first",
      },
    },
    options: (v) =>
      defined({
        languages: list(v, 'languages'),
        engine: str(v, 'engine'),
        timeout: number(v, 'timeout'),
        deskew: v['no-deskew'] === true ? false : undefined,
      }),
    format: formatText,
    examples: [
      'ondevice ocr receipt.png',
      'ondevice ocr scans/ --languages eng,fra --engine tesseract --json',
    ],
  },
  {
    name: 'listen',
    summary: 'spot spoken keywords in WAV audio',
    input: 'audio',
    module: '@ondevice/audio',
    factory: 'createKeywordSpotter',
    verbs: ['spot', 'spotKeywords', 'detect', 'run'],
    flags: {
      keywords: {
        type: 'string',
        value: 'WORDS',
        description:
          "keywords, comma-separated: built-in names, the project's own heads (e.g. yes,no) or head .json files",
      },
      threshold: {
        type: 'string',
        value: 'S',
        description: 'score in [0, 1] at which a keyword fires (default 0.5)',
      },
      runtime: {
        type: 'string',
        value: 'NAME',
        description: 'onnxruntime build: auto | node | web (default auto)',
      },
    },
    options: (v) =>
      defined({
        keywords: list(v, 'keywords'),
        threshold: number(v, 'threshold'),
        runtime: str(v, 'runtime'),
      }),
    // Each keyword is a built-in name, one of the project's own heads (loadOpenKeywordHead), or a
    // head saved as JSON (keywordHeadFromJson); the spotter's schema checks the rest.
    async create(mod, options) {
      if (typeof mod.createKeywordSpotter !== 'function') return undefined;
      const open = Array.isArray(mod.OPEN_KEYWORDS) ? (mod.OPEN_KEYWORDS as string[]) : [];
      const builtin = Array.isArray(mod.BUILTIN_KEYWORDS) ? (mod.BUILTIN_KEYWORDS as string[]) : [];
      const keywords = options.keywords as string[] | undefined;
      const resolve = async (k: string): Promise<unknown> => {
        if (k.toLowerCase().endsWith('.json') && typeof mod.keywordHeadFromJson === 'function') {
          const { readFile } = await import('node:fs/promises');
          let text: string;
          try {
            text = await readFile(k, 'utf8');
          } catch {
            throw new FlagValueError(`--keywords: cannot read the keyword head file ${k}`);
          }
          return (mod.keywordHeadFromJson as (t: string) => unknown)(text);
        }
        if (!builtin.includes(k) && open.includes(k) && typeof mod.loadOpenKeywordHead === 'function')
          return (mod.loadOpenKeywordHead as (n: string) => Promise<unknown>)(k);
        return k;
      };
      const resolved = keywords ? await Promise.all(keywords.map(resolve)) : undefined;
      const spotter = (await mod.createKeywordSpotter(defined({ ...options, keywords: resolved }))) as {
        spot(audio: unknown): Promise<unknown>;
        dispose(): unknown;
      };
      return { run: (audio) => spotter.spot(audio), dispose: async () => void (await spotter.dispose()) };
    },
    format: formatKeywords,
    examples: [
      'ondevice listen clip.wav',
      'ondevice listen recordings/ --keywords yes,no,my-head.json --json',
    ],
  },
  {
    name: 'langid',
    summary: 'identify the language of texts (files, --text, or - for stdin lines)',
    input: 'text',
    module: '@ondevice/text',
    factory: 'createLanguageIdentifier',
    verbs: ['identify', 'identifyLanguage', 'run'],
    flags: {
      'max-results': { type: 'string', value: 'N', description: 'list at most N guesses (default 3)' },
      'und-threshold': {
        type: 'string',
        value: 'S',
        description: 'answer "und" when the best guess is less confident than S (default 0.3)',
      },
      'min-confidence': {
        type: 'string',
        value: 'S',
        description: 'drop later guesses below S (default 0.01)',
      },
      engine: {
        type: 'string',
        value: 'NAME',
        description: 'combined | fasttext | tinyld | eld (default combined)',
      },
    },
    options: (v) =>
      defined({
        maxResults: number(v, 'max-results'),
        undThreshold: number(v, 'und-threshold'),
        minConfidence: number(v, 'min-confidence'),
        engine: str(v, 'engine'),
      }),
    format: formatLanguages,
    examples: ["ondevice langid --text 'Bonjour tout le monde'", 'ondevice langid notes/*.txt --json'],
  },
  {
    name: 'translate',
    summary: 'translate texts (files, --text, or - for stdin lines)',
    input: 'text',
    module: '@ondevice/text',
    factory: 'createTranslator',
    verbs: ['translate', 'run'],
    flags: {
      to: { type: 'string', value: 'LANG', description: 'target language, BCP-47 (e.g. es); required' },
      from: { type: 'string', value: 'LANG', description: 'source language; default: identified per input' },
      model: {
        type: 'string',
        value: 'ID',
        description: 'model id, e.g. tiny-marian-en-es for the built-in demo (default: the registered one)',
      },
      'max-batch': {
        type: 'string',
        value: 'N',
        description: 'sentences per model call (default 8; needs --from)',
      },
    },
    options: (v) => {
      if (typeof v.to !== 'string') throw new FlagValueError('translate needs --to LANG (e.g. --to es)');
      if (v['max-batch'] !== undefined && v.from === undefined)
        throw new FlagValueError('--max-batch needs --from');
      return defined({
        to: str(v, 'to'),
        from: str(v, 'from'),
        model: str(v, 'model'),
        maxBatchSize: number(v, 'max-batch'),
      });
    },
    // With --from, one translator for the pair; without, the one-line translate() identifies each
    // input's language and keeps one translator per pair.
    async create(mod, options) {
      if (options.from) {
        if (typeof mod.createTranslator !== 'function') return undefined;
        const t = (await mod.createTranslator(options)) as {
          translate(text: unknown): Promise<unknown>;
          dispose(): unknown;
        };
        return { run: (text) => t.translate(text), dispose: async () => void (await t.dispose()) };
      }
      if (typeof mod.translate !== 'function') return undefined;
      const translate = mod.translate as (text: unknown, o: unknown) => Promise<unknown>;
      const call = defined({ to: options.to, model: options.model });
      return { run: (text) => translate(text, call), dispose: async () => undefined };
    },
    format: formatTranslation,
    examples: [
      "ondevice translate --from en --to es --model tiny-marian-en-es --text 'the black cat'",
      'echo Hello | ondevice translate --from en --to de -',
    ],
  },
];

/**
 * The task command of a name, if any.
 *
 * @example
 * ```ts
 * const task = findTask('detect'); // the `ondevice detect` command
 * ```
 */
export function findTask(name: string): TaskCommand | undefined {
  return TASKS.find((t) => t.name === name);
}
