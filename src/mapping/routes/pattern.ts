// Route patterns of every framework, compiled into one form: a regular expression over the URL
// path and a rank per path segment, so routes of different syntaxes can compete for one URL and the
// most specific wins (`/orders/summary` over `/orders/:id` over `/orders/*`).
//
// Syntaxes: `:id`, `:id?`, `:id(\d+)`, `:path*` and `*` (Express 4, Koa, Fastify), `*splat` and
// `{/:id}` optional groups (Express 5), `{id}`, `{id:\d+}`, `{*path}`, `*` and `**` (Spring, JAX-RS),
// `{id}`, `{p:path}`, `{n:int}` (FastAPI/Starlette), `<id>`, `<int:id>`, `<path:p>` (Flask),
// `{id?}`, `{path*}` (hapi),
// `{proxy+}` and `$default` (API Gateway).
import type { RouteFramework } from './route';

/** A route pattern ready to test URL paths. */
export interface CompiledPattern {
  readonly regex: RegExp;
  /** One rank per segment: literal 4, partly literal or constrained parameter 3, parameter 2, optional 0.3, catch-all 0.2. */
  readonly ranks: readonly number[];
}

const LITERAL = 4;
const CONSTRAINED = 3;
const PARAM = 2;
/** Where a pattern has no segment left: between a parameter and an optional or catch-all tail, so `/a/:id` beats `/a/:id/*` on `/a/1`. */
export const END_RANK = 0.5;
const OPTIONAL = 0.3;
const GREEDY = 0.2;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Starlette's convertors and Flask's: what a parameter of that type matches.
const convertors: ReadonlyMap<string, { re: string; rank: number }> = new Map(
  Object.entries({
    str: { re: '[^/]+', rank: PARAM },
    string: { re: '[^/]+', rank: PARAM },
    int: { re: '\\d+', rank: CONSTRAINED },
    float: { re: '\\d+(?:\\.\\d+)?', rank: CONSTRAINED },
    uuid: { re: '[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}', rank: CONSTRAINED },
    path: { re: '.+', rank: GREEDY },
    any: { re: '[^/]+', rank: PARAM },
  }),
);

/** Index of the closer matching the opener at i, counting nested pairs; -1 when unbalanced. */
function closing(s: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === open) depth++;
    else if (s[j] === close && --depth === 0) return j;
  }
  return -1;
}

/** A user-written regular expression, if it compiles; groups are made non-capturing-safe by wrapping. */
function userRegex(src: string): string | undefined {
  try {
    new RegExp(src);
    return `(?:${src})`;
  } catch {
    return undefined;
  }
}

interface Piece {
  re: string;
  rank: number;
}

/** Compiles one pattern; undefined when it cannot be read (a JavaScript RegExp route, for one). */
export function compilePattern(pattern: string, framework: RouteFramework): CompiledPattern | undefined {
  if (pattern === '$default' || pattern === '*' || pattern === '/*' || pattern === '/**')
    return { regex: /^.*$/, ranks: [GREEDY / 2] };
  const js =
    framework === 'express' ||
    framework === 'koa' ||
    framework === 'fastify' ||
    framework === 'hono' ||
    framework === 'nestjs' ||
    framework === 'hapi';
  const p = pattern.startsWith('/') ? pattern : `/${pattern}`;
  const body = compileBody(p, js, framework);
  if (!body) return undefined;
  const flags = framework === 'express' || framework === 'koa' ? 'i' : '';
  try {
    return { regex: new RegExp(`^${body.re}/?$`, flags), ranks: body.ranks };
  } catch {
    return undefined;
  }
}

