// The local X-Ray end to end: real SDK output in over UDP and OTLP/HTTP, read back whole through
// the real @aws-sdk/client-xray over HTTP; and what bad input does to it (nothing lasting).
import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetTracesCommand,
  GetSamplingRulesCommand,
  GetSamplingTargetsCommand,
  GetServiceGraphCommand,
  GetTimeSeriesServiceStatisticsCommand,
  GetTraceGraphCommand,
  GetTraceSummariesCommand,
  PutTraceSegmentsCommand,
  XRayClient,
  paginateGetTraceSummaries,
  type TraceSummary,
} from '@aws-sdk/client-xray';
import { LocalXRay } from '../../../src/collector/localXRay';
import { SqliteStore } from '../../../src/collector/sqliteStore';
import { MemoryStore } from '../../../src/collector/store';
import { splitDatagram } from '../../../src/model/datagram';
import { otlpBodies, xrayDatagrams } from '../fixtures';

const fixtureTraceIds = () =>
  new Set(
    xrayDatagrams().map(
      (d) => (JSON.parse((splitDatagram(d) as { document: string }).document) as { trace_id: string }).trace_id,
    ),
  );

async function sendUdp(port: number, datagrams: (string | Buffer)[]): Promise<void> {
  const sock = createSocket('udp4');
  for (const d of datagrams)
    await new Promise<void>((r, j) =>
      sock.send(typeof d === 'string' ? Buffer.from(d) : d, port, '127.0.0.1', (e) => (e ? j(e) : r())),
    );
  sock.close();
}

