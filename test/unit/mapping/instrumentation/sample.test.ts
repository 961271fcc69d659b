import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { InstrumentationIndex, indexWorkspace } from '../../../../src/mapping/instrumentation';
import { repoRoot } from '../../../harness/paths';
import { otlpBodies, xrayDatagrams } from '../../fixtures';

const services = join(repoRoot, 'sample', 'services');

interface Recorded {
  readonly name: string;
  /** code.function of OTel spans, as the sample's inSpan() recorded it. */
  readonly codeFunction?: string;
}

/**
 * The span and subsegment names the real SDKs recorded, less those the SDKs' own instrumentation
 * names at run time with no name in the source: X-Ray's HTTP client subsegments (the remote host,
 * namespace `remote`) and OpenTelemetry's HTTP client spans (`GET`, kind CLIENT).
 */
function recordedNames(): Recorded[] {
  const out = new Map<string, Recorded>();
  type Doc = { name: string; namespace?: string; type?: string; subsegments?: Doc[] };
  const walk = (d: Doc) => {
    if (d.namespace !== 'remote') out.set(d.name, { name: d.name });
    for (const s of d.subsegments ?? []) walk(s);
  };
  for (const datagram of xrayDatagrams()) walk(JSON.parse(datagram.slice(datagram.indexOf('\n') + 1)) as Doc);
  for (const b of otlpBodies()) {
    if (!b.contentType.includes('json')) continue;
    type Attr = { key: string; value: { stringValue?: string } };
    const body = JSON.parse(b.body.toString('utf8')) as {
      resourceSpans: { scopeSpans: { spans: { name: string; kind: number; attributes?: Attr[] }[] }[] }[];
    };
    for (const rs of body.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) {
          if (span.kind === 3) continue;
          const fn = span.attributes?.find((a) => a.key === 'code.function' || a.key === 'code.function.name')?.value
            .stringValue;
          out.set(span.name, { name: span.name, codeFunction: fn });
        }
  }
  return [...out.values()];
}

/** Where each name is written: the file, and text on the line that must be there. */
const expected: Readonly<Record<string, readonly [file: string, text: string]>> = {
  orders: ['orders/server.js', "openSegment('orders')"],
  'OrdersTable.get': ['orders/server.js', "'OrdersTable.get'"],
  checkStock: ['orders/server.js', "capture('checkStock'"],
  carrierTracking: ['orders/server.js', "capture('carrierTracking'"],
  loadCart: ['orders/checkout.js', "capture('loadCart'"],
  'CustomersTable.get': ['orders/checkout.js', "'CustomersTable.get'"],
  'price-item-0': ['orders/checkout.js', '`price-item-${'],
  'price-item-2': ['orders/checkout.js', '`price-item-${'],
  reserveStock: ['orders/checkout.js', "capture('reserveStock'"],
  chargePayment: ['orders/checkout.js', "capture('chargePayment'"],
  'PaymentGateway.authorize': ['orders/checkout.js', "'PaymentGateway.authorize'"],
  'aggregate-day-0': ['orders/reports.js', '`aggregate-day-${'],
  'aggregate-day-29': ['orders/reports.js', '`aggregate-day-${'],
  'OrdersTable.query': ['orders/reports.js', "'OrdersTable.query'"],
  summarize: ['orders/reports.js', "capture('summarize'"],
  renderInvoicePdf: ['orders/reports.js', "capture('renderInvoicePdf'"],
  inventory: ['inventory/src/server.js', "openSegment('inventory')"],
  'WarehouseTable.getItem': ['inventory/src/stock.js', "'WarehouseTable.getItem'"],
  reserveLines: ['inventory/src/reservations.js', "traced('reserveLines'"],
  'catalog.search': ['catalog/products.js', "inSpan('catalog.search'"],
  'catalog.rank': ['catalog/products.js', "inSpan('catalog.rank'"],
  'catalog.details': ['catalog/products.js', "inSpan('catalog.details'"],
  'catalog.reviews': ['catalog/products.js', "inSpan('catalog.reviews'"],
  'GET /products': ['catalog/server.js', "updateName('GET /products')"],
  'GET /products/:id': ['catalog/server.js', "updateName('GET /products/:id')"],
  'GET /products/:id/reviews': ['catalog/server.js', "updateName('GET /products/:id/reviews')"],
};

/** The 1-based line of the only line of file containing text. */
function lineWith(file: string, text: string): number {
  const found = readFileSync(join(services, file), 'utf8')
    .split('\n')
    .flatMap((l, k) => (l.includes(text) ? [k + 1] : []));
  assert.equal(found.length, 1, `${text} once in ${file}`);
  return found[0];
}

