// Compiles an X-Ray filter expression (GetTraceSummaries' FilterExpression) into a predicate over
// facts about one trace, following the language of the X-Ray developer guide ("Use filter
// expressions"). The store computes the facts once per trace; this module never sees spans, so it
// stays pure and cheap to evaluate over thousands of traces.
//
// Grammar (keywords and AND/OR/NOT/CONTAINS/... are case-insensitive; annotation keys and
// service names are not):
//   filter     := <empty> | or
//   or         := and { (OR | '||') and }
//   and        := unary { [AND | '&&'] unary }       juxtaposition is AND, as in X-Ray's own
//                                                    example `ok !partial duration <3`
//   unary      := (NOT | '!') unary | primary
//   primary    := '(' or ')' | service | keyword [ operator value ]
//   service    := service '(' [ STRING | id ] ')' [ '{' or '}' ]   inside braces the keywords
//                                                    are one service's: ok error fault throttle
//                                                    responsetime duration name type
//   id         := id '(' idArg { ',' idArg } ')'       idArg := (name | type) ':' STRING
//   keyword    := ok | error | fault | throttle | responsetime | duration | http.status
//               | http.url | http.method | user | annotation.KEY | annotation '[' KEY ']'
//   value      := STRING (double quotes, backslash escapes) | NUMBER | true | false

/** What the filter knows about one service (a node) of the trace. */
export interface ServiceFacts {
  name: string;
  type?: string;
  ok: boolean;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  responseTimeSec?: number;
  durationSec?: number;
}

/** What the filter knows about one trace; the store derives it from the assembled trace. */
export interface TraceFacts {
  ok: boolean;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  /** The root segment's end - start, in seconds. */
  responseTimeSec?: number;
  /** Latest end - earliest start over the trace, in seconds. */
  durationSec?: number;
  /** Of the root segment. */
  http: { status?: number; url?: string; method?: string };
  users: string[];
  annotations: Record<string, (string | number | boolean)[]>;
  services: ServiceFacts[];
}

/** A compiled filter expression: true when the trace matches. */
export type CompiledFilter = (facts: TraceFacts) => boolean;

/** The compiled filter, or why the expression is invalid and where (a zero-based offset). */
export type FilterCompileResult =
  { ok: true; filter: CompiledFilter } | { ok: false; message: string; position: number };

// Generous for hand-written and console-built expressions, small enough that a hostile request
// costs nothing; depth bounds recursion far below any stack limit.
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 50;

type Value = string | number | boolean;
type Pred<F> = (facts: F) => boolean;

/** Compiles an X-Ray filter expression; never throws: an invalid one comes back as a message and position. */
export function compileFilter(expression: string): FilterCompileResult {
  // The server hands over whatever the request body held.
  if (typeof expression !== 'string')
    return { ok: false, message: 'The filter expression must be a string', position: 0 };
  if (expression.length > MAX_LENGTH) {
    return {
      ok: false,
      message: `The filter expression is ${expression.length} characters long; the limit is ${MAX_LENGTH} (stopped at position ${MAX_LENGTH})`,
      position: MAX_LENGTH,
    };
  }
  try {
    return { ok: true, filter: new Parser(new Lexer(expression)).filter() };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, message: e.message, position: e.position };
    throw e;
  }
}

class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

function fail(message: string, position: number): never {
  throw new FilterSyntaxError(message, position);
}

// ---- tokens ---------------------------------------------------------------------------------

interface Token {
  readonly kind: 'word' | 'string' | 'number' | 'symbol' | 'key' | 'end';
  /** The source text (for a string, as written, quotes included). */
  readonly text: string;
  readonly pos: number;
  /** A string's or key's decoded text, a number's value. */
  readonly value?: string | number;
}

