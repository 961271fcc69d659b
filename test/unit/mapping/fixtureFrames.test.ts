// Every exception frame the real X-Ray SDK recorded, from the plain, bundled and minified builds
// of the sample shop, resolved against a copy of the sample workspace.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLocation, type Resolution } from '../../../src/mapping/location';
import { Resolver } from '../../../src/mapping/resolve';
import { SourceMapResolver } from '../../../src/mapping/sourceMaps';
import { WorkspaceFiles } from '../../../src/mapping/workspaceFiles';
import { splitDatagram } from '../../../src/model/datagram';
import type { ExceptionInfo } from '../../../src/model/trace';
import { Repairs } from '../../../src/model/repairs';
import { parseSegmentJson } from '../../../src/model/segmentDocument';
import { repoRoot } from '../../harness/paths';
import { fixturesDir } from '../fixtures';

function exceptions(folder: string): ExceptionInfo[] {
  const out: ExceptionInfo[] = [];
  for (const d of JSON.parse(readFileSync(join(fixturesDir, folder, 'datagrams.json'), 'utf8')) as string[]) {
    const span = parseSegmentJson((splitDatagram(d) as { document: string }).document, new Repairs());
    const stack = span ? [span] : [];
    while (stack.length) {
      const s = stack.pop()!;
      for (const e of s.cause?.exceptions ?? []) if (e.stack.length) out.push(e);
      stack.push(...s.subsegments);
    }
  }
  return out;
}

/** The named function a line of the original source sits in (nearest `function NAME` above it). */
function enclosing(path: string, line: number): string | undefined {
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = line - 1; i >= 0; i--) {
    const m = /function\s+(\w+)/.exec(lines[i]!);
    if (m) return m[1];
  }
  return undefined;
}

describe('mapping with the real SDK frames of plain, bundled and minified builds', function () {
  this.timeout(30_000);
  let ws: string;
  let resolver: Resolver;
  let maps: SourceMapResolver;

  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'trace-lens-sample-'));
    cpSync(join(repoRoot, 'sample', 'services'), join(ws, 'services'), {
      recursive: true,
      filter: (src) => !/node_modules|[\\/]dist(-min)?([\\/]|$)/.test(src),
    });
    mkdirSync(join(ws, 'services', 'inventory', 'dist'), { recursive: true });
    mkdirSync(join(ws, 'services', 'inventory', 'dist-min'), { recursive: true });
    for (const f of ['server.js', 'server.js.map']) {
      cpSync(join(fixturesDir, 'xray-sdk-node', 'inventory-dist', f), join(ws, 'services', 'inventory', 'dist', f));
      cpSync(
        join(fixturesDir, 'xray-sdk-node-minified', 'inventory-dist-min', f),
        join(ws, 'services', 'inventory', 'dist-min', f),
      );
    }
    const files = new WorkspaceFiles([ws]);
    maps = new SourceMapResolver(files);
    resolver = new Resolver(files, maps);
  });
  after(() => {
    maps.dispose();
    rmSync(ws, { recursive: true, force: true });
  });

  async function resolveStack(e: ExceptionInfo): Promise<Resolution[]> {
    const out: Resolution[] = [];
    for (let i = 0; i < e.stack.length; i++)
      out.push(await resolver.frame(e.stack[i]!, { below: e.stack.slice(0, i) }));
    return out;
  }

  it('resolves every frame of the plain and bundled builds to the original file and line', async () => {
    let checked = 0;
    for (const e of exceptions('xray-sdk-node')) {
      const got = await resolveStack(e);
      e.stack.forEach((f, i) => {
        const r = got[i]!;
        if (f.path === 'node' || f.line === undefined || f.path?.includes('node_modules')) {
          assert.ok(!isLocation(r), `${f.path} stays unresolved`);
          return;
        }
        assert.ok(isLocation(r), `${f.path}:${f.line} ${f.label}: ${JSON.stringify(r)}`);
        assert.equal(r.precision, 'line');
        if (f.path!.includes('/dist/')) {
          assert.equal(r.via, 'source-map');
          assert.match(r.path, /services\/inventory\/src\/\w+\.js$/);
          // A named frame lands inside the function it names.
          if (f.label && /^\w+$/.test(f.label) && !['anonymous', 'async'].includes(f.label))
            assert.equal(enclosing(r.path, r.line), f.label, `${f.label} → ${r.path}:${r.line}`);
        } else {
          assert.equal(r.via, 'stack-frame');
          assert.equal(r.line, f.line);
          assert.ok(r.path.endsWith(f.path!.split('/sample/')[1]!));
        }
        checked++;
      });
    }
    assert.ok(checked >= 20, `${checked} frames checked`);
  });

  it('resolves the minified build to the same functions as the bundle, and to the line where the stack allows', async () => {
    const bundle = exceptions('xray-sdk-node').filter((e) => e.stack[0]?.path?.includes('/dist/'));
    const minified = exceptions('xray-sdk-node-minified').filter((e) => e.stack[0]?.path?.includes('/dist-min/'));
    assert.ok(minified.length >= 2);
    let functions = 0;
    let lines = 0;
    for (const m of minified) {
      const twin = bundle.find((b) => b.type === m.type && b.stack.length === m.stack.length);
      assert.ok(twin, `a bundle twin for ${m.type}`);
      const [got, want] = [await resolveStack(m), await resolveStack(twin)];
      m.stack.forEach((f, i) => {
        if (!f.path?.includes('/dist-min/')) return;
        const [r, w] = [got[i]!, want[i]!];
        assert.ok(isLocation(w));
        // Every frame, anonymous and async ones too (through the callback and the async caller).
        assert.ok(isLocation(r), `${f.label}: ${JSON.stringify(r)}`);
        assert.equal(r.path, w.path, `${f.label}`);
        assert.equal(enclosing(r.path, r.line), enclosing(w.path, w.line), `${f.label} → ${r.line} vs ${w.line}`);
        functions++;
        if (r.precision === 'line') {
          assert.equal(r.line, w.line, `${f.label} narrowed to the same line as the bundle`);
          lines++;
        }
      });
    }
    assert.ok(functions >= 12, `${functions} minified frames resolved to their function`);
    assert.ok(lines >= 2, `${lines} minified frames narrowed to the exact line`);
  });
});
