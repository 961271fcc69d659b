// AWS X-Ray as a TraceSource: the user's credentials, lists over any window, whole traces read once
// and then served from the account's cache, Transaction Search accounts read through trace
// retrievals, and a tally of what it all cost. Every failure comes out as one AwsError sentence.
import type { Service, TimeSeriesServiceStatistics, TraceSummary, XRayClient } from '@aws-sdk/client-xray';
import { ApiError } from '../../collector/xrayApi';
import type { Trace } from '../../model/trace';
import type { SummaryBatch, SummaryQuery, TraceSource, TraceSummaryRow } from '../traceSource';
import { assembleFetched, normalizeTraceIds, summaryRow } from '../xray/xraySource';
import { resolveAccount } from './account';
import { cacheFile, defaultCacheDir, TraceCache } from './cache';
import { awsXRayClient } from './client';
import { costEstimate, CostTally, type CostEstimate } from './cost';
import { checkCredentials, credentialProvider, errorContext, isLoopback, type AwsTarget } from './credentials';
import { AwsError, explainAwsError } from './errors';
import { batchGetTraces, type FetchedTrace } from './fetch';
import { serviceGraph, serviceStatistics, type GraphWindow, type StatisticsWindow } from './graph';
import { Pace, type ThrottleState } from './pace';
import { findTraceSummaries, type QueryCursor, type SummaryQueryInput, type TimeRangeType } from './query';
import { retrieveTraces, segmentDestination, type SegmentDestination } from './retrieval';

/** X-Ray keeps traces this long; older windows are answered from the cache. */
export const xrayRetentionDays = 30;

/** The X-Ray trace page of the CloudWatch console, in the trace's region. */
export function consoleTraceUrl(region: string, traceId: string): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/cloudwatch/home?region=${r}#xray:traces/${encodeURIComponent(traceId)}`;
}

/** Defaults of the settings the UI exposes. */
export const awsDefaults = {
  concurrency: 4,
  scanCap: 100_000,
  cacheMaxMegabytes: 1024,
  retrievalTimeoutSec: 120,
  costWarningTraces: 100_000,
} as const;

/** How to open the source. */
export interface AwsSourceOptions {
  readonly target: AwsTarget;
  /** The cache file; default: one per account and region in cacheDir. */
  readonly cachePath?: string;
  /** Default: defaultCacheDir() (beside the local store). */
  readonly cacheDir?: string;
  /** Size bound of the cache in MB; 0 means none. */
  readonly cacheMaxMegabytes?: number;
  /** Calls in flight per operation. */
  readonly concurrency?: number;
  /** Traces scanned by one query before it stops and offers to continue; 0 means no cap. */
  readonly scanCap?: number;
  /** `auto` asks X-Ray once (GetTraceSegmentDestination); `on`/`off` force it. */
  readonly transactionSearch?: 'auto' | 'on' | 'off';
  readonly retrievalTimeoutSec?: number;
  /** The first wait between ListRetrievedTraces polls (default 1 s; it grows to 5 s). */
  readonly retrievalPollMs?: number;
  /** The account to key the cache by, when known (skips the lookup). */
  readonly account?: string;
  /** Attempts per call (the SDK's adaptive retry). */
  readonly maxAttempts?: number;
  /** Shared by the sources of one session. */
  readonly tally?: CostTally;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

/** A query: a window of any length, its filter, and how far to go. */
export type AwsQuery = SummaryQueryInput;

/** Where a stopped query stands: the AWS part and the part older than X-Ray's retention (from the cache). */
export interface AwsCursor {
  readonly xray?: QueryCursor;
  readonly cache?: {
    readonly start: number;
    readonly end: number;
    readonly next?: string;
    readonly skip?: number;
    readonly filter?: string;
    readonly timeRangeType: TimeRangeType;
  };
}

/** What a query found. */
export interface AwsQueryResult {
  /** Newest first. */
  readonly rows: TraceSummaryRow[];
  readonly scanned: number;
  readonly calls: number;
  readonly stoppedBy?: 'limit' | 'scan-cap';
  /** Pass back to query() to continue. */
  readonly resume?: AwsCursor;
}

/** What a fetch of whole traces came to. */
export interface AwsFetchResult {
  /** In the order asked. */
  readonly traces: Trace[];
  readonly fromCache: number;
  readonly fetched: number;
  /** Ids X-Ray did not return. */
  readonly missing: string[];
}

/** The label of a target: `AWS X-Ray (prod, eu-west-1)`. */
export function awsLabel(target: AwsTarget): string {
  const who = target.profile ?? (isLoopback(target.endpoint) ? 'local endpoint' : 'default credentials');
  return `AWS X-Ray (${who}, ${target.region})`;
}

/** AWS X-Ray in one account and region. */
export class AwsSource implements TraceSource {
  readonly label: string;
  readonly tally: CostTally;
  readonly pace: Pace;
  private destinationKnown: Promise<SegmentDestination> | undefined;

