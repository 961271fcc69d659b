// The spans of a trace worth looking at first: where it failed (the innermost span that recorded
// an exception, faults before errors), and where its time went (the largest self times).
import { childrenIndex } from '../model/traceTree';
import type { Span, Trace } from '../model/trace';
import { selfTimeMs } from '../model/selfTime';

/** A span and the service (segment name) it ran in. */
export interface SpanInService {
  readonly span: Span;
  readonly service: string;
  readonly selfMs: number;
  readonly durationMs: number;
}

/** Every completed span with its service and self time (children in the drawn tree count against it). */
function spansOf(trace: Trace): SpanInService[] {
  const childrenOf = childrenIndex(trace);
  const out: SpanInService[] = [];
  for (const seg of [...trace.segments, ...trace.orphans]) {
    const stack: Span[] = [seg];
    while (stack.length) {
      const s = stack.pop()!;
      stack.push(...s.subsegments);
      if (s.endTime === undefined) continue;
      out.push({
        span: s,
        service: seg.name,
        selfMs: selfTimeMs(s, childrenOf(s)),
        durationMs: (s.endTime - s.startTime) * 1000,
      });
    }
  }
  return out;
}

/** The n spans with the largest self time, largest first. */
export function slowestSpans(trace: Trace, n: number): SpanInService[] {
  return spansOf(trace)
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, n);
}

/** Where the trace failed: the deepest span with an exception (a fault over an error), else the deepest failed span; undefined when nothing failed. */
export function failurePoint(trace: Trace): Span | undefined {
  let best: { span: Span; rank: number; depth: number } | undefined;
  const visit = (s: Span, depth: number) => {
    const failed = s.fault || s.error || s.throttle;
    if (failed) {
      const rank = (s.cause?.exceptions.length ? 2 : 0) + (s.fault ? 1 : 0);
      if (!best || rank > best.rank || (rank === best.rank && depth > best.depth)) best = { span: s, rank, depth };
    }
  };
  const stack: [Span, number][] = [...trace.segments, ...trace.orphans].map((s) => [s, 0]);
  while (stack.length) {
    const [s, d] = stack.pop()!;
    visit(s, d);
    for (const c of s.subsegments) stack.push([c, d + 1]);
  }
  return best?.span;
}

/** The span Go to Code opens for a whole trace: where it failed, else the span with the largest self time. */
export function primarySpan(trace: Trace): Span | undefined {
  return failurePoint(trace) ?? slowestSpans(trace, 1)[0]?.span;
}
