// The critical path of a trace, as Jaeger computes it: from the root, the last-finishing child,
// then the child that finished last before that one started, and so on, each recursively.
import type { Span, Trace } from '../model/trace';
import { childrenIndex, waterfallRoots } from '../model/traceTree';

/** Span ids on the critical path, root first. In-progress spans count as ending at the trace's end. */
export function criticalPath(trace: Trace): string[] {
  const children = childrenIndex(trace);
  const traceEnd = trace.endTime ?? trace.startTime;
  const endOf = (s: Span) => s.endTime ?? traceEnd;
  const root = trace.root ?? waterfallRoots(trace)[0];
  if (!root) return [];
  const path: string[] = [];
  const visiting = new Set<string>();
  // Iterative over (span, limit): limit is the time before which a child must end to be on the path.
  const walk = (start: Span) => {
    const stack: Span[] = [start];
    while (stack.length) {
      const span = stack.pop()!;
      if (visiting.has(span.id)) continue;
      visiting.add(span.id);
      path.push(span.id);
      const kids = [...children(span)].sort((a, b) => endOf(b) - endOf(a));
      const chosen: Span[] = [];
      let limit = endOf(span);
      for (const c of kids) {
        // The last-finishing child is on the path even if skew puts its end past its parent's.
        if (chosen.length === 0 || endOf(c) <= limit + 1e-6) {
          chosen.push(c);
          limit = c.startTime;
        }
      }
      // Depth first, the last-finishing child first.
      for (let i = chosen.length - 1; i >= 0; i--) stack.push(chosen[i]!);
    }
  };
  walk(root);
  return path;
}
