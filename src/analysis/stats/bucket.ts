// One operation's counts over one time bucket (a minute, a quarter hour or two hours): mergeable by
// addition, and able to take back what one trace put in, so a re-added trace replaces itself.
import { BinCounts, lowerEdgeOfBin, upperEdgeOfBin } from './logSketch';
import type { FailingRef, TraceRef } from './summary';

/** How many of the slowest and of the latest failing spans each bucket (and each answer) keeps. */
export const examplesKept = 5;
/** Distinct exceptions counted per bucket; further ones are counted together as `other`. */
const exceptionsKept = 16;
/** The key of the exceptions past the cap. */
export const otherExceptions = '\u0000other';

/** What one completed span adds to a bucket. */
export interface BucketSample {
  readonly traceId: string;
  readonly spanId: string;
  readonly start: number;
  readonly durationMs: number;
  readonly selfMs: number;
  readonly error: boolean;
  readonly fault: boolean;
  readonly throttle: boolean;
  readonly exceptionType: string | undefined;
  readonly exceptionMessage: string | undefined;
}

/** The example objects of one span, made on first need and shared by its buckets. */
export interface ExampleRefs {
  slow: TraceRef | undefined;
  failing: FailingRef | undefined;
  /** The span's exception key (see exceptionKey). */
  exception: string | undefined;
}

/** The key an exception is counted under. */
export function exceptionKey(type: string | undefined, message: string | undefined): string | undefined {
  return message === undefined ? undefined : `${type ?? ''}\u0000${message}`;
}

/** Counts, two sketches (duration and self time), exact min/max and a few example traces. */
export class Bucket {
  calls = 0;
  errors = 0;
  faults = 0;
  throttles = 0;
  failed = 0;
  traces = 0;
  minMs = Infinity;
  maxMs = -Infinity;
  readonly durations = new BinCounts();
  readonly selfTimes = new BinCounts();
  // Replaced, not grown, on insert: exact-size arrays (a pushed-to one keeps spare room), and most
  // buckets never see a failure, so they share one empty list.
  slowest: readonly TraceRef[] = none;
  failing: readonly FailingRef[] = none;
  // The duration a span must beat to make the slowest list, kept here so that the common case
  // (it does not) reads no example object.
  private slowFloor = -Infinity;
  exceptions: Map<string, number> | undefined;
  // The last trace counted in `traces` (and uncounted): a trace counts once per bucket.
  private lastAdded = -1;
  private lastRemoved = -1;

  constructor(readonly index: number) {}

  /**
   * Counts a span of the trace with serial number traceSerial. The example objects are made at most
   * once per span and shared by the three tiers' buckets (refs holds them; the caller resets it).
   */
  add(s: BucketSample, durationBin: number, selfBin: number, traceSerial: number, refs: ExampleRefs): void {
    this.calls++;
    if (s.error) this.errors++;
    if (s.fault) this.faults++;
    if (s.throttle) this.throttles++;
    if (this.lastAdded !== traceSerial) {
      this.traces++;
      this.lastAdded = traceSerial;
    }
    const ms = s.durationMs;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
    this.durations.add(durationBin);
    this.selfTimes.add(selfBin);
    if (ms > this.slowFloor) {
      const slow = (this.slowest = withSlowest(
        this.slowest,
        (refs.slow ??= { traceId: s.traceId, spanId: s.spanId, durationMs: ms, time: s.start }),
      ));
      if (slow.length === examplesKept) this.slowFloor = slow[examplesKept - 1]!.durationMs;
    }
    if (s.error || s.fault || s.throttle) {
      this.failed++;
      const f = this.failing;
      if (f.length < examplesKept || s.start > f[f.length - 1]!.time) {
        refs.failing ??= {
          traceId: s.traceId,
          spanId: s.spanId,
          durationMs: ms,
          time: s.start,
          error: s.error,
          fault: s.fault,
          throttle: s.throttle,
          exceptionType: s.exceptionType,
          exceptionMessage: s.exceptionMessage,
        };
        this.failing = withFailing(f, refs.failing);
      }
    }
    if (refs.exception !== undefined) {
      const ex = (this.exceptions ??= new Map());
      const k = ex.has(refs.exception) || ex.size < exceptionsKept ? refs.exception : otherExceptions;
      ex.set(k, (ex.get(k) ?? 0) + 1);
    }
  }

