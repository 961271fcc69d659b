import * as assert from 'node:assert/strict';
import { InstrumentationIndex } from '../../../../src/mapping/instrumentation';
import {
  braceFormatParts,
  printfParts,
  siteName,
  templateParts,
} from '../../../../src/mapping/instrumentation/nameExpression';
import { lines, sitesOf } from './snippets';

/** The name or pattern of each site of a one-file index. */
const spelled = (path: string, text: string) => sitesOf(path, text).map((s) => s.name ?? `/${s.pattern}/`);

describe('mapping/instrumentation: template names', () => {
  it('JavaScript template literals and concatenation become anchored patterns', () => {
    const code = lines(
      'for (let i = 0; i < n; i++) {',
      '  AWSXRay.captureAsyncFunc(`price-item-${i}`, work);',
      "  AWSXRay.captureAsyncFunc('row-' + i + '/' + table.name, work);",
      '  AWSXRay.captureAsyncFunc(`${kind}`, work);',
      '  AWSXRay.captureAsyncFunc(`plain`, work);',
      "  AWSXRay.captureAsyncFunc('esc\\'aped\\n', work);",
      '  AWSXRay.captureAsyncFunc(`nested-${`x${a}`}-${fn({ b: 1 })}`, work);',
      '}',
    );
    assert.deepEqual(spelled('/w/a.js', code), [
      '/^price-item-.*$/',
      '/^row-.*\\/.*$/',
      'plain',
      "esc'aped\n",
      '/^nested-.*-.*$/',
    ]);
  });

  it('Python f-strings, % formatting and str.format', () => {
    const code = lines(
      'def each(i, sku):',
      '    with xray_recorder.in_subsegment(f"item-{i}"):',
      '        pass',
      "    with xray_recorder.in_subsegment(f'sku-{sku!r:>10}-{{literal}}'):",
      '        pass',
      "    with xray_recorder.in_subsegment('page-%d' % i):",
      '        pass',
      "    with xray_recorder.in_subsegment('pair-%s-%s' % (i, sku)):",
      '        pass',
      "    with xray_recorder.in_subsegment('fmt-{}-{:03d}'.format(sku, i)):",
      '        pass',
      "    with xray_recorder.in_subsegment(rb'raw\\d'):",
      '        pass',
    );
    assert.deepEqual(spelled('/w/a.py', code), [
      '/^item-.*$/',
      '/^sku-.*-\\{literal\\}$/',
      '/^page--?\\d+$/',
      '/^pair-.*-.*$/',
      '/^fmt-.*--?\\d+$/',
      'raw\\d',
    ]);
  });

  it('a pattern matches generated names and nothing else; literals keep their dots literal', () => {
    const index = new InstrumentationIndex();
    index.update(
      '/w/checkout.js',
      lines('AWSXRay.captureAsyncFunc(`price-item-${i}`, f);', "AWSXRay.captureAsyncFunc('OrdersTable.get', f);"),
    );
    for (const name of ['price-item-0', 'price-item-12', 'price-item-'])
      assert.equal(index.lookup(name)[0]?.line, 1, name);
    for (const name of ['xprice-item-1', 'price-ite-1', 'OrdersTableXget'])
      assert.deepEqual(index.lookup(name), [], name);
    assert.equal(index.lookup('OrdersTable.get')[0]?.line, 2);
  });

  it('ranks a literal name over a pattern, the more literal pattern first, and test code last', () => {
    const index = new InstrumentationIndex();
    index.update(
      '/w/src/a.js',
      lines('tracer.startSpan(`job-${kind}`);', 'tracer.startSpan(`${a}-${b}`);', 'tracer.startSpan(`job-run-${n}`);'),
    );
    assert.deepEqual(
      index.lookup('job-run-1').map((s) => s.pattern),
      ['^job-run-.*$', '^job-.*$', '^.*-.*$'],
    );
    index.update('/w/src/b.js', "tracer.startSpan('job-run-1');");
    assert.deepEqual(
      index.lookup('job-run-1').map((s) => s.name ?? s.pattern),
      ['job-run-1'],
      'a literal match hides the patterns',
    );
    index.update('/w/test/b.test.js', "tracer.startSpan('job-run-1');");
    index.update('/w/src/z.js', "tracer.startSpan('job-run-1');");
    assert.deepEqual(
      index.lookup('job-run-1').map((s) => s.path),
      ['/w/src/b.js', '/w/src/z.js', '/w/test/b.test.js'],
    );
  });

  it('ranks build output (a source map comment, minified lines) below the source it was built from', () => {
    const index = new InstrumentationIndex();
    index.update('/w/a/bundle.js', "AWSXRay.captureAsyncFunc('loadCart',f);\n//# sourceMappingURL=bundle.js.map\n");
    index.update('/w/b/min.js', `var a=1;${'x=1;'.repeat(800)}AWSXRay.captureAsyncFunc("loadCart",f);`);
    index.update('/w/z/src.js', "AWSXRay.captureAsyncFunc('loadCart', f);");
    assert.deepEqual(
      index.lookup('loadCart').map((s) => s.path),
      ['/w/z/src.js', '/w/a/bundle.js', '/w/b/min.js'],
    );
  });

  it('format strings: verbs, escapes, positional and typed holes', () => {
    assert.deepEqual(printfParts('a-%d-%s-%05.2f-%%-%v', [[{ hole: 'any', ident: 'i' }], ['lit']]), [
      'a-',
      { hole: 'int', ident: 'i' },
      '-lit-',
      { hole: 'any' },
      '-%-',
      { hole: 'any' },
    ]);
    assert.deepEqual(braceFormatParts('{1}-{0:D3}-{{x}}', [[{ hole: 'any', ident: 'n' }], ['b']], 'csharp'), [
      'b-',
      { hole: 'int', ident: 'n' },
      '-{x}',
    ]);
    assert.deepEqual(templateParts('$@"C:\\{dir}\\x"', 'csharp'), ['C:\\', { hole: 'any', ident: 'dir' }, '\\x']);
    assert.deepEqual(templateParts('`a\\`${b}`', 'js'), ['a`', { hole: 'any', ident: 'b' }]);
    assert.deepEqual(siteName(['a.b(', { hole: 'int' }, ')']), { pattern: '^a\\.b\\(-?\\d+\\)$', literalLength: 5 });
    assert.equal(siteName([{ hole: 'any' }]), undefined, 'all holes names nothing');
  });
});
