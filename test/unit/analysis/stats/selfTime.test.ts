import * as assert from 'node:assert/strict';
import { selfTimeMs } from '../../../../src/model/selfTime';
import { forEachSpan } from '../../../../src/model/assemble';
import type { Span, Trace } from '../../../../src/model/trace';
import { otelTraces, xrayTraces } from './realTraces';
import { span } from './synthetic';

// Epoch seconds near 1.8e9 carry about 0.25 µs of precision, hence the 1 µs (1e-3 ms) tolerances.

/** Children in the waterfall: subsegments and the segments the span called. */
function childrenOf(trace: Trace, s: Span): Span[] {
  return [...s.subsegments, ...trace.segments.filter((seg) => seg.parentId === s.id && seg !== s)];
}

/** Self time by a different route: a sweep over start/end events counting open children. */
function sweepSelfMs(s: Span, children: Span[]): number {
  const end = s.endTime!;
  const events: [number, number][] = [];
  for (const c of children) {
    const lo = Math.max(c.startTime, s.startTime);
    const hi = Math.min(c.endTime ?? end, end);
    if (hi > lo) events.push([lo, 1], [hi, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let open = 0;
  let covered = 0;
  let since = 0;
  for (const [t, d] of events) {
    if (open === 0 && d === 1) since = t;
    open += d;
    if (open === 0) covered += t - since;
  }
  return Math.max(0, (end - s.startTime - covered) * 1000);
}

describe('analysis/stats/selfTime', () => {
  it('is the duration minus the union of children clipped to the span (a minimal case, by hand)', () => {
    // Parent 0–100 ms; children overlap (10–40, 30–60), stick out with skew (90–130) and lie
    // wholly before it (-20 to -10): covered = 10–60 and 90–100 = 60 ms, self = 40 ms.
    const t = 1_790_000_000;
    const at = (ms: number) => t + ms / 1000;
    const child = (id: string, a: number, b: number) =>
      span({ id, traceId: 'x', name: id, startTime: at(a), endTime: at(b) });
    const parent = span({
      id: 'p',
      traceId: 'x',
      name: 'p',
      startTime: at(0),
      endTime: at(100),
      subsegments: [child('a', -20, -10), child('b', 10, 40), child('c', 30, 60), child('d', 90, 130)],
    });
    assert.ok(Math.abs(selfTimeMs(parent, parent.subsegments) - 40) < 1e-3);
    // A child still in progress runs until the parent's end.
    const open = span({ id: 'o', traceId: 'x', name: 'o', startTime: at(80), inProgress: true });
    assert.ok(Math.abs(selfTimeMs(parent, [...parent.subsegments, open]) - 30) < 1e-3);
    // A leaf's self time is its duration.
    assert.equal(
      selfTimeMs(span({ id: 'l', traceId: 'x', name: 'l', startTime: at(0), endTime: at(7) }), []),
      (at(7) - at(0)) * 1000,
    );
  });

  it('agrees with an event sweep on every completed span of the real X-Ray and OTel traces', () => {
    let spans = 0;
    let overlapping = 0;
    for (const trace of [...xrayTraces(), ...otelTraces()]) {
      forEachSpan(trace, (s) => {
        if (s.endTime === undefined) return;
        const children = childrenOf(trace, s);
        const called = children.filter((c) => c.type === 'segment');
        const got = selfTimeMs(s, s.subsegments, called);
        assert.ok(Math.abs(got - sweepSelfMs(s, children)) < 1e-3, `${s.name} ${s.id}`);
        assert.ok(got >= 0 && got <= (s.endTime - s.startTime) * 1000 + 1e-9);
        const sum =
          children.reduce(
            (a, c) =>
              a + Math.max(0, Math.min(c.endTime ?? s.endTime!, s.endTime!) - Math.max(c.startTime, s.startTime)),
            0,
          ) * 1000;
        if (sum > (s.endTime - s.startTime) * 1000 - got + 1e-3) overlapping++;
        spans++;
      });
    }
    assert.ok(spans > 300, `${spans} spans`);
    // The sample app prices items and aggregates days in parallel: children overlap.
    assert.ok(overlapping > 0, 'some span has overlapping children');
  });

  it('clips the child that clock skew puts outside its caller in the real X-Ray traces', () => {
    let found = 0;
    for (const trace of xrayTraces()) {
      for (const seg of trace.segments.filter((s) => s.flags.includes('skew'))) {
        let caller: Span | undefined;
        forEachSpan(trace, (s) => {
          if (s.id === seg.parentId) caller = s;
        });
        assert.ok(caller?.endTime !== undefined);
        const outside = seg.startTime < caller.startTime || seg.endTime! > caller.endTime;
        assert.ok(outside, 'the skewed segment sticks out of its caller');
        const children = childrenOf(trace, caller);
        const self = selfTimeMs(
          caller,
          caller.subsegments,
          children.filter((c) => c.type === 'segment'),
        );
        assert.ok(Math.abs(self - sweepSelfMs(caller, children)) < 1e-3);
        // Unclipped, the skewed child would be subtracted in full and self time could go negative.
        const unclipped = (caller.endTime - caller.startTime - (seg.endTime! - seg.startTime)) * 1000;
        assert.ok(self > unclipped, `${self} > ${unclipped}`);
        found++;
      }
    }
    assert.ok(found > 0, 'the fixtures hold a skewed segment');
  });
});
