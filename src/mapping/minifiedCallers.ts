// Finding an anonymous function's frame on a minified line, where neither its label nor a unique
// call to its callee says where it is. Two patterns cover what wrappers and async code produce:
//  - the callback: the callee is a function passed to `wrap(…)`, and this frame is where `wrap`
//    calls that parameter (`traced(name, fn)` calling `fn(subsegment)` inside its own closure);
//  - the async caller: after an `await`, V8 shows only async frames, so this frame is where the
//    chain of named functions around the callee was called from, each of them called once.
// The line is scanned once for functions (strings and template literals skipped); each answer is
// a column in the generated line, which the source map then maps.

/** A function on the line. */
interface Fn {
  /** Column where its head starts (`async`, `function`, or the arrow's parameters). */
  readonly head: number;
  /** [start, end) of its `{ … }` body. */
  readonly body: readonly [number, number];
  readonly name?: string;
  readonly params: readonly string[];
}

const ident = /[\w$]/;

/** Columns of matching brackets (open → close) outside strings, and the arrows and `function` keywords. */
function scan(text: string): { match: Map<number, number>; arrows: number[]; functions: number[] } {
  const match = new Map<number, number>();
  const arrows: number[] = [];
  const functions: number[] = [];
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '(' || c === '{' || c === '[') open.push(i);
    else if (c === ')' || c === '}' || c === ']') {
      const o = open.pop();
      if (o !== undefined) match.set(o, i);
    } else if (c === '=' && text[i + 1] === '>') arrows.push(i);
    else if (
      c === 'f' &&
      text.startsWith('function', i) &&
      !ident.test(text[i - 1] ?? '') &&
      !ident.test(text[i + 8] ?? '')
    )
      functions.push(i);
  }
  return { match, arrows, functions };
}

const skipBack = (text: string, i: number) => {
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i;
};
const skipFwd = (text: string, i: number) => {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
};

function paramsOf(list: string): string[] {
  return list
    .split(',')
    .map((p) => /^\s*(?:\.\.\.)?([\w$]+)/.exec(p)?.[1])
    .filter((p): p is string => !!p);
}

/** The name a function expression is given by `NAME=`, `NAME:` in front of its head, if any. */
function assignedName(text: string, head: number): string | undefined {
  let i = skipBack(text, head - 1);
  if (text[i] !== '=' && text[i] !== ':') return undefined;
  if (text[i] === '=' && /[=!<>]/.test(text[i - 1] ?? '')) return undefined;
  i = skipBack(text, i - 1);
  let j = i;
  while (j >= 0 && ident.test(text[j]!)) j--;
  return j < i ? text.slice(j + 1, i + 1) : undefined;
}

/** Every function of the line with a braced body. */
function functionsOf(text: string): { fns: Fn[]; match: Map<number, number> } {
  const { match, arrows, functions } = scan(text);
  const closeToOpen = new Map<number, number>();
  for (const [o, c] of match) closeToOpen.set(c, o);
  const fns: Fn[] = [];
  for (const a of arrows) {
    const b = skipFwd(text, a + 2);
    if (text[b] !== '{' || !match.has(b)) continue;
    const p = skipBack(text, a - 1);
    let head: number;
    let params: string[];
    if (text[p] === ')' && closeToOpen.has(p)) {
      head = closeToOpen.get(p)!;
      params = paramsOf(text.slice(head + 1, p));
    } else {
      let j = p;
      while (j >= 0 && ident.test(text[j]!)) j--;
      head = j + 1;
      params = [text.slice(head, p + 1)];
    }
    const before = skipBack(text, head - 1);
    if (text.slice(before - 4, before + 1) === 'async' && !ident.test(text[before - 5] ?? '')) head = before - 4;
    fns.push({ head, body: [b, match.get(b)! + 1], name: assignedName(text, head), params });
  }
  for (const f of functions) {
    let i = skipFwd(text, f + 8);
    if (text[i] === '*') i = skipFwd(text, i + 1);
    let name: string | undefined;
    const n = /^[\w$]+/.exec(text.slice(i, i + 200));
    if (n) {
      name = n[0];
      i = skipFwd(text, i + name.length);
    }
    if (text[i] !== '(' || !match.has(i)) continue;
    const close = match.get(i)!;
    const b = skipFwd(text, close + 1);
    if (text[b] !== '{' || !match.has(b)) continue;
    let head = f;
    const before = skipBack(text, f - 1);
    if (text.slice(before - 4, before + 1) === 'async' && !ident.test(text[before - 5] ?? '')) head = before - 4;
    fns.push({
      head,
      body: [b, match.get(b)! + 1],
      name: name ?? assignedName(text, head),
      params: paramsOf(text.slice(i + 1, close)),
    });
  }
  return { fns, match };
}