function post(
  port: number,
  path: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('local X-Ray with real SDK data and the real @aws-sdk/client-xray', function () {
  this.timeout(60_000);
  let dir: string;
  let xray: LocalXRay;
  let client: XRayClient;
  let apiPort: number;
  let udpPort: number;
  let otlpPort: number;
  const logs: string[] = [];
  const window = { StartTime: new Date(1_700_000_000_000), EndTime: new Date(Date.now() + 365 * 86400_000 * 5) };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-xray-'));
    xray = new LocalXRay(new SqliteStore(join(dir, 'traces.db')), {
      udp: { host: '127.0.0.1', port: 0 },
      api: { host: '127.0.0.1', port: 0 },
      otlp: { host: '127.0.0.1', port: 0 },
      log: (level, m) => logs.push(`${level}: ${m}`),
    });
    const status = await xray.start();
    assert.equal(status.udp.state, 'listening');
    assert.equal(status.api.state, 'listening');
    assert.equal(status.otlp.state, 'listening');
    udpPort = (status.udp as { port: number }).port;
    apiPort = (status.api as { port: number }).port;
    otlpPort = (status.otlp as { port: number }).port;
    client = new XRayClient({
      endpoint: `http://127.0.0.1:${apiPort}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });

    await sendUdp(udpPort, xrayDatagrams());
    for (const b of otlpBodies()) {
      const headers: Record<string, string> = { 'content-type': b.contentType };
      if (b.contentEncoding) headers['content-encoding'] = b.contentEncoding;
      const r = await post(otlpPort, '/v1/traces', b.raw, headers);
      assert.equal(r.status, 200, `${b.file}: ${r.text}`);
    }
    await until('every datagram stored', () => xray.ingest.stats.stored >= xrayDatagrams().length);
  });

  after(async () => {
    client?.destroy();
    await xray?.stop();
    xray?.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function allSummaries(filter?: string): Promise<TraceSummary[]> {
    const out: TraceSummary[] = [];
    for await (const page of paginateGetTraceSummaries(
      { client },
      { ...window, TimeRangeType: 'Event', FilterExpression: filter },
    ))
      out.push(...(page.TraceSummaries ?? []));
    return out;
  }

  it('lists every trace the SDKs sent (GetTraceSummaries, paged)', async () => {
    const ids = new Set((await allSummaries()).map((s) => s.Id!));
    for (const id of fixtureTraceIds()) assert.ok(ids.has(id), `trace ${id} listed`);
    assert.ok(ids.size > fixtureTraceIds().size, 'the OTel traces are listed too');
  });

  it('answers filter expressions, and explains an invalid one in the AWS error shape', async () => {
    const all = await allSummaries();
    const faults = await allSummaries('fault');
    assert.ok(faults.length > 0 && faults.length < all.length);
    assert.ok(faults.every((s) => s.HasFault));
    const inventory = await allSummaries('service("inventory")');
    assert.ok(inventory.length > 0 && inventory.every((s) => s.ServiceIds?.some((x) => x.Name === 'inventory')));
    const clientErrors = await allSummaries('http.status >= 400 AND http.status < 500');
    assert.ok(clientErrors.every((s) => s.Http!.HttpStatus! >= 400 && s.Http!.HttpStatus! < 500));
    await assert.rejects(
      client.send(new GetTraceSummariesCommand({ ...window, FilterExpression: 'responsetime >' })),
      (e: Error) => e.name === 'InvalidRequestException' && /Invalid filter expression/.test(e.message),
    );
  });

  it('returns whole traces (BatchGetTraces), with the SDK documents inside', async () => {
    const ids = [...fixtureTraceIds()];
    const sent = new Map<string, number>();
    for (const d of xrayDatagrams()) {
      const doc = JSON.parse((splitDatagram(d) as { document: string }).document) as { trace_id: string; id: string };
      sent.set(doc.trace_id, (sent.get(doc.trace_id) ?? 0) + 1);
    }
    for (let i = 0; i < ids.length; i += 5) {
      const r = await client.send(new BatchGetTracesCommand({ TraceIds: ids.slice(i, i + 5) }));
      assert.deepEqual(r.UnprocessedTraceIds, []);
      assert.equal(r.Traces!.length, Math.min(5, ids.length - i));
      for (const t of r.Traces!) {
        assert.ok(t.Segments!.length >= 1);
        for (const s of t.Segments!) assert.equal((JSON.parse(s.Document!) as { trace_id: string }).trace_id, t.Id);
      }
    }
    const missing = '1-00000000-000000000000000000000000';
    const r = await client.send(new BatchGetTracesCommand({ TraceIds: [missing] }));
    assert.deepEqual(r.UnprocessedTraceIds, [missing]);
    await assert.rejects(client.send(new BatchGetTracesCommand({ TraceIds: ids.slice(0, 6) })), /at most 5/);
  });

  it('draws the service graph of the window and of given traces', async () => {
    const g = await client.send(new GetServiceGraphCommand(window));
    const names = new Set(g.Services!.map((s) => s.Name));
    for (const n of ['orders', 'inventory', 'client']) assert.ok(names.has(n), `${n} in ${[...names].join(', ')}`);
    const orders = g.Services!.find((s) => s.Name === 'orders')!;
    const inventory = g.Services!.find((s) => s.Name === 'inventory')!;
    assert.ok(
      orders.Edges!.some((e) => e.ReferenceId === inventory.ReferenceId && e.SummaryStatistics!.TotalCount! > 0),
    );
    assert.ok(orders.SummaryStatistics!.FaultStatistics!.TotalCount! > 0);
    const tg = await client.send(new GetTraceGraphCommand({ TraceIds: [...fixtureTraceIds()].slice(0, 3) }));
    assert.ok(tg.Services!.length >= 2);
  });

  it('gives time-series statistics per period', async () => {
    const r = await client.send(
      new GetTimeSeriesServiceStatisticsCommand({
        ...window,
        Period: 60,
        EntitySelectorExpression: 'service("orders")',
      }),
    );
    const total = r.TimeSeriesServiceStatistics!.reduce((n, p) => n + (p.ServiceSummaryStatistics?.TotalCount ?? 0), 0);
    assert.ok(total > 0);
  });

  it('takes PutTraceSegments and answers the SDK sampling calls (sample everything)', async () => {
    const id = '1-6b000000-aaaaaaaaaaaaaaaaaaaaaaaa';
    const r = await client.send(
      new PutTraceSegmentsCommand({
        TraceSegmentDocuments: [
          JSON.stringify({
            trace_id: id,
            id: 'abcdefabcdef0001',
            name: 'put',
            start_time: 1_795_000_000,
            end_time: 1_795_000_001,
          }),
          '{not json',
        ],
      }),
    );
    assert.equal(r.UnprocessedTraceSegments!.length, 1);
    const got = await client.send(new BatchGetTracesCommand({ TraceIds: [id] }));
    assert.equal(got.Traces!.length, 1);
    const rules = await client.send(new GetSamplingRulesCommand({}));
    assert.equal(rules.SamplingRuleRecords![0]!.SamplingRule!.FixedRate, 1);
    const targets = await client.send(
      new GetSamplingTargetsCommand({
        SamplingStatisticsDocuments: [
          {
            RuleName: 'Default',
            ClientID: '0123456789abcdef01234567',
            Timestamp: new Date(),
            RequestCount: 5,
            SampledCount: 5,
            BorrowCount: 0,
          },
        ],
      }),
    );
    assert.equal(targets.SamplingTargetDocuments![0]!.FixedRate, 1);
  });

  describe('bad input', () => {
    it('survives junk, binary, wrong headers and wrong-typed documents on UDP, and keeps storing', async () => {
      const before = xray.ingest.stats.rejected;
      const big = `{"format":"json","version":1}\n${JSON.stringify({ trace_id: '1-6b000001-bbbbbbbbbbbbbbbbbbbbbbbb', id: 'big0000000000001', name: 'big', start_time: 1_795_000_000, end_time: 1_795_000_001, metadata: { default: { pad: 'x'.repeat(64 * 1024 - 300) } } })}`;
      await sendUdp(udpPort, [
        'not json at all',
        Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]),
        '{"format":"xml","version":1}\n{}',
        '{"format":"json","version":1}\n{"trace_id": 5, "id": [], "start_time": "yesterday"}',
        big,
      ]);
      const good = '1-6b000002-cccccccccccccccccccccccc';
      await sendUdp(udpPort, [
        `{"format":"json","version":1}\n${JSON.stringify({ trace_id: good, id: 'good000000000001', name: 'good', start_time: 1_795_000_000, end_time: 1_795_000_001 })}`,
      ]);
      await until(
        'the good datagram stored',
        async () => ((await client.send(new BatchGetTracesCommand({ TraceIds: [good] }))).Traces?.length ?? 0) === 1,
      );
      assert.ok(xray.ingest.stats.rejected >= before + 4);
      assert.ok(Buffer.byteLength(big) < 65_507, 'the big document fits one datagram');
      assert.equal(
        (await client.send(new BatchGetTracesCommand({ TraceIds: ['1-6b000001-bbbbbbbbbbbbbbbbbbbbbbbb'] }))).Traces!
          .length,
        1,
      );
      assert.ok(
        logs.some((l) => /not '\{"format":"json","version":1\}'/.test(l)),
        logs.join('\n'),
      );
    });

    it('answers truncated, wrong-encoding and wrong-type OTLP bodies with a clear 4xx', async () => {
      const proto = otlpBodies().find((b) => b.contentType.includes('protobuf') && !b.contentEncoding)!;
      const truncated = await post(otlpPort, '/v1/traces', proto.body.subarray(0, proto.body.length - 9), {
        'content-type': 'application/x-protobuf',
      });
      assert.equal(truncated.status, 400);
      assert.match(truncated.text, /not an OTLP protobuf/);
      const jsonAsProto = await post(otlpPort, '/v1/traces', '{"resourceSpans": []}', {
        'content-type': 'application/x-protobuf',
      });
      assert.equal(jsonAsProto.status, 400);
      const badJson = await post(otlpPort, '/v1/traces', '{"resourceSpans": [', { 'content-type': 'application/json' });
      assert.equal(badJson.status, 400);
      assert.match(badJson.text, /not OTLP JSON/);
      const badGzip = await post(otlpPort, '/v1/traces', 'plainly not gzip', {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      assert.equal(badGzip.status, 400);
      const xml = await post(otlpPort, '/v1/traces', '<x/>', { 'content-type': 'application/xml' });
      assert.equal(xml.status, 415);
    });

    it('stores and serves a trace with 100,000 subsegments', async () => {
      const id = '1-6b000003-dddddddddddddddddddddddd';
      const t0 = 1_795_000_000;
      const subsegments = Array.from({ length: 100_000 }, (_, i) => ({
        id: `s${i.toString(16).padStart(15, '0')}`,
        name: `item-${i % 50}`,
        start_time: t0 + i / 1e5,
        end_time: t0 + i / 1e5 + 0.00001,
      }));
      const doc = JSON.stringify({
        trace_id: id,
        id: 'huge000000000001',
        name: 'huge',
        start_time: t0,
        end_time: t0 + 2,
        subsegments,
      });
      const put = await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [doc] }));
      assert.deepEqual(put.UnprocessedTraceSegments, []);
      const r = await client.send(new BatchGetTracesCommand({ TraceIds: [id] }));
      const back = JSON.parse(r.Traces![0]!.Segments![0]!.Document!) as { subsegments: unknown[] };
      assert.equal(back.subsegments.length, 100_000);
      const again = await client.send(
        new GetTraceSummariesCommand({ ...window, TimeRangeType: 'Event', FilterExpression: 'service("huge")' }),
      );
      assert.equal(again.TraceSummaries!.length, 1);
    });

    it('refuses a 100 MB body with 413 and keeps serving', async () => {
      const huge = Buffer.alloc(100 * 1024 * 1024, 0x20);
      const r = await post(apiPort, '/TraceSegments', huge, { 'content-type': 'application/json' });
      assert.equal(r.status, 413);
      assert.match(r.text, /over the limit/);
      const again = await client.send(new GetTraceSummariesCommand({ ...window, TimeRangeType: 'Event' }));
      assert.ok(again.TraceSummaries!.length > 0);
    });

    it('says which port is taken instead of failing the rest', async () => {
      const second = new LocalXRay(xray.store, {
        udp: { host: '127.0.0.1', port: udpPort },
        api: { host: '127.0.0.1', port: apiPort },
        otlp: { host: '127.0.0.1', port: 0 },
      });
      const status = await second.start();
      await second.stop();
      assert.equal(status.udp.state, 'failed');
      assert.match(
        (status.udp as { message: string }).message,
        new RegExp(`UDP port 127.0.0.1:${udpPort} is already in use`),
      );
      assert.equal(status.api.state, 'failed');
      assert.equal(status.otlp.state, 'listening');
    });

    it('takes the ports once their holder lets go, within bindRetryMs (a reloaded window\u2019s old extension host)', async () => {
      const holder = new LocalXRay(new MemoryStore(), {
        udp: { host: '127.0.0.1', port: 0 },
        api: { host: '127.0.0.1', port: 0 },
        otlp: false,
      });
      const held = await holder.start();
      assert.ok(held.udp.state === 'listening' && held.api.state === 'listening');
      const at = {
        udp: { host: '127.0.0.1', port: held.udp.port },
        api: { host: '127.0.0.1', port: held.api.port },
        otlp: false as const,
      };
      const next = new LocalXRay(new MemoryStore(), { ...at, bindRetryMs: 5000 });
      const released = new Promise((r) => setTimeout(r, 600)).then(() => holder.stop());
      const status = await next.start();
      await released;
      await next.stop();
      assert.equal(status.udp.state, 'listening');
      assert.equal(status.api.state, 'listening');
    });
  });
});
