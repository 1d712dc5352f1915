import { loadFastText } from '#platform/fasttext';
import { packageFolder } from '#platform/packages';
import { addModelPackageRoot, isNode, loadModel, ModelLoadError, resolveWasmBase } from '@ondevice/core';
import { FASTTEXT_LID176 } from '../models.js';
import { type EngineName, type EngineScores, normalizeLanguageCode, toEngineScores } from './postprocess.js';

/** A loaded engine: its supported languages and a scoring function. */
export interface LangIdEngine {
  readonly name: EngineName;
  readonly supported: ReadonlySet<string>;
  score(text: string): EngineScores;
}

interface FastTextVector {
  size(): number;
  get(i: number): [number, string];
  delete?(): void;
}
interface FastTextModelLike {
  predict(text: string, k: number, threshold: number): FastTextVector;
  getLabels(): { 0: { size(): number; get(i: number): string } } | unknown;
}

// eld's "ku" is Kurdish in Arabic script (its docs: "Kurdish (Arabic)"), i.e. Sorani, which fastText
// calls ckb; fastText's "ku" is Kurmanji in Latin script.
const ELD_CODES: Record<string, string> = { ku: 'ckb' };
const eldCode = (code: string) => ELD_CODES[code] ?? normalizeLanguageCode(code);

/** How many of eld's scores are kept per text. */
const ELD_TOP_K = 12;
/** How many labels fastText returns per text. */
const FASTTEXT_TOP_K = 12;

/**
 * Loads fastText lid.176 through the model store (integrity-checked bytes) into its WebAssembly build.
 *
 * @example
 * ```ts
 * const ft = await loadFastTextEngine({});
 * ft.score('Hola, ¿qué tal?'); // { es: 0.93, ... }
 * ```
 */
export async function loadFastTextEngine(opts: {
  modelPath?: string | undefined;
  signal?: AbortSignal | undefined;
}): Promise<LangIdEngine> {
  if (isNode()) {
    // lid.176 ships inside fasttext.wasm.js, a dependency of this package: resolve it from here,
    // whatever the caller's working directory.
    const root = packageFolder(new URL('../../', import.meta.url));
    if (root) addModelPackageRoot(root);
  }
  const model = await loadModel(FASTTEXT_LID176, opts);
  const bytes = model.files.get('lid.176.ftz');
  if (!bytes) throw new ModelLoadError('fastText lid.176.ftz is missing from its model files.');
  let ft: FastTextModelLike;
  try {
    const mod = (await loadFastText()) as unknown as {
      getFastTextModule(o?: { wasmPath?: string }): Promise<{
        FastText: new () => { loadModel(path: string): void };
        FS: { writeFile(path: string, data: Uint8Array): void };
      }>;
      FastTextModel: new (native: unknown, module: unknown) => FastTextModelLike;
    };
    // Served with the other runtime files: <assetsUrl>wasm/ (default /ondevice/wasm/) or wasmBaseUrl.
    const wasm = isNode() ? undefined : new URL('fastText.common.wasm', resolveWasmBase()).href;
    const core = await mod.getFastTextModule(wasm ? { wasmPath: wasm } : {});
    const native = new core.FastText();
    core.FS.writeFile('lid.176.ftz', bytes);
    native.loadModel('lid.176.ftz');
    ft = new mod.FastTextModel(native, core);
  } catch (error) {
    throw new ModelLoadError(`Could not start fastText: ${String((error as Error)?.message ?? error)}`, {
      cause: error,
    });
  }
  return {
    name: 'fasttext',
    supported: new Set(FASTTEXT_LABELS.map(normalizeLanguageCode)),
    score(text) {
      // fastText reads one line; newlines would end the input early.
      const v = ft.predict(text.replace(/\s+/g, ' '), FASTTEXT_TOP_K, 0);
      const pairs: [string, number][] = [];
      for (let i = 0; i < v.size(); i++) {
        const [p, label] = v.get(i);
        pairs.push([label, p]);
      }
      v.delete?.();
      return toEngineScores(pairs);
    },
  };
}

/**
 * tinyld (62 languages, n-gram tables in JavaScript).
 *
 * @example
 * ```ts
 * (await loadTinyldEngine()).score('Bonjour tout le monde');
 * ```
 */
