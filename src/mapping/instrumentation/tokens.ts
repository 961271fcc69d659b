// A lexer just good enough to find calls: identifiers, strings, numbers and punctuation, with
// comments dropped. Tokens go into parallel typed arrays reused from file to file, because a
// workspace scan makes millions of them and keeps none: what it keeps is extracted from them.
import type { Family } from './language';

/** Token kinds. */
export const Kind = {
  Ident: 1,
  /** A string without interpolation. */
  Str: 2,
  /** A string with interpolation: JS template, Python f-string, C# `$"…"`. */
  Tpl: 3,
  Num: 4,
  Punct: 5,
  /** Char literal (Java, Go, C#) or JS regular expression: never a name. */
  Other: 6,
} as const;

/** Codes of the punctuation made of several characters; single characters use their char code. */
export const P = {
  fatArrow: 1001, // =>
  thinArrow: 1002, // ->
  colonColon: 1003, // ::
  equality: 1004, // == === != !== <= >=
  ellipsis: 1005, // ...
  power: 1006, // **
  optionalDot: 1007, // ?.
  compound: 1008, // += -= ++ -- && || ?? := and the like
} as const;

/** The tokens of one file. Valid until the next tokenize() call, which reuses the arrays. */
export interface Tokens {
  readonly text: string;
  readonly count: number;
  readonly kind: Uint8Array;
  /** The char code of single-character punctuation, a P code for longer punctuation. */
  readonly code: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** 1-based line and column (UTF-16 units, as editors count) of the token's first character. */
  readonly line: Int32Array;
  readonly col: Int32Array;
  readonly endLine: Int32Array;
  /** 1 on the first token of a line (Python: of a logical line, outside brackets). */
  readonly bol: Uint8Array;
}

let capacity = 0;
let kind = new Uint8Array(0);
let code = new Int32Array(0);
let start = new Int32Array(0);
let end = new Int32Array(0);
let line = new Int32Array(0);
let col = new Int32Array(0);
let endLine = new Int32Array(0);
let bol = new Uint8Array(0);

function grow(min: number): void {
  const size = Math.max(min, capacity * 2, 1024);
  const copy = <T extends Uint8Array | Int32Array>(a: T, b: T): T => (b.set(a), b);
  kind = copy(kind, new Uint8Array(size));
  code = copy(code, new Int32Array(size));
  start = copy(start, new Int32Array(size));
  end = copy(end, new Int32Array(size));
  line = copy(line, new Int32Array(size));
  col = copy(col, new Int32Array(size));
  endLine = copy(endLine, new Int32Array(size));
  bol = copy(bol, new Uint8Array(size));
  capacity = size;
}

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128;
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;

// After these a `/` starts a regular expression, not a division.
const regexAfterWord = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const toEolOf = (text: string, j: number) => {
  const e = text.indexOf('\n', j);
  return e === -1 ? text.length : e;
};

