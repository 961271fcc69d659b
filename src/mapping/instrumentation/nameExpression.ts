// The name a call gives its span, as literal text and holes: `price-item-${i}` is
// ['price-item-', {hole}]. A name with holes becomes a pattern; a hole that is a parameter of the
// enclosing function makes that function a wrapper, whose callers fill the hole in.
import type { Family } from './language';

/** A part of a name that is only known at run time. */
export interface Hole {
  /** `int` when a format verb says so (`%d`, `{0:D}`), which makes the pattern tighter. */
  readonly hole: 'int' | 'any';
  /** The identifier the hole reads, when it is a plain identifier. */
  readonly ident?: string;
  /** The position of the enclosing wrapper's parameter the hole reads. */
  readonly param?: number;
}

/** Literal text or a hole. */
export type NamePart = string | Hole;

/** A name as parts; adjacent literals are merged. */
export type NameExpr = readonly NamePart[];

const anyHole: Hole = { hole: 'any' };
const identPattern = /^\s*([A-Za-z_$][\w$]*)\s*$/;

/** The hole for the source text of an interpolated expression. */
export function holeFor(expression: string, hole: Hole['hole'] = 'any'): Hole {
  const m = identPattern.exec(expression);
  return m ? { hole, ident: m[1] } : hole === 'any' ? anyHole : { hole };
}

/** Parts joined, adjacent literals merged, empty literals dropped. */
export function concat(...exprs: NameExpr[]): NamePart[] {
  const out: NamePart[] = [];
  for (const e of exprs) {
    for (const p of e) {
      if (typeof p === 'string') {
        if (p === '') continue;
        if (typeof out[out.length - 1] === 'string') out[out.length - 1] += p;
        else out.push(p);
      } else out.push(p);
    }
  }
  return out;
}

const simpleEscapes: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  0: '\0',
};

/** Resolves backslash escapes the way C-like languages do; unknown escapes keep the character. */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r?\n|[\s\S])/g, (_, e: string) => {
    if (e[0] === 'u' && e.length > 1)
      return String.fromCodePoint(parseInt(e[1] === '{' ? e.slice(2, -1) : e.slice(1), 16));
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e === '\n' || e === '\r\n') return '';
    return simpleEscapes[e] ?? e;
  });
}

interface Quoting {
  /** Prefix letters or sigils before the quotes (`f`, `rb`, `$@`). */
  prefix: string;
  body: string;
}

/** Splits a string token into its prefix and the text between its quotes. */
function unquote(raw: string): Quoting {
  let p = 0;
  while (p < raw.length && raw[p] !== '"' && raw[p] !== "'" && raw[p] !== '`') p++;
  const q = raw[p];
  let k = 1;
  while (raw[p + k] === q && k < raw.length - p) k++;
  // Three or more opening quotes only count when the string is at least that long twice over.
  const fence = k >= 3 && raw.length - p >= 2 * k ? k : 1;
  const closed = raw.endsWith(q.repeat(fence)) && raw.length - p >= 2 * fence;
  return { prefix: raw.slice(0, p), body: raw.slice(p + fence, closed ? raw.length - fence : raw.length) };
}

/** The value of a string token without interpolation. */
export function literalValue(raw: string, family: Family): string {
  const { prefix, body } = unquote(raw);
  if (family === 'python' && /[rR]/.test(prefix)) return body;
  if (family === 'go' && raw[0] === '`') return body;
  if (family === 'csharp') {
    if (raw.startsWith('"""') || prefix.includes('"')) return body;
    if (prefix.includes('@')) return body.replace(/""/g, '"');
  }
  return unescape(body);
}

/** Index just past the `}` matching the `{` before j, skipping quoted text. */
function closingBrace(s: string, j: number): number {
  let depth = 1;
  while (j < s.length) {
    const c = s[j];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j + 1;
    else if (c === '"' || c === "'" || c === '`') {
      const e = s.indexOf(c, j + 1);
      j = e === -1 ? s.length : e + 1;
      continue;
    }
    j++;
  }
  return s.length;
}

/** Splits `expr!r:>10` or `expr,5:D3` into the expression and its format spec. */
function splitFormat(inner: string, family: Family): { expression: string; spec: string } {
  let depth = 0;
  for (let j = 0; j < inner.length; j++) {
    const c = inner[j];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (c === ':' || (c === '!' && inner[j + 1] !== '=') || (c === ',' && family === 'csharp'))) {
      if (c === ':' && inner[j + 1] === ':') {
        j++;
        continue;
      }
      return { expression: inner.slice(0, j), spec: inner.slice(j + 1) };
    }
  }
  return { expression: inner, spec: '' };
}

