// Everything received goes through here: parsed leniently, batched, and written to the store in
// one transaction per batch. A bad document is counted and reported, never allowed to stop the rest.
import { splitDatagram } from '../model/datagram';
import { convertOtlpTraces } from '../model/otlp';
import { Repairs } from '../model/repairs';
import { parseSegmentJson } from '../model/segmentDocument';
import { toSegmentDocument } from '../model/toDocument';
import type { Span } from '../model/trace';
import type { IncomingDocument, TraceStore } from './store';

/** Counters since start. */
export interface IngestStats {
  received: number;
  stored: number;
  rejected: number;
  repaired: number;
  flushes: number;
  storeErrors: number;
}

/** Options of the batching. */
export interface IngestOptions {
  /** Flush at most this long after the first queued document. */
  readonly flushMs?: number;
  /** Flush when this many documents are queued. */
  readonly maxBatch?: number;
  /** Told what was stored, after each flush. */
  readonly onStored?: (traceIds: string[], stored: number) => void;
  /** Told about bad input and store failures (rate-limited by the caller's logger if needed). */
  readonly onProblem?: (message: string) => void;
}

/** The batching ingest pipeline in front of a store. */
export class Ingest {
  readonly stats: IngestStats = { received: 0, stored: 0, rejected: 0, repaired: 0, flushes: 0, storeErrors: 0 };
  private queue: IncomingDocument[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private problemWindow = 0;
  private problemsInWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly store: TraceStore,
    private readonly options: IngestOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 50;
    this.maxBatch = options.maxBatch ?? 2000;
  }

  /** Reports a problem, at most ten a second so a flood of bad datagrams cannot flood the log. */
  private problem(message: string): void {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.problemWindow) {
      this.problemWindow = second;
      this.problemsInWindow = 0;
    }
    if (++this.problemsInWindow > 10) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed ? ` (and ${this.suppressed} more problems not shown)` : '';
    this.suppressed = 0;
    this.options.onProblem?.(message + more);
  }

  private report(repairs: Repairs, source: string): void {
    if (repairs.empty) return;
    if (repairs.errors) this.stats.rejected += repairs.errors;
    else this.stats.repaired++;
    if (repairs.errors) this.problem(`${source}: ${repairs.lines().slice(0, 3).join('; ')}`);
  }

  private enqueue(doc: IncomingDocument): void {
    this.queue.push(doc);
    this.stats.received++;
    if (this.queue.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** One UDP datagram in the daemon format. */
  datagram(buf: Buffer, from = 'UDP'): void {
    const split = splitDatagram(buf.toString('utf8'));
    if (!split.ok) {
      this.stats.rejected++;
      this.problem(`${from}: ${split.message}`);
      return;
    }
    this.document(split.document, from);
  }

  /** One segment document as JSON text (from a datagram or PutTraceSegments); returns why it was refused. */
  document(json: string, from = 'document'): string | undefined {
    const repairs = new Repairs();
    const span = parseSegmentJson(json, repairs, from);
    this.report(repairs, from);
    if (!span) return repairs.lines()[0] ?? 'unusable document';
    this.enqueue({ span, json });
    return undefined;
  }

  /** An OTLP export, decoded to OTLP/JSON's shape; returns how many spans were refused and why. */
  otlp(body: unknown, from = 'OTLP'): { rejected: number; message?: string } {
    const repairs = new Repairs();
    const spans = convertOtlpTraces(body, repairs);
    this.report(repairs, from);
    for (const span of spans) this.spans([span]);
    return { rejected: repairs.errors, message: repairs.errors ? repairs.lines().join('; ') : undefined };
  }

  /** Spans from elsewhere (an imported file): stored as X-Ray documents. */
  spans(spans: readonly Span[]): void {
    for (const span of spans) this.enqueue({ span, json: JSON.stringify(toSegmentDocument(span)) });
  }

  /** Writes what is queued now, in one transaction. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    try {
      const r = this.store.put(batch);
      this.stats.stored += r.stored;
      this.stats.flushes++;
      if (r.traces.length) this.options.onStored?.(r.traces, r.stored);
    } catch (e) {
      // Keep the batch for the next flush: a busy or full disk must not lose what was received.
      this.stats.storeErrors++;
      this.queue = batch.concat(this.queue).slice(-100_000);
      this.problem(`store write failed, will retry: ${e instanceof Error ? e.message : String(e)}`);
      this.timer ??= setTimeout(() => this.flush(), 1000);
    }
  }

  /** Flushes and stops the timer. */
  close(): void {
    this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
