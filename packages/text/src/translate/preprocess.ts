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
 * Longest stretch of text handed to `Intl.Segmenter` at once. Its memory grows faster than its
 * input (a 100 KB paragraph took 475 MB, 400 KB hit V8's 4 GB heap limit), so longer paragraphs
 * are first cut into windows of at most this many characters, at a sentence end when the window
 * has one, else at whitespace.
 */
export const SEGMENT_WINDOW_CHARS = 4096;

/**
 * Longest sentence handed to a model. Longer ones (text without sentence punctuation) are cut at
 * the last comma, semicolon, colon or space before this many characters, so every model call has
 * a bounded number of tokens instead of being truncated.
 */
export const MAX_SENTENCE_CHARS = 400;

const WINDOW_SENTENCE_END = /[.!?…]['"”’»)\]]*\s+|[。！？]['"”’»)\]」』]*\s*/gu;

/** Where to end a piece of at most `max` characters of `t` starting at `from`: after a preferred break, else at whitespace, else hard (never inside a surrogate pair). */
function cutAt(t: string, from: number, max: number, preferred: RegExp): number {
  const end = from + max;
  if (end >= t.length) return t.length;
  const slice = t.slice(from, end);
  let best = -1;
  preferred.lastIndex = 0;
  for (let m = preferred.exec(slice); m; m = preferred.exec(slice)) {
    if (m[0].length === 0) preferred.lastIndex++;
    else best = m.index + m[0].length;
  }
  if (best > max / 4) return from + best;
  const space = slice.search(/\s\S*$/u);
  if (space > 0) return from + space + 1;
  const code = t.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/**
 * Cuts a text into pieces of at most `max` characters, preferring the ends of `preferred` matches,
 * else whitespace. Pieces are trimmed; empty ones are dropped.
 *
 * @example
 * ```ts
 * chunkText('one two three four', 9); // ['one two', 'three', 'four']
 * ```
 */
export function chunkText(text: string, max: number, preferred: RegExp = /$^/gu): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; ) {
    const end = cutAt(text, at, max, preferred);
    const piece = text.slice(at, end).trim();
    if (piece) out.push(piece);
    at = end;
  }
  return out;
}

/**
 * Splits a paragraph into sentences (inner whitespace collapsed, as SentencePiece does): with `Intl.Segmenter` when available (locale-aware),
 * else at `. ! ?` followed by whitespace and a capital letter, number or non-cased letter. Any
 * length is fine: the segmenter only ever sees windows of {@link SEGMENT_WINDOW_CHARS}, and no
 * sentence is longer than {@link MAX_SENTENCE_CHARS} (longer ones are cut at a comma or a space).
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
  const segmenter = Seg ? new Seg(locale, { granularity: 'sentence' }) : undefined;
  const parts: string[] = [];
  for (const window of t.length > SEGMENT_WINDOW_CHARS
    ? chunkText(t, SEGMENT_WINDOW_CHARS, WINDOW_SENTENCE_END)
    : [t]) {
    if (segmenter) for (const s of segmenter.segment(window)) parts.push(s.segment.trim());
    else parts.push(...window.split(SENTENCE_END).map((s) => s.trim()));
  }
  const sentences = mergeAbbreviations(parts.map((p) => p.replace(/\s+/g, ' ')).filter(Boolean));
  if (!sentences.some((s) => s.length > MAX_SENTENCE_CHARS)) return sentences;
  return sentences.flatMap((s) =>
    s.length > MAX_SENTENCE_CHARS ? chunkText(s, MAX_SENTENCE_CHARS, /[,;:，、；：]\s*/gu) : [s],
  );
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
