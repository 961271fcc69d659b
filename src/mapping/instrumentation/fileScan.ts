// One pass over a file's tokens that keeps what naming spans needs and nothing else: the calls
// that may name a span (an SDK method, or any call with a string-like argument, which a wrapper
// defined in another file may turn into a site later), decorators and annotations with the
// function they decorate, and functions that pass one of their parameters on as a name (wrapper
// candidates). Which calls are sites is decided later (sites.ts), against the workspace's wrappers.
import { isApiName } from './apis';
import { familyOf, type Family, type Language } from './language';
import {
  bindParams,
  braceFormatParts,
  concat,
  hasIdent,
  holeFor,
  literalValue,
  printfParts,
  templateParts,
  type NameExpr,
} from './nameExpression';
import { Kind, P, isPunct, isWord, tokenText, tokenize, type Tokens } from './tokens';

/** A function: its name when it has one, and its lines. */
export interface FnRef {
  readonly name?: string;
  /** `Class.method` where the language has classes around methods (Java). */
  readonly qualified?: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** One argument of a call, as far as naming needs it. */
export interface CallArg {
  readonly line: number;
  readonly column: number;
  /** Python keyword, C# named argument, Java annotation element. */
  readonly keyword?: string;
  /** What the argument spells as a name; holes for what is only known at run time. */
  readonly expr?: NameExpr;
  /** A function literal (arrow, lambda, `function`, `func`). */
  readonly fn?: FnRef;
  /** The function an identifier, member or method reference argument names (`work`, `this.work`, `Foo::work`). */
  readonly ref?: string;
  /** Where ref is defined, when in the same file. */
  readonly refRange?: FnRef;
  /** Short source text, for calls whose meaning depends on it (`StartActivity(ActivityKind.Server)`). */
  readonly text?: string;
}

/** A call, decorator or annotation that may name a span. */
export interface CallCandidate {
  readonly callee: string;
  /** The source text before the callee's dot (`AWSXRay.getSegment()`), empty for a bare call. */
  readonly receiver: string;
  /** Position of the callee. */
  readonly line: number;
  readonly column: number;
  readonly args: readonly CallArg[];
  readonly kind: 'call' | 'decorator' | 'annotation';
  /** The function a decorator or annotation applies to. */
  readonly decorated?: FnRef;
  /** The innermost named function around the call. */
  readonly enclosing?: FnRef;
}

/** A named function that passes a parameter on as (part of) a call argument: maybe a wrapper. */
export interface Forwarder {
  readonly name: string;
  readonly params: readonly (string | undefined)[];
  /** Parameters the function calls: the function its callers pass in. */
  readonly fnParams: readonly number[];
  /** The call, with argument holes that read parameters bound to their positions. */
  readonly call: CallCandidate;
}

/** What one file contributes to the index. */
export interface FileScan {
  readonly calls: readonly CallCandidate[];
  readonly forwarders: readonly Forwarder[];
}

interface Frame {
  readonly kind: 'fn' | 'class';
  readonly name?: string;
  readonly qualified?: string;
  readonly startLine: number;
  readonly endTok: number;
  readonly params?: readonly (string | undefined)[];
  called?: Set<number>;
  forwards?: CallCandidate[];
  /** Java: the class is `@XRayEnabled` or implements `XRayTraced`. */
  readonly xray?: 'XRayEnabled' | 'XRayTraced';
  readonly iface?: boolean;
  ref?: FnRef;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Words that look like callees before `(` but are statements or operators.
const notCallees: Readonly<Record<Family, ReadonlySet<string>>> = {
  js: new Set([
    'if',
    'for',
    'while',
    'switch',
    'catch',
    'with',
    'return',
    'typeof',
    'function',
    'new',
    'delete',
    'void',
    'throw',
    'case',
    'do',
    'else',
    'yield',
    'await',
    'in',
    'of',
    'instanceof',
    'super',
    'import',
    'export',
    'class',
    'extends',
  ]),
  python: new Set([
    'if',
    'elif',
    'while',
    'for',
    'with',
    'return',
    'not',
    'and',
    'or',
    'in',
    'is',
    'lambda',
    'assert',
    'del',
    'yield',
    'await',
    'except',
    'raise',
    'def',
    'class',
    'from',
    'import',
    'else',
  ]),
  java: new Set([
    'if',
    'for',
    'while',
    'switch',
    'catch',
    'synchronized',
    'return',
    'new',
    'throw',
    'else',
    'case',
    'try',
    'this',
    'super',
    'assert',
    'yield',
  ]),
  go: new Set(['if', 'for', 'switch', 'return', 'go', 'defer', 'func', 'select', 'case', 'range', 'else']),
  csharp: new Set([
    'if',
    'for',
    'foreach',
    'while',
    'switch',
    'catch',
    'using',
    'lock',
    'fixed',
    'return',
    'new',
    'throw',
    'else',
    'case',
    'typeof',
    'nameof',
    'sizeof',
    'default',
    'checked',
    'unchecked',
    'when',
    'await',
    'yield',
    'base',
    'this',
    'is',
    'as',
    'in',
    'out',
    'ref',
    'stackalloc',
  ]),
};

// Before a method declaration's name these mean the `(` is a call, not a declaration.
const expressionWords = new Set([
  'new',
  'return',
  'throw',
  'else',
  'case',
  'yield',
  'assert',
  'await',
  'in',
  'is',
  'as',
  'instanceof',
  'default',
  'not',
  'and',
  'or',
]);
const jsModifiers = new Set([
  'async',
  'static',
  'get',
  'set',
  'public',
  'private',
  'protected',
  'readonly',
  'override',
  'abstract',
  'declare',
]);
const jsStatementWords = new Set([
  'const',
  'let',
  'var',
  'function',
  'class',
  'export',
  'import',
  'if',
  'for',
  'while',
  'return',
  'switch',
  'try',
  'throw',
  'async',
]);
// Methods that run a function value: `fn.get()` in Java, `fn.Invoke()` in C#, `fn.call(this)` in JS.
const invokers = new Set([
  'get',
  'call',
  'apply',
  'run',
  'accept',
  'invoke',
  'Invoke',
  'execute',
  'proceed',
  'join',
  'DynamicInvoke',
]);
const formatFunctions = new Set(['Sprintf', 'format', 'Format', 'formatted']);
const javaAnnotations = new Set(['WithSpan', 'XRayEnabled']);
// Calls that take a string and a function but never name a span: module loading and test suites,
// which would otherwise be most of what a test file keeps.
const neverWrappers: Partial<Record<Family, ReadonlySet<string>>> = {
  js: new Set([
    'require',
    'describe',
    'it',
    'test',
    'suite',
    'context',
    'before',
    'beforeEach',
    'after',
    'afterEach',
    'setup',
    'teardown',
  ]),
};

/** Scans one file's text. */
export function scanFile(text: string, language: Language): FileScan {
  return new Scanner(tokenize(text, familyOf(language)), familyOf(language)).run();
}

class Scanner {
  private readonly match: Int32Array;
  private readonly frames: Frame[] = [];
  private readonly calls: Mutable<CallCandidate>[] = [];
  private readonly forwarders: Forwarder[] = [];
  private readonly defs = new Map<string, FnRef>();
  /** Decorators or annotations waiting for the function they apply to. */
  private pending: Mutable<CallCandidate>[] = [];
  /** `(` tokens that open a declaration's parameters, not an arrow's. */
  private readonly declarationParens = new Set<number>();

