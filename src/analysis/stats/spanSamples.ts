// From a trace to the samples the statistics count: one per completed span, with its operation
// (service, name), duration, self time, outcome flags and exception.
import type { ExceptionInfo, Span, Trace } from '../../model/trace';
import { selfTimeMs } from '../../model/selfTime';

/** The service of spans whose segment is unknown: orphaned subsegments. */
export const unknownService = '(unknown service)';

/** Exception text kept per sample, at most this long. */
const maxMessageLength = 300;

/** One completed span, as the statistics see it. */
export interface SpanSample {
  /** The name of the segment the span belongs to (a segment's own name). */
  service: string;
  /** The span's name, as X-Ray records it. */
  name: string;
  /** The OTel span name where it differs from the X-Ray name (server spans become segments named after their service). */
  otelName: string | undefined;
  traceId: string;
  spanId: string;
  /** Start, epoch seconds. */
  start: number;
  durationMs: number;
  selfMs: number;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  /** The exception that made it fail: its own, or the one its cause points at. */
  exceptionType: string | undefined;
  exceptionMessage: string | undefined;
}

interface Lookup {
  spans: Map<string, Span>;
  exceptions: Map<string, ExceptionInfo>;
}

function lookupOf(trace: Trace): Lookup {
  const spans = new Map<string, Span>();
  const exceptions = new Map<string, ExceptionInfo>();
  const stack = [...trace.segments, ...trace.orphans];
  while (stack.length) {
    const s = stack.pop()!;
    spans.set(s.id, s);
    for (const e of s.cause?.exceptions ?? []) if (e.id) exceptions.set(e.id, e);
    for (const c of s.subsegments) stack.push(c);
  }
  return { spans, exceptions };
}

/** The exception behind a span's cause, following `exceptionId` pointers (Node's SDK writes them on enclosing spans). */
function exceptionOf(span: Span, lookup: () => Lookup): ExceptionInfo | undefined {
  let cause = span.cause;
  for (let hop = 0; cause && hop < 8; hop++) {
    if (cause.exceptions.length) return cause.exceptions[0];
    if (cause.exceptionId === undefined) return undefined;
    const l = lookup();
    const direct = l.exceptions.get(cause.exceptionId);
    if (direct) return direct;
    const holder = l.spans.get(cause.exceptionId);
    if (!holder || holder === span) return undefined;
    cause = holder.cause;
  }
  return undefined;
}

/**
 * Which operation a span counts under, given the segment it belongs to (undefined for orphaned
 * subsegments); undefined leaves the span out. The default is (segment name, span name).
 */
export type Relabel = (
  span: Span,
  segment: Span | undefined,
) => { readonly service: string; readonly name: string } | undefined;

/** What OperationStats.add reads from a trace: forEachSample, or the same with a Relabel. */
export type SampleSource = (trace: Trace, visit: (s: SpanSample) => void) => void;

/**
 * Calls visit once per completed span of the trace (in-progress spans are not counted, but their
 * children are). The sample object is reused between calls: copy what you keep. With relabel,
 * only the spans it names are visited, under the operation it gives.
 */
export function forEachSample(trace: Trace, visit: (s: SpanSample) => void, relabel?: Relabel): void {
  // The segments each span called: children in the waterfall, so they count against self time.
  let called: Map<string, Span[]> | undefined;
  for (const seg of trace.segments) {
    if (seg.parentId === undefined || seg.parentId === seg.id) continue;
    called ??= new Map();
    const list = called.get(seg.parentId);
    if (list) list.push(seg);
    else called.set(seg.parentId, [seg]);
  }
  let lookup: Lookup | undefined;
  const getLookup = () => (lookup ??= lookupOf(trace));
  const sample: SpanSample = {
    service: '',
    name: '',
    otelName: undefined,
    traceId: trace.id,
    spanId: '',
    start: 0,
    durationMs: 0,
    selfMs: 0,
    error: false,
    fault: false,
    throttle: false,
    exceptionType: undefined,
    exceptionMessage: undefined,
  };
  const spans: Span[] = [];
  const owners: (Span | undefined)[] = [];
  for (const s of trace.segments) {
    spans.push(s);
    owners.push(s);
  }
  for (const s of trace.orphans) {
    spans.push(s);
    owners.push(s.type === 'segment' ? s : undefined);
  }
  // Iterative: a trace may nest 100,000 subsegments deep.
  while (spans.length) {
    const s = spans.pop()!;
    const owner = owners.pop();
    for (let i = s.subsegments.length - 1; i >= 0; i--) {
      spans.push(s.subsegments[i]!);
      owners.push(owner);
    }
    if (s.inProgress || s.endTime === undefined) continue;
    if (relabel) {
      const op = relabel(s, owner);
      if (!op) continue;
      sample.service = op.service;
      sample.name = op.name;
    } else {
      sample.service = owner?.name ?? unknownService;
      sample.name = s.name;
    }
    sample.otelName = !relabel && s.otelName !== undefined && s.otelName !== s.name ? s.otelName : undefined;
    sample.spanId = s.id;
    sample.start = s.startTime;
    sample.durationMs = Math.max(0, (s.endTime - s.startTime) * 1000);
    sample.selfMs = selfTimeMs(s, s.subsegments, called?.get(s.id));
    sample.error = s.error;
    sample.fault = s.fault;
    sample.throttle = s.throttle;
    const e = s.cause ? exceptionOf(s, getLookup) : undefined;
    sample.exceptionType = e?.type;
    sample.exceptionMessage = e ? (e.message ?? e.type ?? 'exception').slice(0, maxMessageLength) : undefined;
    visit(sample);
  }
}