/** How a message names a token; long ones are cut so a message stays readable. */
function describe(t: Token): string {
  const cut = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
  switch (t.kind) {
    case 'end':
      return 'end of expression';
    case 'string':
      return `string ${JSON.stringify(cut(String(t.value)))}`;
    case 'number':
      return `number ${cut(t.text)}`;
    case 'key':
      return `'[${cut(String(t.value))}]'`;
    default:
      return `'${cut(t.text)}'`;
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c) || c === 46;
const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0xfeff ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x3000;

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
};

/** Scans on demand, so errors come out in source order; every character is looked at once. */
class Lexer {
  private i = 0;
  private ahead: Token | undefined;

  constructor(private readonly src: string) {}

  peek(): Token {
    this.ahead ??= this.scan();
    return this.ahead;
  }

  next(): Token {
    const t = this.peek();
    this.ahead = undefined;
    return t;
  }

  private scan(): Token {
    const src = this.src;
    while (this.i < src.length && isSpace(src.charCodeAt(this.i))) this.i++;
    const start = this.i;
    if (start >= src.length) return { kind: 'end', text: '', pos: src.length };
    const c = src.charCodeAt(start);
    if (isIdentStart(c)) {
      this.i++;
      while (this.i < src.length && isIdentPart(src.charCodeAt(this.i))) this.i++;
      return { kind: 'word', text: src.slice(start, this.i), pos: start };
    }
    const next = src.charCodeAt(start + 1);
    if (
      isDigit(c) ||
      ((c === 45 || c === 46) && (isDigit(next) || (c === 45 && next === 46 && isDigit(src.charCodeAt(start + 2)))))
    ) {
      return this.number(start);
    }
    if (c === 34) {
      const value = this.string(start);
      return { kind: 'string', text: src.slice(start, this.i), pos: start, value };
    }
    if (c === 91) return this.key(start);
    const two = src.slice(start, start + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '&&' || two === '||') {
      this.i += 2;
      return { kind: 'symbol', text: two, pos: start };
    }
    const one = src[start];
    if ('(){},:=<>!'.includes(one)) {
      this.i++;
      return { kind: 'symbol', text: one, pos: start };
    }
    if (one === '&' || one === '|')
      fail(`Unexpected '${one}' at position ${start}; write '${one}${one}' or ${one === '&' ? 'AND' : 'OR'}`, start);
    if (one === "'") fail(`Unexpected "'" at position ${start}; strings go in double quotes`, start);
    if (one === ']') fail(`Unexpected ']' at position ${start} without an opening '['`, start);
    const ch = String.fromCodePoint(src.codePointAt(start) ?? c);
    return fail(`Unexpected character ${JSON.stringify(ch)} at position ${start}`, start);
  }

  private number(start: number): Token {
    const src = this.src;
    let i = start;
    if (src.charCodeAt(i) === 45) i++;
    while (isDigit(src.charCodeAt(i))) i++;
    if (src.charCodeAt(i) === 46) {
      i++;
      while (isDigit(src.charCodeAt(i))) i++;
    }
    const e = src.charCodeAt(i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      if (src.charCodeAt(j) === 43 || src.charCodeAt(j) === 45) j++;
      if (isDigit(src.charCodeAt(j))) {
        while (isDigit(src.charCodeAt(j))) j++;
        i = j;
      }
    }
    // `5s` or `1.2.3` is a typo, not the number 5 followed by a keyword `s`.
    let end = i;
    while (end < src.length && isIdentPart(src.charCodeAt(end))) end++;
    if (end > i) {
      fail(
        `Invalid number '${src.slice(start, Math.min(end, start + 40))}' at position ${start}; numbers are plain decimals (seconds for times), such as 5 or 0.25`,
        start,
      );
    }
    const text = src.slice(start, i);
    const value = Number(text);
    if (!Number.isFinite(value)) fail(`Number ${text.slice(0, 40)} at position ${start} is out of range`, start);
    this.i = i;
    return { kind: 'number', text, pos: start, value };
  }

