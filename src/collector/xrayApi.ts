// The X-Ray API operations the local X-Ray answers, in the REST-JSON shapes @aws-sdk/client-xray
// sends and reads (member names as in the service model, times as epoch seconds), so any X-Ray
// client pointed at it works unchanged.
import { assembleTrace } from '../model/assemble';
import { Repairs } from '../model/repairs';
import { parseSegmentJson } from '../model/segmentDocument';
import { toSegmentDocument } from '../model/toDocument';
import type { AnnotationValue, Span, Trace } from '../model/trace';
import { buildServiceGraph, type GraphStats, type ServiceGraph } from '../analysis/serviceGraph';
import { compileFilter, type TraceFacts } from './filterExpression';
import type { Ingest } from './ingest';
import { traceIdTime, type TimeRangeType, type TraceStore } from './store';
import { traceTimes, type TraceAggregate } from './traceAggregate';

/** An error in the AWS JSON error shape: the HTTP status, the `x-amzn-errortype` and a message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (message: string) => new ApiError(400, 'InvalidRequestException', message);

/** Limits that match X-Ray's where clients depend on them. */
export const apiLimits = {
  batchGetTraceIds: 5,
  summariesPerPage: 100,
  scanPerPage: 10_000,
  graphTraces: 20_000,
  retrievalTraceIds: 100,
  retrievedTracesPerPage: 25,
  retrievalsKept: 100,
} as const;

/** The operation each path is, by the service model's names. */
export const operationOf: Readonly<Record<string, string>> = {
  '/TraceSummaries': 'GetTraceSummaries',
  '/Traces': 'BatchGetTraces',
  '/TraceSegments': 'PutTraceSegments',
  '/ServiceGraph': 'GetServiceGraph',
  '/TraceGraph': 'GetTraceGraph',
  '/TimeSeriesServiceStatistics': 'GetTimeSeriesServiceStatistics',
  '/GetSamplingRules': 'GetSamplingRules',
  '/SamplingTargets': 'GetSamplingTargets',
  '/GetTraceSegmentDestination': 'GetTraceSegmentDestination',
  '/StartTraceRetrieval': 'StartTraceRetrieval',
  '/ListRetrievedTraces': 'ListRetrievedTraces',
  '/GetRetrievedTracesGraph': 'GetRetrievedTracesGraph',
  '/CancelTraceRetrieval': 'CancelTraceRetrieval',
};

/** A failure the fault switch injects: X-Ray's throttling answer (HTTP 429) or a 5xx. */
export type InjectedFault = 'throttle' | 500 | 502 | 503 | 504;

/**
 * The test-only fault switch: nothing in the product sets it. Tests use it to prove that clients
 * survive what AWS does under load (throttling, 5xx, partial BatchGetTraces answers).
 */
export interface FaultSwitch {
  /** The failure to answer an operation's nth call (counted from 1) with, or undefined to answer it. */
  fail?(operation: string, n: number): InjectedFault | undefined;
  /** True to leave a trace id out of a BatchGetTraces answer (in UnprocessedTraceIds) the nth time it is asked for. */
  holdBack?(traceId: string, n: number): boolean;
}

/** Test-only observer: every call with its body, and the trace ids each answer carried. */
export interface ApiProbe {
  call?(operation: string, body: Readonly<Obj>): void;
  served?(operation: string, traceIds: readonly string[]): void;
}

const faultError = (f: InjectedFault): ApiError =>
  f === 'throttle'
    ? new ApiError(429, 'ThrottledException', 'Rate exceeded')
    : new ApiError(f, f === 500 ? 'InternalFailure' : 'ServiceUnavailable', `injected ${f} (test fault switch)`);

/** A trace retrieval started by StartTraceRetrieval. */
interface Retrieval {
  readonly ids: readonly string[];
  readonly start: number;
  readonly end: number;
  polls: number;
  cancelled: boolean;
}

function time(body: Obj, key: string, required: boolean): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw invalid(`${key} is required`);
    return undefined;
  }
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string'
        ? /^\d+(\.\d+)?$/.test(v)
          ? Number(v)
          : Date.parse(v) / 1000
        : NaN;
  if (!Number.isFinite(n)) throw invalid(`${key} is not a time: ${JSON.stringify(v)}`);
  return n;
}

function window(body: Obj): { start: number; end: number } {
  const start = time(body, 'StartTime', true)!;
  const end = time(body, 'EndTime', true)!;
  if (end < start) throw invalid('EndTime is before StartTime');
  return { start, end };
}

