import * as assert from 'node:assert/strict';
import { languageOf } from '../../../../src/mapping/instrumentation';
import { briefs, lines, sitesOf } from './snippets';

describe('mapping/instrumentation: languages and SDK calls', () => {
  it('knows languages by extension only', () => {
    assert.equal(languageOf('/w/a.js'), 'javascript');
    assert.equal(languageOf('C:\\w\\a.MJS'), 'javascript');
    assert.equal(languageOf('a.tsx'), 'typescript');
    assert.equal(languageOf('svc/handler.py'), 'python');
    assert.equal(languageOf('Foo.java'), 'java');
    assert.equal(languageOf('main.go'), 'go');
    assert.equal(languageOf('Program.cs'), 'csharp');
    assert.equal(languageOf('README.md'), undefined);
    assert.equal(languageOf('/w/.ts'), undefined, 'a dotfile has no extension');
    assert.equal(languageOf('/w.js/Makefile'), undefined, 'a dot in a folder name is no extension');
  });

  describe('JavaScript and TypeScript', () => {
    it('captureAsyncFunc: the name, its column, and the anonymous callback timed inside the enclosing function', () => {
      const code = lines(
        "const AWSXRay = require('aws-xray-sdk-core');",
        'async function loadCart(id) {',
        "  return AWSXRay.captureAsyncFunc('loadCart', async (sub) => {",
        '    const cart = await db.get(id);',
        '    sub.close();',
        '    return cart;',
        '  });',
        '}',
      );
      assert.deepEqual(briefs('/w/cart.js', code), ['3:35 loadCart xray.captureAsyncFunc fn=loadCart 3-7']);
      const [site] = sitesOf('/w/cart.js', code);
      assert.equal(site.language, 'javascript');
      assert.equal(site.path, '/w/cart.js', 'the path as given');
    });

    it('captureFunc and captureCallbackFunc with a named function expression: that name', () => {
      const code = lines(
        "AWSXRay.captureFunc('sync-work', function compute(sub) {",
        '  return 1;',
        '});',
        "AWSXRay.captureCallbackFunc('cb-work', function onDone(err) {});",
      );
      assert.deepEqual(briefs('/w/a.js', code), [
        '1:21 sync-work xray.captureFunc fn=compute 1-3',
        '4:29 cb-work xray.captureCallbackFunc fn=onDone 4-4',
      ]);
    });

    it('a function passed by name is the timed function, with its lines when defined in the file', () => {
      const code = lines(
        "const { captureAsyncFunc } = require('aws-xray-sdk-core');",
        "captureAsyncFunc('refresh', refreshCache);",
        'async function refreshCache(sub) {',
        '  sub.close();',
        '}',
        "captureAsyncFunc('other', imported.work);",
      );
      assert.deepEqual(briefs('/w/a.js', code), [
        '2:18 refresh xray.captureAsyncFunc fn=refreshCache 3-5',
        '6:18 other xray.captureAsyncFunc fn=work',
      ]);
    });

    it('addNewSubsegment on a segment variable and on AWSXRay.getSegment()', () => {
      const code = lines(
        'function handler(event) {',
        '  const segment = AWSXRay.getSegment();',
        "  const sub = segment.addNewSubsegment('parse');",
        "  const other = AWSXRay.getSegment().addNewSubsegment('validate');",
        '}',
      );
      assert.deepEqual(briefs('/w/h.js', code), [
        '3:40 parse xray.addNewSubsegment fn=handler 1-5',
        '4:55 validate xray.addNewSubsegment fn=handler 1-5',
      ]);
    });

    it('OpenTelemetry startActiveSpan (callback last, after options) and startSpan', () => {
      const code = lines(
        "const tracer = trace.getTracer('shop');",
        'async function pay(order) {',
        "  return tracer.startActiveSpan('pay', { attributes: { id: order.id } }, async (span) => {",
        '    span.end();',
        '  });',
        '}',
        'function audit() {',
        "  const span = trace.getTracer('shop').startSpan('audit');",
        '  span.end();',
        '}',
      );
      assert.deepEqual(briefs('/w/pay.js', code), [
        '3:33 pay otel.startActiveSpan fn=pay 3-5',
        '8:50 audit otel.startSpan fn=audit 7-10',
      ]);
    });

    it('TypeScript: types, generics, return types and class methods do not hide calls or functions', () => {
      const code = lines(
        'export class CartService {',
        '  constructor(private readonly tracer: Tracer) {}',
        '  async load<T extends Cart>(id: string, opts: Map<string, number>): Promise<T> {',
        "    return this.tracer.startActiveSpan('cart.load', async (span: Span): Promise<T> => {",
        '      return (await this.db.get(id)) as T;',
        '    });',
        '  }',
        '}',
        'export const save = async (cart: Cart): Promise<void> => {',
        "  tracer.startSpan('cart.save').end();",
        '};',
      );
      assert.deepEqual(briefs('/w/cart.ts', code), [
        '4:40 cart.load otel.startActiveSpan fn=load 4-6',
        '10:20 cart.save otel.startSpan fn=save 9-11',
      ]);
      assert.equal(sitesOf('/w/cart.ts', code)[0].language, 'typescript');
    });

    it('a span renamed with updateName (the sample server renames HTTP spans to their route)', () => {
      const code = lines('function route(req) {', "  trace.getActiveSpan()?.updateName('GET /products');", '}');
      assert.deepEqual(briefs('/w/server.js', code), ['2:37 GET /products otel.updateName fn=route 1-3']);
    });

    it('a name known only at run time is no site; a partly known one is a pattern', () => {
      const code = lines(
        'function run(op, table) {',
        '  tracer.startSpan(op.name);',
        '  tracer.startSpan(table);',
        "  tracer.startSpan('db.' + table + '.query');",
        '}',
      );
      assert.deepEqual(briefs('/w/db.js', code), ['4:20 /^db\\..*\\.query$/ otel.startSpan fn=run 1-5']);
    });

    it('JSX with apostrophes in text does not lose the following lines', () => {
      const code = lines(
        'export function Page() {',
        "  const span = tracer.startSpan('render.page');",
        "  return <p>Don't panic, it's fine</p>;",
        '}',
        "tracer.startSpan('after.jsx');",
      );
      assert.deepEqual(
        sitesOf('/w/page.jsx', code).map((s) => `${s.line} ${s.name}`),
        ['2 render.page', '5 after.jsx'],
      );
    });
  });

  describe('Python', () => {
    it('@xray_recorder.capture with a name: the decorated function and its lines', () => {
      const code = lines(
        'from aws_xray_sdk.core import xray_recorder',
        '',
        "@xray_recorder.capture('load_cart')",
        'def load_cart(customer_id):',
        '    cart = db.get(customer_id)',
        '',
        '    return cart',
        '',
        'def other():',
        '    pass',
      );
      assert.deepEqual(briefs('/w/cart.py', code), ['3:24 load_cart xray.capture fn=load_cart 4-7']);
    });

    it('bare @xray_recorder.capture() and @xray_recorder.capture name the span after the function', () => {
      const code = lines(
        '@xray_recorder.capture()',
        'def price_items(lines):',
        '    return [price(l) for l in lines]',
        '',
        '@xray_recorder.capture',
        'async def reserve(order):',
        '    await stock.hold(order)',
        '',
        '@xray_recorder.capture_async()',
        'async def charge(order):',
        '    pass',
      );
      assert.deepEqual(briefs('/w/a.py', code), [
        '1:16 price_items xray.capture fn=price_items 2-3',
        '5:16 reserve xray.capture fn=reserve 6-7',
        '9:16 charge xray.capture_async fn=charge 10-11',
      ]);
    });

    it('stacked decorators, a multi-line decorator call, a keyword name, and methods', () => {
      const code = lines(
        'class Orders:',
        "    @app.route('/orders/<id>')",
        '    @xray_recorder.capture(',
        "        name='orders.get',",
        '    )',
        '    def get(self, id):',
        '        return self.db.get(id)',
        '',
        '    @staticmethod',
        '    @xray_recorder.capture()',
        '    def helper():',
        '        pass',
      );
      assert.deepEqual(briefs('/w/orders.py', code), [
        '4:14 orders.get xray.capture fn=get 6-7',
        '10:20 helper xray.capture fn=helper 11-12',
      ]);
    });

    it('with in_subsegment / in_segment: the enclosing function', () => {
      const code = lines(
        'def handler(event, context):',
        "    with xray_recorder.in_segment('job') as segment:",
        "        with xray_recorder.in_subsegment('parse') as sub:",
        '            parse(event)',
        "    sub = xray_recorder.begin_subsegment('manual')",
      );
      assert.deepEqual(briefs('/w/job.py', code), [
        '2:35 job xray.in_segment fn=handler 1-5',
        '3:42 parse xray.in_subsegment fn=handler 1-5',
        '5:42 manual xray.begin_subsegment fn=handler 1-5',
      ]);
    });

    it('OpenTelemetry start_as_current_span as decorator and context manager, and start_span', () => {
      const code = lines(
        "@tracer.start_as_current_span('checkout')",
        'def checkout(cart):',
        "    with tracer.start_as_current_span('checkout.validate'):",
        '        validate(cart)',
        "    span = tracer.start_span(name='checkout.audit')",
      );
      assert.deepEqual(briefs('/w/co.py', code), [
        '1:31 checkout otel.start_as_current_span fn=checkout 2-5',
        '3:39 checkout.validate otel.start_as_current_span fn=checkout 2-5',
        '5:35 checkout.audit otel.start_span fn=checkout 2-5',
      ]);
    });

    it("capture on something that is not the recorder is no site (Python's `capture` is a common word)", () => {
      const code = lines("m = pattern.capture('group')", "r = recorder.capture('yes')");
      assert.deepEqual(
        sitesOf('/w/a.py', code).map((s) => s.name),
        ['yes'],
      );
    });

    it('a decorator not followed by a function applies to nothing', () => {
      const code = lines('@xray_recorder.capture()', 'x = 1', 'def later():', '    pass');
      assert.deepEqual(briefs('/w/a.py', code), []);
    });
  });

  describe('Java', () => {
    it('beginSubsegment in a method, createSubsegment with a lambda', () => {
      const code = lines(
        'public class Orders {',
        '  public Order get(String id) {',
        '    Subsegment sub = AWSXRay.beginSubsegment("OrdersTable.get");',
        '    try { return table.get(id); } finally { AWSXRay.endSubsegment(); }',
        '  }',
        '  void price(List<Line> lines) {',
        '    AWSXRay.createSubsegment("price", (subsegment) -> {',
        '      compute(lines);',
        '    });',
        '  }',
        '}',
      );
      assert.deepEqual(briefs('/w/Orders.java', code), [
        '3:46 OrdersTable.get xray.beginSubsegment fn=get 2-5',
        '7:30 price xray.createSubsegment fn=price 7-9',
      ]);
    });

    it('@XRayEnabled on a class: its public instance methods, named as the Spring interceptor names them (the bare method name)', () => {
      const code = lines(
        '@Service',
        '@XRayEnabled',
        'public class CartService {',
        '  public CartService(Repo repo) { this.repo = repo; }',
        '  public Cart load(String id) {',
        '    return repo.find(id);',
        '  }',
        '  private void helper() {}',
        '  public static CartService create() { return null; }',
        '  @Transactional',
        '  public <T> List<T> all(Map<String, Integer> filter, Class<T> type) throws IOException {',
        '    return List.of();',
        '  }',
        '}',
      );
      assert.deepEqual(briefs('/w/CartService.java', code), [
        '5:15 load xray.XRayEnabled fn=load 5-7',
        '11:22 all xray.XRayEnabled fn=all 11-13',
      ]);
    });

    it('a class implementing XRayTraced, and an @XRayEnabled repository interface', () => {
      const code = lines(
        'public class Pricing implements Serializable, XRayTraced {',
        '  public double quote(Item item) { return 1; }',
        '}',
        '@XRayEnabled',
        'public interface OrderRepository extends CrudRepository<Order, String> {',
        '  List<Order> findByCustomer(String customerId);',
        '}',
      );
      assert.deepEqual(briefs('/w/Pricing.java', code), [
        '2:17 quote xray.XRayTraced fn=quote 2-2',
        '6:15 findByCustomer xray.XRayEnabled fn=findByCustomer 6-6',
      ]);
    });

    it('@WithSpan: `SimpleClassName.method` as the OpenTelemetry agent names it, or the given name', () => {
      const code = lines(
        'class Checkout {',
        '  @WithSpan',
        '  public void pay() {}',
        '  @WithSpan("checkout.reserve")',
        '  void reserve() {}',
        '  @WithSpan(value = "checkout.ship", kind = SpanKind.CLIENT)',
        '  void ship() {}',
        '  @WithSpan("")',
        '  void empty() {}',
        '}',
      );
      assert.deepEqual(briefs('/w/Checkout.java', code), [
        '2:4 Checkout.pay otel.WithSpan fn=pay 3-3',
        '4:13 checkout.reserve otel.WithSpan fn=reserve 5-5',
        '6:21 checkout.ship otel.WithSpan fn=ship 7-7',
        '8:4 Checkout.empty otel.WithSpan fn=empty 9-9',
      ]);
    });

    it('spanBuilder, and names built with String.format and concatenation', () => {
      const code = lines(
        'class Jobs {',
        '  void run(int i) {',
        '    Span a = tracer.spanBuilder("jobs.run").startSpan();',
        '    Span b = tracer.spanBuilder(String.format("item-%d", i)).startSpan();',
        '    Span c = tracer.spanBuilder("part-" + i).startSpan();',
        '  }',
        '}',
      );
      assert.deepEqual(briefs('/w/Jobs.java', code), [
        '3:33 jobs.run otel.spanBuilder fn=run 2-6',
        '4:33 /^item--?\\d+$/ otel.spanBuilder fn=run 2-6',
        '5:33 /^part-.*$/ otel.spanBuilder fn=run 2-6',
      ]);
    });
  });

  describe('Go', () => {
    it('xray.Capture with a func literal, BeginSubsegment, in functions and methods', () => {
      const code = lines(
        'package orders',
        '',
        'func (s *Server) Checkout(ctx context.Context, cart Cart) error {',
        '\treturn xray.Capture(ctx, "checkout", func(ctx1 context.Context) error {',
        '\t\treturn s.charge(ctx1, cart)',
        '\t})',
        '}',
        '',
        'func load(ctx context.Context) (Cart, error) {',
        '\tctx, seg := xray.BeginSubsegment(ctx, "load")',
        '\tdefer seg.Close(nil)',
        '\treturn Cart{}, nil',
        '}',
      );
      assert.deepEqual(briefs('/w/orders.go', code), [
        '4:27 checkout xray.Capture fn=Checkout 4-6',
        '10:40 load xray.BeginSubsegment fn=load 9-13',
      ]);
    });

    it('OpenTelemetry tracer.Start with a Sprintf name; a name before the context is no Start', () => {
      const code = lines(
        'func price(ctx context.Context, i int) {',
        '\tctx, span := otel.Tracer("shop").Start(ctx, fmt.Sprintf("price-item-%d", i))',
        '\tdefer span.End()',
        '\t_, raw := tracer.Start(ctx, `raw-name`)',
        '\tserver.Start("not-a-span")',
        '}',
      );
      assert.deepEqual(briefs('/w/price.go', code), [
        '2:46 /^price-item--?\\d+$/ otel.Start fn=price 1-6',
        '4:30 raw-name otel.Start fn=price 1-6',
      ]);
    });
  });

  describe('C#', () => {
    it('AWSXRayRecorder BeginSubsegment and TraceMethod with a lambda', () => {
      const code = lines(
        'public class Orders {',
        '  public Order Get(string id) {',
        '    AWSXRayRecorder.Instance.BeginSubsegment("OrdersTable.Get");',
        '    try { return table.Get(id); } finally { AWSXRayRecorder.Instance.EndSubsegment(); }',
        '  }',
        '  public int Price() => AWSXRayRecorder.Instance.TraceMethod("price", () => Compute());',
        '}',
      );
      assert.deepEqual(briefs('/w/Orders.cs', code), [
        '3:46 OrdersTable.Get xray.BeginSubsegment fn=Get 2-5',
        '6:62 price xray.TraceMethod fn=Price 6-6',
      ]);
    });

    it('StartActivity: a given name, a named argument, and the calling method when there is none ([CallerMemberName])', () => {
      const code = lines(
        'class Checkout {',
        '  async Task<Order> PlaceOrder(Cart cart) {',
        '    using var a = Source.StartActivity("checkout.place");',
        '    using var b = Source.StartActivity();',
        '    using var c = Source.StartActivity(ActivityKind.Server);',
        '    using var d = Source.StartActivity(kind: ActivityKind.Client, name: "checkout.call");',
        '    using var e = Source.StartActivity(dynamicName);',
        '    return null;',
        '  }',
        '}',
      );
      assert.deepEqual(briefs('/w/Checkout.cs', code), [
        '3:40 checkout.place otel.StartActivity fn=PlaceOrder 2-9',
        '4:26 PlaceOrder otel.StartActivity fn=PlaceOrder 2-9',
        '5:26 PlaceOrder otel.StartActivity fn=PlaceOrder 2-9',
        '6:73 checkout.call otel.StartActivity fn=PlaceOrder 2-9',
      ]);
    });

    it('interpolated and formatted names; verbatim strings and preprocessor lines are not code', () => {
      const code = lines(
        '#if DEBUG // BeginSubsegment("not-me")',
        '#endif',
        'class Items {',
        '  void Each(int i) {',
        '    var path = @"C:\\temp\\"; // a verbatim string ends at its quote',
        '    Source.StartActivity($"item-{i}");',
        '    Source.StartActivity(string.Format("row-{0:D}", i));',
        '  }',
        '}',
      );
      assert.deepEqual(briefs('/w/Items.cs', code), [
        '6:26 /^item-.*$/ otel.StartActivity fn=Each 4-8',
        '7:26 /^row--?\\d+$/ otel.StartActivity fn=Each 4-8',
      ]);
    });
  });
});
