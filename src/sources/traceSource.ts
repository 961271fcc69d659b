// The TraceSource interface: what every surface reads traces through, whatever their origin.
import type { Trace } from '../model/trace';

/** One row of a trace list, as X-Ray's TraceSummary gives it (times in epoch seconds, durations in ms). */
export interface TraceSummaryRow {
  readonly id: string;
  readonly start: number;
  readonly durationMs?: number;
  readonly responseTimeMs?: number;
  readonly service?: string;
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly error: boolean;
  readonly fault: boolean;
  readonly throttle: boolean;
  readonly partial: boolean;
  readonly services: readonly string[];
}

/** A query for summaries. */
export interface SummaryQuery {
  readonly start: Date;
  readonly end: Date;
  readonly filter?: string;
  /** Stop after this many rows. */
  readonly limit: number;
  readonly timeRangeType?: 'TraceId' | 'Event' | 'Service';
}

/** Summaries from a source that may stop before covering the window (AWS stops at its scan cap). */
export interface SummaryBatch {
  /** Newest first. */
  readonly rows: TraceSummaryRow[];
  /** Why it stopped early, in words for the user ("scanned 100,000 traces, the cap"); undefined when the window is covered. */
  readonly stopped?: string;
  /** Pass back to summaryBatch to go on from where it stopped; undefined when there is no more. */
  readonly resume?: unknown;
}

/** Where traces come from: the local X-Ray, AWS X-Ray, or a file. */
export interface TraceSource {
  /** A name for the user: `Local X-Ray`, `AWS X-Ray (prod, eu-west-1)`. */
  readonly label: string;
  /** Trace summaries in the window, newest first. */
  summaries(query: SummaryQuery, signal?: AbortSignal): Promise<TraceSummaryRow[]>;
  /** Whole traces; ids that are not found are left out. W3C ids (32 hex digits) are accepted. */
  traces(ids: readonly string[], signal?: AbortSignal): Promise<Trace[]>;
  /** Like summaries, with a way to continue when the source stopped early; sources that never stop early may leave it out. */
  summaryBatch?(query: SummaryQuery, resume?: unknown, signal?: AbortSignal): Promise<SummaryBatch>;
  /** The time range a fixed set of traces covers (a file), epoch seconds: views show it whatever their window. */
  readonly range?: { readonly start: number; readonly end: number };
  /** The AWS console page of a trace, for sources in an AWS account. */
  consoleUrl?(traceId: string): string | undefined;
  /** Releases what the source holds (clients, cache files). */
  dispose?(): void;
}
