// The text tasks as the package exports them: each runs in this thread, or in the package's own
// module worker (./text.worker.ts) when configure({ worker: true }) is set on a page, with the
// same arguments and results. Translation models registered on the page are registered in the
// worker too before it translates. Errors come back as the same classes (VocabularyCoverageError
// with its coverage and unknown words); AbortSignals cancel between stages.
import { remoteTasks, routed, routedFactory, tasksRunInWorker } from '@ondevice/core/worker';
import * as langid from '../identify-language/identify-language.js';
import { builtInTranslatorAvailability } from '../translate/browser-engine.js';
import * as registry from '../translate/registry.js';
import * as translation from '../translate/translate.js';
import { VocabularyCoverageError } from '../translate/vocabulary.js';

/** The package's worker, started on first use (the pattern Vite and webpack 5 bundle). */
const remote = remoteTasks(
  () => new Worker(new URL('./text.worker.js', import.meta.url), { type: 'module', name: 'ondevice-text' }),
  { errors: [VocabularyCoverageError] },
);

/**
 * Identifies the language of a text in one line. With `configure({ worker: true })` in a page it
 * runs in @ondevice/text's worker.
 *
 * @example
 * ```ts
 * const [best] = await identifyLanguage('¿Dónde está la estación?'); // { language: 'es', confidence }
 * ```
 */
export const identifyLanguage: typeof langid.identifyLanguage = routed(
  remote,
  'identifyLanguage',
  langid.identifyLanguage,
);

/**
 * Identifies the language of each text. With `configure({ worker: true })` in a page it runs in
 * @ondevice/text's worker.
 *
 * @example
 * ```ts
 * const results = await identifyLanguages(['Hello there', 'Bonjour à tous']);
 * ```
 */
export const identifyLanguages: typeof langid.identifyLanguages = routed(
  remote,
  'identifyLanguages',
  langid.identifyLanguages,
);

/**
 * Loads a language identifier. With `configure({ worker: true })` in a page it lives in
 * @ondevice/text's worker and this resolves to a stand-in with the same methods.
 *
 * @example
 * ```ts
 * using id = await createLanguageIdentifier({ engine: 'combined' });
 * const guesses = await id.identify('Guten Morgen');
 * ```
 */
export const createLanguageIdentifier: typeof langid.createLanguageIdentifier = routedFactory(
  remote,
  'createLanguageIdentifier',
  langid.createLanguageIdentifier,
);

/** Registrations made on this page that the worker has not had yet. */
const unsent: Parameters<typeof registry.registerTranslationModel>[0][] = [];

/**
 * Registers the translation model for a language pair, here and (before it next translates) in
 * @ondevice/text's worker.
 *
 * @example
 * ```ts
 * registerTranslationModel({ from: 'en', to: 'de', spec: opusMtSpec({ from: 'en', to: 'de', files }) });
 * ```
 */
export function registerTranslationModel(
  entry: Parameters<typeof registry.registerTranslationModel>[0],
): void {
  registry.registerTranslationModel(entry);
  unsent.push(entry);
}

async function sendRegistrations(): Promise<void> {
  if (!tasksRunInWorker()) return;
  while (unsent.length) await remote.run('registerTranslationModel', [unsent.shift()]);
}

/**
 * The browser's built-in Translator exists on pages, not in workers: a call that asks for it
 * (`engine: 'browser'`, or `'auto'` where the page has it for the pair) stays on the page, where
 * the browser does the work off the main thread anyway.
 */
async function usesBuiltIn(options: { engine?: string; from?: string; to?: string } | undefined) {
  if (!options || !tasksRunInWorker()) return false;
  if (options.engine === 'browser') return true;
  return (
    options.engine === 'auto' &&
    !!options.from &&
    !!options.to &&
    (await builtInTranslatorAvailability(options.from, options.to)) !== 'unavailable'
  );
}

const remoteTranslate = routed(remote, 'translate', translation.translate);
const remoteCreateTranslator = routedFactory(remote, 'createTranslator', translation.createTranslator);

/**
 * Translates a text in one line (with a model registered or installed for the pair). With
 * `configure({ worker: true })` in a page it runs in @ondevice/text's worker.
 *
 * @example
 * ```ts
 * const { text } = await translate('the cat', { to: 'es' });
 * ```
 */
export const translate: typeof translation.translate = (async (
  ...args: Parameters<typeof translation.translate>
) => {
  if (await usesBuiltIn(args[1])) return translation.translate(...args);
  await sendRegistrations();
  return remoteTranslate(...args);
}) as typeof translation.translate;

/**
 * Loads a translator for a pair. With `configure({ worker: true })` in a page it lives in
 * @ondevice/text's worker and this resolves to a stand-in with the same methods.
 *
 * @example
 * ```ts
 * using t = await createTranslator({ from: 'en', to: 'es' });
 * const { text } = await t.translate('the cat');
 * ```
 */
export const createTranslator: typeof translation.createTranslator = async (options) => {
  if (await usesBuiltIn(options)) return translation.createTranslator(options);
  await sendRegistrations();
  return remoteCreateTranslator(options);
};
