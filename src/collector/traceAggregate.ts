// What the store keeps per trace besides its documents: a small aggregate, updated document by
// document (never by re-reading the whole trace), from which summaries and filter facts derive.
import type { AnnotationValue, Span } from '../model/trace';

/** One service document (segment) as the summary needs it. */
export interface SegmentInfo {
  id: string;
  name: string;
  parentId?: string;
  start: number;
  end?: number;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  origin?: string;
  user?: string;
  resourceArn?: string;
  http?: { method?: string; url?: string; status?: number; userAgent?: string; clientIp?: string };
}

/** The per-trace aggregate, stored as JSON. */
export interface TraceAggregate {
  id: string;
  start: number;
  end?: number;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  segments: SegmentInfo[];
  /** Ids of documents still in progress. */
  inProgress: string[];
  annotations: Record<string, AnnotationValue[]>;
  users: string[];
  documents: number;
  bytes: number;
}

/** Caps that keep one hostile trace's aggregate small. */
export const aggregateLimits = {
  segments: 500,
  annotationKeys: 100,
  annotationValues: 50,
  users: 50,
  inProgress: 1000,
} as const;

/** A new, empty aggregate. */
export function newAggregate(id: string): TraceAggregate {
  return {
    id,
    start: Infinity,
    error: false,
    fault: false,
    throttle: false,
    segments: [],
    inProgress: [],
    annotations: {},
    users: [],
    documents: 0,
    bytes: 0,
  };
}

function addUnique<T>(list: T[], v: T, cap: number): void {
  if (list.length < cap && !list.includes(v)) list.push(v);
}

/** Folds one received document (a segment or an independent subsegment, with its bytes) into the aggregate. */
export function addDocument(agg: TraceAggregate, doc: Span, bytes: number, replaced: boolean): void {
  if (!replaced) agg.documents++;
  agg.bytes += bytes;
  const ip = agg.inProgress.indexOf(doc.id);
  if (doc.inProgress) {
    if (ip < 0 && agg.inProgress.length < aggregateLimits.inProgress) agg.inProgress.push(doc.id);
  } else if (ip >= 0) agg.inProgress.splice(ip, 1);

  if (doc.type === 'segment') {
    const info: SegmentInfo = {
      id: doc.id,
      name: doc.name,
      parentId: doc.parentId,
      start: doc.startTime,
      end: doc.endTime,
      error: doc.error,
      fault: doc.fault,
      throttle: doc.throttle,
      origin: doc.origin,
      user: doc.user,
      resourceArn: doc.resourceArn,
      http: doc.http && {
        method: doc.http.request?.method,
        url: doc.http.request?.url,
        status: doc.http.response?.status,
        userAgent: doc.http.request?.userAgent,
        clientIp: doc.http.request?.clientIp,
      },
    };
    const at = agg.segments.findIndex((s) => s.id === doc.id);
    if (at >= 0) agg.segments[at] = info;
    else if (agg.segments.length < aggregateLimits.segments) agg.segments.push(info);
    if (doc.user) addUnique(agg.users, doc.user, aggregateLimits.users);
  }
  // Walk the document's spans iteratively: times, flags and annotations of every subsegment count.
  const stack: Span[] = [doc];
  while (stack.length) {
    const s = stack.pop()!;
    if (s.startTime < agg.start) agg.start = s.startTime;
    if (s.endTime !== undefined && (agg.end === undefined || s.endTime > agg.end)) agg.end = s.endTime;
    if (s.error) agg.error = true;
    if (s.fault) agg.fault = true;
    if (s.throttle) agg.throttle = true;
    for (const k in s.annotations) {
      let values = agg.annotations[k];
      if (!values) {
        if (Object.keys(agg.annotations).length >= aggregateLimits.annotationKeys) continue;
        values = agg.annotations[k] = [];
      }
      addUnique(values, s.annotations[k]!, aggregateLimits.annotationValues);
    }
    for (let i = 0; i < s.subsegments.length; i++) stack.push(s.subsegments[i]!);
  }
}

/** The segment where the request entered: one without a parent in the trace, earliest first. */
export function rootSegment(agg: TraceAggregate): SegmentInfo | undefined {
  const ids = new Set(agg.segments.map((s) => s.id));
  let best: SegmentInfo | undefined;
  for (const s of agg.segments) {
    const external = s.parentId === undefined || !ids.has(s.parentId);
    const bestExternal = best && (best.parentId === undefined || !ids.has(best.parentId));
    if (!best || (external && !bestExternal) || (external === bestExternal && s.start < best.start)) best = s;
  }
  return best;
}

/** The derived figures of a trace, in seconds as X-Ray's API gives them. */
export function traceTimes(agg: TraceAggregate): { responseTime?: number; duration?: number; root?: SegmentInfo } {
  const root = rootSegment(agg);
  const responseTime = root?.end === undefined ? undefined : root.end - root.start;
  const duration =
    root && agg.end !== undefined ? agg.end - root.start : agg.end !== undefined ? agg.end - agg.start : undefined;
  return { responseTime, duration, root };
}
