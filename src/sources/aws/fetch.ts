// BatchGetTraces for any number of ids: batches of 5 (X-Ray's limit), a few in flight, ids X-Ray
// leaves unprocessed asked again after a backoff, throttling and 5xx that outlast the SDK's own
// retries waited out and retried, and no id ever asked again once its trace came back.
import { BatchGetTracesCommand, type XRayClient } from '@aws-sdk/client-xray';
import { backoffMs, runPool, sleep } from './concurrency';
import { isAbort, isThrottle, isTransient } from './errors';
import type { Pace } from './pace';

/** X-Ray's BatchGetTraces limit. */
export const batchGetTracesIds = 5;

/** A whole trace as X-Ray returned it: its segment documents (JSON) as they came. */
export interface FetchedTrace {
  readonly id: string;
  /** Seconds. */
  readonly duration?: number;
  /** X-Ray cut the trace at its size limit: some documents are missing. */
  readonly limitExceeded: boolean;
  readonly documents: readonly string[];
}

/** How a fetch runs. */
export interface FetchOptions {
  /** Calls in flight at once (default 4). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Shared with the other operations of the source. */
  readonly pace?: Pace;
  /** Told of the traces of every answer as it comes (to cache them before the rest arrive). */
  readonly onTraces?: (traces: FetchedTrace[]) => void;
  /** Times an id left unprocessed is asked again (default 3). */
  readonly unprocessedRetries?: number;
  /** Times a batch that failed with throttling or 5xx after the SDK's retries is sent again (default 4). */
  readonly errorRetries?: number;
  /** The first backoff, in ms (default 250); it doubles each time. */
  readonly backoffBaseMs?: number;
}

/** What a fetch came to. */
export interface FetchResult {
  /** In the order they arrived. */
  readonly traces: FetchedTrace[];
  /** Ids X-Ray did not return (unknown, expired, or still unprocessed after the retries). */
  readonly missing: string[];
  /** BatchGetTraces calls that got an answer. */
  readonly calls: number;
}

/** Fetches whole traces; each distinct id is returned at most once, and asked again only when X-Ray did not answer for it. */
export async function batchGetTraces(
  client: XRayClient,
  ids: readonly string[],
  options: FetchOptions = {},
): Promise<FetchResult> {
  const queue = [...new Set(ids)];
  const got = new Map<string, FetchedTrace>();
  const missing = new Set<string>();
  const unprocessed = new Map<string, number>();
  const failures = new Map<string, number>();
  const maxUnprocessed = options.unprocessedRetries ?? 3;
  const maxFailures = options.errorRetries ?? 4;
  const base = options.backoffBaseMs ?? 250;
  let calls = 0;

  const take = () => (queue.length ? queue.splice(0, batchGetTracesIds) : undefined);
  const work = async (batch: string[]): Promise<void> => {
    const merged = new Map<string, { duration?: number; limitExceeded: boolean; docs: Map<string, string> }>();
    let unanswered: string[];
    try {
      let next: string | undefined;
      const held = new Set<string>();
      do {
        // A large trace's segments come over several pages: the same ids with X-Ray's NextToken.
        const r = await client.send(new BatchGetTracesCommand({ TraceIds: batch, NextToken: next }), {
          abortSignal: options.signal,
        });
        calls++;
        for (const t of r.Traces ?? []) {
          if (!t.Id) continue;
          let m = merged.get(t.Id);
          if (!m) merged.set(t.Id, (m = { duration: t.Duration, limitExceeded: false, docs: new Map() }));
          m.limitExceeded ||= t.LimitExceeded ?? false;
          for (const seg of t.Segments ?? []) if (seg.Document) m.docs.set(seg.Id ?? `#${m.docs.size}`, seg.Document);
        }
        for (const id of r.UnprocessedTraceIds ?? []) held.add(id);
        next = r.NextToken || undefined;
      } while (next);
      options.pace?.ok();
      unanswered = batch.filter((id) => !merged.has(id) && held.has(id));
      for (const id of batch) if (!merged.has(id) && !held.has(id)) missing.add(id);
    } catch (e) {
      if (isAbort(e) || options.signal?.aborted) throw options.signal?.reason ?? e;
      if (!isThrottle(e) && !isTransient(e)) throw e;
      // The SDK's retries ran out: wait longer ourselves, then send the batch again.
      const n = Math.max(...batch.map((id) => (failures.get(id) ?? 0) + 1));
      if (n > maxFailures) throw e;
      for (const id of batch) failures.set(id, n);
      if (isThrottle(e)) options.pace?.throttled();
      await sleep(backoffMs(n, base * 2), options.signal);
      queue.unshift(...batch);
      return;
    }
    const fresh: FetchedTrace[] = [];
    for (const [id, m] of merged) {
      if (got.has(id)) continue;
      const t = { id, duration: m.duration, limitExceeded: m.limitExceeded, documents: [...m.docs.values()] };
      got.set(id, t);
      fresh.push(t);
    }
    if (fresh.length) options.onTraces?.(fresh);
    const again: string[] = [];
    let round = 0;
    for (const id of unanswered) {
      const n = (unprocessed.get(id) ?? 0) + 1;
      unprocessed.set(id, n);
      if (n > maxUnprocessed) missing.add(id);
      else {
        again.push(id);
        round = Math.max(round, n);
      }
    }
    if (again.length) {
      await sleep(backoffMs(round, base), options.signal);
      queue.unshift(...again);
    }
  };
  await runPool(
    take,
    work,
    () => Math.min(options.concurrency ?? 4, options.pace?.concurrency ?? Infinity),
    options.signal,
  );
  return { traces: [...got.values()], missing: [...missing].filter((id) => !got.has(id)), calls };
}
