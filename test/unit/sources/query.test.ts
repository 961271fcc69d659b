// GetTraceSummaries over long windows, against the local X-Ray through the real client-xray: the
// window cut into 6-hour slices (the local X-Ray set to refuse anything longer, as X-Ray does),
// merged newest first, paged, stopped at a scan cap and continued with no page asked twice.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { XRayClient } from '@aws-sdk/client-xray';
import type { LocalXRay } from '../../../src/collector/localXRay';
import { awsXRayClient } from '../../../src/sources/aws/client';
import { findTraceSummaries, planSlices, type QueryCursor } from '../../../src/sources/aws/query';
import type { TraceSummaryRow } from '../../../src/sources/traceSource';
import { localXRayWith, spreadTraces, stopLocalXRay, type SpreadTrace } from './awsFixtures';

describe('AWS query: GetTraceSummaries over any window', function () {
  this.timeout(60_000);
  const endSec = Math.floor(Date.now() / 1000) - 600;
  const hours48 = 48 * 3600;
  let dir: string;
  let xray: LocalXRay;
  let client: XRayClient;
  let traces: SpreadTrace[];
  const bodies: Record<string, unknown>[] = [];
  const window = { start: new Date((endSec - hours48) * 1000), end: new Date(endSec * 1000) };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-query-'));
    const spread = spreadTraces(1000, endSec, hours48);
    traces = spread.traces;
    ({ xray } = await localXRayWith(join(dir, 'xray.db'), spread.docs));
    const s = xray.state.api as { port: number };
    client = awsXRayClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${s.port}` });
    xray.api.maxSummaryWindowHours = 6;
    xray.api.probe = { call: (op, body) => op === 'GetTraceSummaries' && bodies.push({ ...body }) };
  });
  beforeEach(() => {
    bodies.length = 0;
    xray.api.calls.clear();
  });
  after(async () => {
    client?.destroy();
    if (xray) await stopLocalXRay(xray);
    rmSync(dir, { recursive: true, force: true });
  });

  const sortedIds = (rows: TraceSummaryRow[]) => rows.map((r) => r.id);
  const newestFirst = () => [...traces].sort((a, b) => b.start - a.start).map((t) => t.id);

  it('plans a 48-hour window as eight contiguous 6-hour slices, newest first', () => {
    const slices = planSlices(window.start, window.end);
    assert.equal(slices.length, 8);
    assert.equal(slices[0]!.end.getTime(), window.end.getTime());
    assert.equal(slices[7]!.start.getTime(), window.start.getTime());
    for (let i = 0; i < 8; i++) {
      assert.equal(slices[i]!.end.getTime() - slices[i]!.start.getTime(), 6 * 3600_000);
      if (i) assert.equal(slices[i]!.end.getTime(), slices[i - 1]!.start.getTime());
    }
    assert.equal(planSlices(new Date(0), new Date(3600_000)).length, 1);
  });

  it('lists 1,000 traces of 48 hours: 8 slices of 2 pages each, 16 calls, merged newest first', async () => {
    const inFlight = { now: 0, max: 0 };
    client.middlewareStack.add(
      (next) => async (args) => {
        inFlight.max = Math.max(inFlight.max, ++inFlight.now);
        try {
          return await next(args);
        } finally {
          inFlight.now--;
        }
      },
      { step: 'initialize', name: 'testInFlight' },
    );
    try {
      const r = await findTraceSummaries(client, window, { concurrency: 4 });
      assert.equal(r.rows.length, 1000);
      assert.deepEqual(sortedIds(r.rows), newestFirst());
      assert.equal(r.resume, undefined);
      assert.equal(r.scanned, 1000);
      assert.equal(r.calls, 16);
      assert.equal(xray.api.calls.get('GetTraceSummaries'), 16);
      assert.ok(inFlight.max > 1 && inFlight.max <= 4, `in flight at most 4 (saw ${inFlight.max})`);
    } finally {
      client.middlewareStack.remove('testInFlight');
    }
    // Every call is inside the window and at most 6 hours; the first pages tile it exactly.
    const firstPages = bodies
      .filter((b) => !b.NextToken)
      .map((b) => [Number(b.StartTime), Number(b.EndTime)] as const)
      .sort((a, b) => b[1] - a[1]);
    assert.equal(firstPages.length, 8);
    assert.equal(bodies.filter((b) => b.NextToken).length, 8, 'one second page per slice (125 traces, 100 a page)');
    assert.equal(firstPages[0]![1], endSec);
    assert.equal(firstPages[7]![0], endSec - hours48);
    firstPages.forEach(([s, e], i) => {
      assert.equal(e - s, 6 * 3600);
      if (i) assert.equal(e, firstPages[i - 1]![0]);
    });
    assert.ok(bodies.every((b) => b.TimeRangeType === 'TraceId'));
  });

  it('stops at a limit with exactly the newest rows, and continues from there', async () => {
    const r = await findTraceSummaries(client, { ...window, limit: 150 }, { concurrency: 4 });
    assert.deepEqual(sortedIds(r.rows), newestFirst().slice(0, 150));
    assert.equal(r.stoppedBy, 'limit');
    // Four first pages in flight at once, then the newest slice's second page: nothing read ahead after that.
    assert.equal(r.calls, 5);
    const rest = await findTraceSummaries(client, window, { concurrency: 4 }, r.resume);
    assert.deepEqual(sortedIds(rest.rows), newestFirst().slice(150));
    assert.equal(xray.api.calls.get('GetTraceSummaries'), 16, 'no page asked twice');
  });

  it('stops at the scan cap with a cursor; continuing covers the rest with no page asked twice', async () => {
    const all: TraceSummaryRow[] = [];
    let resume: QueryCursor | undefined;
    let rounds = 0;
    do {
      const r = await findTraceSummaries(client, { ...window, scanCap: 300 }, { concurrency: 4 }, resume);
      if (r.resume) assert.equal(r.stoppedBy, 'scan-cap');
      assert.ok(r.scanned < 300 + 4 * 100, 'the cap stops new calls; only those in flight finish');
      all.push(...r.rows);
      resume = r.resume;
      // The cursor is plain data: it survives being kept as JSON.
      if (resume) resume = JSON.parse(JSON.stringify(resume)) as QueryCursor;
    } while (resume && ++rounds < 20);
    assert.ok(rounds >= 2, `continued ${rounds} times`);
    assert.equal(new Set(all.map((r) => r.id)).size, 1000);
    assert.equal(all.length, 1000);
    assert.deepEqual(sortedIds(all), newestFirst(), 'batches follow on, newest first');
    assert.equal(xray.api.calls.get('GetTraceSummaries'), 16, 'the same 16 pages as one uncapped query');
  });

  it("passes the filter expression and TimeRangeType through, and X-Ray's error text when a filter is invalid", async () => {
    const faults = await findTraceSummaries(client, { ...window, filter: 'fault', timeRangeType: 'Event' });
    assert.ok(faults.rows.length > 0 && faults.rows.length < 1000);
    assert.ok(faults.rows.every((r) => r.fault));
    assert.ok(bodies.every((b) => b.FilterExpression === 'fault' && b.TimeRangeType === 'Event'));
    await assert.rejects(
      findTraceSummaries(client, { ...window, filter: 'responsetime >' }),
      (e: Error) => e.name === 'InvalidRequestException' && /Invalid filter expression/.test(e.message),
    );
  });

  it('is cancelled by its signal', async () => {
    const stop = new AbortController();
    xray.api.probe = {
      ...xray.api.probe,
      call: (op) => op === 'GetTraceSummaries' && (xray.api.calls.get(op) ?? 0) >= 3 && stop.abort(),
    };
    await assert.rejects(
      findTraceSummaries(client, window, { concurrency: 2, signal: stop.signal }),
      (e: Error) => e.name === 'AbortError',
    );
    assert.ok((xray.api.calls.get('GetTraceSummaries') ?? 0) <= 4);
  });
});
