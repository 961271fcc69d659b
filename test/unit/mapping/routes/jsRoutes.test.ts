import * as assert from 'node:assert/strict';
import { findJsRoutes, scanJsRoutes } from '../../../../src/mapping/routes/jsRoutes';
import type { Route } from '../../../../src/mapping/routes/route';
import { dedent, expressOrdersRouter, expressServer, lineOf } from './inputs';

/** `METHOD pattern @line handler` per route, the handler line being where a lens goes. */
const summary = (routes: readonly Route[]) =>
  routes.map((r) => `${r.method} ${r.pattern} @${r.line}${r.handler ? ` ${r.handler}` : ''}`);

describe('mapping/routes/jsRoutes', () => {
  it('Express app: verbs, app.route() chains, same-file router mounts, handlers by name (local or imported) and inline', () => {
    const routes = findJsRoutes('server.js', expressServer);
    const L = (s: string) => lineOf(expressServer, s);
    assert.deepEqual(summary(routes), [
      `GET /users @${L("app.get('/users'")} listUsers`,
      `GET /users/:id(\\d+) @${L("app.get('/users/:id")} getUser`,
      `GET /books @${L('.get((req, res)')}`,
      `POST /books @${L('function createBook')} createBook`,
      `DELETE /admin/cache @${L('admin.delete')}`,
      `ANY /ping @${L('app.all')}`,
    ]);
    assert.ok(routes.every((r) => r.framework === 'express'));
    const books = routes.find((r) => r.method === 'POST')!;
    assert.deepEqual(books.declared, { path: 'server.js', line: L('.post(createBook)') });
  });

  it('knows routers made inline from require(), and receivers passed in as parameters', () => {
    const src = dedent(`
      const api = require('express').Router();
      const app = require('express')();
      api.get('/a', (req, res) => {});
      app.post('/b', (req, res) => {});
      module.exports = function register(router) {
        router.put('/c', (req, res) => {});
      };
    `);
    assert.deepEqual(summary(findJsRoutes('r.js', src)), ['GET /a @3', 'POST /b @4', 'PUT /c @6']);
  });

  it('leaves out look-alikes: Map#get, HTTP clients, supertest chains, non-path strings', () => {
    const routes = findJsRoutes(
      'x.js',
      dedent(`
      const cache = new Map();
      cache.get('/users');
      axios.get('/users/1');
      axios.post('/users', { name: 'x' });
      http.get('/status', (res) => res.resume());
      request(app).get('/users/1').expect(200);
      app.get('users', handler);
      router.get('/x');
      params.get('q');
    `),
    );
    assert.deepEqual(routes, []);
  });

  it('reports a router module, its imported handlers and its mounts for the workspace to join', () => {
    const scan = scanJsRoutes('routes/orders.js', expressOrdersRouter);
    assert.deepEqual(summary(scan.routes), [
      `GET / @${lineOf(expressOrdersRouter, 'async function list')} list`,
      `GET /:id @${lineOf(expressOrdersRouter, "router.get('/:id'")}`,
      `POST /:id/items @${lineOf(expressOrdersRouter, "router.post('/:id/items'")} addItem`,
    ]);
    assert.deepEqual(scan.mountable, [true, true, true]);
    const app = scanJsRoutes('server.js', expressServer);
    assert.deepEqual(
      app.mounts.map((m) => `${m.on} ${m.prefix} ${m.module}`),
      ['app /api/orders ./routes/orders'],
    );
    assert.deepEqual(app.handlerRefs.slice(0, 2), [
      { module: './controllers/users', name: 'listUsers' },
      { module: './controllers/users', name: 'getUser' },
    ]);
    assert.deepEqual(app.mountable.slice(0, 2), [false, false]);
  });

  it('Koa router: prefix option and prefix(), named routes, del and all', () => {
    const src = dedent(`
      import Router from '@koa/router';
      const router = new Router({ prefix: '/api' });
      const admin = new Router();
      admin.prefix('/admin');
      router.get('order', '/orders/:id', async (ctx) => { ctx.body = {}; });
      router.del('/orders/:id', remove);
      router.all('/echo', (ctx) => {});
      async function remove(ctx) {}
    `);
    const routes = findJsRoutes('koa.ts', src);
    assert.deepEqual(summary(routes), [
      'GET /api/orders/:id @5',
      'DELETE /api/orders/:id @8 remove',
      'ANY /api/echo @7',
    ]);
    assert.ok(routes.every((r) => r.framework === 'koa'));
  });

  it('Fastify: shorthand with options, route() objects with a method list, handler in the options, register() mounts', () => {
    const src = dedent(`
      import Fastify from 'fastify';
      const fastify = Fastify({ logger: true });
      fastify.get('/items/:id', { schema: { params: idSchema } }, async (request, reply) => ({}));
      fastify.post('/items', { handler: createItem });
      fastify.route({
        method: ['PUT', 'PATCH'],
        url: '/items/:id',
        handler: updateItem,
      });
      fastify.register(require('./routes/admin'), { prefix: '/admin' });
      async function createItem() {}
      function updateItem() {}
    `);
    const scan = scanJsRoutes('server.ts', src);
    assert.deepEqual(summary(scan.routes), [
      'GET /items/:id @3',
      'POST /items @11 createItem',
      'PUT /items/:id @12 updateItem',
      'PATCH /items/:id @12 updateItem',
    ]);
    assert.ok(scan.routes.every((r) => r.framework === 'fastify'));
    assert.deepEqual(
      scan.mounts.map((m) => `${m.prefix} ${m.module}`),
      ['/admin ./routes/admin'],
    );
  });

  it('hapi: server.route with one object or a list, wildcard method', () => {
    const src = dedent(`
      const Hapi = require('@hapi/hapi');
      const server = Hapi.server({ port: 3000 });
      server.route([
        { method: 'GET', path: '/users/{id}', handler: (request, h) => ({}) },
        { method: '*', path: '/{any*}', handler: notFound },
      ]);
      function notFound() {}
    `);
    assert.deepEqual(summary(findJsRoutes('hapi.js', src)), ['GET /users/{id} @4', 'ANY /{any*} @7 notFound']);
  });

  it('NestJS controllers: class prefix joined to method paths, decorators between, the method line as the handler', () => {
    const src = dedent(`
      import { Controller, Get, Post, Param, UseGuards } from '@nestjs/common';

      @Controller('orders')
      export class OrdersController {
        constructor(private readonly orders: OrdersService) {}

        @Get()
        findAll() {
          return this.orders.all();
        }

        @Get(':id')
        @UseGuards(AuthGuard)
        async findOne(@Param('id') id: string) {
          return this.orders.one(id);
        }

        @Post()
        create(@Body() dto: CreateOrderDto) {}
      }
    `);
    const routes = findJsRoutes('orders.controller.ts', src);
    assert.deepEqual(summary(routes), [
      'GET /orders @8 findAll',
      'GET /orders/:id @14 findOne',
      'POST /orders @19 create',
    ]);
    assert.equal(routes[1]!.declared.line, 12);
    assert.ok(routes.every((r) => r.framework === 'nestjs'));
  });

  it('a hand-written router naming its OpenTelemetry spans: updateName and http.route, said once per route', () => {
    const src = dedent(`
      async function route(req, res) {
        if (req.method === 'GET' && parts.length === 1) {
          span?.updateName('GET /products');
          span?.setAttribute('http.route', '/products');
        }
        span.setAttribute('http.route', '/other/:id');
        span.setAttribute('http.method', 'GET');
      }
    `);
    assert.deepEqual(summary(findJsRoutes('server.js', src)), ['GET /products @3', 'ANY /other/:id @6']);
  });

  it('TypeScript: typed app, Express 5 paths, handler wrapped in asyncHandler(), methods bound to a controller', () => {
    const src = dedent(`
      import express, { type Express } from 'express';
      import * as users from './users';
      const app: Express = express();
      app.get('/files/*splat', asyncHandler(async (req: Request, res: Response) => {}));
      app.get('/users/:id', users.getUser);
      app.delete('/users/:id', controller.remove.bind(controller));
    `);
    const scan = scanJsRoutes('app.ts', src);
    assert.deepEqual(summary(scan.routes), [
      'GET /files/*splat @4',
      'GET /users/:id @5 getUser',
      'DELETE /users/:id @6 remove',
    ]);
    assert.deepEqual(scan.handlerRefs[1], { module: './users', name: 'getUser' });
  });
});
