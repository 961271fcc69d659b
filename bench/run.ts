// `npm run bench`: one JSON line per figure, each with the baseline it is compared to, measured in
// the same run (the machines are shared and noisy: ratios, not absolute times, are the targets).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { LocalXRay } from '../src/collector/localXRay';
import { SqliteStore } from '../src/collector/sqliteStore';
import { assembleTraces } from '../src/model/assemble';
import { splitDatagram } from '../src/model/datagram';
import { Repairs } from '../src/model/repairs';
import { parseSegmentJson } from '../src/model/segmentDocument';
import type { Span } from '../src/model/trace';
import { xrayDatagrams } from '../test/unit/fixtures';
import { benchAwsFetch } from './aws';
import { benchStats } from './stats';
import { benchIndex, benchSourceMaps } from './mapping';
import { benchWaterfall } from './webview';
import { benchServiceMapLayout } from './serviceMap';
import { repoRoot } from '../test/harness/paths';

function emit(figure: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Real SDK documents, copied into many traces (new trace ids) so the input is large. */
function corpus(copies: number): string[] {
  const docs = xrayDatagrams().map((d) => (splitDatagram(d) as { document: string }).document);
  const out: string[] = [];
  for (let c = 0; c < copies; c++)
    for (const d of docs)
      out.push(
        d.replace(
          /"trace_id":"1-([0-9a-f]{8})-[0-9a-f]{8}/,
          (_m, t: string) => `"trace_id":"1-${t}-${c.toString(16).padStart(8, '0')}`,
        ),
      );
  return out;
}

function benchParse(): void {
  const docs = corpus(150);
  const bytes = docs.reduce((n, d) => n + d.length, 0);
  // As the store reads them: trace by trace, each trace's documents parsed, then assembled.
  const byTrace = new Map<string, string[]>();
  for (const d of docs) {
    const id = /"trace_id":"([^"]+)"/.exec(d)![1]!;
    byTrace.set(id, [...(byTrace.get(id) ?? []), d]);
  }
  const traceDocs = [...byTrace.values()];
  const rounds = 9;
  const baseline: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    let sink = 0;
    for (const group of traceDocs) {
      const parsed = group.map((d) => JSON.parse(d) as object);
      sink += parsed.length;
    }
    baseline.push(performance.now() - t);
    t = performance.now();
    let spansOut = 0;
    for (const group of traceDocs) {
      const repairs = new Repairs();
      const spans: Span[] = [];
      for (const d of group) {
        const s = parseSegmentJson(d, repairs);
        if (s) spans.push(s);
      }
      spansOut += assembleTraces(spans).length;
    }
    ours.push(performance.now() - t);
    if (sink !== docs.length || spansOut !== traceDocs.length) throw new Error('benchmark lost documents');
  }
  const b = median(baseline);
  const o = median(ours);
  emit({
    figure: 'parse+assemble throughput vs JSON.parse',
    documents: docs.length,
    traces: traceDocs.length,
    mode: 'trace by trace, as the store reads them',
    megabytes: +(bytes / 1e6).toFixed(2),
    baselineMs: +b.toFixed(1),
    oursMs: +o.toFixed(1),
    oursMBps: +(bytes / 1e6 / (o / 1000)).toFixed(1),
    ratio: +(b / o).toFixed(3),
    target: '>= 0.5',
  });
}

