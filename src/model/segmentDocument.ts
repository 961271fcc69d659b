// Lenient parser of X-Ray segment documents (the daemon's and PutTraceSegments' format) into Spans.
// Real SDK output breaks the official schema in places (Node writes `line: null`, Java `line: -1`,
// times may be strings in exponent notation, `cause` may be an exception id): repair what can be
// repaired, say so in Repairs, and drop only what cannot be used at all.
import { Repairs, type Place } from './repairs';
import { otelMetadataNamespace } from './toDocument';
import type { AnnotationValue, Cause, ExceptionInfo, HttpInfo, Span, StackFrame } from './trace';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A trace id in X-Ray's form `1-5759e988-bd862e3fe1be46a994272793`. */
export const xrayTraceIdPattern = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

/** Limits that keep one hostile document from exhausting memory or the stack. */
export const documentLimits = { maxDepth: 64, maxStackFrames: 256, maxExceptions: 64 } as const;

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function bool(v: unknown, field: string, where: Place, repairs: Repairs): boolean {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return false;
  if (v === 'true' || v === 1) {
    repairs.note(`${field} given as ${JSON.stringify(v)}, read as true`, where);
    return true;
  }
  if (v !== 'false' && v !== 0) repairs.note(`${field} of type ${typeof v}, read as false`, where);
  return false;
}

/** Reads a time in epoch seconds, accepting numeric strings (`"1.478293361271E9"`). */
function time(v: unknown, field: string, where: Place, repairs: Repairs): number | undefined {
  if (typeof v === 'number' && v > 0 && v < 1e11) return v;
  if (v === undefined || v === null) return undefined;
  const n = num(v);
  if (n === undefined || n <= 0) {
    repairs.note(`${field} is not a time: ${JSON.stringify(v)?.slice(0, 40)}`, where);
    return undefined;
  }
  if (typeof v === 'string') repairs.note(`${field} given as a string`, where);
  // Milliseconds or microseconds where seconds belong: scale back rather than show year 50000.
  if (n > 1e14) return n / 1e6;
  if (n > 1e11) return n / 1e3;
  return n;
}

function http(v: unknown, where: Place, repairs: Repairs): HttpInfo | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    repairs.note('http is not an object, left out', where);
    return undefined;
  }
  const rq = isObj(v.request) ? v.request : undefined;
  const rs = isObj(v.response) ? v.response : undefined;
  const status = num(rs?.status);
  if (rs && rs.status !== undefined && typeof rs.status !== 'number')
    repairs.note('http.response.status is not a number', where);
  return {
    request: rq && {
      method: str(rq.method),
      url: str(rq.url),
      userAgent: str(rq.user_agent),
      clientIp: str(rq.client_ip),
      xForwardedFor: typeof rq.x_forwarded_for === 'boolean' ? rq.x_forwarded_for : undefined,
      traced: typeof rq.traced === 'boolean' ? rq.traced : undefined,
    },
    response: rs && {
      status: status === undefined ? undefined : Math.trunc(status),
      contentLength: num(rs.content_length),
    },
  };
}

function frame(v: unknown, where: Place, repairs: Repairs): StackFrame {
  if (!isObj(v)) {
    repairs.note('stack frame is not an object, kept as unknown', where);
    return {};
  }
  let line = num(v.line);
  if (v.line === null) repairs.note('line: null in a stack frame', where);
  else if (line !== undefined && line < 1) {
    repairs.note(`line: ${line} in a stack frame (unknown line)`, where);
    line = undefined;
  } else if (line !== undefined && typeof v.line !== 'number')
    repairs.note('stack frame line given as a string', where);
  return { path: str(v.path), line: line === undefined ? undefined : Math.trunc(line), label: str(v.label) };
}

function exception(v: unknown, where: Place, repairs: Repairs): ExceptionInfo | undefined {
  if (!isObj(v)) {
    repairs.note('exception is not an object, left out', where);
    return undefined;
  }
  let stack: StackFrame[] = [];
  if (Array.isArray(v.stack)) {
    stack = v.stack.slice(0, documentLimits.maxStackFrames).map((f) => frame(f, where, repairs));
    if (v.stack.length > documentLimits.maxStackFrames)
      repairs.note(`stack of more than ${documentLimits.maxStackFrames} frames cut`, where);
  } else if (v.stack !== undefined) repairs.note('exception stack is not an array', where);
  return {
    id: str(v.id),
    message: str(v.message),
    type: str(v.type),
    remote: typeof v.remote === 'boolean' ? v.remote : undefined,
    truncated: num(v.truncated),
    skipped: num(v.skipped),
    cause: str(v.cause),
    stack,
  };
}

