// Bundles made by a real bundler (esbuild) at test time, run by Node to get real stack frames,
// then resolved the way X-Ray records frames: path, line and label, no column.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { isLocation, type Resolution } from '../../../src/mapping/location';
import { SourceMapResolver } from '../../../src/mapping/sourceMaps';
import { Resolver } from '../../../src/mapping/resolve';
import { WorkspaceFiles } from '../../../src/mapping/workspaceFiles';
import { parseStackTrace } from '../../../src/model/otlp';

let ws: string;
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(ws, rel)), { recursive: true });
  writeFileSync(join(ws, rel), text);
};
const where = (r: Resolution) =>
  isLocation(r) ? `${r.path.slice(ws.length + 1)}:${r.line}` : `unresolved: ${r.unresolved}`;
const lineOf = (rel: string, needle: string) =>
  readFileSync(join(ws, rel), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1;

const sources = {
  'src/stock.js': `export function checkStock(sku) {
  if (!sku) {
    throw new Error('no sku');
  }
  return sku.length;
}
`,
  'src/reserve.js': `import { checkStock } from './stock.js';
export function reserve(lines) {
  let total = 0;
  for (const l of lines) total += checkStock(l);
  if (total > 100) {
    throw new RangeError('too many');
  }
  return total;
}
`,
  'src/main.js': `import { reserve } from './reserve.js';
export function run(kind) {
  try {
    if (kind === 'stock') reserve(['a', '']);
    else reserve(['x'.repeat(101)]);
  } catch (e) {
    return e.stack;
  }
}
`,
};

/** Builds src/main.js into out and returns the frames Node reports for each failure, without columns. */
function framesOf(outfile: string, kind: 'stock' | 'range') {
  const r = spawnSync(
    process.execPath,
    ['-e', `process.stdout.write(require(${JSON.stringify(outfile)}).run(${JSON.stringify(kind)}))`],
    { encoding: 'utf8' },
  );
  return parseStackTrace(r.stdout)
    .filter((f) => f.path?.startsWith(ws))
    .map((f) => ({ path: f.path, line: f.line, label: f.label }));
}

/** One base64 VLQ field of a source map's mappings. */
function vlq(n: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += chars[digit];
  } while (v > 0);
  return out;
}

