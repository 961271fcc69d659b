// The tree a trace is drawn as: a segment called by a subsegment of another service sits under
// that subsegment, so one tree runs across services (the sidebar, the CLI and the critical path).
import type { Span, Trace } from './trace';

const byStart = (a: Span, b: Span) => a.startTime - b.startTime;

/** The children of a span in the drawn tree: its subsegments and the segments it called, in start order. */
export function childrenIndex(trace: Trace): (span: Span) => Span[] {
  const called = new Map<string, Span[]>();
  for (const s of trace.segments) {
    if (s.parentId === undefined || s.parentId === s.id) continue;
    const list = called.get(s.parentId);
    if (list) list.push(s);
    else called.set(s.parentId, [s]);
  }
  return (span) =>
    called.has(span.id) ? [...span.subsegments, ...called.get(span.id)!].sort(byStart) : span.subsegments;
}

/** The top of the drawn tree: segments no span of the trace called, then orphans. */
export function waterfallRoots(trace: Trace): Span[] {
  const ids = new Set<string>();
  const stack = [...trace.segments, ...trace.orphans];
  while (stack.length) {
    const s = stack.pop()!;
    ids.add(s.id);
    stack.push(...s.subsegments);
  }
  return [
    ...trace.segments.filter((s) => s.parentId === undefined || s.parentId === s.id || !ids.has(s.parentId)),
    ...trace.orphans,
  ];
}
