// A file's tokens from the instrumentation index's lexer (comments gone, strings whole), copied out
// of the lexer's shared buffers so two files can be looked at together, with bracket pairs and the
// small queries the route scanners ask.
import type { Family } from '../instrumentation/language';
import { literalValue } from '../instrumentation/nameExpression';
import { Kind, tokenize } from '../instrumentation/tokens';

export { Kind };

/** Char codes of the punctuation the scanners look for. */
export const C = {
  lparen: 40,
  rparen: 41,
  comma: 44,
  dot: 46,
  colon: 58,
  semi: 59,
  lt: 60,
  eq: 61,
  gt: 62,
  at: 64,
  lbracket: 91,
  rbracket: 93,
  lbrace: 123,
  rbrace: 125,
  star: 42,
} as const;

/** Tokens of one file. */
export class TokenList {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly code: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  readonly line: Int32Array;
  readonly col: Int32Array;
  /** 1 on the first token of a (logical) line. */
  readonly bol: Uint8Array;
  /** The index of the matching bracket, or -1. */
  readonly match: Int32Array;

  constructor(
    readonly text: string,
    readonly family: Family,
  ) {
    const t = tokenize(text, family);
    this.count = t.count;
    this.kind = t.kind.slice(0, t.count);
    this.code = t.code.slice(0, t.count);
    this.start = t.start.slice(0, t.count);
    this.end = t.end.slice(0, t.count);
    this.line = t.line.slice(0, t.count);
    this.col = t.col.slice(0, t.count);
    this.bol = t.bol.slice(0, t.count);
    this.match = pairs(this);
  }

  /** The source text of token i. */
  tok(i: number): string {
    return i >= 0 && i < this.count ? this.text.slice(this.start[i], this.end[i]) : '';
  }

  /** True when token i is the identifier word (any identifier when word is omitted). */
  ident(i: number, word?: string): boolean {
    if (i < 0 || i >= this.count || this.kind[i] !== Kind.Ident) return false;
    return (
      word === undefined || (this.end[i]! - this.start[i]! === word.length && this.text.startsWith(word, this.start[i]))
    );
  }

  /** True when token i is the punctuation c. */
  punct(i: number, c: number): boolean {
    return i >= 0 && i < this.count && this.kind[i] === Kind.Punct && this.code[i] === c;
  }

  /** The value of a string literal without interpolation at i, else undefined. */
  str(i: number): string | undefined {
    if (i < 0 || i >= this.count || this.kind[i] !== Kind.Str) return undefined;
    const raw = this.tok(i);
    // Python byte strings and Java char literals are no paths.
    if (this.family === 'python' && /^[rR]?[bB]|^[bB][rR]?/.test(raw)) return undefined;
    return literalValue(raw, this.family);
  }

  /** The argument ranges [from, to) inside the bracket pair that opens at open, split at top-level commas. */
  args(open: number): [number, number][] {
    const close = this.match[open]!;
    if (close < 0) return [];
    const out: [number, number][] = [];
    let from = open + 1;
    for (let i = open + 1; i < close; i++) {
      const m = this.match[i]!;
      if (
        m > i &&
        this.kind[i] === Kind.Punct &&
        (this.code[i] === C.lparen || this.code[i] === C.lbracket || this.code[i] === C.lbrace)
      ) {
        i = m;
        continue;
      }
      if (this.punct(i, C.comma)) {
        if (i > from) out.push([from, i]);
        from = i + 1;
      }
    }
    if (close > from) out.push([from, close]);
    return out;
  }

  /** The string literal that an argument range is, alone. */
  strArg(r: readonly [number, number] | undefined): string | undefined {
    return r && r[1] - r[0] === 1 ? this.str(r[0]) : undefined;
  }

  /** The string literals of an argument that is one string or a list of them (`['/a', '/b']`, `{"/a", "/b"}`, `("GET", "POST")`). */
  strList(r: readonly [number, number] | undefined): string[] | undefined {
    if (!r) return undefined;
    const one = this.strArg(r);
    if (one !== undefined) return [one];
    const open = r[0];
    const isList = this.punct(open, C.lbracket) || this.punct(open, C.lbrace) || this.punct(open, C.lparen);
    if (!isList || this.match[open] !== r[1] - 1) return undefined;
    const out: string[] = [];
    for (const a of this.args(open)) {
      const s = this.strArg(a);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }

  /** For `key = value` or `key: value` arguments: the key and the value's range. */
  keyword(r: readonly [number, number]): { key: string; value: [number, number] } | undefined {
    if (r[1] - r[0] < 3 || !(this.ident(r[0]) || this.kind[r[0]] === Kind.Str)) return undefined;
    if (!this.punct(r[0] + 1, C.eq) && !this.punct(r[0] + 1, C.colon)) return undefined;
    const key = this.kind[r[0]] === Kind.Str ? (this.str(r[0]) ?? '') : this.tok(r[0]);
    return { key, value: [r[0] + 2, r[1]] };
  }

  /** The value range of the keyword argument key among args. */
  kwarg(args: readonly [number, number][], key: string): [number, number] | undefined {
    for (const a of args) {
      const k = this.keyword(a);
      if (k?.key === key) return k.value;
    }
    return undefined;
  }

  /** The arguments that are not `key = value`. */
  positional(args: readonly [number, number][]): [number, number][] {
    return args.filter((a) => !this.keyword(a));
  }

  /** The identifiers of a dotted chain ending at i (`a.b.c` at c gives [a, b, c]). */
  chainEndingAt(i: number): string[] {
    const out: string[] = [];
    let j = i;
    while (this.ident(j)) {
      out.unshift(this.tok(j));
      if (!this.punct(j - 1, C.dot)) break;
      j -= 2;
    }
    return out;
  }
}

/** Pairs brackets; a stray closer is skipped, an unclosed opener stays -1. */
function pairs(t: TokenList): Int32Array {
  const match = new Int32Array(t.count).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < t.count; i++) {
    if (t.kind[i] !== Kind.Punct) continue;
    const c = t.code[i];
    if (c === C.lparen || c === C.lbracket || c === C.lbrace) stack.push(i);
    else if (c === C.rparen || c === C.rbracket || c === C.rbrace) {
      const want = c === C.rparen ? C.lparen : c === C.rbracket ? C.lbracket : C.lbrace;
      let k = stack.length - 1;
      while (k >= 0 && k >= stack.length - 3 && t.code[stack[k]!] !== want) k--;
      if (k < 0 || t.code[stack[k]!] !== want) continue;
      const open = stack[k]!;
      stack.length = k;
      match[open] = i;
      match[i] = open;
    }
  }
  return match;
}

/** Joins a prefix and a path the way routers do: one slash between, none doubled, a leading slash. */
export function joinPaths(...parts: string[]): string {
  let out = '';
  for (const p of parts) {
    const s = p.replace(/^\/+/, '');
    if (s === '') continue;
    out = out.replace(/\/+$/, '') + '/' + s;
  }
  if (out === '') return '/';
  // A trailing slash on the last part is kept: some frameworks tell `/a/` from `/a`.
  return out;
}
