/**
 * Character error rate: Levenshtein distance between the texts (after collapsing whitespace runs
 * to one space and trimming, or removing whitespace with `ignoreSpaces`) divided by the expected
 * length.
 *
 * @example
 * ```ts
 * characterErrorRate('The quick fox', 'The qu1ck fox'); // 1 / 13
 * ```
 */
export function characterErrorRate(
  expected: string,
  actual: string,
  options: { ignoreSpaces?: boolean } = {},
): number {
  const norm = (s: string) => (options.ignoreSpaces ? s.replace(/\s+/g, '') : s.replace(/\s+/g, ' ').trim());
  const a = [...norm(expected)];
  const b = [...norm(actual)];
  if (!a.length) return b.length ? 1 : 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]! / a.length;
}
