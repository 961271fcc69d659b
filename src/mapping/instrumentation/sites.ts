// From a file's call candidates to its instrumentation sites: an SDK call or a wrapper call whose
// name is known (or known up to holes), where the name is written, and which function it times.
import { apisFor, type ApiSpec } from './apis';
import type { CallArg, CallCandidate, FileScan, FnRef } from './fileScan';
import { familyOf, type Language } from './language';
import { siteName, substitute, type NameExpr } from './nameExpression';
import { apiMatches, argumentFor, nameArgument, wrapperKey, type Wrapper, type WrapperTable } from './wrappers';

/** A place in the source that names a span or subsegment. */
export interface InstrumentationSite {
  /** As given to the index. */
  path: string;
  /** 1-based, of the name when it is written, else of the call, decorator or method. */
  line: number;
  column: number;
  language: Language;
  /** The literal name. */
  name?: string;
  /** When the name is only partly literal: a RegExp source, anchored, matching whole names. */
  pattern?: string;
  /** The call: `xray.captureAsyncFunc`, `otel.startActiveSpan`, or `wrapper:<name>` for the project's own helpers. */
  api: string;
  /** For a wrapper, the SDK call it ends in. */
  wraps?: string;
  /** The function the span times: the decorated function, the callback's name, the function passed in, else the enclosing one. */
  functionName?: string;
  /** Lines of that function (the callback's, when the timed code is an anonymous callback). */
  functionRange?: { startLine: number; endLine: number };
}

/** A site and how much of its name is literal, which ranks pattern matches. */
export interface ResolvedSite {
  readonly site: InstrumentationSite;
  /** Literal characters of a pattern's name; Infinity for a literal name. */
  readonly specificity: number;
}

const range = (f: FnRef) => ({ startLine: f.startLine, endLine: f.endLine });

/** The timed function from a function argument: a literal callback, or a function passed by name. */
function fromArgument(
  call: CallCandidate,
  arg: CallArg | undefined,
): Pick<InstrumentationSite, 'functionName' | 'functionRange'> | undefined {
  if (arg?.fn) return { functionName: arg.fn.name ?? call.enclosing?.name, functionRange: range(arg.fn) };
  if (arg?.ref) return { functionName: arg.ref, functionRange: arg.refRange && range(arg.refRange) };
  return undefined;
}

function timedFunction(
  call: CallCandidate,
  fnArg: CallArg | undefined,
): Pick<InstrumentationSite, 'functionName' | 'functionRange'> {
  if (call.decorated) return { functionName: call.decorated.name, functionRange: range(call.decorated) };
  const fromArg = fromArgument(call, fnArg);
  if (fromArg) return fromArg;
  return call.enclosing ? { functionName: call.enclosing.name, functionRange: range(call.enclosing) } : {};
}

interface Named {
  name: NameExpr | string;
  line: number;
  column: number;
}

function make(
  language: Language,
  path: string,
  named: Named,
  api: string,
  timed: ReturnType<typeof timedFunction>,
  wraps?: string,
): ResolvedSite | undefined {
  const n = typeof named.name === 'string' ? { name: named.name } : siteName(named.name);
  if (!n || ('name' in n && n.name === '')) return undefined;
  const site: InstrumentationSite = { path, line: named.line, column: named.column, language, api };
  if ('name' in n) site.name = n.name;
  else site.pattern = n.pattern;
  if (wraps) site.wraps = wraps;
  if (timed.functionName) site.functionName = timed.functionName;
  if (timed.functionRange) site.functionRange = timed.functionRange;
  return { site, specificity: 'name' in n ? Infinity : n.literalLength };
}

/** The name an SDK call (or a wrapper of one) gives when none is written: the function's, `Class.method`, or the calling method's. */
function defaultName(call: CallCandidate, spec: Pick<ApiSpec, 'defaultName'>): string | undefined {
  if (spec.defaultName === 'function') return call.decorated?.name;
  if (spec.defaultName === 'qualified') return call.decorated?.qualified ?? call.decorated?.name;
  if (spec.defaultName === 'enclosing') return call.enclosing?.name;
  return undefined;
}

