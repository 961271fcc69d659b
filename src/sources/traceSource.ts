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

/** Where traces come from: the local X-Ray, AWS X-Ray, or a file. */
export interface TraceSource {
  /** A name for the user: `Local X-Ray`, `AWS X-Ray (prod, eu-west-1)`. */
  readonly label: string;
  /** Trace summaries in the window, newest first. */
  summaries(query: SummaryQuery, signal?: AbortSignal): Promise<TraceSummaryRow[]>;
  /** Whole traces; ids that are not found are left out. */
  traces(ids: readonly string[], signal?: AbortSignal): Promise<Trace[]>;
}