  constructor(
    private readonly t: Tokens,
    private readonly family: Family,
  ) {
    this.match = matchBrackets(t);
  }

  run(): FileScan {
    const t = this.t;
    for (let i = 0; i < t.count;) i = this.step(i);
    this.popFrames(Number.MAX_SAFE_INTEGER);
    // A function passed by name may be defined anywhere in the file, also after the call.
    for (const c of this.calls) {
      for (const a of c.args as Mutable<CallArg>[])
        if (a.ref && !a.fn && !a.refRange) a.refRange = this.defs.get(a.ref);
    }
    return { calls: this.calls, forwarders: this.forwarders };
  }

  /** The text of token i, owned (see own()). */
  private text(i: number): string {
    return own(tokenText(this.t, i));
  }

  private step(i: number): number {
    const t = this.t;
    const fam = this.family;
    this.popFrames(i);
    if (
      fam === 'python' &&
      t.bol[i] &&
      this.pending.length &&
      !isPunct(t, i, 64) &&
      !isWord(t, i, 'def') &&
      !isWord(t, i, 'async') &&
      !isWord(t, i, 'class')
    ) {
      this.pending = []; // a decorator not followed by a function
    }
    const kind = t.kind[i];
    if (kind === Kind.Ident) {
      const c = t.text.charCodeAt(t.start[i]);
      if (fam === 'js' && c === 102 && isWord(t, i, 'function')) return this.jsFunction(i);
      if (fam === 'python' && c === 100 && isWord(t, i, 'def')) return this.pythonDef(i);
      if (fam === 'python' && c === 99 && isWord(t, i, 'class')) {
        this.pending = [];
        return i + 1;
      }
      if (fam === 'go' && c === 102 && isWord(t, i, 'func')) return this.goFunc(i);
      if (
        fam === 'java' &&
        (isWord(t, i, 'class') || isWord(t, i, 'interface') || isWord(t, i, 'enum') || isWord(t, i, 'record'))
      )
        return this.javaClass(i);
      if (isPunct(t, i + 1, 40)) return this.callOrDefinition(i, i + 1);
      if (fam !== 'python' && fam !== 'go' && isPunct(t, i + 1, 60)) {
        const g = this.genericEnd(i + 1);
        if (g > 0 && isPunct(t, g, 40)) return this.callOrDefinition(i, g);
      }
      return i + 1;
    }
    if (kind === Kind.Punct) {
      const code = t.code[i];
      if (
        code === 64 &&
        ((fam === 'python' && t.bol[i]) ||
          (fam === 'java' && t.kind[i + 1] === Kind.Ident && !isWord(t, i + 1, 'interface')))
      )
        return this.decorator(i);
      if ((code === P.fatArrow && (fam === 'js' || fam === 'csharp')) || (code === P.thinArrow && fam === 'java'))
        return this.arrow(i);
      if (fam === 'java' && (code === 59 || code === 61 || code === 123 || code === 125)) this.pending = [];
    }
    return i + 1;
  }

  // ---- frames ---------------------------------------------------------------------------------

  private popFrames(i: number): void {
    const frames = this.frames;
    while (frames.length && frames[frames.length - 1].endTok < i) {
      const f = frames.pop()!;
      if (f.forwards && f.name && f.params) {
        const fnParams = [...(f.called ?? [])];
        for (const call of f.forwards) this.forwarders.push({ name: f.name, params: f.params, fnParams, call });
      }
    }
  }

