import * as assert from 'node:assert/strict';
import { lines, sitesOf } from './snippets';

/** `line name` of each site: what survives of code around comments and strings. */
const found = (path: string, text: string) => sitesOf(path, text).map((s) => `${s.line} ${s.name ?? s.pattern}`);

describe('mapping/instrumentation: comments and strings', () => {
  it('JavaScript: commented-out calls, calls inside strings and doc examples are no sites', () => {
    const code = lines(
      "// AWSXRay.captureAsyncFunc('line-comment', f);",
      "/* AWSXRay.captureAsyncFunc('block-comment', f);",
      " * AWSXRay.captureAsyncFunc('still-comment', f); */",
      '/**',
      " *   const cart = await capture('jsdoc', () => carts.read(id));",
      ' */',
      'const s = "AWSXRay.captureAsyncFunc(\'in-a-string\', f)";',
      "const t = `AWSXRay.captureAsyncFunc('in-a-template', f) ${x}`;",
      "AWSXRay.captureAsyncFunc('real', f); // AWSXRay.captureAsyncFunc('trailing', f)",
    );
    assert.deepEqual(found('/w/a.js', code), ['9 real']);
  });

  it('JavaScript: regular expressions with quotes, and division, do not derail the scan', () => {
    const code = lines(
      'const quote = /[\'"`]/g;',
      'const half = total / 2; const third = (a + b) / 3;',
      "const re = line.match(/\\/\\/ (.*)'/);",
      "tracer.startSpan('after-regex');",
      'if (x) /re/.test(y);',
      "tracer.startSpan('after-statement-regex');",
    );
    assert.deepEqual(found('/w/a.js', code), ['4 after-regex', '6 after-statement-regex']);
  });

  it('JavaScript: an unterminated string ends at its line', () => {
    const code = lines("const broken = 'no end;", "tracer.startSpan('next-line');");
    assert.deepEqual(found('/w/a.js', code), ['2 next-line']);
  });

  it('Python: comments, docstrings and strings; # inside a string is not a comment', () => {
    const code = lines(
      '# @xray_recorder.capture("comment")',
      'def f():',
      '    """',
      "    with xray_recorder.in_subsegment('docstring'):",
      '    """',
      "    s = \"# not a comment\"; t = '''xray_recorder.begin_subsegment(\"triple\")'''",
      "    with xray_recorder.in_subsegment('real'):  # in_subsegment('trailing')",
      '        pass',
    );
    assert.deepEqual(found('/w/a.py', code), ['7 real']);
  });

  it('Java text blocks and char literals; Go raw strings and runes; C# verbatim and raw strings', () => {
    assert.deepEqual(
      found(
        '/w/A.java',
        lines(
          'class A {',
          '  String s = """',
          '      AWSXRay.beginSubsegment("text-block");',
          '      """;',
          "  char q = '\"';",
          '  void f() { AWSXRay.beginSubsegment("real"); }',
          '}',
        ),
      ),
      ['6 real'],
    );
    assert.deepEqual(
      found(
        '/w/a.go',
        lines(
          'var s = `xray.BeginSubsegment(ctx, "raw")',
          '`',
          "var r = '\"'",
          'func f(ctx context.Context) { xray.BeginSubsegment(ctx, "real") }',
        ),
      ),
      ['4 real'],
    );
    assert.deepEqual(
      found(
        '/w/A.cs',
        lines(
          'var a = @"BeginSubsegment(""verbatim"")";',
          'var b = """',
          '  BeginSubsegment("raw")',
          '  """;',
          "var c = '\"';",
          'AWSXRayRecorder.Instance.BeginSubsegment("real");',
        ),
      ),
      ['6 real'],
    );
  });

  it('columns count UTF-16 units, as editors do', () => {
    const [site] = sitesOf('/w/a.js', "const é = '😀'; tracer.startSpan('after-emoji');");
    assert.equal(site.column, 34);
  });

  it('unbalanced brackets and unterminated templates end the scan without throwing', () => {
    for (const text of [
      'tracer.startSpan(`x${',
      'function f( { tracer.startSpan("a"',
      ')))}}} tracer.startSpan("b")',
      '@xray_recorder.capture(\ndef',
      '',
    ]) {
      for (const path of ['/w/a.js', '/w/a.py', '/w/A.java', '/w/a.go', '/w/A.cs'])
        assert.doesNotThrow(() => sitesOf(path, text), `${path}: ${text}`);
    }
    assert.deepEqual(found('/w/a.js', ')))}}} tracer.startSpan("b")'), ['1 b']);
  });
});
