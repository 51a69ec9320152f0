// Summary statistics for experiments run over many seeds: the mean with a 95% confidence interval (Student's t,
// as the seeds are few), and percentiles of latency samples.

/** A mean over seeds with its 95% confidence interval; `low`/`high` equal the mean when there is one sample. */
export interface Estimate {
  mean: number;
  low: number;
  high: number;
  n: number;
}

// Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom; beyond that the normal's 1.96 is close enough.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08,
  2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The mean of `samples` and its 95% confidence interval. */
export function estimate(samples: readonly number[]): Estimate {
  const n = samples.length;
  if (n === 0) throw new Error('estimate of no samples');
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, low: mean, high: mean, n };
  const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  const half = (T95[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half, n };
}

/** An estimate with its interval cut to what the quantity can be (a share between 0 and 100, a count >= 0). */
export function bounded(e: Estimate, min: number, max = Infinity): Estimate {
  return { ...e, low: Math.max(min, e.low), high: Math.min(max, e.high) };
}

/** The p-th percentile (0..100) of `samples`, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Rounds for tables: `digits` decimals, no trailing noise. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `mean [low, high]` as a table cell. */
export function formatEstimate(e: Estimate, digits = 2): string {
  const [mean, low, high] = [round(e.mean, digits), round(e.low, digits), round(e.high, digits)];
  return low === high ? `${mean}` : `${mean} [${low}, ${high}]`;
}
