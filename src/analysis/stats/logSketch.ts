// A DDSketch-style log-bucketed histogram (Masson, Rim & Lee, VLDB 2019): bin i holds the values in
// (γ^(i-1), γ^i] and answers with 2γ^i/(γ+1), which is within α of every value in the bin, so a
// percentile read from merged bins is within α (relative) of the exact nearest-rank value.
// Bins are fixed for all sketches, which makes merging an addition of counts.

/** Relative accuracy of the sketch: every percentile it answers is within 0.5% of the exact one. */
export const sketchAlpha = 0.005;
const gamma = (1 + sketchAlpha) / (1 - sketchAlpha);
const lnGamma = Math.log(gamma);

/** Durations (ms) below this are counted in the zero bin: X-Ray times have microsecond resolution. */
export const sketchMinMs = 1e-3;
/** Durations (ms) above this (11.6 days) share the top bin. */
export const sketchMaxMs = 1e9;

const minIndex = Math.ceil(Math.log(sketchMinMs) / lnGamma);
const maxIndex = Math.ceil(Math.log(sketchMaxMs) / lnGamma);
/** How many bins there are, the zero bin included (2,765 for α = 0.005). */
export const binCount = maxIndex - minIndex + 2;

/** The bin of a duration in ms: 0 for the zero bin, else 1 … binCount-1. */
export function binOf(ms: number): number {
  if (!(ms >= sketchMinMs)) return 0;
  const bin = Math.ceil(Math.log(ms) / lnGamma) - minIndex + 1;
  return bin < binCount ? bin : binCount - 1;
}

/** The value a bin answers with (0 for the zero bin). */
export function valueOfBin(bin: number): number {
  return bin === 0 ? 0 : (2 * Math.exp((bin + minIndex - 1) * lnGamma)) / (gamma + 1);
}

/** The bin's lower bound (exclusive): every value in the bin is above it. */
export function lowerEdgeOfBin(bin: number): number {
  return bin <= 1 ? (bin === 1 ? Math.exp((minIndex - 1) * lnGamma) : 0) : Math.exp((bin + minIndex - 2) * lnGamma);
}

/** The bin's upper bound (inclusive). */
export function upperEdgeOfBin(bin: number): number {
  return bin === 0 ? sketchMinMs : Math.exp((bin + minIndex - 1) * lnGamma);
}

/**
 * Up to this many values are kept in a plain array: a typed array costs ~200 bytes before its first
 * element, and V8 gives an empty array room for 16 on its first push.
 */
const smallLimit = 16;

/**
 * Counts per bin, in whichever form is smaller: a few values as a plain array of their bins; more,
 * while there are fewer of them than bins between the lowest and highest seen, as a 16-bit list of
 * bins; past that, dense counts over that range (16-bit until a bin overflows). Most buckets of most
 * operations hold a few or tens of values spread over hundreds of bins, and memory is the budget.
 */
export class BinCounts {
  private small: number[] | undefined = [];
  private list: Uint16Array | undefined;
  private listed = 0;
  private listLo = binCount;
  private listHi = -1;
  private offset = 0;
  private counts: Uint16Array | Uint32Array | undefined;

  /** Counts one value in the bin. */
  add(bin: number): void {
    if (bin < this.listLo) this.listLo = bin;
    if (bin > this.listHi) this.listHi = bin;
    if (this.small) {
      if (this.small.length < smallLimit) {
        this.small.push(bin);
        return;
      }
      this.list = new Uint16Array(smallLimit * 2);
      this.list.set(this.small);
      this.listed = this.small.length;
      this.small = undefined;
    }
    if (this.list) {
      if (this.listed === this.list.length) {
        // Dense once it is the smaller: as many values as bins between the extremes.
        if (this.listed >= this.listHi - this.listLo + 1) this.toDense();
        else {
          const grown = new Uint16Array(this.list.length * 2);
          grown.set(this.list);
          this.list = grown;
        }
      }
      if (this.list) {
        this.list[this.listed++] = bin;
        return;
      }
    }
    let counts = this.counts!;
    let i = bin - this.offset;
    if (i < 0 || i >= counts.length) {
      i = this.grow(bin);
      counts = this.counts!;
    }
    if (counts[i] === 0xffff && counts instanceof Uint16Array) this.counts = counts = Uint32Array.from(counts);
    counts[i]!++;
  }

