// `trace-lens traces` and `trace-lens trace`: trace summaries and one assembled trace, read with the
// same X-Ray API code the local X-Ray serves, or from AWS X-Ray with --source aws.
import { Ingest } from '../collector/ingest';
import type { TraceStore } from '../collector/store';
import { ApiError, loadTrace, XRayApi } from '../collector/xrayApi';
import { forEachSpan } from '../model/assemble';
import type { Span, Trace } from '../model/trace';
import { childrenIndex, waterfallRoots } from '../model/traceTree';
import type { AwsSource } from '../sources/aws/awsSource';
import { AwsError } from '../sources/aws/errors';
import { toXRayTraceId } from '../sources/aws/traceIds';
import type { TraceSummaryRow } from '../sources/traceSource';
import { parseArgs, parseDuration, UsageError, type Parsed } from './args';
import { CliError, openCliStore, type Io } from './io';
import { formatMs } from '../model/duration';
import { openAwsSource, sourceChoice, sourceUsage, sourceValueFlags } from './source';

/** Usage of traces and trace. */
export const tracesUsage = `trace-lens traces [--db FILE] [--since DURATION] [--filter EXPR] [--limit N] [--json]
  Lists trace summaries, newest first (default: the last 1h, 100 traces). EXPR is an X-Ray
  filter expression, e.g. 'fault OR responsetime > 1' or 'service("api") AND http.status = 500'.
trace-lens trace [--db FILE] ID [--json]
  Prints one assembled trace as a tree (JSON: the trace model). ID may be W3C's 32 hex digits.
Both read ${sourceUsage}`;

/** One row of `traces --json`. */
export interface TraceRow {
  id: string;
  start: string;
  durationMs: number | null;
  service: string | null;
  method: string | null;
  url: string | null;
  status: number | null;
  error: boolean;
  fault: boolean;
  throttle: boolean;
}

/** Summaries through the X-Ray API code, following NextToken until limit rows. */
export function listTraces(
  store: TraceStore,
  opts: { sinceSec: number; filter?: string; limit: number; now?: number },
): TraceRow[] {
  const api = new XRayApi(store, new Ingest(store));
  const now = opts.now ?? Date.now() / 1000;
  const rows: TraceRow[] = [];
  let next: string | undefined;
  do {
    const r = api.handle('/TraceSummaries', {
      StartTime: now - opts.sinceSec,
      EndTime: now,
      TimeRangeType: 'Event',
      FilterExpression: opts.filter,
      NextToken: next,
    }) as {
      TraceSummaries: {
        Id: string;
        StartTime: number;
        Duration?: number;
        HasError: boolean;
        HasFault: boolean;
        HasThrottle: boolean;
        Http?: { HttpMethod?: string; HttpURL?: string; HttpStatus?: number };
        EntryPoint?: { Name: string };
      }[];
      NextToken?: string;
    };
    for (const s of r.TraceSummaries) {
      if (rows.length >= opts.limit) break;
      rows.push({
        id: s.Id,
        start: new Date(s.StartTime * 1000).toISOString(),
        durationMs: s.Duration === undefined ? null : Math.round(s.Duration * 1e6) / 1e3,
        service: s.EntryPoint?.Name ?? null,
        method: s.Http?.HttpMethod ?? null,
        url: s.Http?.HttpURL ?? null,
        status: s.Http?.HttpStatus ?? null,
        error: s.HasError,
        fault: s.HasFault,
        throttle: s.HasThrottle,
      });
    }
    next = r.NextToken;
  } while (next && rows.length < opts.limit);
  return rows;
}

/** A row of `traces --json` from a source's summary row (the same shape whatever the source). */
export function traceRow(r: TraceSummaryRow): TraceRow {
  return {
    id: r.id,
    start: new Date(r.start * 1000).toISOString(),
    durationMs: r.durationMs ?? null,
    service: r.service ?? null,
    method: r.method ?? null,
    url: r.url ?? null,
    status: r.status ?? null,
    error: r.error,
    fault: r.fault,
    throttle: r.throttle,
  };
}

const mark = (r: { fault: boolean; error: boolean; throttle: boolean }) =>
  r.fault ? 'FAULT' : r.throttle ? 'THROTTLE' : r.error ? 'ERROR' : 'ok';

function printRows(rows: TraceRow[], json: boolean, empty: string, io: Io): void {
  if (json) io.out(`${JSON.stringify({ traces: rows })}\n`);
  else if (rows.length === 0) io.out(`${empty}\n`);
  else {
    for (const r of rows) {
      const what = [r.method, r.url].filter(Boolean).join(' ') || r.service || '';
      io.out(
        `${r.id}  ${r.start.slice(0, 19).replace('T', ' ')}  ${formatMs(r.durationMs ?? undefined).padStart(9)}  ${String(r.status ?? '').padStart(3)}  ${mark(r).padEnd(8)}  ${(r.service ?? '').padEnd(14)}  ${what}\n`,
      );
    }
  }
}

/** Runs an AWS source's work, turning its one-sentence errors into the CLI's, and says what it cost. */
/** Runs against an AWS source: its errors as one line, the cost tally on stderr, the source closed. */
export async function withAws<T>(source: AwsSource, io: Io, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof AwsError) throw new CliError(e.message);
    throw e;
  } finally {
    io.err(`${source.tally.line()}\n`);
    source.dispose();
  }
}

