// The real X-Ray SDK and the real OpenTelemetry SDK, running in the sample shop and pointed at the
// local X-Ray, produce traces that the real @aws-sdk/client-xray reads back whole.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetTracesCommand,
  GetServiceGraphCommand,
  XRayClient,
  paginateGetTraceSummaries,
  type TraceSummary,
} from '@aws-sdk/client-xray';
import { LocalXRay } from '../../../src/collector/localXRay';
import { SqliteStore } from '../../../src/collector/sqliteStore';
import { assembleTrace, forEachSpan } from '../../../src/model/assemble';
import { Repairs } from '../../../src/model/repairs';
import { parseSegmentJson } from '../../../src/model/segmentDocument';
import type { Span } from '../../../src/model/trace';
import { repoRoot } from '../../harness/paths';

const sample = join(repoRoot, 'sample');

function runTraffic(args: string[]): Promise<{ requests: number; byService: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(sample, 'traffic.mjs'), '--quiet', ...args], { cwd: sample });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as { requests: number; byService: Record<string, number> })
        : reject(new Error(`traffic.mjs exited ${code}: ${err}`)),
    );
  });
}

describe('real SDKs against the local X-Ray, read back through @aws-sdk/client-xray', function () {
  this.timeout(120_000);
  let dir: string;
  let xray: LocalXRay;
  let client: XRayClient;
  let sent: { requests: number; byService: Record<string, number> };
  const summaries: TraceSummary[] = [];
  const started = new Date(Date.now() - 60_000);

  before(async function () {
    assert.ok(
      existsSync(join(sample, 'node_modules', 'aws-xray-sdk-core')),
      "sample/ has no node_modules: run 'npm ci --prefix sample' (npm test does it)",
    );
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-live-'));
    xray = new LocalXRay(new SqliteStore(join(dir, 'traces.db')), {
      udp: { host: '127.0.0.1', port: 0 },
      api: { host: '127.0.0.1', port: 0 },
      otlp: { host: '127.0.0.1', port: 0 },
    });
    const s = await xray.start();
    assert.ok(s.udp.state === 'listening' && s.api.state === 'listening' && s.otlp.state === 'listening');
    client = new XRayClient({
      endpoint: `http://127.0.0.1:${s.api.port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    // The first half of the catalog's exports as protobuf (the default), then as JSON with gzip.
    sent = await runTraffic([
      '--xray',
      `127.0.0.1:${s.udp.port}`,
      '--otlp',
      `http://127.0.0.1:${s.otlp.port}`,
      '--requests',
      '24',
    ]);
    const json = await runTraffic([
      '--xray',
      `127.0.0.1:${s.udp.port}`,
      '--otlp',
      `http://127.0.0.1:${s.otlp.port}`,
      '--requests',
      '6',
      '--only',
      'otel',
      '--otlp-protocol',
      'http/json',
      '--otlp-compression',
      'gzip',
    ]);
    sent.byService.catalog = (sent.byService.catalog ?? 0) + (json.byService.catalog ?? 0);
    // The SDK's sampling calls went to the API port too: it was asked and answered "sample all".
    await new Promise((r) => setTimeout(r, 300));
    for await (const page of paginateGetTraceSummaries(
      { client },
      { StartTime: started, EndTime: new Date(Date.now() + 60_000), TimeRangeType: 'Event' },
    ))
      summaries.push(...(page.TraceSummaries ?? []));
  });

  after(async () => {
    client?.destroy();
    await xray?.stop();
    xray?.store.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists a trace for every request each SDK served (summaries)', () => {
    const byEntry = (name: string) => summaries.filter((s) => s.EntryPoint?.Name === name).length;
    assert.equal(byEntry('orders'), sent.byService.orders, JSON.stringify(sent.byService));
    assert.equal(byEntry('catalog'), sent.byService.catalog, JSON.stringify(sent.byService));
    assert.ok(summaries.some((s) => s.HasFault) && summaries.some((s) => s.HasError));
  });

  it('returns whole traces: every document, across services, no orphans (BatchGetTraces)', async () => {
    const crossService = summaries.filter((s) => (s.ServiceIds ?? []).length >= 2).map((s) => s.Id!);
    assert.ok(crossService.length > 0);
    let spans = 0;
    for (let i = 0; i < summaries.length; i += 5) {
      const r = await client.send(new BatchGetTracesCommand({ TraceIds: summaries.slice(i, i + 5).map((s) => s.Id!) }));
      assert.deepEqual(r.UnprocessedTraceIds, []);
      for (const t of r.Traces!) {
        const repairs = new Repairs();
        const docs = t
          .Segments!.map((seg) => parseSegmentJson(seg.Document!, repairs))
          .filter((s): s is Span => s !== undefined);
        const trace = assembleTrace(t.Id!, docs);
        assert.equal(repairs.errors, 0);
        assert.deepEqual(trace.orphans, [], `orphans in ${t.Id}`);
        assert.equal(trace.inProgress, false, `${t.Id} still in progress`);
        forEachSpan(trace, () => spans++);
      }
    }
    assert.ok(spans > summaries.length * 2);
  });

  it('draws the service graph with both SDKs\u2019 services and the orders \u2192 inventory edge', async () => {
    const g = await client.send(
      new GetServiceGraphCommand({ StartTime: started, EndTime: new Date(Date.now() + 60_000) }),
    );
    const byName = new Map(g.Services!.map((s) => [s.Name, s]));
    for (const n of ['orders', 'inventory', 'catalog', 'client'])
      assert.ok(byName.has(n), `${n} in ${[...byName.keys()].join(', ')}`);
    assert.ok(byName.get('orders')!.Edges!.some((e) => e.ReferenceId === byName.get('inventory')!.ReferenceId));
  });
});