  private constructor(
    readonly target: AwsTarget,
    readonly account: string,
    readonly client: XRayClient,
    readonly cache: TraceCache,
    private readonly options: AwsSourceOptions,
    pace: Pace,
    tally: CostTally,
  ) {
    this.label = awsLabel(target);
    this.pace = pace;
    this.tally = tally;
  }

  /** The trace's page in the AWS console of the source's region (a custom endpoint, such as a VPC endpoint, serves the same account). */
  consoleUrl(traceId: string): string {
    return consoleTraceUrl(this.target.region, traceId);
  }

  /** Resolves the credentials and the account (so a bad profile fails here, in one sentence) and opens the cache. */
  static async open(options: AwsSourceOptions, signal?: AbortSignal): Promise<AwsSource> {
    const { target } = options;
    const env = options.env ?? process.env;
    const credentials = credentialProvider(target);
    await checkCredentials(target, credentials, env);
    let account: string;
    try {
      account = options.account ?? (await resolveAccount(target, credentials, env, signal));
    } catch (e) {
      throw explainAwsError(e, { ...errorContext(target, env), operation: 'GetCallerIdentity' });
    }
    const pace = new Pace(options.concurrency ?? awsDefaults.concurrency);
    const tally = options.tally ?? new CostTally();
    const client = awsXRayClient(target, {
      credentials,
      maxAttempts: options.maxAttempts,
      observe: (operation, outcome) => {
        tally.call(operation);
        if (outcome === 'throttled') pace.throttled();
      },
    });
    const path = options.cachePath ?? cacheFile(options.cacheDir ?? defaultCacheDir(env), account, target.region);
    const cache = TraceCache.open(path, options.cacheMaxMegabytes ?? awsDefaults.cacheMaxMegabytes, (m) =>
      options.log?.('warn', m),
    );
    options.log?.('info', `${awsLabel(target)}: account ${account}, cache ${path}`);
    return new AwsSource(target, account, client, cache, options, pace, tally);
  }

  /** Tells listener when X-Ray starts or stops throttling this source ("throttled, slowing down"). */
  onThrottle(listener: (s: ThrottleState) => void): () => void {
    return this.pace.onChange(listener);
  }

  private explain(e: unknown, operation: string): AwsError {
    if (e instanceof ApiError)
      return new AwsError(e.type === 'InvalidRequestException' ? 'invalid-request' : 'other', e.message);
    return explainAwsError(e, { ...errorContext(this.target, this.options.env ?? process.env), operation });
  }

  /** Where this account's spans go (asked once). */
  destination(signal?: AbortSignal): Promise<SegmentDestination> {
    const mode = this.options.transactionSearch ?? 'auto';
    if (mode !== 'auto') return Promise.resolve(mode === 'on' ? 'CloudWatchLogs' : 'XRay');
    const p = (this.destinationKnown ??= segmentDestination(this.client, signal));
    p.catch(() => {
      if (this.destinationKnown === p) this.destinationKnown = undefined;
    });
    return p;
  }

  /** What a query over the window may scan: a forecast from this session's traces per hour, or the cap as an upper bound. */
  estimate(q: Pick<AwsQuery, 'start' | 'end' | 'scanCap'>): CostEstimate {
    const cap = q.scanCap ?? this.options.scanCap ?? awsDefaults.scanCap;
    const awsStart = Math.max(q.start.getTime(), Date.now() - xrayRetentionDays * 86400_000);
    const hours = Math.max(0, q.end.getTime() - awsStart) / 3600_000;
    const forecast = this.tally.forecastScan(hours);
    if (forecast === undefined || (cap > 0 && forecast > cap))
      return costEstimate(cap > 0 ? cap : (forecast ?? 0), cap > 0);
    return costEstimate(forecast);
  }

