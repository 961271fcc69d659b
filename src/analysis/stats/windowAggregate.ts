// Merges an operation's buckets over a window and reads the figures off the merge: from the raw
// durations when every sample of the window is still held (exact), else from the summed sketches.
import { Bucket, examplesKept, insertFailing, insertSlowest, otherExceptions } from './bucket';
import { fillHistogram, histogramEdges } from './histogram';
import { binCount, valueOfBin } from './logSketch';
import { nearestRank, quantileRankInterval, rankOf } from './percentiles';
import { regressionRule } from './regression';
import type { ExceptionCount, FailingRef, OperationSummary, TraceRef } from './summary';

/** Who the summary is about and which buckets it covers. */
export interface SummaryHead {
  readonly service: string;
  readonly name: string;
  readonly otelName?: string;
  readonly window: OperationSummary['window'];
}

/** A merge of buckets kept to be added again: a window's older buckets, which rarely change. */
export interface MergedBuckets {
  readonly calls: number;
  readonly errors: number;
  readonly faults: number;
  readonly throttles: number;
  readonly failed: number;
  readonly traces: number;
  readonly min: number;
  readonly max: number;
  /** Whether the buckets' sketches were merged too (not needed while a window is answered exactly). */
  readonly withSketches: boolean;
  /** durations[i] and selfTimes[i] count bin lo + i (empty without sketches). */
  readonly lo: number;
  readonly durations: Uint32Array;
  readonly selfTimes: Uint32Array;
  readonly slowest: readonly TraceRef[];
  readonly failing: readonly FailingRef[];
  readonly exceptions: readonly (readonly [string, number])[];
}

/** One merge at a time, reused: the dense bin arrays are the only sizeable allocation. */
export class WindowAggregate {
  calls = 0;
  private errors = 0;
  private faults = 0;
  private throttles = 0;
  private failed = 0;
  private traces = 0;
  private min = Infinity;
  private max = -Infinity;
  private readonly durations = new Float64Array(binCount);
  private readonly selfTimes = new Float64Array(binCount);
  private lo = binCount;
  private hi = -1;
  private slowest: TraceRef[] = [];
  private failing: FailingRef[] = [];
  private readonly exceptions = new Map<string, number>();

  /** Adds a bucket's counts, and its sketches unless the window is answered exactly. */
  add(b: Bucket, withSketches = true): void {
    if (b.calls === 0) return;
    this.calls += b.calls;
    this.errors += b.errors;
    this.faults += b.faults;
    this.throttles += b.throttles;
    this.failed += b.failed;
    this.traces += b.traces;
    if (b.minMs < this.min) this.min = b.minMs;
    if (b.maxMs > this.max) this.max = b.maxMs;
    if (withSketches) this.addSketches(b);
    // The bucket's lists are sorted: stop at the first entry that does not make it into ours.
    const slow = this.slowest;
    for (const r of b.slowest) {
      if (slow.length === examplesKept && r.durationMs <= slow[examplesKept - 1]!.durationMs) break;
      insertSlowest(slow, r);
    }
    const failing = this.failing;
    for (const r of b.failing) {
      if (failing.length === examplesKept && r.time <= failing[examplesKept - 1]!.time) break;
      insertFailing(failing, r);
    }
    if (b.exceptions) for (const [k, n] of b.exceptions) this.exceptions.set(k, (this.exceptions.get(k) ?? 0) + n);
  }

  /** Adds a bucket's sketches only (its counts were added without them). */
  addSketches(b: Bucket): void {
    b.durations.addInto(this.durations);
    b.selfTimes.addInto(this.selfTimes);
    this.lo = Math.min(this.lo, b.durations.first, b.selfTimes.first);
    this.hi = Math.max(this.hi, b.durations.last, b.selfTimes.last);
  }

  /** What was merged so far; with the sketches only if every bucket's were added. */
  snapshot(withSketches: boolean): MergedBuckets {
    const { lo, hi } = this;
    const bins = (from: Float64Array) =>
      withSketches && hi >= lo ? Uint32Array.from(from.subarray(lo, hi + 1)) : new Uint32Array(0);
    return {
      calls: this.calls,
      errors: this.errors,
      faults: this.faults,
      throttles: this.throttles,
      failed: this.failed,
      traces: this.traces,
      min: this.min,
      max: this.max,
      withSketches,
      lo,
      durations: bins(this.durations),
      selfTimes: bins(this.selfTimes),
      slowest: [...this.slowest],
      failing: [...this.failing],
      exceptions: [...this.exceptions],
    };
  }

  /** Adds a merge kept from before, with its sketches if asked (it must have them). */
  addMerged(m: MergedBuckets, withSketches: boolean): void {
    if (m.calls === 0) return;
    this.calls += m.calls;
    this.errors += m.errors;
    this.faults += m.faults;
    this.throttles += m.throttles;
    this.failed += m.failed;
    this.traces += m.traces;
    if (m.min < this.min) this.min = m.min;
    if (m.max > this.max) this.max = m.max;
    const n = withSketches ? m.durations.length : 0;
    for (let i = 0; i < n; i++) {
      this.durations[m.lo + i]! += m.durations[i]!;
      this.selfTimes[m.lo + i]! += m.selfTimes[i]!;
    }
    if (n) {
      this.lo = Math.min(this.lo, m.lo);
      this.hi = Math.max(this.hi, m.lo + n - 1);
    }
    for (const r of m.slowest) insertSlowest(this.slowest, r);
    for (const r of m.failing) insertFailing(this.failing, r);
    for (const [k, c] of m.exceptions) this.exceptions.set(k, (this.exceptions.get(k) ?? 0) + c);
  }

