// How hard to push X-Ray right now: the concurrency shrinks by half when X-Ray throttles and grows
// back one step per limit's worth of successes (AIMD), and the UI is told when the source is
// "throttled, slowing down" and when it is back to normal.

/** What the UI shows about throttling. */
export interface ThrottleState {
  /** True from a throttle until calmMs pass without one. */
  readonly throttled: boolean;
  /** Calls allowed at once now. */
  readonly concurrency: number;
  /** Throttled attempts seen so far. */
  readonly throttles: number;
}

/** The adaptive concurrency limit of one source, shared by its concurrent operations. */
export class Pace {
  private limit: number;
  private okInRow = 0;
  private lastThrottle = 0;
  private throttledNow = false;
  private count = 0;
  private readonly listeners = new Set<(s: ThrottleState) => void>();

  constructor(
    readonly max: number,
    private readonly calmMs = 10_000,
  ) {
    this.limit = Math.max(1, max);
  }

  /** Calls allowed at once now. */
  get concurrency(): number {
    return this.limit;
  }

  /** The state now. */
  get state(): ThrottleState {
    return { throttled: this.throttledNow, concurrency: this.limit, throttles: this.count };
  }

  /** Tells listener of every change of state; returns the function that stops it. */
  onChange(listener: (s: ThrottleState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const s = this.state;
    for (const l of this.listeners) l(s);
  }

  /** X-Ray throttled an attempt: halve the concurrency. */
  throttled(): void {
    this.count++;
    this.lastThrottle = Date.now();
    this.okInRow = 0;
    const before = this.limit;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    if (!this.throttledNow || before !== this.limit) {
      this.throttledNow = true;
      this.emit();
    }
  }

  /** A call succeeded: grow back towards max, and leave the throttled state once calm. */
  ok(): void {
    let changed = false;
    if (this.limit < this.max && ++this.okInRow >= this.limit) {
      this.limit++;
      this.okInRow = 0;
      changed = true;
    }
    if (this.throttledNow && Date.now() - this.lastThrottle >= this.calmMs) {
      this.throttledNow = false;
      changed = true;
    }
    if (changed) this.emit();
  }
}
