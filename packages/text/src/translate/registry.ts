import { installedFolder } from '#platform/packages';
import {
  deleteCachedModel,
  isModelCached,
  isNode,
  type LoadModelOptions,
  type ModelSpec,
  modelSize,
  OptionsError,
  prefetchModel,
} from '@ondevice/core';
import { normalizeLanguageCode } from '../identify-language/postprocess.js';
import { TINY_MARIAN_EN_ES } from './models.js';
import type { TranslationModelInfo } from './result.js';
import { TINY_MARIAN_EN_ES_VOCABULARY } from './vocabulary.js';

/** A translation model for one direction. */
export interface TranslationModelEntry {
  readonly from: string;
  readonly to: string;
  readonly spec: ModelSpec;
  /** Where the files are when they ship with this package (Node). */
  readonly builtInPath?: (() => Promise<string | undefined>) | undefined;
  /**
   * A demo model (the built-in tiny en→es): never picked for a pair on its own, only when named
   * with `createTranslator({ model })`; its results carry `coverage` and `outOfVocabulary`.
   */
  readonly demo?: boolean | undefined;
  /** The words the model knows on its source side, when known (demo models). */
  readonly sourceVocabulary?: ReadonlySet<string> | undefined;
}

// Real models, one per direction.
const registry = new Map<string, TranslationModelEntry>();
// Demo models, by model id: used only when asked for by name.
const demos = new Map<string, TranslationModelEntry>();
const pairKey = (from: string, to: string) => `${normalizeLanguageCode(from)}>${normalizeLanguageCode(to)}`;

/** The demo model's folder when its opt-in package is installed (beside this package or the app). */
async function demoModelPath(): Promise<string | undefined> {
  if (!isNode()) return undefined;
  return installedFolder(import.meta.url, TINY_MARIAN_EN_ES.npm!.package, TINY_MARIAN_EN_ES.npm!.dir);
}

demos.set(TINY_MARIAN_EN_ES.id, {
  from: 'en',
  to: 'es',
  spec: TINY_MARIAN_EN_ES,
  builtInPath: demoModelPath,
  demo: true,
  sourceVocabulary: TINY_MARIAN_EN_ES_VOCABULARY,
});

/**
 * Registers (or replaces) the model for one direction, e.g. an OPUS-MT pair you host under
 * `modelBaseUrl` (see `opusMtSpec`). The built-in en→es model is a tiny demo, used only when named
 * (`createTranslator({ from: 'en', to: 'es', model: 'tiny-marian-en-es' })`): register a real one.
 *
 * @example
 * ```ts
 * registerTranslationModel({ from: 'en', to: 'de', spec: opusMtSpec({ from: 'en', to: 'de', files }) });
 * ```
 */
export function registerTranslationModel(entry: { from: string; to: string; spec: ModelSpec }): void {
  if (!entry?.spec?.files?.length)
    throw new OptionsError('registerTranslationModel: spec must list its files.');
  registry.set(pairKey(entry.from, entry.to), {
    from: normalizeLanguageCode(entry.from),
    to: normalizeLanguageCode(entry.to),
    spec: entry.spec,
  });
}

/**
 * The model registered for a direction, if any (demo models are not: find them by id with
 * {@link findTranslationModel}).
 *
 * @example
 * ```ts
 * getTranslationModel('en', 'de')?.spec.id; // 'opus-mt-en-de' once registered
 * ```
 */
export function getTranslationModel(from: string, to: string): TranslationModelEntry | undefined {
  return registry.get(pairKey(from, to));
}

/**
 * A registered or demo translation model by its id.
 *
 * @example
 * ```ts
 * findTranslationModel('tiny-marian-en-es')?.demo; // true
 * ```
 */
export function findTranslationModel(id: string): TranslationModelEntry | undefined {
  for (const e of registry.values()) if (e.spec.id === id) return e;
  return demos.get(id);
}

