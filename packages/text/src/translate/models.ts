import type { ModelFileSpec, ModelSpec } from '@ondevice/core';

/**
 * The project's own tiny English→Spanish Marian model (1.2 M parameters), trained by
 * `scripts/train-tiny-marian/` on template sentences translated by Apertium. It knows only its
 * training vocabulary (≈130 nouns, 36 adjectives, 47 verbs): a demo and test model, not a
 * general translator. Opt-in: it ships in its own package, `@ondevice/text-demo-model`, which
 * `@ondevice/text` does not install.
 *
 * @example
 * ```ts
 * const { files } = await loadModel(TINY_MARIAN_EN_ES); // after npm install @ondevice/text-demo-model
 * ```
 */
export const TINY_MARIAN_EN_ES: ModelSpec = {
  id: 'tiny-marian-en-es',
  version: '1',
  format: 'onnx',
  license: 'Apache-2.0',
  description: 'Tiny Marian en→es trained on Apertium-translated template sentences (demo vocabulary only)',
  npm: { package: '@ondevice/text-demo-model', version: '0.1.0', dir: 'tiny-marian-en-es' },
  files: [
    {
      path: 'config.json',
      sha256: '76d466172f541ebae7e1d36de86f1370b05fedb5004ecc88412d606869d21bc6',
      size: 687,
    },
    {
      path: 'generation_config.json',
      sha256: 'ea85b3095ae53da7b2f248366488c1a213e2a6f432000c8f50ca292aa0fa3dfb',
      size: 196,
    },
    {
      path: 'tokenizer.json',
      sha256: 'ce315473c11a3b3fc9ea20d45734407a8c72e040d186c0e983b948a17a5d982b',
      size: 63_273,
    },
    {
      path: 'tokenizer_config.json',
      sha256: '5abf6340e33ff9c2559088d04e680cdec5257dd2086864b44e8783805e5a0df2',
      size: 214,
    },
    {
      path: 'onnx/encoder_model.onnx',
      sha256: '68f9b726295d4b4414261b60cdaf96b3559668064a76794ed2e414d234f686cd',
      size: 2_597_538,
    },
    {
      path: 'onnx/decoder_model_merged.onnx',
      sha256: '497cf755c4c371ac66e9009039625ff98517b304b3a6b5176c0e09ddcca82bdc',
      size: 4_078_833,
    },
  ],
};

/**
 * OPUS-MT directions (Helsinki-NLP, CC-BY-4.0) known to exist as MarianMT ONNX conversions in the
 * Hugging Face layout. Host the files you need under `modelBaseUrl` and register them with
 * `opusMtSpec` + `registerTranslationModel`.
 *
 * @example
 * ```ts
 * if (OPUS_MT_PAIRS.includes('en-de')) registerTranslationModel({ from: 'en', to: 'de', spec: opusMtSpec('en', 'de', files) });
 * ```
 */
export const OPUS_MT_PAIRS: readonly string[] = [
  'en-es',
  'es-en',
  'en-de',
  'de-en',
  'en-fr',
  'fr-en',
  'en-it',
  'it-en',
  'en-ru',
  'ru-en',
  'en-zh',
  'zh-en',
  'en-jap',
  'ja-en',
  'en-ar',
  'ar-en',
  'en-nl',
  'nl-en',
  'en-sv',
  'sv-en',
  'en-fi',
  'fi-en',
  'en-hi',
  'hi-en',
  'en-uk',
  'uk-en',
  'en-cs',
  'cs-en',
  'en-vi',
  'vi-en',
  'en-id',
  'id-en',
  'ko-en',
  'pl-en',
  'tr-en',
  'en-da',
  'da-en',
  'en-ro',
  'en-hu',
  'hu-en',
];

/**
 * The files of a MarianMT model in the Hugging Face / transformers.js layout.
 *
 * @example
 * ```ts
 * for (const name of MARIAN_FILE_NAMES.required) console.log(`${modelBaseUrl}opus-mt-en-de/${name}`);
 * ```
 */
export const MARIAN_FILE_NAMES = {
  required: ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'],
  encoder: /^onnx\/encoder_model(_[a-z0-9]+)?\.onnx$/,
  decoder: /^onnx\/decoder_model_merged(_[a-z0-9]+)?\.onnx$/,
} as const;

/**
 * Builds the spec of an OPUS-MT pair you host: id `opus-mt-<from>-<to>`, files fetched from
 * `<modelBaseUrl>/opus-mt-<from>-<to>/<version>/` and SHA-256 checked. Get `files` (path, sha256,
 * size) with `node dist/translate/make-spec.js <model folder>`.
 *
 * @example
 * ```ts
 * registerTranslationModel({ from: 'en', to: 'de', spec: opusMtSpec({ from: 'en', to: 'de', files }) });
 * ```
 */
export function opusMtSpec(opts: {
  from: string;
  to: string;
  files: readonly ModelFileSpec[];
  version?: string;
  url?: string;
}): ModelSpec {
  return {
    id: `opus-mt-${opts.from}-${opts.to}`,
    version: opts.version ?? '1',
    format: 'onnx',
    license: 'CC-BY-4.0',
    description: `OPUS-MT ${opts.from}→${opts.to} (Helsinki-NLP MarianMT), Hugging Face ONNX layout`,
    files: opts.files,
    ...(opts.url ? { url: opts.url } : {}),
  };
}