const token = (cursor: string) => Buffer.from(cursor).toString('base64url');
function untoken(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalid('NextToken is not a string');
  return Buffer.from(v, 'base64url').toString('utf8');
}

/** The facts a filter expression is evaluated against, from a trace's aggregate. */
export function factsOf(agg: TraceAggregate): TraceFacts {
  const { responseTime, duration, root } = traceTimes(agg);
  const services = new Map<string, TraceFacts['services'][number]>();
  for (const s of agg.segments) {
    const key = `${s.name}\u0000${s.origin ?? ''}`;
    const prev = services.get(key);
    const rt = s.end === undefined ? undefined : s.end - s.start;
    if (!prev)
      services.set(key, {
        name: s.name,
        type: s.origin,
        ok: !s.error && !s.fault && !s.throttle,
        error: s.error,
        fault: s.fault,
        throttle: s.throttle,
        responseTimeSec: rt,
        durationSec: rt,
      });
    else {
      prev.error ||= s.error;
      prev.fault ||= s.fault;
      prev.throttle ||= s.throttle;
      prev.ok = !prev.error && !prev.fault && !prev.throttle;
      if (rt !== undefined && (prev.responseTimeSec === undefined || rt > prev.responseTimeSec))
        prev.responseTimeSec = prev.durationSec = rt;
    }
  }
  return {
    ok: !agg.error && !agg.fault && !agg.throttle,
    error: agg.error,
    fault: agg.fault,
    throttle: agg.throttle,
    responseTimeSec: responseTime,
    durationSec: duration,
    http: { status: root?.http?.status, url: root?.http?.url, method: root?.http?.method },
    users: agg.users,
    annotations: agg.annotations,
    services: [...services.values()],
  };
}

const annotationValue = (v: AnnotationValue) =>
  typeof v === 'string' ? { StringValue: v } : typeof v === 'number' ? { NumberValue: v } : { BooleanValue: v };

/** A TraceSummary as GetTraceSummaries returns it. */
export function traceSummary(agg: TraceAggregate): Obj {
  const { responseTime, duration, root } = traceTimes(agg);
  const serviceIds = [
    ...new Map(
      agg.segments.map((s) => [`${s.name}\u0000${s.origin ?? ''}`, { Name: s.name, Names: [s.name], Type: s.origin }]),
    ).values(),
  ];
  return {
    Id: agg.id,
    StartTime: agg.start,
    Duration: duration,
    ResponseTime: responseTime,
    HasFault: agg.fault,
    HasError: agg.error,
    HasThrottle: agg.throttle,
    IsPartial: agg.inProgress.length > 0,
    Http: root?.http
      ? {
          HttpURL: root.http.url,
          HttpStatus: root.http.status,
          HttpMethod: root.http.method,
          UserAgent: root.http.userAgent,
          ClientIp: root.http.clientIp,
        }
      : undefined,
    Annotations: Object.fromEntries(
      Object.entries(agg.annotations).map(([k, vs]) => [k, vs.map((v) => ({ AnnotationValue: annotationValue(v) }))]),
    ),
    Users: agg.users.map((u) => ({ UserName: u })),
    ServiceIds: serviceIds,
    EntryPoint: root ? { Name: root.name, Names: [root.name], Type: root.origin } : undefined,
    ResourceARNs: [...new Set(agg.segments.flatMap((s) => s.resourceArn ?? []))].map((ARN) => ({ ARN })),
    MatchedEventTime: agg.start,
  };
}

/** Reads and assembles one stored trace; undefined when unknown. */
export function loadTrace(store: TraceStore, traceId: string, repairs = new Repairs()): Trace | undefined {
  const docs = store.documents(traceId);
  if (docs.length === 0) return undefined;
  const spans: Span[] = [];
  for (const d of docs) {
    const s = parseSegmentJson(d, repairs, traceId);
    if (s) spans.push(s);
  }
  return assembleTrace(traceId, spans);
}

function statsShape(s: GraphStats): Obj {
  return {
    OkCount: s.ok,
    ErrorStatistics: { ThrottleCount: s.throttle, OtherCount: s.error - s.throttle, TotalCount: s.error },
    FaultStatistics: { OtherCount: s.fault, TotalCount: s.fault },
    TotalCount: s.total,
    TotalResponseTime: s.durations.reduce((a, b) => a + b, 0),
  };
}

