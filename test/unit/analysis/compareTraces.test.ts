import * as assert from 'node:assert/strict';
import { compareTraces } from '../../../src/analysis/compareTraces';
import { forEachSpan } from '../../../src/model/assemble';
import type { Span, Trace } from '../../../src/model/trace';
import { rowPath, type CompareRow, type TraceComparison } from '../../../src/model/traceComparison';
import { xrayTraces } from './stats/realTraces';
import { span, trace } from './stats/synthetic';

// Two checkouts the X-Ray SDK recorded from the sample app: the same request, once at 107 ms with
// three priced items, once at 435 ms with two items and a slow payment gateway.
const normalId = '1-6b02651a-e9280e72ab26766a17d47c3a';
const slowId = '1-6b02651b-dd3fd9ed5475faa0d5887013';
const faultId = '1-6b02651b-61aac9f1ec9b61e2d8e5741b';
// Two stock checks, each calling the inventory service: two same-named siblings with a segment under each.
const stockIds = ['1-6b02651b-1bf9706d296556a5dc7c30b3', '1-6b02651d-c824fc71d90b2d92436b4d53'];

const t0 = 1_795_000_000;

/** [name, start ms, duration ms, children?, fields?]: a hand-built span tree, for the cases no SDK run shows. */
type Spec = [string, number, number, Spec[]?, Partial<Span>?];

let serial = 0;
function build(
  traceId: string,
  [name, start, dur, kids = [], fields = {}]: Spec,
  type: Span['type'] = 'subsegment',
): Span {
  return span({
    id: `s${serial++}`,
    traceId,
    name,
    type,
    startTime: t0 + start / 1000,
    endTime: t0 + (start + dur) / 1000,
    subsegments: kids.map((k) => build(traceId, k)),
    ...fields,
  });
}

/** A one-service trace whose segment is spec. */
function handTrace(n: number, spec: Spec): Trace {
  const id = `1-6b000000-${n.toString(16).padStart(24, '0')}`;
  return trace(id, [build(id, spec, 'segment')]);
}

const find = (c: TraceComparison, path: string, occurrence = 0): CompareRow | undefined =>
  c.rows.find((r, i) => rowPath(c.rows, i).join(' > ') === path && r.occurrence === occurrence);
const get = (c: TraceComparison, path: string, occurrence = 0): CompareRow => {
  const r = find(c, path, occurrence);
  assert.ok(
    r,
    `no row ${path} #${occurrence}; rows: ${c.rows.map((_, i) => rowPath(c.rows, i).join(' > ')).join(' | ')}`,
  );
  return r;
};
const indexOf = (c: TraceComparison, row: CompareRow) => c.rows.indexOf(row);

