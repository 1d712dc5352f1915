import {
  BackendUnavailableError,
  isNode,
  type LoadModelOptions,
  loadModel,
  ModelLoadError,
  type ModelSpec,
  nativeRuntimeIsPrivate,
  resolveWasmBase,
} from '@ondevice/core';
import { MARIAN_FILE_NAMES } from './models.js';

/** A loaded MarianMT model run by transformers.js. */
export interface MarianEngine {
  /** Translates sentences in one batch (greedy decoding). */
  translateBatch(sentences: readonly string[]): Promise<string[]>;
  dispose(): Promise<void>;
}

type Transformers = typeof import('@huggingface/transformers');

// Bytes handed to transformers.js through its custom-cache hook, keyed by a virtual model id.
const served = new Map<string, Map<string, Uint8Array>>();
let transformers: Promise<Transformers> | undefined;
const VIRTUAL_PREFIX = 'ondevice-store';

function getTransformers(): Promise<Transformers> {
  // In Node, transformers.js loads onnxruntime-node as it is imported: its telemetry must already be
  // off, which a worker thread cannot do for itself (see nativeRuntimeIsPrivate).
  if (isNode() && !nativeRuntimeIsPrivate())
    return Promise.reject(
      new BackendUnavailableError(
        'Translation in this worker thread would load onnxruntime-node with its telemetry on: a worker cannot switch it off. Import @ondevice/text (or set ORT_DISABLE_TELEMETRY=1) in the main thread before starting the worker.',
      ),
    );
  transformers ??= import('@huggingface/transformers').then((tf) => {
    const env = tf.env;
    // Files only ever come from core's model store (integrity-checked), never from the Hub.
    // (transformers.js refuses to run with both sources off; ours answers from its cache hook first.)
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useBrowserCache = false;
    env.useFSCache = false;
    const previous = env.useCustomCache ? env.customCache : null;
    env.useCustomCache = true;
    env.customCache = {
      async match(request: string | Request) {
        const key = typeof request === 'string' ? request : request.url;
        const at = key.indexOf(`${VIRTUAL_PREFIX}/`);
        if (at >= 0) {
          const rest = key.slice(at + VIRTUAL_PREFIX.length + 1);
          const slash = rest.indexOf('/');
          // Keys are the local path (<id>/<file>) or the remote URL (<id>/resolve/<revision>/<file>).
          const file = decodeURIComponent(rest.slice(slash + 1)).replace(/^resolve\/[^/]+\//, '');
          const bytes = served.get(rest.slice(0, slash))?.get(file);
          if (bytes)
            return new Response(bytes as unknown as BodyInit, {
              headers: { 'content-length': String(bytes.byteLength) },
            });
          return undefined;
        }
        return previous?.match(key);
      },
      async put(request: string | Request, response: Response) {
        if (previous) await previous.put(typeof request === 'string' ? request : request.url, response);
      },
    } as typeof env.customCache;
    if (!isNode()) {
      // transformers.js would otherwise fetch onnxruntime's WASM from a CDN.
      const onnx = env.backends?.onnx as { wasm?: { wasmPaths?: string } } | undefined;
      if (onnx?.wasm) onnx.wasm.wasmPaths = resolveWasmBase();
    }
    return tf;
  }, transformersMissing);
  return transformers;
}

/**
 * transformers.js is an optional peer dependency of this package: translation is the only task
 * that needs it (158 MB with its own onnxruntime-web and onnxruntime-node), and no translation
 * weights ship with @ondevice yet.
 */
function transformersMissing(error: unknown): never {
  transformers = undefined;
  const code = (error as { code?: string })?.code;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /transformers/.test(String(error)))
    throw new BackendUnavailableError(
      isNode()
        ? 'Translation runs on transformers.js, an optional peer dependency of @ondevice/text: npm install @huggingface/transformers@4.3.1 --ignore-scripts (or pnpm add @huggingface/transformers@4.3.1). The flag skips its onnxruntime-node install script, which only downloads CUDA files.'
        : 'Translation runs on transformers.js, an optional peer dependency of @ondevice/text: add @huggingface/transformers@4.3.1 to your app and rebuild.',
      { cause: error },
    );
  throw error;
}

const DTYPE_BY_SUFFIX: Record<string, string> = {
  '': 'fp32',
  _fp16: 'fp16',
  _quantized: 'q8',
  _int8: 'int8',
  _uint8: 'uint8',
  _q4: 'q4',
  _q4f16: 'q4f16',
  _bnb4: 'bnb4',
};

