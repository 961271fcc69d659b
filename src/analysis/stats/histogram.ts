// Histogram edges for a hover: log-spaced on round numbers (1, 1.5, 2, 3, 5, 7 per decade), coarser
// when the range is wide, so a latency distribution reads at a glance and the labels stay short.
import type { Histogram } from './summary';

const ladders = [[1, 1.5, 2, 3, 5, 7], [1, 2, 5], [1, 3], [1]];

/** At most this many bars. */
export const maxBars = 24;

/** Round-number edges covering [min, max]: the first ≤ min, the last > max; 0 leads when min is under 1 µs. */
export function histogramEdges(min: number, max: number): number[] {
  if (!(max >= min) || !Number.isFinite(max)) return [];
  const floor = 1e-3;
  const lo = Math.max(min, floor);
  const hi = Math.max(max, floor);
  for (const ladder of ladders) {
    const edges = min < floor ? [0] : [];
    let below = 0;
    // From the decade under lo, so that some rung is ≤ lo; then up to the first rung past hi.
    for (let decade = Math.floor(Math.log10(lo)) - 1; edges.length === 0 || edges[edges.length - 1]! <= hi; decade++) {
      for (const r of ladder) {
        // Dividing by an exact power of ten rounds correctly: 1.5 / 1000 is 0.0015, where 1.5 × 10^-3 is not.
        const v = decade >= 0 ? r * 10 ** decade : r / 10 ** -decade;
        if (v <= lo) below = v;
        else {
          if (edges.length === 0 || (edges.length === 1 && edges[0] === 0)) edges.push(below);
          edges.push(v);
          if (v > hi) break;
        }
      }
    }
    if (edges.length - 1 <= maxBars) return edges;
  }
  return [min < floor ? 0 : lo, hi * 1.0001];
}

/** Counts ascending (value, count) pairs into bars; values outside the edges go to the end bars. */
export function fillHistogram(
  edges: number[],
  forEach: (visit: (value: number, count: number) => void) => void,
): Histogram {
  const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
  if (counts.length === 0) return { edgesMs: edges, counts };
  let bar = 0;
  forEach((value, count) => {
    while (bar < counts.length - 1 && value >= edges[bar + 1]!) bar++;
    counts[bar]! += count;
  });
  return { edgesMs: edges, counts };
}