async function benchIngest(dir: string): Promise<void> {
  const rate = Number(process.env.BENCH_UDP_RATE ?? 10_000);
  const seconds = Number(process.env.BENCH_UDP_SECONDS ?? 10);
  const store = new SqliteStore(join(dir, 'ingest.db'));
  const xray = new LocalXRay(store, {
    udp: { host: '127.0.0.1', port: 0 },
    api: { host: '127.0.0.1', port: 0 },
    otlp: false,
  });
  const s = await xray.start();
  if (s.udp.state !== 'listening' || s.api.state !== 'listening') throw new Error('listeners did not start');
  const template = join(dir, 'template.json');
  writeFileSync(
    template,
    JSON.stringify({
      trace_id: '__TRACE_ID__',
      id: '__ID__',
      name: 'orders',
      start_time: '__START__',
      end_time: '__END__',
      http: { request: { method: 'GET', url: 'http://127.0.0.1:3000/orders/1001' }, response: { status: 200 } },
      annotations: { customer_tier: 'gold' },
      subsegments: [{ id: 'aaaaaaaaaaaaaaaa', name: 'loadCart', start_time: 1, end_time: 2 }],
    })
      .replace(/"__START__"/, '__START__')
      .replace(/"__END__"/, '__END__'),
  );
  const client = new XRayClient({
    endpoint: `http://127.0.0.1:${s.api.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const sender = spawn(process.execPath, [
    join(__dirname, 'udpSender.js'),
    String(s.udp.port),
    String(rate),
    String(seconds),
    template,
  ]);
  let senderOut = '';
  sender.stdout.on('data', (b: Buffer) => (senderOut += b.toString()));
  const done = new Promise<void>((r) => sender.on('exit', () => r()));
  // The API keeps answering while the datagrams pour in.
  const apiMs: number[] = [];
  let apiErrors = 0;
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    const t = performance.now();
    try {
      await client.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(Date.now() - 60_000),
          EndTime: new Date(),
          FilterExpression: 'fault OR responsetime > 5',
        }),
      );
      apiMs.push(performance.now() - t);
    } catch {
      apiErrors++;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const { sent } = JSON.parse(senderOut) as { sent: number };
  const deadline = Date.now() + 10_000;
  while (xray.ingest.stats.received < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  xray.ingest.flush();
  const stored = store.traceCount();
  emit({
    figure: 'UDP ingest from a second process',
    ratePerSecond: rate,
    seconds,
    sent,
    stored,
    lost: sent - stored,
    apiCallsDuringLoad: apiMs.length,
    apiErrors,
    apiP50Ms: apiMs.length ? +median(apiMs).toFixed(1) : null,
    apiMaxMs: apiMs.length ? +Math.max(...apiMs).toFixed(1) : null,
    target: 'every one stored, API answering',
  });
  client.destroy();
  await xray.stop();
  store.close();
}

async function benchBatchGet(dir: string): Promise<void> {
  const store = new SqliteStore(join(dir, 'batch.db'));
  const xray = new LocalXRay(store, { udp: false, api: { host: '127.0.0.1', port: 0 }, otlp: false });
  const s = await xray.start();
  if (s.api.state !== 'listening') throw new Error('api did not start');
  // 1,000 traces of real SDK documents.
  const docs = corpus(40);
  for (const d of docs) xray.ingest.document(d);
  xray.ingest.flush();
  const ids = [...new Set(docs.map((d) => /"trace_id":"([^"]+)"/.exec(d)![1]!))].slice(0, 1000);
  const client = new XRayClient({
    endpoint: `http://127.0.0.1:${s.api.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const concurrency = 4;
  const t = performance.now();
  let next = 0;
  let got = 0;
  let segments = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const batch = ids.slice(next, (next += 5));
        const r = await client.send(new BatchGetTracesCommand({ TraceIds: batch }));
        got += r.Traces?.length ?? 0;
        for (const tr of r.Traces ?? []) segments += tr.Segments?.length ?? 0;
      }
    }),
  );
  const ms = performance.now() - t;
  emit({
    figure: 'BatchGetTraces through @aws-sdk/client-xray against the local X-Ray',
    traces: ids.length,
    returned: got,
    segments,
    concurrency,
    wallMs: +ms.toFixed(1),
    msPerTrace: +(ms / ids.length).toFixed(3),
  });
  client.destroy();
  await xray.stop();
  store.close();
}

/** The benchmarks by name, in the order they run; `npm run bench -- --only NAME` runs some of them. */
const benchmarks: Record<string, (dir: string) => void | Promise<void>> = {
  parse: () => benchParse(),
  sourceMaps: () => benchSourceMaps(emit),
  index: () => benchIndex(emit, join(repoRoot, 'sample')),
  batchGet: (dir) => benchBatchGet(dir),
  awsFetch: () => benchAwsFetch(emit),
  stats: () => benchStats(emit),
  // Chromium figures: the waterfall against a plain render, then the map's layout.
  waterfall: () => benchWaterfall(emit),
  serviceMap: () => benchServiceMapLayout(emit),
  ingest: (dir) => benchIngest(dir),
};

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in benchmarks));
  if (unknown.length)
    throw new Error(`no benchmark named ${unknown.join(', ')}: choose among ${Object.keys(benchmarks).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'trace-lens-bench-'));
  try {
    for (const [name, run] of Object.entries(benchmarks))
      if (names.length === 0 || names.includes(name)) await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
