// The project's own helpers around the SDK calls: a function that passes one of its parameters
// on as a span name is a wrapper, and so is a function that passes one on to a wrapper, up to a
// few levels. Built from every file's forwarders at once, because a wrapper in one file turns
// calls in other files into sites.
import { apisFor, type ApiSpec } from './apis';
import type { CallArg, CallCandidate, Forwarder } from './fileScan';
import type { Family } from './language';
import { hasParam, substitute, type NameExpr } from './nameExpression';

/** A function whose callers name spans; copies of it in several files are one wrapper. */
export interface Wrapper {
  readonly family: Family;
  readonly name: string;
  readonly params: readonly (string | undefined)[];
  /** The name it gives, with holes for its parameters: `['db.', {param: 0}]`. */
  readonly template: NameExpr;
  /** The parameter that takes the timed function, when known. */
  readonly fnParam?: number;
  /** Where it is defined. */
  readonly paths: ReadonlySet<string>;
  /** 1 when it calls the SDK itself, 2 when it calls such a wrapper, and so on. */
  readonly depth: number;
  /** The SDK call it ends in (`xray.captureAsyncFunc`). */
  readonly api: string;
  /**
   * The SDK's name when none is given, where the name is just one of the wrapper's parameters:
   * `def capture(name=None): return xray_recorder.capture(name)` makes `@capture()` name the function.
   */
  readonly defaultName?: ApiSpec['defaultName'];
}

/** Wrappers of wrappers are followed this deep; deeper chains are rare and cycles possible. */
export const maxWrapperDepth = 4;

/** Wrappers by family and name. */
export type WrapperTable = ReadonlyMap<string, readonly Wrapper[]>;

/** The table key of a callee. */
export const wrapperKey = (family: Family, name: string): string => `${family}:${name}`;

/** The argument a call passes for a parameter: by keyword when it has one, else by position. */
export function argumentFor(call: CallCandidate, position: number, keyword?: string): CallArg | undefined {
  if (keyword !== undefined) {
    const named = call.args.find((a) => a.keyword === keyword);
    if (named) return named;
  }
  let p = 0;
  for (const a of call.args) {
    if (a.keyword !== undefined) continue;
    if (p === position) return a;
    p++;
  }
  return undefined;
}

/** The argument carrying an SDK call's name. */
export function nameArgument(call: CallCandidate, spec: ApiSpec): CallArg | undefined {
  for (const k of spec.nameKeywords ?? []) {
    const named = call.args.find((a) => a.keyword === k);
    if (named) return named;
  }
  return spec.nameArg < 0 ? undefined : argumentFor(call, spec.nameArg);
}

/** True when the call can be this SDK call: the receiver fits and a context comes before the name. */
export function apiMatches(call: CallCandidate, spec: ApiSpec): boolean {
  if (spec.receiver && !spec.receiver.test(call.receiver)) return false;
  if (spec.contextFirst) {
    if (call.args.length <= spec.nameArg) return false;
    for (let k = 0; k < spec.nameArg; k++)
      if (call.args[k].expr?.some((p) => typeof p === 'string') || call.args[k].fn) return false;
  }
  return true;
}

interface Source {
  readonly path: string;
  readonly family: Family;
  readonly forwarders: readonly Forwarder[];
}

/** The parameter position an argument passes on unchanged, if any. */
function paramPassed(f: Forwarder, arg: CallArg | undefined): number | undefined {
  const at = arg?.ref !== undefined ? f.params.indexOf(arg.ref) : -1;
  return at >= 0 ? at : undefined;
}

const onlyOne = (xs: readonly number[]) => (xs.length === 1 ? xs[0] : undefined);

/** Every wrapper the forwarders define, following wrappers of wrappers to maxWrapperDepth. */
export function buildWrappers(sources: Iterable<Source>): Map<string, Wrapper[]> {
  const table = new Map<string, Wrapper[]>();
  const byId = new Map<string, Wrapper & { paths: Set<string> }>();
  const all: { path: string; family: Family; f: Forwarder }[] = [];
  for (const s of sources) for (const f of s.forwarders) all.push({ path: s.path, family: s.family, f });

  /** Adds a wrapper, or its path to the same wrapper found in another file; true when it is new. */
  const add = (w: Omit<Wrapper, 'paths'>, path: string): boolean => {
    const key = wrapperKey(w.family, w.name);
    const id = `${key}|${JSON.stringify([w.params, w.template, w.fnParam, w.api])}`;
    const known = byId.get(id);
    if (known) {
      known.paths.add(path);
      return false;
    }
    const created = { ...w, paths: new Set([path]) };
    byId.set(id, created);
    table.set(key, [...(table.get(key) ?? []), created]);
    return true;
  };

  for (let depth = 1; depth <= maxWrapperDepth; depth++) {
    let added = false;
    for (const { path, family, f } of all) {
      const base = { family, name: f.name, params: f.params, depth };
      if (depth === 1) {
        for (const spec of apisFor(family, f.call.callee)) {
          if (!apiMatches(f.call, spec)) continue;
          const arg = nameArgument(f.call, spec);
          if (!arg?.expr || !hasParam(arg.expr)) continue;
          const fnArg =
            spec.fnArg === 'last'
              ? f.call.args[f.call.args.length - 1]
              : spec.fnArg !== undefined
                ? argumentFor(f.call, spec.fnArg)
                : undefined;
          added =
            add(
              {
                ...base,
                template: arg.expr,
                fnParam: paramPassed(f, fnArg) ?? onlyOne(f.fnParams),
                api: spec.api,
                ...(spec.defaultName && arg.ref !== undefined ? { defaultName: spec.defaultName } : {}),
              },
              path,
            ) || added;
        }
        continue;
      }
      for (const inner of table.get(wrapperKey(family, f.call.callee)) ?? []) {
        if (inner.depth !== depth - 1 || (inner.name === f.name && inner.paths.has(path))) continue;
        const template = substitute(inner.template, (k) => argumentFor(f.call, k, inner.params[k])?.expr);
        if (!template || !hasParam(template)) continue;
        const fnArg =
          inner.fnParam !== undefined ? argumentFor(f.call, inner.fnParam, inner.params[inner.fnParam]) : undefined;
        // The default carries through when this level, too, passes a parameter on as the name.
        const hole =
          inner.template.length === 1 && typeof inner.template[0] !== 'string' ? inner.template[0]!.param : undefined;
        const passed =
          inner.defaultName &&
          hole !== undefined &&
          paramPassed(f, argumentFor(f.call, hole, inner.params[hole])) !== undefined;
        added =
          add(
            {
              ...base,
              template,
              fnParam: paramPassed(f, fnArg) ?? onlyOne(f.fnParams),
              api: inner.api,
              ...(passed ? { defaultName: inner.defaultName } : {}),
            },
            path,
          ) || added;
      }
    }
    if (!added) break;
  }
  for (const ws of table.values()) ws.sort((a, b) => a.depth - b.depth);
  return table;
}

/** A comparable text per key, to tell which wrappers changed between two tables. */
export function wrapperSignatures(table: WrapperTable): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, ws] of table) {
    out.set(
      key,
      ws
        .map((w) => JSON.stringify([[...w.paths].sort(), w.params, w.template, w.fnParam, w.api]))
        .sort()
        .join('\n'),
    );
  }
  return out;
}