function cause(v: unknown, where: Place, repairs: Repairs): Cause | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return { exceptions: [], exceptionId: v };
  if (!isObj(v)) {
    repairs.note('cause is neither an object nor an exception id, left out', where);
    return undefined;
  }
  const list = Array.isArray(v.exceptions) ? v.exceptions : [];
  if (v.exceptions !== undefined && !Array.isArray(v.exceptions))
    repairs.note('cause.exceptions is not an array', where);
  const exceptions = list.slice(0, documentLimits.maxExceptions).flatMap((e) => exception(e, where, repairs) ?? []);
  // Some SDKs point at the exception recorded in another (sub)segment with an object holding its id.
  const exceptionId = exceptions.length === 0 ? str(v.id) : undefined;
  if (exceptionId !== undefined) repairs.note('cause given as an object holding an exception id', where);
  return {
    workingDirectory: str(v.working_directory),
    paths: Array.isArray(v.paths) ? v.paths.flatMap((p) => str(p) ?? []) : undefined,
    exceptions,
    exceptionId,
  };
}

function annotations(v: unknown, where: Place, repairs: Repairs): Record<string, AnnotationValue> {
  if (v === undefined) return {};
  if (!isObj(v)) {
    repairs.note('annotations is not an object, left out', where);
    return {};
  }
  // Adopt the object when every value is fine (the common case); copy only to leave values out.
  let out: Record<string, AnnotationValue> | undefined;
  for (const k in v) {
    const a = v[k];
    if (typeof a === 'string' || typeof a === 'boolean' || (typeof a === 'number' && Number.isFinite(a))) {
      if (out) out[k] = a;
    } else {
      if (!out) {
        out = {};
        for (const k2 in v) {
          if (k2 === k) break;
          out[k2] = v[k2] as AnnotationValue;
        }
      }
      repairs.note(
        'annotation value that is not a string, number or boolean, left out',
        `${String(where)} annotation ${k}`,
      );
    }
  }
  return out ?? (v as Record<string, AnnotationValue>);
}

function objectOrUndefined(v: unknown, field: string, where: Place, repairs: Repairs): Obj | undefined {
  if (v === undefined) return undefined;
  if (isObj(v)) return v;
  repairs.note(`${field} is not an object, left out`, where);
  return undefined;
}

/** Where in the input a span is, spelled out only when a repair is noted (most documents need none). */
class Where {
  constructor(
    private readonly parent: Where | string,
    private readonly label: unknown,
  ) {}
  toString(): string {
    return this.label === undefined ? String(this.parent) : `${String(this.parent)} > ${String(this.label)}`;
  }
}

