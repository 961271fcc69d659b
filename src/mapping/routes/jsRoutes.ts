// Routes declared in JavaScript and TypeScript: Express, Koa router, Fastify, Hono and the like
// (`app.get('/x', h)`, `router.post('/orders/:id', h)`, `app.route('/x').get(h).post(h2)`), object
// routes (Fastify and hapi `route({ method, url | path, handler })`), NestJS controllers
// (`@Controller('orders')` + `@Get(':id')`), and the route names a hand-written router gives its
// OpenTelemetry span (`span.updateName('GET /x')`, `setAttribute('http.route', '/x')`).
//
// `get` is a common method name (maps, HTTP clients, supertest), so a call only counts as a route
// when its receiver was made by a router factory in the file (`express()`, `Router()`, `fastify()`,
// `new Hono()`), or is named like one (`app`, `router`, `server`, `fastify`, `…Router`, `…App`),
// and when its last argument can be a handler (a function, a name, a wrapper call), so
// `axios.get('/x')` and `api.post('/x', body)` are not routes.
import { jsDefinitions, startsFunction } from './functions';
import type { Route, RouteFramework } from './route';
import { C, Kind, TokenList, joinPaths } from './tokenList';

/** A handler passed by a name that another module defines. */
export interface ImportRef {
  /** The module specifier as written: `./controllers/orders`. */
  readonly module: string;
  /** The export to look for: a name, or `default`. */
  readonly name: string;
}

/** A router that another module defines, mounted under a prefix: `app.use('/orders', ordersRouter)`. */
export interface Mount {
  readonly prefix: string;
  readonly module: string;
  /** The receiver the mount is made on, whose own prefixes add in front. */
  readonly on: string;
  readonly line: number;
}

/** What a JS/TS file declares. */
export interface JsRouteScan {
  /** Routes with the prefixes known inside the file applied. */
  readonly routes: Route[];
  /** Per route: declared on a router another module may mount (not on an app). */
  readonly mountable: boolean[];
  /** Per route: the handler, when it is imported from another module. */
  readonly handlerRefs: (ImportRef | undefined)[];
  readonly mounts: Mount[];
}

const verbs: ReadonlyMap<string, string> = new Map(
  Object.entries({
    get: 'GET',
    post: 'POST',
    put: 'PUT',
    delete: 'DELETE',
    del: 'DELETE',
    patch: 'PATCH',
    head: 'HEAD',
    options: 'OPTIONS',
    all: 'ANY',
  }),
);

const nestVerbs: ReadonlyMap<string, string> = new Map(
  Object.entries({
    Get: 'GET',
    Post: 'POST',
    Put: 'PUT',
    Delete: 'DELETE',
    Patch: 'PATCH',
    Head: 'HEAD',
    Options: 'OPTIONS',
    All: 'ANY',
  }),
);

/** `?.`, as the lexer codes it. */
const P_OPTIONAL_DOT = 1007;

const routerName =
  /^(app|router|server|fastify|routes|route|hono|koa|instance)$|(App|Router|Routes|Server|app|router)$/;

interface Binding {
  readonly framework: RouteFramework;
  /** An application (`express()`, `fastify()`), never mounted by another module. */
  readonly app: boolean;
  prefix?: string;
}