  private refOf(f: Frame): FnRef {
    f.ref ??= {
      name: f.name,
      qualified: f.qualified,
      startLine: f.startLine,
      endLine: this.t.endLine[Math.min(f.endTok, this.t.count - 1)],
    };
    return f.ref;
  }

  private pushFrame(f: Frame): Frame {
    const top = this.frames[this.frames.length - 1];
    // Heuristic ends (expression bodies) must not outlive the frame around them.
    const frame = top && f.endTok > top.endTok ? { ...f, endTok: top.endTok } : f;
    this.frames.push(frame);
    if (frame.kind === 'fn' && frame.name && !this.defs.has(frame.name)) this.defs.set(frame.name, this.refOf(frame));
    return frame;
  }

  private enclosing(): FnRef | undefined {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const f = this.frames[k];
      if (f.kind === 'fn' && f.name) return this.refOf(f);
    }
    return undefined;
  }

  private innermostClass(): Frame | undefined {
    for (let k = this.frames.length - 1; k >= 0; k--) if (this.frames[k].kind === 'class') return this.frames[k];
    return undefined;
  }

  /** The name an anonymous function gets from what it is assigned to: `const f = …`, `f: …`, `f := …`. */
  private inferName(startTok: number): string | undefined {
    const t = this.t;
    let p = startTok - 1;
    if (isWord(t, p, 'async')) p--;
    const assign =
      isPunct(t, p, 61) ||
      (isPunct(t, p, 58) && this.family === 'js') ||
      (t.kind[p] === Kind.Punct && t.code[p] === P.compound && this.text(p) === ':=');
    return assign && t.kind[p - 1] === Kind.Ident ? this.text(p - 1) : undefined;
  }

  /** The last token of an expression body starting at k: before the `,` `;` or closer that ends it. */
  private expressionEnd(k: number): number {
    const t = this.t;
    for (let j = k; j < t.count; j++) {
      if (t.kind[j] !== Kind.Punct) {
        if (this.family === 'js' && t.bol[j] && j > k && t.kind[j] === Kind.Ident && jsStatementWords.has(this.text(j)))
          return j - 1;
        continue;
      }
      const c = t.code[j];
      if (c === 40 || c === 91 || c === 123) {
        if (this.match[j] < 0) return t.count - 1;
        j = this.match[j];
      } else if (c === 41 || c === 93 || c === 125 || c === 44 || c === 59) return j - 1;
    }
    return t.count - 1;
  }

  // ---- definitions ----------------------------------------------------------------------------

  private jsFunction(i: number): number {
    const t = this.t;
    let j = i + 1;
    if (isPunct(t, j, 42)) j++;
    const nameTok = t.kind[j] === Kind.Ident ? j : -1;
    if (nameTok >= 0) j++;
    if (isPunct(t, j, 60)) j = this.genericEnd(j); // `function f<T>(`
    if (!isPunct(t, j, 40) || this.match[j] < 0) return i + 1;
    const close = this.match[j];
    const body = this.bodyAfter(close, true);
    if (body < 0) return j; // an overload signature
    this.declarationParens.add(j);
    this.pushFrame({
      kind: 'fn',
      name: nameTok >= 0 ? this.text(nameTok) : this.inferName(i),
      startLine: this.t.line[isWord(t, i - 1, 'async') ? i - 1 : i],
      endTok: this.match[body],
      params: this.params(j, close),
    });
    return j;
  }

  /** The `{` of a body after a signature's `)`, past a TypeScript return type; -1 when there is none. */
  private bodyAfter(close: number, typed: boolean): number {
    const t = this.t;
    const j = close + 1;
    if (isPunct(t, j, 123)) return j;
    if (!typed || !isPunct(t, j, 58)) return -1;
    for (let k = j + 1; k < t.count && k < j + 60; k++) {
      if (t.kind[k] !== Kind.Punct) continue;
      const c = t.code[k];
      if (c === 123) {
        // `: { a: string } {`: an object type, then the body.
        const after = this.match[k] + 1;
        return isPunct(t, after, 123) ? after : k;
      }
      if (c === 40 || c === 91) k = this.match[k] < 0 ? k : this.match[k];
      else if (c === 59 || c === 61 || c === P.fatArrow || c === 41 || c === 125 || c === 44) return -1;
    }
    return -1;
  }

  private pythonDef(i: number): number {
    const t = this.t;
    const nameTok = i + 1;
    const open = i + 2;
    if (t.kind[nameTok] !== Kind.Ident || !isPunct(t, open, 40) || this.match[open] < 0) return i + 1;
    const close = this.match[open];
    let colon = close + 1;
    while (colon < t.count && !isPunct(t, colon, 58))
      colon =
        t.kind[colon] === Kind.Punct && (t.code[colon] === 40 || t.code[colon] === 91) && this.match[colon] > 0
          ? this.match[colon] + 1
          : colon + 1;
    const stmt = isWord(t, i - 1, 'async') && t.line[i - 1] === t.line[i] ? i - 1 : i;
    const frame = this.pushFrame({
      kind: 'fn',
      name: this.text(nameTok),
      startLine: t.line[stmt],
      endTok: this.pythonBlockEnd(colon, t.col[stmt]),
      params: this.params(open, close),
    });
    this.attachPending(this.refOf(frame));
    return open;
  }

  /** The last token of the indented block after colon, for a statement at column indent. */
  private pythonBlockEnd(colon: number, indent: number): number {
    const t = this.t;
    let j = colon + 1;
    if (j >= t.count) return t.count - 1;
    if (t.line[j] === t.line[colon]) {
      // `def f(): return 1`: the body is the rest of the logical line.
      for (j++; j < t.count && !t.bol[j]; j++);
      return j - 1;
    }
    for (; j < t.count && !(t.bol[j] && t.col[j] <= indent); j++);
    return j - 1;
  }

