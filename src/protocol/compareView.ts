// Messages between the host and the compare webview (two traces of the same request side by side).
import type { CompareRow, CompareSummary } from '../model/traceComparison';
import { notification, request } from './rpc';
import type { GoToCodeResult } from './traceView';

/** Which of the two traces: A is the reference ("the normal one"), B the one compared to it. */
export type CompareSideName = 'a' | 'b';

/** One compared trace, for the header. */
export interface ComparedTrace {
  readonly traceId: string;
  /** Where it came from (`Local X-Ray`, `AWS X-Ray (eu-west-1)`). */
  readonly label: string;
  /** The root span's name, or the request (`GET /checkout`) when it has one. */
  readonly title: string;
  readonly durationMs?: number;
  /** Epoch seconds of the trace's first span. */
  readonly startTime: number;
}

/** Everything the compare view shows, sent whole. */
export interface CompareSnapshot {
  readonly a: ComparedTrace;
  readonly b: ComparedTrace;
  readonly rows: readonly CompareRow[];
  readonly summary: CompareSummary;
}

/** The webview is ready for a snapshot. */
export const ready = notification<Record<string, never>>('compareView/ready');
/** The host's full snapshot. */
export const snapshot = notification<CompareSnapshot>('compareView/snapshot');
/** The host could not load one of the traces. */
export const failed = notification<{ message: string }>('compareView/failed');
/** Open the code of a span of one side. */
export const goToCode = request<{ side: CompareSideName; spanId: string }, GoToCodeResult>('compareView/goToCode');
/** Open one side's trace in its own waterfall. */
export const openTrace = request<{ side: CompareSideName }, boolean>('compareView/openTrace');

/** Checks a side name from the other end. */
export function isSideName(v: unknown): v is CompareSideName {
  return v === 'a' || v === 'b';
}
