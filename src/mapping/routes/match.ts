// Which declared route a request hit, from what a segment records: `http.request.method` and
// `http.request.url` (a full URL with host, port and query, or a bare path from some SDKs).
import { compareRanks, compilePattern, type CompiledPattern } from './pattern';
import type { Route } from './route';

/** Options of matchRoute. */
export interface MatchOptions {
  /** The segment's service (its name): routes known to belong to another service are left out. */
  readonly service?: string;
  /** Path prefixes a proxy or a mount adds in front of every route (`/api`), tried after the URL as it is. */
  readonly basePaths?: readonly string[];
}

/** A route that matched, and how. */
export interface RouteMatch {
  readonly route: Route;
  /** The stage or base path taken off the front of the URL path to match, if any. */
  readonly strippedPrefix?: string;
}

// Patterns compile once per route object: segments arrive by the thousand, routes change rarely.
const compiled = new WeakMap<Route, CompiledPattern | null>();

function compiledOf(route: Route): CompiledPattern | undefined {
  let c = compiled.get(route);
  if (c === undefined) {
    c = compilePattern(route.pattern, route.framework) ?? null;
    compiled.set(route, c);
  }
  return c ?? undefined;
}

/** The path of a URL or of a bare path: no scheme, host, query or fragment; percent-escapes decoded per segment; no trailing slash. */
export function urlPath(url: string): string {
  let p = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const cut = p.search(/[?#]/);
  if (cut >= 0) p = p.slice(0, cut);
  if (!p.startsWith('/')) p = `/${p}`;
  const decoded = p
    .split('/')
    .map((s) => {
      try {
        // An encoded slash stays encoded: it is part of one segment, not a separator.
        return decodeURIComponent(s.replace(/%2f/gi, '%252F'));
      } catch {
        return s;
      }
    })
    .join('/');
  return decoded.length > 1 ? decoded.replace(/\/+$/, '') || '/' : decoded;
}

/** How well a route's method fits the request's: 2 the same, 1 a GET route answering HEAD, 0 an ANY route, -1 not at all. */
function methodFit(routeMethod: string, method: string): number {
  if (routeMethod === method) return 2;
  if (routeMethod === 'GET' && method === 'HEAD') return 1;
  if (routeMethod === 'ANY') return 0;
  return -1;
}

/** The candidate paths for a route: the path itself, then without a stage or base path in front. */
function candidates(
  route: Route,
  path: string,
  basePaths: readonly string[],
): { path: string; prefix?: string; cost: number }[] {
  const out: { path: string; prefix?: string; cost: number }[] = [{ path, cost: 0 }];
  if (route.stages) {
    const m = /^\/([^/]+)(\/.*)?$/.exec(path);
    if (m && (route.stages === 'any' || route.stages.includes(m[1]!)))
      out.push({ path: m[2] ?? '/', prefix: `/${m[1]}`, cost: 1 });
  }
  for (const b of basePaths) {
    const base = `/${b.replace(/^\/+|\/+$/g, '')}`;
    if (base !== '/' && (path === base || path.startsWith(`${base}/`)))
      out.push({ path: path.slice(base.length) || '/', prefix: base, cost: 2 });
  }
  return out;
}

/**
 * Every route the request fits, the best first: the most specific pattern (segment by segment,
 * a literal beats a parameter beats a catch-all), then the closer method (same, GET for HEAD,
 * ANY), then the path as it is over the path without a stage or base path, then declaration order.
 */
export function matchRoutes(
  routes: readonly Route[],
  method: string | undefined,
  url: string,
  options: MatchOptions = {},
): RouteMatch[] {
  const m = (method ?? '').toUpperCase();
  const path = urlPath(url);
  const found: { match: RouteMatch; ranks: readonly number[]; fit: number; cost: number; order: number }[] = [];
  routes.forEach((route, order) => {
    if (options.service !== undefined && route.service !== undefined && route.service !== options.service) return;
    const fit = m ? methodFit(route.method, m) : 0;
    if (fit < 0) return;
    const c = compiledOf(route);
    if (!c) return;
    for (const cand of candidates(route, path, options.basePaths ?? [])) {
      if (!c.regex.test(cand.path)) continue;
      found.push({
        match: cand.prefix ? { route, strippedPrefix: cand.prefix } : { route },
        ranks: c.ranks,
        fit,
        cost: cand.cost,
        order,
      });
      break;
    }
  });
  found.sort((a, b) => compareRanks(b.ranks, a.ranks) || b.fit - a.fit || a.cost - b.cost || a.order - b.order);
  return found.map((f) => f.match);
}

/** The route a request hit: the best of matchRoutes, or undefined when none fits. */
export function matchRoute(
  routes: readonly Route[],
  method: string | undefined,
  url: string,
  options: MatchOptions = {},
): Route | undefined {
  return matchRoutes(routes, method, url, options)[0]?.route;
}
