// `trace-lens locate`: every span and exception frame of a trace with the workspace file and line
// it resolves to, and how.
import { resolve as resolvePath } from 'node:path';
import { forEachSpan } from '../model/assemble';
import type { Span, Trace } from '../model/trace';
import { isLocation, type Resolution } from '../mapping/location';
import { Resolver, type SiteLookup } from '../mapping/resolve';
import { SourceMapResolver } from '../mapping/sourceMaps';
import { WorkspaceFiles } from '../mapping/workspaceFiles';
import { parseArgs, UsageError } from './args';
import type { Io } from './io';
import { sourceValueFlags } from './source';
import { withTrace } from './traces';
import { toXRayTraceId } from '../sources/aws/traceIds';

/** Usage of locate. */
export const locateUsage = `trace-lens locate [--db FILE] [--workspace DIR] [--source aws …] ID [--json]
  Prints each span and exception frame of trace ID with the workspace file and line it resolves
  to (code.* attributes, stack frames and source maps, instrumentation sites) and how.`;

/** A location as the CLI prints it: relative path with forward slashes, 1-based line. */
interface Loc {
  path: string;
  line: number;
  via: string;
}

/** Builds the instrumentation lookup for a workspace; supplied by the caller so tests and the CLI share it. */
export type SiteIndexFactory = (root: string) => Promise<SiteLookup | undefined>;

/** Runs locate. */
export async function locate(argv: string[], io: Io, siteIndex?: SiteIndexFactory): Promise<number> {
  const a = parseArgs(argv, { value: ['db', 'workspace', ...sourceValueFlags], bool: ['json'] });
  const [given, extra] = a.positionals;
  if (!given || extra) throw new UsageError('locate takes one trace ID');
  const id = toXRayTraceId(given) ?? given.trim();
  const root = resolvePath(a.flags.get('workspace') ?? process.cwd());
  return withTrace(a, id, io, (t) => printLocations(t, root, a.bools.has('json'), io, siteIndex));
}

/** Resolves every span and frame of a trace against the workspace and prints them. */
async function printLocations(
  trace: Trace,
  root: string,
  json: boolean,
  io: Io,
  siteIndex?: SiteIndexFactory,
): Promise<number> {
  let maps: SourceMapResolver | undefined;
  try {
    const files = new WorkspaceFiles([root]);
    maps = new SourceMapResolver(files);
    const resolver = new Resolver(files, maps, await siteIndex?.(root));
    const results = await resolver.trace(trace);
    const loc = (r: Resolution): Loc | null =>
      isLocation(r) ? { path: files.relative(r.path), line: r.line, via: r.via } : null;
    const serviceOf = new Map<Span, string>();
    forEachSpan(trace, (s, parent) =>
      serviceOf.set(s, s.type === 'segment' || !parent ? s.name : (serviceOf.get(parent) ?? s.name)),
    );
    const spans = results.map((r) => ({
      id: r.span.id,
      name: r.span.otelName ?? r.span.name,
      service: serviceOf.get(r.span) ?? null,
      location: loc(r.resolution),
    }));
    const frames = results.flatMap((r) =>
      r.frames.map((f) => ({
        spanId: r.span.id,
        exception: [f.exception.type, f.exception.message].filter(Boolean).join(': ') || null,
        path: f.frame.path ?? null,
        line: f.frame.line ?? null,
        label: f.frame.label ?? null,
        location: loc(f.resolution),
      })),
    );
    if (json) {
      io.out(`${JSON.stringify({ traceId: trace.id, spans, frames })}\n`);
      return 0;
    }
    const at = (l: Loc | null, r: Resolution) =>
      l ? `${l.path}:${l.line}  (${l.via})` : `-  (${'unresolved' in r ? r.unresolved : ''})`;
    io.out(`trace ${trace.id} in ${root}\n\nspans:\n`);
    results.forEach((r, i) =>
      io.out(
        `  ${(spans[i]!.service ?? '').padEnd(12)} ${spans[i]!.name.padEnd(28)} ${at(spans[i]!.location, r.resolution)}\n`,
      ),
    );
    if (frames.length) {
      io.out(`\nexception frames:\n`);
      let i = 0;
      for (const r of results) {
        for (const f of r.frames) {
          const fr = frames[i++]!;
          io.out(
            `  ${String(fr.path)}:${fr.line ?? '?'} ${fr.label ?? ''}\n      → ${at(fr.location, f.resolution)}\n`,
          );
        }
      }
    }
    return 0;
  } finally {
    maps?.dispose();
  }
}
