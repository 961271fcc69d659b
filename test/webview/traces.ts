// Snapshots for the waterfall, shared by its Chromium tests and its benchmark so both measure the
// same shape of trace.
import { criticalPath } from '../../src/analysis/criticalPath';
import { assembleTrace } from '../../src/model/assemble';
import { Repairs } from '../../src/model/repairs';
import { parseSegmentDocument } from '../../src/model/segmentDocument';
import type { Trace } from '../../src/model/trace';
import { frameNotes, traceSnapshots } from '../../src/protocol/traceView';
import { frameWontResolve } from '../../src/mapping/pathMapping';
import type { Envelope } from '../../src/protocol/rpc';

const notify = (params: unknown): Envelope => ({
  rpc: 1,
  type: 'notification',
  method: 'traceView/snapshot',
  params: JSON.parse(JSON.stringify(params)),
});

/** The snapshot notification the host sends for a whole trace (as JSON, as postMessage carries it). */
export function snapshotOf(trace: Trace): Envelope {
  return notify(
    traceSnapshots(trace, criticalPath(trace), { source: 'Local X-Ray' }, frameNotes(trace, frameWontResolve)).whole,
  );
}

/** The first-screen snapshot the host sends first for a huge trace, or undefined for a small one. */
export function headSnapshotOf(trace: Trace): Envelope | undefined {
  const { first } = traceSnapshots(trace, criticalPath(trace), { source: 'Local X-Ray' });
  return first && notify(first);
}

/** A synthetic trace of n spans in a realistic shape (fan-out under a few services), for size tests. */
export function bigTrace(n: number): Trace {
  const t0 = 1_795_000_000;
  const subs: Record<string, unknown>[] = [];
  let made = 1;
  for (let i = 0; made < n; i++) {
    const kids = [];
    for (let k = 0; k < 9 && made + 1 < n; k++, made++)
      kids.push({
        id: `k${i}-${k}`,
        name: `query-${k}`,
        start_time: t0 + i * 0.01 + k * 0.001,
        end_time: t0 + i * 0.01 + k * 0.001 + 0.0008,
      });
    subs.push({
      id: `s${i}`,
      name: `item-${i % 40}`,
      start_time: t0 + i * 0.01,
      end_time: t0 + i * 0.01 + 0.009,
      subsegments: kids,
      ...(i % 97 === 0 ? { fault: true } : {}),
    });
    made++;
  }
  const root = parseSegmentDocument(
    {
      trace_id: '1-6b000000-000000000000000000000001',
      id: 'root',
      name: 'api',
      start_time: t0,
      end_time: t0 + subs.length * 0.01 + 0.01,
      subsegments: subs,
    },
    new Repairs(),
  )!;
  return assembleTrace(root.traceId, [root]);
}