/** The transformers.js dtype a spec's ONNX file names imply (`encoder_model_quantized.onnx` → q8). */
export function marianDtype(spec: ModelSpec): string {
  const enc = spec.files.map((f) => MARIAN_FILE_NAMES.encoder.exec(f.path)).find(Boolean);
  const dec = spec.files.find((f) => MARIAN_FILE_NAMES.decoder.test(f.path));
  const missing = MARIAN_FILE_NAMES.required.filter((p) => !spec.files.some((f) => f.path === p));
  if (!enc || !dec || missing.length) {
    throw new ModelLoadError(
      `${spec.id} is not a MarianMT model in the Hugging Face layout: it needs ${[
        ...MARIAN_FILE_NAMES.required,
        'onnx/encoder_model*.onnx',
        'onnx/decoder_model_merged*.onnx',
      ].join(', ')}.`,
    );
  }
  const dtype = DTYPE_BY_SUFFIX[enc[1] ?? ''];
  if (!dtype) throw new ModelLoadError(`${spec.id}: unknown ONNX variant "${enc[0]}".`);
  return dtype;
}

let counter = 0;

/**
 * Runs a load with transformers.js's warnings off: its MarianTokenizer prints "not yet supported by
 * Hugging Face's fast tokenizers library" to stderr on every load, about a library this package
 * does not use. Only the default level is lowered, so a level the user set is left alone.
 */
async function quietly<T>(tf: Transformers, load: () => Promise<T>): Promise<T> {
  const lower = tf.env.logLevel === tf.LogLevel.WARNING;
  if (lower) tf.env.logLevel = tf.LogLevel.ERROR;
  try {
    return await load();
  } finally {
    if (lower && tf.env.logLevel === tf.LogLevel.ERROR) tf.env.logLevel = tf.LogLevel.WARNING;
  }
}

/**
 * Loads a MarianMT model: files from core's model store (cache, package, `modelPath`, or download —
 * SHA-256 checked), run by transformers.js on onnxruntime.
 *
 * @example
 * ```ts
 * const engine = await loadMarianEngine(TINY_MARIAN_EN_ES, { modelPath });
 * await engine.translateBatch(['the cat']); // ['el gato']
 * ```
 */
export async function loadMarianEngine(
  spec: ModelSpec,
  options: LoadModelOptions = {},
): Promise<MarianEngine> {
  const dtype = marianDtype(spec);
  const loaded = await loadModel(spec, options);
  const tf = await getTransformers();
  const slug = `${spec.id}-${spec.version}-${++counter}`;
  served.set(slug, new Map(loaded.files));
  const repo = `${VIRTUAL_PREFIX}/${slug}`;
  let tokenizer: Awaited<ReturnType<Transformers['AutoTokenizer']['from_pretrained']>>;
  let model: Awaited<ReturnType<Transformers['AutoModelForSeq2SeqLM']['from_pretrained']>>;
  try {
    tokenizer = await quietly(tf, () => tf.AutoTokenizer.from_pretrained(repo));
    model = await tf.AutoModelForSeq2SeqLM.from_pretrained(repo, {
      dtype: dtype as 'fp32',
      ...(isNode() ? {} : { device: 'wasm' as const }),
    });
  } catch (error) {
    throw new ModelLoadError(
      `Could not load ${spec.id} in transformers.js: ${String((error as Error)?.message ?? error)}`,
      { cause: error },
    );
  } finally {
    served.delete(slug); // the sessions and tokenizer hold what they need
  }
  const config = model.config as unknown as { eos_token_id?: number | number[] };
  const eos = new Set([config.eos_token_id ?? 0].flat());
  return {
    async translateBatch(sentences) {
      if (sentences.length === 0) return [];
      const enc = tokenizer([...sentences], { padding: true, truncation: true, max_length: 512 });
      const inputLen = (enc.input_ids as { dims: number[] }).dims[1]!;
      const out = await model.generate({
        ...enc,
        max_new_tokens: Math.min(512, Math.ceil(inputLen * 2) + 10),
        num_beams: 1,
        do_sample: false,
      } as Parameters<typeof model.generate>[0]);
      // transformers.js keeps generating for rows that already ended (it does not pad them), so
      // each row is cut at its first end-of-sequence token before decoding.
      const rows = (out as { tolist(): bigint[][] }).tolist().map((row) => {
        const ids = row.slice(1).map(Number);
        const end = ids.findIndex((id) => eos.has(id));
        return end < 0 ? ids : ids.slice(0, end);
      });
      return rows.map((ids) => tokenizer.decode(ids, { skip_special_tokens: true }));
    },
    async dispose() {
      await model.dispose();
    },
  };
}
