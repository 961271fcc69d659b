// Where a named function is defined in a file: the exported handler a Lambda runtime loads, or the
// function a route passes by name. Each finder reads tokens, so names in comments and strings never
// count.
import { C, Kind, TokenList } from './tokenList';

/** A function found in a file. */
export interface FoundFunction {
  /** 1-based line of the definition (of `def`, `function`, the method name, or the exporting assignment). */
  readonly line: number;
  readonly name: string;
}

const jsDeclarers = new Set(['const', 'let', 'var']);

/** True when the tokens from i start a function value: `function`, `async function`, an arrow, `async` arrow. */
export function startsFunction(t: TokenList, i: number): boolean {
  let j = i;
  if (t.ident(j, 'async') && !t.punct(j + 1, C.eq)) j++;
  if (t.ident(j, 'function')) return true;
  if (t.ident(j) && t.kind[j + 1] === Kind.Punct && t.code[j + 1] === 1001) return true; // x =>
  if (t.punct(j, C.lparen)) {
    const close = t.match[j]!;
    if (close < 0) return false;
    // `(a, b) =>` or `(a: T): R =>`: an arrow follows the parameters, perhaps after a return type.
    for (let k = close + 1; k < Math.min(t.count, close + 12); k++) {
      if (t.kind[k] === Kind.Punct && t.code[k] === 1001) return true;
      if (t.punct(k, C.lbrace) || t.punct(k, C.semi) || t.punct(k, C.comma) || t.punct(k, C.rparen)) return false;
    }
  }
  // A TypeScript generic arrow `<T>(x: T) =>`.
  if (t.punct(j, C.lt)) {
    for (let k = j + 1; k < Math.min(t.count, j + 10); k++) if (t.punct(k, C.lparen)) return startsFunction(t, k);
  }
  return false;
}

/** Local function definitions of a JS/TS file, by name: `function f`, `const f = (…) =>`, `const f = function`, class methods are left out. */
export function jsDefinitions(t: TokenList): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < t.count; i++) {
    if (t.ident(i, 'function') && t.ident(i + 1) && !t.punct(i - 1, C.dot)) {
      if (!out.has(t.tok(i + 1))) out.set(t.tok(i + 1), t.line[i]!);
    } else if (t.ident(i, 'function') && t.punct(i + 1, C.star) && t.ident(i + 2)) {
      if (!out.has(t.tok(i + 2))) out.set(t.tok(i + 2), t.line[i]!);
    } else if (jsDeclarers.has(t.tok(i)) && t.kind[i] === Kind.Ident && t.ident(i + 1)) {
      // `const f = …` or `const f: Handler = …`.
      let j = i + 2;
      if (t.punct(j, C.colon)) {
        for (let depth = 0; j < t.count; j++) {
          if (t.punct(j, C.lt)) depth++;
          else if (t.punct(j, C.gt)) depth--;
          else if (depth <= 0 && t.punct(j, C.eq)) break;
          else if (t.punct(j, C.semi)) break;
        }
      }
      if (t.punct(j, C.eq) && startsFunction(t, j + 1) && !out.has(t.tok(i + 1))) out.set(t.tok(i + 1), t.line[i + 1]!);
    }
  }
  return out;
}

/**
 * The function a JS/TS module exports as name (`default` for the default export): `export function
 * name`, `export const name =`, `exports.name =`, `module.exports.name =`, `module.exports = { name }`,
 * `export { local as name }`. An export of a local function points at the local definition.
 */
