import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InstrumentationIndex, indexWorkspace } from '../../../../src/mapping/instrumentation';

const site = (name: string) => `AWSXRay.captureAsyncFunc('${name}', f);\n`;

describe('mapping/instrumentation: indexing a folder', () => {
  let root: string;
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'trace-lens-instr-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads source files and skips dependencies, VCS data, build output, big and generated files', async () => {
    write('src/app.js', site('app'));
    write('src/deep/er/lib.py', "@xray_recorder.capture('lib')\ndef lib():\n    pass\n");
    write('src/Svc.java', 'class Svc { void f() { AWSXRay.beginSubsegment("java"); } }');
    write('README.md', site('markdown'));
    for (const dir of ['node_modules/pkg', '.git/x', 'dist', 'out', 'build', '.venv/lib', 'target', 'bin', 'obj'])
      write(`${dir}/skip.js`, site(dir));
    write('src/big.js', site('big') + '//'.padEnd(1_100_000, 'x'));
    write('src/vendor.min.js', site('minified'));
    write('src/types.d.ts', site('declaration'));
    symlinkSync(join(root, 'src'), join(root, 'loop'), 'dir');

    const index = new InstrumentationIndex();
    const result = await indexWorkspace(root, index);
    assert.deepEqual(result, { files: 3, skipped: 1 });
    assert.equal(index.size, 3);
    assert.deepEqual(
      ['app', 'lib', 'java'].map((n) => index.lookup(n)[0]?.path),
      [join(root, 'src/app.js'), join(root, 'src/deep/er/lib.py'), join(root, 'src/Svc.java')],
    );
    for (const n of ['node_modules/pkg', 'dist', 'big', 'minified', 'declaration', 'markdown'])
      assert.deepEqual(index.lookup(n), [], n);
  });

  it('takes an exclude predicate and a size limit', async () => {
    write('a/keep.js', site('keep'));
    write('generated/gen.js', site('gen'));
    write('a/large.js', site('large') + ' '.repeat(5000));
    const index = new InstrumentationIndex();
    await indexWorkspace(root, index, {
      exclude: (p, isDir) => isDir && p.endsWith('generated'),
      maxFileBytes: 4096,
      concurrency: 2,
    });
    assert.deepEqual(
      [index.lookup('keep').length, index.lookup('gen').length, index.lookup('large').length],
      [1, 0, 0],
    );
  });

  it('stops when aborted, rejecting with the reason', async () => {
    for (let i = 0; i < 50; i++) write(`d${i % 5}/f${i}.js`, site(`n${i}`));
    const controller = new AbortController();
    const index = new InstrumentationIndex();
    const run = indexWorkspace(root, index, { signal: controller.signal, concurrency: 1 });
    controller.abort(new Error('user cancelled'));
    await assert.rejects(run, /user cancelled/);
    assert.ok(index.size < 50);
  });
});