/** True when a brace format spec (`d`, `03d`, `D3`, `,5:D`) prints an integer. */
const intSpec = (spec: string) => /(?:^|:)[0-9<>^=+\- #_,]*[dD]\d*$/.test(spec) && !/[xX]/.test(spec);

/** The parts of an interpolated string token: JS template, Python f-string, C# `$"…"`. */
export function templateParts(raw: string, family: Family): NamePart[] {
  const { prefix, body } = unquote(raw);
  const out: NamePart[] = [];
  let lit = '';
  const js = family === 'js';
  const verbatim = family === 'csharp' && prefix.includes('@');
  const raw_ = family === 'python' && /[rR]/.test(prefix);
  for (let j = 0; j < body.length;) {
    const c = body[j];
    if (c === '\\' && !verbatim && !raw_) {
      lit += body.slice(j, j + 2);
      j += 2;
    } else if (js && c === '$' && body[j + 1] === '{') {
      const e = closingBrace(body, j + 2);
      out.push(unescape(lit), holeFor(body.slice(j + 2, e - 1)));
      lit = '';
      j = e;
    } else if (!js && (c === '{' || c === '}') && body[j + 1] === c) {
      lit += c;
      j += 2;
    } else if (!js && c === '{') {
      const e = closingBrace(body, j + 1);
      const { expression, spec } = splitFormat(body.slice(j + 1, e - 1), family);
      if (expression.trimEnd().endsWith('=') && family === 'python') {
        // f"{x=}" prints the expression's text too.
        out.push(verbatim || raw_ ? lit : unescape(lit), expression.trimEnd(), anyHole);
      } else out.push(verbatim || raw_ ? lit : unescape(lit), holeFor(expression, intSpec(spec) ? 'int' : 'any'));
      lit = '';
      j = e;
    } else {
      lit += c;
      j++;
    }
  }
  out.push(verbatim || raw_ ? lit : unescape(lit));
  return concat(out);
}

/** An argument's parts in place of a format hole: the argument's own parts, or a typed hole. */
function filled(arg: NameExpr | undefined, hole: Hole['hole']): NameExpr {
  if (!arg) return [hole === 'any' ? anyHole : { hole }];
  if (arg.length === 1 && typeof arg[0] !== 'string')
    return [{ ...arg[0], hole: hole === 'int' ? 'int' : arg[0].hole }];
  return arg;
}

/** The parts of a printf-style format (`fmt.Sprintf`, `String.format`, Python `%`) and its arguments. */
export function printfParts(format: string, args: readonly (NameExpr | undefined)[]): NamePart[] {
  const out: NameExpr[] = [];
  let next = 0;
  const verb = /%(\([^)]*\))?[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = verb.exec(format); m; m = verb.exec(format)) {
    out.push([format.slice(last, m.index)]);
    last = m.index + m[0].length;
    const v = m[4];
    if (v === '%') out.push(['%']);
    else if (v === 'n') out.push(['\n']);
    else out.push(filled(m[1] ? undefined : args[next++], 'diu'.includes(v) ? 'int' : 'any'));
  }
  out.push([format.slice(last)]);
  return concat(...out);
}

/** The parts of a brace format (Python `str.format`, C# `string.Format`) and its arguments. */
export function braceFormatParts(format: string, args: readonly (NameExpr | undefined)[], family: Family): NamePart[] {
  const out: NameExpr[] = [];
  let next = 0;
  let lit = '';
  for (let j = 0; j < format.length;) {
    const c = format[j];
    if ((c === '{' || c === '}') && format[j + 1] === c) {
      lit += c;
      j += 2;
    } else if (c === '{') {
      const e = closingBrace(format, j + 1);
      const { expression, spec } = splitFormat(format.slice(j + 1, e - 1), family);
      const key = expression.trim();
      const arg = key === '' ? args[next++] : /^\d+$/.test(key) ? args[Number(key)] : undefined;
      out.push([lit], filled(arg, intSpec(spec) ? 'int' : 'any'));
      lit = '';
      j = e;
    } else {
      lit += c;
      j++;
    }
  }
  out.push([lit]);
  return concat(...out);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** What a name expression gives a site: a literal name, a pattern, or nothing when it is all holes. */
export function siteName(expr: NameExpr): { name: string } | { pattern: string; literalLength: number } | undefined {
  let literal = 0;
  let holes = 0;
  for (const p of expr) {
    if (typeof p === 'string') literal += p.length;
    else holes++;
  }
  if (literal === 0) return undefined;
  if (holes === 0) return { name: expr.join('') };
  let source = '^';
  let lastAny = false;
  for (const p of expr) {
    if (typeof p === 'string') {
      source += escapeRegExp(p);
      lastAny = false;
    } else if (p.hole === 'int') {
      source += '-?\\d+';
      lastAny = false;
    } else if (!lastAny) {
      source += '.*';
      lastAny = true;
    }
  }
  return { pattern: source + '$', literalLength: literal };
}

/** True when some hole reads a wrapper parameter. */
export const hasParam = (expr: NameExpr): boolean => expr.some((p) => typeof p !== 'string' && p.param !== undefined);

/** True when some hole reads a plain identifier. */
export const hasIdent = (expr: NameExpr): boolean => expr.some((p) => typeof p !== 'string' && p.ident !== undefined);

/** Holes reading one of params become parameter holes. */
export function bindParams(expr: NameExpr, params: readonly (string | undefined)[]): NameExpr {
  return expr.map((p) => {
    if (typeof p === 'string' || p.ident === undefined) return p;
    const k = params.indexOf(p.ident);
    return k === -1 ? p : { hole: p.hole, param: k };
  });
}

/** A wrapper's name with the parameter holes filled from a call, or undefined when an argument is missing. */
export function substitute(
  template: NameExpr,
  argument: (param: number) => NameExpr | undefined,
): NameExpr | undefined {
  const out: NameExpr[] = [];
  for (const p of template) {
    if (typeof p === 'string' || p.param === undefined) {
      out.push([p]);
      continue;
    }
    const a = argument(p.param);
    if (!a) return undefined;
    out.push(filled(a, p.hole));
  }
  return concat(...out);
}
