// A small workspace of every kind on disk: the walk, what only the whole workspace knows (routers
// and handlers from other modules, Lambda handlers in their files), and matching against it.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { matchRoute } from '../../../../src/mapping/routes/match';
import { collectRoutes, scanWorkspaceRoutes, type WorkspaceRoutes } from '../../../../src/mapping/routes/workspace';
import * as I from './inputs';

const files: Record<string, string> = {
  'sam-app/template.yaml': I.samTemplate,
  'sam-app/src/handlers/orders.ts': I.samOrdersTs,
  'sam-app/hello_world/app.py': I.samHelloPy,
  'sam-app/HelloJava/src/main/java/com/example/Handler.java': I.samHandlerJava,
  'inventory/template.json': I.cfnJson,
  'catalog/stack.yaml': I.cfnYaml,
  'catalog/catalog/api/search.py': I.cfnSearchPy,
  'users/serverless.yml': I.serverlessYml,
  'users/src/users.js': I.slsUsersJs,
  'users/reports/handler.py': I.slsReportPy,
  'flask-app/app.py': I.flaskApp,
  'fastapi-app/app/main.py': I.fastapiMain,
  'fastapi-app/app/routers/items.py': I.fastapiItems,
  'spring-app/src/main/java/com/example/orders/OrderController.java': I.springController,
  'spring-app/pom.xml': '<project><artifactId>orders-spring</artifactId></project>\n',
  'spring-app/src/main/resources/application.properties': 'spring.application.name=orders-spring\n',
  'flask-app/.env': 'OTEL_SERVICE_NAME=orders-flask\n',
  'express-app/server.js': I.expressServer,
  'express-app/routes/orders.js': I.expressOrdersRouter,
  'express-app/controllers/users.js': I.expressUsersController,
  'express-app/tracing.js': "app.use(AWSXRay.express.openSegment('shop-api'));\n",
  // Never read: dependencies, build output, a compiled twin of a TypeScript file.
  'express-app/node_modules/express/lib/router.js': "router.get('/from-node-modules', (req, res) => {});\n",
  'express-app/dist/server.js': "app.get('/from-dist', (req, res) => {});\n",
  'sam-app/src/handlers/orders.js': "exports.getOrder = async () => {}; app.get('/compiled-twin', (req, res) => {});\n",
  '.env': 'OTEL_SERVICE_NAME=root-env\n',
};