  /**
   * Takes back a span counted by add (flags as in spanFlags). Min and max stay exact unless the
   * removed span held one of them; then they fall back to the edge of the outermost non-empty bin
   * (within 1%), an edge no value in that bin reaches, so the same span added back restores them.
   */
  remove(
    traceId: string,
    durationMs: number,
    durationBin: number,
    selfBin: number,
    flags: number,
    exception: string | undefined,
    traceSerial: number,
  ): void {
    if (this.calls === 0) return;
    this.calls--;
    if (flags & spanFlags.error) this.errors--;
    if (flags & spanFlags.fault) this.faults--;
    if (flags & spanFlags.throttle) this.throttles--;
    if (flags) this.failed--;
    if (this.lastRemoved !== traceSerial) {
      this.traces--;
      this.lastRemoved = traceSerial;
    }
    this.durations.remove(durationBin);
    this.selfTimes.remove(selfBin);
    if (this.calls === 0) {
      this.minMs = Infinity;
      this.maxMs = -Infinity;
    } else {
      if (durationMs >= this.maxMs) this.maxMs = lowerEdgeOfBin(this.durations.highest());
      if (durationMs <= this.minMs) this.minMs = upperEdgeOfBin(this.durations.lowest());
    }
    if (this.slowest.some((r) => r.traceId === traceId)) {
      this.slowest = this.slowest.filter((r) => r.traceId !== traceId);
      this.slowFloor = -Infinity;
    }
    if (this.failing.some((r) => r.traceId === traceId)) {
      const kept = this.failing.filter((r) => r.traceId !== traceId);
      this.failing = kept.length ? kept : none;
    }
    if (exception !== undefined && this.exceptions) {
      const k = this.exceptions.has(exception) ? exception : otherExceptions;
      const n = (this.exceptions.get(k) ?? 0) - 1;
      if (n > 0) this.exceptions.set(k, n);
      else this.exceptions.delete(k);
    }
  }

  /** Approximate bytes held (for the memory figure). */
  get bytes(): number {
    return (
      160 +
      this.durations.bytes +
      this.selfTimes.bytes +
      (this.slowest.length + this.failing.length) * 120 +
      (this.exceptions?.size ?? 0) * 80
    );
  }
}

const none: readonly never[] = Object.freeze([]);

/** Inserts into the slowest-first list of at most examplesKept (no-op when it is not among them). */
export function insertSlowest(list: TraceRef[], item: TraceRef): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.durationMs < item.durationMs) i--;
  if (i < examplesKept) place(list, i, item);
}

/** Inserts into the latest-first list of at most examplesKept (no-op when it is not among them). */
export function insertFailing(list: FailingRef[], item: FailingRef): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.time < item.time) i--;
  if (i < examplesKept) place(list, i, item);
}

function place<T>(list: T[], i: number, item: T): void {
  if (list.length < examplesKept) list.push(item);
  for (let j = list.length - 1; j > i; j--) list[j] = list[j - 1]!;
  list[i] = item;
}

/** A new exact-size slowest-first list with the item in its place. */
function withSlowest(list: readonly TraceRef[], item: TraceRef): readonly TraceRef[] {
  let i = list.length;
  while (i > 0 && list[i - 1]!.durationMs < item.durationMs) i--;
  return i < examplesKept ? trimmed(list.toSpliced(i, 0, item)) : list;
}

/** A new exact-size latest-first list with the item in its place. */
function withFailing(list: readonly FailingRef[], item: FailingRef): readonly FailingRef[] {
  let i = list.length;
  while (i > 0 && list[i - 1]!.time < item.time) i--;
  return i < examplesKept ? trimmed(list.toSpliced(i, 0, item)) : list;
}

function trimmed<T>(list: T[]): T[] {
  if (list.length > examplesKept) list.pop();
  return list;
}

/** A span's outcome flags as bits, as contributions store them. */
export const spanFlags = { error: 1, fault: 2, throttle: 4 } as const;

/** The flag bits of a sample. */
export function flagsOf(s: { error: boolean; fault: boolean; throttle: boolean }): number {
  return (s.error ? spanFlags.error : 0) | (s.fault ? spanFlags.fault : 0) | (s.throttle ? spanFlags.throttle : 0);
}