function fromApi(call: CallCandidate, spec: ApiSpec, language: Language, path: string): ResolvedSite | undefined {
  const arg = nameArgument(call, spec);
  const fnArg =
    spec.fnArg === 'last'
      ? call.args[call.args.length - 1]
      : spec.fnArg !== undefined
        ? argumentFor(call, spec.fnArg)
        : undefined;
  const timed = timedFunction(call, fnArg === arg ? undefined : fnArg);
  // `StartActivity(ActivityKind.Server)` is the overload whose name defaults to the caller.
  const kindOnly = spec.defaultName === 'enclosing' && arg?.text?.startsWith('ActivityKind') === true;
  const written = arg && !kindOnly ? arg.expr : undefined;
  const empty = written !== undefined && written.every((p) => p === '');
  if (written && !empty)
    return make(language, path, { name: written, line: arg!.line, column: arg!.column }, spec.api, timed);
  // No name, or an empty one (`@WithSpan("")`): the SDK's default, when it has one.
  if ((arg && !kindOnly && !empty) || !spec.defaultName) return undefined;
  const name = defaultName(call, spec);
  return name ? make(language, path, { name, line: call.line, column: call.column }, spec.api, timed) : undefined;
}

function fromWrapper(call: CallCandidate, w: Wrapper, language: Language, path: string): ResolvedSite | undefined {
  const expr = substitute(w.template, (k) => argumentFor(call, k, w.params[k])?.expr);
  if (!expr) {
    // No name given to a wrapper that passes its parameter as the name: the SDK's default applies.
    const hole = w.template.length === 1 && typeof w.template[0] !== 'string' ? w.template[0]!.param : undefined;
    if (hole === undefined || !w.defaultName || argumentFor(call, hole, w.params[hole])) return undefined;
    const name = defaultName(call, w);
    const fnArg =
      w.fnParam !== undefined ? argumentFor(call, w.fnParam, w.params[w.fnParam]) : call.args.find((a) => a.fn);
    return name
      ? make(
          language,
          path,
          { name, line: call.line, column: call.column },
          `wrapper:${w.name}`,
          timedFunction(call, fnArg),
          w.api,
        )
      : undefined;
  }
  const first = w.template.find((p) => typeof p !== 'string' && p.param !== undefined);
  const at =
    first && typeof first !== 'string' && first.param !== undefined
      ? argumentFor(call, first.param, w.params[first.param])
      : undefined;
  const fnArg =
    w.fnParam !== undefined ? argumentFor(call, w.fnParam, w.params[w.fnParam]) : call.args.find((a) => a.fn);
  return make(
    language,
    path,
    { name: expr, line: at?.line ?? call.line, column: at?.column ?? call.column },
    `wrapper:${w.name}`,
    timedFunction(call, fnArg),
    w.api,
  );
}

/** The sites of one file's calls, against the workspace's wrappers. */
export function resolveSites(path: string, language: Language, scan: FileScan, wrappers: WrapperTable): ResolvedSite[] {
  const family = familyOf(language);
  const out: ResolvedSite[] = [];
  for (const call of scan.calls) {
    const spec = apisFor(family, call.callee).find((s) => apiMatches(call, s));
    if (spec) {
      // An SDK call with a run-time name is no site, whatever a wrapper of the same name would say.
      const r = fromApi(call, spec, language, path);
      if (r) out.push(r);
      continue;
    }
    const candidates = wrappers.get(wrapperKey(family, call.callee));
    if (!candidates) continue;
    // A wrapper defined in the same file wins over one of the same name elsewhere, then the shallower (the table's order).
    const local = candidates.length > 1 ? candidates.filter((w) => w.paths.has(path)) : [];
    for (const w of local.length ? [...local, ...candidates.filter((c) => !local.includes(c))] : candidates) {
      const r = fromWrapper(call, w, language, path);
      if (r) {
        out.push(r);
        break;
      }
    }
  }
  return out;
}
