// Snapshots for the waterfall, shared by its Chromium tests and its benchmark so both measure the
// same shape of trace.
import { criticalPath } from '../../src/analysis/criticalPath';
import { assembleTrace } from '../../src/model/assemble';
import { Repairs } from '../../src/model/repairs';
import { parseSegmentDocument } from '../../src/model/segmentDocument';
import type { Trace } from '../../src/model/trace';
import { forEachSpan } from '../../src/model/assemble';
import { traceHead } from '../../src/model/traceHead';
import type { Envelope } from '../../src/protocol/rpc';

/** The snapshot notification the host sends for a whole trace (as JSON, as postMessage carries it; the root left out, named by id). */
export function snapshotOf(trace: Trace): Envelope {
  return { rpc: 1, type: 'notification', method: 'traceView/snapshot', params: { trace: JSON.parse(JSON.stringify({ ...trace, root: undefined })), rootId: trace.root?.id, criticalPath: criticalPath(trace), origin: { source: 'Local X-Ray' } } };
}

/** The first-screen snapshot the host sends first for a huge trace (as tracePanel does), or undefined for a small one. */
export function headSnapshotOf(trace: Trace): Envelope | undefined {
  const head = traceHead(trace);
  if (!head) return undefined;
  const ids = new Set<string>();
  forEachSpan(head.trace, (s) => void ids.add(s.id));
  return { rpc: 1, type: 'notification', method: 'traceView/snapshot', params: { trace: JSON.parse(JSON.stringify({ ...head.trace, root: undefined })), rootId: trace.root?.id, criticalPath: criticalPath(trace).filter((id) => ids.has(id)), origin: { source: 'Local X-Ray' }, partial: { shownSpans: head.shown, totalSpans: head.total } } };
}

/** A synthetic trace of n spans in a realistic shape (fan-out under a few services), for size tests. */
export function bigTrace(n: number): Trace {
  const t0 = 1_795_000_000;
  const subs: Record<string, unknown>[] = [];
  let made = 1;
  for (let i = 0; made < n; i++) {
    const kids = [];
    for (let k = 0; k < 9 && made + 1 < n; k++, made++) kids.push({ id: `k${i}-${k}`, name: `query-${k}`, start_time: t0 + i * 0.01 + k * 0.001, end_time: t0 + i * 0.01 + k * 0.001 + 0.0008 });
    subs.push({ id: `s${i}`, name: `item-${i % 40}`, start_time: t0 + i * 0.01, end_time: t0 + i * 0.01 + 0.009, subsegments: kids, ...(i % 97 === 0 ? { fault: true } : {}) });
    made++;
  }
  const root = parseSegmentDocument({ trace_id: '1-6b000000-000000000000000000000001', id: 'root', name: 'api', start_time: t0, end_time: t0 + subs.length * 0.01 + 0.01, subsegments: subs }, new Repairs())!;
  return assembleTrace(root.traceId, [root]);
}
