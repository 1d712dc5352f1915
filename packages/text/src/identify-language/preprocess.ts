/** Longest text passed to the engines; language is clear long before this. */
export const MAX_TEXT_CHARS = 2000;

/**
 * Prepares text for identification: drops URLs, e-mail addresses, @handles and `#` (they carry no
 * language), collapses whitespace and keeps the first {@link MAX_TEXT_CHARS} characters.
 *
 * @example
 * ```ts
 * prepareText('see https://x.org  now'); // 'see now'
 * ```
 */
export function prepareText(text: string): string {
  return text
    .slice(0, MAX_TEXT_CHARS * 2)
    .replace(/\bhttps?:\/\/\S+|\bwww\.\S+/gi, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/(^|\s)@\w+/g, ' ')
    .replace(/#/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_TEXT_CHARS);
}
