// AWS X-Ray as a TraceSource, against the local X-Ray through the real client-xray: lists over long
// windows, whole traces read once and then from the account's cache (zero calls), windows older than
// X-Ray's retention from the cache, Transaction Search accounts, graph and statistics, throttling
// told to the UI, and the session's tally.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalXRay } from '../../../src/collector/localXRay';
import { AwsSource, type AwsSourceOptions } from '../../../src/sources/aws/awsSource';
import { cacheFile } from '../../../src/sources/aws/cache';
import { AwsError } from '../../../src/sources/aws/errors';
import type { ThrottleState } from '../../../src/sources/aws/pace';
import { toW3CTraceId } from '../../../src/sources/aws/traceIds';
import { countServed, localXRayWith, spreadTraces, stopLocalXRay, type SpreadTrace } from './awsFixtures';

const day = 86400;
const totalCalls = (x: LocalXRay) => [...x.api.calls.values()].reduce((a, b) => a + b, 0);

describe('AwsSource against the local X-Ray', function () {
  this.timeout(60_000);
  const now = Math.floor(Date.now() / 1000);
  let dir: string;
  let xray: LocalXRay;
  let endpoint: string;
  let recent: SpreadTrace[];
  let old: SpreadTrace[];
  const sources: AwsSource[] = [];
  const open = async (extra: Partial<AwsSourceOptions> = {}) => {
    const s = await AwsSource.open({
      target: { region: 'eu-west-1', endpoint },
      cacheDir: join(dir, 'cache'),
      retrievalPollMs: 20,
      ...extra,
    });
    sources.push(s);
    return s;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-aws-source-'));
    const a = spreadTraces(300, now - 600, day);
    const b = spreadTraces(40, now - 35 * day, 5 * day);
    // Distinct ids for the old copies (spreadTraces numbers its copies from 0).
    const rename = (id: string) => id.replace(/^(1-[0-9a-f]{8}-)0/, '$1f');
    recent = a.traces;
    old = b.traces.map((t) => ({ ...t, id: rename(t.id) }));
    const oldDocs = b.docs.map((d) =>
      d.replace(/"trace_id":"([^"]+)"/, (_m, id: string) => `"trace_id":"${rename(id)}"`),
    );
    ({ xray, endpoint } = await localXRayWith(join(dir, 'xray.db'), [...a.docs, ...oldDocs]));
  });
  beforeEach(() => {
    xray.api.calls.clear();
    xray.api.faults = undefined;
    xray.api.probe = undefined;
    xray.api.segmentDestination = 'XRay';
    xray.api.retrievalPolls = 1;
  });
  after(async () => {
    for (const s of sources) s.dispose();
    if (xray) await stopLocalXRay(xray);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is labelled by profile and region, keyed by account, with its cache file per account and region', async () => {
    const s = await open();
    assert.equal(s.label, 'AWS X-Ray (local endpoint, eu-west-1)');
    assert.equal(s.account, 'local');
    assert.ok(existsSync(cacheFile(join(dir, 'cache'), 'local', 'eu-west-1')));
    const other = await open({ account: '123456789012', target: { region: 'us-west-2', endpoint } });
    assert.ok(existsSync(cacheFile(join(dir, 'cache'), '123456789012', 'us-west-2')));
    other.dispose();
  });

  it('lists a day newest first, then fetches whole traces once: a second fetch makes zero calls', async () => {
    const s = await open();
    const r = await s.query({
      start: new Date((now - 600 - day) * 1000),
      end: new Date((now - 600) * 1000),
      limit: 1000,
    });
    assert.deepEqual(
      r.rows.map((x) => x.id),
      [...recent].sort((x, y) => y.start - x.start).map((t) => t.id),
    );
    assert.equal(xray.api.calls.get('GetTraceSummaries'), 4, '4 slices of 75 traces, a page each');
    const ids = r.rows.map((x) => x.id);
    xray.api.calls.clear();
    const served = countServed(xray);
    const first = await s.fetch(ids);
    assert.equal(first.traces.length, 300);
    assert.deepEqual(
      first.traces.map((t) => t.id),
      ids,
      'in the order asked',
    );
    assert.equal(first.fetched, 300);
    assert.equal(first.fromCache, 0);
    assert.equal(xray.api.calls.get('BatchGetTraces'), 60);
    assert.ok([...served.values()].every((n) => n === 1));
    xray.api.calls.clear();
    const second = await s.fetch(ids);
    assert.equal(second.fromCache, 300);
    assert.equal(totalCalls(xray), 0, 'served from the cache with no call');
    assert.deepEqual(
      second.traces.map((t) => t.segments.length),
      first.traces.map((t) => t.segments.length),
    );
    // A W3C id finds the same trace, and a new source over the same cache file still has it.
    s.dispose();
    const again = await open();
    const [t] = await again.traces([toW3CTraceId(ids[7]!)!]);
    assert.equal(t?.id, ids[7]);
    assert.equal(totalCalls(xray), 0);
    assert.equal(again.tally.cached, 1);
  });

  it("answers windows older than X-Ray's 30 days from the cache", async () => {
    const s = await open();
    await s.fetch(old.map((t) => t.id));
    xray.api.calls.clear();
    const r = await s.query({
      start: new Date((now - 45 * day) * 1000),
      end: new Date((now - 31 * day) * 1000),
      limit: 1000,
    });
    assert.deepEqual(
      r.rows.map((x) => x.id),
      [...old].sort((x, y) => y.start - x.start).map((t) => t.id),
    );
    assert.equal(totalCalls(xray), 0);
    // A limit inside the cached part continues from where it stopped.
    const part = await s.query({
      start: new Date((now - 45 * day) * 1000),
      end: new Date((now - 31 * day) * 1000),
      limit: 15,
    });
    assert.equal(part.rows.length, 15);
    assert.equal(part.stoppedBy, 'limit');
    const rest = await s.query({ start: new Date(0), end: new Date(0), limit: 1000 }, undefined, part.resume);
    assert.deepEqual(
      [...part.rows, ...rest.rows].map((x) => x.id),
      r.rows.map((x) => x.id),
    );
    const invalid = await s
      .query({
        start: new Date((now - 45 * day) * 1000),
        end: new Date((now - 31 * day) * 1000),
        limit: 5,
        filter: 'duration >',
      })
      .catch((e: unknown) => e);
    assert.ok(
      invalid instanceof AwsError &&
        invalid.kind === 'invalid-request' &&
        /Invalid filter expression/.test(invalid.message),
    );
  });

  it("surfaces X-Ray's text for an invalid filter, and stops at its scan cap offering to continue", async () => {
    const s = await open({ scanCap: 100, concurrency: 1 });
    const e = await s
      .query({ start: new Date((now - day) * 1000), end: new Date(now * 1000), filter: 'responsetime >' })
      .catch((x: unknown) => x);
    assert.ok(
      e instanceof AwsError && e.kind === 'invalid-request' && /Invalid filter expression/.test(e.message),
      String(e),
    );
    const batch = await s.summaryBatch({ start: new Date((now - day) * 1000), end: new Date(now * 1000), limit: 1000 });
    assert.match(batch.stopped ?? '', /scan cap/);
    assert.ok(batch.resume);
    const more = await s.summaryBatch(
      { start: new Date((now - day) * 1000), end: new Date(now * 1000), limit: 1000 },
      batch.resume,
    );
    assert.ok(more.rows.length > 0);
    assert.ok(s.estimate({ start: new Date((now - day) * 1000), end: new Date(now * 1000) }).traces > 0);
  });

  it('reads a Transaction Search account through trace retrievals, never BatchGetTraces', async () => {
    xray.api.segmentDestination = 'CloudWatchLogs';
    const s = await open({ cacheDir: join(dir, 'cache-ts') });
    const ids = recent.slice(0, 120).map((t) => t.id);
    const served = countServed(xray);
    const r = await s.fetch(ids);
    assert.equal(r.traces.length, 120);
    assert.deepEqual(r.missing, []);
    assert.equal(xray.api.calls.get('BatchGetTraces'), undefined);
    assert.equal(xray.api.calls.get('GetTraceSegmentDestination'), 1);
    assert.ok((xray.api.calls.get('StartTraceRetrieval') ?? 0) >= 2, 'at most 100 ids per retrieval');
    assert.ok((xray.api.calls.get('ListRetrievedTraces') ?? 0) >= 4, 'polled until COMPLETE');
    assert.ok([...served.values()].every((n) => n === 1));
    xray.api.calls.clear();
    await s.fetch(ids);
    assert.equal(totalCalls(xray), 0);
  });

  it("gives up a retrieval that does not finish in time, and one cancelled, cancelling it on X-Ray's side", async () => {
    xray.api.segmentDestination = 'CloudWatchLogs';
    xray.api.retrievalPolls = 1e9;
    const s = await open({ cacheDir: join(dir, 'cache-ts2'), retrievalTimeoutSec: 0.2 });
    const e = await s.fetch([recent[0]!.id]).catch((x: unknown) => x);
    assert.ok(e instanceof AwsError && e.kind === 'timeout', String(e));
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const s2 = await open({ cacheDir: join(dir, 'cache-ts3'), retrievalTimeoutSec: 60 });
    const c = await s2.fetch([recent[1]!.id], stop.signal).catch((x: unknown) => x);
    assert.ok(c instanceof AwsError && c.kind === 'cancelled', String(c));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(xray.api.calls.get('CancelTraceRetrieval'), 2);
  });

  it('keeps what a cancelled fetch received', async () => {
    const s = await open({ cacheDir: join(dir, 'cache-cancel'), concurrency: 2 });
    const stop = new AbortController();
    xray.api.probe = { call: (op) => op === 'BatchGetTraces' && xray.api.calls.get(op) === 10 && stop.abort() };
    const e = await s
      .fetch(
        recent.map((t) => t.id),
        stop.signal,
      )
      .catch((x: unknown) => x);
    assert.ok(e instanceof AwsError && e.kind === 'cancelled');
    const cached = recent.filter((t) => s.cache.has(t.id)).length;
    assert.ok(cached >= 40 && cached < 300, `cached ${cached}`);
  });

  it('reads the service graph and statistics of a window, tells when it is throttled, and tallies the session', async () => {
    const s = await open();
    const states: ThrottleState[] = [];
    s.onThrottle((st) => states.push(st));
    xray.api.faults = { fail: (op, n) => (op === 'GetServiceGraph' && n === 1 ? 'throttle' : undefined) };
    const g = await s.serviceGraph({ start: new Date((now - day) * 1000), end: new Date(now * 1000) });
    assert.ok(['orders', 'inventory'].every((n) => g.services.some((x) => x.Name === n)));
    assert.equal(states[0]?.throttled, true);
    const st = await s.serviceStatistics({
      start: new Date((now - day) * 1000),
      end: new Date(now * 1000),
      periodSec: 3600,
      entitySelector: 'service("orders")',
    });
    assert.ok(st.points.length > 10);
    assert.ok(st.points.every((p, i) => i === 0 || p.Timestamp!.getTime() > st.points[i - 1]!.Timestamp!.getTime()));
    assert.equal(s.tally.calls.get('GetServiceGraph'), 2, 'the throttled attempt and its retry');
    assert.match(
      s.tally.line(),
      /X-Ray this session: .* traces scanned, .* retrieved .*; \d+ calls; \d+ from the cache/,
    );
  });
});
