// Messages between the host and the trace waterfall webview.
import { forEachSpan } from '../model/assemble';
import type { StackFrame, Trace } from '../model/trace';
import { traceHead } from '../model/traceHead';
import { notification, request } from './rpc';

/** Where the trace came from, for the header and the console link. */
export interface TraceOrigin {
  readonly source: string;
  /** The AWS console URL of the trace, for AWS traces. */
  readonly consoleUrl?: string;
}

/** Everything the waterfall shows, sent whole (a huge trace's first screen first: see partial). */
export interface TraceSnapshot {
  /** The trace; its `root` is left out on the wire (it repeats a whole segment tree): see rootId. */
  readonly trace: Trace;
  /** The id of the trace's root segment, which the view looks up among the segments. */
  readonly rootId?: string;
  /** Set on the first screen of a huge trace: the view paints it, then sends `rest` for the whole trace. */
  readonly partial?: { readonly shownSpans: number; readonly totalSpans: number };
  /** Span ids on the critical path (analysis/criticalPath), in path order. */
  readonly criticalPath: readonly string[];
  readonly origin: TraceOrigin;
  /** Exception frames that cannot lead to the project's code, keyed `spanId/exception/frame`, and why. */
  readonly unresolvableFrames?: Readonly<Record<string, string>>;
}

/** The key of an exception frame in unresolvableFrames. */
export const frameKey = (spanId: string, exception: number, frame: number): string => `${spanId}/${exception}/${frame}`;

/** unresolvableFrames of a trace: every exception frame the verdict (mapping/pathMapping's frameWontResolve) gives a reason for. */
export function frameNotes(trace: Trace, verdict: (frame: StackFrame) => string | undefined): Record<string, string> {
  const notes: Record<string, string> = {};
  forEachSpan(trace, (s) =>
    s.cause?.exceptions.forEach((e, ei) =>
      e.stack.forEach((f, fi) => {
        const why = verdict(f);
        if (why) notes[frameKey(s.id, ei, fi)] = why;
      }),
    ),
  );
  return notes;
}

/** How a Go to Code request ended, for the details panel to say. */
export interface GoToCodeResult {
  readonly opened: boolean;
  /** `instrumentation site`, `stack frame through a source map`, … or why nothing was found. */
  readonly how: string;
}

/** The webview is ready for a snapshot. */
export const ready = notification<Record<string, never>>('traceView/ready');
/** The host's full snapshot (also after the trace changes). */
export const snapshot = notification<TraceSnapshot>('traceView/snapshot');
/** The first screen of a partial snapshot is painted: send the whole trace. */
export const rest = notification<Record<string, never>>('traceView/rest');
/** The host could not load the trace. */
export const failed = notification<{ message: string }>('traceView/failed');
/** Open the code of a span. */
export const goToCode = request<{ spanId: string }, GoToCodeResult>('traceView/goToCode');
/** Open the code of one exception frame of a span. */
export const goToFrame = request<{ spanId: string; exception: number; frame: number }, GoToCodeResult>(
  'traceView/goToFrame',
);
/** Copy the trace id to the clipboard. */
export const copyTraceId = request<Record<string, never>, boolean>('traceView/copyTraceId');
/** Open the trace in the AWS console. */
export const openInConsole = request<Record<string, never>, boolean>('traceView/openInConsole');

/**
 * The snapshots the host sends for a trace: the whole trace (root named by id, not repeated), and
 * for a huge trace its first screen before it (`first`), the whole one to follow on `rest`.
 */
export function traceSnapshots(
  trace: Trace,
  criticalPath: readonly string[],
  origin: TraceOrigin,
  unresolvableFrames?: Readonly<Record<string, string>>,
): { first?: TraceSnapshot; whole: TraceSnapshot } {
  const rootId = trace.root?.id;
  const whole: TraceSnapshot = {
    trace: { ...trace, root: undefined },
    rootId,
    criticalPath,
    origin,
    unresolvableFrames,
  };
  const head = traceHead(trace);
  if (!head) return { whole };
  const ids = new Set<string>();
  forEachSpan(head.trace, (s) => void ids.add(s.id));
  const first: TraceSnapshot = {
    trace: { ...head.trace, root: undefined },
    rootId,
    criticalPath: criticalPath.filter((id) => ids.has(id)),
    origin,
    unresolvableFrames,
    partial: { shownSpans: head.shown, totalSpans: head.total },
  };
  return { first, whole };
}