/** The innermost function whose body holds column at. */
function innermost(fns: readonly Fn[], at: number): Fn | undefined {
  let best: Fn | undefined;
  for (const f of fns)
    if (f.body[0] <= at && at < f.body[1] && (!best || f.body[1] - f.body[0] < best.body[1] - best.body[0])) best = f;
  return best;
}

/** Columns of plain calls `name(` (not member calls, not definitions) within [from, to). */
function callsOf(text: string, name: string, from: number, to: number): number[] {
  const re = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*\\(`, 'g');
  const out: number[] = [];
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    if (/function\s*\*?\s*$/.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
    out.push(m.index);
  }
  return out;
}

/** The plain function whose call's argument list holds column at (`wrap("x", <at>)` → `wrap`), if any. */
function receivingCall(text: string, match: Map<number, number>, at: number): string | undefined {
  let best: number | undefined;
  for (const [o, c] of match) if (text[o] === '(' && o < at && at < c && (best === undefined || o > best)) best = o;
  if (best === undefined) return undefined;
  const end = skipBack(text, best - 1);
  let j = end;
  while (j >= 0 && ident.test(text[j]!)) j--;
  if (j === end || text[j] === '.') return undefined;
  return text.slice(j + 1, end + 1);
}

/** How an anonymous frame was placed, for the location's detail. */
export interface CallerFound {
  readonly column: number;
  readonly how: string;
}

/**
 * The column of an anonymous frame on a minified line, from the column of the frame it called
 * (its callee): the callback pattern first, then the async caller chain (at most four hops).
 */
export function anonymousCaller(text: string, calleeColumn: number): CallerFound | undefined {
  const { fns, match } = functionsOf(text);
  const callee = innermost(fns, calleeColumn);
  if (!callee) return undefined;
  // The callback: the callee is passed to wrap(…); this frame calls wrap's parameter, once.
  const wrap = !callee.name ? receivingCall(text, match, callee.head) : undefined;
  const defs = wrap ? fns.filter((f) => f.name === wrap) : [];
  if (defs.length === 1) {
    const d = defs[0]!;
    const sites = d.params.flatMap((p) => callsOf(text, p, d.body[0], d.body[1]));
    if (sites.length === 1 && !innermost(fns, sites[0]!)?.name)
      return { column: sites[0]!, how: `where ${wrap} calls the callback it is given` };
  }
  // The async caller: up through named functions, each called from one place, to an anonymous one.
  let fn: Fn | undefined = callee;
  const path: string[] = [];
  for (let hop = 0; hop < 4; hop++) {
    while (fn && !fn.name) fn = innermost(fns, fn.head);
    if (!fn?.name) return undefined;
    const named = fn.name;
    if (fns.filter((f) => f.name === named).length !== 1) return undefined;
    const sites = callsOf(text, named, 0, text.length);
    if (sites.length !== 1) return undefined;
    path.push(named);
    const around = innermost(fns, sites[0]!);
    if (!around) return undefined;
    if (!around.name) return { column: sites[0]!, how: `the one call of ${path.join(' ← ')}` };
    fn = around;
  }
  return undefined;
}
