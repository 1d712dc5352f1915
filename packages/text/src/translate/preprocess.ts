/** A text cut for translation: paragraphs of sentences, with the separators needed to rebuild it. */
export interface SegmentedText {
  /** Each paragraph's sentences (trimmed, non-empty). */
  paragraphs: string[][];
  /** The separator that followed each paragraph in the input (line breaks, kept as they were). */
  separators: string[];
  /** Leading whitespace of the input. */
  lead: string;
}

const SENTENCE_END = /(?<=[.!?。！？…]['"”’»)\]]*)\s+(?=["“‘«(¿¡]?[\p{Lu}\p{Lo}\d])/u;

/**
 * Splits a paragraph into sentences (inner whitespace collapsed, as SentencePiece does): with `Intl.Segmenter` when available (locale-aware),
 * else at `. ! ?` followed by whitespace and a capital letter, number or non-cased letter.
 *
 * @example
 * ```ts
 * splitSentences('Hello there. How are you?'); // ['Hello there.', 'How are you?']
 * ```
 */
export function splitSentences(text: string, locale?: string): string[] {
  const t = text.trim();
  if (!t) return [];
  const Seg = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  let parts: string[];
  if (Seg) {
    parts = [...new Seg(locale, { granularity: 'sentence' }).segment(t)].map((s) => s.segment.trim());
  } else {
    parts = t.split(SENTENCE_END).map((s) => s.trim());
  }
  return mergeAbbreviations(parts.map((p) => p.replace(/\s+/g, ' ')).filter(Boolean));
}

// Common abbreviations that end in a period but rarely end a sentence.
const ABBREVIATIONS =
  /(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs|etc|e\.g|i\.e|No|Sra|Srta|Hr|Fr|Nr|z\.B|bzw|M|Mme|Mlle)\.$/i;

function mergeAbbreviations(parts: string[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (prev !== undefined && ABBREVIATIONS.test(prev)) out[out.length - 1] = `${prev} ${p}`;
    else out.push(p);
  }
  return out;
}

/**
 * Cuts a text into paragraphs (at line breaks) and sentences, remembering the line breaks so
 * {@link joinSegments} can rebuild the layout around the translated sentences.
 *
 * @example
 * ```ts
 * const seg = segmentText('Hi. Bye.\n\nNew paragraph.');
 * seg.paragraphs; // [['Hi.', 'Bye.'], ['New paragraph.']]
 * ```
 */
export function segmentText(text: string, locale?: string): SegmentedText {
  const lead = /^\s*/.exec(text)![0];
  const body = text.slice(lead.length);
  const paragraphs: string[][] = [];
  const separators: string[] = [];
  const re = /[ \t]*\r?\n\s*/g;
  let last = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    paragraphs.push(splitSentences(body.slice(last, m.index), locale));
    separators.push(m[0].replace(/[ \t]+/g, ''));
    last = m.index + m[0].length;
  }
  if (last < body.length || paragraphs.length === 0) {
    paragraphs.push(splitSentences(body.slice(last), locale));
    separators.push('');
  }
  return { paragraphs, separators, lead };
}

// Languages written without spaces between sentences.
const NO_SPACE_LANGS = new Set(['zh', 'ja', 'th', 'lo', 'km', 'my', 'bo', 'yue', 'wuu']);

/**
 * Rebuilds a translated text: sentences joined by a space (none for languages written without
 * spaces), paragraphs with their original line breaks.
 *
 * @example
 * ```ts
 * joinSegments(seg, [['Hola.', 'Adiós.'], ['Nuevo párrafo.']], 'es'); // 'Hola. Adiós.\n\nNuevo párrafo.'
 * ```
 */
export function joinSegments(seg: SegmentedText, translated: string[][], to: string): string {
  const glue = NO_SPACE_LANGS.has(to.split('-')[0]!) ? '' : ' ';
  return seg.lead + translated.map((p, i) => p.join(glue) + seg.separators[i]).join('');
}

/**
 * Groups items into batches of at most `maxBatch`, sorted by length so similar lengths share a
 * batch (less padding); returns the original indices of each batch.
 *
 * @example
 * ```ts
 * batchByLength(['a', 'bbb', 'cc'], 2); // [[0, 2], [1]]
 * ```
 */
export function batchByLength(items: readonly string[], maxBatch: number): number[][] {
  const order = items.map((_, i) => i).sort((a, b) => items[a]!.length - items[b]!.length);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += maxBatch) out.push(order.slice(i, i + maxBatch));
  return out;
}
