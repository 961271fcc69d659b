// What reading X-Ray costs. X-Ray bills traces retrieved (BatchGetTraces) and traces scanned
// (GetTraceSummaries' TracesProcessedCount) at $0.50 per million, after a free tier of 1,000,000
// retrieved or scanned a month (aws.amazon.com/xray/pricing; recording traces is
// billed apart, $5.00 per million after 100,000 a month). The free tier is per account and month,
// and we cannot see how much of it is left, so estimates are the price without it.

/** X-Ray's list price for reading traces. */
export const xrayReadPricing = { usdPerMillionTraces: 0.5, freeTracesPerMonth: 1_000_000 } as const;

/** The price of reading this many traces, in US dollars, ignoring the free tier. */
export function estimateUsd(traces: number): number {
  return (Math.max(0, traces) * xrayReadPricing.usdPerMillionTraces) / 1e6;
}

/** Dollars for a person: `$0.0005`, `$0.12`, `$3.50`. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toPrecision(1)}`;
  return `$${usd.toFixed(2)}`;
}

/** An estimate to show before a query: how many traces, and at most what price. */
export interface CostEstimate {
  readonly traces: number;
  readonly usd: number;
  /** True when the count is an upper bound (the scan cap), not a forecast. */
  readonly upperBound: boolean;
  /** One line for the prompt. */
  readonly text: string;
}

/** An estimate for reading `traces` traces. */
export function costEstimate(traces: number, upperBound = false): CostEstimate {
  const usd = estimateUsd(traces);
  return {
    traces,
    usd,
    upperBound,
    text: `${upperBound ? 'up to ' : 'about '}${Math.round(traces).toLocaleString('en-US')} traces, ${formatUsd(usd)} at $0.50 per million (free for the first 1,000,000 a month per account)`,
  };
}

/** True when a query of this size should ask first. */
export function needsConfirmation(estimate: CostEstimate, thresholdTraces: number): boolean {
  return thresholdTraces > 0 && estimate.traces > thresholdTraces;
}

/** What one session read from X-Ray, for the output channel. */
export class CostTally {
  scanned = 0;
  retrieved = 0;
  /** Traces served from the cache instead: what it saved. */
  cached = 0;
  /** Attempts per operation, retries included. */
  readonly calls = new Map<string, number>();
  /** Hours of window scanned, to forecast the next query from the traces per hour seen. */
  private scannedHours = 0;

  /** Counts a call (one HTTP attempt) of an operation. */
  call(operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
  }

  /** Counts traces scanned over a window of hours. */
  scan(traces: number, hours?: number): void {
    this.scanned += traces;
    if (hours !== undefined && hours > 0) this.scannedHours += hours;
  }

  /** Counts traces retrieved whole. */
  retrieve(traces: number): void {
    this.retrieved += traces;
  }

  /** The price of what was read, ignoring the free tier. */
  get usd(): number {
    return estimateUsd(this.scanned + this.retrieved);
  }

  /** A forecast of the traces a window of this many hours scans, from what this session saw; undefined before any scan. */
  forecastScan(hours: number): number | undefined {
    return this.scannedHours > 0 ? Math.ceil((this.scanned / this.scannedHours) * hours) : undefined;
  }

  /** One line: `X-Ray this session: 12,000 traces scanned, 40 retrieved (≈ $0.0060 before the free tier); 130 calls; 25 from the cache`. */
  line(): string {
    const n = (x: number) => x.toLocaleString('en-US');
    const calls = [...this.calls.values()].reduce((a, b) => a + b, 0);
    return `X-Ray this session: ${n(this.scanned)} traces scanned, ${n(this.retrieved)} retrieved (${formatUsd(this.usd)} before the free tier); ${n(calls)} calls; ${n(this.cached)} from the cache`;
  }
}