export async function loadTinyldEngine(): Promise<LangIdEngine> {
  const tiny = await import('tinyld');
  const supported = new Set(tiny.supportedLanguages.map((c) => normalizeLanguageCode(tiny.toISO2(c) || c)));
  return {
    name: 'tinyld',
    supported,
    score(text) {
      return toEngineScores(
        tiny.detectAll(text).map((r) => [r.lang, r.accuracy] as [string, number]),
        1,
        true,
      );
    },
  };
}

/** eld's n-gram databases, smallest first (npm `eld` 2.1.0 entry points `eld/<size>`). */
export const ELD_DATABASES = ['extrasmall', 'small', 'medium', 'large'] as const;
/** One of eld's n-gram databases. */
export type EldDatabase = (typeof ELD_DATABASES)[number];

interface EldLike {
  detect(text: string): { getScores(): Record<string, number> };
  info(): { Languages: Record<string, string> };
}
// One static import per size, so bundlers see each entry point and only the one asked for loads.
const ELD_IMPORTS: Record<EldDatabase, () => Promise<{ eld: EldLike }>> = {
  extrasmall: () => import('eld/extrasmall'),
  small: () => import('eld/small'),
  medium: () => import('eld/medium'),
  large: () => import('eld/large'),
};

/**
 * eld (60 languages) with one of its n-gram databases (`large` by default).
 *
 * @example
 * ```ts
 * (await loadEldEngine(32, 'small')).score('Guten Morgen');
 * ```
 */
export async function loadEldEngine(power: number, database: EldDatabase = 'large'): Promise<LangIdEngine> {
  const { eld } = await ELD_IMPORTS[database]();
  const supported = new Set(Object.values(eld.info().Languages).map(eldCode));
  return {
    name: 'eld',
    supported,
    score(text) {
      // Only the best few matter once raised to `power` (≈32): (0.6/0.8)^32 < 1e-4.
      const entries = Object.entries(eld.detect(text).getScores())
        .sort((a, b) => b[1] - a[1])
        .slice(0, ELD_TOP_K)
        .map(([code, score]): [string, number] => [eldCode(code), score]);
      return toEngineScores(entries, power, true);
    },
  };
}

// lid.176's labels (Wikipedia codes), so the supported set is known without touching the model.
export const FASTTEXT_LABELS: readonly string[] = (
  'af als am an ar arz as ast av az azb ba bar bcl be bg bh bn bo bpy br bs bxr ca cbk ce ceb ckb co cs cv cy ' +
  'da de diq dsb dty dv el eml en eo es et eu fa fi fr frr fy ga gd gl gn gom gu gv he hi hif hr hsb ht hu hy ia ' +
  'id ie ilo io is it ja jbo jv ka kk km kn ko krc ku kv kw ky la lb lez li lmo lo lrc lt lv mai mg mhr min mk ml ' +
  'mn mr mrj ms mt mwl my myv mzn nah nap nds ne new nl nn no oc or os pa pam pfl pl pms pnb ps pt qu rm ro ru rue ' +
  'sa sah sc scn sco sd sh si sk sl so sq sr su sv sw ta te tg th tk tl tr tt tyv ug uk ur uz vec vep vi vls vo wa ' +
  'war wuu xal xmf yi yo yue zh'
).split(' ');

/** tinyld 1.3.4's languages (normalised), so the supported set is known without loading it. */
export const TINYLD_LANGUAGES: readonly string[] =
  'af am ar be ber bg bn cs da de el en eo es et fa fi fr ga gu he hi hu hy id is it ja kk km kn ko la lt lv mk mn my nl no pl pt rn ro ru sk sr sv ta te th tk tl tlh tr tt uk ur vi vo yi zh'.split(
    ' ',
  );

/** eld 2.1.0's languages (normalised), so the supported set is known without loading it. */
export const ELD_LANGUAGES: readonly string[] =
  'am ar az be bg bn ca cs da de el en es et eu fa fi fr gu he hi hr hu hy is it ja ka kn ko ckb lo lt lv ml mr ms nl no or pa pl pt ro ru sk sl sq sr sv ta te th tl tr uk ur vi yo zh'.split(
    ' ',
  );
