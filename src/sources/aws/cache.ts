// Every complete trace read from AWS is kept in a SQLite store of its own per account and region,
// so it is never fetched (nor paid for) twice and stays readable after X-Ray's 30-day retention.
// One file per account+region: the shared store's schema stays as it is, a cache is deleted by
// deleting a file, one account's traces never show up in another's lists, and the local store's
// retention (hours) never touches traces kept on purpose.
import { dirname, join } from 'node:path';
import { Ingest } from '../../collector/ingest';
import { defaultStorePath, openStore } from '../../collector/openStore';
import type { IncomingDocument, TraceStore } from '../../collector/store';
import { loadTrace, XRayApi } from '../../collector/xrayApi';
import { Repairs } from '../../model/repairs';
import { parseSegmentJson } from '../../model/segmentDocument';
import type { Trace } from '../../model/trace';
import type { FetchedTrace } from './fetch';

/** The folder of the AWS caches: beside the local store (TRACE_LENS_DB's folder, else the user's data folder). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(defaultStorePath(env)), 'aws-cache');
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || '_';

/** The cache file of an account and region. */
export function cacheFile(dir: string, account: string, region: string): string {
  return join(dir, `xray-${safe(account)}-${safe(region)}.db`);
}

/** Seconds after its last segment ends before a trace counts as complete (late segments still arrive before). */
export const settleSeconds = 120;

/** Why a fetched trace is not kept, or undefined when it is complete. */
export function incompleteBecause(
  t: FetchedTrace,
  spans: readonly { inProgress: boolean; endTime?: number; startTime: number }[],
  nowSec: number,
): string | undefined {
  if (t.limitExceeded) return "cut at X-Ray's size limit";
  if (spans.length === 0) return 'no readable segment';
  if (spans.some((s) => s.inProgress)) return 'still in progress';
  const end = Math.max(...spans.map((s) => s.endTime ?? s.startTime));
  if (end > nowSec - settleSeconds) return 'too recent: segments may still arrive';
  return undefined;
}

/** The cache of one account and region. */
export class TraceCache {
  private api: XRayApi | undefined;

  constructor(
    readonly store: TraceStore,
    /** The size bound in MB; 0 means none. */
    readonly maxMegabytes: number,
  ) {}

  /** Opens (creating) the cache file; without node:sqlite it is kept in memory, and warn says so. */
  static open(path: string, maxMegabytes: number, warn: (message: string) => void = () => undefined): TraceCache {
    return new TraceCache(openStore(path, warn), maxMegabytes);
  }

  /** True when the trace is cached (only complete traces ever are). */
  has(id: string): boolean {
    return this.store.aggregate(id) !== undefined;
  }

  /** The cached trace, assembled, or undefined. */
  load(id: string): Trace | undefined {
    return loadTrace(this.store, id);
  }

  /** Keeps the complete traces of a fetch, in one transaction; returns the ids kept. */
  save(traces: readonly FetchedTrace[], nowSec = Date.now() / 1000): string[] {
    const docs: IncomingDocument[] = [];
    const kept: string[] = [];
    for (const t of traces) {
      if (this.has(t.id)) continue;
      const repairs = new Repairs();
      const parsed = t.documents.flatMap((json) => {
        const span = parseSegmentJson(json, repairs, t.id);
        return span ? [{ span, json }] : [];
      });
      if (
        incompleteBecause(
          t,
          parsed.map((p) => p.span),
          nowSec,
        )
      )
        continue;
      docs.push(...parsed);
      kept.push(t.id);
    }
    if (docs.length) this.store.put(docs);
    return kept;
  }

  /** Deletes the oldest traces until the cache is under its size bound; returns how many went. */
  trim(): number {
    return this.maxMegabytes > 0 ? this.store.applyRetention({ maxAgeHours: 0, maxMegabytes: this.maxMegabytes }) : 0;
  }

  /**
   * The cache as an X-Ray API, for lists of windows AWS no longer has: the same summaries and
   * filter expressions the local X-Ray answers.
   */
  get xrayApi(): XRayApi {
    return (this.api ??= new XRayApi(this.store, new Ingest(this.store)));
  }

  close(): void {
    this.store.close();
  }
}
