import * as assert from 'node:assert/strict';
import { findJavaRoutes } from '../../../../src/mapping/routes/javaRoutes';
import { findPythonRoutes, scanPythonRoutes } from '../../../../src/mapping/routes/pythonRoutes';
import type { Route } from '../../../../src/mapping/routes/route';
import { matchRoute } from '../../../../src/mapping/routes/match';
import { dedent, fastapiItems, fastapiMain, flaskApp, jaxrsResource, lineOf, springController } from './inputs';

/** `METHOD pattern @line handler (declared)` per route. */
const summary = (routes: readonly Route[]) =>
  routes.map((r) => `${r.method} ${r.pattern} @${r.line} ${r.handler ?? '-'} (${r.declared.line})`);

describe('mapping/routes/python and java', () => {
  it('Flask: route with and without methods, shorthand verbs, stacked decorators, converters, add_url_rule, and a registration prefix replacing the blueprint’s', () => {
    const L = (s: string) => lineOf(flaskApp, s);
    assert.deepEqual(summary(findPythonRoutes('app.py', flaskApp)), [
      `GET /health @${L('def health')} health (${L('@app.route("/health")')})`,
      `GET /api/orders/<int:order_id> @${L('def order(')} order (${L('@orders.route(')})`,
      `DELETE /api/orders/<int:order_id> @${L('def order(')} order (${L('@orders.route(')})`,
      `POST /api/orders @${L('def create_order')} create_order (${L('@orders.post')})`,
      `GET /files/<path:name> @${L('def files')} files (${L('@app.route("/files')})`,
      `POST /legacy @${L('def legacy')} legacy (${L('add_url_rule')})`,
    ]);
  });

  it('FastAPI: router prefix plus include_router prefix, api_route methods, and a mount of another module’s router', () => {
    const L = (s: string) => lineOf(fastapiMain, s);
    const scan = scanPythonRoutes('main.py', fastapiMain);
    assert.deepEqual(summary(scan.routes), [
      `GET /v1/users/{user_id} @${L('async def read_user')} read_user (${L('@router.get')})`,
      `GET /v1/users/{user_id}/avatar @${L('async def avatar')} avatar (${L('@router.api_route')})`,
      `HEAD /v1/users/{user_id}/avatar @${L('async def avatar')} avatar (${L('@router.api_route')})`,
      `GET / @${L('def root')} root (${L('@app.get')})`,
    ]);
    assert.ok(scan.routes.every((r) => r.framework === 'fastapi'));
    assert.deepEqual(
      scan.mounts.map((m) => `${m.from} ${m.name} ${m.receiver} ${m.prefix} ${m.replaces}`),
      ['.routers items router /v1 false'],
    );
    assert.deepEqual(
      findPythonRoutes('routers/items.py', fastapiItems).map((r) => `${r.method} ${r.pattern}`),
      ['GET /items/{item_id}', 'PUT /items/{item_id}', 'GET /items/files/{file_path:path}'],
    );
  });

  it('Python look-alikes are no routes: dict.get, requests.get, a decorator without a path', () => {
    const src = dedent(`
      value = params.get("/x")
      r = requests.get("/api/users")

      @cache.get
      def cached():
          pass

      @app.get(PATH)
      def constant_path():
          pass
    `);
    assert.deepEqual(findPythonRoutes('x.py', src), []);
  });

  it('Spring: class prefix, mappings with and without paths, method lists, path arrays, regex variables; constants give nothing', () => {
    const L = (s: string) => lineOf(springController, s);
    const routes = findJavaRoutes('OrderController.java', springController);
    assert.deepEqual(summary(routes), [
      `GET /api/orders/{id:\\d+} @${L('public ResponseEntity<Order> get(')} get (${L('@GetMapping("/{id')})`,
      `GET /api/orders @${L('public List<Order> list(')} list (${L('public List<Order> list(') - 1})`,
      `POST /api/orders @${L('public Order create(')} create (${L('@PostMapping')})`,
      `POST /api/orders/{id}/cancel @${L('public Order cancel(')} cancel (${L('@RequestMapping(value')})`,
      `PUT /api/orders/{id}/cancel @${L('public Order cancel(')} cancel (${L('@RequestMapping(value')})`,
      `DELETE /api/orders/{id} @${L('public void delete(')} delete (${L('@DeleteMapping')})`,
      `DELETE /api/orders/{id}/purge @${L('public void delete(')} delete (${L('@DeleteMapping')})`,
    ]);
    assert.ok(routes.every((r) => r.framework === 'spring'));
    assert.equal(matchRoute(routes, 'GET', 'http://localhost:8080/api/orders/42')?.handler, 'get');
    assert.equal(
      matchRoute(routes, 'GET', 'http://localhost:8080/api/orders/abc'),
      undefined,
      '{id:\\d+} wants digits',
    );
    assert.equal(matchRoute(routes, 'PUT', '/api/orders/42/cancel')?.handler, 'cancel');
  });

  it('Spring: @RequestMapping without a method is ANY, and with a path attribute; an interface of mappings counts too', () => {
    const src = dedent(`
      @RequestMapping(path = "/v2")
      public interface Api {
          @RequestMapping("/status")
          String status();

          @GetMapping(value = "/items/{id}", produces = "application/json")
          Item item(@PathVariable String id);
      }
    `);
    assert.deepEqual(
      findJavaRoutes('Api.java', src).map((r) => `${r.method} ${r.pattern} ${r.handler}`),
      ['ANY /v2/status status', 'GET /v2/items/{id} item'],
    );
  });

  it('JAX-RS: class @Path joined to the method’s, verbs as annotations', () => {
    assert.deepEqual(
      findJavaRoutes('StockResource.java', jaxrsResource).map(
        (r) => `${r.method} ${r.pattern} ${r.handler} ${r.framework}`,
      ),
      ['GET /stock/{sku} get jaxrs', 'POST /stock reserve jaxrs'],
    );
  });
});
