// A TraceSource over the X-Ray API through @aws-sdk/client-xray: the same code reads the local
// X-Ray (endpoint set, dummy credentials) and AWS X-Ray (the user's credentials).
import { GetTraceSummariesCommand, XRayClient, type TraceSummary } from '@aws-sdk/client-xray';
import { assembleTrace } from '../../model/assemble';
import { Repairs } from '../../model/repairs';
import { parseSegmentJson } from '../../model/segmentDocument';
import type { Span, Trace } from '../../model/trace';
import { batchGetTraces, type FetchedTrace } from '../aws/fetch';
import { toXRayTraceId } from '../aws/traceIds';
import type { SummaryQuery, TraceSource, TraceSummaryRow } from '../traceSource';

/** Converts one X-Ray TraceSummary into a row. */
export function summaryRow(s: TraceSummary): TraceSummaryRow {
  const ms = (sec: number | undefined) => (sec === undefined ? undefined : Math.round(sec * 1e6) / 1e3);
  const start = s.StartTime instanceof Date ? s.StartTime.getTime() / 1000 : Number(s.StartTime ?? 0);
  return {
    id: s.Id ?? '',
    start,
    durationMs: ms(s.Duration),
    responseTimeMs: ms(s.ResponseTime),
    service: s.EntryPoint?.Name,
    method: s.Http?.HttpMethod,
    url: s.Http?.HttpURL,
    status: s.Http?.HttpStatus,
    error: s.HasError ?? false,
    fault: s.HasFault ?? false,
    throttle: s.HasThrottle ?? false,
    partial: s.IsPartial ?? false,
    services: (s.ServiceIds ?? []).flatMap((x) => x.Name ?? []),
  };
}

/** Reads an X-Ray API. */
export class XRaySource implements TraceSource {
  constructor(
    readonly label: string,
    private readonly client: XRayClient,
  ) {}

  async summaries(q: SummaryQuery, signal?: AbortSignal): Promise<TraceSummaryRow[]> {
    const rows: TraceSummaryRow[] = [];
    let next: string | undefined;
    do {
      const r = await this.client.send(
        new GetTraceSummariesCommand({
          StartTime: q.start,
          EndTime: q.end,
          FilterExpression: q.filter || undefined,
          TimeRangeType: q.timeRangeType ?? 'Event',
          NextToken: next,
        }),
        { abortSignal: signal },
      );
      for (const s of r.TraceSummaries ?? []) if (rows.length < q.limit) rows.push(summaryRow(s));
      next = r.NextToken;
    } while (next && rows.length < q.limit);
    return rows.sort((a, b) => b.start - a.start);
  }

  async traces(ids: readonly string[], signal?: AbortSignal): Promise<Trace[]> {
    const wanted = normalizeTraceIds(ids);
    // The local X-Ray answers at once: one retry round for ids it has not stored yet is enough.
    const r = await batchGetTraces(this.client, wanted, { signal, unprocessedRetries: 1, backoffBaseMs: 50 });
    const byId = new Map(r.traces.map((t) => [t.id, t]));
    return wanted.flatMap((id) => (byId.has(id) ? [assembleFetched(byId.get(id)!)] : []));
  }
}

/** The X-Ray form of each id (W3C ids converted; others kept as given, for X-Ray to judge), without repeats. */
export function normalizeTraceIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => toXRayTraceId(id) ?? id.trim()).filter(Boolean))];
}

/** A fetched trace's documents parsed and assembled into the model. */
export function assembleFetched(t: FetchedTrace): Trace {
  const repairs = new Repairs();
  const spans: Span[] = [];
  for (const doc of t.documents) {
    const s = parseSegmentJson(doc, repairs, t.id);
    if (s) spans.push(s);
  }
  return assembleTrace(t.id, spans);
}

/** A client for the local X-Ray at endpoint: any credentials do, and a miss is not retried for long. */
export function localXRayClient(endpoint: string): XRayClient {
  return new XRayClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
}