  /** Reads a double-quoted string starting at start; leaves this.i after the closing quote. */
  private string(start: number): string {
    const src = this.src;
    let out = '';
    let seg = start + 1;
    let i = seg;
    for (;;) {
      if (i >= src.length) fail(`Unterminated string starting at position ${start}; close it with '"'`, start);
      const c = src.charCodeAt(i);
      if (c === 34) break;
      if (c !== 92) {
        i++;
        continue;
      }
      out += src.slice(seg, i);
      const esc = src[i + 1];
      if (esc === undefined) fail(`Unterminated string starting at position ${start}; close it with '"'`, start);
      if (esc === 'u') {
        const hex = src.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
          fail(`Expected four hex digits after '\\u' at position ${i}, found ${JSON.stringify(hex)}`, i);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (Object.hasOwn(SIMPLE_ESCAPES, esc)) {
        out += SIMPLE_ESCAPES[esc];
        i += 2;
      } else {
        fail(`Unknown escape '\\${esc}' at position ${i}; use \\", \\\\, \\n, \\t, \\r or \\uXXXX`, i);
      }
      seg = i;
    }
    out += src.slice(seg, i);
    this.i = i + 1;
    return out;
  }

  /** `[key]` or `["key"]`, the bracket form of an annotation key. */
  private key(start: number): Token {
    const src = this.src;
    let i = start + 1;
    while (i < src.length && isSpace(src.charCodeAt(i))) i++;
    let value: string;
    if (src.charCodeAt(i) === 34) {
      value = this.string(i);
      i = this.i;
      while (i < src.length && isSpace(src.charCodeAt(i))) i++;
      if (src[i] !== ']')
        fail(
          `Expected ']' to close '[' at position ${i}, found ${i >= src.length ? 'end of expression' : JSON.stringify(src[i])}`,
          i,
        );
    } else {
      const close = src.indexOf(']', i);
      if (close < 0) fail(`Unterminated '[' at position ${start}; close the annotation key with ']'`, start);
      value = src.slice(i, close).trim();
      i = close;
    }
    if (value === '') fail(`Expected an annotation key inside '[ ]' at position ${start}`, start);
    this.i = i + 1;
    return { kind: 'key', text: src.slice(start, this.i), pos: start, value };
  }
}

// ---- keywords -------------------------------------------------------------------------------

/** A keyword reads a list of values, so one rule serves single facts, users and annotations. */
interface Keyword<F> {
  readonly type: 'boolean' | 'number' | 'string' | 'annotation';
  readonly values: (facts: F) => readonly Value[];
}

const bool = <F>(get: (f: F) => boolean): Keyword<F> => ({ type: 'boolean', values: (f) => [get(f)] });
const num = <F>(get: (f: F) => number | undefined): Keyword<F> => ({
  type: 'number',
  values: (f) => {
    const v = get(f);
    return v === undefined ? [] : [v];
  },
});
const str = <F>(get: (f: F) => string | undefined): Keyword<F> => ({
  type: 'string',
  values: (f) => {
    const v = get(f);
    return v === undefined ? [] : [v];
  },
});

interface Scope<F> {
  readonly keywords: ReadonlyMap<string, Keyword<F>>;
  /** Keywords with a syntax of their own (service(…), annotation[…]); undefined when t is not one. */
  readonly special?: (parser: Parser, t: Token, name: string) => Pred<F> | undefined;
  /** How messages list what this scope accepts. */
  readonly supported: string;
  /** Keywords X-Ray knows that this scope does not, with why. */
  readonly elsewhere: (name: string) => string | undefined;
}

const TRACE_KEYWORDS = new Map<string, Keyword<TraceFacts>>([
  ['ok', bool((f) => f.ok)],
  ['error', bool((f) => f.error)],
  ['fault', bool((f) => f.fault)],
  ['throttle', bool((f) => f.throttle)],
  ['responsetime', num((f) => f.responseTimeSec)],
  ['duration', num((f) => f.durationSec)],
  ['http.status', num((f) => f.http.status)],
  ['http.url', str((f) => f.http.url)],
  ['http.method', str((f) => f.http.method)],
  ['user', { type: 'string', values: (f) => f.users }],
]);

const SERVICE_KEYWORDS = new Map<string, Keyword<ServiceFacts>>([
  ['ok', bool((s) => s.ok)],
  ['error', bool((s) => s.error)],
  ['fault', bool((s) => s.fault)],
  ['throttle', bool((s) => s.throttle)],
  ['responsetime', num((s) => s.responseTimeSec)],
  ['duration', num((s) => s.durationSec)],
  ['name', str((s) => s.name)],
  ['type', str((s) => s.type)],
]);

// X-Ray's documented keywords whose facts the local store does not keep (root causes, groups,
// edges, client details): named as unsupported rather than unknown, so nobody hunts for a typo.
const NOT_KEPT = new Set([
  'partial',
  'inferred',
  'first',
  'last',
  'remote',
  'root',
  'index',
  'coverage',
  'http.useragent',
  'http.clientip',
  'message',
  'availabilityzone',
  'instance.id',
  'resource.arn',
  'edge',
  'json',
  'group.name',
  'group.arn',
]);

const TRACE_SCOPE: Scope<TraceFacts> = {
  keywords: TRACE_KEYWORDS,
  special: (parser, t, name) => (name === 'service' ? parser.service(t) : parser.annotation(t, name)),
  supported:
    'ok, error, fault, throttle, responsetime, duration, http.status, http.url, http.method, user, annotation.KEY, annotation[KEY], service(…)',
  elsewhere: (name) => {
    if (name === 'name' || name === 'type')
      return `applies to a service; use it inside service() { }, as in service() { ${name} = "…" }`;
    if (name === 'id') return 'names a service; use it as service(id(name: "…", type: "…"))';
    if (NOT_KEPT.has(name) || name.startsWith('rootcause.')) return 'is not supported by the local X-Ray';
    return undefined;
  },
};

const SERVICE_SCOPE: Scope<ServiceFacts> = {
  keywords: SERVICE_KEYWORDS,
  supported: 'ok, error, fault, throttle, responsetime, duration, name, type',
  elsewhere: (name) =>
    TRACE_KEYWORDS.has(name) || name === 'service' || name === 'annotation' || name.startsWith('annotation.')
      ? "can't be used inside service() { }"
      : NOT_KEPT.has(name) || name.startsWith('rootcause.')
        ? 'is not supported by the local X-Ray'
        : undefined,
};

// ---- parser ---------------------------------------------------------------------------------

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'beginswith' | 'endswith';

const ORDER_OPS: ReadonlySet<Operator> = new Set(['<', '<=', '>', '>=']);
const TEXT_OPS: ReadonlySet<Operator> = new Set(['contains', 'beginswith', 'endswith']);
const OPS_OF = {
  boolean: '= or !=',
  number: 'one of =, !=, <, <=, >, >=',
  string: 'one of =, !=, CONTAINS, BEGINSWITH, ENDSWITH',
};
const RESERVED = new Set(['and', 'or', 'not', 'contains', 'beginswith', 'endswith', 'true', 'false']);

const isWord = (t: Token, w: string) => t.kind === 'word' && t.text.toLowerCase() === w;
const isSymbol = (t: Token, s: string) => t.kind === 'symbol' && t.text === s;

function operatorOf(t: Token): Operator | undefined {
  if (t.kind === 'symbol' && ['=', '!=', '<', '<=', '>', '>='].includes(t.text)) return t.text as Operator;
  if (t.kind === 'word') {
    const w = t.text.toLowerCase();
    if (w === 'contains' || w === 'beginswith' || w === 'endswith') return w;
  }
  return undefined;
}

/** The predicate "some value v satisfies op against x"; != is the negation of =, so a missing fact passes it. */
function compare<F>(values: (f: F) => readonly Value[], op: Operator, x: Value): Pred<F> {
  switch (op) {
    case '=':
      return (f) => values(f).some((v) => v === x);
    case '!=':
      return (f) => !values(f).some((v) => v === x);
    case '<':
      return (f) => values(f).some((v) => typeof v === 'number' && v < (x as number));
    case '<=':
      return (f) => values(f).some((v) => typeof v === 'number' && v <= (x as number));
    case '>':
      return (f) => values(f).some((v) => typeof v === 'number' && v > (x as number));
    case '>=':
      return (f) => values(f).some((v) => typeof v === 'number' && v >= (x as number));
    case 'contains':
      return (f) => values(f).some((v) => typeof v === 'string' && v.includes(x as string));
    case 'beginswith':
      return (f) => values(f).some((v) => typeof v === 'string' && v.startsWith(x as string));
    case 'endswith':
      return (f) => values(f).some((v) => typeof v === 'string' && v.endsWith(x as string));
  }
}

const all = <F>(parts: Pred<F>[]): Pred<F> => (parts.length === 1 ? parts[0] : (f) => parts.every((p) => p(f)));
const any = <F>(parts: Pred<F>[]): Pred<F> => (parts.length === 1 ? parts[0] : (f) => parts.some((p) => p(f)));

class Parser {
  private depth = 0;

