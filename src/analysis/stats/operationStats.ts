// Per-operation statistics over sliding windows, fed trace by trace as they arrive. Each completed
// span lands in three rings of time buckets (1 min, 15 min, 2 h) holding sketches and counts, and in
// its operation's ring of recent raw samples; a query merges the buckets of the window and, when
// every sample of the window is still held raw, answers exactly. Definitions and bounds: README.md.
import type { Trace } from '../../model/trace';
import { Bucket, exceptionKey, flagsOf, type ExampleRefs } from './bucket';
import { binOf } from './logSketch';
import { RecentSamples } from './recentSamples';
import { regressionOf } from './regression';
import { inSlices, type SliceReport } from './slices';
import { forEachSample, type SampleSource } from './spanSamples';
import type { Comparison, OperationSummary } from './summary';
import { TraceMemory, type Contribution } from './traceMemory';
import { WindowAggregate, type MergedBuckets } from './windowAggregate';
import {
  minutesPerBucket,
  placeWindow,
  retentionMinutes,
  tiers,
  type PlacedWindow,
  type TimeWindow,
  type WindowName,
} from './windows';

/** Windows of at most this many samples are answered exactly (nearest rank over the raw durations). */
export const defaultExactLimit = 2000;
/** Below this many calls a summary is flagged `fewSamples` and no regression verdict is given. */
export const defaultMinSamples = 30;
/** Spans starting further than this ahead of the clock are refused: one bad clock must not age out everything. */
const futureMinutes = 24 * 60;

/** Tuning; the defaults suit the extension host. */
export interface OperationStatsOptions {
  /** See defaultExactLimit; also the size of each operation's ring of raw samples. */
  readonly exactLimit?: number;
  /** Traces whose contribution is kept so that adding them again replaces it (default 10,000)… */
  readonly rememberTraces?: number;
  /** …holding at most this many spans in all (default 100,000). */
  readonly rememberSpans?: number;
  /** Ids of older traces, kept as fingerprints so that adding them again is refused (default 100,000). */
  readonly rememberIds?: number;
  /** Operations tracked at once (default 5,000); spans of further ones are dropped and counted. */
  readonly maxOperations?: number;
  /** The clock, epoch seconds: windows end now by default. */
  readonly now?: () => number;
}

/** Narrows and tunes a query. */
export interface QueryOptions {
  /** The end of a named window, epoch seconds (default now); a TimeWindow brings its own. */
  readonly end?: number;
  /** The few-samples minimum (default 30). */
  readonly minSamples?: number;
  /** Only this service. */
  readonly service?: string;
  /** Only operations with this X-Ray name or OTel span name. */
  readonly name?: string;
}

/** An operation: the service (segment name) and the span's names. */
export interface OperationKey {
  readonly service: string;
  readonly name: string;
  readonly otelName?: string;
}

/** How a chunked add went: the longest slice is the longest time the caller's thread was held. */
export interface ChunkedAdd extends SliceReport {
  readonly traces: number;
}

/** What the statistics hold, for diagnostics and the memory figure. */
export interface StatsFootprint {
  readonly operations: number;
  readonly buckets: number;
  /** Estimated bytes of buckets, raw-sample rings and remembered traces. */
  readonly bytes: number;
  readonly rememberedTraces: number;
  readonly rememberedSpans: number;
  readonly forgottenTraceIds: number;
  /** Spans not counted: too old, too far in the future, or past the operation cap. */
  readonly droppedSpans: number;
  /** Forgotten traces added again, refused so as not to count them twice. */
  readonly refusedTraces: number;
}

/** Merges of a window's older buckets kept per operation (current and previous window of one or two settings). */
const mergesKept = 4;

class Operation {
  readonly rings: (Bucket | undefined)[][] = tiers.map((t) => new Array<Bucket | undefined>(t.slots));
  readonly recent: RecentSamples;
  /** Per tier, the stamp of the last change to a bucket older than the newest: it voids kept merges. */
  readonly late: number[] = tiers.map(() => 0);
  /** Kept merges of older buckets, by tier and range, with the stamp they were made at. */
  readonly merged = new Map<string, { stamp: number; merge: MergedBuckets }>();