/** The ids of every model that can be named with `model`, for error messages. */
export function translationModelIds(): string[] {
  return [...registry.values(), ...demos.values()].map((e) => e.spec.id);
}

/** The demo model of a direction, if there is one (for error messages that offer it). */
export function demoModelFor(from: string, to: string): TranslationModelEntry | undefined {
  return [...demos.values()].find((e) => pairKey(e.from, e.to) === pairKey(from, to));
}

function entryFor(pair: { from: string; to: string }, where: string): TranslationModelEntry {
  const entry = getTranslationModel(pair.from, pair.to) ?? demoModelFor(pair.from, pair.to);
  if (!entry) {
    throw new OptionsError(
      `${where}: no translation model for ${pair.from}→${pair.to}. Registered pairs: ${
        registeredPairs().join(', ') || 'none'
      }; demo models: ${[...demos.values()].map((e) => `${e.from}→${e.to}`).join(', ') || 'none'}.`,
    );
  }
  return entry;
}

/**
 * Lists the translation pairs this device can use: registered (available) models and whether each
 * is downloaded, plus the built-in demo model (`demo: true`, used only when named). Like ML Kit's
 * model manager.
 *
 * @example
 * ```ts
 * for (const m of await listTranslationModels()) console.log(`${m.from}→${m.to}`, m.downloaded);
 * ```
 */
export async function listTranslationModels(): Promise<TranslationModelInfo[]> {
  const out: TranslationModelInfo[] = [];
  for (const e of [...registry.values(), ...demos.values()]) {
    const builtIn = !!e.builtInPath && (await e.builtInPath()) !== undefined;
    out.push({
      from: e.from,
      to: e.to,
      id: e.spec.id,
      version: e.spec.version,
      size: modelSize(e.spec),
      license: e.spec.license,
      downloaded: builtIn || (await isModelCached(e.spec)),
      builtIn,
      demo: e.demo === true,
    });
  }
  return out.sort((a, b) => `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`));
}

/**
 * Downloads a pair's model into the local cache (from `modelBaseUrl`), SHA-256 checked, with
 * progress; refused with `ModelUnavailableOfflineError` when remote models are not allowed.
 *
 * @example
 * ```ts
 * await downloadTranslationModel({ from: 'en', to: 'de' }, { onProgress: (p) => bar(p.loaded / p.total) });
 * ```
 */
export async function downloadTranslationModel(
  pair: { from: string; to: string },
  options: Pick<LoadModelOptions, 'onProgress' | 'signal'> = {},
): Promise<void> {
  const entry = entryFor(pair, 'downloadTranslationModel');
  await prefetchModel(entry.spec, { ...options, modelPath: await entry.builtInPath?.() });
}

/**
 * Deletes a pair's downloaded model from the local cache; resolves to whether anything was deleted.
 *
 * @example
 * ```ts
 * await deleteTranslationModel({ from: 'en', to: 'de' });
 * ```
 */
export async function deleteTranslationModel(pair: { from: string; to: string }): Promise<boolean> {
  const entry = entryFor(pair, 'deleteTranslationModel');
  return deleteCachedModel({ id: entry.spec.id, version: entry.spec.version });
}

/**
 * Resolves the chain of registered (non-demo) models for a direction: direct, or through English.
 *
 * @example
 * ```ts
 * const route = resolveTranslationRoute('de', 'es'); // [de→en, en→es] when both are registered
 * ```
 */
export function resolveTranslationRoute(from: string, to: string): TranslationModelEntry[] | undefined {
  const direct = getTranslationModel(from, to);
  if (direct) return [direct];
  const a = getTranslationModel(from, 'en');
  const b = getTranslationModel('en', to);
  return a && b ? [a, b] : undefined;
}

/** The registered (non-demo) pairs, for error messages. */
export function registeredPairs(): string[] {
  return [...registry.values()].map((e) => `${e.from}→${e.to}`);
}
