import * as assert from 'node:assert/strict';
import { criticalPath } from '../../../src/analysis/criticalPath';
import type { Span } from '../../../src/model/trace';
import { childrenIndex } from '../../../src/model/traceTree';
import { xrayTraces } from './stats/realTraces';
import { span, trace } from './stats/synthetic';

const t0 = 1_795_000_000;

/** [name, start ms, end ms (undefined: in progress), children?]: names double as ids. */
type Spec = [string, number, number | undefined, Spec[]?];

function build([name, start, end, kids = []]: Spec, type: Span['type'] = 'subsegment'): Span {
  return span({
    id: name,
    traceId: '1-6b000000-000000000000000000000001',
    name,
    type,
    startTime: t0 + start / 1000,
    endTime: end === undefined ? undefined : t0 + end / 1000,
    inProgress: end === undefined,
    subsegments: kids.map((k) => build(k)),
  });
}

const pathOf = (spec: Spec): string[] =>
  criticalPath(trace('1-6b000000-000000000000000000000001', [build(spec, 'segment')]));

describe('critical path (the chain of last-finishing children, as Jaeger computes it)', () => {
  it('takes every child of a sequence, the last-finishing first', () => {
    assert.deepEqual(
      pathOf([
        'root',
        0,
        50,
        [
          ['a', 0, 10],
          ['b', 10, 30],
          ['c', 30, 50],
        ],
      ]),
      ['root', 'c', 'b', 'a'],
    );
  });

  it('leaves out a child that overlaps the later-finishing one it runs beside', () => {
    assert.deepEqual(
      pathOf([
        'root',
        0,
        100,
        [
          ['a', 0, 90],
          ['b', 10, 50],
        ],
      ]),
      ['root', 'a'],
    );
  });

  it('after the last-finishing child, takes the child that finished last before it started', () => {
    // c ends before a starts: on the path; b ends after c started: not on it.
    assert.deepEqual(
      pathOf([
        'root',
        0,
        100,
        [
          ['b', 0, 40],
          ['c', 20, 50],
          ['a', 60, 100],
        ],
      ]),
      ['root', 'a', 'c'],
    );
  });

  it('walks into each chosen child the same way', () => {
    const spec: Spec = [
      'root',
      0,
      100,
      [
        [
          'db',
          0,
          30,
          [
            ['connect', 0, 5],
            ['query', 5, 30],
            ['ping', 1, 4],
          ],
        ],
        [
          'render',
          30,
          100,
          [
            ['template', 35, 60],
            ['sleep', 40, 55],
          ],
        ],
      ],
    ];
    assert.deepEqual(pathOf(spec), ['root', 'render', 'template', 'db', 'query', 'connect']);
  });

  it('keeps a last-finishing child that clock skew puts past its parent’s end', () => {
    assert.deepEqual(
      pathOf([
        'root',
        0,
        50,
        [
          ['warm', 0, 5],
          ['skewed', 10, 60],
        ],
      ]),
      ['root', 'skewed', 'warm'],
    );
  });

  it('counts an in-progress span as ending at the trace’s end', () => {
    // The trace ends at 80 (root's end): the open span outlasts the one that ended at 70.
    assert.deepEqual(
      pathOf([
        'root',
        0,
        80,
        [
          ['done', 0, 70],
          ['open', 20, undefined],
        ],
      ]),
      ['root', 'open'],
    );
  });

  it('crosses into the segment a subsegment called, on recorded X-Ray SDK traces', () => {
    const traces = xrayTraces();
    let crossed = 0;
    for (const t of traces) {
      const path = criticalPath(t);
      assert.equal(path[0], t.root!.id, t.id);
      const children = childrenIndex(t);
      const byId = new Map<string, Span>();
      const parentOf = new Map<string, string>();
      const visit = (s: Span) => {
        byId.set(s.id, s);
        for (const c of children(s)) {
          parentOf.set(c.id, s.id);
          visit(c);
        }
      };
      visit(t.root!);
      const on = new Set(path);
      for (const id of path.slice(1)) {
        // Each span on the path hangs from one on the path, and the path's children of one parent never overlap.
        const parent = parentOf.get(id);
        assert.ok(parent && on.has(parent), `${t.id}: ${byId.get(id)?.name} hangs from no span of the path`);
        const siblings = children(byId.get(parent)!).filter((c) => on.has(c.id) && c.id !== id);
        const s = byId.get(id)!;
        for (const o of siblings)
          assert.ok(
            o.endTime! <= s.startTime + 1e-6 || s.endTime! <= o.startTime + 1e-6,
            `${t.id}: ${s.name} and ${o.name} overlap on the path`,
          );
      }
      // The last-finishing child of the root is always on it.
      const kids = children(t.root!);
      if (kids.length) assert.ok(on.has([...kids].sort((a, b) => (b.endTime ?? 0) - (a.endTime ?? 0))[0]!.id), t.id);
      if (path.some((id) => byId.get(id)!.type === 'segment' && id !== t.root!.id)) crossed++;
    }
    assert.ok(crossed > 0, 'some recorded path runs into a downstream service');
  });
});
