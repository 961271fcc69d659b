// The sample shop as real input: its routes must be found where they are written, and the
// segments and spans the real SDKs recorded from it must match the route that served them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchRoute } from '../../../../src/mapping/routes/match';
import type { Route } from '../../../../src/mapping/routes/route';
import { scanWorkspaceRoutes, type WorkspaceRoutes } from '../../../../src/mapping/routes/workspace';
import { repoRoot } from '../../../harness/paths';
import { otlpBodies, xrayDatagrams } from '../../fixtures';

const sample = join(repoRoot, 'sample');
const services = join(sample, 'services');

/** The 1-based line of the first line of a sample file containing text. */
function lineIn(file: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

const orders = join(services, 'orders', 'server.js');
const inventory = join(services, 'inventory', 'src', 'server.js');
const catalog = join(services, 'catalog', 'server.js');

/** Every route of the sample, with the line it is written on, read from the files themselves. */
const expected: [string, string, string, string][] = [
  [catalog, 'GET', '/products', "updateName('GET /products')"],
  [catalog, 'GET', '/products/:id', "updateName('GET /products/:id')"],
  [catalog, 'GET', '/products/:id/reviews', "updateName('GET /products/:id/reviews')"],
  [inventory, 'GET', '/health', "app.get('/health'"],
  [inventory, 'GET', '/stock/:sku', "app.get('/stock/:sku'"],
  [inventory, 'POST', '/reserve', "app.post('/reserve'"],
  [orders, 'GET', '/health', "app.get('/health'"],
  [orders, 'GET', '/orders/:id', "app.get('/orders/:id',"],
  [orders, 'GET', '/orders/:id/invoice', "app.get('/orders/:id/invoice'"],
  [orders, 'GET', '/orders/:id/tracking', "app.get('/orders/:id/tracking'"],
  [orders, 'POST', '/checkout', "app.post('/checkout'"],
  [orders, 'GET', '/reports/daily', "app.get('/reports/daily'"],
];

describe('mapping/routes on the sample shop', () => {
  let ws: WorkspaceRoutes;
  before(async () => {
    ws = await scanWorkspaceRoutes(sample);
  });

  it('finds every route at its line, with its service, and none from bundles, node_modules or scripts', () => {
    const got = ws.routes.map((r) => `${r.path} ${r.method} ${r.pattern} @${r.line}`);
    assert.deepEqual(
      got,
      expected.map(([file, m, p, text]) => `${file} ${m} ${p} @${lineIn(file, text)}`),
    );
    const serviceOf = (file: string) => new Set(ws.routes.filter((r) => r.path === file).map((r) => r.service));
    assert.deepEqual([...serviceOf(orders)], ['orders']);
    assert.deepEqual([...serviceOf(inventory)], ['inventory']);
    assert.deepEqual([...serviceOf(catalog)], ['catalog']);
    assert.ok(ws.routes.filter((r) => r.path !== catalog).every((r) => r.framework === 'express'));
  });

  it('detects the services the sample is: openSegment names and OpenTelemetry service.name', () => {
    const names = ws.services.map((s) => `${s.name} ${s.source.slice(sample.length + 1)}:${s.line}`);
    assert.deepEqual(names, [
      `catalog services/catalog/telemetry.js:${lineIn(join(services, 'catalog', 'telemetry.js'), '[ATTR_SERVICE_NAME]:')}`,
      `inventory services/inventory/src/server.js:${lineIn(inventory, "openSegment('inventory')")}`,
      `orders services/orders/server.js:${lineIn(orders, "openSegment('orders')")}`,
      `catalog traffic.mjs:${lineIn(join(sample, 'traffic.mjs'), "OTEL_SERVICE_NAME = 'catalog'")}`,
    ]);
  });

  it('matches every X-Ray segment the SDK recorded to the route that served it', () => {
    type Doc = { name: string; type?: string; http?: { request?: { method?: string; url?: string } } };
    const served = new Map<Route, number>();
    let segments = 0;
    for (const d of xrayDatagrams()) {
      const doc = JSON.parse(d.slice(d.indexOf('\n') + 1)) as Doc;
      const req = doc.http?.request;
      if (doc.type === 'subsegment' || !req?.url) continue;
      segments++;
      const route = matchRoute(ws.routes, req.method, req.url, { service: doc.name });
      assert.ok(route, `${doc.name} ${req.method} ${req.url}`);
      assert.equal(route.service, doc.name);
      // The route's pattern, as a regex, must fit the URL's path: an independent check of the match.
      const path = new URL(req.url).pathname;
      const re = new RegExp(`^${route.pattern.replace(/:\w+/g, '[^/]+')}$`);
      assert.match(path, re, `${req.method} ${req.url} → ${route.method} ${route.pattern}`);
      assert.ok(route.method === req.method, `${req.method} ${req.url} → ${route.method} ${route.pattern}`);
      served.set(route, (served.get(route) ?? 0) + 1);
    }
    assert.ok(segments >= 36, `${segments} segments`);
    // Every X-Ray route but the health checks (registered before openSegment) served a segment.
    const unserved = ws.routes.filter((r) => r.framework === 'express' && r.pattern !== '/health' && !served.has(r));
    assert.deepEqual(
      unserved.map((r) => `${r.method} ${r.pattern}`),
      [],
    );
    const byPattern = new Map([...served].map(([r, n]) => [`${r.service} ${r.method} ${r.pattern}`, n]));
    assert.equal(byPattern.get('orders POST /checkout'), 12, 'ten plain checkouts and two ?slow=1');
    assert.equal(byPattern.get('orders GET /reports/daily'), 2);
  });

  it('matches the catalog’s OpenTelemetry server spans to the route they name in http.route', () => {
    type Attr = { key: string; value: { stringValue?: string } };
    let spans = 0;
    for (const b of otlpBodies()) {
      if (!b.contentType.includes('json')) continue;
      const body = JSON.parse(b.body.toString('utf8')) as {
        resourceSpans: { scopeSpans: { spans: { kind: number; attributes?: Attr[] }[] }[] }[];
      };
      for (const rs of body.resourceSpans)
        for (const ss of rs.scopeSpans)
          for (const span of ss.spans) {
            if (span.kind !== 2) continue;
            const attr = (...keys: string[]) => span.attributes?.find((a) => keys.includes(a.key))?.value.stringValue;
            const method = attr('http.request.method', 'http.method');
            const path = attr('url.path', 'http.target');
            if (!method || !path) continue;
            spans++;
            const route = matchRoute(ws.routes, method, `http://127.0.0.1:3003${path}`, { service: 'catalog' });
            assert.equal(route?.pattern, attr('http.route'), `${method} ${path}`);
            assert.equal(route?.path, catalog);
          }
    }
    assert.ok(spans > 0);
  });
});
