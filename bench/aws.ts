// Fetching 1,000 traces through the real client-xray from the local X-Ray, run as its own process
// (`trace-lens collect`) so server and client do not share one event loop: the default concurrency
// against one call at a time, in the same run (the machines are shared: the ratio is the figure).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ingest } from '../src/collector/ingest';
import { SqliteStore } from '../src/collector/sqliteStore';
import { awsDefaults } from '../src/sources/aws/awsSource';
import { awsXRayClient } from '../src/sources/aws/client';
import { batchGetTraces } from '../src/sources/aws/fetch';
import { repoRoot } from '../test/harness/paths';
import { spreadTraces } from '../test/unit/sources/awsFixtures';

/** Prints one figure. */
type Emit = (figure: Record<string, unknown>) => void;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** BatchGetTraces for 1,000 traces: default concurrency vs one call at a time, alternating rounds. */
export async function benchAwsFetch(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trace-lens-bench-aws-'));
  const db = join(dir, 'xray.db');
  const spread = spreadTraces(1000, Date.now() / 1000 - 3600, 24 * 3600);
  const ids = spread.traces.map((t) => t.id);
  const store = new SqliteStore(db);
  const ingest = new Ingest(store);
  for (const d of spread.docs) ingest.document(d);
  ingest.close();
  store.close();
  const server = spawn(process.execPath, [
    join(repoRoot, 'dist', 'cli.js'),
    'collect',
    '--db',
    db,
    '--api',
    '127.0.0.1:0',
    '--udp',
    'off',
    '--otlp',
    'off',
    '--max-age-hours',
    '0',
  ]);
  let out = '';
  server.stdout.on('data', (b: Buffer) => (out += b.toString()));
  server.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => server.on('exit', () => r()));
  const client = await (async () => {
    const deadline = Date.now() + 10_000;
    while (!/api\s+127\.0\.0\.1:(\d+)/.test(out)) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the local X-Ray did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return awsXRayClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${/api\s+127\.0\.0\.1:(\d+)/.exec(out)![1]}`,
    });
  })();
  try {
    const time = async (concurrency: number) => {
      const t = performance.now();
      const r = await batchGetTraces(client, ids, { concurrency });
      if (r.traces.length !== ids.length) throw new Error(`benchmark lost traces: ${r.traces.length} of ${ids.length}`);
      return performance.now() - t;
    };
    await time(awsDefaults.concurrency);
    const concurrent: number[] = [];
    const serial: number[] = [];
    for (let round = 0; round < 3; round++) {
      concurrent.push(await time(awsDefaults.concurrency));
      serial.push(await time(1));
    }
    const c = median(concurrent);
    const s = median(serial);
    emit({
      figure:
        'fetch 1,000 traces: BatchGetTraces through client-xray from the local X-Ray in its own process, default concurrency vs one call at a time',
      traces: ids.length,
      callsPerFetch: ids.length / 5,
      concurrency: awsDefaults.concurrency,
      concurrentMs: +c.toFixed(1),
      oneAtATimeMs: +s.toFixed(1),
      ratio: +(s / c).toFixed(2),
      note: 'loopback calls take well under a millisecond of waiting; against AWS each call waits a network round trip, which concurrency overlaps',
    });
  } finally {
    client.destroy();
    server.kill('SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
