import * as assert from 'node:assert/strict';
import { assembleTrace, assembleTraces, forEachSpan } from '../../../src/model/assemble';
import { Repairs } from '../../../src/model/repairs';
import { parseSegmentDocument } from '../../../src/model/segmentDocument';
import type { Span } from '../../../src/model/trace';

const traceId = '1-5759e988-bd862e3fe1be46a994272793';
const t0 = 1478293361;
function doc(d: Record<string, unknown>): Span {
  const r = new Repairs();
  const s = parseSegmentDocument({ trace_id: traceId, ...d }, r);
  assert.ok(s, r.lines().join());
  return s;
}

describe('model/assemble', () => {
  it('attaches independent subsegments to their parents, even a chain that arrives child first', () => {
    const trace = assembleTrace(traceId, [
      doc({ type: 'subsegment', id: 'c', parent_id: 'b', name: 'c', start_time: t0 + 0.2, end_time: t0 + 0.3 }),
      doc({ type: 'subsegment', id: 'b', parent_id: 'a', name: 'b', start_time: t0 + 0.1, end_time: t0 + 0.5 }),
      doc({ id: 'a', name: 'api', start_time: t0, end_time: t0 + 1 }),
    ]);
    assert.equal(trace.segments.length, 1);
    assert.equal(trace.segments[0]!.subsegments[0]!.id, 'b');
    assert.equal(trace.segments[0]!.subsegments[0]!.subsegments[0]!.id, 'c');
    assert.deepEqual(trace.orphans, []);
    assert.equal(trace.durationMs, 1000);
    assert.equal(trace.responseTimeMs, 1000);
  });

  it('replaces an in-progress document with the completed one, whatever the order', () => {
    for (const order of [0, 1]) {
      const docs = [
        doc({ id: 'a', name: 'api', start_time: t0, in_progress: true }),
        doc({ id: 'a', name: 'api', start_time: t0, end_time: t0 + 2 }),
      ];
      if (order) docs.reverse();
      const trace = assembleTrace(traceId, docs);
      assert.equal(trace.segments.length, 1);
      assert.equal(trace.segments[0]!.inProgress, false);
      assert.equal(trace.inProgress, false);
    }
  });

  it('keeps orphans and flags them', () => {
    const trace = assembleTrace(traceId, [
      doc({ id: 'a', name: 'api', start_time: t0, end_time: t0 + 1 }),
      doc({ type: 'subsegment', id: 'x', parent_id: 'missing', name: 'x', start_time: t0, end_time: t0 + 0.5 }),
    ]);
    assert.equal(trace.orphans.length, 1);
    assert.deepEqual(trace.orphans[0]!.flags, ['orphan']);
  });

  it('cuts a cycle of parent ids and keeps its spans as orphans', () => {
    const trace = assembleTrace(traceId, [
      doc({ type: 'subsegment', id: 'p', parent_id: 'q', name: 'p', start_time: t0, end_time: t0 + 1 }),
      doc({ type: 'subsegment', id: 'q', parent_id: 'p', name: 'q', start_time: t0, end_time: t0 + 1 }),
    ]);
    let n = 0;
    forEachSpan(trace, () => n++);
    assert.equal(n, 2);
    assert.ok(trace.orphans.length >= 1);
  });

  it('flags children outside their parent, and a downstream segment outside its caller (clock skew)', () => {
    const trace = assembleTrace(traceId, [
      doc({
        id: 'a',
        name: 'api',
        start_time: t0,
        end_time: t0 + 1,
        subsegments: [
          { id: 's', name: 'db', start_time: t0 + 0.5, end_time: t0 + 1.2 },
          { id: 'h', name: 'inventory', start_time: t0 + 0.1, end_time: t0 + 0.4 },
        ],
      }),
      doc({ id: 'd', parent_id: 'h', name: 'inventory', start_time: t0 - 0.3, end_time: t0 + 0.1 }),
    ]);
    const [api, inventory] = [trace.segments.find((s) => s.id === 'a')!, trace.segments.find((s) => s.id === 'd')!];
    assert.deepEqual(api.subsegments.find((s) => s.id === 's')!.flags, ['skew']);
    assert.deepEqual(api.subsegments.find((s) => s.id === 'h')!.flags, []);
    assert.deepEqual(inventory.flags, ['skew']);
    assert.equal(trace.root?.id, 'a');
  });

  it('assembles a trace with 100,000 streamed subsegments', () => {
    const docs: Span[] = [doc({ id: 'a', name: 'api', start_time: t0, end_time: t0 + 100 })];
    for (let i = 0; i < 100_000; i++)
      docs.push(
        doc({
          type: 'subsegment',
          id: `s${i}`,
          parent_id: i % 10 === 0 ? 'a' : `s${i - (i % 10)}`,
          name: `op-${i % 7}`,
          start_time: t0 + i / 1e4,
          end_time: t0 + i / 1e4 + 0.0001,
        }),
      );
    const trace = assembleTrace(traceId, docs);
    let n = 0;
    forEachSpan(trace, () => n++);
    assert.equal(n, 100_001);
    assert.equal(trace.segments[0]!.subsegments.length, 10_000);
  });

  it('groups documents by trace id', () => {
    const other = '1-5759e988-bd862e3fe1be46a994272794';
    const traces = assembleTraces([
      doc({ id: 'a', name: 'a', start_time: t0 + 1, end_time: t0 + 2 }),
      { ...doc({ id: 'b', name: 'b', start_time: t0, end_time: t0 + 1 }), traceId: other },
    ]);
    assert.deepEqual(
      traces.map((t) => t.id),
      [other, traceId],
    );
  });
});