  /** What fetching these ids would retrieve and cost: only those not in the cache. */
  estimateFetch(ids: readonly string[]): CostEstimate {
    return costEstimate(normalizeTraceIds(ids).filter((id) => !this.cache.has(id)).length);
  }

  /**
   * Summaries over any window, newest first: the part within X-Ray's retention from AWS (sliced,
   * paged, capped), the older part from the cache. resume continues a stopped query.
   */
  async query(q: AwsQuery, signal?: AbortSignal, resume?: AwsCursor): Promise<AwsQueryResult> {
    const boundary = Date.now() / 1000 - xrayRetentionDays * 86400;
    const trt = q.timeRangeType ?? 'TraceId';
    const startSec = q.start.getTime() / 1000;
    const endSec = q.end.getTime() / 1000;
    const fresh = resume === undefined;
    const cap = q.scanCap ?? this.options.scanCap ?? awsDefaults.scanCap;
    let rows: TraceSummaryRow[] = [];
    let scanned = 0;
    let calls = 0;
    let xrayNext: QueryCursor | undefined;
    let stoppedBy: AwsQueryResult['stoppedBy'];
    if (fresh ? endSec > boundary : resume.xray !== undefined) {
      const window = {
        ...q,
        start: new Date(Math.max(startSec, boundary) * 1000),
        timeRangeType: trt,
        scanCap: cap > 0 ? cap : undefined,
      };
      const hoursBefore = resume?.xray ? doneHours(resume.xray) : 0;
      try {
        const r = await findTraceSummaries(
          this.client,
          window,
          { concurrency: this.options.concurrency ?? awsDefaults.concurrency, pace: this.pace, signal },
          resume?.xray,
        );
        rows = r.rows;
        scanned = r.scanned;
        calls = r.calls;
        xrayNext = r.resume;
        stoppedBy = r.stoppedBy;
        this.tally.scan(
          r.scanned,
          (r.resume ? doneHours(r.resume) : (window.end.getTime() - window.start.getTime()) / 3600_000) - hoursBefore,
        );
      } catch (e) {
        throw this.explain(e, 'GetTraceSummaries');
      }
    }
    let cacheNext = fresh
      ? startSec < boundary
        ? { start: startSec, end: Math.min(endSec, boundary), filter: q.filter || undefined, timeRangeType: trt }
        : undefined
      : resume.cache;
    const room = (q.limit ?? Infinity) - rows.length;
    if (!xrayNext && cacheNext && room > 0) {
      const r = this.cacheSummaries(cacheNext, room);
      rows = rows.concat(r.rows);
      cacheNext = r.next;
      if (cacheNext && !stoppedBy) stoppedBy = 'limit';
    }
    const more = xrayNext || cacheNext ? { xray: xrayNext, cache: cacheNext } : undefined;
    return { rows, scanned, calls, stoppedBy: more ? (stoppedBy ?? 'limit') : undefined, resume: more };
  }

  private cacheSummaries(
    c: NonNullable<AwsCursor['cache']>,
    room: number,
  ): { rows: TraceSummaryRow[]; next?: AwsCursor['cache'] } {
    const rows: TraceSummaryRow[] = [];
    let token = c.next;
    let skip = c.skip ?? 0;
    try {
      for (;;) {
        const r = this.cache.xrayApi.handle('/TraceSummaries', {
          StartTime: c.start,
          EndTime: c.end,
          TimeRangeType: c.timeRangeType,
          FilterExpression: c.filter,
          NextToken: token,
        }) as { TraceSummaries: TraceSummary[]; NextToken?: string };
        const page = r.TraceSummaries.slice(skip);
        const taken = page.slice(0, room - rows.length);
        rows.push(...taken.map(summaryRow));
        // Stopped inside a page: continue from the same page, past what was returned.
        if (taken.length < page.length) return { rows, next: { ...c, next: token, skip: skip + taken.length } };
        skip = 0;
        token = r.NextToken;
        if (!token) return { rows };
        if (rows.length >= room) return { rows, next: { ...c, next: token, skip: 0 } };
      }
    } catch (e) {
      throw this.explain(e, 'GetTraceSummaries');
    }
  }

