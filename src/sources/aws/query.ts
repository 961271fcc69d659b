// GetTraceSummaries over any window: X-Ray answers at most 6 hours per query, so the window is cut
// into slices that run a few at a time, newest first, each paged with NextToken. A cap on traces
// scanned (what X-Ray bills) stops the query with a cursor to continue from, and rows come back
// newest first with no gap: only what is known to be newer than everything still unfetched.
import { GetTraceSummariesCommand, type XRayClient } from '@aws-sdk/client-xray';
import type { TraceSummaryRow } from '../traceSource';
import { summaryRow } from '../xray/xraySource';
import { runPool } from './concurrency';
import type { Pace } from './pace';

/** Which times a window applies to, as X-Ray's TimeRangeType. */
export type TimeRangeType = 'TraceId' | 'Event' | 'Service';

/** X-Ray's longest GetTraceSummaries window. */
export const maxSliceHours = 6;

/** A query over a window of any length. */
export interface SummaryQueryInput {
  readonly start: Date;
  readonly end: Date;
  /** An X-Ray filter expression, passed through as written. */
  readonly filter?: string;
  /** Default TraceId: slices then split traces by their start, so none is listed twice. */
  readonly timeRangeType?: TimeRangeType;
  /** Stop once this many rows are known, newest first. */
  readonly limit?: number;
  /** Stop once this many traces were scanned (TracesProcessedCount, what X-Ray bills). */
  readonly scanCap?: number;
}

/** How the query runs. */
export interface QueryOptions {
  /** Slices in flight at once (default 4). */
  readonly concurrency?: number;
  /** Slice length in hours, at most 6 (the default). */
  readonly sliceHours?: number;
  readonly signal?: AbortSignal;
  /** Shared with the other operations of the source: X-Ray throttles per account. */
  readonly pace?: Pace;
  /** Told after every page. */
  readonly onProgress?: (p: QueryProgress) => void;
}

/** Where a query is. */
export interface QueryProgress {
  readonly slices: number;
  readonly slicesDone: number;
  readonly scanned: number;
  readonly rows: number;
}

/** One slice's state: plain data, so a cursor can be kept or sent anywhere. */
export interface SliceState {
  /** Epoch seconds. */
  readonly start: number;
  readonly end: number;
  /** X-Ray's NextToken for the next page, once started. */
  next?: string;
  started: boolean;
  done: boolean;
  /** Rows fetched and not yet returned. */
  rows: TraceSummaryRow[];
}

/** Where a stopped query stands: pass it back to continue where it stopped. */
export interface QueryCursor {
  readonly filter?: string;
  readonly timeRangeType: TimeRangeType;
  readonly slices: SliceState[];
}

/** What a query (or one continuation of it) found. */
export interface QueryResult {
  /** Newest first. */
  readonly rows: TraceSummaryRow[];
  /** Traces X-Ray scanned for this call (TracesProcessedCount summed). */
  readonly scanned: number;
  /** GetTraceSummaries calls made (each page is one). */
  readonly calls: number;
  /** Why it stopped before covering the window, if it did. */
  readonly stoppedBy?: 'limit' | 'scan-cap';
  /** Set when there is more: pass it to continue. */
  readonly resume?: QueryCursor;
}

/** The slices of a window, newest first, each at most sliceHours long, sharing their bounds. */
export function planSlices(start: Date, end: Date, sliceHours = maxSliceHours): { start: Date; end: Date }[] {
  const len = Math.min(maxSliceHours, Math.max(1 / 60, sliceHours)) * 3600_000;
  const out: { start: Date; end: Date }[] = [];
  for (let to = end.getTime(); to > start.getTime(); to -= len)
    out.push({ start: new Date(Math.max(start.getTime(), to - len)), end: new Date(to) });
  if (out.length === 0) out.push({ start, end });
  return out;
}

/** The slices a window starts with. */
export function newCursor(q: SummaryQueryInput, sliceHours = maxSliceHours): QueryCursor {
  return {
    filter: q.filter || undefined,
    timeRangeType: q.timeRangeType ?? 'TraceId',
    slices: planSlices(q.start, q.end, sliceHours).map((s) => ({
      start: s.start.getTime() / 1000,
      end: s.end.getTime() / 1000,
      started: false,
      done: false,
      rows: [],
    })),
  };
}