  constructor(
    readonly id: number,
    readonly service: string,
    readonly name: string,
    readonly otelName: string | undefined,
    exactLimit: number,
  ) {
    this.recent = new RecentSamples(exactLimit);
  }

  /** The bucket at index in a tier's ring; created when asked and not older than the ring holds. */
  bucket(tier: number, index: number, newestIndex?: number): Bucket | undefined {
    const ring = this.rings[tier]!;
    const slot = index % ring.length;
    const b = ring[slot];
    if (b?.index === index) return b;
    if (newestIndex === undefined || index <= newestIndex - ring.length || (b && b.index > index)) return undefined;
    return (ring[slot] = new Bucket(index));
  }
}

/** Statistics per operation (service, name): feed traces with add, read windows with query and compare. */
export class OperationStats {
  private readonly ops = new Map<number, Operation>();
  private readonly byService = new Map<string, Map<string, Operation>>();
  private readonly memory: TraceMemory;
  private readonly aggregate = new WindowAggregate();
  private readonly exactLimit: number;
  private readonly maxOperations: number;
  private readonly now: () => number;
  private readonly exactDurations: Float64Array;
  private readonly exactSelfTimes: Float64Array;
  private readonly windowBuckets: Bucket[] = [];
  private newestMinute = -Infinity;
  private stamp = 0;
  private prunedAt = -Infinity;
  private nextOpId = 0;
  private serial = 0;
  private droppedSpans = 0;
  private refusedTraces = 0;

  constructor(options: OperationStatsOptions = {}) {
    this.exactLimit = Math.max(0, options.exactLimit ?? defaultExactLimit);
    this.maxOperations = options.maxOperations ?? 5000;
    this.now = options.now ?? (() => Date.now() / 1000);
    this.memory = new TraceMemory(
      options.rememberTraces ?? 10_000,
      options.rememberSpans ?? 100_000,
      options.rememberIds ?? 100_000,
    );
    this.exactDurations = new Float64Array(this.exactLimit);
    this.exactSelfTimes = new Float64Array(this.exactLimit);
  }

  /**
   * Counts the trace's completed spans. Adding a trace again (same id) replaces what it counted
   * before, so an updated trace is counted once, with its latest documents.
   */
  add(trace: Trace, samples: SampleSource = forEachSample): void {
    const earlier = this.memory.get(trace.id);
    if (earlier) this.retract(earlier);
    else if (this.memory.isForgotten(trace.id)) {
      this.refusedTraces++;
      return;
    }
    const serial = ++this.serial;
    const nowMinute = Math.floor(this.now() / 60);
    const memory = this.memory;
    let exceptions: Map<number, string> | undefined;
    const refs: ExampleRefs = { slow: undefined, failing: undefined, exception: undefined };
    memory.begin();
    samples(trace, (s) => {
      const minute = Math.floor(s.start / 60);
      if (minute > nowMinute + futureMinutes || minute <= this.newestMinute - retentionMinutes) {
        this.droppedSpans++;
        return;
      }
      if (minute > this.newestMinute) this.advance(minute);
      const op = this.operation(s.service, s.name, s.otelName);
      if (!op) {
        this.droppedSpans++;
        return;
      }
      const durationBin = binOf(s.durationMs);
      const selfBin = binOf(s.selfMs);
      refs.slow = refs.failing = undefined;
      refs.exception = exceptionKey(s.exceptionType, s.exceptionMessage);
      for (let t = 0; t < tiers.length; t++) {
        const per = minutesPerBucket(t);
        const index = Math.floor(minute / per);
        const newest = Math.floor(this.newestMinute / per);
        const b = op.bucket(t, index, newest);
        if (!b) continue;
        b.add(s, durationBin, selfBin, serial, refs);
        if (index < newest) op.late[t] = ++this.stamp;
      }
      const recent = op.recent.push(minute, s.durationMs, s.selfMs);
      const i = memory.record(op.id, minute, s.durationMs, s.selfMs, flagsOf(s), recent);
      if (refs.exception !== undefined) (exceptions ??= new Map()).set(i, refs.exception);
    });
    memory.end(trace.id, serial, exceptions);
  }

  /** Adds traces in one synchronous call (see addChunked to keep a thread responsive). */
  addMany(traces: Iterable<Trace>): void {
    for (const t of traces) this.add(t);
  }

