// Routes declared in Java: Spring MVC and WebFlux annotations (`@GetMapping("/x")`, `@PostMapping`,
// `@RequestMapping(value = "/x", method = RequestMethod.GET)`, with the class-level `@RequestMapping`
// prefix) and JAX-RS (`@Path` on the class and the method, `@GET`, `@POST`…). Paths written as
// constants (`@GetMapping(Paths.ORDERS)`) are not literal and give no route.
import type { Route, RouteFramework } from './route';
import { C, TokenList, joinPaths } from './tokenList';

interface Annotation {
  readonly name: string;
  readonly line: number;
  /** Argument ranges; a lone positional argument is under `value`. */
  readonly args: Map<string, [number, number]>;
}

interface ClassScope {
  readonly start: number;
  readonly end: number;
  readonly prefixes: readonly string[];
}

const springVerbs: ReadonlyMap<string, string> = new Map(
  Object.entries({
    GetMapping: 'GET',
    PostMapping: 'POST',
    PutMapping: 'PUT',
    DeleteMapping: 'DELETE',
    PatchMapping: 'PATCH',
    RequestMapping: 'ANY',
  }),
);

const jaxrsVerbs = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

/** The routes one Java file declares. */
export function findJavaRoutes(path: string, text: string): Route[] {
  const t = new TokenList(text, 'java');
  const classes: ClassScope[] = [];
  const routes: Route[] = [];
  let pending: Annotation[] = [];

  const readAnnotation = (i: number): { a: Annotation; next: number } => {
    let j = i + 1;
    while (t.punct(j + 1, C.dot) && t.ident(j + 2)) j += 2;
    const a: Annotation = { name: t.tok(j), line: t.line[i]!, args: new Map() };
    j++;
    if (t.punct(j, C.lparen)) {
      for (const r of t.args(j)) {
        const kw = t.keyword(r);
        if (kw) a.args.set(kw.key, kw.value);
        else a.args.set('value', r);
      }
      j = t.match[j]! + 1 || j + 1;
    }
    return { a, next: j };
  };

  /** The paths of a mapping annotation: `value` or `path`, one string or an array; [''] when none; undefined when not literal. */
  const pathsOf = (a: Annotation | undefined): string[] | undefined => {
    if (!a) return [''];
    const r = a.args.get('value') ?? a.args.get('path');
    if (!r) return [''];
    return t.strList(r);
  };

  /** `RequestMethod.GET` or `{RequestMethod.GET, RequestMethod.POST}`; ANY when absent. */
  const methodsOf = (a: Annotation): string[] => {
    const r = a.args.get('method');
    if (!r) return ['ANY'];
    const ranges = t.punct(r[0], C.lbrace) ? t.args(r[0]) : [r];
    const out = ranges.map(([, to]) => t.tok(to - 1)).filter((m) => jaxrsVerbs.has(m));
    return out.length ? out : ['ANY'];
  };

  for (let i = 0; i < t.count; i++) {
    if (t.punct(i, C.at) && t.ident(i + 1) && !t.ident(i + 1, 'interface')) {
      const { a, next } = readAnnotation(i);
      pending.push(a);
      i = next - 1;
      continue;
    }
    if (
      (t.ident(i, 'class') || t.ident(i, 'interface') || t.ident(i, 'record') || t.ident(i, 'enum')) &&
      !t.punct(i - 1, C.dot)
    ) {
      let body = i + 1;
      while (body < t.count && !t.punct(body, C.lbrace) && !t.punct(body, C.semi)) body++;
      const end = t.match[body] ?? -1;
      if (t.punct(body, C.lbrace) && end > body) {
        const mapping = pending.find((a) => a.name === 'RequestMapping' || a.name === 'Path');
        classes.push({ start: body, end, prefixes: mapping ? (pathsOf(mapping) ?? []) : [''] });
      }
      pending = [];
      i = body;
      continue;
    }
    if (t.punct(i, C.semi) || t.punct(i, C.eq) || t.punct(i, C.lbrace) || t.punct(i, C.rbrace)) {
      pending = [];
      continue;
    }
    if (pending.length && t.ident(i) && t.punct(i + 1, C.lparen) && !t.punct(i - 1, C.dot) && !t.ident(i - 1, 'new')) {
      const method = { name: t.tok(i), line: t.line[i]! };
      const scope = classes.filter((c) => c.start < i && i < c.end).pop();
      const prefixes = scope?.prefixes ?? [''];
      for (const a of pending) {
        let verbs: string[];
        let paths: string[] | undefined;
        let framework: RouteFramework;
        if (springVerbs.has(a.name)) {
          verbs = a.name === 'RequestMapping' ? methodsOf(a) : [springVerbs.get(a.name)!];
          paths = pathsOf(a);
          framework = 'spring';
        } else if (jaxrsVerbs.has(a.name)) {
          verbs = [a.name];
          paths = pathsOf(pending.find((p) => p.name === 'Path'));
          framework = 'jaxrs';
        } else continue;
        for (const prefix of prefixes) {
          for (const p of paths ?? []) {
            routes.push({
              method: verbs[0]!,
              pattern: joinPaths(prefix, p),
              framework,
              path,
              line: method.line,
              handler: method.name,
              declared: { path, line: a.line },
            });
            for (const v of verbs.slice(1)) routes.push({ ...routes[routes.length - 1]!, method: v });
          }
        }
      }
      pending = [];
      // Parameter annotations (`@PathVariable`) belong to no method.
      const close = t.match[i + 1]!;
      if (close > i) i = close;
    }
  }
  return routes;
}
