// `trace-lens stats` against percentiles computed independently, from the raw documents the real
// X-Ray SDK sent (nearest-rank: the ceil(q·n)-th smallest).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { LocalXRay } from '../../src/collector/localXRay';
import { MemoryStore } from '../../src/collector/store';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';
import { xrayDatagrams } from './fixtures';

type Doc = {
  name: string;
  trace_id?: string;
  id: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  fault?: boolean;
  error?: boolean;
  throttle?: boolean;
  subsegments?: Doc[];
};

const nearestRank = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;

describe('cli stats', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'trace-lens-stats-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same percentiles as an independent nearest-rank over the raw durations', async () => {
    // The recorded traffic, moved into the last minutes so it falls in the window.
    const docs = xrayDatagrams().map((d) => JSON.parse(d.slice(d.indexOf('\n') + 1)) as Doc);
    const shift = Date.now() / 1000 - 600 - Math.min(...docs.map((d) => d.start_time));
    const move = (d: Doc) => {
      d.start_time += shift;
      if (d.end_time) d.end_time += shift;
      d.subsegments?.forEach(move);
    };
    docs.forEach(move);
    const file = join(dir, 'traffic.json');
    writeFileSync(file, JSON.stringify(docs));
    // Independently: the last document per id wins (complete over in progress), then every span's
    // duration under (service = its segment's name, its own name).
    const latest = new Map<string, Doc>();
    for (const d of docs) if (!latest.has(d.id) || !d.in_progress) latest.set(d.id, d);
    const segmentOf = new Map<string, string>();
    for (const d of latest.values()) if (!('type' in d)) segmentOf.set(d.id, d.name);
    const durations = new Map<string, number[]>();
    const walk = (s: Doc, service: string) => {
      if (s.end_time !== undefined && !s.in_progress) {
        const key = `${service}\u0000${s.name}`;
        durations.set(key, [...(durations.get(key) ?? []), (s.end_time - s.start_time) * 1000]);
      }
      s.subsegments?.forEach((c) => walk(c, service));
    };
    // Independent subsegments belong to the segment of their trace that holds their parent.
    const owner = new Map<string, string>();
    for (const d of latest.values()) {
      if ((d as { type?: string }).type === 'subsegment') continue;
      const stack: Doc[] = [d];
      while (stack.length) {
        const s = stack.pop()!;
        owner.set(s.id, d.name);
        stack.push(...(s.subsegments ?? []));
      }
    }
    const independents = [...latest.values()].filter((d) => (d as { type?: string }).type === 'subsegment');
    for (let pass = 0; pass < 5; pass++)
      for (const d of independents) {
        const parent = owner.get((d as { parent_id?: string }).parent_id ?? '');
        if (parent) {
          const stack: Doc[] = [d];
          while (stack.length) {
            const s = stack.pop()!;
            owner.set(s.id, parent);
            stack.push(...(s.subsegments ?? []));
          }
        }
      }
    for (const d of latest.values()) walk(d, owner.get(d.id) ?? d.name);

    const env = { ...process.env, TRACE_LENS_DB: join(dir, 'traces.db') };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env });
    assert.equal(cli('import', file).status, 0);
    const r = cli('stats', '--since', '1h', '--workspace', join(repoRoot, 'sample'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      window: { start: string; end: string };
      operations: {
        service: string;
        name: string;
        calls: number;
        p50Ms: number;
        p90Ms: number;
        p99Ms: number;
        maxMs: number;
        location: { path: string; line: number; via: string } | null;
      }[];
    };
    assert.ok(Date.parse(out.window.end) - Date.parse(out.window.start) >= 3600_000 - 1000);
    assert.ok(out.operations.length >= 10);
    let compared = 0;
    for (const op of out.operations) {
      const raw = durations.get(`${op.service}\u0000${op.name}`);
      if (!raw) continue;
      const sorted = [...raw].sort((a, b) => a - b);
      assert.equal(op.calls, sorted.length, `${op.service}/${op.name} calls`);
      for (const [q, got] of [
        [0.5, op.p50Ms],
        [0.9, op.p90Ms],
        [0.99, op.p99Ms],
        [1, op.maxMs],
      ] as const) {
        assert.ok(
          Math.abs(got - nearestRank(sorted, q)) < 0.01,
          `${op.service}/${op.name} p${q * 100}: ${got} vs ${nearestRank(sorted, q)}`,
        );
      }
      compared++;
    }
    assert.ok(compared >= 10, `${compared} operations compared`);
    const loadCart = out.operations.find((o) => o.name === 'loadCart')!;
    assert.deepEqual(loadCart.location && { path: loadCart.location.path, via: loadCart.location.via }, {
      path: 'services/orders/checkout.js',
      via: 'instrumentation',
    });

    // Entry points: the Express route's row counts the orders segments whose URL it matches.
    const gets = [...latest.values()].filter(
      (d) =>
        d.name === 'orders' &&
        !d.in_progress &&
        d.end_time !== undefined &&
        (d as { http?: { request?: { method?: string; url?: string } } }).http?.request?.method === 'GET' &&
        /\/orders\/[^/?#]+(?:[?#].*)?$/.test((d as { http?: { request?: { url?: string } } }).http?.request?.url ?? ''),
    );
    const route = out.operations.find((o) => o.name === 'GET /orders/:id')!;
    assert.ok(route, 'a row for the GET /orders/:id route');
    assert.equal(route.calls, gets.length);
    assert.deepEqual(route.location && { path: route.location.path, via: route.location.via }, {
      path: 'services/orders/server.js',
      via: 'route',
    });

    // The same figures through the X-Ray API, as from AWS (--source aws with an endpoint).
    const xray = new LocalXRay(new MemoryStore(), { udp: false, api: { host: '127.0.0.1', port: 0 }, otlp: false });
    const status = await xray.start();
    try {
      for (const d of docs) xray.ingest.document(JSON.stringify(d));
      xray.ingest.flush();
      const awsEnv = {
        ...env,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example',
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      };
      const viaAws = await new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            join(repoRoot, 'dist', 'cli.js'),
            'stats',
            '--source',
            'aws',
            '--region',
            'us-east-1',
            '--endpoint',
            `http://127.0.0.1:${(status.api as { port: number }).port}`,
            '--db',
            join(dir, 'cache.db'),
            '--since',
            '1h',
            '--workspace',
            join(repoRoot, 'sample'),
            '--json',
          ],
          { env: awsEnv },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(stderr))));
      });
      const aws = JSON.parse(viaAws) as typeof out;
      const key = (o: (typeof out.operations)[number]) => `${o.service}/${o.name}`;
      assert.deepEqual(
        aws.operations.map((o) => [key(o), o.calls, o.p50Ms, o.p99Ms]),
        out.operations.map((o) => [key(o), o.calls, o.p50Ms, o.p99Ms]),
      );
    } finally {
      await xray.stop();
    }
  });
});