  /**
   * The figures, then a reset for the next merge. exact holds the window's durations and self
   * times, ascending, when every sample is known; else the sketches answer.
   */
  summarize(
    head: SummaryHead,
    minSamples: number,
    exact?: { durations: Float64Array; selfTimes: Float64Array },
  ): OperationSummary {
    const n = this.calls;
    const interval = quantileRankInterval(0.99, n, regressionRule.p99IntervalZ);
    let p50: number, p90: number, p99: number, self50: number;
    let range: OperationSummary['p99RangeMs'];
    let histogram: OperationSummary['histogram'];
    const isExact = n > 0 && exact !== undefined && exact.durations.length === n;
    // Exact: min and max from the raw durations (a bucket's may have been estimated after a retraction).
    if (isExact) {
      this.min = exact.durations[0]!;
      this.max = exact.durations[n - 1]!;
    }
    const edges = n ? histogramEdges(this.min, this.max) : [];
    if (isExact) {
      const d = exact.durations;
      p50 = nearestRank(d, 0.5);
      p90 = nearestRank(d, 0.9);
      p99 = nearestRank(d, 0.99);
      self50 = nearestRank(exact.selfTimes, 0.5);
      if (interval) range = { low: d[interval.low - 1]!, high: d[interval.high - 1]! };
      histogram = fillHistogram(edges, (visit) => d.forEach((v) => visit(v, 1)));
    } else {
      const ranks = [rankOf(0.5, n), rankOf(0.9, n), rankOf(0.99, n), interval?.low ?? 1, interval?.high ?? 1];
      const values = this.valuesAtRanks(this.durations, ranks);
      [p50, p90, p99] = values as [number, number, number];
      if (interval) range = { low: values[3]!, high: values[4]! };
      self50 = this.valuesAtRanks(this.selfTimes, [rankOf(0.5, n)], true)[0]!;
      histogram = fillHistogram(edges, (visit) => {
        for (let b = this.lo; b <= this.hi; b++)
          if (this.durations[b]) visit(this.clamp(valueOfBin(b)), this.durations[b]!);
      });
    }
    const exceptions: ExceptionCount[] = [...this.exceptions]
      .sort((a, b) => b[1] - a[1])
      .slice(0, examplesKept)
      .map(([key, count]) => {
        if (key === otherExceptions) return { message: 'other exceptions', count, other: true as const };
        const cut = key.indexOf('\u0000');
        const type = key.slice(0, cut);
        return type ? { type, message: key.slice(cut + 1), count } : { message: key.slice(cut + 1), count };
      });
    const summary: OperationSummary = {
      ...head,
      calls: n,
      traces: this.traces,
      fewSamples: n < minSamples,
      exact: isExact,
      p50Ms: n ? p50 : NaN,
      p90Ms: n ? p90 : NaN,
      p99Ms: n ? p99 : NaN,
      maxMs: n ? this.max : NaN,
      minMs: n ? this.min : NaN,
      ...(range ? { p99RangeMs: range } : {}),
      selfP50Ms: n ? self50 : NaN,
      errors: this.errors,
      faults: this.faults,
      throttles: this.throttles,
      failed: this.failed,
      errorRate: n ? this.failed / n : 0,
      slowest: this.slowest,
      failing: this.failing,
      exceptions,
      histogram,
    };
    this.reset();
    return summary;
  }

  private clamp(v: number): number {
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }

  /** The values at ascending-or-not 1-based ranks, in one walk over the bins. */
  private valuesAtRanks(bins: Float64Array, ranks: number[], unclamped = false): number[] {
    const order = ranks.map((r, i) => [r, i] as const).sort((a, b) => a[0] - b[0]);
    const out = new Array<number>(ranks.length).fill(NaN);
    let seen = 0;
    let k = 0;
    for (let b = this.lo; b <= this.hi && k < order.length; b++) {
      seen += bins[b]!;
      while (k < order.length && order[k]![0] <= seen) {
        const v = valueOfBin(b);
        out[order[k]![1]] = unclamped ? v : this.clamp(v);
        k++;
      }
    }
    // Ranks past the counted total (none, unless a retraction left counts uneven) read as the top.
    for (; k < order.length; k++) out[order[k]![1]] = unclamped ? valueOfBin(this.hi) : this.max;
    return out;
  }

  /** Forgets everything merged. */
  reset(): void {
    if (this.hi >= this.lo) {
      this.durations.fill(0, this.lo, this.hi + 1);
      this.selfTimes.fill(0, this.lo, this.hi + 1);
    }
    this.lo = binCount;
    this.hi = -1;
    this.calls = this.errors = this.faults = this.throttles = this.failed = this.traces = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.slowest = [];
    this.failing = [];
    this.exceptions.clear();
  }
}
