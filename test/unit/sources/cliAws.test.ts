// `trace-lens traces` and `trace` with --source aws, as a user runs them (the built dist/cli.js in a
// child process), against the local X-Ray as the endpoint: the same JSON as the local store, the
// cache named by --db, and credential problems in one line.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalXRay } from '../../../src/collector/localXRay';
import { repoRoot } from '../../harness/paths';
import { localXRayWith, spreadTraces, stopLocalXRay, type SpreadTrace } from './awsFixtures';

const cliJs = join(repoRoot, 'dist', 'cli.js');

describe('cli with --source aws', function () {
  this.timeout(60_000);
  let dir: string;
  let xray: LocalXRay;
  let endpoint: string;
  let traces: SpreadTrace[];
  let env: NodeJS.ProcessEnv;
  const run = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      // Asynchronous: the local X-Ray answering the child runs in this process.
      const child = spawn(process.execPath, [cliJs, ...args], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-cli-aws-'));
    const spread = spreadTraces(30, Date.now() / 1000 - 600, 3600);
    traces = spread.traces;
    ({ xray, endpoint } = await localXRayWith(join(dir, 'xray.db'), spread.docs));
    writeFileSync(join(dir, 'config'), '[profile broken]\nregion = eu-west-1\n');
    env = {
      ...process.env,
      TRACE_LENS_DB: join(dir, 'local', 'traces.db'),
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      HOME: dir,
      AWS_REGION: '',
      AWS_DEFAULT_REGION: '',
      AWS_PROFILE: '',
    };
  });
  after(async () => {
    if (xray) await stopLocalXRay(xray);
    rmSync(dir, { recursive: true, force: true });
  });

  it('traces --json prints the same shape as the local store, newest first, and says what it cost', async () => {
    const r = await run(
      'traces',
      '--source',
      'aws',
      '--endpoint',
      endpoint,
      '--region',
      'us-east-1',
      '--since',
      '2h',
      '--db',
      join(dir, 'cache.db'),
      '--json',
    );
    assert.equal(r.status, 0, r.stderr);
    const { traces: rows } = JSON.parse(r.stdout) as { traces: Record<string, unknown>[] };
    assert.equal(rows.length, 30);
    assert.deepEqual(Object.keys(rows[0]!), [
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
    assert.deepEqual(
      rows.map((x) => x.id),
      [...traces].sort((a, b) => b.start - a.start).map((t) => t.id),
    );
    assert.match(r.stderr, /X-Ray this session: 30 traces scanned, 0 retrieved/);
    const bad = await run(
      'traces',
      '--source',
      'aws',
      '--endpoint',
      endpoint,
      '--region',
      'us-east-1',
      '--filter',
      'responsetime >',
      '--db',
      join(dir, 'cache.db'),
    );
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Invalid filter expression/);
  });

  it('trace reads one trace by its W3C id, then from the cache named by --db with no call', async () => {
    const id = traces[3]!.id;
    const w3c = id.slice(2).replace('-', '');
    xray.api.calls.clear();
    const r = await run(
      'trace',
      w3c,
      '--source',
      'aws',
      '--endpoint',
      endpoint,
      '--region',
      'us-east-1',
      '--db',
      join(dir, 'cache.db'),
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^trace ${id}`));
    assert.ok(existsSync(join(dir, 'cache.db')));
    assert.equal(xray.api.calls.get('BatchGetTraces'), 1);
    xray.api.calls.clear();
    const json = await run(
      'trace',
      id,
      '--json',
      '--source',
      'aws',
      '--endpoint',
      endpoint,
      '--region',
      'us-east-1',
      '--db',
      join(dir, 'cache.db'),
    );
    assert.equal((JSON.parse(json.stdout) as { id: string }).id, id);
    assert.equal(
      [...xray.api.calls.values()].reduce((a, b) => a + b, 0),
      0,
    );
    assert.match(json.stderr, /1 from the cache/);
    const missing = await run(
      'trace',
      '1-00000000-000000000000000000000000',
      '--source',
      'aws',
      '--endpoint',
      endpoint,
      '--region',
      'us-east-1',
      '--db',
      join(dir, 'cache.db'),
    );
    assert.equal(missing.status, 1);
    assert.match(
      missing.stderr,
      /no trace 1-00000000-000000000000000000000000 in AWS X-Ray \(local endpoint, us-east-1\)/,
    );
  });

  it('says what is wrong with a profile in one line, and with the flags in usage errors', async () => {
    const broken = await run('traces', '--source', 'aws', '--profile', 'broken');
    assert.equal(broken.status, 1);
    assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
    assert.match(
      broken.stderr,
      /^trace-lens traces: Profile broken has no credentials .*aws configure --profile broken/,
    );
    const noRegion = await run('traces', '--source', 'aws');
    assert.equal(noRegion.status, 2);
    assert.match(noRegion.stderr, /needs a region/);
    const local = await run('traces', '--profile', 'broken');
    assert.equal(local.status, 2);
    assert.match(local.stderr, /--profile is for --source aws/);
    assert.equal((await run('traces', '--source', 'gcp')).status, 2);
  });
});
