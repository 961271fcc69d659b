import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { repoRoot } from '../../harness/paths';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Repairs } from '../../../src/model/repairs';
import { parseSegmentDocument } from '../../../src/model/segmentDocument';
import { MemoryStore, type IncomingDocument, type TraceStore } from '../../../src/collector/store';
import { loadSqlite, SqliteStore } from '../../../src/collector/sqliteStore';
import { openStore } from '../../../src/collector/openStore';

const t0 = 1_700_000_000;
const tid = (i: number) => `1-${(t0 + i).toString(16)}-${i.toString(16).padStart(24, '0')}`;
function incoming(d: Record<string, unknown>): IncomingDocument {
  const span = parseSegmentDocument(d, new Repairs())!;
  return { span, json: JSON.stringify(d) };
}
const segment = (i: number, extra: Record<string, unknown> = {}) =>
  incoming({ trace_id: tid(i), id: `seg${i}`, name: 'api', start_time: t0 + i, end_time: t0 + i + 0.25, ...extra });

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'trace-lens-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

for (const [name, make] of [
  ['MemoryStore', () => new MemoryStore()],
  ['SqliteStore', () => new SqliteStore(join(dir, 'traces.db'))],
] as [string, () => TraceStore][]) {
  describe(`collector/${name}`, () => {
    it('stores documents and aggregates them per trace', () => {
      const s = make();
      s.put([
        segment(1, { fault: true, annotations: { customer: 'alice' } }),
        incoming({
          trace_id: tid(1),
          type: 'subsegment',
          parent_id: 'seg1',
          id: 'sub',
          name: 'db',
          start_time: t0 + 1.1,
          end_time: t0 + 1.2,
          annotations: { table: 'orders' },
        }),
      ]);
      assert.equal(s.traceCount(), 1);
      const agg = s.aggregate(tid(1))!;
      assert.equal(agg.documents, 2);
      assert.equal(agg.fault, true);
      assert.deepEqual(agg.annotations, { customer: ['alice'], table: ['orders'] });
      assert.equal(s.documents(tid(1)).length, 2);
      s.close();
    });

    it('never lets an in-progress document replace a completed one', () => {
      const s = make();
      s.put([segment(1)]);
      const r = s.put([segment(1, { in_progress: true, end_time: undefined })]);
      assert.equal(r.stored, 0);
      assert.equal(s.aggregate(tid(1))!.inProgress.length, 0);
      assert.match(s.documents(tid(1))[0]!, /end_time/);
      s.close();
    });

    it('pages summaries newest first over a time window, by event time and by trace id time', () => {
      const s = make();
      s.put(Array.from({ length: 25 }, (_, i) => segment(i)));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = s.summaries({ start: t0 + 5, end: t0 + 19.5, limit: 4, cursor });
        seen.push(...page.items.map((a) => a.id));
        cursor = page.next;
      } while (cursor);
      assert.deepEqual(
        seen,
        Array.from({ length: 15 }, (_, i) => tid(19 - i)),
      );
      assert.equal(s.summaries({ start: t0 + 5, end: t0 + 6, timeRangeType: 'TraceId', limit: 10 }).items.length, 2);
      s.close();
    });

    it('applies retention by age, then by size, oldest first', () => {
      const s = make();
      s.put(Array.from({ length: 10 }, (_, i) => segment(i * 3600)));
      assert.equal(s.applyRetention({ maxAgeHours: 5, maxMegabytes: 0 }, t0 + 9 * 3600), 4);
      assert.equal(s.traceCount(), 6);
      assert.equal(s.documents(tid(0)).length, 0);
      const bytes = s.aggregate(tid(9 * 3600))!.bytes;
      assert.equal(s.applyRetention({ maxAgeHours: 0, maxMegabytes: (bytes * 2.5) / 1024 / 1024 }), 4);
      assert.deepEqual(
        s.summaries({ start: 0, end: Infinity, limit: 10 }).items.map((a) => a.id),
        [tid(9 * 3600), tid(8 * 3600)],
      );
      s.close();
    });
  });
}

