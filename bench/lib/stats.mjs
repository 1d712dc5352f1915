// Order statistics shared by the benchmark scripts.

/** Median of a list of numbers. */
export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Linear-interpolated quantile q in [0, 1]. */
export const quantile = (a, q) => {
  const s = [...a].sort((x, y) => x - y);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
};

/** { median, p25, p75, min, max, <countKey> } rounded to `digits` decimals. */
export const summarize = (a, { digits = 1, countKey = 'runs' } = {}) => ({
  median: +median(a).toFixed(digits),
  p25: +quantile(a, 0.25).toFixed(digits),
  p75: +quantile(a, 0.75).toFixed(digits),
  min: +Math.min(...a).toFixed(digits),
  max: +Math.max(...a).toFixed(digits),
  [countKey]: a.length,
});