  async summaries(q: SummaryQuery, signal?: AbortSignal): Promise<TraceSummaryRow[]> {
    return (await this.query(q, signal)).rows;
  }

  async summaryBatch(q: SummaryQuery, resume?: unknown, signal?: AbortSignal): Promise<SummaryBatch> {
    const r = await this.query(q, signal, resume as AwsCursor | undefined);
    const n = (x: number) => x.toLocaleString('en-US');
    const stopped =
      r.stoppedBy === 'scan-cap'
        ? `stopped after scanning ${n(r.scanned)} traces (the scan cap)`
        : r.stoppedBy === 'limit'
          ? `showing the newest ${n(r.rows.length)}`
          : undefined;
    return { rows: r.rows, stopped, resume: r.resume };
  }

  /** Whole traces with counts: cached ones cost nothing, the rest come from BatchGetTraces or a trace retrieval. */
  async fetch(ids: readonly string[], signal?: AbortSignal): Promise<AwsFetchResult> {
    const wanted = normalizeTraceIds(ids);
    const found = new Map<string, Trace>();
    for (const id of wanted) {
      const t = this.cache.has(id) ? this.cache.load(id) : undefined;
      if (t) found.set(id, t);
    }
    const rest = wanted.filter((id) => !found.has(id));
    this.tally.cached += found.size;
    let missing: string[] = [];
    let fetched = 0;
    if (rest.length) {
      let saved = 0;
      const onTraces = (ts: FetchedTrace[]) => {
        // Kept as they come, so a cancelled fetch keeps what it paid for.
        saved += this.cache.save(ts).length;
        this.tally.retrieve(ts.length);
        for (const t of ts) found.set(t.id, assembleFetched(t));
        fetched += ts.length;
      };
      const concurrency = this.options.concurrency ?? awsDefaults.concurrency;
      let operation = 'GetTraceSegmentDestination';
      try {
        const dest = await this.destination(signal);
        operation = dest === 'CloudWatchLogs' ? 'StartTraceRetrieval' : 'BatchGetTraces';
        const r =
          dest === 'CloudWatchLogs'
            ? await retrieveTraces(this.client, rest, {
                signal,
                pace: this.pace,
                onTraces,
                timeoutMs: (this.options.retrievalTimeoutSec ?? awsDefaults.retrievalTimeoutSec) * 1000,
                pollMs: this.options.retrievalPollMs,
              })
            : await batchGetTraces(this.client, rest, { signal, pace: this.pace, onTraces, concurrency });
        missing = r.missing;
      } catch (e) {
        throw this.explain(e, operation);
      } finally {
        if (saved) this.cache.trim();
      }
    }
    return {
      traces: wanted.flatMap((id) => found.get(id) ?? []),
      fromCache: wanted.length - rest.length,
      fetched,
      missing,
    };
  }

  async traces(ids: readonly string[], signal?: AbortSignal): Promise<Trace[]> {
    return (await this.fetch(ids, signal)).traces;
  }

  /** The service graph of a window, every page. */
  async serviceGraph(w: GraphWindow): Promise<{ services: Service[]; containsOldGroupVersions: boolean }> {
    try {
      return await serviceGraph(this.client, w);
    } catch (e) {
      throw this.explain(e, 'GetServiceGraph');
    }
  }

  /** Service statistics per period over a window, every page. */
  async serviceStatistics(
    w: StatisticsWindow,
  ): Promise<{ points: TimeSeriesServiceStatistics[]; containsOldGroupVersions: boolean }> {
    try {
      return await serviceStatistics(this.client, w);
    } catch (e) {
      throw this.explain(e, 'GetTimeSeriesServiceStatistics');
    }
  }

  dispose(): void {
    this.client.destroy();
    this.cache.close();
  }
}

/** Hours of window the finished slices of a cursor cover. */
function doneHours(c: QueryCursor): number {
  return c.slices.filter((s) => s.done).reduce((h, s) => h + (s.end - s.start) / 3600, 0);
}