/** X-Ray's histogram: durations rounded to buckets (ms resolution under a second, coarser above). */
function histogram(durations: number[]): Obj[] {
  const buckets = new Map<number, number>();
  for (const d of durations) {
    const v = d < 1 ? Math.round(d * 1000) / 1000 : d < 10 ? Math.round(d * 100) / 100 : Math.round(d * 10) / 10;
    buckets.set(v, (buckets.get(v) ?? 0) + 1);
  }
  return [...buckets].sort((a, b) => a[0] - b[0]).map(([Value, Count]) => ({ Value, Count }));
}

function graphShape(g: ServiceGraph): Obj[] {
  return g.nodes.map((n) => ({
    ReferenceId: n.id,
    Name: n.name,
    Names: [n.name],
    Root: n.root,
    Type: n.type,
    State: 'active',
    StartTime: n.stats.start === Infinity ? g.start : n.stats.start,
    EndTime: n.stats.end === -Infinity ? g.end : n.stats.end,
    Edges: [...n.edges].map(([to, e]) => ({
      ReferenceId: to,
      StartTime: e.start,
      EndTime: e.end,
      SummaryStatistics: statsShape(e),
      ResponseTimeHistogram: histogram(e.durations),
      Aliases: [],
    })),
    SummaryStatistics: n.type === 'client' ? undefined : statsShape(n.stats),
    DurationHistogram: n.type === 'client' ? [] : histogram(n.stats.durations),
    ResponseTimeHistogram: n.type === 'client' ? [] : histogram(n.stats.durations),
  }));
}

/** The operations, by the HTTP path the SDK posts to. */
export class XRayApi {
  /** Calls received, by operation name (also those the fault switch failed). */
  readonly calls = new Map<string, number>();
  /** Test-only: see FaultSwitch. Undefined (off) unless a test sets it. */
  faults: FaultSwitch | undefined;
  /** Test-only: see ApiProbe. */
  probe: ApiProbe | undefined;
  /**
   * Where GetTraceSegmentDestination says spans go. `CloudWatchLogs` is an account with Transaction
   * Search: BatchGetTraces then finds nothing and traces come through StartTraceRetrieval.
   */
  segmentDestination: 'XRay' | 'CloudWatchLogs' = 'XRay';
  /** How many ListRetrievedTraces polls answer RUNNING before a retrieval is COMPLETE. */
  retrievalPolls = 1;
  /** The widest GetTraceSummaries window accepted, in hours; the local store needs none, tests set X-Ray's. */
  maxSummaryWindowHours: number | undefined;
  private readonly retrievals = new Map<string, Retrieval>();
  private readonly askedFor = new Map<string, number>();
  private retrievalCount = 0;

  constructor(
    private readonly store: TraceStore,
    private readonly ingest: Ingest,
    private readonly startedAt = Date.now() / 1000,
  ) {}

  /** Runs the operation at path with the decoded JSON body. */
  handle(path: string, body: unknown): Obj {
    const b = isObj(body) ? body : {};
    const operation = operationOf[path];
    if (operation) {
      const n = (this.calls.get(operation) ?? 0) + 1;
      this.calls.set(operation, n);
      this.probe?.call?.(operation, b);
      const fault = this.faults?.fail?.(operation, n);
      if (fault !== undefined) throw faultError(fault);
    }
    if (body !== undefined && !isObj(body))
      throw new ApiError(400, 'SerializationException', 'request body is not a JSON object');
    switch (path) {
      case '/TraceSummaries':
        return this.getTraceSummaries(b);
      case '/Traces':
        return this.batchGetTraces(b);
      case '/TraceSegments':
        return this.putTraceSegments(b);
      case '/ServiceGraph':
        return this.getServiceGraph(b);
      case '/TraceGraph':
        return this.getTraceGraph(b);
      case '/TimeSeriesServiceStatistics':
        return this.getTimeSeriesServiceStatistics(b);
      case '/GetSamplingRules':
        return this.getSamplingRules();
      case '/SamplingTargets':
        return this.getSamplingTargets(b);
      case '/GetTraceSegmentDestination':
        return { Destination: this.segmentDestination, Status: 'ACTIVE' };
      case '/StartTraceRetrieval':
        return this.startTraceRetrieval(b);
      case '/ListRetrievedTraces':
        return this.listRetrievedTraces(b);
      case '/GetRetrievedTracesGraph':
        return this.getRetrievedTracesGraph(b);
      case '/CancelTraceRetrieval':
        return this.cancelTraceRetrieval(b);
      default:
        throw new ApiError(404, 'UnknownOperationException', `the local X-Ray does not implement ${path}`);
    }
  }