  /** Adds traces in slices of about sliceMs (default 10), yielding to the event loop in between. */
  async addChunked(
    traces: Iterable<Trace>,
    options: { sliceMs?: number; signal?: AbortSignal } = {},
  ): Promise<ChunkedAdd> {
    const it = traces[Symbol.iterator]();
    let count = 0;
    const step = (): boolean => {
      const next = it.next();
      if (next.done) return false;
      this.add(next.value);
      count++;
      return true;
    };
    // The clock is read every 8 traces: cheap, and a slice overshoots by at most 8 traces.
    const report = await inSlices(step, options.sliceMs ?? 10, 8, options.signal);
    return { traces: count, ...report };
  }

  /** Every operation with data, sorted by service then name. */
  operations(): OperationKey[] {
    return [...this.ops.values()].map(keyOf).sort(byKey);
  }

  /** One summary per operation with calls in the window, sorted by service then name. */
  query(window: WindowName | TimeWindow, options: QueryOptions = {}): OperationSummary[] {
    const placed = this.place(window, options);
    const out: OperationSummary[] = [];
    for (const op of this.matching(options.service, options.name)) {
      const s = this.summarize([op], placed, placed.startBucket, options, keyOf(op));
      if (s.calls) out.push(s);
    }
    return out.sort(byKey);
  }

  /**
   * The figures of one operation, looked up by X-Ray name or OTel span name (service undefined:
   * any service). Several matching operations (the routes of one OTel service) are merged.
   * Undefined when nothing was counted in the window.
   */
  summary(
    service: string | undefined,
    name: string,
    window: WindowName | TimeWindow,
    options: QueryOptions = {},
  ): OperationSummary | undefined {
    const ops = this.matching(service, name);
    if (!ops.length) return undefined;
    const placed = this.place(window, options);
    const s = this.summarize(ops, placed, placed.startBucket, options, headOf(ops, service, name));
    return s.calls ? s : undefined;
  }

  /** An operation in the window and in the previous window of the same length, with the regression verdict. */
  compare(
    service: string | undefined,
    name: string,
    window: WindowName | TimeWindow,
    options: QueryOptions = {},
  ): Comparison | undefined {
    const ops = this.matching(service, name);
    return ops.length
      ? this.compareOps(ops, this.place(window, options), options, headOf(ops, service, name))
      : undefined;
  }

  /** compare for every operation with calls in either window, sorted by service then name. */
  compareAll(window: WindowName | TimeWindow, options: QueryOptions = {}): Comparison[] {
    const placed = this.place(window, options);
    const out: Comparison[] = [];
    for (const op of this.matching(options.service, options.name)) {
      const c = this.compareOps([op], placed, options, keyOf(op));
      if (c) out.push(c);
    }
    return out.sort((a, b) => byKey(a.current, b.current));
  }

  /**
   * compareAll in slices of about sliceMs (default 10), yielding to the event loop in between: for
   * many operations on a thread that must stay responsive. Each operation is read as of its slice.
   */
  async compareAllChunked(
    window: WindowName | TimeWindow,
    options: QueryOptions & { sliceMs?: number; signal?: AbortSignal } = {},
  ): Promise<SliceReport & { comparisons: Comparison[] }> {
    const placed = this.place(window, options);
    const ops = this.matching(options.service, options.name);
    const comparisons: Comparison[] = [];
    let i = 0;
    const step = (): boolean => {
      if (i >= ops.length) return false;
      const op = ops[i++]!;
      // An operation dropped meanwhile (aged out) has nothing left to say.
      if (this.ops.get(op.id) === op) {
        const c = this.compareOps([op], placed, options, keyOf(op));
        if (c) comparisons.push(c);
      }
      return i < ops.length;
    };
    const report = await inSlices(step, options.sliceMs ?? 10, 1, options.signal);
    return { ...report, comparisons: comparisons.sort((a, b) => byKey(a.current, b.current)) };
  }

