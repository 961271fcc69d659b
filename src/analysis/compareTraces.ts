// Two traces of the same request side by side: spans aligned by their path of names, so an extra
// retry or a slower call stands out. Span ids differ between traces, names do not; the Nth
// same-named sibling (in start order) matches the Nth, so a retry is a sibling only one side has.
import type { Span, Trace } from '../model/trace';
import type {
  CompareRow,
  CompareSide,
  CompareSummary,
  Contributor,
  SpanStatus,
  TraceComparison,
} from '../model/traceComparison';
import { childrenIndex, waterfallRoots } from '../model/traceTree';
import { selfTimeMs } from '../model/selfTime';

/** What counts as a difference, and how many contributors the summary keeps. */
export interface CompareOptions {
  /** A duration delta smaller than this (ms) is noise (X-Ray SDKs often record whole milliseconds). */
  readonly minDeltaMs?: number;
  /** …and so is one smaller than this fraction of the longer side. */
  readonly minRelative?: number;
  readonly maxContributors?: number;
}

/** The status of a span, most severe first, as the waterfall colours it. */
export function spanStatus(s: Span): SpanStatus {
  return s.fault ? 'fault' : s.throttle ? 'throttle' : s.error ? 'error' : 'ok';
}

/** One trace prepared for alignment: its drawn-tree children and its start. */
interface Side {
  readonly trace: Trace;
  readonly children: (s: Span) => Span[];
  readonly seen: Set<Span>;
}

function side(trace: Trace): Side {
  return { trace, children: childrenIndex(trace), seen: new Set() };
}

function sideOf(s: Side, span: Span): CompareSide {
  const t0 = s.trace.startTime;
  const ended = span.endTime !== undefined;
  return {
    spanId: span.id,
    startMs: (span.startTime - t0) * 1000,
    durationMs: ended ? (span.endTime! - span.startTime) * 1000 : undefined,
    selfMs: ended ? selfTimeMs(span, s.children(span)) : undefined,
    status: spanStatus(span),
  };
}

/** A pair to emit as a row: either span may be missing, never both. */
interface Pair {
  readonly a?: Span;
  readonly b?: Span;
  readonly occurrence: number;
}

const serviceOf = (s: Span, parentService: string) => (s.type === 'segment' ? s.name : parentService);

/**
 * Pairs two sibling lists (each in start order) by (type, service, name, occurrence). The result
 * keeps A's order; a span only B has goes right after the B sibling before it, so a retry sits
 * beside the call it repeats (before the first shared sibling when none precedes it).
 */
function pairChildren(as: readonly Span[], bs: readonly Span[], service: string): Pair[] {
  // Most spans have one child or none: no maps and keys for those.
  if (as.length <= 1 && bs.length <= 1) {
    const [a] = as;
    const [b] = bs;
    if (a && b && a.type === b.type && a.name === b.name && serviceOf(a, service) === serviceOf(b, service))
      return [{ a, b, occurrence: 0 }];
    return [...(a ? [{ a, occurrence: 0 }] : []), ...(b ? [{ b, occurrence: 0 }] : [])];
  }
  const keyed = (list: readonly Span[]) => {
    const seen = new Map<string, number>();
    return list.map((span) => {
      const base = `${span.type}\u0000${serviceOf(span, service)}\u0000${span.name}`;
      const occurrence = seen.get(base) ?? 0;
      seen.set(base, occurrence + 1);
      return { span, occurrence, key: `${base}\u0000${occurrence}` };
    });
  };
  const ka = keyed(as);
  const kb = keyed(bs);
  const bByKey = new Map(kb.map((e) => [e.key, e]));
  const paired: Pair[] = [];
  const after = new Map<Pair, Pair[]>();
  const pairOfB = new Map<string, Pair>();
  for (const e of ka) {
    const match = bByKey.get(e.key);
    const p: Pair = { a: e.span, b: match?.span, occurrence: e.occurrence };
    paired.push(p);
    if (match) pairOfB.set(e.key, p);
  }
  const front: Pair[] = [];
  let into = front;
  for (const e of kb) {
    const matched = pairOfB.get(e.key);
    if (matched) {
      into = after.get(matched) ?? [];
      after.set(matched, into);
    } else into.push({ b: e.span, occurrence: e.occurrence });
  }
  // Nothing in common: A's, then B's, rather than B's spans before A's for want of an anchor.
  if (after.size === 0) return front.length ? [...paired, ...front] : paired;
  const out = [...front];
  for (const p of paired) out.push(p, ...(after.get(p) ?? []));
  return out;
}

/** A row while its subtree end is still being found. */
type Mutable = { -readonly [K in keyof CompareRow]: CompareRow[K] };

