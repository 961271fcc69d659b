// A TraceSource over the X-Ray API through @aws-sdk/client-xray: the same code reads the local
// X-Ray (endpoint set, dummy credentials) and AWS X-Ray (the user's credentials).
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient, type TraceSummary } from '@aws-sdk/client-xray';
import { assembleTrace } from '../../model/assemble';
import { Repairs } from '../../model/repairs';
import { parseSegmentJson } from '../../model/segmentDocument';
import type { Span, Trace } from '../../model/trace';
import type { SummaryQuery, TraceSource, TraceSummaryRow } from '../traceSource';

/** X-Ray's BatchGetTraces limit. */
const batchSize = 5;

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
        new GetTraceSummariesCommand({ StartTime: q.start, EndTime: q.end, FilterExpression: q.filter || undefined, TimeRangeType: q.timeRangeType ?? 'Event', NextToken: next }),
        { abortSignal: signal },
      );
      for (const s of r.TraceSummaries ?? []) if (rows.length < q.limit) rows.push(summaryRow(s));
      next = r.NextToken;
    } while (next && rows.length < q.limit);
    return rows.sort((a, b) => b.start - a.start);
  }

  async traces(ids: readonly string[], signal?: AbortSignal): Promise<Trace[]> {
    const out: Trace[] = [];
    for (let i = 0; i < ids.length; i += batchSize) {
      const r = await this.client.send(new BatchGetTracesCommand({ TraceIds: ids.slice(i, i + batchSize) }), { abortSignal: signal });
      for (const t of r.Traces ?? []) {
        const repairs = new Repairs();
        const spans: Span[] = [];
        for (const seg of t.Segments ?? []) {
          const s = seg.Document ? parseSegmentJson(seg.Document, repairs, `${t.Id} ${seg.Id}`) : undefined;
          if (s) spans.push(s);
        }
        if (t.Id) out.push(assembleTrace(t.Id, spans));
      }
    }
    return out;
  }
}

/** A client for the local X-Ray at endpoint: any credentials do, and a miss is not retried for long. */
export function localXRayClient(endpoint: string): XRayClient {
  return new XRayClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 });
}