  /** Uncounts one value in the bin; false when the bin was empty. */
  remove(bin: number): boolean {
    if (this.small) {
      const at = this.small.indexOf(bin);
      if (at < 0) return false;
      this.small[at] = this.small[this.small.length - 1]!;
      this.small.pop();
      return true;
    }
    if (this.list) {
      const at = this.list.subarray(0, this.listed).indexOf(bin);
      if (at < 0) return false;
      this.list[at] = this.list[--this.listed]!;
      return true;
    }
    const counts = this.counts!;
    const i = bin - this.offset;
    if (i < 0 || i >= counts.length || counts[i] === 0) return false;
    counts[i]!--;
    return true;
  }

  /** The highest non-empty bin, or -1. */
  highest(): number {
    if (this.small) return this.small.length ? Math.max(...this.small) : -1;
    if (this.list) {
      let h = -1;
      for (let i = 0; i < this.listed; i++) if (this.list[i]! > h) h = this.list[i]!;
      return h;
    }
    const c = this.counts!;
    for (let i = c.length - 1; i >= 0; i--) if (c[i]) return this.offset + i;
    return -1;
  }

  /** The lowest non-empty bin, or -1. */
  lowest(): number {
    if (this.small) return this.small.length ? Math.min(...this.small) : -1;
    if (this.list) {
      let l = binCount;
      for (let i = 0; i < this.listed; i++) if (this.list[i]! < l) l = this.list[i]!;
      return l === binCount ? -1 : l;
    }
    const c = this.counts!;
    for (let i = 0; i < c.length; i++) if (c[i]) return this.offset + i;
    return -1;
  }

  /** Adds every count into a dense array indexed by bin (within [first, last]). */
  addInto(target: Float64Array): void {
    if (this.small) {
      for (const b of this.small) target[b]!++;
      return;
    }
    if (this.list) {
      const list = this.list;
      for (let i = 0; i < this.listed; i++) target[list[i]!]!++;
      return;
    }
    const c = this.counts!;
    const o = this.offset;
    for (let i = 0; i < c.length; i++) if (c[i]) target[o + i]! += c[i]!;
  }

  /** No count lies below this bin (binCount when empty). */
  get first(): number {
    return this.counts ? this.offset : this.listLo;
  }

  /** No count lies above this bin (-1 when empty). */
  get last(): number {
    return this.counts ? this.offset + this.counts.length - 1 : this.listHi;
  }

  /** Bytes held by the counts (with an estimate of the typed array's own overhead). */
  get bytes(): number {
    return this.small ? 16 + this.small.length * 4 : (this.list ?? this.counts!).byteLength + 200;
  }

  private toDense(): void {
    const list = this.list!;
    this.offset = this.listLo;
    this.counts = new Uint16Array(this.listHi - this.listLo + 1);
    for (let i = 0; i < this.listed; i++) this.counts[list[i]! - this.offset]!++;
    this.list = undefined;
    this.listed = 0;
  }

  private grow(bin: number): number {
    const old = this.counts!;
    // Half as much again on the side that grew: a drifting distribution copies O(log) times.
    const room = Math.max(16, old.length >> 1);
    const lo = Math.max(0, Math.min(this.offset, bin - (bin < this.offset ? room : 0)));
    const hi = Math.min(
      binCount - 1,
      Math.max(this.offset + old.length - 1, bin + (bin >= this.offset + old.length ? room : 0)),
    );
    const next = old instanceof Uint32Array ? new Uint32Array(hi - lo + 1) : new Uint16Array(hi - lo + 1);
    next.set(old, this.offset - lo);
    this.counts = next;
    this.offset = lo;
    return bin - lo;
  }
}