  private goFunc(i: number): number {
    const t = this.t;
    let open = i + 1;
    let nameTok = -1;
    if (isPunct(t, open, 40) && this.match[open] > 0) {
      const afterReceiver = this.match[open] + 1;
      if (t.kind[afterReceiver] === Kind.Ident && isPunct(t, afterReceiver + 1, 40)) {
        nameTok = afterReceiver;
        open = afterReceiver + 1;
      }
    } else if (t.kind[open] === Kind.Ident) {
      nameTok = open;
      open++;
      if (isPunct(t, open, 91) && this.match[open] > 0) open = this.match[open] + 1; // type parameters
    }
    if (!isPunct(t, open, 40) || this.match[open] < 0) return i + 1;
    const close = this.match[open];
    // Go puts a body's `{` on the line the signature ends; a func type has no body there.
    let body = -1;
    for (let k = close + 1; k < t.count && t.line[k] === t.line[k - 1]; k++) {
      if (t.kind[k] !== Kind.Punct) continue;
      const c = t.code[k];
      if (c === 123) {
        if (isWord(t, k - 1, 'interface') || isWord(t, k - 1, 'struct')) {
          k = this.match[k] < 0 ? k : this.match[k];
          continue;
        }
        body = k;
        break;
      }
      if (c === 40 || c === 91) k = this.match[k] < 0 ? k : this.match[k];
      else break;
    }
    if (body < 0 || this.match[body] < 0) return nameTok >= 0 ? open : i + 1;
    this.declarationParens.add(open);
    this.pushFrame({
      kind: 'fn',
      name: nameTok >= 0 ? this.text(nameTok) : this.inferName(i),
      startLine: t.line[i],
      endTok: this.match[body],
      params: this.params(open, close),
    });
    return nameTok >= 0 ? open : i + 1;
  }

  private javaClass(i: number): number {
    const t = this.t;
    if (isPunct(t, i - 1, 46) || isPunct(t, i - 1, 64) || t.kind[i + 1] !== Kind.Ident) return i + 1;
    let traced = false;
    let body = -1;
    for (let j = i + 2; j < t.count && j < i + 400; j++) {
      if (isPunct(t, j, 123)) {
        body = j;
        break;
      }
      if (isPunct(t, j, 59)) break;
      if (isPunct(t, j, 40) && this.match[j] > 0) j = this.match[j];
      else if (isWord(t, j, 'XRayTraced')) traced = true;
    }
    const enabled = this.pending.some((p) => p.callee === 'XRayEnabled');
    this.pending = [];
    if (body < 0 || this.match[body] < 0) return i + 2;
    this.pushFrame({
      kind: 'class',
      name: this.text(i + 1),
      startLine: t.line[i],
      endTok: this.match[body],
      iface: isWord(t, i, 'interface'),
      xray: enabled ? 'XRayEnabled' : traced ? 'XRayTraced' : undefined,
    });
    return i + 2;
  }

  /** `name(` is a method declaration (Java, C#, JS method shorthand): its body's first and last token. */
  private declarationAt(i: number, close: number): { body: number; end: number } | undefined {
    const t = this.t;
    const fam = this.family;
    const prev = i - 1;
    const prevCode = t.kind[prev] === Kind.Punct ? t.code[prev] : 0;
    if (fam === 'js') {
      const ok =
        prev < 0 ||
        t.bol[i] === 1 ||
        prevCode === 123 ||
        prevCode === 125 ||
        prevCode === 59 ||
        prevCode === 44 ||
        prevCode === 42 ||
        (t.kind[prev] === Kind.Ident && jsModifiers.has(this.text(prev)));
      if (!ok) return undefined;
      const body = this.bodyAfter(close, true);
      return body < 0 ? undefined : { body, end: this.match[body] };
    }
    if (fam !== 'java' && fam !== 'csharp') return undefined;
    if (
      prevCode === 46 ||
      prevCode === P.optionalDot ||
      (t.kind[prev] === Kind.Ident && expressionWords.has(this.text(prev)))
    )
      return undefined;
    const typeLike = t.kind[prev] === Kind.Ident || prevCode === 62 || prevCode === 93 || prevCode === 63;
    let j = close + 1;
    if (fam === 'java' && isWord(t, j, 'throws')) {
      for (j++; j < t.count && (t.kind[j] === Kind.Ident || isPunct(t, j, 44) || isPunct(t, j, 46)); j++);
    }
    if (fam === 'csharp') {
      if (isPunct(t, j, P.fatArrow) && typeLike) return { body: j, end: this.expressionEnd(j + 1) + 1 };
      if (
        isPunct(t, j, 58) &&
        (isWord(t, j + 1, 'base') || isWord(t, j + 1, 'this')) &&
        isPunct(t, j + 2, 40) &&
        this.match[j + 2] > 0
      )
        j = this.match[j + 2] + 1;
      if (isWord(t, j, 'where'))
        for (; j < t.count && j < close + 80 && !isPunct(t, j, 123) && !isPunct(t, j, 59); j++);
    }
    if (
      isPunct(t, j, 123) &&
      this.match[j] > 0 &&
      (typeLike || prevCode === 125 || prevCode === 59 || prevCode === 123 || prevCode === 41 || prev < 0)
    )
      return { body: j, end: this.match[j] };
    if (isPunct(t, j, 59) && typeLike && prevCode !== 63) return { body: j, end: j };
    return undefined;
  }

