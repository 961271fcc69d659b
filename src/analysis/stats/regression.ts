// When is an operation "clearly worse" than in the previous window? Statistically (the change is
// very unlikely to be noise at the sample counts both windows have) and materially (big enough to
// act on). Lenses are compared continuously for many operations, so both bars are set high.
import type { OperationSummary, Regression } from './summary';

/** The thresholds of the regression verdict (documented in the README). */
export const regressionRule = {
  /** Both windows need at least this many calls (the few-samples minimum) for any verdict. */
  minCalls: 30,
  /** p99: current p99 at least this many times the previous one… */
  p99MinRatio: 1.2,
  /** …and the 95% confidence intervals of the two p99s apart (each needs 563 calls or more). */
  p99IntervalZ: 1.96,
  /** Error rate: one-sided two-proportion z-test at z ≥ 3 (p < 0.0014)… */
  errorMinZ: 3,
  /** …at least 1.5 times the previous rate… */
  errorMinRatio: 1.5,
  /** …and at least this many failed calls in the current window. */
  errorMinFailures: 5,
} as const;

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const ms = (x: number) =>
  x >= 1000 ? `${(x / 1000).toFixed(x >= 10_000 ? 0 : 1)} s` : `${x >= 10 ? Math.round(x) : x.toFixed(1)} ms`;

/** The verdict on current vs previous, or undefined when nothing is clearly worse (or too few calls to tell). */
export function regressionOf(
  current: OperationSummary,
  previous: OperationSummary,
  minCalls: number = regressionRule.minCalls,
): Regression | undefined {
  if (current.calls < minCalls || previous.calls < minCalls) return undefined;
  let p99: Regression['p99'];
  const cr = current.p99RangeMs;
  const pr = previous.p99RangeMs;
  if (cr && pr && cr.low > pr.high && current.p99Ms >= regressionRule.p99MinRatio * previous.p99Ms) {
    p99 = { currentMs: current.p99Ms, previousMs: previous.p99Ms, ratio: current.p99Ms / previous.p99Ms };
  }
  let errorRate: Regression['errorRate'];
  const n1 = previous.calls;
  const n2 = current.calls;
  const r1 = previous.errorRate;
  const r2 = current.errorRate;
  const pooled = (previous.failed + current.failed) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = se > 0 ? (r2 - r1) / se : 0;
  if (
    current.failed >= regressionRule.errorMinFailures &&
    z >= regressionRule.errorMinZ &&
    r2 >= regressionRule.errorMinRatio * r1
  ) {
    errorRate = { current: r2, previous: r1, deltaPoints: (r2 - r1) * 100, z };
  }
  if (!p99 && !errorRate) return undefined;
  const parts: string[] = [];
  if (p99) parts.push(`p99 ${ms(p99.currentMs)} vs ${ms(p99.previousMs)} (+${Math.round((p99.ratio - 1) * 100)}%)`);
  if (errorRate)
    parts.push(
      `errors ${pct(errorRate.current)} vs ${pct(errorRate.previous)} (+${errorRate.deltaPoints.toFixed(1)} pts)`,
    );
  return { p99, errorRate, message: `${parts.join(', ')} than the previous window` };
}