  constructor(private readonly lex: Lexer) {}

  filter(): CompiledFilter {
    if (this.lex.peek().kind === 'end') return () => true;
    const p = this.or(TRACE_SCOPE);
    const t = this.lex.peek();
    if (t.kind !== 'end') {
      if (isSymbol(t, ')') || isSymbol(t, '}')) fail(`Unmatched '${t.text}' at position ${t.pos}`, t.pos);
      fail(`Expected AND, OR or end of expression at position ${t.pos}, found ${describe(t)}`, t.pos);
    }
    return p;
  }

  private or<F>(scope: Scope<F>, after?: Token): Pred<F> {
    const parts = [this.and(scope, after)];
    for (let t = this.lex.peek(); isWord(t, 'or') || isSymbol(t, '||'); t = this.lex.peek()) {
      this.lex.next();
      parts.push(this.and(scope, t));
    }
    return any(parts);
  }

  private and<F>(scope: Scope<F>, after?: Token): Pred<F> {
    const parts = [this.unary(scope, after)];
    for (let t = this.lex.peek(); ; t = this.lex.peek()) {
      if (isWord(t, 'and') || isSymbol(t, '&&')) {
        this.lex.next();
        parts.push(this.unary(scope, t));
      } else if (this.startsCondition(t)) {
        parts.push(this.unary(scope));
      } else {
        return all(parts);
      }
    }
  }

