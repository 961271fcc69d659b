// `trace-lens locate` on a recorded trace, against a copy of the sample workspace.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { LocalXRay } from '../../src/collector/localXRay';
import { MemoryStore } from '../../src/collector/store';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';
import { fixturesDir } from './fixtures';

const cliJs = join(repoRoot, 'dist', 'cli.js');

type Loc = { path: string; line: number; via: string } | null;
interface Located {
  traceId: string;
  spans: { id: string; name: string; service: string | null; location: Loc }[];
  frames: {
    spanId: string;
    exception: string | null;
    path: string | null;
    line: number | null;
    label: string | null;
    location: Loc;
  }[];
}

describe('cli locate', function () {
  this.timeout(60_000);
  let dir: string;
  let ws: string;
  let db: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cliJs, ...args], { encoding: 'utf8', env: { ...process.env, TRACE_LENS_DB: db } });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-locate-'));
    ws = join(dir, 'shop');
    db = join(dir, 'traces.db');
    cpSync(join(repoRoot, 'sample', 'services'), join(ws, 'services'), {
      recursive: true,
      filter: (src) => !/node_modules|[\\/]dist(-min)?([\\/]|$)/.test(src),
    });
    mkdirSync(join(ws, 'services', 'inventory', 'dist'), { recursive: true });
    for (const f of ['server.js', 'server.js.map'])
      cpSync(join(fixturesDir, 'xray-sdk-node', 'inventory-dist', f), join(ws, 'services', 'inventory', 'dist', f));
    assert.equal(run('import', join(fixturesDir, 'xray-sdk-node', 'datagrams.json')).status, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every span and frame with its workspace location, in the documented JSON shape', () => {
    const list = JSON.parse(
      run('traces', '--since', '100000d', '--filter', 'service("inventory") AND fault', '--json').stdout,
    ) as { traces: { id: string }[] };
    const id = list.traces[0]!.id;
    const r = run('locate', '--workspace', ws, id, '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Located;
    assert.equal(out.traceId, id);
    assert.deepEqual(Object.keys(out.spans[0]!), ['id', 'name', 'service', 'location']);
    assert.deepEqual(Object.keys(out.frames[0]!), ['spanId', 'exception', 'path', 'line', 'label', 'location']);
    assert.ok(out.spans.some((s) => s.service === 'inventory') && out.spans.some((s) => s.service === 'orders'));
    // Frames into the bundle come back as original sources, relative with forward slashes.
    const bundled = out.frames.filter((f) => f.path?.includes('/inventory/dist/'));
    assert.ok(bundled.length > 0);
    for (const f of bundled) {
      assert.ok(f.location, `${f.path}:${f.line} resolved`);
      assert.match(f.location.path, /^services\/inventory\/src\/\w+\.js$/);
      assert.equal(f.location.via, 'source-map');
      assert.ok(
        f.location.line >= 1 && f.location.line <= readFileSync(join(ws, f.location.path), 'utf8').split('\n').length,
      );
    }
    const runtime = out.frames.filter((f) => f.path === 'node');
    assert.ok(
      runtime.every((f) => f.location === null),
      'runtime frames are listed, unresolved',
    );
  });

  it('reads the trace from an X-Ray API with --source aws, with the same answer', async () => {
    const xray = new LocalXRay(new MemoryStore(), { udp: false, api: { host: '127.0.0.1', port: 0 }, otlp: false });
    const status = await xray.start();
    try {
      for (const d of JSON.parse(
        readFileSync(join(fixturesDir, 'xray-sdk-node', 'datagrams.json'), 'utf8'),
      ) as string[])
        xray.ingest.document(d.slice(d.indexOf('\n') + 1));
      xray.ingest.flush();
      const id = (
        JSON.parse(
          run('traces', '--since', '100000d', '--filter', 'service("inventory") AND fault', '--json').stdout,
        ) as { traces: { id: string }[] }
      ).traces[0]!.id;
      const local = JSON.parse(run('locate', '--workspace', ws, id, '--json').stdout) as Located;
      const port = (status.api as { port: number }).port;
      const env = {
        ...process.env,
        TRACE_LENS_DB: db,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example',
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      };
      // The call runs while this process serves the API, so it must not block the event loop.
      const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            cliJs,
            'locate',
            '--source',
            'aws',
            '--region',
            'us-east-1',
            '--endpoint',
            `http://127.0.0.1:${port}`,
            '--db',
            join(dir, 'aws-cache.db'),
            '--workspace',
            ws,
            id,
            '--json',
          ],
          { env },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        child.on('exit', (status) => resolve({ status, stdout, stderr }));
      });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), local);
      assert.match(r.stderr, /X-Ray this session: .* retrieved/);
    } finally {
      await xray.stop();
    }
  });

  it('prints a readable listing, and says when the trace is unknown', () => {
    const id = (JSON.parse(run('traces', '--since', '100000d', '--json').stdout) as { traces: { id: string }[] })
      .traces[0]!.id;
    const r = run('locate', '--workspace', ws, id);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^trace ${id} in `));
    assert.match(r.stdout, /spans:\n/);
    const missing = run('locate', '--workspace', ws, '1-00000000-000000000000000000000000');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no trace/);
  });
});
