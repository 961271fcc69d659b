// The CLI commands as a user runs them: the built dist/cli.js in a child process.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';
import { fixturesDir, xrayDatagrams } from './fixtures';

const cliJs = join(repoRoot, 'dist', 'cli.js');
let dir: string;
let db: string;
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cliJs, ...args], { encoding: 'utf8', env: { ...process.env, TRACE_LENS_DB: db } });

describe('cli commands', function () {
  this.timeout(30_000);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-cli-'));
    db = join(dir, 'traces.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('import loads X-Ray datagrams and OTLP JSON (gzip too), saying what it repaired', () => {
    const r = run(
      'import',
      join(fixturesDir, 'xray-sdk-node', 'datagrams.json'),
      join(fixturesDir, 'otel-node', '001-all-json.json'),
      join(fixturesDir, 'otel-node', '007-json-gzip-dup-semconv.json.gz'),
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`datagrams.json: ${xrayDatagrams().length} documents in \\d+ traces \\(segment-documents\\)`),
    );
    assert.match(r.stdout, /line: null in a stack frame/);
    assert.match(r.stdout, /001-all-json.json: \d+ documents in \d+ traces \(otlp-json\)/);
    assert.match(r.stdout, /\.json\.gz: \d+ documents/);
  });

  it('import says which file is unreadable or empty, and exits 1', () => {
    const junk = join(dir, 'junk.jsonl');
    writeFileSync(junk, 'not json\n{"also": "not a segment"}\n');
    const r = run('import', junk, join(dir, 'missing.json'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /missing\.json: cannot read/);
    assert.match(r.stdout, /junk\.jsonl: 0 documents/);
    assert.match(r.stdout, /line is not JSON/);
  });

  it('traces --json prints the documented shape, newest first, and filters', () => {
    const r = run('traces', '--since', '100000d', '--json');
    assert.equal(r.status, 0, r.stderr);
    const { traces } = JSON.parse(r.stdout) as { traces: Record<string, unknown>[] };
    assert.ok(traces.length > 10);
    assert.deepEqual(Object.keys(traces[0]!), [
      'id',
      'start',
      'durationMs',
      'service',
      'method',
      'url',
      'status',
      'error',
      'fault',
      'throttle',
    ]);
    const starts = traces.map((t) => Date.parse(t.start as string));
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => b - a),
    );
    const faults = JSON.parse(run('traces', '--since', '100000d', '--filter', 'fault', '--json').stdout) as {
      traces: { fault: boolean }[];
    };
    assert.ok(faults.traces.length > 0 && faults.traces.every((t) => t.fault));
    const bad = run('traces', '--filter', 'responsetime >');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Invalid filter expression/);
  });

  it('trace prints one assembled trace across services, and JSON', () => {
    const list = JSON.parse(
      run('traces', '--since', '100000d', '--filter', 'service("inventory") AND fault', '--json').stdout,
    ) as { traces: { id: string }[] };
    const id = list.traces[0]!.id;
    const r = run('trace', id);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^trace ${id}`));
    assert.match(r.stdout, /■ orders/);
    assert.match(r.stdout, /\n\s+■ inventory/);
    const json = JSON.parse(run('trace', id, '--json').stdout) as { id: string; segments: unknown[] };
    assert.equal(json.id, id);
    assert.ok(json.segments.length >= 2);
    const missing = run('trace', '1-00000000-000000000000000000000000');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no trace 1-00000000/);
  });

  it('reports usage mistakes with exit code 2', () => {
    const r = run('traces', '--since', 'soon');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /'soon' is not a duration/);
    assert.equal(run('traces', '--bogus').status, 2);
  });

  it('collect runs the local X-Ray until interrupted, storing what arrives', async () => {
    const child = spawn(
      process.execPath,
      [
        cliJs,
        'collect',
        '--udp',
        '127.0.0.1:0',
        '--api',
        '127.0.0.1:0',
        '--otlp',
        'off',
        '--db',
        join(dir, 'collect.db'),
      ],
      { env: process.env },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 10_000;
    while (!/udp\s+127\.0\.0\.1:(\d+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const udpPort = Number(/udp\s+127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
    assert.ok(udpPort > 0, out);
    assert.match(out, /otlp\s+off/);
    const sock = createSocket('udp4');
    for (const d of xrayDatagrams().slice(0, 20))
      await new Promise<void>((r) => sock.send(d, udpPort, '127.0.0.1', () => r()));
    sock.close();
    await new Promise((r) => setTimeout(r, 300));
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGINT');
    });
    assert.equal(code, 0, out);
    assert.match(out, /stopped; stored 20 documents this run/);
  });

  it('on a Node without node:sqlite, says which Node it needs in one line and exits non-zero', function () {
    const old = process.env.TRACE_LENS_OLD_NODE ?? '/usr/bin/node';
    const v = spawnSync(old, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (v.status !== 0 || !/^(1\d|20|21|22\.([0-9]|1[0-2]))\./.test(v.stdout)) this.skip();
    const r = spawnSync(old, [cliJs, 'traces'], { encoding: 'utf8', env: { ...process.env, TRACE_LENS_DB: db } });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /needs Node 22\.13 or later/);
  });
});
