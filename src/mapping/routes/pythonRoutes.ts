// Routes declared in Python: Flask, Quart and Sanic (`@app.route('/x', methods=['POST'])`,
// `@bp.get('/x')`, `app.add_url_rule('/x', view_func=f)`) and FastAPI/Starlette (`@app.get('/x')`,
// `@router.post('/x')`, `@app.api_route('/x', methods=[…])`, `app.add_api_route('/x', f)`), with
// the prefixes of blueprints and routers made in the file (`Blueprint(…, url_prefix='/p')`,
// `APIRouter(prefix='/p')`) and mounted in it (`register_blueprint(bp, url_prefix='/p')`,
// `include_router(router, prefix='/p')`).
import type { Route, RouteFramework } from './route';
import { C, TokenList, joinPaths } from './tokenList';

/** A router another module defines, mounted under a prefix: `app.include_router(orders.router, prefix='/orders')`. */
export interface PythonMount {
  readonly prefix: string;
  /** The module as imported (`.routers`, `app.routers.orders`), with the name taken from it (`orders`). */
  readonly from: string;
  readonly name: string;
  /** The router variable in that module: `router` for `orders.router`, else name itself. */
  readonly receiver: string;
  /** The receiver the mount is made on, whose own prefixes add in front. */
  readonly on: string;
  /** Flask's `register_blueprint(url_prefix=…)` replaces the blueprint's own prefix; FastAPI's `include_router(prefix=…)` adds to it. */
  readonly replaces: boolean;
  readonly line: number;
}

/** What a Python file declares. */
export interface PythonRouteScan {
  readonly routes: Route[];
  /** Per route: its path without the prefixes applied in the file, for mounts that replace them. */
  readonly bare: string[];
  readonly mounts: PythonMount[];
}

const verbs: ReadonlyMap<string, string> = new Map(
  Object.entries({
    get: 'GET',
    post: 'POST',
    put: 'PUT',
    delete: 'DELETE',
    patch: 'PATCH',
    head: 'HEAD',
    options: 'OPTIONS',
  }),
);

interface Binding {
  framework: RouteFramework;
  prefix: string;
}

/** The routes one Python file declares, with the prefixes known inside the file. */
export function findPythonRoutes(path: string, text: string): Route[] {
  return scanPythonRoutes(path, text).routes;
}