export function findJsExport(text: string, name: string): FoundFunction | undefined {
  const t = new TokenList(text, 'js');
  const defs = jsDefinitions(t);
  const local = (n: string, fallback: number): FoundFunction => ({ name: n, line: defs.get(n) ?? fallback });
  /** What an exporting assignment's value at j points at. */
  const value = (j: number, line: number): FoundFunction => {
    if (
      t.ident(j) &&
      !startsFunction(t, j) &&
      (t.punct(j + 1, C.semi) || t.bol[j + 1] || j + 1 >= t.count) &&
      defs.has(t.tok(j))
    )
      return local(t.tok(j), line);
    return { name, line };
  };
  for (let i = 0; i < t.count; i++) {
    if (t.ident(i, 'export') && !t.punct(i - 1, C.dot)) {
      let j = i + 1;
      const isDefault = t.ident(j, 'default');
      if (isDefault) j++;
      if (t.ident(j, 'async')) j++;
      if (t.ident(j, 'function')) {
        const n = t.punct(j + 1, C.star) ? t.tok(j + 2) : t.ident(j + 1) ? t.tok(j + 1) : '';
        if (n === name || (isDefault && name === 'default')) return { name: n || name, line: t.line[i]! };
        continue;
      }
      if (isDefault && name === 'default')
        return t.ident(j) && defs.has(t.tok(j)) ? local(t.tok(j), t.line[i]!) : { name, line: t.line[i]! };
      if (jsDeclarers.has(t.tok(j)) && t.tok(j + 1) === name) return { name, line: t.line[i]! };
      if (t.punct(j, C.lbrace)) {
        for (const [from, to] of t.args(j)) {
          const exported = to - from === 3 && t.ident(from + 1, 'as') ? t.tok(from + 2) : t.tok(from);
          if (exported === name) return local(t.tok(from), t.line[from]!);
        }
      }
      continue;
    }
    // exports.name = … and module.exports.name = …
    if (t.ident(i, 'exports') && t.punct(i + 1, C.dot) && t.tok(i + 2) === name && t.punct(i + 3, C.eq)) {
      if (t.punct(i - 1, C.dot) && !t.ident(i - 2, 'module')) continue;
      return value(i + 4, t.line[t.punct(i - 1, C.dot) ? i - 2 : i]!);
    }
    // module.exports = { name, name: value, name() {…} }
    if (t.ident(i, 'module') && t.punct(i + 1, C.dot) && t.ident(i + 2, 'exports') && t.punct(i + 3, C.eq)) {
      if (t.punct(i + 4, C.lbrace)) {
        for (const [from, to] of t.args(i + 4)) {
          let k = from;
          if (t.ident(k, 'async')) k++;
          if (t.tok(k) !== name) continue;
          if (t.punct(k + 1, C.colon)) return value(k + 2, t.line[k]!);
          if (t.punct(k + 1, C.lparen)) return { name, line: t.line[k]! };
          if (to - from === 1) return local(name, t.line[k]!);
        }
      } else if (name === 'default') return value(i + 4, t.line[i]!);
    }
  }
  return defs.has(name) ? local(name, 0) : undefined;
}

/** The line of `def name` in a Python file (top level first), or of a module-level `name = …` (`handler = Mangum(app)`). */
export function findPythonFunction(text: string, name: string): FoundFunction | undefined {
  const t = new TokenList(text, 'python');
  let nested: FoundFunction | undefined;
  let assigned: FoundFunction | undefined;
  for (let i = 0; i < t.count; i++) {
    if (t.ident(i, 'def') && t.tok(i + 1) === name) {
      const at = t.ident(i - 1, 'async') ? i - 1 : i;
      const found = { name, line: t.line[at]! };
      if (t.col[at] === 1) return found;
      nested ??= found;
    } else if (t.ident(i, 'class') && t.tok(i + 1) === name && t.col[i] === 1) {
      return { name, line: t.line[i]! };
    } else if (t.bol[i] && t.col[i] === 1 && t.tok(i) === name && t.punct(i + 1, C.eq) && !t.punct(i + 2, C.eq)) {
      assigned ??= { name, line: t.line[i]! };
    }
  }
  return nested ?? assigned;
}

// Before a method's name, these say the `(` is a call, not a declaration.
const notDeclaration = new Set(['new', 'return', 'throw', 'else', 'case', 'yield', 'await', 'this', 'super', 'assert']);

/** The line of the method name in a Java or C# file: `Type name(…) {`, not a call of it. */
export function findMethod(text: string, name: string, family: 'java' | 'csharp' = 'java'): FoundFunction | undefined {
  const t = new TokenList(text, family);
  for (let i = 1; i < t.count; i++) {
    if (t.tok(i) !== name || t.kind[i] !== Kind.Ident || !t.punct(i + 1, C.lparen)) continue;
    const before = i - 1;
    const typed =
      (t.ident(before) && !notDeclaration.has(t.tok(before))) || t.punct(before, C.gt) || t.punct(before, C.rbracket);
    if (!typed) continue;
    const close = t.match[i + 1]!;
    if (close < 0) continue;
    const after = close + 1;
    if (
      t.punct(after, C.lbrace) ||
      t.ident(after, 'throws') ||
      (t.kind[after] === Kind.Punct && t.code[after] === 1001)
    )
      return { name, line: t.line[i]! };
  }
  return undefined;
}