  private startsCondition(t: Token): boolean {
    if (t.kind === 'word') return isWord(t, 'not') || !RESERVED.has(t.text.toLowerCase());
    return isSymbol(t, '(') || isSymbol(t, '!');
  }

  private unary<F>(scope: Scope<F>, after?: Token): Pred<F> {
    const t = this.lex.peek();
    if (!isWord(t, 'not') && !isSymbol(t, '!')) return this.primary(scope, after);
    this.lex.next();
    this.enter(t);
    const inner = this.unary(scope, t);
    this.depth--;
    return (f) => !inner(f);
  }

  private primary<F>(scope: Scope<F>, after?: Token): Pred<F> {
    const t = this.lex.next();
    if (isSymbol(t, '(')) {
      this.enter(t);
      const inner = this.or(scope, t);
      this.expectClose(')', t);
      this.depth--;
      return inner;
    }
    if (t.kind !== 'word' || RESERVED.has(t.text.toLowerCase())) {
      fail(
        `Expected a keyword or '('${after ? ` after ${describe(after)}` : ''} at position ${t.pos}, found ${describe(t)}`,
        t.pos,
      );
    }
    return this.keyword(scope, t);
  }

  private keyword<F>(scope: Scope<F>, t: Token): Pred<F> {
    const name = t.text.toLowerCase();
    const special = scope.special?.(this, t, name);
    if (special) return special;
    const kw = scope.keywords.get(name);
    if (kw) return this.comparison(kw, t);
    const why = scope.elsewhere(name);
    const shown = t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text;
    if (why) fail(`Keyword '${shown}' at position ${t.pos} ${why}; supported keywords: ${scope.supported}`, t.pos);
    return fail(`Unknown keyword '${shown}' at position ${t.pos}; supported keywords: ${scope.supported}`, t.pos);
  }

