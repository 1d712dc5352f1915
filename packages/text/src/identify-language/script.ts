/**
 * Writing-system detection for language identification: a text's script bounds the languages it can
 * be in (Hangul can only be Korean, kana only Japanese, Cyrillic one of the Cyrillic-written
 * languages). Script codes are ISO 15924, with `Hani` meaning Han characters without kana or Hangul.
 */

/** Scripts this module tells apart (ISO 15924), or `Zyyy` when no letter matched a known script. */
export type ScriptCode =
  | 'Latn'
  | 'Cyrl'
  | 'Arab'
  | 'Hebr'
  | 'Grek'
  | 'Armn'
  | 'Geor'
  | 'Deva'
  | 'Beng'
  | 'Guru'
  | 'Gujr'
  | 'Orya'
  | 'Taml'
  | 'Telu'
  | 'Knda'
  | 'Mlym'
  | 'Sinh'
  | 'Thai'
  | 'Laoo'
  | 'Khmr'
  | 'Mymr'
  | 'Tibt'
  | 'Thaa'
  | 'Ethi'
  | 'Hang'
  | 'Kana'
  | 'Hani'
  | 'Zyyy';

// One regular expression per script, tried in order on each letter (Latin first: most letters are).
const SCRIPT_TESTS: readonly [Exclude<ScriptCode, 'Zyyy'>, RegExp][] = [
  ['Latn', /\p{Script=Latin}/u],
  ['Cyrl', /\p{Script=Cyrillic}/u],
  ['Arab', /\p{Script=Arabic}/u],
  ['Hani', /\p{Script=Han}/u],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u],
  ['Hang', /\p{Script=Hangul}/u],
  ['Deva', /\p{Script=Devanagari}/u],
  ['Hebr', /\p{Script=Hebrew}/u],
  ['Grek', /\p{Script=Greek}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Beng', /\p{Script=Bengali}/u],
  ['Armn', /\p{Script=Armenian}/u],
  ['Geor', /\p{Script=Georgian}/u],
  ['Guru', /\p{Script=Gurmukhi}/u],
  ['Gujr', /\p{Script=Gujarati}/u],
  ['Orya', /\p{Script=Oriya}/u],
  ['Taml', /\p{Script=Tamil}/u],
  ['Telu', /\p{Script=Telugu}/u],
  ['Knda', /\p{Script=Kannada}/u],
  ['Mlym', /\p{Script=Malayalam}/u],
  ['Sinh', /\p{Script=Sinhala}/u],
  ['Laoo', /\p{Script=Lao}/u],
  ['Khmr', /\p{Script=Khmer}/u],
  ['Mymr', /\p{Script=Myanmar}/u],
  ['Tibt', /\p{Script=Tibetan}/u],
  ['Thaa', /\p{Script=Thaana}/u],
  ['Ethi', /\p{Script=Ethiopic}/u],
];

/** Scripts written without spaces between words: length is counted in characters there. */
const NO_SPACE_SCRIPTS: ReadonlySet<ScriptCode> = new Set([
  'Hani',
  'Kana',
  'Thai',
  'Laoo',
  'Khmr',
  'Mymr',
  'Tibt',
]);

/**
 * Languages (the engines' codes, normalised) written in each non-Latin script. A text whose main
 * script is one of these can only be one of its languages; Latin-script text can be any language
 * not listed as written only in another script. Based on CLDR's languageData primary scripts, with
 * the few engine codes CLDR lacks (azb, pnb, bxr, mhr, sa, bh, gom) added by hand.
 */
export const SCRIPT_LANGUAGES: Readonly<Partial<Record<ScriptCode, readonly string[]>>> = {
  Cyrl: 'av ba be bg bs bxr ce cv kk krc kv ky lez mhr mk mn mrj myv os ru rue sah sh sr tg tt tyv uk uz xal'.split(
    ' ',
  ),
  Arab: ['ar', 'arz', 'azb', 'ckb', 'fa', 'lrc', 'mzn', 'pnb', 'ps', 'sd', 'ug', 'ur'],
  Hebr: ['he', 'yi'],
  Grek: ['el'],
  Armn: ['hy'],
  Geor: ['ka', 'xmf'],
  Deva: ['bh', 'dty', 'gom', 'hi', 'mai', 'mr', 'ne', 'new', 'sa'],
  Beng: ['as', 'bn', 'bpy'],
  Guru: ['pa'],
  Gujr: ['gu'],
  Orya: ['or'],
  Taml: ['ta'],
  Telu: ['te'],
  Knda: ['kn'],
  Mlym: ['ml'],
  Sinh: ['si'],
  Thai: ['th'],
  Laoo: ['lo'],
  Khmr: ['km'],
  Mymr: ['my'],
  Tibt: ['bo'],
  Thaa: ['dv'],
  Ethi: ['am'],
  Hang: ['ko'],
  Kana: ['ja'],
  Hani: ['zh', 'ja', 'yue', 'wuu'],
};

