// The last few thousand samples of one operation, as they arrived: what makes a small window exact.
// Per-minute buckets keep only sketches (bounded memory whatever the traffic); a window whose every
// sample is still in this ring is answered from the raw durations instead.

/**
 * A ring of (minute, duration, self time) that grows up to its limit and then overwrites the
 * oldest arrival. Every push gets a serial number, so a retracted trace can remove its own entries.
 */
export class RecentSamples {
  private cap = 0;
  private serials = new Float64Array(0);
  private minutes = new Int32Array(0);
  private durations = new Float64Array(0);
  private selfTimes = new Float64Array(0);
  private next = 0;

  constructor(private readonly limit: number) {}

  /** Appends a sample; returns its serial number (to remove it later). */
  push(minute: number, ms: number, selfMs: number): number {
    if (this.limit <= 0) return -1;
    if (this.next >= this.cap && this.cap < this.limit) this.grow(Math.min(this.limit, Math.max(16, this.cap * 2)));
    const serial = this.next++;
    const at = serial % this.cap;
    this.serials[at] = serial;
    this.minutes[at] = minute;
    this.durations[at] = ms;
    this.selfTimes[at] = selfMs;
    return serial;
  }

  /** Removes a sample by serial number, if it is still held. */
  remove(serial: number): void {
    if (serial < 0 || this.cap === 0) return;
    const at = serial % this.cap;
    if (this.serials[at] === serial) this.serials[at] = -1;
  }

  /**
   * Copies the durations and self times of the samples whose minute is in [from, to) into the
   * targets (from index 0) and returns how many there were; stops and returns -1 past max.
   */
  collect(from: number, to: number, ms: Float64Array, selfMs: Float64Array, offset: number, max: number): number {
    let n = 0;
    const lowest = this.next - this.cap;
    for (let i = 0; i < this.cap; i++) {
      const serial = this.serials[i]!;
      if (serial < 0 || serial < lowest) continue;
      const m = this.minutes[i]!;
      if (m < from || m >= to) continue;
      if (n >= max) return -1;
      ms[offset + n] = this.durations[i]!;
      selfMs[offset + n] = this.selfTimes[i]!;
      n++;
    }
    return n;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.cap * 28;
  }

  private grow(cap: number): void {
    const serials = new Float64Array(cap).fill(-1);
    const minutes = new Int32Array(cap);
    const durations = new Float64Array(cap);
    const selfTimes = new Float64Array(cap);
    // Re-seat every live entry at serial % cap: the live serials are consecutive, so none collide.
    for (let i = 0; i < this.cap; i++) {
      const serial = this.serials[i]!;
      if (serial < 0) continue;
      const at = serial % cap;
      serials[at] = serial;
      minutes[at] = this.minutes[i]!;
      durations[at] = this.durations[i]!;
      selfTimes[at] = this.selfTimes[i]!;
    }
    this.serials = serials;
    this.minutes = minutes;
    this.durations = durations;
    this.selfTimes = selfTimes;
    this.cap = cap;
  }
}