/** Splits text into tokens; comments vanish, strings and templates are single tokens. */
export function tokenize(text: string, family: Family): Tokens {
  const n = text.length;
  let count = 0;
  let ln = 1;
  let lineStart = 0;
  let lineHasToken = false;
  let depth = 0;
  // A `#!` line (scripts run directly) is not code in any of the languages.
  let i = text.startsWith('#!') ? toEolOf(text, 0) : 0;

  const push = (k: number, c: number, s: number, e: number, sLine: number, sCol: number) => {
    if (count >= capacity) grow(count + 1);
    kind[count] = k;
    code[count] = c;
    start[count] = s;
    end[count] = e;
    line[count] = sLine;
    col[count] = sCol;
    endLine[count] = ln;
    bol[count] = !lineHasToken && (family !== 'python' || depth === 0) ? 1 : 0;
    lineHasToken = true;
    count++;
  };
  /** Moves the line counters over text[from, to) that a multi-line token covered. */
  const passLines = (from: number, to: number) => {
    for (let j = text.indexOf('\n', from); j !== -1 && j < to; j = text.indexOf('\n', j + 1)) {
      ln++;
      lineStart = j + 1;
    }
  };
  const toEol = (j: number) => toEolOf(text, j);
  /** End of a one-line quoted string starting after its opening quote; stops at the line's end when unterminated. */
  const quoted = (j: number, q: number) => {
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 92) j += 2;
      else if (c === q) return j + 1;
      else if (c === 10) return j;
      else j++;
    }
    return n;
  };
  /** End of a string closed by three quotes q (Python, Java text blocks), escapes honoured. */
  const tripleQuoted = (j: number, q: number) => {
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 92) j += 2;
      else if (c === q && text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q) return j + 3;
      else j++;
    }
    return n;
  };
  /** End of a brace-delimited expression inside an interpolated string, from after its `{`. */
  const braced = (j: number): number => {
    let d = 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 123) d++;
      else if (c === 125 && --d === 0) return j + 1;
      else if (c === 39 || c === 34) {
        j = quoted(j + 1, c);
        continue;
      } else if (c === 96 && family === 'js') {
        j = template(j + 1).end;
        continue;
      }
      j++;
    }
    return n;
  };
  /** A JS template literal from after its backtick. */
  const template = (j: number): { end: number; interpolated: boolean } => {
    let interpolated = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 92) j += 2;
      else if (c === 96) return { end: j + 1, interpolated };
      else if (c === 36 && text.charCodeAt(j + 1) === 123) {
        interpolated = true;
        j = braced(j + 2);
      } else j++;
    }
    return { end: n, interpolated };
  };
  /** A JS regular expression literal from its `/`, or -1 when the line ends first. */
  const regex = (j: number): number => {
    let inClass = false;
    for (j++; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 92) j++;
      else if (c === 10) return -1;
      else if (c === 91) inClass = true;
      else if (c === 93) inClass = false;
      else if (c === 47 && !inClass) {
        j++;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        return j;
      }
    }
    return -1;
  };
  const regexAllowed = () => {
    if (count === 0) return true;
    const k = kind[count - 1];
    if (k === Kind.Punct) {
      const c = code[count - 1];
      return c !== 41 && c !== 93; // `)` `]`
    }
    if (k === Kind.Ident) return regexAfterWord.has(text.slice(start[count - 1], end[count - 1]));
    return false;
  };
  /** C# string starting at j with its prefix (`$`, `@`, `$@`, `@$`, raw `"""`); undefined when j starts none. */
  const csharpString = (j: number): { end: number; interpolated: boolean } | undefined => {
    let verbatim = false;
    let interp = false;
    let k = j;
    while (k < j + 4 && (text.charCodeAt(k) === 36 || text.charCodeAt(k) === 64)) {
      if (text.charCodeAt(k) === 36) interp = true;
      else verbatim = true;
      k++;
    }
    if (text.charCodeAt(k) !== 34) return undefined;
    let quotes = 0;
    while (text.charCodeAt(k + quotes) === 34) quotes++;
    if (quotes >= 3) {
      // Raw string literal: closed by the same number of quotes.
      const close = '"'.repeat(quotes);
      const e = text.indexOf(close, k + quotes);
      const stop = e === -1 ? n : e + quotes;
      return { end: stop, interpolated: interp && text.slice(k, stop).includes('{') };
    }
    let interpolated = false;
    let m = k + 1;
    while (m < n) {
      const c = text.charCodeAt(m);
      if (c === 34) {
        if (verbatim && text.charCodeAt(m + 1) === 34) m += 2;
        else return { end: m + 1, interpolated };
      } else if (c === 92 && !verbatim) m += 2;
      else if (c === 10 && !verbatim) return { end: m, interpolated };
      else if (interp && c === 123) {
        if (text.charCodeAt(m + 1) === 123) m += 2;
        else {
          interpolated = true;
          m = braced(m + 1);
        }
      } else m++;
    }
    return { end: n, interpolated };
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      ln++;
      i++;
      lineStart = i;
      lineHasToken = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff || c === 0xa0) {
      i++;
      continue;
    }
    const sLine = ln;
    const sCol = i - lineStart + 1;

    if (c === 47 && family !== 'python') {
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        i = toEol(i);
        continue;
      }
      if (d === 42) {
        const e = text.indexOf('*/', i + 2);
        const stop = e === -1 ? n : e + 2;
        passLines(i, stop);
        i = stop;
        continue;
      }
      if (family === 'js' && regexAllowed()) {
        const e = regex(i);
        if (e > 0) {
          push(Kind.Other, 0, i, e, sLine, sCol);
          i = e;
          continue;
        }
      }
    }
    if (c === 35 && (family === 'python' || (family === 'csharp' && !lineHasToken))) {
      i = toEol(i); // Python comment, C# preprocessor line
      continue;
    }
    if (c === 92 && family === 'python' && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) {
      // Explicit line joining: the next line continues this logical line.
      i = toEol(i) + 1;
      ln++;
      lineStart = i;
      continue;
    }

    if (isIdentStart(c) && !(family === 'csharp' && c === 36)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if (family === 'python' && (q === 39 || q === 34) && j - i <= 2 && /^[rRbBuUfFtT]{1,2}$/.test(text.slice(i, j))) {
        const formatted = /[fFtT]/.test(text.slice(i, j));
        const triple = text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q;
        const e = triple ? tripleQuoted(j + 3, q) : quoted(j + 1, q);
        passLines(i, e);
        push(formatted && text.slice(j, e).includes('{') ? Kind.Tpl : Kind.Str, 0, i, e, sLine, sCol);
        i = e;
        continue;
      }
      push(Kind.Ident, 0, i, j, sLine, sCol);
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      push(Kind.Num, 0, i, j, sLine, sCol);
      i = j;
      continue;
    }

    // Strings.
    if (family === 'csharp' && (c === 34 || c === 36 || c === 64)) {
      const s = csharpString(i);
      if (s) {
        passLines(i, s.end);
        push(s.interpolated ? Kind.Tpl : Kind.Str, 0, i, s.end, sLine, sCol);
        i = s.end;
        continue;
      }
    }
    if (c === 34 || c === 39 || c === 96) {
      let e: number;
      let k: number = Kind.Str;
      if (c === 96 && family === 'js') {
        const t = template(i + 1);
        e = t.end;
        if (t.interpolated) k = Kind.Tpl;
      } else if (c === 96 && family === 'go') {
        const close = text.indexOf('`', i + 1);
        e = close === -1 ? n : close + 1;
      } else if (c === 96) {
        push(Kind.Punct, c, i, i + 1, sLine, sCol);
        i++;
        continue;
      } else if (
        (family === 'python' || (family === 'java' && c === 34)) &&
        text.charCodeAt(i + 1) === c &&
        text.charCodeAt(i + 2) === c
      ) {
        e = tripleQuoted(i + 3, c);
      } else {
        e = quoted(i + 1, c);
        if (c === 39 && family !== 'js' && family !== 'python') k = Kind.Other;
      }
      passLines(i, e);
      push(k, 0, i, e, sLine, sCol);
      i = e;
      continue;
    }

    // Punctuation.
    const d = text.charCodeAt(i + 1);
    let len = 1;
    let pc = c;
    if (c === 61 && d === 62) {
      pc = P.fatArrow;
      len = 2;
    } else if (c === 45 && d === 62) {
      pc = P.thinArrow;
      len = 2;
    } else if (c === 58 && d === 58) {
      pc = P.colonColon;
      len = 2;
    } else if ((c === 61 || c === 33) && d === 61) {
      pc = P.equality;
      len = text.charCodeAt(i + 2) === 61 ? 3 : 2;
    } else if ((c === 60 || c === 62) && d === 61) {
      pc = P.equality;
      len = 2;
    } else if (c === 46 && d === 46 && text.charCodeAt(i + 2) === 46) {
      pc = P.ellipsis;
      len = 3;
    } else if (c === 42 && d === 42) {
      pc = P.power;
      len = 2;
    } else if (c === 63 && d === 46 && !isDigit(text.charCodeAt(i + 2))) {
      pc = P.optionalDot;
      len = 2;
    } else if ((c === 43 || c === 45 || c === 38 || c === 124 || c === 63) && d === c) {
      pc = P.compound;
      len = 2;
    } else if (
      (c === 43 || c === 45 || c === 42 || c === 47 || c === 37 || c === 58 || c === 124 || c === 38 || c === 94) &&
      d === 61
    ) {
      pc = P.compound;
      len = 2;
    }
    if (pc === 40 || pc === 91 || pc === 123) {
      push(Kind.Punct, pc, i, i + len, sLine, sCol);
      depth++;
    } else {
      // A closer still counts as inside its brackets: a `)` alone on a line starts no statement.
      push(Kind.Punct, pc, i, i + len, sLine, sCol);
      if ((pc === 41 || pc === 93 || pc === 125) && depth > 0) depth--;
    }
    i += len;
  }
  return { text, count, kind, code, start, end, line, col, endLine, bol };
}

/** The text of token t. */
export const tokenText = (t: Tokens, i: number): string => t.text.slice(t.start[i], t.end[i]);

/** True when token i is the identifier word. */
export function isWord(t: Tokens, i: number, word: string): boolean {
  return (
    i >= 0 &&
    i < t.count &&
    t.kind[i] === Kind.Ident &&
    t.end[i] - t.start[i] === word.length &&
    t.text.startsWith(word, t.start[i])
  );
}

/** True when token i is punctuation with code c (a char code or a P code). */
export const isPunct = (t: Tokens, i: number, c: number): boolean =>
  i >= 0 && i < t.count && t.kind[i] === Kind.Punct && t.code[i] === c;