// Languages that Latin-script text cannot be: written only in another script.
const LATIN_EXCLUDED: ReadonlySet<string> = (() => {
  const alsoLatin = new Set(['bs', 'sh', 'sr', 'uz', 'tk', 'ms', 'ku']);
  const out = new Set<string>();
  for (const [script, langs] of Object.entries(SCRIPT_LANGUAGES))
    if (script !== 'Latn') for (const l of langs) if (!alsoLatin.has(l)) out.add(l);
  return out;
})();

/**
 * The main script of a text: the script with the most letters, where each Han, kana or Hangul
 * character counts as three (one of them carries about as much as a short word). Han with any kana
 * is `Kana` (Japanese); Han with Hangul is `Hang`.
 *
 * @example
 * ```ts
 * detectScript('Привет, мир'); // 'Cyrl'
 * detectScript('東京に行きます'); // 'Kana'
 * detectScript('你好'); // 'Hani'
 * ```
 */
export function detectScript(text: string): ScriptCode {
  const counts = new Map<ScriptCode, number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      if ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a) counts.set('Latn', (counts.get('Latn') ?? 0) + 1);
      continue;
    }
    if (!/[\p{L}\p{M}ー]/u.test(ch)) continue;
    for (const [script, re] of SCRIPT_TESTS) {
      if (re.test(ch)) {
        const w = script === 'Hani' || script === 'Kana' || script === 'Hang' ? 3 : 1;
        counts.set(script, (counts.get(script) ?? 0) + w);
        break;
      }
    }
  }
  if (counts.size === 0) return 'Zyyy';
  const kana = counts.get('Kana') ?? 0;
  const hang = counts.get('Hang') ?? 0;
  const han = counts.get('Hani') ?? 0;
  if (kana > 0) counts.set('Kana', kana + han);
  else if (hang > 0) counts.set('Hang', hang + han);
  if (kana > 0 || hang > 0) counts.delete('Hani');
  let best: ScriptCode = 'Zyyy';
  let n = 0;
  for (const [script, c] of counts)
    if (c > n) {
      best = script;
      n = c;
    }
  return best;
}

/**
 * Whether `language` can be written in `script` (an unknown script allows every language).
 *
 * @example
 * ```ts
 * languageFitsScript('ru', 'Cyrl'); // true
 * languageFitsScript('oc', 'Hani'); // false
 * ```
 */
export function languageFitsScript(language: string, script: ScriptCode): boolean {
  if (script === 'Zyyy') return true;
  if (script === 'Latn') return !LATIN_EXCLUDED.has(language);
  return SCRIPT_LANGUAGES[script]?.includes(language) ?? false;
}

/** Length classes the calibration is fitted per. */
export const LENGTH_CLASSES = ['word', 'pair', 'sentence'] as const;
/** Length class of a text: one word, two words, or three or more. */
export type LengthClass = (typeof LENGTH_CLASSES)[number];

/**
 * Length class of a text: `word` (one word), `pair` (two) or `sentence` (three or more). In scripts
 * written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan) it counts letters instead:
 * up to 3 is a word, up to 6 a pair.
 *
 * @example
 * ```ts
 * lengthClass('Guten Morgen'); // 'pair'
 * lengthClass('東京'); // 'word'
 * ```
 */
export function lengthClass(text: string, script: ScriptCode = detectScript(text)): LengthClass {
  if (NO_SPACE_SCRIPTS.has(script)) {
    const letters = text.match(/[\p{L}\p{M}ー]/gu)?.length ?? 0;
    return letters <= 3 ? 'word' : letters <= 6 ? 'pair' : 'sentence';
  }
  const words = text.split(/[\s\u00a0]+/).filter((w) => /\p{L}/u.test(w)).length;
  return words <= 1 ? 'word' : words === 2 ? 'pair' : 'sentence';
}
