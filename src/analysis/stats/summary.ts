// What the statistics answer, per operation and window: the shapes the lenses, hovers and CLI read.

/** A trace worth opening from a lens or hover: one of the slowest. */
export interface TraceRef {
  readonly traceId: string;
  /** The span of the operation inside that trace. */
  readonly spanId: string;
  readonly durationMs: number;
  /** The span's start, epoch seconds. */
  readonly time: number;
}

/** A trace where the operation failed. */
export interface FailingRef extends TraceRef {
  readonly error: boolean;
  readonly fault: boolean;
  readonly throttle: boolean;
  readonly exceptionType?: string;
  readonly exceptionMessage?: string;
}

/** How often one exception made the operation fail. `other` gathers messages past the per-minute cap. */
export interface ExceptionCount {
  readonly type?: string;
  readonly message: string;
  readonly count: number;
  readonly other?: true;
}

/** Latency histogram for a hover: counts[i] spans took [edgesMs[i], edgesMs[i+1]) ms. */
export interface Histogram {
  readonly edgesMs: readonly number[];
  readonly counts: readonly number[];
}

/**
 * The figures of one operation over one window. Every figure rests on `calls` samples (completed
 * spans) from `traces` traces; percentiles are NaN when there are none.
 */
export interface OperationSummary {
  readonly service: string;
  /** The X-Ray name (or the name looked up, when several operations were merged). */
  readonly name: string;
  /** The OTel span name, for a server span X-Ray named after its service. */
  readonly otelName?: string;
  /** The buckets the window covers, epoch seconds (end is the end of the bucket holding the window's end). */
  readonly window: { readonly start: number; readonly end: number; readonly bucketSeconds: number };
  readonly calls: number;
  /** Traces the figures rest on (for AWS, a sample of the traffic): counted once per bucket and operation. */
  readonly traces: number;
  /** Fewer calls than the minimum (default 30): show the figures as indicative. */
  readonly fewSamples: boolean;
  /** True when the percentiles are exact nearest-rank values; false when read from the sketch (within 0.5%). */
  readonly exact: boolean;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly minMs: number;
  /** 95% distribution-free confidence interval of p99; absent below 563 calls. */
  readonly p99RangeMs?: { readonly low: number; readonly high: number };
  /** Median self time: duration minus the union of the children's time, clipped to the span. */
  readonly selfP50Ms: number;
  readonly errors: number;
  readonly faults: number;
  readonly throttles: number;
  /** Spans with any of error, fault or throttle set. */
  readonly failed: number;
  /** failed / calls (0 without calls). */
  readonly errorRate: number;
  /** The slowest spans, slowest first. */
  readonly slowest: readonly TraceRef[];
  /** The most recent failing spans, latest first. */
  readonly failing: readonly FailingRef[];
  /** The most frequent exceptions, most frequent first. */
  readonly exceptions: readonly ExceptionCount[];
  readonly histogram: Histogram;
}

/** p99 or the error rate clearly worse than in the previous window, and by how much. */
export interface Regression {
  readonly p99?: { readonly currentMs: number; readonly previousMs: number; readonly ratio: number };
  readonly errorRate?: {
    readonly current: number;
    readonly previous: number;
    readonly deltaPoints: number;
    readonly z: number;
  };
  /** For a lens or hover, e.g. "p99 380 ms vs 205 ms (+85%)". */
  readonly message: string;
}

/** One operation in a window and in the previous window of the same length. */
export interface Comparison {
  readonly current: OperationSummary;
  readonly previous: OperationSummary;
  readonly regression?: Regression;
}