describe('mapping/instrumentation: the sample app', () => {
  let index: InstrumentationIndex;
  const recorded = recordedNames();

  before(async () => {
    index = new InstrumentationIndex();
    await indexWorkspace(services, index);
  });

  it('the fixtures record the names this test expects (a sanity check of the test itself)', () => {
    const names = new Set(recorded.map((r) => r.name));
    for (const name of Object.keys(expected)) assert.ok(names.has(name), `${name} recorded`);
    assert.ok(recorded.length >= 50, `${recorded.length} names`);
  });

  it('finds every name the SDKs recorded at the line that names it', () => {
    for (const { name } of recorded) {
      const [best] = index.lookup(name);
      assert.ok(best, `${name} found`);
      const file = best.path
        .slice(services.length + 1)
        .split('\\')
        .join('/');
      const source = readFileSync(best.path, 'utf8').split('\n')[best.line - 1];
      // The line must spell the name, or its literal start for a template name.
      const literal = best.name ?? /^\^([^.*\\[(]*)/.exec(best.pattern ?? '')?.[1] ?? '';
      assert.ok(literal.length > 0 && source.includes(literal), `${name}: ${file}:${best.line} is "${source.trim()}"`);
      const want =
        expected[name] ??
        Object.entries(expected).find(([k]) => k.replace(/\d+$/, '') === name.replace(/\d+$/, ''))?.[1];
      if (want) assert.deepEqual([file, best.line], [want[0], lineWith(want[0], want[1])], name);
    }
  });

  it('locates the name itself: the column of its first character', () => {
    const [site] = index.lookup('loadCart');
    const source = readFileSync(site.path, 'utf8').split('\n')[site.line - 1];
    assert.equal(source.slice(site.column - 1).slice(0, "'loadCart'".length), "'loadCart'");
  });

  it('says which call named it: SDK calls, the orders capture() and inventory traced() wrappers, catalog inSpan() over OpenTelemetry', () => {
    const api = (name: string) => {
      const s = index.lookup(name)[0];
      return [s.api, s.wraps ?? ''];
    };
    assert.deepEqual(api('OrdersTable.get'), ['xray.captureAsyncFunc', '']);
    assert.deepEqual(api('loadCart'), ['wrapper:capture', 'xray.captureAsyncFunc']);
    assert.deepEqual(
      api('reserveLines'),
      ['wrapper:traced', 'xray.captureAsyncFunc'],
      'the wrapper is imported from another file (ES modules)',
    );
    assert.deepEqual(
      api('catalog.details'),
      ['wrapper:inSpan', 'otel.startActiveSpan'],
      'the name is the first of three parameters',
    );
    assert.deepEqual(api('price-item-1'), ['xray.captureAsyncFunc', '']);
    assert.deepEqual(api('GET /products'), ['otel.updateName', '']);
  });

  it('names the timed function as the OpenTelemetry code.function attribute the sample recorded', () => {
    const withFunction = recorded.filter((r) => r.codeFunction);
    assert.ok(withFunction.length >= 4);
    for (const r of withFunction) assert.equal(index.lookup(r.name)[0].functionName, r.codeFunction, r.name);
  });

  it('gives the lines of the timed callback', () => {
    const site = index.lookup('chargePayment')[0];
    const text = readFileSync(site.path, 'utf8').split('\n');
    assert.equal(site.functionName, 'chargePayment');
    assert.ok(site.functionRange, 'range known');
    const { startLine, endLine } = site.functionRange;
    assert.equal(startLine, site.line, 'the callback starts on the call line');
    assert.match(text[endLine - 1], /^\s*\}\);/, 'and ends where the call closes');
  });

  it('walks past dist/, and ranks a minified bundle the walk does reach below the source', () => {
    const paths = recorded.flatMap((r) => index.lookup(r.name).map((s) => s.path));
    assert.ok(!paths.some((p) => p.includes(join('inventory', 'dist') + sep)), 'dist/ skipped');
    for (const r of recorded)
      assert.ok(!index.lookup(r.name)[0].path.includes('dist-min'), `${r.name}: the source first`);
    assert.deepEqual(index.sitesIn(join(services, 'orders', 'tracing.js')), [], "the wrapper's own call names nothing");
    assert.deepEqual(index.sitesIn(join(services, 'catalog', 'telemetry.js')), []);
  });
});
