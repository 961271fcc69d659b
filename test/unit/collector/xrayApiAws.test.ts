// The local X-Ray as the test double of AWS: the operations of Transaction Search accounts
// (GetTraceSegmentDestination, StartTraceRetrieval, ListRetrievedTraces, GetRetrievedTracesGraph,
// CancelTraceRetrieval) in the shapes client-xray reads, the call counter, and the test-only fault
// switch answering in AWS's JSON error shape.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetTracesCommand,
  CancelTraceRetrievalCommand,
  GetRetrievedTracesGraphCommand,
  GetTraceSegmentDestinationCommand,
  GetTraceSummariesCommand,
  ListRetrievedTracesCommand,
  StartTraceRetrievalCommand,
  XRayClient,
} from '@aws-sdk/client-xray';
import type { LocalXRay } from '../../../src/collector/localXRay';
import { localXRayWith, spreadTraces, stopLocalXRay, type SpreadTrace } from '../sources/awsFixtures';

function post(
  endpoint: string,
  path: string,
  body: unknown,
): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> }> {
  const u = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: JSON.parse(text || '{}') as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('local X-Ray: Transaction Search operations, call counter and fault switch', function () {
  this.timeout(30_000);
  const endSec = Math.floor(Date.now() / 1000) - 3600;
  let dir: string;
  let xray: LocalXRay;
  let endpoint: string;
  let client: XRayClient;
  let traces: SpreadTrace[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-api-aws-'));
    const spread = spreadTraces(60, endSec, 3600);
    traces = spread.traces;
    ({ xray, endpoint } = await localXRayWith(join(dir, 'xray.db'), spread.docs));
    client = new XRayClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });
  afterEach(() => {
    xray.api.faults = undefined;
    xray.api.segmentDestination = 'XRay';
    xray.api.retrievalPolls = 1;
    xray.api.maxSummaryWindowHours = undefined;
  });
  after(async () => {
    client?.destroy();
    if (xray) await stopLocalXRay(xray);
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts calls per operation, and injects nothing unless a test asks', async () => {
    xray.api.calls.clear();
    await client.send(new GetTraceSegmentDestinationCommand({}));
    await client.send(new BatchGetTracesCommand({ TraceIds: [traces[0]!.id] }));
    await client.send(new BatchGetTracesCommand({ TraceIds: [traces[1]!.id] }));
    assert.deepEqual(Object.fromEntries(xray.api.calls), { GetTraceSegmentDestination: 1, BatchGetTraces: 2 });
    assert.equal(xray.api.faults, undefined);
  });

  it('answers injected faults in the AWS JSON error shape: 429 ThrottledException and 5xx', async () => {
    xray.api.faults = { fail: (op, n) => (op === 'GetTraceSummaries' ? (n % 2 ? 'throttle' : 503) : undefined) };
    xray.api.calls.clear();
    const throttled = await post(endpoint, '/TraceSummaries', { StartTime: endSec - 60, EndTime: endSec });
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['x-amzn-errortype'], 'ThrottledException');
    assert.equal(throttled.json.__type, 'ThrottledException');
    const unavailable = await post(endpoint, '/TraceSummaries', { StartTime: endSec - 60, EndTime: endSec });
    assert.equal(unavailable.status, 503);
    await assert.rejects(
      client.send(new GetTraceSummariesCommand({ StartTime: new Date(0), EndTime: new Date() })),
      (e: Error & { $metadata: { httpStatusCode: number } }) =>
        e.name === 'ThrottledException' && e.$metadata.httpStatusCode === 429,
    );
    assert.equal(xray.api.calls.get('GetTraceSummaries'), 3);
  });

  it('holds ids back from BatchGetTraces in UnprocessedTraceIds on request', async () => {
    xray.api.faults = { holdBack: (id, n) => id === traces[2]!.id && n === 1 };
    const ids = traces.slice(2, 5).map((t) => t.id);
    const first = await client.send(new BatchGetTracesCommand({ TraceIds: ids }));
    assert.deepEqual(first.UnprocessedTraceIds, [ids[0]]);
    assert.deepEqual(
      first.Traces?.map((t) => t.Id),
      ids.slice(1),
    );
    const again = await client.send(new BatchGetTracesCommand({ TraceIds: [ids[0]!] }));
    assert.deepEqual(
      again.Traces?.map((t) => t.Id),
      [ids[0]],
    );
  });

  it("refuses summary windows longer than X-Ray's when told to", async () => {
    xray.api.maxSummaryWindowHours = 6;
    await assert.rejects(
      client.send(
        new GetTraceSummariesCommand({
          StartTime: new Date((endSec - 7 * 3600) * 1000),
          EndTime: new Date(endSec * 1000),
        }),
      ),
      (e: Error) => e.name === 'InvalidRequestException' && /at most 6 hours/.test(e.message),
    );
    const ok = await client.send(
      new GetTraceSummariesCommand({
        StartTime: new Date((endSec - 6 * 3600) * 1000),
        EndTime: new Date(endSec * 1000),
      }),
    );
    assert.equal(ok.TraceSummaries?.length, 60);
  });

  it('says where spans go, and in Transaction Search mode BatchGetTraces finds nothing', async () => {
    assert.equal((await client.send(new GetTraceSegmentDestinationCommand({}))).Destination, 'XRay');
    xray.api.segmentDestination = 'CloudWatchLogs';
    const d = await client.send(new GetTraceSegmentDestinationCommand({}));
    assert.equal(d.Destination, 'CloudWatchLogs');
    assert.equal(d.Status, 'ACTIVE');
    const r = await client.send(new BatchGetTracesCommand({ TraceIds: [traces[0]!.id] }));
    assert.deepEqual(r.Traces, []);
    assert.deepEqual(r.UnprocessedTraceIds, [traces[0]!.id]);
  });

  it('retrieves traces: RUNNING, then COMPLETE pages of whole traces within the window', async () => {
    xray.api.segmentDestination = 'CloudWatchLogs';
    xray.api.retrievalPolls = 2;
    const ids = traces.map((t) => t.id);
    const start = new Date((endSec - 3600 - 60) * 1000);
    const started = await client.send(
      new StartTraceRetrievalCommand({ TraceIds: ids, StartTime: start, EndTime: new Date(endSec * 1000) }),
    );
    const RetrievalToken: string = started.RetrievalToken ?? '';
    assert.ok(RetrievalToken);
    for (let i = 0; i < 2; i++) {
      const r = await client.send(new ListRetrievedTracesCommand({ RetrievalToken, TraceFormat: 'XRAY' }));
      assert.equal(r.RetrievalStatus, 'RUNNING');
      assert.deepEqual(r.Traces, []);
    }
    const got: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const r = await client.send(
        new ListRetrievedTracesCommand({ RetrievalToken, TraceFormat: 'XRAY', NextToken: next }),
      );
      assert.equal(r.RetrievalStatus, 'COMPLETE');
      for (const t of r.Traces ?? []) {
        got.push(t.Id!);
        assert.ok(t.Spans!.length > 0 && t.Spans!.every((s) => JSON.parse(s.Document!) && s.Id));
      }
      next = r.NextToken;
      pages++;
    } while (next);
    assert.equal(pages, 3, '60 traces, 25 a page');
    assert.deepEqual(got.sort(), [...ids].sort());
    // Outside the window: not retrieved.
    const narrow = await client.send(
      new StartTraceRetrievalCommand({
        TraceIds: ids,
        StartTime: new Date((endSec - 60) * 1000),
        EndTime: new Date(endSec * 1000),
      }),
    );
    xray.api.retrievalPolls = 0;
    const few = await client.send(new ListRetrievedTracesCommand({ RetrievalToken: narrow.RetrievalToken }));
    assert.ok(few.Traces!.length < 5);
  });

  it('draws the graph of a retrieval, cancels one, and refuses bad requests', async () => {
    xray.api.retrievalPolls = 0;
    const ids = traces.slice(0, 10).map((t) => t.id);
    const window = { StartTime: new Date((endSec - 3700) * 1000), EndTime: new Date(endSec * 1000) };
    const { RetrievalToken } = await client.send(new StartTraceRetrievalCommand({ TraceIds: ids, ...window }));
    const g = await client.send(new GetRetrievedTracesGraphCommand({ RetrievalToken }));
    assert.equal(g.RetrievalStatus, 'COMPLETE');
    assert.ok(g.Services!.some((s) => s.Service?.Name === 'orders'));
    const other = await client.send(new StartTraceRetrievalCommand({ TraceIds: ids, ...window }));
    await client.send(new CancelTraceRetrievalCommand({ RetrievalToken: other.RetrievalToken }));
    assert.equal(
      (await client.send(new ListRetrievedTracesCommand({ RetrievalToken: other.RetrievalToken }))).RetrievalStatus,
      'CANCELLED',
    );
    await assert.rejects(
      client.send(new ListRetrievedTracesCommand({ RetrievalToken: 'nope' })),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
    const tooMany = Array.from({ length: 101 }, (_, i) => `1-00000000-${i.toString(16).padStart(24, '0')}`);
    await assert.rejects(
      client.send(new StartTraceRetrievalCommand({ TraceIds: tooMany, ...window })),
      (e: Error) => e.name === 'InvalidRequestException',
    );
  });
});
