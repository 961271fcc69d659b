// Nearest-rank percentiles (DESIGN.md: the ceil(q·n)-th smallest), and the distribution-free
// confidence interval of a percentile that the regression verdict rests on.

/**
 * The 1-based nearest rank of quantile q (0 < q ≤ 1) among n samples: ceil(q·n), at least 1.
 * q·n is nudged down by a relative 1e-12 first, because 0.07 × 100 is 7.000000000000001 in floating
 * point and its ceiling would skip a rank.
 */
export function rankOf(q: number, n: number): number {
  if (n <= 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil(q * n * (1 - 1e-12))));
}

/** The ceil(q·n)-th smallest of ascending values (NaN when there are none). */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  return n === 0 ? NaN : sorted[rankOf(q, n) - 1]!;
}

/**
 * Ranks [low, high] of order statistics that bracket the true q-quantile with about the given
 * two-sided confidence (z = 1.96 for 95%): the binomial count of samples under the quantile,
 * approximated by a normal (Conover, Practical Nonparametric Statistics, 3.2). Undefined when n is
 * too small for the interval to close inside the samples: for p99 at 95% that needs 563.
 */
export function quantileRankInterval(q: number, n: number, z = 1.96): { low: number; high: number } | undefined {
  const mean = n * q;
  const spread = z * Math.sqrt(n * q * (1 - q));
  const low = Math.floor(mean - spread);
  const high = Math.ceil(mean + spread + 1);
  return low >= 1 && high <= n ? { low, high } : undefined;
}