  private getTraceSummaries(b: Obj): Obj {
    const { start, end } = window(b);
    if (this.maxSummaryWindowHours !== undefined && end - start > this.maxSummaryWindowHours * 3600) {
      throw invalid(`The time range between StartTime and EndTime must be at most ${this.maxSummaryWindowHours} hours`);
    }
    const trt = b.TimeRangeType ?? 'TraceId';
    if (trt !== 'TraceId' && trt !== 'Event' && trt !== 'Service')
      throw invalid(`TimeRangeType must be TraceId, Event or Service, not ${JSON.stringify(trt)}`);
    const expr = b.FilterExpression === undefined || b.FilterExpression === null ? '' : b.FilterExpression;
    if (typeof expr !== 'string') throw invalid('FilterExpression is not a string');
    const compiled = compileFilter(expr);
    if (!compiled.ok) throw invalid(`Invalid filter expression: ${compiled.message}`);
    this.ingest.flush();
    const summaries: Obj[] = [];
    let cursor = untoken(b.NextToken);
    let scanned = 0;
    while (summaries.length < apiLimits.summariesPerPage && scanned < apiLimits.scanPerPage) {
      const page = this.store.summaries({
        start,
        end,
        timeRangeType: trt as TimeRangeType,
        limit: apiLimits.summariesPerPage - summaries.length,
        cursor,
      });
      for (const agg of page.items) {
        scanned++;
        if (compiled.filter(factsOf(agg))) summaries.push(traceSummary(agg));
      }
      cursor = page.next;
      if (!cursor) break;
    }
    return {
      TraceSummaries: summaries,
      ApproximateTime: Math.floor(Date.now() / 1000),
      TracesProcessedCount: scanned,
      NextToken: cursor ? token(cursor) : undefined,
    };
  }

  private traceIds(b: Obj): string[] {
    if (!Array.isArray(b.TraceIds) || b.TraceIds.some((t) => typeof t !== 'string'))
      throw invalid('TraceIds must be a list of trace ids');
    return b.TraceIds as string[];
  }

  private batchGetTraces(b: Obj): Obj {
    const ids = this.traceIds(b);
    if (ids.length > apiLimits.batchGetTraceIds)
      throw invalid(`TraceIds has ${ids.length} ids; at most ${apiLimits.batchGetTraceIds} per call`);
    this.ingest.flush();
    const traces: Obj[] = [];
    const unprocessed: string[] = [];
    for (const id of ids) {
      const held = this.faults?.holdBack && this.faults.holdBack(id, this.askFor(id));
      // With Transaction Search, spans go to CloudWatch Logs, where BatchGetTraces cannot see them.
      const t = held || this.segmentDestination === 'CloudWatchLogs' ? undefined : this.traceShape(id);
      if (t) traces.push({ Id: t.Id, Duration: t.Duration, LimitExceeded: false, Segments: t.Spans });
      else unprocessed.push(id);
    }
    this.probe?.served?.(
      'BatchGetTraces',
      traces.map((t) => t.Id as string),
    );
    return { Traces: traces, UnprocessedTraceIds: unprocessed };
  }

  private askFor(id: string): number {
    const n = (this.askedFor.get(id) ?? 0) + 1;
    this.askedFor.set(id, n);
    return n;
  }