const newestFirst = (a: TraceSummaryRow, b: TraceSummaryRow) =>
  b.start - a.start || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The rows known to be newer than anything unfetched: done slices from the newest, then the first unfinished one's pages. */
function prefix(slices: SliceState[]): SliceState[] {
  const out: SliceState[] = [];
  for (const s of slices) {
    out.push(s);
    if (!s.done) break;
  }
  return out;
}

/**
 * Finds trace summaries in a window (or continues from resume, whose filter and type then apply).
 * Throws the SDK's error as is (an invalid filter is InvalidRequestException with X-Ray's text).
 */
export async function findTraceSummaries(
  client: XRayClient,
  q: SummaryQueryInput,
  options: QueryOptions = {},
  resume?: QueryCursor,
): Promise<QueryResult> {
  const cursor: QueryCursor = resume ? structuredClone(resume) : newCursor(q, options.sliceHours);
  const { slices } = cursor;
  const seen = new Set(slices.flatMap((s) => s.rows.map((r) => r.id)));
  const inFlight = new Set<SliceState>();
  const limit = q.limit ?? Infinity;
  const cap = q.scanCap ?? Infinity;
  let scanned = 0;
  let calls = 0;
  const prefixCount = () => prefix(slices).reduce((n, s) => n + s.rows.length, 0);
  const capReached = () => scanned >= cap;
  const limitReached = () => prefixCount() >= limit;
  // Our own controller: the first failure stops the other slices' calls at once.
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal!.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const take = (): SliceState | undefined => {
    if (capReached() || limitReached()) return undefined;
    // The newest slice with work left and no call in flight (a slice's pages are sequential).
    const next = slices.find((s) => !s.done && !inFlight.has(s));
    // Enough rows fetched to fill the limit: only the newest unfinished slice can still change
    // which rows those are; reading further ahead would be paid for and thrown away.
    const fetched = slices.reduce((n, s) => n + s.rows.length, 0);
    if (next && fetched >= limit && next !== slices.find((s) => !s.done)) return undefined;
    return next;
  };
  const work = async (s: SliceState): Promise<void> => {
    inFlight.add(s);
    try {
      const r = await client.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(s.start * 1000),
          EndTime: new Date(s.end * 1000),
          TimeRangeType: cursor.timeRangeType,
          FilterExpression: cursor.filter,
          NextToken: s.next,
        }),
        { abortSignal: stop.signal },
      );
      calls++;
      options.pace?.ok();
      scanned += r.TracesProcessedCount ?? r.TraceSummaries?.length ?? 0;
      for (const summary of r.TraceSummaries ?? []) {
        const row = summaryRow(summary);
        if (!row.id || seen.has(row.id)) continue;
        seen.add(row.id);
        s.rows.push(row);
      }
      s.started = true;
      s.next = r.NextToken || undefined;
      s.done = !s.next;
      options.onProgress?.({
        slices: slices.length,
        slicesDone: slices.filter((x) => x.done).length,
        scanned,
        rows: slices.reduce((n, x) => n + x.rows.length, 0),
      });
    } catch (e) {
      stop.abort(e);
      throw e;
    } finally {
      inFlight.delete(s);
    }
  };
  try {
    await runPool(
      take,
      work,
      () => Math.min(options.concurrency ?? 4, options.pace?.concurrency ?? Infinity),
      stop.signal,
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  // Return the known-newest rows, up to the limit; the rest stay in the cursor.
  const known = prefix(slices)
    .flatMap((s) => s.rows.map((row) => ({ row, s })))
    .sort((a, b) => newestFirst(a.row, b.row));
  const out = known.slice(0, limit === Infinity ? undefined : limit);
  const taken = new Set(out.map((x) => x.row));
  for (const s of slices) s.rows = s.rows.filter((r) => !taken.has(r));
  const more = slices.some((s) => !s.done || s.rows.length > 0);
  const stoppedBy = !more ? undefined : out.length >= limit ? 'limit' : capReached() ? 'scan-cap' : undefined;
  return { rows: out.map((x) => x.row), scanned, calls, stoppedBy, resume: more ? cursor : undefined };
}