/** Runs `traces`. */
export async function traces(argv: string[], io: Io): Promise<number> {
  const a = parseArgs(argv, { value: ['db', 'since', 'filter', 'limit', ...sourceValueFlags], bool: ['json'] });
  if (a.positionals.length) throw new UsageError(`traces takes no arguments (got '${a.positionals[0]}')`);
  const limit = Number(a.flags.get('limit') ?? 100);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit takes a positive whole number');
  const sinceSec = parseDuration(a.flags.get('since') ?? '1h');
  const filter = a.flags.get('filter');
  const choice = sourceChoice(a);
  const since = a.flags.get('since') ?? '1h';
  const noneMatch = `no traces in the last ${since}${a.flags.has('filter') ? ' matching the filter' : ''}`;
  if (choice.kind === 'aws') {
    const source = await openAwsSource(choice, io);
    return withAws(source, io, async () => {
      const end = new Date();
      const r = await source.query({ start: new Date(end.getTime() - sinceSec * 1000), end, filter, limit });
      printRows(r.rows.map(traceRow), a.bools.has('json'), `${noneMatch} (${source.label})`, io);
      if (r.stoppedBy === 'scan-cap')
        io.err(
          `stopped after X-Ray scanned ${r.scanned.toLocaleString('en-US')} traces (--max-scan): use a larger --max-scan, a shorter --since or a narrower --filter to see the rest\n`,
        );
      return 0;
    });
  }
  const store = openCliStore(a.flags.get('db'), io);
  try {
    const rows = listTraces(store, { sinceSec, filter, limit });
    printRows(rows, a.bools.has('json'), `${noneMatch} (store ${store.path})`, io);
    return 0;
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(e.message);
    throw e;
  } finally {
    store.close();
  }
}

function spanLine(s: Span, depth: number, t0: number): string {
  const ms = s.endTime === undefined ? undefined : (s.endTime - s.startTime) * 1000;
  const flags = [s.fault && 'fault', s.error && 'error', s.throttle && 'throttle', ...s.flags]
    .filter(Boolean)
    .join(', ');
  const http = s.http?.request?.url
    ? `  ${s.http.request.method ?? ''} ${s.http.request.url} ${s.http.response?.status ?? ''}`.trimEnd()
    : '';
  const exc = s.cause?.exceptions[0];
  return `${'  '.repeat(depth)}${s.type === 'segment' ? '■' : '·'} ${s.name}  +${formatMs((s.startTime - t0) * 1000)}  ${formatMs(ms)}${flags ? `  [${flags}]` : ''}${http}${exc ? `  ${exc.type ?? 'Error'}: ${exc.message ?? ''}` : ''}`;
}

/** Runs `trace`. */
export async function trace(argv: string[], io: Io): Promise<number> {
  const a = parseArgs(argv, { value: ['db', ...sourceValueFlags], bool: ['json'] });
  const [given, extra] = a.positionals;
  if (!given || extra) throw new UsageError('trace takes one trace ID');
  const id = toXRayTraceId(given) ?? given.trim();
  return withTrace(a, id, io, (t) => {
    printTrace(t, a.bools.has('json'), io);
    return 0;
  });
}

/** Reads one trace from the source the flags chose (the local store, or AWS) and hands it to use. */
export async function withTrace(
  a: Parsed,
  id: string,
  io: Io,
  use: (t: Trace) => number | Promise<number>,
): Promise<number> {
  const choice = sourceChoice(a);
  if (choice.kind === 'aws') {
    const source = await openAwsSource(choice, io);
    return withAws(source, io, async () => {
      const [t] = await source.traces([id]);
      if (!t) throw new CliError(`no trace ${id} in ${source.label} (X-Ray keeps traces for 30 days)`);
      return use(t);
    });
  }
  const store = openCliStore(a.flags.get('db'), io);
  try {
    const t = loadTrace(store, id);
    if (!t) throw new CliError(`no trace ${id} in the store ${store.path}`);
    return await use(t);
  } finally {
    store.close();
  }
}

/** Prints a trace as a tree, or as JSON (the trace model). */
function printTrace(t: Trace, json: boolean, io: Io): void {
  if (json) {
    io.out(`${JSON.stringify(t)}\n`);
    return;
  }
  let spans = 0;
  forEachSpan(t, () => spans++);
  io.out(
    `trace ${t.id}  ${new Date(t.startTime * 1000).toISOString()}  duration ${formatMs(t.durationMs)}  ${spans} spans${t.inProgress ? '  (in progress)' : ''}\n`,
  );
  // Segments called by a span of this trace are printed under their caller.
  const childrenOf = childrenIndex(t);
  const stack: [Span, number][] = waterfallRoots(t)
    .reverse()
    .map((s) => [s, 0]);
  const printed = new Set<Span>();
  while (stack.length) {
    const [s, depth] = stack.pop()!;
    if (printed.has(s)) continue;
    printed.add(s);
    io.out(`${spanLine(s, depth, t.startTime)}\n`);
    const kids = childrenOf(s);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, depth + 1]);
  }
}