describe('collector/SqliteStore on disk', () => {
  it('keeps its data across reopen, with WAL and the schema version set', () => {
    const path = join(dir, 'traces.db');
    const a = new SqliteStore(path);
    a.put([segment(1)]);
    a.close();
    const b = new SqliteStore(path);
    assert.equal(b.traceCount(), 1);
    b.close();
  });

  it('moves a corrupt file aside, says so, and starts a new store', () => {
    const path = join(dir, 'traces.db');
    writeFileSync(path, 'this is not a database, just text '.repeat(200));
    const said: string[] = [];
    const s = new SqliteStore(path, (m) => said.push(m));
    assert.equal(s.traceCount(), 0);
    s.close();
    assert.match(said.join(), /was corrupt .* moved to .*corrupt-/);
    assert.equal(readdirSync(dir).filter((f) => f.includes('.corrupt-')).length, 1);
  });

  it('falls back to memory with one clear message when the file cannot be written', function () {
    if (process.getuid?.() === 0) {
      // root ignores file modes: make the path unusable another way (a directory where the file should be).
      const path = join(dir, 'traces.db');
      mkdirSync(path);
      const warnings: string[] = [];
      const s = openStore(path, (m) => warnings.push(m));
      assert.equal(s.kind, 'memory');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /keeps traces in memory .*traces\.db/);
      return;
    }
    const path = join(dir, 'traces.db');
    new SqliteStore(path).close();
    chmodSync(path, 0o444);
    const warnings: string[] = [];
    const s = openStore(path, (m) => warnings.push(m));
    assert.equal(s.kind, 'memory');
    assert.match(warnings[0]!, /cannot write the trace store/);
  });

  it('on a runtime without node:sqlite, keeps traces in memory and says which version it needs', function () {
    const old = process.env.TRACE_LENS_OLD_NODE ?? '/usr/bin/node';
    const v = spawnSync(old, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (v.status !== 0 || !/^(1\d|20|21|22\.([0-9]|1[0-2]))\./.test(v.stdout)) this.skip();
    const js = join(dir, 'openStore.js');
    buildSync({
      entryPoints: [join(repoRoot, 'src', 'collector', 'openStore.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: js,
      logLevel: 'silent',
    });
    const script = `const { openStore } = require(${JSON.stringify(js)}); const w = []; const s = openStore(${JSON.stringify(join(dir, 't.db'))}, (m) => w.push(m)); console.log(JSON.stringify({ kind: s.kind, w }));`;
    const r = spawnSync(old, ['-e', script], { encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { kind: string; w: string[] };
    assert.equal(out.kind, 'memory');
    assert.equal(out.w.length, 1);
    assert.match(out.w[0]!, /no node:sqlite \(Node 22\.13 or later, VS Code 1\.105 or later\)/);
  });

  it('refuses a store written by a newer schema, without touching it', () => {
    const path = join(dir, 'traces.db');
    new SqliteStore(path).close();
    const { DatabaseSync } = loadSqlite()!;
    const db = new DatabaseSync(path);
    db.exec('PRAGMA user_version = 99');
    db.close();
    const warnings: string[] = [];
    assert.equal(openStore(path, (m) => warnings.push(m)).kind, 'memory');
    assert.match(warnings[0]!, /schema 99, written by a newer Trace Lens/);
  });

  it('loses no committed trace when the writing process is killed mid-write', async function () {
    this.timeout(60_000);
    const path = join(dir, 'traces.db');
    // The child runs the real store module, bundled on the fly (the tests are bundles themselves).
    const storeJs = join(dir, 'sqliteStore.js');
    buildSync({
      entryPoints: [join(repoRoot, 'src', 'collector', 'sqliteStore.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: storeJs,
      logLevel: 'silent',
    });
    // The child writes batches of 50 traces and reports each commit; it is killed without warning.
    const child = spawn(process.execPath, [
      '-e',
      `
      const { SqliteStore } = require(${JSON.stringify(storeJs)});
      const s = new SqliteStore(${JSON.stringify(path)});
      let n = 0;
      for (;;) {
        const docs = [];
        for (let i = 0; i < 50; i++, n++) {
          const id = '1-' + (${t0} + n).toString(16) + '-' + n.toString(16).padStart(24, '0');
          const span = { id: 's' + n, traceId: id, name: 'x', type: 'segment', startTime: ${t0} + n, endTime: ${t0} + n + 1, inProgress: false, error: false, fault: false, throttle: false, annotations: {}, metadata: {}, subsegments: [], flags: [] };
          docs.push({ span, json: JSON.stringify({ pad: 'x'.repeat(2000) }) });
        }
        s.put(docs);
        process.stdout.write(n + '\\n');
      }
    `,
    ]);
    let committed = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (b: Buffer) => {
        committed = Math.max(committed, ...b.toString().trim().split('\n').map(Number));
        if (committed >= 2000) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    const s = new SqliteStore(path);
    const count = s.traceCount();
    s.close();
    assert.ok(count >= committed, `${count} traces stored, ${committed} reported committed`);
    assert.equal(count % 50, 0, 'only whole batches are stored');
  });
});