describe('mapping/sourceMaps', function () {
  this.timeout(30_000);
  let files: WorkspaceFiles;
  let maps: SourceMapResolver;

  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'trace-lens-maps-'));
    for (const [rel, text] of Object.entries(sources)) write(rel, text);
    const common = {
      entryPoints: [join(ws, 'src/main.js')],
      bundle: true,
      platform: 'node' as const,
      format: 'cjs' as const,
      logLevel: 'silent' as const,
    };
    buildSync({ ...common, outfile: join(ws, 'dist/bundle.js'), sourcemap: true });
    buildSync({ ...common, outfile: join(ws, 'dist/min.js'), sourcemap: true, minify: true });
    buildSync({ ...common, outfile: join(ws, 'dist/inline.js'), sourcemap: 'inline' });
    buildSync({ ...common, outfile: join(ws, 'build/external.js'), sourcemap: 'external' });
    files = new WorkspaceFiles([ws]);
    maps = new SourceMapResolver(files, { outputFolders: [join(ws, 'build')] });
  });
  after(() => {
    maps?.dispose();
    rmSync(ws, { recursive: true, force: true });
  });

  it('maps every frame of a readable bundle to the original file and line', async () => {
    const resolver = new Resolver(files, maps);
    const frames = framesOf(join(ws, 'dist/bundle.js'), 'stock');
    assert.ok(frames.length >= 3);
    const got = await Promise.all(frames.map((f) => resolver.frame(f)));
    assert.equal(where(got[0]!), `src/stock.js:${lineOf('src/stock.js', "throw new Error('no sku')")}`);
    assert.equal(where(got[1]!), `src/reserve.js:${lineOf('src/reserve.js', 'checkStock(l)')}`);
    assert.equal(where(got[2]!), `src/main.js:${lineOf('src/main.js', "reserve(['a', ''])")}`);
    assert.ok(got.every((g) => isLocation(g) && g.via === 'source-map' && g.precision === 'line'));
  });

  it('maps a minified bundle to the function named by the label, and says so', async () => {
    const resolver = new Resolver(files, maps);
    const frames = framesOf(join(ws, 'dist/min.js'), 'range');
    assert.ok(frames.length >= 2, JSON.stringify(frames));
    assert.ok(
      frames.every((f) => f.line === frames[0]!.line),
      'the minified bundle is one line',
    );
    const [thrower] = await Promise.all(frames.map((f) => resolver.frame(f)));
    assert.ok(isLocation(thrower), where(thrower!));
    assert.equal(thrower.precision, 'function');
    assert.equal(thrower.path, join(ws, 'src/reserve.js'));
    assert.match(thrower.detail!, /minified; function/);
  });

  it('finds maps inline, through sourceMappingURL, and in a configured build-output folder', async () => {
    const frame = framesOf(join(ws, 'dist/inline.js'), 'stock')[0]!;
    assert.equal(
      where((await maps.resolve(frame.path!, frame.line!, frame.label))!),
      `src/stock.js:${lineOf('src/stock.js', 'throw')}`,
    );
    const ext = framesOf(join(ws, 'build/external.js'), 'stock')[0]!;
    assert.equal(
      where((await maps.resolve(ext.path!, ext.line!, ext.label))!),
      `src/stock.js:${lineOf('src/stock.js', 'throw')}`,
    );
    assert.equal(await maps.resolve(join(ws, 'src/stock.js'), 3), undefined, 'a file without a map is not a bundle');
  });

  it('re-reads a map when the bundle changes', async () => {
    const out = join(ws, 'dist/changing.js');
    const build = () =>
      buildSync({
        entryPoints: [join(ws, 'src/main.js')],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: out,
        sourcemap: true,
        logLevel: 'silent',
      });
    build();
    const before = framesOf(out, 'stock')[0]!;
    assert.equal(where((await maps.resolve(out, before.line!))!), `src/stock.js:${lineOf('src/stock.js', 'throw')}`);
    // The extension invalidates on a file event; the map is re-read at once.
    write('src/stock.js', `// a comment\n// another\n${sources['src/stock.js']}`);
    build();
    maps.invalidate(out);
    const after = framesOf(out, 'stock')[0]!;
    assert.equal(where((await maps.resolve(out, after.line!))!), `src/stock.js:${lineOf('src/stock.js', 'throw')}`);
    // Without an event (the CLI), a changed file is noticed within a second.
    write('src/stock.js', sources['src/stock.js']);
    build();
    await new Promise((r) => setTimeout(r, 1100));
    const again = framesOf(out, 'stock')[0]!;
    assert.equal(where((await maps.resolve(out, again.line!))!), `src/stock.js:${lineOf('src/stock.js', 'throw')}`);
  });

  it('maps a source written with the build machine\u2019s absolute path to the workspace file it ends with', async () => {
    const line = lineOf('src/stock.js', 'throw');
    for (const [name, source] of [
      ['ci', '/home/ci/build/shop/src/stock.js'],
      ['windows', 'C:\\agent\\_work\\1\\s\\src\\stock.js'],
    ]) {
      const js = join(ws, `dist/${name}.js`);
      writeFileSync(js, `one();\ntwo();\n//# sourceMappingURL=${name}.js.map\n`);
      // Generated line 2 maps to the source's line of the throw.
      writeFileSync(
        `${js}.map`,
        JSON.stringify({ version: 3, sources: [source], names: [], mappings: `AAAA;AA${vlq(line - 1)}A` }),
      );
      maps.invalidate(js);
      assert.equal(where((await maps.resolve(js, 2))!), `src/stock.js:${line}`, name);
    }
  });

  it('refuses sources that are URLs or lead outside the workspace', async () => {
    for (const [name, source] of [
      ['url', 'http://evil.example/x.js'],
      ['file', 'file:///etc/passwd'],
      ['escape', '../../../../etc/passwd'],
      ['absolute', '/etc/passwd'],
    ]) {
      const js = join(ws, `dist/${name}.js`);
      writeFileSync(js, `one();\ntwo();\n//# sourceMappingURL=${name}.js.map\n`);
      writeFileSync(`${js}.map`, JSON.stringify({ version: 3, sources: [source], names: [], mappings: 'AAAA;AACA' }));
      const r = await maps.resolve(js, 2);
      assert.ok(r && !isLocation(r), `${name}: ${JSON.stringify(r)}`);
      assert.match((r as { unresolved: string }).unresolved, /refused/);
    }
  });
});
