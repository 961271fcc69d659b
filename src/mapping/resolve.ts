// Span or frame to workspace file:line, with how it was found. In order: OTel code.* attributes,
// the span's exception frames (path mapping, then the bundle's source map), the instrumentation
// index, workspace symbols (the extension supplies them), else nothing.
import type { ExceptionInfo, Span, StackFrame, Trace } from '../model/trace';
import { forEachSpan } from '../model/assemble';
import { isLocation, type Resolution, type SourceLocation } from './location';
import { labelFunction, mapFramePath } from './pathMapping';
import type { SourceMapResolver } from './sourceMaps';
import type { WorkspaceFiles } from './workspaceFiles';
import { readFileSync } from 'node:fs';

/** The part of the instrumentation index resolution needs. */
export interface SiteLookup {
  lookup(name: string): readonly { path: string; line: number; column?: number; api: string; functionName?: string }[];
}

/** Workspace symbols by name (the extension asks VS Code; the CLI has none). */
export type SymbolLookup = (name: string, signal?: AbortSignal) => Promise<{ path: string; line: number } | undefined>;

/** A frame with where it resolved. */
export interface ResolvedFrame {
  readonly frame: StackFrame;
  readonly exception: ExceptionInfo;
  readonly resolution: Resolution;
}

const attr = (a: Readonly<Record<string, unknown>> | undefined, ...keys: string[]): unknown => {
  for (const k of keys) if (a?.[k] !== undefined && a[k] !== null && a[k] !== '') return a[k];
  return undefined;
};

/** The exceptions of a span, following a cause that points at another span of the trace. */
export function exceptionsOf(span: Span, byId?: ReadonlyMap<string, Span>): readonly ExceptionInfo[] {
  if (span.cause?.exceptions.length) return span.cause.exceptions;
  const target = span.cause?.exceptionId ? byId?.get(span.cause.exceptionId) : undefined;
  if (target && target !== span) return target.cause?.exceptions ?? [];
  // The id may name an exception recorded on another span.
  if (span.cause?.exceptionId && byId) {
    for (const s of byId.values()) {
      const e = s.cause?.exceptions.find((x) => x.id === span.cause!.exceptionId);
      if (e) return s.cause!.exceptions;
    }
  }
  return [];
}