  private callOrDefinition(i: number, open: number): number {
    const t = this.t;
    const fam = this.family;
    const close = this.match[open];
    if (close < 0) return i + 1;
    const name = this.text(i);
    if (notCallees[fam].has(name)) return i + 1;
    if (fam === 'js' && (isWord(t, i - 1, 'function') || (isPunct(t, i - 1, 42) && isWord(t, i - 2, 'function'))))
      return i + 1;
    if (fam === 'js' && isPunct(t, close + 1, P.fatArrow)) return i + 1; // `async (…) =>`
    if (
      (fam === 'java' || fam === 'csharp') &&
      (isWord(t, i - 1, 'record') || isWord(t, i - 1, 'class') || isWord(t, i - 1, 'struct'))
    )
      return i + 1;
    const decl = this.declarationAt(i, close);
    if (decl) {
      this.declarationParens.add(open);
      const cls = fam === 'java' ? this.innermostClass() : undefined;
      const frame = this.pushFrame({
        kind: 'fn',
        name,
        qualified: cls?.name ? `${cls.name}.${name}` : undefined,
        startLine: t.line[i],
        endTok: decl.end,
        params: this.params(open, close),
      });
      if (fam === 'java') this.javaMethod(i, frame, cls);
      return open;
    }
    const call = this.call(i, open, close, 'call');
    if (call) this.calls.push(call);
    return i + 1;
  }

  /** Annotations on a Java method, and the methods an `@XRayEnabled` class exposes. */
  private javaMethod(nameTok: number, frame: Frame, cls: Frame | undefined): void {
    const ref = this.refOf(frame);
    this.attachPending(ref);
    if (!cls?.xray || this.frames[this.frames.length - 2] !== cls || frame.name === cls.name) return;
    const t = this.t;
    const words = new Set<string>();
    for (
      let k = nameTok - 1;
      k >= 0 && k > nameTok - 40 && !isPunct(t, k, 59) && !isPunct(t, k, 123) && !isPunct(t, k, 125);
      k--
    ) {
      if (t.kind[k] === Kind.Ident) words.add(this.text(k));
    }
    // Spring's proxies intercept public instance methods; interface methods are public unless private.
    const visible = cls.iface ? !words.has('private') : words.has('public');
    if (!visible || words.has('static')) return;
    this.calls.push({
      callee: cls.xray,
      receiver: '',
      line: t.line[nameTok],
      column: t.col[nameTok],
      args: [],
      kind: 'annotation',
      decorated: ref,
      enclosing: ref,
    });
  }

  private arrow(i: number): number {
    const t = this.t;
    const fam = this.family;
    let p = i - 1;
    let params: (string | undefined)[];
    let startTok: number;
    if (fam === 'js' && !isPunct(t, p, 41) && t.kind[p] !== Kind.Ident) {
      // `(a): Promise<T> =>`: a TypeScript return type between the parameters and the arrow.
      let m = p;
      while (
        m > 0 &&
        m > p - 30 &&
        !(isPunct(t, m, 58) && isPunct(t, m - 1, 41)) &&
        !isPunct(t, m, 59) &&
        !isPunct(t, m, 123) &&
        !isPunct(t, m, 61)
      )
        m--;
      if (!(isPunct(t, m, 58) && isPunct(t, m - 1, 41))) return i + 1;
      p = m - 1;
    }
    if (isPunct(t, p, 41) && this.match[p] >= 0) {
      const open = this.match[p];
      if (this.declarationParens.has(open)) return i + 1; // C# `int F() => …`, already a frame
      params = this.params(open, p);
      startTok = open;
    } else if (t.kind[p] === Kind.Ident) {
      if (fam === 'java' && (isWord(t, p - 1, 'case') || isPunct(t, p - 1, 44) || isWord(t, p, 'default')))
        return i + 1; // switch rule
      params = [this.text(p)];
      startTok = p;
    } else return i + 1;
    if (isWord(t, startTok - 1, 'async')) startTok--;
    const end = isPunct(t, i + 1, 123) && this.match[i + 1] > 0 ? this.match[i + 1] : this.expressionEnd(i + 1);
    this.pushFrame({
      kind: 'fn',
      name: this.inferName(startTok),
      startLine: t.line[startTok],
      endTok: Math.max(end, i),
      params,
    });
    return i + 1;
  }

  /** Parameter names by position; undefined where a parameter is a pattern. Receivers (`self`, `this`) are left out. */
  private params(open: number, close: number): (string | undefined)[] {
    const t = this.t;
    const fam = this.family;
    const out: (string | undefined)[] = [];
    for (const [a0, b0] of this.split(open, close)) {
      let a = a0;
      let b = b0;
      if (fam === 'python') {
        if (isPunct(t, a, 47) && b - a === 1) continue; // positional-only marker
        while (a < b && (isPunct(t, a, 42) || isPunct(t, a, P.power))) a++;
        out.push(t.kind[a] === Kind.Ident && a < b ? this.text(a) : undefined);
        continue;
      }
      if (fam === 'js' || fam === 'go') {
        while (
          a < b &&
          ((t.kind[a] === Kind.Ident && jsModifiers.has(this.text(a)) && t.kind[a + 1] === Kind.Ident) ||
            isPunct(t, a, P.ellipsis))
        )
          a++;
        out.push(t.kind[a] === Kind.Ident && a < b ? this.text(a) : undefined);
        continue;
      }
      // Java and C#: the name is the last identifier before any default value.
      for (let k = a; k < b; k++) {
        if (isPunct(t, k, 61)) {
          b = k;
          break;
        }
        if ((isPunct(t, k, 40) || isPunct(t, k, 91)) && this.match[k] > 0) k = this.match[k];
      }
      let name: string | undefined;
      for (let k = b - 1; k >= a; k--) {
        if (t.kind[k] === Kind.Ident) {
          name = this.text(k);
          break;
        }
        if ((isPunct(t, k, 41) || isPunct(t, k, 93)) && this.match[k] >= 0) k = this.match[k];
      }
      out.push(name);
    }
    // Python methods and C# extension methods receive their object as the first parameter.
    if (fam === 'python' && (out[0] === 'self' || out[0] === 'cls')) out.shift();
    else if (fam === 'csharp' && isWord(t, open + 1, 'this')) out.shift();
    else if (fam === 'js' && out[0] === 'this') out.shift();
    return out;
  }

