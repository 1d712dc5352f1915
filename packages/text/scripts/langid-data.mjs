// Shared by fit-langid.mjs and eval-langid.mjs: the evaluation sets and the raw engine outputs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeLanguageCode } from '../dist/index.js';
import { loadEldEngine } from '../dist/identify-language/engines.js';
import { loadFastTextEngine, loadTinyldEngine, prepareText } from '../dist/internals.js';

const here = dirname(fileURLToPath(import.meta.url));
const readJsonl = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** The committed FIT or TEST part of packages/text/eval (see eval/MANIFEST.md). */
export function ownSet(part) {
  return readJsonl(join(here, '..', 'eval', `langid-${part}.jsonl`)).map((s) => ({
    ...s,
    lang: normalizeLanguageCode(s.lang),
  }));
}

// Same resolution as @ondevice/testkit's datasetPath (that package ships TypeScript only).
const datasets = process.env.ONDEVICE_DATASETS ?? join(here, '../../../../shared/datasets');
const NO_SPACES = new Set(['zh', 'ja', 'th']);

/**
 * The shared set (datasets/language/langid; never used for fitting): its 182 texts as sentences,
 * and the first word and first two words of its 150 Tatoeba sentences (zh, ja, th: the first 2 and
 * 4 characters) as words and word pairs.
 */
export function sharedSet() {
  const read = (f) => readJsonl(join(datasets, 'language', 'langid', f));
  const tatoeba = read('tatoeba_langid.jsonl');
  const all = [...tatoeba, ...read('udhr_article1_langid.jsonl')];
  const prefix = (s, n) => {
    const lang = normalizeLanguageCode(s.lang);
    if (NO_SPACES.has(lang)) return [...s.text.replace(/[\s\p{P}]/gu, '')].slice(0, 2 * n).join('');
    return s.text.split(/\s+/).slice(0, n).join(' ');
  };
  return [
    ...all.map((s) => ({ text: s.text, lang: normalizeLanguageCode(s.lang), len: 'sentence' })),
    ...tatoeba.map((s) => ({ text: prefix(s, 1), lang: normalizeLanguageCode(s.lang), len: 'word' })),
    ...tatoeba.map((s) => ({ text: prefix(s, 2), lang: normalizeLanguageCode(s.lang), len: 'pair' })),
  ];
}

/** eld's databases the fit tries per cell (extrasmall loses 4-14 points on short core text; not tried). */
export const ELD_SIZES = ['small', 'medium', 'large'];

/**
 * Loads the three engines once (eld with each of ELD_SIZES); eld's raw similarity scores are kept
 * (power 1) so any power can be tried.
 */
export async function loadEngines() {
  const [fasttext, tinyld, ...elds] = await Promise.all([
    loadFastTextEngine({}),
    loadTinyldEngine(),
    ...ELD_SIZES.map((size) => loadEldEngine(1, size)),
  ]);
  const eld = elds[ELD_SIZES.indexOf('large')];
  const { detectScript, lengthClass } = await import('../dist/identify-language/script.js');
  return {
    supported: { fasttext: fasttext.supported, tinyld: tinyld.supported, eld: eld.supported },
    /** Every engine's output for each item, plus its script and (runtime) length class. */
    score(items) {
      return items.map((s) => {
        // As identifyLanguage does: prepared text, its script and length class.
        const text = prepareText(s.text);
        const script = detectScript(text);
        return {
          ...s,
          script,
          cls: lengthClass(text, script),
          fasttext: fasttext.score(text),
          tinyld: tinyld.score(text),
          // eld at power 1 (its top 12, normalised); fit-langid.mjs raises it to the fitted power,
          // which gives exactly what loadEldEngine(power) returns.
          eldRaw: Object.entries(eld.score(text)),
          eldRawBySize: Object.fromEntries(
            ELD_SIZES.map((size, i) => [size, Object.entries(elds[i].score(text))]),
          ),
        };
      });
    },
  };
}
