// `trace-lens stats`: the figures the lenses show, one operation a row, with where it is in code.
import { resolve as resolvePath } from 'node:path';
import { entrySamples } from '../analysis/entryPoints';
import { OperationStats, type OperationSummary } from '../analysis/stats';
import {
  coldStartOperation,
  entryMatcher,
  invocationOperation,
  routeOperation,
  scanWorkspaceRoutes,
} from '../mapping/routes';
import { loadTrace } from '../collector/xrayApi';
import { indexWorkspace, InstrumentationIndex } from '../mapping/instrumentation';
import { parseArgs, parseDuration, UsageError } from './args';
import { openCliStore, type Io } from './io';
import { formatMs } from '../model/duration';
import { openAwsSource, sourceChoice, sourceValueFlags } from './source';
import { listTraces, withAws } from './traces';

/** Usage of stats. */
export const statsUsage = `trace-lens stats [--db FILE] [--workspace DIR] [--since DURATION] [--source aws …] [--json]
  Per operation (service, span name) over the window (default 1h): calls, p50/p90/p99/max latency
  (nearest-rank; exact up to 2,000 calls, within 0.5% above), errors, faults and throttles, and the
  workspace line that names the operation; then the workspace's entry points: each HTTP route
  (requests whose URL matches it) and Lambda handler (invocations, cold starts) it declares.`;

/** Runs stats. */
export async function stats(argv: string[], io: Io): Promise<number> {
  const a = parseArgs(argv, { value: ['db', 'workspace', 'since', ...sourceValueFlags], bool: ['json'] });
  if (a.positionals.length) throw new UsageError(`stats takes no arguments (got '${a.positionals[0]}')`);
  const since = parseDuration(a.flags.get('since') ?? '1h');
  const root = resolvePath(a.flags.get('workspace') ?? process.cwd());
  const end = Date.now() / 1000;
  const start = end - since;
  const engine = new OperationStats({ now: () => end });
  const entries = new OperationStats({ now: () => end });
  const declared = await scanWorkspaceRoutes(root);
  const samples = entrySamples(
    entryMatcher({ routes: declared.routes, functions: declared.functions.map((f) => f.fn) }),
  );
  const addAll = (traces: Iterable<import('../model/trace').Trace>) => {
    for (const t of traces) {
      engine.add(t);
      entries.add(t, samples);
    }
  };
  const choice = sourceChoice(a);
  if (choice.kind === 'aws') {
    // From AWS the figures rest on the traces the listing returns: a sample when X-Ray samples.
    const source = await openAwsSource(choice, io);
    await withAws(source, io, async () => {
      const rows = await source.summaries({
        start: new Date(start * 1000),
        end: new Date(end * 1000),
        limit: 10_000,
        timeRangeType: 'Event',
      });
      for (let i = 0; i < rows.length; i += 100) addAll(await source.traces(rows.slice(i, i + 100).map((r) => r.id)));
    });
  } else {
    const store = openCliStore(a.flags.get('db'), io);
    try {
      const rows = listTraces(store, { sinceSec: since, limit: Number.MAX_SAFE_INTEGER, now: end });
      for (const r of rows) {
        const t = loadTrace(store, r.id);
        if (t) addAll([t]);
      }
    } finally {
      store.close();
    }
  }
  const index = new InstrumentationIndex();
  await indexWorkspace(root, index);
  const ops = engine
    .query({ start, end })
    .filter((s) => s.calls > 0)
    .sort((x, y) => x.service.localeCompare(y.service) || x.name.localeCompare(y.name));
  const located = ops.map((s) => {
    const site = index.lookup(s.otelName ?? s.name)[0] ?? (s.otelName ? index.lookup(s.name)[0] : undefined);
    const path = site
      ? site.path
          .slice(root.length + 1)
          .split(/[\\/]/)
          .join('/')
      : undefined;
    return {
      service: s.service,
      name: s.otelName ?? s.name,
      calls: s.calls,
      p50Ms: round(s.p50Ms),
      p90Ms: round(s.p90Ms),
      p99Ms: round(s.p99Ms),
      maxMs: round(s.maxMs),
      errors: s.errors,
      faults: s.faults,
      throttles: s.throttles,
      location: site && path ? { path, line: site.line, via: 'instrumentation' } : null,
      fewSamples: s.fewSamples,
    };
  });
  const rel = (p: string) => (p.startsWith(root) ? p.slice(root.length + 1) : p).split(/[\\/]/).join('/');
  const entryRow = (s: OperationSummary, name: string, path: string, line: number, via: string) => ({
    service: s.service,
    name,
    calls: s.calls,
    p50Ms: round(s.p50Ms),
    p90Ms: round(s.p90Ms),
    p99Ms: round(s.p99Ms),
    maxMs: round(s.maxMs),
    errors: s.errors,
    faults: s.faults,
    throttles: s.throttles,
    location: { path: rel(path), line, via },
    fewSamples: s.fewSamples,
  });
  for (const r of declared.routes) {
    const s = entries.summary(r.service, routeOperation(r), { start, end });
    if (s?.calls) located.push(entryRow(s, routeOperation(r), r.path, r.line, 'route'));
  }
  for (const { fn, handler } of declared.functions) {
    const s = entries.summary(undefined, invocationOperation(fn), { start, end });
    if (!s?.calls) continue;
    const cold = entries.summary(undefined, coldStartOperation(fn), { start, end });
    located.push({
      ...entryRow(s, invocationOperation(fn), handler?.path ?? fn.template, handler?.line ?? fn.line, 'handler'),
      coldStarts: cold?.calls ?? 0,
    } as (typeof located)[number]);
  }
  if (a.bools.has('json')) {
    io.out(
      `${JSON.stringify({ window: { start: new Date(start * 1000).toISOString(), end: new Date(end * 1000).toISOString() }, operations: located.map(({ fewSamples: _few, ...o }) => o) })}\n`,
    );
    return 0;
  }
  if (located.length === 0) {
    io.out(`no completed spans in the last ${a.flags.get('since') ?? '1h'}\n`);
    return 0;
  }
  for (const o of located) {
    const f = (v: number | null) => formatMs(v ?? undefined);
    const figures = `p50 ${f(o.p50Ms)}  p90 ${f(o.p90Ms)}  p99 ${f(o.p99Ms)}  max ${f(o.maxMs)}`;
    io.out(
      `${o.service.padEnd(12)} ${o.name.padEnd(28)} ${String(o.calls).padStart(6)} calls  ${figures}  ${o.errors}e ${o.faults}f ${o.throttles}t${o.fewSamples ? '  (few samples)' : ''}  ${o.location ? `${o.location.path}:${o.location.line}` : '-'}\n`,
    );
  }
  return 0;
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null);