  // ---- calls ----------------------------------------------------------------------------------

  /** Argument token ranges [start, end) between open and close, split at top-level commas. */
  private split(open: number, close: number): [number, number][] {
    const t = this.t;
    const out: [number, number][] = [];
    let from = open + 1;
    for (let j = open + 1; j < close; j++) {
      if (t.kind[j] !== Kind.Punct) continue;
      const c = t.code[j];
      if (c === 40 || c === 91 || c === 123) {
        if (this.match[j] < 0 || this.match[j] > close) break;
        j = this.match[j];
      } else if (c === 44) {
        out.push([from, j]);
        from = j + 1;
      } else if (c === 60 && this.family !== 'python' && this.family !== 'go' && t.kind[j - 1] === Kind.Ident) {
        // `Map<String, Integer>`: a comma inside type arguments separates no arguments.
        const g = this.genericEnd(j);
        if (g > 0 && g <= close) j = g - 1;
      }
    }
    if (from < close) out.push([from, close]);
    return out;
  }

  /** Index after the `>` closing type arguments that start at lt, or -1 when it is a comparison. */
  private genericEnd(lt: number): number {
    const t = this.t;
    let depth = 0;
    for (let j = lt; j < t.count && j < lt + 40; j++) {
      const k = t.kind[j];
      if (k === Kind.Ident) continue;
      if (k !== Kind.Punct) return -1;
      const c = t.code[j];
      if (c === 60) depth++;
      else if (c === 62) {
        if (--depth === 0) return j + 1;
      } else if (c === 91 || c === 93 || c === 44 || c === 46 || c === 63 || c === 38 || c === P.ellipsis) continue;
      else return -1;
    }
    return -1;
  }

  /** The text before the callee's dot, across calls and indexing: `AWSXRay.getSegment()`. */
  private receiverOf(i: number): string {
    const t = this.t;
    const dot = i - 1;
    if (!(isPunct(t, dot, 46) || isPunct(t, dot, P.optionalDot))) return '';
    let k = dot - 1;
    while (k >= 0) {
      if ((isPunct(t, k, 41) || isPunct(t, k, 93)) && this.match[k] >= 0) {
        k = this.match[k] - 1;
        continue;
      }
      if (t.kind[k] === Kind.Ident || t.kind[k] === Kind.Str) {
        k--;
        if (isPunct(t, k, 46) || isPunct(t, k, P.optionalDot)) {
          k--;
          continue;
        }
      }
      break;
    }
    if (k + 1 > dot - 1) return '';
    return t.text.slice(t.start[k + 1], t.end[dot - 1]).slice(-160);
  }

  /** A call's candidate, or undefined when nothing about it can name a span. */
  private call(
    i: number,
    open: number,
    close: number,
    kind: CallCandidate['kind'],
  ): Mutable<CallCandidate> | undefined {
    const t = this.t;
    const callee = this.text(i);
    const receiver = own(this.receiverOf(i));
    this.noteInvocation(
      receiver === '' ? callee : invokers.has(callee) && /^[A-Za-z_$][\w$]*$/.test(receiver) ? receiver : undefined,
    );
    // Most calls have neither a string nor a parameter among their arguments: skip them before building anything.
    const api = isApiName(this.family, callee);
    if (kind === 'call' && !api && (neverWrappers[this.family]?.has(callee) || !this.mayName(open, close)))
      return undefined;
    const ranges = this.split(open, close);
    const args = ranges.map(([a, b]) => this.argument(a, b, api));
    const candidate: Mutable<CallCandidate> = {
      callee,
      receiver,
      line: t.line[i],
      column: t.col[i],
      args,
      kind,
      enclosing: this.enclosing(),
    };
    if (args.some((a) => a.expr && hasIdent(a.expr))) this.forward(candidate);
    const named = args.some((a) => a.expr?.some((p) => typeof p === 'string'));
    // A decorator called with nothing (`@capture()`) may be a wrapper whose SDK call names the function.
    return named || api || (kind === 'decorator' && args.length === 0) ? candidate : undefined;
  }

  /** True when some token between open and close is a string or a parameter of a named function around. */
  private mayName(open: number, close: number): boolean {
    const t = this.t;
    for (let j = open + 1; j < close; j++) {
      const k = t.kind[j];
      if (k === Kind.Str || k === Kind.Tpl) return true;
      if (k !== Kind.Ident) continue;
      for (let f = this.frames.length - 1; f >= 0; f--) {
        const frame = this.frames[f];
        if (frame.kind === 'fn' && frame.name && frame.params)
          for (const p of frame.params) if (p !== undefined && isWord(t, j, p)) return true;
      }
    }
    return false;
  }