  /** `annotation.KEY` or `annotation[KEY]` with its comparison, or undefined when t is another keyword. */
  annotation(t: Token, name: string): Pred<TraceFacts> | undefined {
    let key: string;
    if (name.startsWith('annotation.')) {
      key = t.text.slice('annotation.'.length);
      const end = t.pos + t.text.length;
      if (key === '')
        fail(
          `Expected an annotation key after 'annotation.' at position ${end}, found ${describe(this.lex.peek())}`,
          end,
        );
    } else if (name === 'annotation') {
      const k = this.lex.next();
      if (k.kind !== 'key')
        fail(`Expected '[KEY]' or '.KEY' after 'annotation' at position ${k.pos}, found ${describe(k)}`, k.pos);
      key = String(k.value);
    } else {
      return undefined;
    }
    // hasOwn: a key such as `constructor` must not find Object.prototype's.
    return this.comparison(
      { type: 'annotation', values: (f) => (Object.hasOwn(f.annotations, key) ? f.annotations[key] : []) },
      t,
    );
  }

  /** The keyword alone, or `keyword operator value`, checked against the keyword's type. */
  private comparison<F>(kw: Keyword<F>, name: Token): Pred<F> {
    const opTok = this.lex.peek();
    const op = operatorOf(opTok);
    if (!op) {
      if (opTok.kind === 'string' || opTok.kind === 'number' || isWord(opTok, 'true') || isWord(opTok, 'false')) {
        fail(
          `Expected an operator after ${describe(name)} at position ${opTok.pos}, found ${describe(opTok)}`,
          opTok.pos,
        );
      }
      // Alone: a boolean is its value; anything else is "is set" (an annotation set to false is false).
      return (f) => kw.values(f).some((v) => v !== false);
    }
    this.lex.next();
    const fits =
      kw.type === 'boolean'
        ? op === '=' || op === '!='
        : kw.type === 'number'
          ? !TEXT_OPS.has(op)
          : kw.type === 'string'
            ? !ORDER_OPS.has(op)
            : true;
    if (!fits && kw.type !== 'annotation') {
      fail(
        `Expected ${OPS_OF[kw.type]} after ${kw.type} keyword ${describe(name)} at position ${opTok.pos}, found ${describe(opTok)}`,
        opTok.pos,
      );
    }

    const v = this.lex.next();
    const literal: Value | undefined =
      v.kind === 'string' || v.kind === 'number'
        ? (v.value as Value)
        : isWord(v, 'true')
          ? true
          : isWord(v, 'false')
            ? false
            : undefined;
    if (literal === undefined) {
      const hint =
        v.kind === 'word' && !RESERVED.has(v.text.toLowerCase()) ? '; string values go in double quotes' : '';
      fail(`Expected a value after ${describe(opTok)} at position ${v.pos}, found ${describe(v)}${hint}`, v.pos);
    }
    // An annotation holds any type: the operator decides which values it can compare.
    const want =
      kw.type !== 'annotation' ? kw.type : ORDER_OPS.has(op) ? 'number' : TEXT_OPS.has(op) ? 'string' : undefined;
    if (want === 'boolean') {
      // X-Ray compares booleans "to the string true or false": accept it quoted too.
      const b = typeof literal === 'string' ? literal.toLowerCase() : literal;
      if (b !== true && b !== false && b !== 'true' && b !== 'false') {
        fail(`Expected true or false after ${describe(opTok)} at position ${v.pos}, found ${describe(v)}`, v.pos);
      }
      return compare(kw.values, op, b === true || b === 'true');
    }
    if (want !== undefined && typeof literal !== want) {
      fail(
        `Expected a ${want === 'string' ? 'quoted string' : 'number'} after ${describe(opTok)} at position ${v.pos}, found ${describe(v)}`,
        v.pos,
      );
    }
    return compare(kw.values, op, literal);
  }

