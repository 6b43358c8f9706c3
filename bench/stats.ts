/**
 * Summary statistics of benchmark samples: median, quartiles and range, so every figure the
 * benchmark prints carries its spread.
 */

/** Median, quartiles and range of a set of samples. */
export interface Summary {
  readonly median: number;
  /** 25th percentile (linear interpolation between order statistics). */
  readonly q1: number;
  /** 75th percentile. */
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

function quantile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Summarises samples (any order; not modified).
 * @example
 * ```ts
 * summarize([3, 1, 2]); // { median: 2, q1: 1.5, q3: 2.5, min: 1, max: 3, n: 3 }
 * ```
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { median: NaN, q1: NaN, q3: NaN, min: NaN, max: NaN, n: 0 };
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), q1: quantile(s, 0.25), q3: quantile(s, 0.75), min: s[0], max: s[s.length - 1], n: s.length };
}

/** Formats a number with thousands separators and `digits` significant decimals for small values. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