  /** Marks a parameter the enclosing function calls: the function its callers hand in. */
  private noteInvocation(name: string | undefined): void {
    if (!name) return;
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const f = this.frames[k];
      const at = f.params?.indexOf(name) ?? -1;
      if (at >= 0) {
        (f.called ??= new Set()).add(at);
        return;
      }
    }
  }

  /** Records the call on the innermost named function one of whose parameters it passes on. */
  private forward(call: CallCandidate): void {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const f = this.frames[k];
      if (f.kind !== 'fn' || !f.name || !f.params?.length) continue;
      const params = f.params;
      if (
        !call.args.some((a) =>
          a.expr?.some((p) => typeof p !== 'string' && p.ident !== undefined && params.includes(p.ident)),
        )
      )
        continue;
      const args = call.args.map((a) => (a.expr ? { ...a, expr: bindParams(a.expr, params) } : a));
      (f.forwards ??= []).push({ ...call, args });
      return;
    }
  }

  private argument(a: number, b: number, api: boolean): CallArg {
    const t = this.t;
    const fam = this.family;
    let keyword: string | undefined;
    if (
      t.kind[a] === Kind.Ident &&
      b - a > 2 &&
      ((fam !== 'csharp' && fam !== 'js' && isPunct(t, a + 1, 61)) || (fam === 'csharp' && isPunct(t, a + 1, 58)))
    ) {
      keyword = this.text(a);
      a += 2;
    }
    // The position of the value: where the name is written, also after `name=`.
    const line = t.line[a];
    const column = t.col[a];
    const fn = this.functionLiteral(a, b);
    if (fn) return { line, column, keyword, fn };
    const spelled = this.expression(a, b);
    const expr = spelled.length === 1 && spelled[0] === anyHole ? anyName : owned(spelled);
    let ref: string | undefined;
    if (b - a === 1 && t.kind[a] === Kind.Ident) ref = this.text(a);
    else if (b - a === 3 && t.kind[b - 1] === Kind.Ident && (isPunct(t, a + 1, 46) || isPunct(t, a + 1, P.colonColon)))
      ref = this.text(b - 1);
    // Kept for the few SDK calls whose meaning depends on a non-string argument (StartActivity(ActivityKind.Server)).
    const text =
      api && b - a <= 8 && t.kind[a] === Kind.Ident
        ? own(t.text.slice(t.start[a], t.end[b - 1]).slice(0, 60))
        : undefined;
    return { line, column, keyword, expr, ref, text };
  }

  /** A function literal argument spanning [a, b), or undefined. */
  private functionLiteral(a: number, b: number): FnRef | undefined {
    const t = this.t;
    const fam = this.family;
    let k = a;
    if (isWord(t, k, 'async')) k++;
    let name: string | undefined;
    let found = false;
    if (fam === 'js' && isWord(t, k, 'function')) {
      found = true;
      const n = isPunct(t, k + 1, 42) ? k + 2 : k + 1;
      if (t.kind[n] === Kind.Ident) name = this.text(n);
    } else if (
      (fam === 'python' && isWord(t, a, 'lambda')) ||
      (fam === 'go' && isWord(t, a, 'func')) ||
      (fam === 'csharp' && isWord(t, k, 'delegate'))
    ) {
      found = true;
    } else if (fam !== 'python' && fam !== 'go') {
      const arrow = fam === 'java' ? P.thinArrow : P.fatArrow;
      for (let j = a; j < b; j++) {
        if (t.kind[j] !== Kind.Punct) continue;
        if (t.code[j] === arrow) {
          found = true;
          break;
        }
        if ((t.code[j] === 40 || t.code[j] === 91 || t.code[j] === 123) && this.match[j] > 0) j = this.match[j];
      }
    }
    return found ? { name, startLine: t.line[a], endLine: t.endLine[b - 1] } : undefined;
  }

  /** What [a, b) spells as a name: `'x'`, `` `x-${i}` ``, `'x-' + i`, `fmt.Sprintf("x-%d", i)`, `"x-%d" % i`. */
  private expression(a: number, b: number): NameExpr {
    const t = this.t;
    const operands: [number, number][] = [];
    let from = a;
    for (let j = a; j < b; j++) {
      if (t.kind[j] !== Kind.Punct) continue;
      const c = t.code[j];
      if ((c === 40 || c === 91 || c === 123) && this.match[j] > 0) j = Math.min(this.match[j], b);
      else if (c === 43 && j > from) {
        operands.push([from, j]);
        from = j + 1;
      }
    }
    if (!operands.length) return this.operand(a, b);
    operands.push([from, b]);
    return concat(...operands.map(([x, y]) => this.operand(x, y)));
  }

  private operand(a: number, b: number): NameExpr {
    const t = this.t;
    const fam = this.family;
    const any = anyName;
    if (b <= a) return any;
    if (b - a === 1) {
      const k = t.kind[a];
      // Raw token text here: argument() owns what it keeps, once.
      if (k === Kind.Str) return [literalValue(tokenText(t, a), fam)];
      if (k === Kind.Tpl) return templateParts(tokenText(t, a), fam);
      if (k === Kind.Ident) return [holeFor(this.text(a))];
      return any;
    }
    if (isPunct(t, a, 40) && this.match[a] === b - 1) return this.expression(a + 1, b - 1);
    const argsOf = (open: number, close: number) => this.split(open, close).map(([x, y]) => this.expression(x, y));
    if (t.kind[a] === Kind.Str) {
      const format = literalValue(tokenText(t, a), fam);
      // Python's `"x-%d" % i` and `"x-%d" % (i, j)`.
      if (fam === 'python' && isPunct(t, a + 1, 37)) {
        const open = a + 2;
        return printfParts(
          format,
          isPunct(t, open, 40) && this.match[open] === b - 1 ? argsOf(open, b - 1) : [this.expression(open, b)],
        );
      }
      // `"x-{}".format(i)` (Python), `"x-%d".formatted(i)` (Java 15).
      if (isPunct(t, a + 1, 46) && isPunct(t, a + 3, 40) && this.match[a + 3] === b - 1) {
        if (fam === 'python' && isWord(t, a + 2, 'format')) return braceFormatParts(format, argsOf(a + 3, b - 1), fam);
        if (fam === 'java' && isWord(t, a + 2, 'formatted')) return printfParts(format, argsOf(a + 3, b - 1));
      }
      return any;
    }
    // A call spanning the operand: `fmt.Sprintf(…)`, `String.format(…)`, `string.Format(…)`, `String(i)`.
    const close = b - 1;
    if (isPunct(t, close, 41) && this.match[close] > a && t.kind[this.match[close] - 1] === Kind.Ident) {
      const open = this.match[close];
      let k = open - 1;
      while (k - 2 >= a && isPunct(t, k - 1, 46) && t.kind[k - 2] === Kind.Ident) k -= 2;
      if (k !== a) return any;
      const fn = this.text(open - 1);
      const ranges = this.split(open, close);
      if (
        formatFunctions.has(fn) &&
        ranges.length &&
        ranges[0][1] - ranges[0][0] === 1 &&
        t.kind[ranges[0][0]] === Kind.Str
      ) {
        const format = literalValue(tokenText(t, ranges[0][0]), fam);
        const rest = ranges.slice(1).map(([x, y]) => this.expression(x, y));
        return fam === 'csharp' || fam === 'python' ? braceFormatParts(format, rest, fam) : printfParts(format, rest);
      }
      // A conversion of one value (`String(i)`, `str(i)`, `strconv.Itoa(i)`) reads that value.
      if (ranges.length === 1) {
        const inner = this.expression(ranges[0][0], ranges[0][1]);
        if (inner.length === 1 && typeof inner[0] !== 'string') return inner;
      }
    }
    return any;
  }

  // ---- decorators and annotations -------------------------------------------------------------

  private decorator(i: number): number {
    const t = this.t;
    let last = i + 1;
    if (t.kind[last] !== Kind.Ident) return i + 1;
    while (isPunct(t, last + 1, 46) && t.kind[last + 2] === Kind.Ident) last += 2;
    const kind = this.family === 'java' ? 'annotation' : 'decorator';
    const callee = this.text(last);
    const relevant = this.family === 'python' || javaAnnotations.has(callee);
    let next = last + 1;
    let candidate: Mutable<CallCandidate> | undefined;
    if (isPunct(t, last + 1, 40) && this.match[last + 1] > 0) {
      const close = this.match[last + 1];
      next = close + 1;
      if (relevant) candidate = this.call(last, last + 1, close, kind);
    } else if (relevant && isApiName(this.family, callee)) {
      candidate = {
        callee,
        receiver: own(this.receiverOf(last)),
        line: t.line[last],
        column: t.col[last],
        args: [],
        kind,
        enclosing: this.enclosing(),
      };
    }
    if (candidate) this.pending.push(candidate);
    return next;
  }

  private attachPending(ref: FnRef): void {
    for (const p of this.pending) {
      p.decorated = ref;
      this.calls.push(p);
    }
    this.pending = [];
  }
}