/** The framework a file's imports name, for receivers not made in the file. */
function frameworkOfImports(text: string): RouteFramework {
  if (/['"](?:@koa\/router|koa-router|koa)['"]/.test(text)) return 'koa';
  if (/['"]fastify['"]/.test(text)) return 'fastify';
  if (/['"]@hapi\/hapi['"]/.test(text)) return 'hapi';
  if (/['"]hono['"]/.test(text)) return 'hono';
  return 'express';
}

const methodOf = (s: string) => {
  const m = s.toUpperCase();
  return m === '*' ? 'ANY' : m;
};

/** Scans one JS/TS file. */
export function scanJsRoutes(path: string, text: string): JsRouteScan {
  return new JsScanner(path, text).run();
}

/** The routes one JS/TS file declares, with the prefixes known inside the file. */
export function findJsRoutes(path: string, text: string): Route[] {
  return scanJsRoutes(path, text).routes;
}

interface Raw {
  route: Route;
  mountable: boolean;
  ref?: ImportRef;
}

interface HandlerInfo {
  name?: string;
  line?: number;
  ref?: ImportRef;
}

class JsScanner {
  private readonly t: TokenList;
  private readonly defs: Map<string, number>;
  private readonly imports = new Map<string, ImportRef>();
  private readonly bindings = new Map<string, Binding>();
  /** Same-file mounts: router → [{ parent, prefix }]. */
  private readonly localMounts = new Map<string, { parent: string; prefix: string }[]>();
  private readonly mounts: Mount[] = [];
  private readonly raw: Raw[] = [];
  private readonly defaultFramework: RouteFramework;

  constructor(
    private readonly path: string,
    text: string,
  ) {
    this.t = new TokenList(text, 'js');
    this.defs = jsDefinitions(this.t);
    this.defaultFramework = frameworkOfImports(text);
  }

  run(): JsRouteScan {
    const t = this.t;
    for (let i = 0; i < t.count; i++) this.binding(i);
    for (let i = 0; i < t.count; i++) this.mount(i);
    for (let i = 0; i < t.count; i++) {
      if (t.ident(i) && (t.punct(i - 1, C.dot) || t.code[i - 1] === P_OPTIONAL_DOT) && t.punct(i + 1, C.lparen)) {
        const name = t.tok(i);
        if (verbs.has(name)) this.verbCall(i);
        else if (name === 'route') this.objectRoute(i);
        else if (name === 'updateName' || name === 'setAttribute') this.otelRoute(i);
      }
    }
    this.nest();
    return this.finish();
  }

  // ---- what names mean in this file ------------------------------------------------------

  /** Imports, requires and router factories assigned to names. */
  private binding(i: number): void {
    const t = this.t;
    if (t.ident(i, 'import') && !t.punct(i + 1, C.lparen) && !t.punct(i - 1, C.dot)) {
      this.esImport(i);
      return;
    }
    const eq = this.assignment(i);
    if (eq < 0) {
      // `const { a, b: c } = require('m')`
      if (t.punct(i, C.lbrace) && t.match[i]! > i && t.punct(t.match[i]! + 1, C.eq)) {
        const module = this.requireAt(t.match[i]! + 2);
        if (module) {
          for (const [from, to] of t.args(i)) {
            const local = to - from === 3 && t.punct(from + 1, C.colon) ? t.tok(from + 2) : t.tok(from);
            this.imports.set(local, { module: module.module, name: t.tok(from) });
          }
        }
      }
      return;
    }
    const name = t.tok(i);
    const r = this.requireAt(eq + 1);
    if (r) {
      // `const x = require('m')` or `const x = require('m').y`
      // `require('express').Router()` makes a router; `require('m').x` imports x.
      const made =
        t.punct(r.end, C.dot) && t.ident(r.end + 1) && t.punct(r.end + 2, C.lparen)
          ? this.factory(t.tok(r.end + 1))
          : undefined;
      if (made) this.bindings.set(name, made);
      else if (t.punct(r.end, C.dot) && t.ident(r.end + 1))
        this.imports.set(name, { module: r.module, name: t.tok(r.end + 1) });
      else if (t.punct(r.end, C.lparen)) {
        if (r.module === 'express' || r.module === 'fastify' || r.module === 'polka')
          this.bindings.set(name, { framework: r.module === 'fastify' ? 'fastify' : 'express', app: true });
      } else this.imports.set(name, { module: r.module, name: 'default' });
      return;
    }
    let j = eq + 1;
    if (t.ident(j, 'new')) j++;
    const chain: string[] = [];
    while (t.ident(j)) {
      chain.push(t.tok(j));
      if (!t.punct(j + 1, C.dot)) break;
      j += 2;
    }
    if (!t.punct(j + 1, C.lparen) || chain.length === 0) return;
    const factory = chain[chain.length - 1]!;
    const b = this.factory(factory);
    if (!b) return;
    // `new Router({ prefix: '/api' })` (Koa).
    const [first] = t.args(j + 1);
    if (first && t.punct(first[0], C.lbrace)) {
      const p = t.kwarg(t.args(first[0]), 'prefix');
      const s = t.strArg(p);
      if (s !== undefined) b.prefix = s;
    }
    this.bindings.set(name, b);
  }

  /** The `=` after a name being assigned at i (`x =`, `const x: T =`), or -1. */
  private assignment(i: number): number {
    const t = this.t;
    if (!t.ident(i) || t.punct(i - 1, C.dot)) return -1;
    if (t.punct(i + 1, C.eq)) return i + 1;
    if (!t.punct(i + 1, C.colon) || !(t.ident(i - 1, 'const') || t.ident(i - 1, 'let') || t.ident(i - 1, 'var')))
      return -1;
    for (let k = i + 2; k < Math.min(t.count, i + 16); k++) {
      if (t.punct(k, C.eq)) return k;
      if (t.punct(k, C.semi) || t.punct(k, C.lparen)) return -1;
    }
    return -1;
  }

  private factory(name: string): Binding | undefined {
    if (name === 'express' || name === 'polka') return { framework: 'express', app: true };
    if (name === 'Router') return { framework: this.defaultFramework === 'koa' ? 'koa' : 'express', app: false };
    if (name === 'KoaRouter') return { framework: 'koa', app: false };
    if (name === 'fastify' || name === 'Fastify') return { framework: 'fastify', app: true };
    // Hono apps are mounted into each other (`app.route('/api', sub)`), so none is the top for sure.
    if (name === 'Hono') return { framework: 'hono', app: false };
    return undefined;
  }

  /** `require('m')` at j: the module and the token after the call. */
  private requireAt(j: number): { module: string; end: number } | undefined {
    const t = this.t;
    if (!t.ident(j, 'require') || !t.punct(j + 1, C.lparen)) return undefined;
    const module = t.str(j + 2);
    if (module === undefined || !t.punct(j + 3, C.rparen)) return undefined;
    return { module, end: j + 4 };
  }

  private esImport(i: number): void {
    const t = this.t;
    let j = i + 1;
    if (t.ident(j, 'type')) return;
    const locals: { local: string; name: string }[] = [];
    for (; j < t.count && j < i + 400; j++) {
      if (t.ident(j, 'from') && t.kind[j + 1] === Kind.Str) {
        const module = t.str(j + 1)!;
        for (const l of locals) this.imports.set(l.local, { module, name: l.name });
        return;
      }
      if (t.kind[j] === Kind.Str || t.punct(j, C.semi)) return; // `import 'm'`
      if (t.punct(j, C.star) && t.ident(j + 1, 'as')) {
        locals.push({ local: t.tok(j + 2), name: 'default' });
        j += 2;
      } else if (t.punct(j, C.lbrace)) {
        for (const [from, to] of t.args(j)) {
          const k = t.ident(from, 'type') && to - from > 1 ? from + 1 : from;
          const local = to - k === 3 && t.ident(k + 1, 'as') ? t.tok(k + 2) : t.tok(k);
          locals.push({ local, name: t.tok(k) });
        }
        j = t.match[j]! > j ? t.match[j]! : j;
      } else if (t.ident(j) && !t.ident(j, 'as')) locals.push({ local: t.tok(j), name: 'default' });
    }
  }

  /** `x.use('/p', router)`, `x.register(routes, { prefix: '/p' })`, `x.route('/p', sub)` (Hono). */
  private mount(i: number): void {
    const t = this.t;
    if (!t.ident(i) || !t.punct(i - 1, C.dot) || !t.punct(i + 1, C.lparen) || !t.ident(i - 2)) return;
    const kind = t.tok(i);
    if (kind !== 'use' && kind !== 'register' && kind !== 'route') return;
    const on = t.tok(i - 2);
    const args = t.args(i + 1);
    let prefix: string | undefined;
    let targets: [number, number][];
    if (kind === 'register') {
      const opts = args[1];
      if (!opts || !t.punct(opts[0], C.lbrace)) return;
      prefix = t.strArg(t.kwarg(t.args(opts[0]), 'prefix'));
      targets = args.slice(0, 1);
    } else {
      prefix = t.strArg(args[0]);
      targets = args.slice(1);
      if (kind === 'route' && targets.length !== 1) return;
    }
    if (prefix === undefined || !prefix.startsWith('/')) return;
    for (const [from, to] of targets) {
      if (to - from === 1 && t.ident(from)) {
        const name = t.tok(from);
        if (this.bindings.has(name) || this.routerLike(name)) {
          const list = this.localMounts.get(name) ?? [];
          list.push({ parent: on, prefix });
          this.localMounts.set(name, list);
        }
        const imp = this.imports.get(name);
        if (imp) this.mounts.push({ prefix, module: imp.module, on, line: t.line[i]! });
      } else {
        const r = this.requireAt(from);
        if (r && r.end === to) this.mounts.push({ prefix, module: r.module, on, line: t.line[i]! });
      }
    }
  }

  private routerLike(name: string): boolean {
    return routerName.test(name);
  }

  /** The receiver's binding, or one inferred from its name; undefined when it is no router. */
  private receiver(name: string): Binding | undefined {
    const b = this.bindings.get(name);
    if (b) return b;
    // A name imported from a package (`import got from 'got'`) is that package's object, not a router.
    if (this.imports.get(name)?.module.startsWith('.') === false) return undefined;
    return this.routerLike(name)
      ? { framework: this.defaultFramework, app: name === 'app' || name === 'server' || name === 'fastify' }
      : undefined;
  }

  // ---- routes ---------------------------------------------------------------------------------

  /** `recv.get(path, …handlers)`, `recv.route(path).get(…)`. */
  private verbCall(i: number): void {
    const t = this.t;
    const method = verbs.get(t.tok(i))!;
    const open = i + 1;
    const args = t.args(open);
    const root = this.chainRoot(i - 2);
    if (!root) return;
    let paths: string[] | undefined;
    let handlers: [number, number][];
    // In a `route('/x').get(h).post(h2)` chain each method is declared where it is written.
    const declaredLine = t.line[i]!;
    if (root.path !== undefined) {
      paths = [root.path];
      handlers = args;
    } else {
      paths = t.strList(args[0]);
      handlers = args.slice(1);
      // Koa's named routes: `router.get('name', '/path', h)`.
      const second = t.strArg(args[1]);
      if (paths?.length === 1 && !paths[0]!.startsWith('/') && second?.startsWith('/')) {
        paths = [second];
        handlers = args.slice(2);
      }
    }
    if (!paths || paths.length === 0 || handlers.length === 0) return;
    if (!paths.every((p) => p.startsWith('/') || p === '*' || (p === '' && root.binding.prefix))) return;
    const handler = this.handler(handlers[handlers.length - 1]!);
    if (!handler) return;
    // Fastify's `get('/x', { schema }, h)` and Express' middleware lists: the last argument serves.
    for (const p of paths) this.add(method, p, root.name, root.binding, declaredLine, handler);
  }

  /** The router a verb call hangs on, walking left through `.route('/x')` and chained verbs. */
  private chainRoot(j: number): { name: string; binding: Binding; path?: string; line: number } | undefined {
    const t = this.t;
    if (t.ident(j)) {
      // A plain receiver (`app`, `this.router`): the last name decides, unless the chain starts
      // with a call's result (`request(app).get`, `foo().router.get`).
      let head = j;
      while (t.punct(head - 1, C.dot) && t.ident(head - 2)) head -= 2;
      if (t.punct(head - 1, C.dot)) return undefined;
      const name = t.tok(j);
      const binding = this.receiver(name);
      return binding ? { name, binding, line: t.line[j]! } : undefined;
    }
    if (!t.punct(j, C.rparen)) return undefined;
    const open = t.match[j]!;
    if (open < 0 || !t.ident(open - 1) || !t.punct(open - 2, C.dot)) return undefined;
    const callee = t.tok(open - 1);
    if (callee === 'route') {
      const args = t.args(open);
      const path = t.strArg(args[0]);
      if (args.length !== 1 || path === undefined) return undefined;
      const inner = this.chainRoot(open - 3);
      return inner && inner.path === undefined ? { ...inner, path, line: t.line[open - 1]! } : undefined;
    }
    if (verbs.has(callee)) {
      const inner = this.chainRoot(open - 3);
      return inner?.path !== undefined ? inner : undefined;
    }
    return undefined;
  }

  /** What a handler argument is, or undefined when it cannot be a handler (a string, a number, a plain object). */
  private handler(r: [number, number], depth = 0): HandlerInfo | undefined {
    const t = this.t;
    const [from, to] = r;
    if (depth > 3 || to <= from) return undefined;
    if (startsFunction(t, from)) {
      let k = from;
      if (t.ident(k, 'async')) k++;
      const name = t.ident(k, 'function') && t.ident(k + 1) ? t.tok(k + 1) : undefined;
      return { name, line: t.line[from]! };
    }
    if (t.punct(from, C.lbracket) && t.match[from] === to - 1) {
      const items = t.args(from);
      return items.length ? this.handler(items[items.length - 1]!, depth + 1) : undefined;
    }
    if (t.punct(from, C.lbrace) && t.match[from] === to - 1) {
      // Fastify's `{ handler }` options.
      const args = t.args(from);
      const h = t.kwarg(args, 'handler');
      if (h) return this.handler(h, depth + 1);
      const short = args.find(([a, b]) => b - a === 1 && t.ident(a, 'handler'));
      return short ? this.handler(short, depth + 1) : undefined;
    }
    if (!t.ident(from)) return undefined;
    // A name or a member chain: `getOrder`, `orders.get`, `this.get.bind(this)`.
    let k = from;
    while (t.ident(k) && t.punct(k + 1, C.dot) && t.ident(k + 2)) k += 2;
    const chainEnd = k;
    if (t.punct(k + 1, C.lparen)) {
      const close = t.match[k + 1]!;
      if (close < 0) return undefined;
      if (t.tok(k) === 'bind' && close === to - 1) return this.named(from, chainEnd - 2);
      if (close !== to - 1) return {}; // some expression: may be a handler
      // A wrapper call `asyncHandler(fn)`: its function argument is the handler.
      const inner = t.args(k + 1);
      const last = inner[inner.length - 1];
      return (last && this.handler(last, depth + 1)) ?? {};
    }
    if (chainEnd !== to - 1) return {};
    return this.named(from, chainEnd);
  }

  /** A handler given by name, from the first to the last identifier of a member chain. */
  private named(from: number, last: number): HandlerInfo {
    const t = this.t;
    const name = t.tok(last);
    if (from === last) {
      const line = this.defs.get(name);
      if (line !== undefined) return { name, line };
      const imp = this.imports.get(name);
      return imp ? { name, ref: { module: imp.module, name: imp.name } } : { name };
    }
    const head = this.imports.get(t.tok(from));
    // `controller.getOrder` where `controller` is a module: the module's export getOrder.
    if (head && last === from + 2) return { name, ref: { module: head.module, name } };
    return { name };
  }

  /** `recv.route({ method, url | path, handler })` and hapi's `server.route([{ … }, { … }])`. */
  private objectRoute(i: number): void {
    const t = this.t;
    const args = t.args(i + 1);
    if (args.length !== 1) return;
    const root = this.chainRoot(i - 2);
    if (!root) return;
    const [from, to] = args[0]!;
    const objects = t.punct(from, C.lbracket) && t.match[from] === to - 1 ? t.args(from) : [args[0]!];
    for (const [a, b] of objects) {
      if (!t.punct(a, C.lbrace) || t.match[a] !== b - 1) continue;
      const props = t.args(a);
      const methods = t.strList(t.kwarg(props, 'method'));
      const urlArg = t.kwarg(props, 'url');
      const path = t.strArg(urlArg ?? t.kwarg(props, 'path'));
      const h = t.kwarg(props, 'handler');
      const short = props.find(([x, y]) => y - x === 1 && t.ident(x, 'handler'));
      const handler = h ? this.handler(h) : short ? this.handler(short) : undefined;
      if (!methods || path === undefined || !path.startsWith('/') || !handler) continue;
      const framework: RouteFramework = urlArg
        ? 'fastify'
        : root.binding.framework === 'express'
          ? 'hapi'
          : root.binding.framework;
      for (const m of methods)
        this.add(methodOf(m), path, root.name, { ...root.binding, framework }, t.line[a]!, handler);
    }
  }

  /** `span.updateName('GET /products/:id')` and `span.setAttribute('http.route', '/products/:id')`. */
  private otelRoute(i: number): void {
    const t = this.t;
    const args = t.args(i + 1);
    const binding: Binding = { framework: 'otel', app: true };
    if (t.tok(i) === 'updateName' && args.length === 1) {
      const m = /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) (\/\S*)$/.exec(t.strArg(args[0]) ?? '');
      if (m) this.add(m[1]!, m[2]!, '', binding, t.line[i]!, { line: t.line[i]! });
    } else if (args.length === 2 && t.strArg(args[0]) === 'http.route') {
      const path = t.strArg(args[1]);
      if (path?.startsWith('/')) this.add('ANY', path, '', binding, t.line[i]!, { line: t.line[i]! });
    }
  }

  /** NestJS (and routing-controllers) classes: `@Controller('prefix')` and method decorators `@Get(':id')`. */
  private nest(): void {
    const t = this.t;
    for (let i = 0; i < t.count; i++) {
      if (!t.punct(i, C.at) || !(t.ident(i + 1, 'Controller') || t.ident(i + 1, 'JsonController'))) continue;
      let prefix = '';
      let j = i + 2;
      if (t.punct(j, C.lparen)) {
        const [first] = t.args(j);
        if (first && t.punct(first[0], C.lbrace)) prefix = t.strArg(t.kwarg(t.args(first[0]), 'path')) ?? '';
        else prefix = t.strArg(first) ?? '';
        j = t.match[j]! + 1;
      }
      while (j < t.count && !t.ident(j, 'class')) j++;
      let body = j;
      while (body < t.count && !t.punct(body, C.lbrace)) body++;
      const end = t.match[body]!;
      if (end < 0) continue;
      for (let k = body + 1; k < end; k++) {
        if (!t.punct(k, C.at) || !t.ident(k + 1) || !nestVerbs.has(t.tok(k + 1)) || t.punct(k - 1, C.dot)) continue;
        const method = nestVerbs.get(t.tok(k + 1))!;
        let paths = [''];
        let m = k + 2;
        if (t.punct(m, C.lparen)) {
          const [first] = t.args(m);
          paths = first ? (t.strList(first) ?? []) : [''];
          m = t.match[m]! + 1;
        }
        const fn = this.decoratedMethod(m, end);
        if (!fn) continue;
        for (const p of paths)
          this.add(method, joinPaths(prefix, p), '', { framework: 'nestjs', app: true }, t.line[k]!, fn);
      }
      i = end;
    }
  }

  /** The method a run of decorators and modifiers from m applies to. */
  private decoratedMethod(m: number, end: number): HandlerInfo | undefined {
    const t = this.t;
    while (m < end) {
      if (t.punct(m, C.at) && t.ident(m + 1)) {
        m += 2;
        while (t.punct(m, C.dot) && t.ident(m + 1)) m += 2;
        if (t.punct(m, C.lparen)) m = t.match[m]! + 1;
        continue;
      }
      if (t.ident(m) && (t.punct(m + 1, C.lparen) || t.punct(m + 1, C.lt))) return { name: t.tok(m), line: t.line[m]! };
      if (t.ident(m)) {
        m++;
        continue;
      }
      return undefined;
    }
    return undefined;
  }

  private add(
    method: string,
    path: string,
    router: string,
    binding: Binding,
    declaredLine: number,
    h: HandlerInfo,
  ): void {
    const declared = { path: this.path, line: declaredLine };
    const route: Route = {
      method,
      pattern: path,
      framework: binding.framework,
      path: this.path,
      line: h.line ?? declaredLine,
      ...(h.name ? { handler: h.name } : {}),
      declared,
      ...(router ? { router } : {}),
    };
    this.raw.push({
      route,
      mountable: !binding.app && binding.framework !== 'otel' && binding.framework !== 'nestjs',
      ref: h.ref,
    });
  }

  /** Applies the prefixes known in the file: a Koa router's own, and same-file mounts (several mounts give several routes). */
  private finish(): JsRouteScan {
    const out: JsRouteScan = { routes: [], mountable: [], handlerRefs: [], mounts: this.mounts };
    const prefixesOf = (name: string, depth: number): { prefix: string; mounted: boolean }[] => {
      const own = this.bindings.get(name)?.prefix ?? '';
      const ms = depth < 6 ? (this.localMounts.get(name) ?? []) : [];
      if (ms.length === 0) return [{ prefix: own, mounted: false }];
      return ms.flatMap((m) =>
        prefixesOf(m.parent, depth + 1).map((p) => ({ prefix: joinPaths(p.prefix, m.prefix, own), mounted: true })),
      );
    };
    // `setAttribute('http.route', p)` next to `updateName('GET p')` says the same route twice.
    const named = new Set(
      this.raw.filter((r) => r.route.framework === 'otel' && r.route.method !== 'ANY').map((r) => r.route.pattern),
    );
    for (const r of this.raw) {
      if (r.route.framework === 'otel' && r.route.method === 'ANY' && named.has(r.route.pattern)) continue;
      const prefixes = r.route.router ? prefixesOf(r.route.router, 0) : [{ prefix: '', mounted: false }];
      for (const p of prefixes) {
        const pattern = p.prefix && p.prefix !== '/' ? joinPaths(p.prefix, r.route.pattern) : r.route.pattern;
        out.routes.push(pattern === r.route.pattern ? r.route : { ...r.route, pattern });
        out.mountable.push(r.mountable && !p.mounted);
        out.handlerRefs.push(r.ref);
      }
    }
    return out;
  }
}
