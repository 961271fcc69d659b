// The waterfall's rows: the trace flattened once, pre-order with depth (segments under the
// subsegment that called them), and the visible subset under the collapsed rows.
import { selfTimeMs } from '../../src/model/selfTime';
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

const byStart = (a: Span, b: Span) => a.startTime - b.startTime;

/** True when the spans are already in start order (the model keeps subsegments so). */
function inStartOrder(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) if (!(spans[i - 1]!.startTime <= spans[i]!.startTime)) return false;
  return true;
}

/** Flattens a trace into rows, pre-order; iterative, so 100,000 nested spans do not overflow the stack. */
export function flatten(trace: Trace): Row[] {
  // A segment goes under the span that called it when that span is in the trace. Only the ids
  // segments name as parents are looked for, so a trace of one segment is not walked twice.
  const wanted = new Set<string>();
  for (const s of trace.segments) if (s.parentId !== undefined && s.parentId !== s.id) wanted.add(s.parentId);
  const ids = new Set<string>();
  if (wanted.size) {
    const all: Span[] = [...trace.segments];
    while (all.length) {
      const s = all.pop()!;
      if (wanted.has(s.id)) ids.add(s.id);
      for (const c of s.subsegments) all.push(c);
    }
  }
  const called = new Map<string, Span[]>();
  for (const s of trace.segments) {
    if (s.parentId !== undefined && s.parentId !== s.id && ids.has(s.parentId)) {
      const list = called.get(s.parentId);
      if (list) list.push(s);
      else called.set(s.parentId, [s]);
    }
  }
  const roots = [
    ...trace.segments.filter((s) => s.parentId === undefined || s.parentId === s.id || !ids.has(s.parentId)),
    ...trace.orphans,
  ].sort(byStart);
  const rows: Row[] = [];
  const seen = new Set<Span>();
  // The stack in parallel arrays: one small object per span would be 100,000 more allocations.
  const spans: Span[] = roots.reverse();
  const depths: number[] = spans.map(() => 0);
  const parents: number[] = spans.map(() => -1);
  const services: string[] = spans.map((s) => s.name);
  while (spans.length) {
    const span = spans.pop()!;
    const depth = depths.pop()!;
    const parent = parents.pop()!;
    const inherited = services.pop()!;
    const service = span.type === 'segment' ? span.name : inherited;
    if (seen.has(span)) continue;
    seen.add(span);
    const index = rows.push({ span, depth, parent, end: 0, service }) - 1;
    const extra = called.get(span.id);
    // Sorting is stable, so children already in start order keep their order without the copy.
    const kids =
      !extra && inStartOrder(span.subsegments)
        ? span.subsegments
        : [...span.subsegments, ...(extra ?? [])].sort(byStart);
    for (let i = kids.length - 1; i >= 0; i--) {
      spans.push(kids[i]!);
      depths.push(depth + 1);
      parents.push(index);
      services.push(service);
    }
  }
  // Subtree ends, from the bottom up: a row's subtree ends where its last descendant's does.
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i]!;
    if (r.end < i) r.end = i;
    if (r.parent >= 0 && rows[r.parent]!.end < r.end) rows[r.parent]!.end = r.end;
  }
  return rows;
}

/** What row i spent outside its children (model/selfTime), in ms; undefined while the span is in progress. */
export function selfMs(rows: readonly Row[], i: number): number | undefined {
  const { span, end } = rows[i]!;
  if (span.endTime === undefined) return undefined;
  // Its children are the rows below it one level down: each subtree skipped whole.
  const children: Span[] = [];
  for (let j = i + 1; j <= end; j = rows[j]!.end + 1) children.push(rows[j]!.span);
  return selfTimeMs(span, children);
}

/** Rows to collapse so that only the rows above the given depth stay open (level 1: the roots alone). */
export function collapsedBelowLevel(rows: readonly Row[], level: number): Set<number> {
  const out = new Set<number>();
  rows.forEach((r, i) => {
    if (r.end > i && r.depth >= level - 1) out.add(i);
  });
  return out;
}

/**
 * Rows to collapse so that every service's segment shows and nothing else opens: a row stays open
 * only when a segment of another service sits somewhere under it.
 */
export function collapsedToServices(rows: readonly Row[]): Set<number> {
  const open = new Set<number>();
  rows.forEach((r) => {
    if (r.span.type !== 'segment') return;
    for (let p = r.parent; p >= 0 && !open.has(p); p = rows[p]!.parent) open.add(p);
  });
  const out = new Set<number>();
  rows.forEach((r, i) => {
    if (r.end > i && !open.has(i)) out.add(i);
  });
  return out;
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