  /** service(), service("name"), service(id(name: …, type: …)), each with an optional { filter }. */
  service(t: Token): Pred<TraceFacts> {
    this.expectAfter('(', t);
    let match: Pred<ServiceFacts> = () => true;
    const a = this.lex.peek();
    if (a.kind === 'string') {
      this.lex.next();
      const name = String(a.value);
      match = (s) => s.name === name;
    } else if (isWord(a, 'id')) {
      this.lex.next();
      match = this.id(a);
    } else if (!isSymbol(a, ')')) {
      fail(
        `Expected a quoted service name, id(…) or ')' after 'service(' at position ${a.pos}, found ${describe(a)}`,
        a.pos,
      );
    }
    this.expectClose(')', t);
    const brace = this.lex.peek();
    if (!isSymbol(brace, '{')) return (f) => f.services.some(match);
    this.lex.next();
    this.enter(brace);
    const inner = this.or(SERVICE_SCOPE, brace);
    this.expectClose('}', brace);
    this.depth--;
    return (f) => f.services.some((s) => match(s) && inner(s));
  }

  /** id(name: "…", type: "…"), either part optional but not both. */
  private id(t: Token): Pred<ServiceFacts> {
    this.expectAfter('(', t);
    const given: { name?: string; type?: string } = {};
    for (;;) {
      const arg = this.lex.next();
      const which = arg.kind === 'word' ? arg.text.toLowerCase() : '';
      if (which !== 'name' && which !== 'type')
        fail(`Expected name: or type: in id( at position ${arg.pos}, found ${describe(arg)}`, arg.pos);
      if (given[which] !== undefined) fail(`'${which}' is given twice in id( at position ${arg.pos}`, arg.pos);
      this.expectAfter(':', arg);
      const v = this.lex.next();
      if (v.kind !== 'string')
        fail(`Expected a quoted string after '${which}:' at position ${v.pos}, found ${describe(v)}`, v.pos);
      given[which] = String(v.value);
      if (!isSymbol(this.lex.peek(), ',')) break;
      this.lex.next();
    }
    this.expectClose(')', t);
    const { name, type } = given;
    return (s) => (name === undefined || s.name === name) && (type === undefined || s.type === type);
  }

  private expectAfter(symbol: string, prev: Token): void {
    const t = this.lex.next();
    if (!isSymbol(t, symbol))
      fail(`Expected '${symbol}' after ${describe(prev)} at position ${t.pos}, found ${describe(t)}`, t.pos);
  }

  /** Consumes the symbol closing what `open` opened (its '(' or '{', or the keyword before it). */
  private expectClose(symbol: string, open: Token): void {
    const t = this.lex.next();
    if (!isSymbol(t, symbol)) {
      const opened = open.kind === 'word' ? `'${open.text}('` : `'${open.text}'`;
      fail(
        `Expected '${symbol}' at position ${t.pos} to close ${opened} at position ${open.pos}, found ${describe(t)}`,
        t.pos,
      );
    }
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) {
      fail(
        `The expression nests deeper than ${MAX_DEPTH} levels at position ${t.pos} (parentheses, NOT and service braces each count)`,
        t.pos,
      );
    }
  }
}

/** A filter for traces that touch any of the services: `service("a") OR service("b")`; empty for none. */
export function serviceFilter(names: readonly string[]): string {
  return [...new Set(names)].map((n) => `service(${JSON.stringify(n)})`).join(' OR ');
}

/** Both filters (either may be empty): `(a) AND (b)`. */
export function andFilters(a: string | undefined, b: string | undefined): string | undefined {
  const x = a?.trim();
  const y = b?.trim();
  if (!x) return y || undefined;
  if (!y) return x;
  return `(${x}) AND (${y})`;
}
