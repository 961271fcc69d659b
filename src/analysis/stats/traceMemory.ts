// Which traces were already counted, so that a trace added again (re-fetched, or grown by later
// documents) replaces its earlier contribution instead of counting twice. Bounded: what the latest
// traces contributed is kept in a ring of span records; older traces are remembered only by a
// 52-bit fingerprint of their id, and adding one of those again is refused rather than counted twice.

/** Fields per counted span: operation id, minute, duration ms, self ms, flag bits, recent-sample serial. */
export const contributionFields = 6;

/** What one trace added: spans [from, from + count) of the ring. */
export interface Contribution {
  readonly serial: number;
  readonly traceId: string;
  readonly from: number;
  readonly count: number;
  /** Per span index, the key of the exception counted, for the spans that had one. */
  readonly exceptions?: Map<number, string>;
}

/** A 52-bit hash of a string (two 32-bit FNV-1a variants): exact in a double, collisions negligible at 10^5 ids. */
export function fingerprint(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 2 ** 20 + ((b >>> 0) >>> 12);
}

/** Remembered contributions in arrival order, and fingerprints of the forgotten traces. */
export class TraceMemory {
  private readonly ring: Float64Array;
  private readonly capacity: number;
  /** Absolute index of the next span record (the ring slot is this modulo capacity). */
  private write = 0;
  private start = 0;
  private readonly kept = new Map<string, Contribution>();
  private keptSpans = 0;
  // Arrival order, oldest at head; a contribution replaced since is skipped when it comes up.
  private queue: Contribution[] = [];
  private head = 0;
  // Two generations of fingerprints: the older is dropped whole when the newer fills up.
  private forgotten = new Set<number>();
  private forgottenBefore = new Set<number>();

  constructor(
    private readonly maxTraces: number,
    maxSpans: number,
    private readonly maxForgotten: number,
  ) {
    this.capacity = Math.max(1, maxSpans);
    this.ring = new Float64Array(this.capacity * contributionFields);
  }

  /** The contribution of a trace still remembered. */
  get(traceId: string): Contribution | undefined {
    return this.kept.get(traceId);
  }

  /** True when the trace was counted but its contribution is no longer kept. */
  isForgotten(traceId: string): boolean {
    if (this.forgotten.size === 0 && this.forgottenBefore.size === 0) return false;
    const f = fingerprint(traceId);
    return this.forgotten.has(f) || this.forgottenBefore.has(f);
  }

  /** Starts recording a trace's spans. */
  begin(): void {
    this.start = this.write;
  }

  /** Records one span of the trace being recorded; returns its index within the trace. */
  record(op: number, minute: number, ms: number, selfMs: number, flags: number, recent: number): number {
    const w = this.write++;
    // The slot about to be overwritten may hold the start of the oldest kept contribution.
    while (this.head < this.queue.length && this.queue[this.head]!.from <= w - this.capacity) this.evictHead();
    const at = (w % this.capacity) * contributionFields;
    const r = this.ring;
    r[at] = op;
    r[at + 1] = minute;
    r[at + 2] = ms;
    r[at + 3] = selfMs;
    r[at + 4] = flags;
    r[at + 5] = recent;
    return w - this.start;
  }

  /** Ends the recording: the trace is remembered (or, larger than the ring, forgotten at once). */
  end(traceId: string, serial: number, exceptions: Map<number, string> | undefined): void {
    const count = this.write - this.start;
    const old = this.kept.get(traceId);
    if (old) {
      this.kept.delete(traceId);
      this.keptSpans -= old.count;
    }
    if (count > this.capacity) {
      this.forget(traceId);
      return;
    }
    const c: Contribution = exceptions
      ? { serial, traceId, from: this.start, count, exceptions }
      : { serial, traceId, from: this.start, count };
    this.kept.set(traceId, c);
    this.keptSpans += count;
    this.queue.push(c);
    while (this.kept.size > this.maxTraces) this.evictHead();
    // Compact the queue once its consumed head outweighs the rest.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Field f of span i of a kept contribution. */
  field(c: Contribution, i: number, f: number): number {
    return this.ring[((c.from + i) % this.capacity) * contributionFields + f]!;
  }

  /** How many traces are kept with their contribution, and how many only by fingerprint. */
  get counts(): { kept: number; keptSpans: number; forgotten: number; bytes: number } {
    const forgotten = this.forgotten.size + this.forgottenBefore.size;
    return {
      kept: this.kept.size,
      keptSpans: this.keptSpans,
      forgotten,
      bytes: this.ring.byteLength + this.kept.size * 120 + forgotten * 40,
    };
  }

  private evictHead(): void {
    const oldest = this.queue[this.head++]!;
    if (this.kept.get(oldest.traceId) !== oldest) return;
    this.kept.delete(oldest.traceId);
    this.keptSpans -= oldest.count;
    this.forget(oldest.traceId);
  }

  private forget(traceId: string): void {
    if (this.maxForgotten <= 0) return;
    if (this.forgotten.size >= Math.ceil(this.maxForgotten / 2)) {
      this.forgottenBefore = this.forgotten;
      this.forgotten = new Set();
    }
    this.forgotten.add(fingerprint(traceId));
  }
}