// Positional parameters rather than a context object: this runs once per span, on the hot path.
function span(
  doc: Obj,
  traceId: string,
  parentId: string | undefined,
  parentStart: number | undefined,
  depth: number,
  where: Where,
  repairs: Repairs,
): Span | undefined {
  const id = str(doc.id);
  if (!id) {
    repairs.error('(sub)segment without an id, left out', where);
    return undefined;
  }
  let name = str(doc.name);
  if (!name) {
    repairs.note('(sub)segment without a name, named "(unnamed)"', where);
    name = '(unnamed)';
  }
  let startTime = time(doc.start_time, 'start_time', where, repairs);
  if (startTime === undefined) {
    if (parentStart === undefined) {
      repairs.error('segment without a start_time, left out', where);
      return undefined;
    }
    repairs.note("subsegment without a start_time, given its parent's", where);
    startTime = parentStart;
  }
  let inProgress = doc.in_progress === true;
  let endTime = inProgress ? undefined : time(doc.end_time, 'end_time', where, repairs);
  if (!inProgress && endTime === undefined) {
    repairs.note('no end_time and not in_progress: shown as in progress', where);
    inProgress = true;
  }
  if (endTime !== undefined && endTime < startTime) {
    repairs.note('end_time before start_time: shown as in progress', where);
    endTime = undefined;
    inProgress = true;
  }
  const flags: Span['flags'] = inProgress ? ['in-progress'] : [];
  const parent = str(doc.parent_id) ?? parentId;
  const subs: Span[] = [];
  if (Array.isArray(doc.subsegments)) {
    if (depth >= documentLimits.maxDepth) {
      repairs.error(`subsegments nested deeper than ${documentLimits.maxDepth} levels, left out`, where);
    } else {
      for (let i = 0; i < doc.subsegments.length; i++) {
        const sub = doc.subsegments[i];
        if (!isObj(sub)) {
          repairs.error('subsegment is not an object, left out', `${String(where)} subsegment ${i}`);
          continue;
        }
        const child = span(sub, traceId, id, startTime, depth + 1, new Where(where, sub.name ?? i), repairs);
        if (child) subs.push(child);
      }
    }
  } else if (doc.subsegments !== undefined) repairs.note('subsegments is not an array, left out', where);
  if (subs.length > 1) subs.sort((a, b) => a.startTime - b.startTime);
  const metadata = objectOrUndefined(doc.metadata, 'metadata', where, repairs) ?? {};
  const otel = isObj(metadata[otelMetadataNamespace]) ? (metadata[otelMetadataNamespace] as Obj) : undefined;
  const precursorIds = Array.isArray(doc.precursor_ids) ? doc.precursor_ids.flatMap((p) => str(p) ?? []) : undefined;
  return {
    id,
    traceId,
    name,
    type: depth === 0 && doc.type !== 'subsegment' ? 'segment' : 'subsegment',
    parentId: parent,
    startTime,
    endTime,
    inProgress,
    error: bool(doc.error, 'error', where, repairs),
    fault: bool(doc.fault, 'fault', where, repairs),
    throttle: bool(doc.throttle, 'throttle', where, repairs),
    namespace: str(doc.namespace),
    origin: str(doc.origin),
    user: str(doc.user),
    resourceArn: str(doc.resource_arn),
    http: http(doc.http, where, repairs),
    aws: objectOrUndefined(doc.aws, 'aws', where, repairs),
    sql: objectOrUndefined(doc.sql, 'sql', where, repairs),
    service: objectOrUndefined(doc.service, 'service', where, repairs),
    annotations: annotations(doc.annotations, where, repairs),
    metadata,
    cause: cause(doc.cause, where, repairs),
    precursorIds,
    otelName: otel ? str(otel.name) : undefined,
    spanKind: otel ? str(otel['span.kind']) : undefined,
    attributes: otel && isObj(otel.attributes) ? otel.attributes : undefined,
    subsegments: subs,
    flags,
  };
}

/**
 * Parses one segment document (already JSON-decoded): a segment, or an independent subsegment
 * (`"type": "subsegment"` with its `parent_id`). Returns undefined, with the reason in repairs,
 * only when the document cannot be used at all.
 */
export function parseSegmentDocument(doc: unknown, repairs: Repairs, where = 'document'): Span | undefined {
  if (!isObj(doc)) {
    repairs.error('document is not a JSON object, left out', where);
    return undefined;
  }
  const traceId = str(doc.trace_id);
  if (!traceId) {
    repairs.error('document without a trace_id, left out', where);
    return undefined;
  }
  if (!xrayTraceIdPattern.test(traceId))
    repairs.note('trace_id not in the 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx form, kept as is', where);
  if (doc.type === 'subsegment' && doc.parent_id === undefined) {
    repairs.error('independent subsegment without a parent_id, left out', where);
    return undefined;
  }
  const s = span(doc, traceId, undefined, undefined, 0, new Where(where, undefined), repairs);
  if (s && doc.type === 'subsegment') (s as { type: Span['type'] }).type = 'subsegment';
  return s;
}

/** Parses one document given as JSON text. */
export function parseSegmentJson(text: string, repairs: Repairs, where = 'document'): Span | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    repairs.error(`not JSON (${e instanceof Error ? e.message : String(e)})`, where);
    return undefined;
  }
  return parseSegmentDocument(doc, repairs, where);
}