/** Aligns trace b against trace a (a is the reference: "the normal one"). */
export function compareTraces(a: Trace, b: Trace, options: CompareOptions = {}): TraceComparison {
  const minDelta = options.minDeltaMs ?? 2;
  const minRelative = options.minRelative ?? 0.1;
  const A = side(a);
  const B = side(b);
  const byStart = (x: Span, y: Span) => x.startTime - y.startTime;
  const rows: Mutable[] = [];
  // Iterative pre-order: a trace may nest deeper than the call stack allows.
  const stack: { pair: Pair; depth: number; parent: number; service: string }[] = [];
  const top = pairChildren([...waterfallRoots(a)].sort(byStart), [...waterfallRoots(b)].sort(byStart), '');
  for (let i = top.length - 1; i >= 0; i--) stack.push({ pair: top[i]!, depth: 0, parent: -1, service: '' });
  while (stack.length) {
    const { pair, depth, parent, service: parentService } = stack.pop()!;
    // A span reached twice (hostile parent ids) is drawn once, as the waterfall does.
    const sa = pair.a && !A.seen.has(pair.a) ? pair.a : undefined;
    const sb = pair.b && !B.seen.has(pair.b) ? pair.b : undefined;
    if (!sa && !sb) continue;
    if (sa) A.seen.add(sa);
    if (sb) B.seen.add(sb);
    const span = (sa ?? sb)!;
    const service = serviceOf(span, parentService);
    const ra = sa && sideOf(A, sa);
    const rb = sb && sideOf(B, sb);
    const index = rows.length;
    const m = measure(ra, rb, minDelta, minRelative);
    // Spelled out, not spread: one object shape for every row keeps 20,000 rows fast.
    rows.push({
      depth,
      parent,
      end: index,
      name: span.name,
      service,
      type: span.type,
      occurrence: pair.occurrence,
      presence: ra && rb ? 'both' : ra ? 'a' : 'b',
      a: ra,
      b: rb,
      deltaMs: m.deltaMs,
      ratio: m.ratio,
      selfDeltaMs: m.selfDeltaMs,
      changed: m.changed,
    });
    const kids = pairChildren(sa ? A.children(sa) : [], sb ? B.children(sb) : [], service);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ pair: kids[i]!, depth: depth + 1, parent: index, service });
  }
  // Subtree ends, bottom up: a row's subtree ends where its last descendant's does.
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i]!;
    if (r.parent >= 0 && rows[r.parent]!.end < r.end) rows[r.parent]!.end = r.end;
  }
  return { rows, summary: summarize(a, b, rows, minDelta, options.maxContributors ?? 8) };
}

function measure(
  a: CompareSide | undefined,
  b: CompareSide | undefined,
  minDelta: number,
  minRelative: number,
): Pick<CompareRow, 'deltaMs' | 'ratio' | 'selfDeltaMs' | 'changed'> {
  const ended = (!a || a.durationMs !== undefined) && (!b || b.durationMs !== undefined);
  // One-sided rows still get a delta: an added span adds its time, a removed one saves it.
  const deltaMs = ended ? (b?.durationMs ?? 0) - (a?.durationMs ?? 0) : undefined;
  const selfDeltaMs = ended ? (b?.selfMs ?? 0) - (a?.selfMs ?? 0) : undefined;
  const ratio = a && b && ended && a.durationMs! > 0 ? b.durationMs! / a.durationMs! : undefined;
  let changed = !a || !b || a.status !== b.status;
  if (!changed && deltaMs !== undefined) {
    const longer = Math.max(a!.durationMs!, b!.durationMs!);
    changed = Math.abs(deltaMs) >= minDelta && Math.abs(deltaMs) >= minRelative * longer;
  }
  return { deltaMs, ratio, selfDeltaMs, changed };
}

const durationOf = (t: Trace) =>
  t.durationMs ?? (t.endTime === undefined ? undefined : (t.endTime - t.startTime) * 1000);

function summarize(a: Trace, b: Trace, rows: readonly CompareRow[], minDelta: number, max: number): CompareSummary {
  const aDurationMs = durationOf(a);
  const bDurationMs = durationOf(b);
  const deltaMs = aDurationMs !== undefined && bDurationMs !== undefined ? bDurationMs - aDurationMs : undefined;
  const dir = (deltaMs ?? 0) < 0 ? -1 : 1;
  const counts = { both: 0, onlyA: 0, onlyB: 0, changed: 0, statusChanged: 0 };
  const statusChanges: number[] = [];
  const candidates: Contributor[] = [];
  rows.forEach((r, i) => {
    if (r.presence === 'both') counts.both++;
    else if (r.presence === 'a') counts.onlyA++;
    else counts.onlyB++;
    if (r.changed) counts.changed++;
    if (r.a && r.b && r.a.status !== r.b.status) {
      counts.statusChanged++;
      statusChanges.push(i);
    }
    if (r.presence === 'both') {
      // Self time, not duration: a parent is slower because its child is, and only the child explains it.
      const ms = r.selfDeltaMs;
      if (ms !== undefined && ms * dir >= minDelta) candidates.push({ row: i, kind: ms > 0 ? 'slower' : 'faster', ms });
      return;
    }
    // Only the top of an added or removed subtree: its duration already holds its descendants'.
    if (r.parent >= 0 && rows[r.parent]!.presence === r.presence) return;
    candidates.push({ row: i, kind: r.presence === 'b' ? 'added' : 'removed', ms: r.deltaMs ?? 0 });
  });
  // Added and removed spans stay listed even against the direction: a structural change is news.
  const along = candidates.filter((c) => c.ms * dir > 0).sort((x, y) => (y.ms - x.ms) * dir);
  const against = candidates
    .filter((c) => c.ms * dir <= 0 && (c.kind === 'added' || c.kind === 'removed'))
    .sort((x, y) => Math.abs(y.ms) - Math.abs(x.ms));
  return {
    aDurationMs,
    bDurationMs,
    deltaMs,
    counts,
    contributors: [...along, ...against].slice(0, max),
    statusChanges,
  };
}