/** The regex source and segment ranks of a pattern (or of an optional group's inside). */
function compileBody(p: string, js: boolean, framework: RouteFramework): { re: string; ranks: number[] } | undefined {
  const segments: Piece[][] = [];
  let cur: Piece[] | undefined;
  let re = '';
  /** Replaces the `/` just written and the segment it opened by an optional or greedy form. */
  const wholeSegment = (inner: string, rank: number, optional: boolean) => {
    if (cur && cur.length === 0 && re.endsWith('/')) {
      re = re.slice(0, -1) + (optional ? `(?:/${inner})?` : `/${inner}`);
      cur.push({ re: '', rank });
      return;
    }
    re += optional ? `(?:${inner})?` : inner;
    cur?.push({ re: '', rank: Math.min(rank, CONSTRAINED) });
  };
  for (let i = 0; i < p.length;) {
    const c = p[i]!;
    if (c === '/') {
      // Empty segments (`//`, a trailing `/`) match nothing of their own.
      if (p[i + 1] === '/' || i === p.length - 1) {
        i++;
        continue;
      }
      re += '/';
      cur = [];
      segments.push(cur);
      i++;
      continue;
    }
    if (c === ':' && /[A-Za-z_$]/.test(p[i + 1] ?? '') && framework !== 'spring' && framework !== 'jaxrs') {
      const m = /^:([A-Za-z_$][\w$]*)/.exec(p.slice(i))!;
      i += m[0].length;
      let inner = '[^/]+?';
      let rank = PARAM;
      if (p[i] === '(') {
        const e = closing(p, i, '(', ')');
        if (e < 0) return undefined;
        const src = p.slice(i + 1, e);
        const u = src === '*' ? '.*' : userRegex(src);
        if (!u) return undefined;
        inner = u;
        rank = src === '*' || src === '.*' ? GREEDY : CONSTRAINED;
        i = e + 1;
      }
      const mod = p[i];
      if (mod === '?') {
        i++;
        wholeSegment(inner, OPTIONAL, true);
      } else if (mod === '*' || mod === '+') {
        i++;
        wholeSegment(mod === '*' ? '.*' : '.+', GREEDY, mod === '*');
      } else {
        re += inner;
        cur?.push({ re: inner, rank });
      }
      continue;
    }
    if (c === '{') {
      const e = closing(p, i, '{', '}');
      if (e < 0) return undefined;
      const inside = p.slice(i + 1, e);
      i = e + 1;
      let m: RegExpExecArray | null;
      if (/^[A-Za-z_][\w.-]*\+$/.test(inside))
        wholeSegment('.+', GREEDY, false); // {proxy+}
      else if (/^[A-Za-z_]\w*\*\d*$/.test(inside))
        wholeSegment('.*', GREEDY, true); // hapi {path*}
      else if (/^[A-Za-z_]\w*\?$/.test(inside))
        wholeSegment('[^/]+', OPTIONAL, true); // hapi {id?}
      else if (/^\*[A-Za-z_]\w*$/.test(inside))
        wholeSegment('.*', GREEDY, true); // Spring {*path}
      else if (/^[A-Za-z_][\w.-]*$/.test(inside)) {
        re += '[^/]+';
        cur?.push({ re: '[^/]+', rank: PARAM });
      } else if ((m = /^([A-Za-z_][\w.-]*)\s*:\s*(.+)$/s.exec(inside)) && !inside.startsWith('/')) {
        const conv = framework === 'fastapi' || framework === 'flask' ? convertors.get(m[2]!) : undefined;
        if (conv?.rank === GREEDY) wholeSegment(conv.re, GREEDY, false);
        else if (conv) {
          re += conv.re;
          cur?.push({ re: conv.re, rank: conv.rank });
        } else {
          const u = userRegex(m[2]!);
          if (!u) return undefined;
          re += u;
          cur?.push({ re: u, rank: CONSTRAINED });
        }
      } else {
        // Express 5 optional group: `{/:id}`, `{.:ext}`.
        const inner = compileBody(inside, js, framework);
        if (!inner) return undefined;
        re += `(?:${inner.re})?`;
        if (inside.startsWith('/')) segments.push([{ re: '', rank: OPTIONAL }]);
        else cur?.push({ re: '', rank: OPTIONAL });
      }
      continue;
    }
    if (c === '<') {
      const e = p.indexOf('>', i);
      if (e < 0) return undefined;
      const m = /^(?:([A-Za-z_]\w*)(?:\([^)]*\))?:)?([A-Za-z_]\w*)$/.exec(p.slice(i + 1, e));
      if (!m) return undefined;
      const conv = convertors.get(m[1] ?? 'string') ?? convertors.get('string')!;
      i = e + 1;
      if (conv.rank === GREEDY) wholeSegment(conv.re, GREEDY, false);
      else {
        re += conv.re;
        cur?.push({ re: conv.re, rank: conv.rank });
      }
      continue;
    }
    if (c === '*') {
      if (p[i + 1] === '*') {
        i += 2;
        wholeSegment('.*', GREEDY, true);
      } else if (/[A-Za-z_]/.test(p[i + 1] ?? '') && js) {
        const m = /^\*[A-Za-z_]\w*/.exec(p.slice(i))!;
        i += m[0].length;
        wholeSegment('.+', GREEDY, false); // Express 5 `*splat`
      } else {
        i++;
        if (js) wholeSegment('.*', GREEDY, true);
        else {
          re += '[^/]*';
          cur?.push({ re: '[^/]*', rank: PARAM });
        }
      }
      continue;
    }
    // Literal text up to the next special character.
    let j = i;
    while (j < p.length && !'/:{<*'.includes(p[j]!)) j++;
    if (j === i) j++; // a `:` that starts no parameter
    const text = p.slice(i, j);
    re += escapeRe(text);
    cur?.push({ re: text, rank: LITERAL });
    i = j;
  }
  const ranks = segments.map((s) => {
    if (s.length === 0) return LITERAL;
    if (s.every((x) => x.rank === LITERAL)) return LITERAL;
    const min = Math.min(...s.map((x) => x.rank));
    // `order-:id` or `{name}.json`: a parameter held in place by literal text.
    return s.length > 1 && s.some((x) => x.rank === LITERAL) && min >= PARAM ? CONSTRAINED : min;
  });
  return { re, ranks };
}

/** Compares two rank lists: positive when a is more specific. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? END_RANK) - (b[i] ?? END_RANK);
    if (d !== 0) return d;
  }
  return 0;
}