/** Scans one Python file. */
export function scanPythonRoutes(path: string, text: string): PythonRouteScan {
  const t = new TokenList(text, 'python');
  const fastapi = /^\s*(?:from|import)\s+(?:fastapi|starlette)\b/m.test(text);
  const fallback: RouteFramework = fastapi ? 'fastapi' : 'flask';
  const bindings = new Map<string, Binding>();
  const imports = new Map<string, { from: string; name: string }>();
  const localMounts = new Map<string, { parent: string; prefix: string; replaces: boolean }[]>();
  const mounts: PythonMount[] = [];
  const raw: Route[] = [];
  const defs = new Map<string, number>();

  for (let i = 0; i < t.count; i++) {
    // def and class lines, for handlers passed by name.
    if ((t.ident(i, 'def') || t.ident(i, 'class')) && t.ident(i + 1) && !defs.has(t.tok(i + 1)))
      defs.set(t.tok(i + 1), t.line[t.ident(i - 1, 'async') ? i - 1 : i]!);
    // from m import a, b as c
    if (t.ident(i, 'from') && t.bol[i]) {
      let j = i + 1;
      let from = '';
      while (j < t.count && !t.ident(j, 'import') && !t.bol[j]) from += t.tok(j++);
      if (!t.ident(j, 'import')) continue;
      j++;
      if (t.punct(j, C.lparen)) j++;
      while (j < t.count && t.ident(j) && (!t.bol[j] || t.punct(j - 1, C.lparen) || t.punct(j - 1, C.comma))) {
        const name = t.tok(j);
        const local = t.ident(j + 1, 'as') ? t.tok(j + 2) : name;
        imports.set(local, { from, name });
        j += t.ident(j + 1, 'as') ? 3 : 1;
        if (!t.punct(j, C.comma)) break;
        j++;
      }
    }
    // x = Blueprint(…, url_prefix='/p') / APIRouter(prefix='/p') / Flask(…) / FastAPI(…)
    if (t.bol[i] && t.ident(i) && t.punct(i + 1, C.eq) && t.ident(i + 2)) {
      let j = i + 2;
      while (t.punct(j + 1, C.dot) && t.ident(j + 2)) j += 2;
      if (!t.punct(j + 1, C.lparen)) continue;
      const ctor = t.tok(j);
      const args = t.args(j + 1);
      const framework: RouteFramework | undefined =
        ctor === 'Blueprint' || ctor === 'Flask' || ctor === 'Quart' || ctor === 'Sanic'
          ? 'flask'
          : ctor === 'APIRouter' || ctor === 'FastAPI'
            ? 'fastapi'
            : undefined;
      if (!framework) continue;
      const prefix = t.strArg(t.kwarg(args, ctor === 'APIRouter' ? 'prefix' : 'url_prefix')) ?? '';
      bindings.set(t.tok(i), { framework, prefix });
    }
  }

  const bindingOf = (name: string): Binding => bindings.get(name) ?? { framework: fallback, prefix: '' };

  /** The def a decorator at i applies to: past further decorators to `def name`. */
  const decorated = (i: number): { name: string; line: number } | undefined => {
    for (let j = i + 1; j < t.count; j++) {
      if (!t.bol[j]) continue;
      if (t.punct(j, C.at)) continue;
      const at = j;
      if (t.ident(j, 'async')) j++;
      return t.ident(j, 'def') && t.ident(j + 1) ? { name: t.tok(j + 1), line: t.line[at]! } : undefined;
    }
    return undefined;
  };

  const add = (
    method: string,
    pattern: string,
    receiver: string,
    declaredLine: number,
    handler: { name?: string; line?: number },
  ) => {
    const b = bindingOf(receiver);
    raw.push({
      method,
      pattern,
      framework: b.framework,
      path,
      line: handler.line ?? declaredLine,
      ...(handler.name ? { handler: handler.name } : {}),
      declared: { path, line: declaredLine },
      router: receiver,
    });
  };

  const methodsOf = (args: [number, number][], fallbackMethod: string): string[] => {
    const list = t.strList(t.kwarg(args, 'methods'));
    return list && list.length ? list.map((m) => m.toUpperCase()) : [fallbackMethod];
  };

  for (let i = 0; i < t.count; i++) {
    if (!t.ident(i) || !t.punct(i - 1, C.dot) || !t.punct(i + 1, C.lparen) || !t.ident(i - 2)) continue;
    const name = t.tok(i);
    const receiver = t.tok(i - 2);
    const args = t.args(i + 1);
    const positional = t.positional(args);
    const isDecorator = t.punct(i - 3, C.at) && t.bol[i - 3];
    if (isDecorator && (name === 'route' || name === 'api_route' || verbs.has(name))) {
      const path = t.strArg(positional[0] ?? t.kwarg(args, 'path') ?? t.kwarg(args, 'rule'));
      if (path === undefined || !(path.startsWith('/') || (path === '' && bindingOf(receiver).prefix))) continue;
      const fn = decorated(t.match[i + 1]!);
      if (!fn) continue;
      const methods = verbs.has(name) ? [verbs.get(name)!] : methodsOf(args, 'GET');
      for (const m of methods) add(m, path, receiver, t.line[i]!, fn);
    } else if (name === 'add_url_rule' || name === 'add_api_route') {
      const path = t.strArg(positional[0]);
      if (path === undefined || !path.startsWith('/')) continue;
      const fnArg =
        name === 'add_url_rule'
          ? (t.kwarg(args, 'view_func') ?? positional[2])
          : (t.kwarg(args, 'endpoint') ?? positional[1]);
      const fnName = fnArg && t.ident(fnArg[0]) ? t.tok(fnArg[0]) : undefined;
      for (const m of methodsOf(args, 'GET'))
        add(m, path, receiver, t.line[i]!, { name: fnName, line: fnName ? defs.get(fnName) : undefined });
    } else if (name === 'register_blueprint' || name === 'include_router') {
      const prefix = t.strArg(t.kwarg(args, name === 'include_router' ? 'prefix' : 'url_prefix'));
      const target = positional[0];
      if (prefix === undefined || !target || !t.ident(target[0])) continue;
      const chain: string[] = [];
      for (let k = target[0]; k < target[1]; k += 2) if (t.ident(k)) chain.push(t.tok(k));
      const [head, attr] = chain;
      const imp = imports.get(head!);
      const replaces = name === 'register_blueprint';
      if (chain.length === 1 && !imp) {
        const list = localMounts.get(head!) ?? [];
        list.push({ parent: receiver, prefix, replaces });
        localMounts.set(head!, list);
      } else if (imp)
        mounts.push({
          prefix,
          from: imp.from,
          name: imp.name,
          receiver: attr ?? imp.name,
          on: receiver,
          replaces,
          line: t.line[i]!,
        });
    }
  }

  const prefixesOf = (name: string, depth: number): string[] => {
    const own = bindingOf(name).prefix;
    const ms = depth < 6 ? (localMounts.get(name) ?? []) : [];
    if (ms.length === 0) return [own];
    return ms.flatMap((m) =>
      prefixesOf(m.parent, depth + 1).map((p) => (m.replaces ? joinPaths(p, m.prefix) : joinPaths(p, m.prefix, own))),
    );
  };
  const routes: Route[] = [];
  const bare: string[] = [];
  for (const r of raw) {
    for (const prefix of prefixesOf(r.router!, 0)) {
      routes.push(prefix ? { ...r, pattern: joinPaths(prefix, r.pattern) } : r);
      bare.push(r.pattern);
    }
  }
  return { routes, bare, mounts };
}
