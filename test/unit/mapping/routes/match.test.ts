import * as assert from 'node:assert/strict';
import { matchRoute, matchRoutes, urlPath } from '../../../../src/mapping/routes/match';
import { compilePattern } from '../../../../src/mapping/routes/pattern';
import type { Route, RouteFramework } from '../../../../src/mapping/routes/route';

/** A route with only what matching reads. */
function route(
  method: string,
  pattern: string,
  framework: RouteFramework = 'express',
  extra: Partial<Route> = {},
): Route {
  return { method, pattern, framework, path: 'x', line: 1, declared: { path: 'x', line: 1 }, ...extra };
}

const hit = (routes: Route[], method: string, url: string, opts = {}) => matchRoute(routes, method, url, opts)?.pattern;

describe('mapping/routes/match', () => {
  it('takes the path from full URLs and bare paths: no host, port, query, fragment or trailing slash', () => {
    assert.equal(urlPath('http://127.0.0.1:40965/orders/1001?x=1#top'), '/orders/1001');
    assert.equal(urlPath('https://api.example.com/prod/'), '/prod');
    assert.equal(urlPath('/reports/daily?days=30'), '/reports/daily');
    assert.equal(urlPath('orders/1'), '/orders/1');
    assert.equal(urlPath('http://h/'), '/');
    assert.equal(urlPath('http://h/files/a%20b/c%2Fd'), '/files/a b/c%2Fd');
  });

  it('reads the parameter syntax of every framework', () => {
    const cases: [RouteFramework, string, string[], string[]][] = [
      ['express', '/orders/:id', ['/orders/1', '/orders/abc/'], ['/orders', '/orders/1/x']],
      ['express', '/users/:id(\\d+)', ['/users/42'], ['/users/me']],
      ['express', '/files/:name.:ext', ['/files/a.txt'], ['/files/a']],
      ['express', '/opt/:id?', ['/opt', '/opt/1'], ['/opt/1/2']],
      ['express', '/assets/*', ['/assets/a/b.css', '/assets'], ['/other']],
      ['express', '/v5/*splat', ['/v5/a/b'], ['/v5']],
      ['express', '/v5/items{/:id}', ['/v5/items', '/v5/items/3'], ['/v5/items/3/4']],
      ['spring', '/api/orders/{id:\\d+}', ['/api/orders/7'], ['/api/orders/x']],
      ['spring', '/static/**', ['/static', '/static/a/b'], []],
      ['spring', '/one/*/end', ['/one/x/end'], ['/one/x/y/end']],
      ['fastapi', '/items/{item_id}', ['/items/a-1'], ['/items/a/b']],
      ['fastapi', '/files/{file_path:path}', ['/files/a/b/c.txt'], ['/files']],
      ['fastapi', '/n/{n:int}', ['/n/12'], ['/n/x']],
      ['flask', '/orders/<int:order_id>', ['/orders/5'], ['/orders/five']],
      ['flask', '/files/<path:name>', ['/files/x/y'], []],
      ['flask', '/u/<name>', ['/u/ann'], ['/u/ann/x']],
      ['hapi', '/users/{id}', ['/users/1'], ['/users']],
      ['hapi', '/users/{id?}', ['/users', '/users/1'], ['/users/1/2']],
      ['hapi', '/static/{path*}', ['/static', '/static/a/b'], []],
      ['apigateway', '/items/{proxy+}', ['/items/a', '/items/a/b'], ['/items']],
      ['apigateway', '$default', ['/anything/at/all', '/'], []],
    ];
    for (const [framework, pattern, yes, no] of cases) {
      const c = compilePattern(pattern, framework);
      assert.ok(c, `${pattern} compiles`);
      for (const p of yes) assert.ok(c.regex.test(urlPath(p)), `${framework} ${pattern} matches ${p}`);
      for (const p of no) assert.ok(!c.regex.test(urlPath(p)), `${framework} ${pattern} does not match ${p}`);
    }
  });

  it('picks the most specific route: literal over parameter over catch-all, and the shorter pattern over an optional tail', () => {
    const routes = [
      route('GET', '/orders/*'),
      route('GET', '/orders/:id'),
      route('GET', '/orders/summary'),
      route('GET', '/orders/:id/*'),
      route('ANY', '/:any/:thing'),
    ];
    assert.equal(hit(routes, 'GET', '/orders/summary'), '/orders/summary');
    assert.equal(hit(routes, 'GET', '/orders/12'), '/orders/:id');
    assert.equal(hit(routes, 'GET', '/orders/12/lines/3'), '/orders/:id/*');
    assert.equal(hit(routes, 'POST', '/orders/12'), '/:any/:thing');
    assert.deepEqual(
      matchRoutes(routes, 'GET', '/orders/12').map((m) => m.route.pattern),
      ['/orders/:id', '/orders/:id/*', '/orders/*', '/:any/:thing'],
    );
  });

  it('matches methods: the same method before ANY, GET routes answer HEAD, no method means any route', () => {
    const routes = [route('ANY', '/x'), route('GET', '/x'), route('POST', '/y')];
    assert.equal(matchRoute(routes, 'GET', '/x'), routes[1]);
    assert.equal(matchRoute(routes, 'get', '/x'), routes[1]);
    assert.equal(matchRoute(routes, 'DELETE', '/x'), routes[0]);
    assert.equal(matchRoute([route('GET', '/x')], 'HEAD', '/x')?.method, 'GET');
    assert.equal(matchRoute(routes, 'GET', '/y'), undefined);
    assert.equal(matchRoute(routes, undefined, '/y'), routes[2]);
  });

  it('lets an API Gateway REST route match behind its stage, and any stage when the stage is not literal', () => {
    const prod = route('GET', '/orders/{id}', 'apigateway', { stages: ['prod'] });
    const any = route('GET', '/stock/{sku}', 'apigateway', { stages: 'any' });
    const proxy = route('ANY', '/{proxy+}', 'apigateway', { stages: ['prod'] });
    const routes = [proxy, prod, any];
    assert.equal(hit(routes, 'GET', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/orders/1'), '/orders/{id}');
    assert.equal(
      hit(routes, 'GET', 'https://api.example.com/orders/1'),
      '/orders/{id}',
      'custom domain: no stage in the path',
    );
    assert.equal(hit([prod], 'GET', 'https://x/dev/orders/1'), undefined, 'another stage');
    assert.equal(hit(routes, 'GET', 'https://x/v7/stock/SKU-1'), '/stock/{sku}');
    assert.deepEqual(matchRoutes([prod], 'GET', '/prod/orders/1')[0]?.strippedPrefix, '/prod');
    // Code routes have no stage: the first segment is part of the path.
    assert.equal(hit([route('GET', '/orders/:id')], 'GET', '/prod/orders/1'), undefined);
  });

  it('tries base paths a proxy adds, after the path as it is', () => {
    const routes = [route('GET', '/orders/:id'), route('GET', '/api/orders/:id/x')];
    assert.equal(hit(routes, 'GET', '/api/orders/1', { basePaths: ['/api/'] }), '/orders/:id');
    assert.equal(hit(routes, 'GET', '/api/orders/1/x', { basePaths: ['/api'] }), '/api/orders/:id/x');
    assert.equal(hit(routes, 'GET', '/api/orders/1'), undefined);
  });

  it('leaves out routes of another service, keeps routes whose service is unknown', () => {
    const routes = [
      route('GET', '/health', 'express', { service: 'orders' }),
      route('GET', '/health', 'express', { service: 'inventory' }),
      route('GET', '/ping'),
    ];
    assert.equal(matchRoute(routes, 'GET', '/health', { service: 'inventory' }), routes[1]);
    assert.equal(matchRoute(routes, 'GET', '/ping', { service: 'inventory' }), routes[2]);
    assert.equal(matchRoute(routes, 'GET', '/health', { service: 'catalog' }), undefined);
  });

  it('is case-insensitive for Express and Koa (their default), case-sensitive elsewhere', () => {
    assert.equal(hit([route('GET', '/Orders/:id')], 'GET', '/orders/1'), '/Orders/:id');
    assert.equal(hit([route('GET', '/Orders/{id}', 'spring')], 'GET', '/orders/1'), undefined);
  });

  it('skips patterns it cannot read instead of throwing', () => {
    assert.equal(compilePattern('/bad/:id([)', 'express'), undefined);
    assert.equal(compilePattern('/bad/{id', 'spring'), undefined);
    assert.equal(hit([route('GET', '/bad/:id(['), route('GET', '/bad/:id')], 'GET', '/bad/1'), '/bad/:id');
  });
});