describe('mapping/routes/workspace', () => {
  let root: string;
  let ws: WorkspaceRoutes;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'trace-lens-routes-'));
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    }
    ws = await scanWorkspaceRoutes(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const rel = (p: string) =>
    p
      .slice(root.length + 1)
      .split('\\')
      .join('/');
  const find = (method: string, pattern: string) => ws.routes.find((r) => r.method === method && r.pattern === pattern);

  it('skips node_modules, build output and compiled twins of TypeScript files', () => {
    for (const p of ['/from-node-modules', '/from-dist', '/compiled-twin'])
      assert.equal(
        ws.routes.find((r) => r.pattern === p),
        undefined,
        p,
      );
  });

  it('resolves every Lambda handler of the templates to its file and line', () => {
    const handlers = Object.fromEntries(
      ws.functions.map((f) => [f.fn.id, f.handler ? `${rel(f.handler.path)}:${f.handler.line}` : '-']),
    );
    assert.deepEqual(handlers, {
      GetOrderFunction: `sam-app/src/handlers/orders.ts:${I.lineOf(I.samOrdersTs, 'export const getOrder')}`,
      CreateOrderFunction: `sam-app/src/handlers/orders.ts:${I.lineOf(I.samOrdersTs, 'export async function createOrder')}`,
      HelloFunction: `sam-app/hello_world/app.py:${I.lineOf(I.samHelloPy, 'def lambda_handler')}`,
      JavaFunction: `sam-app/HelloJava/src/main/java/com/example/Handler.java:${I.lineOf(I.samHandlerJava, 'public String handleRequest')}`,
      StockFunction: `inventory/template.json:${I.lineOf(I.cfnJson, '"ZipFile"')}`,
      CatalogFunction: `catalog/catalog/api/search.py:${I.lineOf(I.cfnSearchPy, 'def main')}`,
      getUser: `users/src/users.js:${I.lineOf(I.slsUsersJs, 'async function get')}`,
      createUser: `users/src/users.js:${I.lineOf(I.slsUsersJs, 'const create')}`,
      report: `users/reports/handler.py:1`,
    });
  });

  it('puts template routes at their handlers and keeps where the template declares them', () => {
    const r = find('GET', '/orders/{id}')!;
    assert.equal(rel(r.path), 'sam-app/src/handlers/orders.ts');
    assert.equal(r.handler, 'getOrder');
    assert.equal(rel(r.declared.path), 'sam-app/template.yaml');
    assert.equal(r.lambda, 'GetOrderFunction');
  });

  it('Express: a router module gets the prefix of the app that mounts it, and imported handlers point into their module', () => {
    const list = find('GET', '/api/orders')!;
    assert.equal(rel(list.path), 'express-app/routes/orders.js');
    assert.equal(list.line, I.lineOf(I.expressOrdersRouter, 'async function list'));
    assert.ok(find('POST', '/api/orders/:id/items'));
    assert.equal(
      ws.routes.find((r) => r.pattern === '/:id'),
      undefined,
      'no unprefixed copy',
    );
    const user = find('GET', '/users/:id(\\d+)')!;
    assert.equal(rel(user.path), 'express-app/controllers/users.js');
    assert.equal(user.line, I.lineOf(I.expressUsersController, 'exports.getUser'));
    assert.equal(rel(user.declared.path), 'express-app/server.js');
    assert.equal(user.service, 'shop-api', 'the service named in the same folder');
  });

  it('FastAPI: a router module included by main.py gets the include prefix before its own', () => {
    const item = find('GET', '/v1/items/{item_id}')!;
    assert.equal(rel(item.path), 'fastapi-app/app/routers/items.py');
    assert.equal(
      ws.routes.find((r) => r.pattern === '/items/{item_id}'),
      undefined,
    );
  });

  it('matches requests to routes of every kind in one workspace', () => {
    const cases: [string, string, string][] = [
      [
        'GET',
        'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders/o-17',
        'sam-app/src/handlers/orders.ts getOrder',
      ],
      [
        'POST',
        'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders',
        'sam-app/src/handlers/orders.ts createOrder',
      ],
      [
        'GET',
        'https://x.execute-api.us-east-1.amazonaws.com/Prod/hello?name=a',
        'sam-app/hello_world/app.py lambda_handler',
      ],
      ['GET', 'https://x.execute-api.us-east-1.amazonaws.com/v1/stock/SKU-1', 'inventory/template.json handler'],
      [
        'GET',
        'https://x.execute-api.us-east-1.amazonaws.com/staging/products/p-1',
        'catalog/catalog/api/search.py main',
      ],
      ['GET', 'https://x.execute-api.us-east-1.amazonaws.com/dev/users/u-1', 'users/src/users.js get'],
      ['DELETE', 'http://localhost:5000/api/orders/12', 'flask-app/app.py order'],
      ['GET', 'http://localhost:8000/v1/users/3/avatar', 'fastapi-app/app/main.py avatar'],
      [
        'PUT',
        'http://localhost:8080/api/orders/42/cancel',
        'spring-app/src/main/java/com/example/orders/OrderController.java cancel',
      ],
      ['POST', 'http://localhost:3000/api/orders/9/items', 'express-app/routes/orders.js addItem'],
      ['HEAD', 'http://localhost:3000/books', 'express-app/server.js -'],
    ];
    for (const [method, url, want] of cases) {
      const r = matchRoute(ws.routes, method, url);
      assert.equal(r ? `${rel(r.path)} ${r.handler ?? '-'}` : 'no route', want, `${method} ${url}`);
    }
  });

  it('tells apart two services declaring the same route by the segment’s service', () => {
    const url = 'http://localhost/api/orders/42';
    const spring = matchRoute(ws.routes, 'GET', url, { service: 'orders-spring' })!;
    assert.equal(
      `${rel(spring.path)} ${spring.handler}`,
      'spring-app/src/main/java/com/example/orders/OrderController.java get',
    );
    assert.equal(spring.service, 'orders-spring', 'from application.properties in its project (pom.xml)');
    const flask = matchRoute(ws.routes, 'GET', url, { service: 'orders-flask' })!;
    assert.equal(`${rel(flask.path)} ${flask.handler}`, 'flask-app/app.py order');
  });

  it('collects the workspace’s services, and the pure collectRoutes gives the same routes as the walk', () => {
    assert.ok(ws.services.some((s) => s.name === 'shop-api' && rel(s.source) === 'express-app/tracing.js'));
    assert.ok(ws.services.some((s) => s.name === 'root-env' && rel(s.source) === '.env'));
    assert.ok(ws.services.some((s) => s.name === 'hello-python'));
    const read = Object.entries(files)
      .filter(([p]) => !p.includes('node_modules') && !p.includes('/dist/') && !p.endsWith('orders.js'))
      .map(([p, text]) => ({ path: join(root, p), text }));
    read.push({ path: join(root, 'express-app/routes/orders.js'), text: I.expressOrdersRouter });
    const pure = collectRoutes(read);
    const key = (r: { method: string; pattern: string; path: string; line: number; service?: string }) =>
      `${r.method} ${r.pattern} ${r.path}:${r.line} ${r.service}`;
    assert.deepEqual(pure.routes.map(key).sort(), ws.routes.map(key).sort());
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(scanWorkspaceRoutes(root, { signal: ac.signal }), /stop/);
  });
});
