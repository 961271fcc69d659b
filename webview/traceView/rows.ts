// The waterfall's rows: the trace flattened once, pre-order with depth (segments under the
// subsegment that called them), and the visible subset under the collapsed rows.
import type { Span, Trace } from '../../src/model/trace';

/** One row: a span and where it sits in the tree. */
export interface Row {
  readonly span: Span;
  readonly depth: number;
  /** Row index of the parent, or -1. */
  readonly parent: number;
  /** Index of the last row of this row's subtree (itself when it has no children). */
  end: number;
  /** The service the span belongs to (its segment's name). */
  readonly service: string;
}

/** Flattens a trace into rows, pre-order; iterative, so 100,000 nested spans do not overflow the stack. */
export function flatten(trace: Trace): Row[] {
  const called = new Map<string, Span[]>();
  const ids = new Set<string>();
  const all: Span[] = [...trace.segments];
  while (all.length) {
    const s = all.pop()!;
    ids.add(s.id);
    all.push(...s.subsegments);
  }
  for (const s of trace.segments) {
    if (s.parentId !== undefined && s.parentId !== s.id && ids.has(s.parentId)) called.set(s.parentId, [...(called.get(s.parentId) ?? []), s]);
  }
  const roots = [...trace.segments.filter((s) => s.parentId === undefined || s.parentId === s.id || !ids.has(s.parentId)), ...trace.orphans].sort((a, b) => a.startTime - b.startTime);
  const rows: Row[] = [];
  const seen = new Set<Span>();
  const stack: { span: Span; depth: number; parent: number; service: string }[] = roots.reverse().map((span) => ({ span, depth: 0, parent: -1, service: span.name }));
  while (stack.length) {
    const { span, depth, parent, service } = stack.pop()!;
    if (seen.has(span)) continue;
    seen.add(span);
    const index = rows.push({ span, depth, parent, end: 0, service: span.type === 'segment' ? span.name : service }) - 1;
    const kids = [...span.subsegments, ...(called.get(span.id) ?? [])].sort((a, b) => a.startTime - b.startTime);
    const svc = rows[index]!.service;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i]!, depth: depth + 1, parent: index, service: svc });
  }
  // Subtree ends, from the bottom up: a row's subtree ends where its last descendant's does.
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i]!;
    if (r.end < i) r.end = i;
    if (r.parent >= 0 && rows[r.parent]!.end < r.end) rows[r.parent]!.end = r.end;
  }
  return rows;
}

/** Indices of the rows shown: those with no collapsed ancestor. */
export function visibleRows(rows: readonly Row[], collapsed: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    out.push(i);
    if (collapsed.has(i)) i = rows[i]!.end;
  }
  return out;
}

/** The outcome class of a span, for its colour. */
export function outcome(s: Span): 'fault' | 'throttle' | 'error' | 'ok' {
  return s.fault ? 'fault' : s.throttle ? 'throttle' : s.error ? 'error' : 'ok';
}

/** Milliseconds as the view prints them. */
export function ms(v: number): string {
  if (v < 1) return `${v.toFixed(2)} ms`;
  if (v < 10) return `${v.toFixed(1)} ms`;
  if (v < 1000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
}
