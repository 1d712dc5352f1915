import { InputError } from '@ondevice/core';

/**
 * Every English word the built-in demo model {@link TINY_MARIAN_EN_ES} was trained on (lower
 * case): the word lists and template words of `scripts/train-tiny-marian/generate.py`, checked
 * against 200,000 generated sentences and the held-out set. Anything else it turns into nonsense.
 *
 * @example
 * ```ts
 * TINY_MARIAN_EN_ES_VOCABULARY.has('cat'); // true
 * TINY_MARIAN_EN_ES_VOCABULARY.has('weather'); // false
 * ```
 */
export const TINY_MARIAN_EN_ES_VOCABULARY: ReadonlySet<string> = new Set(
  [
    'a always am an and answer answers apple apples are arrive arrived arrives arriving at ate',
    'babies baby bad bag bags ball balls banana bananas beach beaches beautiful bed beds behind',
    'big bird birds black blue book books bottle bottles bought box boxes boy boys bread breads',
    'breakfast breakfasts bridge bridges bring bringing brings brother brothers brought build',
    'building builds built buy buying buys cake cakes call called calling calls car carried',
    'carries carry carrying cars cat cats chair chairs cheap chicken chickens child children',
    'church churches cities city clean cleaned cleaning cleans clock clocks close closed closes',
    'closing cloud clouds coat coats cold computer computers cook cooked cooking cooks',
    'countries country cow cows cried cries cry crying cup cups dance danced dances dancing day',
    'days did difficult dinner dinners dirty do doctor doctors does dog dogs door doors drank',
    'draw drawing draws dress dresses drew drink drinking drinks easy eat eating eats egg eggs',
    'eight every expensive eye eyes families family farmer farmers fast father fathers field',
    'fields film films find finding finds fish five floor floors flower flowers follow followed',
    'following follows for forest forests found four friend friends game games garden gardens',
    'gift gifts girl girls glass glasses good green guest guests had hand hands happy has hat',
    'hats have having he head heads hear heard hearing hears help helped helping helps her him',
    'his home horse horses hospital hospitals hot house houses i idea ideas in is island',
    'islands it key keys king kings kitchen kitchens knew know knowing knows lake lakes',
    'language languages last laugh laughed laughing laughs letter letters libraries library',
    'like liked likes liking live lived lives living long lose loses losing lost love loved',
    'loves loving lunch lunches man many map maps market markets me men mice moon moons morning',
    'mother mothers mountain mountains mouse music musics my near need needed needing needs',
    'neighbour neighbours new newspaper newspapers next night nights nine not now office',
    'offices often old on open opened opening opens orange oranges our paint painted painter',
    'painters painting paints park parks pen pencil pencils pens phone phones picture pictures',
    'pig pigs plane planes play played playing plays poor potato potatoes problem problems',
    'queen queens question questions quiet rain rains ran read reading reads red rich river',
    'rivers road roads room rooms run running runs sad sang saw school schools sea seas see',
    'seeing sees sell selling sells seven she sheep ship ships shirt shirts shoe shoes shop',
    'shops short sing singer singers singing sings sister sisters six sleep sleeping sleeps',
    'slept slow small sold some sometimes song songs soon speak speaking speaks spoke star',
    'stars stories story street streets strong student students sun suns swam swim swimming',
    'swims table tables take takes taking tall teacher teachers ten that the their them there',
    'these they this those three tired today tomato tomatoes tomorrow took train trains travel',
    'travelled travelling travels tree trees two ugly under us village villages visit visited',
    'visiting visits wait waited waiting waits walk walked walking walks wall walls want wanted',
    'wanting wants was wash washed washes washing watch watched watches watching water waters',
    'we weak week weeks were white will window windows with without woman women word words work',
    'worked worker workers working works write writer writers writes writing wrote year years',
    'yellow yesterday you young your',
  ]
    .join(' ')
    .split(' '),
);

/** How much of a text a model with a known vocabulary covers. */
export interface VocabularyCoverage {
  /** Fraction of the input's word tokens (letters or digits) that are in the vocabulary; 1 when there are none. */
  coverage: number;
  /** Word tokens counted. */
  words: number;
  /** The distinct words outside the vocabulary, lower case, in order of first appearance. */
  outOfVocabulary: string[];
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/**
 * Measures how much of some texts a vocabulary covers: word tokens (runs of letters or digits,
 * apostrophes inside a word kept) compared in lower case.
 *
 * @example
 * ```ts
 * vocabularyCoverage(['The weather is nice today.'], TINY_MARIAN_EN_ES_VOCABULARY);
 * // { coverage: 0.6, words: 5, outOfVocabulary: ['weather', 'nice'] }
 * ```
 */
export function vocabularyCoverage(
  texts: readonly string[],
  vocabulary: ReadonlySet<string>,
): VocabularyCoverage {
  let words = 0;
  let known = 0;
  const unknown = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(WORD)) {
      const w = m[0].toLowerCase();
      words++;
      if (vocabulary.has(w)) known++;
      else unknown.add(w);
    }
  }
  return { coverage: words === 0 ? 1 : known / words, words, outOfVocabulary: [...unknown] };
}

/**
 * A demo model was asked to translate text too far outside its vocabulary (below `minCoverage`).
 * An `InputError` (code `ERR_INPUT`) that also carries the measured `coverage` and the words it
 * does not know.
 *
 * @example
 * ```ts
 * try {
 *   await t.translate('The weather is nice today.');
 * } catch (error) {
 *   if (error instanceof VocabularyCoverageError) console.log(error.coverage, error.outOfVocabulary);
 * }
 * ```
 */
export class VocabularyCoverageError extends InputError {
  override name = 'VocabularyCoverageError';
  /** Fraction of the input's words the model knows. */
  readonly coverage: number;
  /** The words it does not know. */
  readonly outOfVocabulary: readonly string[];
  constructor(message: string, coverage: VocabularyCoverage) {
    super(message);
    this.coverage = coverage.coverage;
    this.outOfVocabulary = coverage.outOfVocabulary;
  }
}