  /** One stored trace as X-Ray serves it: `{ Id, Duration, Spans: [{ Id, Document }] }`. */
  private traceShape(id: string): { Id: string; Duration?: number; Spans: Obj[] } | undefined {
    const docs = this.store.documents(id);
    if (docs.length === 0) return undefined;
    const agg = this.store.aggregate(id);
    const { duration } = agg ? traceTimes(agg) : {};
    let spans: Obj[];
    if (!docs.some((d) => /"type"\s*:\s*"subsegment"/.test(d))) {
      // Served as received: nothing is lost that our model does not know.
      spans = docs.map((d) => ({ Id: /"id"\s*:\s*"([^"]*)"/.exec(d)?.[1], Document: d }));
    } else {
      // Like X-Ray, independent subsegments are served inside their segments.
      const trace = loadTrace(this.store, id)!;
      spans = [...trace.segments, ...trace.orphans].map((s) => ({
        Id: s.id,
        Document: JSON.stringify(toSegmentDocument(s)),
      }));
    }
    return { Id: id, Duration: duration, Spans: spans };
  }

  private startTraceRetrieval(b: Obj): Obj {
    const ids = this.traceIds(b);
    if (ids.length === 0 || ids.length > apiLimits.retrievalTraceIds)
      throw invalid(`TraceIds has ${ids.length} ids; give 1 to ${apiLimits.retrievalTraceIds}`);
    const { start, end } = window(b);
    const token = `local-retrieval-${++this.retrievalCount}-${Date.now().toString(36)}`;
    this.retrievals.set(token, { ids: [...new Set(ids)], start, end, polls: 0, cancelled: false });
    // Retrievals expire on X-Ray too; keep a bounded few.
    for (const old of this.retrievals.keys()) {
      if (this.retrievals.size <= apiLimits.retrievalsKept) break;
      this.retrievals.delete(old);
    }
    return { RetrievalToken: token };
  }

  private retrieval(b: Obj): Retrieval {
    if (typeof b.RetrievalToken !== 'string' || !b.RetrievalToken) throw invalid('RetrievalToken is required');
    const r = this.retrievals.get(b.RetrievalToken);
    if (!r)
      throw new ApiError(
        404,
        'ResourceNotFoundException',
        `no retrieval ${b.RetrievalToken} (it expired or was never started)`,
      );
    return r;
  }

  /** The retrieval's status after this poll; the traces are there once COMPLETE. */
  private poll(r: Retrieval): 'RUNNING' | 'COMPLETE' | 'CANCELLED' {
    if (r.cancelled) return 'CANCELLED';
    return r.polls++ < this.retrievalPolls ? 'RUNNING' : 'COMPLETE';
  }

  /** The retrieval's traces that exist and started inside its window. */
  private retrievedIds(r: Retrieval): string[] {
    this.ingest.flush();
    return r.ids.filter((id) => {
      const agg = this.store.aggregate(id);
      const at = agg ? (traceIdTime(id) ?? agg.start) : undefined;
      return at !== undefined && at >= r.start && at <= r.end;
    });
  }

  private listRetrievedTraces(b: Obj): Obj {
    const r = this.retrieval(b);
    if (b.TraceFormat !== undefined && b.TraceFormat !== 'XRAY')
      throw invalid(`the local X-Ray serves TraceFormat XRAY only, not ${JSON.stringify(b.TraceFormat)}`);
    const status = this.poll(r);
    if (status !== 'COMPLETE') return { RetrievalStatus: status, TraceFormat: 'XRAY', Traces: [] };
    const ids = this.retrievedIds(r);
    const from = Number(untoken(b.NextToken) ?? 0);
    const page = ids.slice(from, from + apiLimits.retrievedTracesPerPage);
    const traces = page.flatMap((id) => this.traceShape(id) ?? []);
    this.probe?.served?.(
      'ListRetrievedTraces',
      traces.map((t) => t.Id),
    );
    const next = from + page.length < ids.length ? token(String(from + page.length)) : undefined;
    return { RetrievalStatus: status, TraceFormat: 'XRAY', Traces: traces, NextToken: next };
  }

  private getRetrievedTracesGraph(b: Obj): Obj {
    const r = this.retrieval(b);
    const status = this.poll(r);
    if (status !== 'COMPLETE') return { RetrievalStatus: status, Services: [] };
    const traces = this.retrievedIds(r).flatMap((id) => loadTrace(this.store, id) ?? []);
    return {
      RetrievalStatus: status,
      Services: graphShape(buildServiceGraph(traces)).map((Service) => ({ Service, Links: [] })),
    };
  }

  private cancelTraceRetrieval(b: Obj): Obj {
    this.retrieval(b).cancelled = true;
    return {};
  }

  private putTraceSegments(b: Obj): Obj {
    const docs = b.TraceSegmentDocuments;
    if (!Array.isArray(docs)) throw invalid('TraceSegmentDocuments must be a list of JSON documents');
    const unprocessed: Obj[] = [];
    docs.forEach((d, i) => {
      const why =
        typeof d === 'string' ? this.ingest.document(d, `PutTraceSegments[${i}]`) : 'document is not a string';
      if (why)
        unprocessed.push({
          Id: typeof d === 'string' ? /"id"\s*:\s*"([^"]*)"/.exec(d)?.[1] : undefined,
          ErrorCode: 'InvalidDocument',
          Message: why,
        });
    });
    return { UnprocessedTraceSegments: unprocessed };
  }

  /** Assembled traces in the window, newest first, at most limit. */
  private tracesIn(start: number, end: number, limit: number): Trace[] {
    this.ingest.flush();
    const out: Trace[] = [];
    let cursor: string | undefined;
    do {
      const page = this.store.summaries({ start, end, timeRangeType: 'Event', limit: 500, cursor });
      for (const agg of page.items) {
        const t = loadTrace(this.store, agg.id);
        if (t) out.push(t);
      }
      cursor = page.next;
    } while (cursor && out.length < limit);
    return out;
  }

  private getServiceGraph(b: Obj): Obj {
    const { start, end } = window(b);
    const graph = buildServiceGraph(this.tracesIn(start, end, apiLimits.graphTraces));
    return { StartTime: start, EndTime: end, Services: graphShape(graph), ContainsOldGroupVersions: false };
  }

  private getTraceGraph(b: Obj): Obj {
    const ids = this.traceIds(b);
    this.ingest.flush();
    const traces = ids.flatMap((id) => loadTrace(this.store, id) ?? []);
    return { Services: graphShape(buildServiceGraph(traces)) };
  }

  private getTimeSeriesServiceStatistics(b: Obj): Obj {
    const { start, end } = window(b);
    const period = b.Period === undefined ? 60 : Number(b.Period);
    if (!Number.isInteger(period) || period < 60 || period % 60 !== 0)
      throw invalid('Period must be a multiple of 60 seconds');
    const selector =
      typeof b.EntitySelectorExpression === 'string'
        ? /service\(\s*"((?:[^"\\]|\\.)*)"\s*\)/.exec(b.EntitySelectorExpression)?.[1]
        : undefined;
    const buckets = new Map<
      number,
      { ok: number; error: number; throttle: number; fault: number; total: number; time: number; durations: number[] }
    >();
    for (const trace of this.tracesIn(start, end, apiLimits.graphTraces)) {
      for (const seg of trace.segments) {
        if (selector !== undefined && seg.name !== selector) continue;
        if (seg.endTime === undefined) continue;
        const at = Math.floor(seg.startTime / period) * period;
        let s = buckets.get(at);
        if (!s) buckets.set(at, (s = { ok: 0, error: 0, throttle: 0, fault: 0, total: 0, time: 0, durations: [] }));
        s.total++;
        if (seg.fault) s.fault++;
        else if (seg.throttle) {
          s.throttle++;
          s.error++;
        } else if (seg.error) s.error++;
        else s.ok++;
        s.time += seg.endTime - seg.startTime;
        s.durations.push(seg.endTime - seg.startTime);
      }
    }
    return {
      TimeSeriesServiceStatistics: [...buckets]
        .sort((a, b2) => a[0] - b2[0])
        .map(([at, s]) => ({
          Timestamp: at,
          ServiceSummaryStatistics: {
            OkCount: s.ok,
            ErrorStatistics: { ThrottleCount: s.throttle, OtherCount: s.error - s.throttle, TotalCount: s.error },
            FaultStatistics: { OtherCount: s.fault, TotalCount: s.fault },
            TotalCount: s.total,
            TotalResponseTime: s.time,
          },
          ResponseTimeHistogram: histogram(s.durations),
        })),
      ContainsOldGroupVersions: false,
    };
  }

  private getSamplingRules(): Obj {
    // Locally every request is sampled: the point is to see them all.
    return {
      SamplingRuleRecords: [
        {
          SamplingRule: {
            RuleName: 'Default',
            RuleARN: 'arn:aws:xray:local:000000000000:sampling-rule/Default',
            ResourceARN: '*',
            Priority: 10000,
            FixedRate: 1,
            ReservoirSize: 0,
            ServiceName: '*',
            ServiceType: '*',
            Host: '*',
            HTTPMethod: '*',
            URLPath: '*',
            Version: 1,
            Attributes: {},
          },
          CreatedAt: this.startedAt,
          ModifiedAt: this.startedAt,
        },
      ],
    };
  }

  private getSamplingTargets(b: Obj): Obj {
    const docs = Array.isArray(b.SamplingStatisticsDocuments) ? b.SamplingStatisticsDocuments.filter(isObj) : [];
    const now = Math.floor(Date.now() / 1000);
    return {
      SamplingTargetDocuments: docs.map((d) => ({
        RuleName: d.RuleName,
        FixedRate: 1,
        ReservoirQuota: 0,
        ReservoirQuotaTTL: now + 3600,
        Interval: 10,
      })),
      LastRuleModification: this.startedAt,
      UnprocessedStatistics: [],
    };
  }
}
