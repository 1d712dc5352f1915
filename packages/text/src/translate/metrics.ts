/**
 * chrF (character n-gram F-score, β = 2, n = 1..6, whitespace removed), corpus level as in
 * sacreBLEU: n-gram statistics summed over all sentences, then averaged over n. 0–100.
 *
 * @example
 * ```ts
 * chrF(['el gato negro'], ['el gato negro']); // 100
 * ```
 */
export function chrF(
  hypotheses: readonly string[],
  references: readonly string[],
  order = 6,
  beta = 2,
): number {
  const match = new Array<number>(order).fill(0);
  const hypTotal = new Array<number>(order).fill(0);
  const refTotal = new Array<number>(order).fill(0);
  hypotheses.forEach((hyp, i) => {
    const h = [...hyp.replace(/\s+/g, '')];
    const r = [...(references[i] ?? '').replace(/\s+/g, '')];
    for (let n = 1; n <= order; n++) {
      const hc = ngrams(h, n);
      const rc = ngrams(r, n);
      for (const [g, c] of hc) match[n - 1]! += Math.min(c, rc.get(g) ?? 0);
      hypTotal[n - 1]! += Math.max(0, h.length - n + 1);
      refTotal[n - 1]! += Math.max(0, r.length - n + 1);
    }
  });
  let p = 0;
  let r = 0;
  let used = 0;
  for (let n = 0; n < order; n++) {
    if (hypTotal[n]! === 0 && refTotal[n]! === 0) continue;
    p += hypTotal[n]! ? match[n]! / hypTotal[n]! : 0;
    r += refTotal[n]! ? match[n]! / refTotal[n]! : 0;
    used++;
  }
  if (!used) return 0;
  p /= used;
  r /= used;
  const b2 = beta * beta;
  return p + r === 0 ? 0 : (100 * ((1 + b2) * p * r)) / (b2 * p + r);
}

/**
 * Corpus BLEU-4 with the brevity penalty, on a simple tokenisation (words and punctuation split,
 * case kept), no smoothing. 0–100. Close to sacreBLEU's `13a` for Latin-script text.
 *
 * @example
 * ```ts
 * bleu(['the cat sat on the mat'], ['the cat sat on the mat']); // 100
 * ```
 */
export function bleu(hypotheses: readonly string[], references: readonly string[]): number {
  const match = [0, 0, 0, 0];
  const total = [0, 0, 0, 0];
  let hypLen = 0;
  let refLen = 0;
  hypotheses.forEach((hyp, i) => {
    const h = tokenize(hyp);
    const r = tokenize(references[i] ?? '');
    hypLen += h.length;
    refLen += r.length;
    for (let n = 1; n <= 4; n++) {
      const hc = ngrams(h, n, ' ');
      const rc = ngrams(r, n, ' ');
      for (const [g, c] of hc) match[n - 1]! += Math.min(c, rc.get(g) ?? 0);
      total[n - 1]! += Math.max(0, h.length - n + 1);
    }
  });
  if (hypLen === 0 || match.some((m) => m === 0)) return 0;
  const logP = match.reduce((s, m, i) => s + Math.log(m / total[i]!), 0) / 4;
  const bp = hypLen > refLen ? 1 : Math.exp(1 - refLen / hypLen);
  return 100 * bp * Math.exp(logP);
}

function tokenize(s: string): string[] {
  return s
    .replace(/([\p{P}\p{S}])/gu, ' $1 ')
    .split(/\s+/)
    .filter(Boolean);
}

function ngrams(chars: readonly string[], n: number, sep = ''): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join(sep);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}