let matchBuffer = new Int32Array(0);

/** For every bracket token, the index of its partner; -1 when unmatched. Reuses one buffer, as tokenize() does. */
function matchBrackets(t: Tokens): Int32Array {
  if (matchBuffer.length < t.count) matchBuffer = new Int32Array(Math.max(t.count, matchBuffer.length * 2));
  const match = matchBuffer;
  match.fill(-1, 0, t.count);
  const stack: number[] = [];
  for (let i = 0; i < t.count; i++) {
    if (t.kind[i] !== Kind.Punct) continue;
    const c = t.code[i];
    if (c === 40 || c === 91 || c === 123) stack.push(i);
    else if (c === 41 || c === 93 || c === 125) {
      const want = c === 41 ? 40 : c === 93 ? 91 : 123;
      // Tolerate one stray bracket: pair with the nearest opener of the right kind among the top few.
      let k = stack.length - 1;
      while (k >= 0 && k >= stack.length - 3 && t.code[stack[k]] !== want) k--;
      if (k < 0 || t.code[stack[k]] !== want) continue;
      const open = stack[k];
      stack.length = k;
      match[open] = i;
      match[i] = open;
    }
  }
  return match;
}

/**
 * A copy of s that does not keep the file's text alive: V8 makes substrings views of their parent,
 * and the index keeps a few short strings per file, not every file's text.
 */
function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** A name known only at run time, shared: most arguments are one. */
const anyHole = holeFor('');
const anyName: NameExpr = [anyHole];

/** A name expression whose strings are owned. */
const owned = (expr: NameExpr): NameExpr =>
  expr.map((p) => (typeof p === 'string' ? own(p) : p.ident !== undefined ? { ...p, ident: own(p.ident) } : p));
