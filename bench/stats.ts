// Small statistics for noisy measurements.

export const median = (xs: number[]): number => percentile(xs, 50);

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Median of the per-run ratios a/b: each ratio is taken within one run, where a and b shared the machine. */
export const medianRatio = (a: number[], b: number[]): number => median(a.map((x, i) => x / (b[i] as number)));
