// Accounts with Transaction Search send spans to CloudWatch Logs, where BatchGetTraces cannot see
// them: whole traces come through StartTraceRetrieval, then ListRetrievedTraces polled until the
// retrieval is COMPLETE (with a timeout, and cancelled on X-Ray's side when we give up).
import {
  CancelTraceRetrievalCommand,
  GetTraceSegmentDestinationCommand,
  ListRetrievedTracesCommand,
  StartTraceRetrievalCommand,
  type XRayClient,
} from '@aws-sdk/client-xray';
import { traceIdTime } from '../../collector/store';
import { runPool, sleep } from './concurrency';
import { AwsError, isAbort } from './errors';
import type { FetchedTrace, FetchResult } from './fetch';
import type { Pace } from './pace';

/** Where an account's spans go: X-Ray's own store, or CloudWatch Logs (Transaction Search). */
export type SegmentDestination = 'XRay' | 'CloudWatchLogs';

/** X-Ray's StartTraceRetrieval limit. */
export const retrievalTraceIds = 100;

/** Asks X-Ray where the account's spans go; an account or endpoint that cannot say is classic X-Ray. */
export async function segmentDestination(client: XRayClient, signal?: AbortSignal): Promise<SegmentDestination> {
  try {
    const r = await client.send(new GetTraceSegmentDestinationCommand({}), { abortSignal: signal });
    return r.Destination === 'CloudWatchLogs' ? 'CloudWatchLogs' : 'XRay';
  } catch (e) {
    // Older read-only policies lack xray:GetTraceSegmentDestination; such accounts are what they were.
    const name = (e as Error).name;
    if (
      /AccessDenied|UnknownOperation|NotFound|NotImplemented/i.test(name) ||
      (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
    )
      return 'XRay';
    throw e;
  }
}

/** A group of ids retrieved together, with the window their times fall in. */
export interface RetrievalGroup {
  readonly ids: string[];
  readonly start: Date;
  readonly end: Date;
}

/**
 * Groups ids by the time in their id, at most 100 a group and 6 hours apart, each with a window
 * from a minute before the first to an hour after the last (traces last a while), never past now.
 */
export function retrievalGroups(ids: readonly string[], nowMs = Date.now()): RetrievalGroup[] {
  const timed = [...new Set(ids)]
    .map((id) => ({ id, at: traceIdTime(id) ?? nowMs / 1000 }))
    .sort((a, b) => a.at - b.at);
  const groups: RetrievalGroup[] = [];
  let cur: { id: string; at: number }[] = [];
  const flush = () => {
    if (!cur.length) return;
    const first = cur[0]!.at;
    const last = cur[cur.length - 1]!.at;
    groups.push({
      ids: cur.map((x) => x.id),
      start: new Date((first - 60) * 1000),
      end: new Date(Math.min(nowMs, (last + 3600) * 1000)),
    });
    cur = [];
  };
  for (const x of timed) {
    if (cur.length >= retrievalTraceIds || (cur.length && x.at - cur[0]!.at > 6 * 3600)) flush();
    cur.push(x);
  }
  flush();
  return groups;
}

/** How a retrieval runs. */
export interface RetrievalOptions {
  readonly signal?: AbortSignal;
  /** Give up on one retrieval after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** The first wait between polls (default 1 s); it grows to maxPollMs. */
  readonly pollMs?: number;
  readonly maxPollMs?: number;
  /** Retrievals at once (default 2). */
  readonly concurrency?: number;
  readonly pace?: Pace;
  readonly onTraces?: (traces: FetchedTrace[]) => void;
}

/** Fetches whole traces from a Transaction Search account. */
export async function retrieveTraces(
  client: XRayClient,
  ids: readonly string[],
  options: RetrievalOptions = {},
): Promise<FetchResult> {
  const groups = retrievalGroups(ids);
  const got = new Map<string, FetchedTrace>();
  let calls = 0;
  const one = async (g: RetrievalGroup): Promise<void> => {
    const started = await client.send(
      new StartTraceRetrievalCommand({ TraceIds: g.ids, StartTime: g.start, EndTime: g.end }),
      { abortSignal: options.signal },
    );
    calls++;
    const token = started.RetrievalToken;
    if (!token) throw new AwsError('service', 'X-Ray started no trace retrieval (no RetrievalToken): try again.');
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    let wait = options.pollMs ?? 1000;
    let next: string | undefined;
    try {
      for (;;) {
        const r = await client.send(
          new ListRetrievedTracesCommand({ RetrievalToken: token, TraceFormat: 'XRAY', NextToken: next }),
          { abortSignal: options.signal },
        );
        calls++;
        options.pace?.ok();
        const status = r.RetrievalStatus ?? 'RUNNING';
        if (status === 'COMPLETE') {
          const fresh: FetchedTrace[] = [];
          for (const t of r.Traces ?? []) {
            if (!t.Id || got.has(t.Id)) continue;
            const f = {
              id: t.Id,
              duration: t.Duration,
              limitExceeded: false,
              documents: (t.Spans ?? []).flatMap((s) => s.Document ?? []),
            };
            got.set(t.Id, f);
            fresh.push(f);
          }
          if (fresh.length) options.onTraces?.(fresh);
          next = r.NextToken || undefined;
          if (!next) return;
          continue;
        }
        if (status !== 'SCHEDULED' && status !== 'RUNNING')
          throw new AwsError('service', `X-Ray's trace retrieval ended ${status}: try again, or a shorter window.`);
        if (Date.now() + wait > deadline)
          throw new AwsError(
            'timeout',
            `X-Ray's trace retrieval did not finish in ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s: try again later.`,
          );
        await sleep(wait, options.signal);
        wait = Math.min(options.maxPollMs ?? 5000, wait * 1.5);
      }
    } catch (e) {
      // Given up or cancelled: stop the work on X-Ray's side too (without the aborted signal).
      if (isAbort(e) || options.signal?.aborted || (e instanceof AwsError && e.kind === 'timeout')) {
        client.send(new CancelTraceRetrievalCommand({ RetrievalToken: token })).catch(() => undefined);
      }
      throw e;
    }
  };
  const queue = [...groups];
  await runPool(
    () => queue.shift(),
    one,
    () => Math.min(options.concurrency ?? 2, options.pace?.concurrency ?? Infinity),
    options.signal,
  );
  return { traces: [...got.values()], missing: [...new Set(ids)].filter((id) => !got.has(id)), calls };
}
