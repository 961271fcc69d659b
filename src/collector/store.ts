// The trace store: documents as received (one row per segment or independent subsegment) plus a
// per-trace aggregate for summaries and filters. SQLite through node:sqlite (WAL, batched
// transactions) when the runtime has it, else the same behaviour in memory.
import { addDocument, newAggregate, type TraceAggregate } from './traceAggregate';
import type { Span } from '../model/trace';

/** A document to store: the parsed span and the JSON text that is kept and served back. */
export interface IncomingDocument {
  readonly span: Span;
  readonly json: string;
}

/** Which times a summary query's window applies to, as X-Ray's TimeRangeType. */
export type TimeRangeType = 'TraceId' | 'Event' | 'Service';

/** A page of aggregates, newest first. */
export interface SummaryPage {
  readonly items: TraceAggregate[];
  /** Where the next page starts, or undefined at the end. */
  readonly next?: string;
}

/** Retention limits; 0 means no limit. */
export interface Retention {
  readonly maxAgeHours: number;
  readonly maxMegabytes: number;
}

/** What every store offers. */
export interface TraceStore {
  readonly kind: 'sqlite' | 'memory';
  /** The database file, for a SQLite store. */
  readonly path?: string;
  /** Stores documents in one transaction; an in-progress document never replaces a completed one. */
  put(docs: readonly IncomingDocument[]): { stored: number; traces: string[] };
  /** Aggregates of the traces in [start, end] (epoch seconds), newest first, a page at a time. */
  summaries(query: {
    start: number;
    end: number;
    timeRangeType?: TimeRangeType;
    limit: number;
    cursor?: string;
  }): SummaryPage;
  /** The aggregate of one trace. */
  aggregate(traceId: string): TraceAggregate | undefined;
  /** The stored documents (JSON) of one trace; empty when unknown. */
  documents(traceId: string): string[];
  /** How many traces are stored. */
  traceCount(): number;
  /** Deletes traces older than the age limit, then the oldest until under the size limit; returns how many went. */
  applyRetention(retention: Retention, now?: number): number;
  close(): void;
}

/** The time encoded in an X-Ray trace id (`1-{hex epoch seconds}-…`), or undefined. */
export function traceIdTime(id: string): number | undefined {
  const m = /^1-([0-9a-f]{8})-/.exec(id);
  return m ? parseInt(m[1]!, 16) : undefined;
}

/** The cursor of the row (start, id), for keyset paging. */
const cursorOf = (start: number, id: string) => `${start}|${id}`;
function parseCursor(c: string | undefined): { start: number; id: string } | undefined {
  if (!c) return undefined;
  const bar = c.indexOf('|');
  const start = Number(c.slice(0, bar));
  return bar > 0 && Number.isFinite(start) ? { start, id: c.slice(bar + 1) } : undefined;
}

const timeOf = (agg: TraceAggregate, type: TimeRangeType | undefined): number =>
  type === 'TraceId' ? (traceIdTime(agg.id) ?? agg.start) : agg.start;

/** The store in memory: for runtimes without node:sqlite, and for tests of store behaviour. */
export class MemoryStore implements TraceStore {
  readonly kind = 'memory';
  private readonly traces = new Map<
    string,
    { agg: TraceAggregate; docs: Map<string, { json: string; inProgress: boolean }> }
  >();

  put(docs: readonly IncomingDocument[]): { stored: number; traces: string[] } {
    const touched = new Set<string>();
    let stored = 0;
    for (const { span, json } of docs) {
      let t = this.traces.get(span.traceId);
      if (!t) this.traces.set(span.traceId, (t = { agg: newAggregate(span.traceId), docs: new Map() }));
      const prev = t.docs.get(span.id);
      if (prev && !prev.inProgress && span.inProgress) continue;
      t.docs.set(span.id, { json, inProgress: span.inProgress });
      addDocument(t.agg, span, json.length, prev !== undefined);
      touched.add(span.traceId);
      stored++;
    }
    return { stored, traces: [...touched] };
  }

  summaries(q: {
    start: number;
    end: number;
    timeRangeType?: TimeRangeType;
    limit: number;
    cursor?: string;
  }): SummaryPage {
    const after = parseCursor(q.cursor);
    const rows = [...this.traces.values()]
      .map((t) => ({ agg: t.agg, at: timeOf(t.agg, q.timeRangeType) }))
      .filter(
        (r) =>
          r.at >= q.start &&
          r.at <= q.end &&
          (!after || r.at < after.start || (r.at === after.start && r.agg.id < after.id)),
      )
      .sort((a, b) => b.at - a.at || (a.agg.id < b.agg.id ? 1 : -1));
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => r.agg),
      next: rows.length > q.limit && last ? cursorOf(last.at, last.agg.id) : undefined,
    };
  }

  aggregate(traceId: string): TraceAggregate | undefined {
    return this.traces.get(traceId)?.agg;
  }

  documents(traceId: string): string[] {
    return [...(this.traces.get(traceId)?.docs.values() ?? [])].map((d) => d.json);
  }

  traceCount(): number {
    return this.traces.size;
  }

  applyRetention(retention: Retention, now = Date.now() / 1000): number {
    let removed = 0;
    const byAge = [...this.traces.values()].sort((a, b) => a.agg.start - b.agg.start);
    let bytes = byAge.reduce((n, t) => n + t.agg.bytes, 0);
    for (const t of byAge) {
      const old = retention.maxAgeHours > 0 && t.agg.start < now - retention.maxAgeHours * 3600;
      const big = retention.maxMegabytes > 0 && bytes > retention.maxMegabytes * 1024 * 1024;
      if (!old && !big) break;
      this.traces.delete(t.agg.id);
      bytes -= t.agg.bytes;
      removed++;
    }
    return removed;
  }

  close(): void {
    this.traces.clear();
  }
}