  /** Sizes and counters (the memory figure of the benchmark). */
  footprint(): StatsFootprint {
    let buckets = 0;
    let bytes = 0;
    for (const op of this.ops.values()) {
      bytes += 200 + op.recent.bytes;
      for (const { merge } of op.merged.values())
        bytes += 300 + merge.durations.byteLength * 2 + merge.exceptions.length * 60;
      for (const ring of op.rings) {
        bytes += ring.length * 8;
        for (const b of ring) {
          if (!b) continue;
          buckets++;
          bytes += b.bytes;
        }
      }
    }
    const m = this.memory.counts;
    bytes += m.bytes;
    return {
      operations: this.ops.size,
      buckets,
      bytes,
      rememberedTraces: m.kept,
      rememberedSpans: m.keptSpans,
      forgottenTraceIds: m.forgotten,
      droppedSpans: this.droppedSpans,
      refusedTraces: this.refusedTraces,
    };
  }

  private place(window: WindowName | TimeWindow, options: QueryOptions): PlacedWindow {
    return placeWindow(window, options.end ?? this.now(), this.newestMinute);
  }

  private compareOps(
    ops: Operation[],
    placed: PlacedWindow,
    options: QueryOptions,
    head: OpHead,
  ): Comparison | undefined {
    const current = this.summarize(ops, placed, placed.startBucket, options, head);
    const previous = this.summarize(ops, placed, placed.startBucket - placed.count, options, head);
    if (!current.calls && !previous.calls) return undefined;
    const regression = regressionOf(current, previous, options.minSamples ?? defaultMinSamples);
    return regression ? { current, previous, regression } : { current, previous };
  }

  private summarize(
    ops: Operation[],
    placed: PlacedWindow,
    startBucket: number,
    options: QueryOptions,
    head: OpHead,
  ): OperationSummary {
    const { tier, count, bucketSeconds } = placed;
    const agg = this.aggregate;
    const end = startBucket + count;
    const per = minutesPerBucket(tier);
    // One operation over several buckets, all but the last older than the newest: the older ones
    // change only with late spans, so their merge is kept and a refresh merges one bucket.
    const op = ops.length === 1 && count > 1 && Math.floor(this.newestMinute / per) >= end - 1 ? ops[0]! : undefined;
    const key = `${tier}:${startBucket}:${count}`;
    let kept = op?.merged.get(key);
    if (op && (!kept || kept.stamp < op.late[tier]!)) kept = this.keepMerge(op, tier, startBucket, end - 1, key, false);
    const from = kept ? end - 1 : startBucket;
    const buckets = this.windowBuckets;
    buckets.length = 0;
    let n = kept?.merge.calls ?? 0;
    for (const o of ops) {
      for (let i = from; i < end; i++) {
        const b = o.bucket(tier, i);
        if (b?.calls) {
          buckets.push(b);
          n += b.calls;
        }
      }
    }
    // Exact when every sample of the window is still in the raw rings; then the sketches are not read.
    let exact: { durations: Float64Array; selfTimes: Float64Array } | undefined;
    if (n > 0 && n <= this.exactLimit) {
      let got = 0;
      for (const o of ops) {
        const k = o.recent.collect(
          startBucket * per,
          end * per,
          this.exactDurations,
          this.exactSelfTimes,
          got,
          this.exactLimit - got,
        );
        if (k < 0) {
          got = -1;
          break;
        }
        got += k;
      }
      if (got === n)
        exact = {
          durations: this.exactDurations.subarray(0, n).sort(),
          selfTimes: this.exactSelfTimes.subarray(0, n).sort(),
        };
    }
    if (op && kept && !exact && !kept.merge.withSketches)
      kept = this.keepMerge(op, tier, startBucket, end - 1, key, true);
    if (kept) agg.addMerged(kept.merge, !exact);
    for (const b of buckets) agg.add(b, !exact);
    const window = { start: startBucket * bucketSeconds, end: end * bucketSeconds, bucketSeconds };
    return agg.summarize({ ...head, window }, options.minSamples ?? defaultMinSamples, exact);
  }

