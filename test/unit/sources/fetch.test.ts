// BatchGetTraces for 1,000 traces against the local X-Ray through the real client-xray: exactly 200
// calls, and with the fault switch throttling, failing with 5xx and holding ids back, every trace
// still arrives, none is served twice, and a cancellation stops the calls.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XRayClient } from '@aws-sdk/client-xray';
import type { LocalXRay } from '../../../src/collector/localXRay';
import { awsXRayClient } from '../../../src/sources/aws/client';
import { batchGetTraces } from '../../../src/sources/aws/fetch';
import { Pace, type ThrottleState } from '../../../src/sources/aws/pace';
import { countServed, localXRayWith, spreadTraces, stopLocalXRay } from './awsFixtures';

describe('AWS fetch: BatchGetTraces in batches', function () {
  this.timeout(120_000);
  const endSec = Math.floor(Date.now() / 1000) - 3600;
  let dir: string;
  let xray: LocalXRay;
  let endpoint: string;
  let ids: string[];
  const clients: XRayClient[] = [];
  const client = (maxAttempts?: number, pace?: Pace) => {
    const c = awsXRayClient(
      { region: 'us-east-1', endpoint },
      { maxAttempts, observe: (_op, outcome) => outcome === 'throttled' && pace?.throttled() },
    );
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-fetch-'));
    const spread = spreadTraces(1000, endSec, 24 * 3600);
    ids = spread.traces.map((t) => t.id);
    ({ xray, endpoint } = await localXRayWith(join(dir, 'xray.db'), spread.docs));
  });
  beforeEach(() => {
    xray.api.calls.clear();
    xray.api.faults = undefined;
    xray.api.probe = undefined;
  });
  after(async () => {
    for (const c of clients) c.destroy();
    if (xray) await stopLocalXRay(xray);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches 1,000 traces in exactly 200 calls, each trace whole and once', async () => {
    const served = countServed(xray);
    const r = await batchGetTraces(client(), [...ids, ...ids.slice(0, 50)]);
    assert.equal(r.traces.length, 1000);
    assert.deepEqual(r.missing, []);
    assert.equal(r.calls, 200);
    assert.equal(xray.api.calls.get('BatchGetTraces'), 200);
    assert.equal(served.size, 1000);
    assert.ok([...served.values()].every((n) => n === 1));
    const docs = r.traces.reduce((n, t) => n + t.documents.length, 0);
    assert.ok(docs >= 1000 * 1.5, `segments came too (${docs} documents)`);
  });

  it('survives throttling, 5xx and held-back ids: no trace lost, none served twice', async () => {
    const served = countServed(xray);
    let held = 0;
    // Throttles come after the first calls, as they do in an account under load; the SDK's adaptive
    // mode then lowers its send rate, and our concurrency halves.
    const throttled = new Set([80, 150]);
    const failing = new Map<number, 500 | 502 | 503>([
      [30, 503],
      [31, 503],
      [90, 500],
      [130, 502],
      [170, 503],
    ]);
    xray.api.faults = {
      fail: (op, n) => (op !== 'BatchGetTraces' ? undefined : throttled.has(n) ? 'throttle' : failing.get(n)),
      holdBack: (id, n) => n === 1 && parseInt(id.slice(-2), 16) % 10 === 0 && ++held > 0,
    };
    const pace = new Pace(4, 60_000);
    const states: ThrottleState[] = [];
    pace.onChange((s) => states.push(s));
    const r = await batchGetTraces(client(undefined, pace), ids, { pace, backoffBaseMs: 20 });
    assert.equal(r.traces.length, 1000);
    assert.deepEqual(r.missing, []);
    assert.ok(held > 50, `ids were held back (${held})`);
    assert.equal(served.size, 1000);
    assert.deepEqual(
      [...served.values()].filter((n) => n !== 1),
      [],
      'no trace served twice',
    );
    assert.ok(
      states.some((s) => s.throttled),
      'the "throttled, slowing down" state was told',
    );
    assert.ok(
      states.some((s) => s.concurrency < 4),
      'concurrency went down',
    );
    assert.equal(new Set(r.traces.map((t) => t.id)).size, 1000);
    // 200 batches, the held-back ids asked again in batches of 5, and the failed attempts.
    const calls = xray.api.calls.get('BatchGetTraces')!;
    assert.ok(calls >= 200 + Math.ceil(held / 5) + 7 && calls <= 200 + held + 7, `calls: ${calls}`);
  });

  it("retries on its own when the SDK's retries run out", async () => {
    const served = countServed(xray);
    // Each batch fails twice (throttled, then 502) before it is answered; the client makes one attempt per call.
    const attempts = new Map<string, number>();
    let first = '';
    xray.api.probe = { ...xray.api.probe, call: (_op, body) => void (first = (body.TraceIds as string[])[0]!) };
    xray.api.faults = {
      fail: () => {
        const n = (attempts.get(first) ?? 0) + 1;
        attempts.set(first, n);
        return n === 1 ? 'throttle' : n === 2 ? 502 : undefined;
      },
    };
    const pace = new Pace(4, 60_000);
    // Standard retry mode here: this is about our own retries, not the SDK's rate limiter.
    const c = new XRayClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      maxAttempts: 1,
      retryMode: 'standard',
    });
    clients.push(c);
    const r = await batchGetTraces(c, ids.slice(0, 100), { pace, backoffBaseMs: 5, errorRetries: 3 });
    assert.equal(r.traces.length, 100);
    assert.equal(xray.api.calls.get('BatchGetTraces'), 60);
    assert.deepEqual(
      [...served.values()].filter((n) => n !== 1),
      [],
    );
    assert.equal(pace.state.throttles, 20);
  });

  it('gives up with the service error once its own retries run out', async () => {
    xray.api.faults = { fail: () => 503 };
    await assert.rejects(
      batchGetTraces(client(1), ids.slice(0, 5), { backoffBaseMs: 1, errorRetries: 2 }),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 503,
    );
    assert.equal(xray.api.calls.get('BatchGetTraces'), 3);
  });

  it('reports ids X-Ray never returns as missing after a bounded number of asks', async () => {
    const unknown = '1-00000001-000000000000000000000001';
    const r = await batchGetTraces(client(), [ids[0]!, unknown], { backoffBaseMs: 1, unprocessedRetries: 2 });
    assert.deepEqual(
      r.traces.map((t) => t.id),
      [ids[0]],
    );
    assert.deepEqual(r.missing, [unknown]);
    assert.equal(xray.api.calls.get('BatchGetTraces'), 3);
  });

  it('stops mid-fetch when cancelled, keeping what arrived', async () => {
    const stop = new AbortController();
    xray.api.probe = { call: (op) => op === 'BatchGetTraces' && xray.api.calls.get(op) === 20 && stop.abort() };
    const arrived: string[] = [];
    await assert.rejects(
      batchGetTraces(client(), ids, {
        concurrency: 2,
        signal: stop.signal,
        onTraces: (ts) => arrived.push(...ts.map((t) => t.id)),
      }),
      (e: Error) => e.name === 'AbortError',
    );
    // A request already on the wire when the abort came may still reach the server; none is sent after.
    await new Promise((r) => setTimeout(r, 100));
    const calls = xray.api.calls.get('BatchGetTraces')!;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(xray.api.calls.get('BatchGetTraces'), calls, 'no call after the abort');
    assert.ok(calls <= 22, `stopped at once (${calls} calls)`);
    assert.ok(arrived.length >= 90 && arrived.length <= 100, `kept what arrived (${arrived.length})`);
  });
});