function functionLine(path: string, fn: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const re = new RegExp(
    `(def|function|func|fun)\\s+\\*?\\s*${fn.replace(/\$/g, '\\$')}\\b|\\b${fn.replace(/\$/g, '\\$')}\\s*[:=]\\s*(async\\s+)?(function|\\()|^\\s*(async\\s+|public\\s+|private\\s+|static\\s+)*${fn.replace(/\$/g, '\\$')}\\s*\\(`,
    'm',
  );
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/** Resolves spans and frames of traces to workspace locations. */
export class Resolver {
  constructor(
    private readonly files: WorkspaceFiles,
    private readonly sourceMaps: SourceMapResolver,
    private readonly sites?: SiteLookup,
    private readonly symbols?: SymbolLookup,
  ) {}

  /**
   * One frame: path mapping, then the file's source map if it is a bundle. The frames inside it
   * (`below`: its stack before it, innermost first), when given, let a minified line be narrowed
   * to the call site: those on the same line are the chain its position is worked out from.
   */
  async frame(frame: StackFrame, context: { below?: readonly StackFrame[] } = {}): Promise<Resolution> {
    const mapped = mapFramePath(frame, this.files);
    if (!isLocation(mapped)) return mapped;
    const below = context.below ?? [];
    let from = below.length;
    while (from > 0 && below[from - 1]!.path === frame.path && below[from - 1]!.line === frame.line) from--;
    const inner = below.slice(from).map((f) => f.label);
    const through = await this.sourceMaps
      .resolve(mapped.path, mapped.line, frame.label, {
        inner,
        innermostFirst: context.below !== undefined && from === 0,
      })
      .catch((e: unknown) => ({
        unresolved: `the source map could not be read: ${e instanceof Error ? e.message : String(e)}`,
      }));
    if (through === undefined) return mapped;
    if (isLocation(through)) return { ...through, detail: `${mapped.detail}; ${through.detail}` };
    return through;
  }

  /** Every frame of the span's exceptions, each with its resolution. */
  async frames(span: Span, byId?: ReadonlyMap<string, Span>): Promise<ResolvedFrame[]> {
    const out: ResolvedFrame[] = [];
    for (const exception of exceptionsOf(span, byId)) {
      const stack = exception.stack;
      for (let i = 0; i < stack.length; i++)
        out.push({
          frame: stack[i]!,
          exception,
          resolution: await this.frame(stack[i]!, { below: stack.slice(0, i) }),
        });
    }
    return out;
  }

  private async codeAttributes(span: Span): Promise<SourceLocation | undefined> {
    const a = span.attributes;
    const file = attr(a, 'code.file.path', 'code.filepath');
    if (typeof file !== 'string') return undefined;
    const lineRaw = attr(a, 'code.line.number', 'code.lineno');
    const fn = attr(a, 'code.function.name', 'code.function');
    const line = typeof lineRaw === 'number' ? lineRaw : typeof lineRaw === 'string' ? Number(lineRaw) : undefined;
    const mapped = mapFramePath(
      { path: file, line: line && line > 0 ? line : 1, label: typeof fn === 'string' ? fn : undefined },
      this.files,
    );
    if (!isLocation(mapped)) return undefined;
    if (line && line > 0) return { ...mapped, via: 'code-attributes', detail: `code.* attributes: ${mapped.detail}` };
    const fnName = labelFunction(typeof fn === 'string' ? fn : undefined);
    const at = fnName ? functionLine(mapped.path, fnName) : undefined;
    return {
      ...mapped,
      line: at ?? 1,
      via: 'code-attributes',
      precision: at ? 'function' : 'file',
      detail: `code.* attributes (no line${at ? `; function ${fnName}` : ''}): ${mapped.detail}`,
    };
  }

  /** Where the span's code is: the first way that finds it, or why none did. */
  async span(span: Span, byId?: ReadonlyMap<string, Span>, signal?: AbortSignal): Promise<Resolution> {
    const code = await this.codeAttributes(span);
    if (code) return code;
    // The innermost frame of the project's own code is where the span failed.
    for (const f of await this.frames(span, byId)) if (isLocation(f.resolution)) return f.resolution;
    const names = [span.otelName, span.name].filter((n): n is string => !!n);
    for (const name of names) {
      const site = this.sites?.lookup(name)[0];
      if (site) {
        const ok = this.files.confine(site.path);
        if ('path' in ok)
          return {
            path: ok.path,
            line: site.line,
            column: site.column,
            via: 'instrumentation',
            precision: 'line',
            detail: `${site.api} names '${name}'${site.functionName ? ` in ${site.functionName}` : ''}`,
          };
      }
    }
    if (this.symbols) {
      for (const name of names) {
        const fn = labelFunction(name) ?? name;
        const sym = await this.symbols(fn, signal);
        if (sym) {
          const ok = this.files.confine(sym.path);
          if ('path' in ok)
            return {
              path: ok.path,
              line: sym.line,
              via: 'symbol',
              precision: 'function',
              detail: `workspace symbol ${fn}`,
            };
        }
      }
    }
    return { unresolved: `nothing in the workspace names '${span.otelName ?? span.name}'` };
  }

  /** Every span of a trace with its resolution, in tree order. */
  async trace(
    trace: Trace,
    signal?: AbortSignal,
  ): Promise<{ span: Span; resolution: Resolution; frames: ResolvedFrame[] }[]> {
    const byId = new Map<string, Span>();
    const order: Span[] = [];
    forEachSpan(trace, (s) => {
      byId.set(s.id, s);
      order.push(s);
    });
    const out: { span: Span; resolution: Resolution; frames: ResolvedFrame[] }[] = [];
    for (const s of order) {
      if (signal?.aborted) break;
      out.push({
        span: s,
        resolution: await this.span(s, byId, signal),
        frames: s.cause?.exceptions.length ? await this.frames(s, byId) : [],
      });
    }
    return out;
  }
}
