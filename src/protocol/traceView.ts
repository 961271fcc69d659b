// Messages between the host and the trace waterfall webview.
import type { Trace } from '../model/trace';
import { notification, request } from './rpc';

/** Where the trace came from, for the header and the console link. */
export interface TraceOrigin {
  readonly source: string;
  /** The AWS console URL of the trace, for AWS traces. */
  readonly consoleUrl?: string;
}

/** Everything the waterfall shows, sent whole. */
export interface TraceSnapshot {
  readonly trace: Trace;
  /** Span ids on the critical path (analysis/criticalPath), in path order. */
  readonly criticalPath: readonly string[];
  readonly origin: TraceOrigin;
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
/** The host could not load the trace. */
export const failed = notification<{ message: string }>('traceView/failed');
/** Open the code of a span. */
export const goToCode = request<{ spanId: string }, GoToCodeResult>('traceView/goToCode');
/** Open the code of one exception frame of a span. */
export const goToFrame = request<{ spanId: string; exception: number; frame: number }, GoToCodeResult>('traceView/goToFrame');
/** Copy the trace id to the clipboard. */
export const copyTraceId = request<Record<string, never>, boolean>('traceView/copyTraceId');
/** Open the trace in the AWS console. */
export const openInConsole = request<Record<string, never>, boolean>('traceView/openInConsole');
