/** What {@link missingModelMessage} needs to know about the environment. */
export interface MissingModelContext {
  from: string;
  to: string;
  /** Running in Node (else a browser or worker). */
  node: boolean;
  /**
   * The browser's built-in Translator for this pair: `'absent'` when there is no `Translator` API,
   * else what its `availability()` said (`'available'`, `'downloadable'`, `'downloading'`, `'unavailable'`).
   */
  builtIn: string;
  /** The registered (non-demo) pairs, e.g. `['en→de']`. */
  registered: readonly string[];
  /** The id of a demo model for this pair, if there is one. */
  demoId?: string | undefined;
}

/**
 * The message of the `ModelLoadError` a translator gives when no real model serves a pair: it says
 * what to do in the environment it runs in — in Node, register an OPUS-MT folder (the calls
 * shown); in a browser, use the built-in Translator when it has the pair, or register OPUS-MT
 * files served under `modelBaseUrl` — and offers the demo model by name when there is one.
 *
 * @example
 * ```ts
 * missingModelMessage({ from: 'en', to: 'de', node: true, builtIn: 'absent', registered: [] });
 * // 'No translation model for en→de is registered (registered pairs: none). To translate en→de here, …'
 * ```
 */
export function missingModelMessage(c: MissingModelContext): string {
  const { from, to } = c;
  const pair = `${from}→${to}`;
  const id = `opus-mt-${from}-${to}`;
  const register = `registerTranslationModel({ from: '${from}', to: '${to}', spec: opusMtSpec({ from: '${from}', to: '${to}', files }) })`;
  const head = `No translation model for ${pair} is registered (registered pairs: ${
    c.registered.join(', ') || 'none'
  }), directly or through English.`;
  const demo = c.demoId
    ? ` The built-in ${c.demoId} is a demo that knows only its ≈550-word template vocabulary (it answers anything else with nonsense): pass model: '${c.demoId}' to use it anyway.`
    : '';
  if (c.node) {
    return `${head} To translate ${pair} here, get the OPUS-MT model (Helsinki-NLP/${id}, CC-BY-4.0) as ONNX in the Hugging Face layout (e.g. the Xenova/${id} repository), print its files with \`node node_modules/@ondevice/text/dist/translate/make-spec.js <folder>\` and register it: ${register}; then createTranslator({ from: '${from}', to: '${to}', modelPath: '<folder>' }).${demo}`;
  }
  const serve = `serve the OPUS-MT files (Hugging Face ONNX layout) as <modelBaseUrl>/${id}/1/… with configure({ modelBaseUrl, allowRemoteModels: true }) and register them: ${register} (files: path, sha256 and size of each, printed in Node by make-spec.js).`;
  let builtIn: string;
  if (c.builtIn === 'absent') {
    builtIn = `This browser has no built-in Translator API (desktop Chrome 138 and later has one; createTranslator({ from: '${from}', to: '${to}', engine: 'auto' }) then uses it). Or ${serve}`;
  } else if (c.builtIn === 'unavailable') {
    builtIn = `This browser's built-in Translator does not offer ${pair}. Instead, ${serve}`;
  } else {
    builtIn = `This browser's built-in Translator offers ${pair} (${c.builtIn}): use it with createTranslator({ from: '${from}', to: '${to}', engine: 'auto' }). Or ${serve}`;
  }
  return `${head} ${builtIn}${demo}`;
}
