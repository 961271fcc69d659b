import * as assert from 'node:assert/strict';
import { InstrumentationIndex } from '../../../../src/mapping/instrumentation';
import { brief, lines } from './snippets';

// The orders service's helper, as in sample/services/orders/tracing.js.
const tracingJs = lines(
  "const AWSXRay = require('aws-xray-sdk-core');",
  'function capture(name, fn) {',
  '  return AWSXRay.captureAsyncFunc(name, async (subsegment) => {',
  '    try {',
  '      return await fn(subsegment);',
  '    } finally {',
  '      subsegment.close();',
  '    }',
  '  });',
  '}',
  'module.exports = { AWSXRay, capture };',
);

const checkoutJs = lines(
  "const { capture } = require('./tracing');",
  'async function loadCart(id) {',
  "  return capture('loadCart', async () => db.carts.get(id));",
  '}',
  "const reservation = capture('reserveStock', reserveStock);",
  'async function reserveStock() {}',
);

const names = (index: InstrumentationIndex, path: string) => index.sitesIn(path).map((s) => s.name ?? s.pattern);

describe('mapping/instrumentation: wrappers', () => {
  it('a wrapper defined in one file makes its calls in another file sites, with the SDK call it wraps', () => {
    const index = new InstrumentationIndex();
    index.update('/w/tracing.js', tracingJs);
    index.update('/w/checkout.js', checkoutJs);
    assert.deepEqual(index.sitesIn('/w/checkout.js').map(brief), [
      '3:18 loadCart wrapper:capture fn=loadCart 3-3',
      '5:29 reserveStock wrapper:capture fn=reserveStock 6-6',
    ]);
    const [site] = index.lookup('loadCart');
    assert.equal(site.wraps, 'xray.captureAsyncFunc');
    assert.deepEqual(index.sitesIn('/w/tracing.js'), [], "the wrapper's own call names nothing");
  });

  it('finds the name at whichever position the wrapper takes it, and keyword arguments (Python)', () => {
    const index = new InstrumentationIndex();
    index.update(
      '/w/timing.js',
      lines('export function timed(ctx, name, fn) {', '  return tracer.startActiveSpan(name, {}, ctx, fn);', '}'),
    );
    index.update('/w/use.js', lines("timed(ctx, 'render', renderPage);", "timed('not-a-context', other);"));
    assert.deepEqual(index.sitesIn('/w/use.js').map(brief), ['1:12 render wrapper:timed fn=renderPage']);

    index.update('/w/tracing.py', lines('def traced(label, kind=None):', '    return xray_recorder.capture(label)'));
    index.update(
      '/w/jobs.py',
      lines(
        "@traced(kind='batch', label='nightly')",
        'def nightly():',
        '    pass',
        '',
        "@traced('hourly')",
        'def hourly():',
        '    pass',
      ),
    );
    assert.deepEqual(index.sitesIn('/w/jobs.py').map(brief), [
      '1:29 nightly wrapper:traced fn=nightly 2-3',
      '5:9 hourly wrapper:traced fn=hourly 6-7',
    ]);
  });

  it('a decorator wrapper called without a name names the function, as the SDK does (Python)', () => {
    const index = new InstrumentationIndex();
    index.update(
      '/w/tracing.py',
      lines(
        'from aws_xray_sdk.core import xray_recorder',
        '',
        'def capture(name=None):',
        '    return xray_recorder.capture(name)',
        '',
        'def timed(label=None):',
        '    return capture(label)',
      ),
    );
    index.update(
      '/w/cart.py',
      lines(
        'from tracing import capture, timed',
        '',
        '@capture()',
        'def load_cart(cart_id):',
        '    return db.get(cart_id)',
        '',
        "@capture('cart.save')",
        'def save_cart(cart):',
        '    pass',
        '',
        '@timed()',
        'def price_cart(cart):',
        '    pass',
      ),
    );
    assert.deepEqual(index.sitesIn('/w/cart.py').map(brief), [
      '3:2 load_cart wrapper:capture fn=load_cart 4-5',
      '7:10 cart.save wrapper:capture fn=save_cart 8-9',
      '11:2 price_cart wrapper:timed fn=price_cart 12-13',
    ]);
    assert.equal(index.lookup('load_cart')[0]?.wraps, 'xray.capture');
    // A helper whose name is built, not passed on, has no default to give.
    index.update('/w/prefixed.py', lines('def job(name=None):', "    return xray_recorder.capture('job.' + name)"));
    index.update('/w/jobs.py', lines('@job()', 'def nightly():', '    pass'));
    assert.deepEqual(index.sitesIn('/w/jobs.py'), []);
  });

  it('wrappers of wrappers across files, up to the depth limit', () => {
    const index = new InstrumentationIndex();
    index.update('/w/tracing.js', tracingJs);
    // Each level passes its own parameter on to the previous level, each in its own file.
    const levels = ['db', 'repo', 'service', 'handler', 'edge'];
    let inner = 'capture';
    levels.forEach((name, k) => {
      index.update(`/w/level${k}.js`, lines(`const ${name} = (what, work) => ${inner}(what, work);`));
      inner = name;
    });
    index.update('/w/calls.js', lines(...levels.map((name) => `${name}('via-${name}', () => 1);`)));
    // capture is depth 1; db 2, repo 3, service 4 are followed; handler and edge would be 5 and 6.
    assert.deepEqual(
      index.sitesIn('/w/calls.js').map((s) => `${s.name} ${s.api}`),
      ['via-db wrapper:db', 'via-repo wrapper:repo', 'via-service wrapper:service'],
    );
  });

  it('a wrapper that builds the name from its parameter: callers get the whole name, or a pattern', () => {
    const index = new InstrumentationIndex();
    index.update(
      '/w/db.ts',
      lines(
        'export function query<T>(table: string, fn: () => Promise<T>): Promise<T> {',
        '  return capture(`db.${table}.query`, fn);',
        '}',
      ),
    );
    index.update('/w/tracing.js', tracingJs);
    index.update(
      '/w/repo.ts',
      lines("await query('orders', () => sql('select 1'));", 'await query(`shard-${n}`, load);'),
    );
    assert.deepEqual(
      index.sitesIn('/w/repo.ts').map((s) => s.name ?? s.pattern),
      ['db.orders.query', '^db\\.shard-.*\\.query$'],
    );
    assert.equal(index.lookup('db.shard-7.query')[0]?.line, 2);
  });

  it('Python, Java, Go and C# helpers', () => {
    const index = new InstrumentationIndex();
    index.update(
      '/w/tracing.py',
      lines('class Tracing:', '    def span(self, name):', '        return tracer.start_as_current_span(name)'),
    );
    index.update('/w/app.py', lines('def handle(event):', "    with tracing.span('handle.event'):", '        pass'));
    index.update(
      '/w/Tracing.java',
      lines(
        'public final class Tracing {',
        '  public static <T> T traced(final String name, Supplier<T> body) {',
        '    AWSXRay.beginSubsegment(name);',
        '    try { return body.get(); } finally { AWSXRay.endSubsegment(); }',
        '  }',
        '}',
      ),
    );
    index.update(
      '/w/Orders.java',
      lines(
        'class Orders {',
        '  Order get(String id) {',
        '    return Tracing.traced("orders.get", () -> table.get(id));',
        '  }',
        '}',
      ),
    );
    index.update(
      '/w/tracing.go',
      lines(
        'func Traced(ctx context.Context, name string, fn func(context.Context) error) error {',
        '\treturn xray.Capture(ctx, name, fn)',
        '}',
      ),
    );
    index.update(
      '/w/main.go',
      lines(
        'func run(ctx context.Context) error {',
        '\treturn tracing.Traced(ctx, "run.job", func(ctx context.Context) error {',
        '\t\treturn nil',
        '\t})',
        '}',
      ),
    );
    index.update(
      '/w/Tracing.cs',
      lines(
        'static class Tracing {',
        '  public static Activity? Traced(this ActivitySource source, string name) => source.StartActivity(name);',
        '}',
      ),
    );
    index.update(
      '/w/Orders.cs',
      lines('class Orders {', '  void Get() {', '    using var a = Source.Traced("orders.cs.get");', '  }', '}'),
    );
    assert.deepEqual(index.sitesIn('/w/app.py').map(brief), ['2:23 handle.event wrapper:span fn=handle 1-3']);
    assert.deepEqual(index.sitesIn('/w/Orders.java').map(brief), ['3:27 orders.get wrapper:traced fn=get 3-3']);
    assert.deepEqual(index.sitesIn('/w/main.go').map(brief), ['2:29 run.job wrapper:Traced fn=run 2-4']);
    assert.deepEqual(index.sitesIn('/w/Orders.cs').map(brief), ['3:33 orders.cs.get wrapper:Traced fn=Get 2-4']);
  });

  it('wrappers stay in their language family', () => {
    const index = new InstrumentationIndex();
    index.update('/w/tracing.py', lines('def capture(name):', '    return xray_recorder.capture(name)'));
    index.update('/w/a.js', "capture('js-call', () => 1);");
    index.update('/w/b.ts', "capture('ts-call', () => 1);");
    assert.deepEqual(index.lookup('js-call'), []);
    index.update('/w/tracing.js', tracingJs);
    assert.equal(index.lookup('js-call').length, 1);
    assert.equal(index.lookup('ts-call').length, 1, 'JavaScript and TypeScript are one family');
  });

  it('a recursive or self-referencing helper does not loop', () => {
    const index = new InstrumentationIndex();
    index.update(
      '/w/a.js',
      lines(
        'function a(name, fn) { return b(name, fn); }',
        'function b(name, fn) { return a(name, fn); }',
        "a('loop', () => 1);",
      ),
    );
    assert.deepEqual(index.lookup('loop'), []);
  });

  describe('incremental updates', () => {
    it('sites appear when the wrapper file arrives after its callers, and disappear when it goes', () => {
      const index = new InstrumentationIndex();
      index.update('/w/checkout.js', checkoutJs);
      assert.deepEqual(names(index, '/w/checkout.js'), []);
      index.update('/w/tracing.js', tracingJs);
      assert.deepEqual(names(index, '/w/checkout.js'), ['loadCart', 'reserveStock']);
      index.remove('/w/tracing.js');
      assert.deepEqual(names(index, '/w/checkout.js'), []);
      assert.deepEqual(index.lookup('loadCart'), []);
      assert.equal(index.size, 1);
    });

    it('an edit that stops the helper from naming spans, renames it, or moves the name parameter', () => {
      const index = new InstrumentationIndex();
      index.update('/w/tracing.js', tracingJs);
      index.update('/w/checkout.js', checkoutJs);
      assert.equal(index.lookup('loadCart').length, 1);

      index.update('/w/tracing.js', tracingJs.replace('captureAsyncFunc(name,', "captureAsyncFunc('fixed',"));
      assert.deepEqual(index.lookup('loadCart'), [], 'no longer passes its parameter on');

      index.update('/w/tracing.js', tracingJs.replace('function capture(', 'function record('));
      assert.deepEqual(index.lookup('loadCart'), [], 'renamed: capture() calls are plain calls again');
      index.update('/w/other.js', "record('recorded', () => 1);");
      assert.equal(index.lookup('recorded')[0]?.api, 'wrapper:record');

      index.update('/w/tracing.js', tracingJs.replace('function capture(name, fn)', 'function capture(fn, name)'));
      assert.deepEqual(index.lookup('loadCart'), [], 'the name is now the second argument');
      index.update('/w/late.js', "capture(() => 1, 'second');");
      assert.deepEqual(index.lookup('second').map(brief), ['1:18 second wrapper:capture 1-1']);
    });

    it('an edit elsewhere in the wrapper file keeps the sites; the same text again changes nothing', () => {
      const index = new InstrumentationIndex();
      index.update('/w/tracing.js', tracingJs);
      index.update('/w/checkout.js', checkoutJs);
      const before = index.lookup('loadCart')[0];
      index.update('/w/tracing.js', '// a comment on top\n' + tracingJs);
      assert.equal(
        index.lookup('loadCart')[0],
        before,
        'the wrappers are unchanged, so the caller was not resolved again',
      );
      index.update('/w/checkout.js', checkoutJs);
      assert.equal(index.lookup('loadCart')[0], before, 'identical text is not scanned again');
      index.update('/w/checkout.js', '\n' + checkoutJs);
      assert.equal(index.lookup('loadCart')[0]?.line, 4);
    });

    it('removing a caller removes only its sites; files in other languages are not indexed', () => {
      const index = new InstrumentationIndex();
      index.update('/w/tracing.js', tracingJs);
      index.update('/w/checkout.js', checkoutJs);
      index.update('/w/more.js', "capture('loadCart', () => 2);");
      assert.equal(index.lookup('loadCart').length, 2);
      index.remove('/w/checkout.js');
      assert.deepEqual(
        index.lookup('loadCart').map((s) => s.path),
        ['/w/more.js'],
      );
      index.update('/w/notes.txt', "capture('loadCart')");
      assert.equal(index.size, 2, 'not a source file');
    });
  });
});