describe('analysis/compareTraces', () => {
  const traces = xrayTraces();
  const byId = (id: string) => traces.find((t) => t.id === id)!;

  describe('real SDK traces', () => {
    it('aligns the normal and the slow checkout and names the payment gateway as the cause', () => {
      const normal = byId(normalId);
      const slow = byId(slowId);
      const c = compareTraces(normal, slow);
      const auth = get(c, 'orders > chargePayment > PaymentGateway.authorize');
      assert.equal(auth.presence, 'both');
      assert.ok(Math.abs(auth.deltaMs! - 345) < 1.5, `authorize delta ${auth.deltaMs}`);
      assert.ok(auth.ratio! > 8 && auth.ratio! < 8.5, `ratio ${auth.ratio}`);
      assert.ok(auth.changed);
      // The first contributor is the span whose own time grew, not its parents.
      const first = c.summary.contributors[0]!;
      assert.equal(first.kind, 'slower');
      assert.equal(c.rows[first.row], auth);
      assert.ok(Math.abs(first.ms - 345) < 1.5);
      assert.ok(
        !c.summary.contributors.some((x) => c.rows[x.row]!.name === 'chargePayment'),
        'a parent that only waited is not a contributor',
      );
      assert.ok(Math.abs(c.summary.deltaMs! - 328) < 1);
      assert.equal(c.summary.aDurationMs, normal.durationMs);
      // The normal one priced a third item and read a third warehouse line.
      assert.equal(get(c, 'orders > price-item-2').presence, 'a');
      const lines = c.rows.filter((r) => r.name === 'WarehouseTable.getItem');
      assert.deepEqual(
        lines.map((r) => [r.occurrence, r.presence]),
        [
          [0, 'both'],
          [1, 'both'],
          [2, 'a'],
        ],
      );
      // The inventory service sits under the HTTP call that reached it.
      const inventory = get(c, 'orders > reserveStock > 127.0.0.1 > inventory');
      assert.equal(inventory.type, 'segment');
      assert.equal(inventory.service, 'inventory');
      assert.equal(get(c, 'orders > reserveStock > 127.0.0.1 > inventory > reserveLines').service, 'inventory');
      assert.equal(get(c, 'orders > loadCart').service, 'orders');
    });

    it('puts every span of each trace on its side exactly once, in tree order with subtree ends', () => {
      for (const [x, y] of [
        [normalId, slowId],
        [slowId, normalId],
        [stockIds[0]!, stockIds[1]!],
        [normalId, faultId],
      ] as const) {
        const a = byId(x);
        const b = byId(y);
        const c = compareTraces(a, b);
        for (const [t, key] of [
          [a, 'a'],
          [b, 'b'],
        ] as const) {
          const ids: string[] = [];
          forEachSpan(t, (s) => ids.push(s.id));
          const shown = c.rows.flatMap((r) => (r[key] ? [r[key].spanId] : []));
          assert.deepEqual([...shown].sort(), [...ids].sort());
        }
        c.rows.forEach((r, i) => {
          assert.ok(r.parent < i);
          if (r.parent >= 0) {
            assert.equal(r.depth, c.rows[r.parent]!.depth + 1);
            assert.ok(c.rows[r.parent]!.end >= r.end);
          }
          assert.ok(r.end >= i && r.end < c.rows.length);
        });
      }
    });

    it('matches same-named siblings by occurrence: two stock checks, each with its own inventory call', () => {
      const c = compareTraces(byId(stockIds[0]!), byId(stockIds[1]!));
      assert.ok(c.rows.every((r) => r.presence === 'both'));
      assert.equal(c.rows.filter((r) => r.name === 'inventory').length, 2);
      assert.deepEqual(
        c.rows.filter((r) => r.name === '127.0.0.1').map((r) => r.occurrence),
        [0, 1],
      );
      assert.equal(c.summary.counts.onlyA + c.summary.counts.onlyB, 0);
    });

    it('reports status changes: the failing checkout against the normal one', () => {
      const c = compareTraces(byId(normalId), byId(faultId));
      const changed = c.summary.statusChanges.map((i) => [c.rows[i]!.name, c.rows[i]!.a!.status, c.rows[i]!.b!.status]);
      assert.deepEqual(changed, [
        ['orders', 'ok', 'fault'],
        ['chargePayment', 'ok', 'fault'],
        ['PaymentGateway.authorize', 'ok', 'fault'],
      ]);
      assert.ok(c.summary.statusChanges.every((i) => c.rows[i]!.changed));
    });

    it('finds nothing between a trace and itself', () => {
      const t = byId(slowId);
      const c = compareTraces(t, t);
      assert.ok(c.rows.every((r) => r.presence === 'both' && r.deltaMs === 0 && r.selfDeltaMs === 0 && !r.changed));
      assert.deepEqual(c.summary.contributors, []);
      assert.equal(c.summary.deltaMs, 0);
    });
  });

  describe('hand-built cases', () => {
    const base: Spec = [
      'api',
      0,
      100,
      [
        ['db.query', 5, 10],
        ['http.call', 20, 20],
        ['render', 50, 10],
      ],
    ];

    it('an extra retry is a row only B has, right after the call it repeats, and explains the delta', () => {
      const a = handTrace(1, base);
      const b = handTrace(2, [
        'api',
        0,
        125,
        [
          ['db.query', 5, 10],
          ['http.call', 20, 20, [], { throttle: true, error: true }],
          ['http.call', 42, 25],
          ['render', 70, 10],
        ],
      ]);
      const c = compareTraces(a, b);
      assert.deepEqual(
        c.rows.map((r) => `${r.name}#${r.occurrence}:${r.presence}`),
        ['api#0:both', 'db.query#0:both', 'http.call#0:both', 'http.call#1:b', 'render#0:both'],
      );
      const retry = get(c, 'api > http.call', 1);
      assert.equal(retry.a, undefined);
      assert.ok(Math.abs(retry.deltaMs! - 25) < 1e-3);
      assert.equal(retry.ratio, undefined);
      assert.ok(retry.changed);
      const first = get(c, 'api > http.call');
      assert.deepEqual([first.a!.status, first.b!.status], ['ok', 'throttle']);
      assert.deepEqual(c.summary.statusChanges, [indexOf(c, first)]);
      assert.equal(c.summary.counts.onlyB, 1);
      assert.deepEqual(
        c.summary.contributors.map((x) => [c.rows[x.row]!.name, x.kind]),
        [['http.call', 'added']],
      );
      // B's side starts relative to B's own trace.
      assert.ok(Math.abs(retry.b!.startMs - 42) < 1e-3);
    });

    it('a slower call is named by its self time; the parent that waited for it is not', () => {
      const a = handTrace(3, base);
      const b = handTrace(4, [
        'api',
        0,
        290,
        [
          ['db.query', 5, 200],
          ['http.call', 210, 20],
          ['render', 240, 10],
        ],
      ]);
      const c = compareTraces(a, b);
      const q = get(c, 'api > db.query');
      assert.ok(Math.abs(q.deltaMs! - 190) < 1e-3);
      assert.ok(Math.abs(q.ratio! - 20) < 1e-6);
      assert.ok(Math.abs(q.selfDeltaMs! - 190) < 1e-3);
      assert.ok(get(c, 'api').changed);
      assert.ok(!get(c, 'api > render').changed, 'same duration, later start: not a difference');
      assert.equal(c.rows[c.summary.contributors[0]!.row], q);
      assert.ok(!c.summary.contributors.some((x) => c.rows[x.row]!.name === 'api'));
    });

    it('a missing span is a row only A has; when B is faster, what it dropped leads the summary', () => {
      const a = handTrace(5, [
        'api',
        0,
        100,
        [
          ['cache.get', 2, 3],
          ['db.query', 5, 60, [['pool.acquire', 5, 2]]],
          ['render', 70, 10],
        ],
      ]);
      const b = handTrace(6, [
        'api',
        0,
        40,
        [
          ['cache.get', 2, 3],
          ['render', 10, 10],
        ],
      ]);
      const c = compareTraces(a, b);
      const dropped = get(c, 'api > db.query');
      assert.equal(dropped.presence, 'a');
      assert.equal(get(c, 'api > db.query > pool.acquire').presence, 'a');
      assert.ok(Math.abs(dropped.deltaMs! + 60) < 1e-3);
      assert.equal(c.summary.counts.onlyA, 2);
      assert.ok(c.summary.deltaMs! < 0);
      const first = c.summary.contributors[0]!;
      assert.deepEqual([c.rows[first.row], first.kind], [dropped, 'removed']);
      assert.ok(
        !c.summary.contributors.some((x) => c.rows[x.row]!.name === 'pool.acquire'),
        'only the top of a removed subtree',
      );
    });

    it('siblings in a different order still align, in A’s order', () => {
      const a = handTrace(7, [
        'api',
        0,
        50,
        [
          ['x', 0, 10],
          ['y', 20, 10],
        ],
      ]);
      const b = handTrace(8, [
        'api',
        0,
        50,
        [
          ['y', 0, 10],
          ['x', 20, 10],
        ],
      ]);
      const c = compareTraces(a, b);
      assert.deepEqual(
        c.rows.map((r) => `${r.name}:${r.presence}`),
        ['api:both', 'x:both', 'y:both'],
      );
      assert.ok(c.rows.every((r) => !r.changed));
    });

    it('a span only B has before any shared sibling goes first; a different root is two rows', () => {
      const c = compareTraces(
        handTrace(9, ['api', 0, 50, [['x', 10, 10]]]),
        handTrace(10, [
          'api',
          0,
          50,
          [
            ['warmup', 0, 5],
            ['x', 10, 10],
          ],
        ]),
      );
      assert.deepEqual(
        c.rows.map((r) => `${r.name}:${r.presence}`),
        ['api:both', 'warmup:b', 'x:both'],
      );
      const d = compareTraces(handTrace(11, ['api', 0, 50]), handTrace(12, ['web', 0, 50]));
      assert.deepEqual(
        d.rows.map((r) => `${r.name}:${r.presence}`),
        ['api:a', 'web:b'],
        'nothing shared: A first',
      );
    });

    it('in-progress spans have no duration, delta or self time, and are not guessed', () => {
      const a = handTrace(13, base);
      const id = '1-6b000000-0000000000000000000000ff';
      const seg = build(id, base, 'segment');
      const open = { ...seg.subsegments[1]!, endTime: undefined, inProgress: true };
      const b = trace(id, [{ ...seg, subsegments: [seg.subsegments[0]!, open, seg.subsegments[2]!] }]);
      const r = get(compareTraces(a, b), 'api > http.call');
      assert.equal(r.b!.durationMs, undefined);
      assert.equal(r.deltaMs, undefined);
      assert.equal(r.selfDeltaMs, undefined);
    });

    it('handles 20,000-span traces, and nesting deeper than the call stack, without recursion', () => {
      const wide = (n: number, slowEvery: number, extra: boolean): Spec => {
        const kids: Spec[] = [];
        for (let i = 0; i < 2000; i++) {
          const q: Spec[] = [];
          for (let k = 0; k < 9; k++) q.push([`query-${k}`, i * 10 + k, i % slowEvery === 0 ? 3 : 0.8]);
          if (extra && i % 500 === 0) q.push(['query-0', i * 10 + 9, 0.5]);
          kids.push([`item-${i % 40}`, i * 10, 9.5, q]);
        }
        return ['api', 0, 20_010 + n, kids];
      };
      const a = handTrace(20, wide(0, 1e9, false));
      const b = handTrace(21, wide(5, 97, true));
      const c = compareTraces(a, b);
      assert.equal(c.rows.length, 1 + 2000 * 10 + 4);
      assert.equal(c.summary.counts.onlyB, 4);
      assert.ok(c.summary.contributors.length > 0);
      assert.ok(c.rows.filter((r) => r.changed).length > 2000 / 97);

      const deep = (n: number, id: string): Trace => {
        let s = build(id, [`leaf`, n, 1]);
        for (let d = n - 1; d >= 0; d--)
          s = span({
            id: `d${id}-${d}`,
            traceId: id,
            name: `level`,
            startTime: t0 + d / 1000,
            endTime: t0 + (2 * n - d) / 1000,
            subsegments: [s],
            type: d === 0 ? 'segment' : 'subsegment',
          });
        return trace(id, [s]);
      };
      const dc = compareTraces(deep(20_000, 'x'), deep(20_000, 'y'));
      assert.equal(dc.rows.length, 20_001);
      assert.equal(dc.rows[20_000]!.depth, 20_000);
      assert.equal(dc.rows[0]!.end, 20_000);
    });

    it('draws a span reached twice (hostile parent ids) once', () => {
      const id = '1-6b000000-0000000000000000000000aa';
      const child = build(id, ['child', 1, 1]);
      const seg = span({
        id: 'p',
        traceId: id,
        name: 'api',
        type: 'segment',
        startTime: t0,
        endTime: t0 + 0.01,
        subsegments: [child, child],
      });
      const c = compareTraces(trace(id, [seg]), trace(id, [seg]));
      assert.deepEqual(
        c.rows.map((r) => r.name),
        ['api', 'child'],
      );
    });
  });
});
