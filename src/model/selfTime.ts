// Self time: what a span spent outside its children. Children may run in parallel (their union is
// taken, not their sum) and, with clock skew, may stick out of their parent (they are clipped).
import type { Span } from './trace';

// Reused across calls: self time runs for every span of every trace added.
let starts = new Float64Array(64);
let ends = new Float64Array(64);

/**
 * The span's duration minus the union of its children's intervals clipped to the span, in ms.
 * Children are its subsegments and the segments it called; a child still in progress counts as
 * running until the span's end. The span must have ended.
 */
export function selfTimeMs(span: Span, children: readonly Span[], called?: readonly Span[]): number {
  const s = span.startTime;
  const e = span.endTime!;
  const total = children.length + (called?.length ?? 0);
  if (total === 0 || e <= s) return Math.max(0, (e - s) * 1000);
  if (total > starts.length) {
    starts = new Float64Array(total * 2);
    ends = new Float64Array(total * 2);
  }
  let n = 0;
  let sorted = true;
  const take = (c: Span): void => {
    const lo = c.startTime > s ? c.startTime : s;
    const end = c.endTime ?? e;
    const hi = end < e ? end : e;
    if (hi <= lo) return;
    if (n > 0 && lo < starts[n - 1]!) sorted = false;
    starts[n] = lo;
    ends[n] = hi;
    n++;
  };
  for (const c of children) take(c);
  if (called) for (const c of called) take(c);
  if (!sorted) sortIntervals(n);
  let covered = 0;
  let runStart = -Infinity;
  let runEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    const lo = starts[i]!;
    const hi = ends[i]!;
    if (lo > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = lo;
      runEnd = hi;
    } else if (hi > runEnd) runEnd = hi;
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return Math.max(0, (e - s - covered) * 1000);
}

function sortIntervals(n: number): void {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => starts[a]! - starts[b]!);
  const lo = order.map((i) => starts[i]!);
  const hi = order.map((i) => ends[i]!);
  starts.set(lo);
  ends.set(hi);
}
