// The first screen of a huge trace: the spans of its first rows in the drawn tree's pre-order, as a
// trace of their own, so the waterfall paints them at once and the whole trace follows. Copying a
// 100,000-span trace into a webview takes seconds; its first 200 rows (a few screens) take milliseconds.
import { childrenIndex, waterfallRoots } from './traceTree';
import type { Span, Trace } from './trace';

/** Traces with more spans than this are sent head first. */
export const headThreshold = 2000;

/** The first `rows` spans of the trace in pre-order, with the trace's own bounds; undefined when the trace is small. */
export function traceHead(trace: Trace, rows = 200): { trace: Trace; shown: number; total: number } | undefined {
  let total = 0;
  const count = [...trace.segments, ...trace.orphans];
  while (count.length) {
    const s = count.pop()!;
    total++;
    for (const c of s.subsegments) count.push(c);
  }
  if (total <= headThreshold) return undefined;
  const childrenOf = childrenIndex(trace);
  const included = new Set<Span>();
  const stack = [...waterfallRoots(trace)].reverse();
  while (stack.length && included.size < rows) {
    const s = stack.pop()!;
    included.add(s);
    const kids = childrenOf(s);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  const prune = (s: Span): Span => ({ ...s, subsegments: s.subsegments.filter((c) => included.has(c)).map(prune) });
  return {
    trace: {
      ...trace,
      segments: trace.segments.filter((s) => included.has(s)).map(prune),
      orphans: trace.orphans.filter((s) => included.has(s)).map(prune),
    },
    shown: included.size,
    total,
  };
}
