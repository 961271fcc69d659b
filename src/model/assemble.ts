// Trace assembly: from the documents received for one trace (segments, independent and streamed
// subsegments, in-progress versions) to one Trace. Nothing is dropped: a subsegment whose parent is
// missing is kept as an orphan, and a child outside its parent's time is flagged as skewed.
import type { Span, Trace } from './trace';

/** How far (seconds) a child may stick out of its parent before it counts as clock skew. */
export const skewToleranceSec = 0.001;

/**
 * Keeps one document per id: a completed one replaces an in-progress one, and of two of the same
 * kind the later received wins (X-Ray's behaviour for re-sent segments).
 */
export function latestDocuments(docs: Iterable<Span>): Span[] {
  const byId = new Map<string, Span>();
  for (const d of docs) {
    const prev = byId.get(d.id);
    if (!prev || !d.inProgress || prev.inProgress) byId.set(d.id, d);
  }
  return [...byId.values()];
}

function walk(span: Span, visit: (s: Span, parent: Span | undefined) => void, parent?: Span): void {
  // Iterative: a trace with 100,000 nested subsegments must not overflow the stack.
  const stack: [Span, Span | undefined][] = [[span, parent]];
  while (stack.length) {
    const [s, p] = stack.pop()!;
    visit(s, p);
    for (let i = s.subsegments.length - 1; i >= 0; i--) stack.push([s.subsegments[i]!, s]);
  }
}

/** Visits every span of the trace, segments and their subsegments, then orphans, with its parent. */
export function forEachSpan(trace: Trace, visit: (s: Span, parent: Span | undefined) => void): void {
  for (const s of trace.segments) walk(s, visit);
  for (const s of trace.orphans) walk(s, visit);
}

function isSkewed(child: Span, parent: Span): boolean {
  if (child.startTime < parent.startTime - skewToleranceSec) return true;
  return (
    child.endTime !== undefined && parent.endTime !== undefined && child.endTime > parent.endTime + skewToleranceSec
  );
}

function flag(s: Span, f: Span['flags'][number]): void {
  if (!s.flags.includes(f)) s.flags.push(f);
}

/**
 * Assembles one trace from its documents (all with the same trace id). The spans are adopted,
 * not copied: independent subsegments are pushed into their parents' subsegment lists.
 */
export function assembleTrace(traceId: string, documents: Iterable<Span>): Trace {
  const docs = latestDocuments(documents);
  const byId = new Map<string, Span>();
  const segments: Span[] = [];
  const independents: Span[] = [];
  let start = Infinity;
  let end = -Infinity;
  let inProgress = false;
  // One pass over every span of every document: index ids, take times, and check each child
  // against its parent within the document (parse already sorted the children).
  const stack: Span[] = [];
  const parents: (Span | undefined)[] = [];
  for (const d of docs) {
    (d.type === 'segment' ? segments : independents).push(d);
    stack.push(d);
    parents.push(undefined);
    while (stack.length) {
      const s = stack.pop()!;
      const parent = parents.pop();
      byId.set(s.id, s);
      if (s.startTime < start) start = s.startTime;
      if (s.endTime !== undefined && s.endTime > end) end = s.endTime;
      if (s.inProgress) inProgress = true;
      if (parent && isSkewed(s, parent)) flag(s, 'skew');
      const subs = s.subsegments;
      for (let i = 0; i < subs.length; i++) {
        stack.push(subs[i]!);
        parents.push(s);
      }
    }
  }

  // Attach independent subsegments: a streamed subsegment's parent may itself be an independent
  // subsegment that arrived later, so all are indexed before any is attached.
  const orphans: Span[] = [];
  const attachedTo = new Map<Span, Span>();
  const childIndex = new Map<Span, Map<string, number>>();
  for (const sub of independents) {
    const parent = sub.parentId === undefined ? undefined : byId.get(sub.parentId);
    if (!parent || parent === sub) {
      flag(sub, 'orphan');
      orphans.push(sub);
      continue;
    }
    let index = childIndex.get(parent);
    if (!index) childIndex.set(parent, (index = new Map(parent.subsegments.map((c, i) => [c.id, i]))));
    const replaced = index.get(sub.id);
    if (replaced !== undefined) parent.subsegments[replaced] = sub;
    else index.set(sub.id, parent.subsegments.push(sub) - 1);
    attachedTo.set(sub, parent);
    if (isSkewed(sub, parent)) flag(sub, 'skew');
  }
  // Hostile parent ids can form a cycle that nothing reaches: follow each chain of attached
  // independents upwards (each span once); one that comes back to itself is cut and kept as an orphan.
  const visit = new Map<Span, 1 | 2>();
  const chain: Span[] = [];
  for (const sub of attachedTo.keys()) {
    let at: Span | undefined = sub;
    while (at && !visit.has(at) && attachedTo.has(at)) {
      visit.set(at, 1);
      chain.push(at);
      at = attachedTo.get(at);
    }
    if (at && visit.get(at) === 1) {
      const parent = attachedTo.get(at)!;
      parent.subsegments.splice(parent.subsegments.indexOf(at), 1);
      attachedTo.delete(at);
      flag(at, 'orphan');
      orphans.push(at);
    }
    for (const c of chain) visit.set(c, 2);
    chain.length = 0;
  }
  for (const parent of childIndex.keys())
    if (parent.subsegments.length > 1) parent.subsegments.sort((a, b) => a.startTime - b.startTime);
  if (segments.length > 1) segments.sort((a, b) => a.startTime - b.startTime);
  if (orphans.length > 1) orphans.sort((a, b) => a.startTime - b.startTime);

  // A segment called by another span of this trace is checked against its caller too.
  for (const seg of segments) {
    const caller = seg.parentId === undefined ? undefined : byId.get(seg.parentId);
    if (caller && caller !== seg && isSkewed(seg, caller)) flag(seg, 'skew');
  }

  const root = segments.find((s) => s.parentId === undefined || !byId.has(s.parentId)) ?? segments[0];
  const responseTimeMs = root?.endTime === undefined ? undefined : (root.endTime - root.startTime) * 1000;
  const durationMs = root && end > -Infinity ? (end - root.startTime) * 1000 : undefined;
  return {
    id: traceId,
    segments,
    orphans,
    root,
    startTime: start === Infinity ? 0 : start,
    endTime: end === -Infinity ? undefined : end,
    durationMs,
    responseTimeMs,
    inProgress,
  };
}

/** Groups spans by trace id and assembles each trace, in start order. */
export function assembleTraces(documents: Iterable<Span>): Trace[] {
  const groups = new Map<string, Span[]>();
  for (const d of documents) {
    const g = groups.get(d.traceId);
    if (g) g.push(d);
    else groups.set(d.traceId, [d]);
  }
  return [...groups].map(([id, docs]) => assembleTrace(id, docs)).sort((a, b) => a.startTime - b.startTime);
}