  /**
   * Merges buckets [from, to) of a tier and keeps the merge, with its sketches when asked or when it
   * already holds more samples than an exact answer can (it will be answered from sketches).
   */
  private keepMerge(
    op: Operation,
    tier: number,
    from: number,
    to: number,
    key: string,
    withSketches: boolean,
  ): { stamp: number; merge: MergedBuckets } {
    const agg = this.aggregate;
    for (let i = from; i < to; i++) {
      const b = op.bucket(tier, i);
      if (b) agg.add(b, false);
    }
    const sketched = withSketches || agg.calls > this.exactLimit;
    if (sketched) {
      for (let i = from; i < to; i++) {
        const b = op.bucket(tier, i);
        if (b?.calls) agg.addSketches(b);
      }
    }
    const kept = { stamp: this.stamp, merge: agg.snapshot(sketched) };
    agg.reset();
    op.merged.delete(key);
    if (op.merged.size >= mergesKept) op.merged.delete(op.merged.keys().next().value!);
    op.merged.set(key, kept);
    return kept;
  }

  private matching(service: string | undefined, name: string | undefined): Operation[] {
    const out: Operation[] = [];
    const services =
      service === undefined ? this.byService.values() : [this.byService.get(service) ?? new Map<string, Operation>()];
    for (const names of services) {
      for (const op of names.values()) if (name === undefined || op.name === name || op.otelName === name) out.push(op);
    }
    return out;
  }

  private operation(service: string, name: string, otelName: string | undefined): Operation | undefined {
    let names = this.byService.get(service);
    const key = otelName === undefined ? name : `${name}\u0000${otelName}`;
    let op = names?.get(key);
    if (!op) {
      if (this.ops.size >= this.maxOperations) return undefined;
      if (!names) this.byService.set(service, (names = new Map()));
      op = new Operation(this.nextOpId++, service, name, otelName, this.exactLimit);
      names.set(key, op);
      this.ops.set(op.id, op);
    }
    return op;
  }

  private retract(c: Contribution): void {
    const m = this.memory;
    for (let i = 0; i < c.count; i++) {
      const op = this.ops.get(m.field(c, i, 0));
      if (!op) continue;
      const minute = m.field(c, i, 1);
      const ms = m.field(c, i, 2);
      const durationBin = binOf(ms);
      const selfBin = binOf(m.field(c, i, 3));
      const flags = m.field(c, i, 4);
      const exception = c.exceptions?.get(i);
      for (let t = 0; t < tiers.length; t++) {
        const per = minutesPerBucket(t);
        const index = Math.floor(minute / per);
        const b = op.bucket(t, index);
        if (!b) continue;
        b.remove(c.traceId, ms, durationBin, selfBin, flags, exception, c.serial);
        if (index < Math.floor(this.newestMinute / per)) op.late[t] = ++this.stamp;
      }
      op.recent.remove(m.field(c, i, 5));
    }
  }

  /** Moves the newest minute on; every 2 hours of data, drops buckets past every ring and operations left empty. */
  private advance(minute: number): void {
    this.newestMinute = minute;
    const coarsest = tiers.length - 1;
    const at = Math.floor(minute / minutesPerBucket(coarsest));
    if (at === this.prunedAt) return;
    this.prunedAt = at;
    for (const op of this.ops.values()) {
      let live = 0;
      op.rings.forEach((ring, t) => {
        const oldest = Math.floor(minute / minutesPerBucket(t)) - ring.length;
        for (let i = 0; i < ring.length; i++) {
          const b = ring[i];
          if (!b) continue;
          if (b.index <= oldest) ring[i] = undefined;
          else live++;
        }
      });
      if (live === 0) {
        this.ops.delete(op.id);
        const names = this.byService.get(op.service)!;
        names.delete(op.otelName === undefined ? op.name : `${op.name}\u0000${op.otelName}`);
        if (!names.size) this.byService.delete(op.service);
      }
    }
  }
}

interface OpHead {
  readonly service: string;
  readonly name: string;
  readonly otelName?: string;
}

function keyOf(op: Operation): OpHead {
  return op.otelName === undefined
    ? { service: op.service, name: op.name }
    : { service: op.service, name: op.name, otelName: op.otelName };
}

function headOf(ops: Operation[], service: string | undefined, name: string): OpHead {
  if (ops.length === 1) return keyOf(ops[0]!);
  return { service: service ?? [...new Set(ops.map((o) => o.service))].sort().join(', '), name };
}

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byKey(a: OpHead, b: OpHead): number {
  return order(a.service, b.service) || order(a.name, b.name) || order(a.otelName ?? '', b.otelName ?? '');
}
