import * as assert from 'node:assert/strict';
import { OperationStats } from '../../../../src/analysis/stats/operationStats';
import { sketchAlpha } from '../../../../src/analysis/stats/logSketch';
import { tiers } from '../../../../src/analysis/stats/windows';
import type { Trace } from '../../../../src/model/trace';
import { call, logNormal, random, referenceRank, span, spanId, trace, traceId } from './synthetic';

// A minute boundary plus 30 s: "now" in these tests.
const aligned = 1_790_000_040;
const now = aligned + 30;
let serial = 0;

/** One call of svc/op ending m minutes and 1 s before now. */
const minutesAgo = (m: number, ms = 10, flags: Parameters<typeof call>[5] = {}): Trace =>
  call(serial++, 'svc', 'op', now - m * 60 - 1 - ms / 1000, ms, flags);

/** n calls spread over the hour that ends `endMinutesAgo` minutes before now. */
function hourOf(
  endMinutesAgo: number,
  n: number,
  duration: () => number,
  failed: (i: number) => boolean = () => false,
): Trace[] {
  return Array.from({ length: n }, (_, i) => {
    const ms = duration();
    const at = now - endMinutesAgo * 60 - 1 - ((i + 0.5) / n) * 3540;
    return call(serial++, 'svc', 'op', at - ms / 1000, ms, { fault: failed(i) });
  });
}

describe('analysis/stats/OperationStats', function () {
  this.timeout(60_000);

  it('answers named windows and the previous window of the same length, ending now or at a given time', () => {
    const stats = new OperationStats({ now: () => now });
    for (let m = 0; m < 120; m++) stats.add(minutesAgo(m));
    const calls = (w: Parameters<OperationStats['compare']>[2], end?: number) => {
      const c = stats.compare('svc', 'op', w, { end })!;
      return [c.current.calls, c.previous.calls];
    };
    assert.deepEqual(calls('15m'), [15, 15]);
    assert.deepEqual(calls('1h'), [60, 60]);
    assert.deepEqual(calls('6h'), [120, 0]);
    assert.deepEqual(calls('24h'), [120, 0]);
    assert.deepEqual(calls('7d'), [120, 0]);
    assert.deepEqual(calls('15m', now - 3600), [15, 15]);
    // A window by its bounds: the 10 minutes that ended 30 minutes ago.
    assert.deepEqual(calls({ start: now - 2400, end: now - 1800 }), [10, 10]);
    const s = stats.summary('svc', 'op', '15m')!;
    assert.deepEqual(s.window, { start: aligned - 14 * 60, end: aligned + 60, bucketSeconds: 60 });
    assert.equal(stats.summary('svc', 'op', '6h')!.window.bucketSeconds, 900);
    assert.equal(stats.summary('svc', 'op', '7d')!.window.bucketSeconds, 7200);
    assert.equal(stats.summary('svc', 'op', '15m', { end: now - 3 * 3600 }), undefined);
  });

  it('is exact up to 2,000 samples and within 0.5% of nearest rank above, with the count on every answer', () => {
    const next = logNormal(random(3), 30, 1.1);
    const traces = hourOf(0, 2001, next);
    const durations = traces.map(
      (t) => (t.segments[0]!.subsegments[0]!.endTime! - t.segments[0]!.subsegments[0]!.startTime) * 1000,
    );
    const stats = new OperationStats({ now: () => now });
    stats.addMany(traces.slice(0, 2000));
    const exact = stats.summary('svc', 'op', '1h')!;
    const sorted = Float64Array.from(durations.slice(0, 2000)).sort();
    assert.equal(exact.exact, true);
    assert.equal(exact.calls, 2000);
    assert.equal(exact.fewSamples, false);
    assert.equal(exact.p50Ms, referenceRank(sorted, 500));
    assert.equal(exact.p90Ms, referenceRank(sorted, 900));
    assert.equal(exact.p99Ms, referenceRank(sorted, 990));
    assert.equal(exact.maxMs, sorted[1999]);
    stats.add(traces[2000]!);
    const sketched = stats.summary('svc', 'op', '1h')!;
    const all = Float64Array.from(durations).sort();
    assert.equal(sketched.exact, false);
    assert.equal(sketched.calls, 2001);
    for (const [got, p] of [
      [sketched.p50Ms, 500],
      [sketched.p90Ms, 900],
      [sketched.p99Ms, 990],
    ] as const) {
      const want = referenceRank(all, p);
      assert.ok(Math.abs(got - want) / want <= sketchAlpha, `${p}: ${got} vs ${want}`);
    }
    assert.equal(sketched.maxMs, all[2000]);
  });

  it('falls back to the sketch when the raw samples of a window were pushed out by newer ones', () => {
    const next = logNormal(random(4), 30, 1);
    const stats = new OperationStats({ now: () => now, exactLimit: 500 });
    const older = hourOf(60, 400, next);
    stats.addMany(older);
    stats.addMany(hourOf(0, 300, next));
    const c = stats.compare('svc', 'op', '1h')!;
    assert.equal(c.current.exact, true);
    // 700 samples arrived, the ring holds 500: 200 of the previous hour's are gone.
    assert.equal(c.previous.exact, false);
    assert.equal(c.previous.calls, 400);
  });

  it('merges: spans spread over 60 one-minute buckets give what the same spans in one bucket give', () => {
    const next = logNormal(random(8), 12, 0.9);
    const durations = Array.from({ length: 5000 }, next);
    const spread = new OperationStats({ now: () => now, exactLimit: 0 });
    const lumped = new OperationStats({ now: () => now, exactLimit: 0 });
    durations.forEach((ms, i) => {
      spread.add(call(i, 'svc', 'op', now - 1 - (i % 60) * 60 - ms / 1000, ms));
      lumped.add(call(i, 'svc', 'op', now - 1 - ms / 1000, ms));
    });
    const a = spread.summary('svc', 'op', '1h')!;
    const b = lumped.summary('svc', 'op', '1h')!;
    for (const k of ['calls', 'p50Ms', 'p90Ms', 'p99Ms', 'selfP50Ms', 'p99RangeMs', 'histogram'] as const)
      assert.deepEqual(a[k], b[k], k);
  });

  it('says p99 regressed when it clearly did, and by how much', () => {
    const rand = random(11);
    const base = logNormal(rand, 50, 0.5);
    const stats = new OperationStats({ now: () => now });
    stats.addMany(hourOf(60, 2000, base));
    // One call in ten now waits on a slow dependency.
    stats.addMany(hourOf(0, 2000, () => base() * (rand() < 0.1 ? 4 : 1)));
    const c = stats.compare('svc', 'op', '1h')!;
    assert.ok(c.regression?.p99, JSON.stringify(c.regression));
    assert.ok(c.regression.p99.ratio > 1.5);
    assert.equal(c.regression.errorRate, undefined);
    assert.match(c.regression.message, /^p99 \d+ ms vs \d+ ms \(\+\d+%\)/);
  });

  it('says the error rate regressed when it clearly did', () => {
    const next = logNormal(random(12), 50, 0.5);
    const stats = new OperationStats({ now: () => now });
    stats.addMany(hourOf(60, 1000, next, (i) => i % 200 === 0));
    stats.addMany(hourOf(0, 1000, next, (i) => i % 16 === 0));
    const c = stats.compare('svc', 'op', '1h')!;
    assert.equal(c.previous.failed, 5);
    assert.equal(c.current.failed, 63);
    assert.ok(c.regression?.errorRate && c.regression.errorRate.z >= 3);
    assert.ok(Math.abs(c.regression.errorRate.deltaPoints - 5.8) < 0.01);
    assert.match(c.regression.message, /errors 6\.3% vs 0\.5% \(\+5\.8 pts\)/);
  });

  it('gives no verdict on noise: few samples, the same distribution twice, or a small p99 change', () => {
    const rand = random(13);
    // Few samples: 4 of 10 failing and 3× slower, but 10 calls prove nothing.
    const few = new OperationStats({ now: () => now });
    few.addMany(hourOf(60, 10, () => 20));
    few.addMany(
      hourOf(
        0,
        10,
        () => 60,
        (i) => i % 3 === 0,
      ),
    );
    const c = few.compare('svc', 'op', '1h')!;
    assert.equal(c.current.fewSamples, true);
    assert.equal(c.regression, undefined);
    // The same distribution in both windows, 20 times over.
    for (let k = 0; k < 20; k++) {
      const stats = new OperationStats({ now: () => now });
      const next = logNormal(rand, 40, 0.8);
      stats.addMany(hourOf(60, 3000, next, () => rand() < 0.01));
      stats.addMany(hourOf(0, 3000, next, () => rand() < 0.01));
      assert.equal(stats.compare('svc', 'op', '1h')!.regression, undefined, `run ${k}`);
    }
    // 10% slower at p99 with 20,000 calls: statistically real, not worth a mark.
    const big = new OperationStats({ now: () => now });
    const next = logNormal(rand, 40, 0.5);
    big.addMany(hourOf(60, 20_000, next));
    big.addMany(hourOf(0, 20_000, () => next() * 1.1));
    const b = big.compare('svc', 'op', '1h')!;
    assert.ok(b.current.p99RangeMs!.low > b.previous.p99RangeMs!.high, 'the intervals are apart');
    assert.equal(b.regression, undefined);
  });

  it('flags few samples below the minimum (30 by default, or as asked)', () => {
    const stats = new OperationStats({ now: () => now });
    for (let m = 0; m < 29; m++) stats.add(minutesAgo(m % 50));
    assert.equal(stats.summary('svc', 'op', '1h')!.fewSamples, true);
    stats.add(minutesAgo(5));
    assert.equal(stats.summary('svc', 'op', '1h')!.fewSamples, false);
    assert.equal(stats.summary('svc', 'op', '1h', { minSamples: 100 })!.fewSamples, true);
  });

  it('replaces a trace added again: re-fetched, or grown by later documents', () => {
    const stats = new OperationStats({ now: () => now });
    const id = traceId(424242);
    const start = now - 120;
    const seg = (subs: number, fault: boolean) =>
      trace(id, [
        span({
          id: 'seg',
          traceId: id,
          name: 'svc',
          type: 'segment',
          startTime: start,
          endTime: start + 1,
          fault,
          subsegments: Array.from({ length: subs }, (_, i) =>
            span({
              id: `sub${i}`,
              traceId: id,
              name: 'op',
              startTime: start + i * 0.1,
              endTime: start + i * 0.1 + 0.05 + i * 0.01,
              fault,
            }),
          ),
        }),
      ]);
    stats.add(seg(2, false));
    stats.add(seg(2, false));
    const op = stats.summary('svc', 'op', '15m')!;
    assert.equal(op.calls, 2);
    assert.equal(op.traces, 1);
    assert.deepEqual(
      op.slowest.map((r) => r.spanId),
      ['sub1', 'sub0'],
    );
    // More documents arrived, and the request failed after all.
    stats.add(seg(3, true));
    const grown = stats.summary('svc', 'op', '15m')!;
    assert.equal(grown.calls, 3);
    assert.equal(grown.traces, 1);
    assert.equal(grown.faults, 3);
    assert.deepEqual(
      grown.slowest.map((r) => r.spanId),
      ['sub2', 'sub1', 'sub0'],
    );
    assert.equal(grown.failing.length, 3);
    assert.equal(grown.maxMs, stats.summary('svc', 'op', '15m')!.maxMs);
    assert.equal(stats.summary('svc', 'svc', '15m')!.calls, 1);
  });

  it('refuses a forgotten trace added again rather than count it twice', () => {
    const stats = new OperationStats({ now: () => now, rememberTraces: 2 });
    const traces = [minutesAgo(1), minutesAgo(2), minutesAgo(3)];
    stats.addMany(traces);
    stats.add(traces[0]!);
    assert.equal(stats.summary('svc', 'op', '15m')!.calls, 3);
    assert.equal(stats.footprint().refusedTraces, 1);
    stats.add(traces[2]!);
    assert.equal(stats.summary('svc', 'op', '15m')!.calls, 3);
  });

  it('keeps the slowest five and the latest five failing, and a histogram of every call', () => {
    const stats = new OperationStats({ now: () => now });
    const traces = Array.from({ length: 40 }, (_, i) => minutesAgo(i, 10 + ((i * 37) % 40), { error: i % 4 === 0 }));
    stats.addMany(traces);
    const s = stats.summary('svc', 'op', '1h')!;
    assert.deepEqual(
      s.slowest.map((r) => r.durationMs.toFixed(3)),
      ['49.000', '48.000', '47.000', '46.000', '45.000'],
    );
    assert.deepEqual(
      s.failing.map((r) => r.traceId),
      [0, 4, 8, 12, 16].map((i) => traces[i]!.id),
    );
    const { edgesMs, counts } = s.histogram;
    assert.equal(counts.length, edgesMs.length - 1);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      40,
    );
    assert.ok(edgesMs[0]! <= s.minMs && edgesMs[edgesMs.length - 1]! > s.maxMs);
    assert.ok(edgesMs.every((e, i) => i === 0 || e > edgesMs[i - 1]!));
    // Round numbers on the 1-1.5-2-3-5-7 ladder (10 ms, through epoch seconds, is 9.99999… ms).
    assert.deepEqual(edgesMs, [7, 10, 15, 20, 30, 50]);
  });

  it('ignores spans from the far future, drops buckets past 14 days and operations gone quiet', () => {
    let clock = now;
    const stats = new OperationStats({ now: () => clock });
    stats.add(call(serial++, 'svc', 'future', now + 2 * 86_400, 5));
    assert.equal(stats.operations().length, 0);
    assert.equal(stats.footprint().droppedSpans, 2);
    // 20 days of one call every 10 minutes; a second operation stops after day 2.
    const day = 86_400;
    const start = now - 20 * day;
    const times: number[] = [];
    for (let t = start; t < now; t += 600) {
      clock = t + 1;
      stats.add(call(serial++, 'svc', 'op', t, 10));
      times.push(t);
      if (t < start + 2 * day) stats.add(call(serial++, 'old', 'op', t, 10));
    }
    const within = (w: { start: number; end: number }) => times.filter((t) => t >= w.start && t < w.end).length;
    const f = stats.footprint();
    const ring = tiers.reduce((a, t) => a + t.slots, 0);
    // svc/svc and svc/op remain, old/* aged out.
    assert.deepEqual(
      stats.operations().map((k) => `${k.service}/${k.name}`),
      ['svc/op', 'svc/svc'],
    );
    assert.ok(f.buckets <= 2 * ring, `${f.buckets} buckets`);
    const c = stats.compare('svc', 'op', '7d')!;
    // 84 two-hour buckets, the last one partly in the future.
    assert.equal(c.current.window.end - c.current.window.start, 7 * day);
    assert.equal(c.current.calls, within(c.current.window));
    assert.ok(c.current.calls > 7 * 144 - 12);
    assert.equal(c.previous.calls, 7 * 144);
    assert.equal(c.previous.calls, within(c.previous.window));
    // Nothing older than 14 days (and a bucket) is answered.
    assert.equal(stats.summary('svc', 'op', { start: now - 20 * day, end: now - 15 * day }), undefined);
  });

  it('adds in slices that yield to the event loop, with the same result as one call', async () => {
    const next = logNormal(random(21), 30, 1);
    const traces = hourOf(0, 20_000, next);
    const once = new OperationStats({ now: () => now });
    once.addMany(traces);
    const sliced = new OperationStats({ now: () => now });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const r = await sliced.addChunked(traces, { sliceMs: 2 });
    clearInterval(timer);
    assert.equal(r.traces, 20_000);
    assert.ok(r.slices > 1 && ticks > 0, `${r.slices} slices, ${ticks} ticks`);
    assert.deepEqual(sliced.query('1h'), once.query('1h'));
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(sliced.addChunked(traces, { signal: aborted.signal }));
  });

  it('compares every operation in slices too, with the same answers', async () => {
    const stats = new OperationStats({ now: () => now });
    const next = logNormal(random(22), 30, 1);
    for (let i = 0; i < 3000; i++)
      stats.add(call(i, `svc${i % 7}`, `op${i % 40}`, now - 1 - (i / 3000) * 7000, next(), { error: i % 50 === 0 }));
    const whole = stats.compareAll('1h');
    assert.equal(whole.length, stats.operations().length);
    const sliced = await stats.compareAllChunked('1h', { sliceMs: 0 });
    assert.equal(sliced.slices, whole.length);
    assert.deepEqual(sliced.comparisons, whole);
  });

  it('tracks at most maxOperations operations and counts the spans it had to drop', () => {
    const stats = new OperationStats({ now: () => now, maxOperations: 3 });
    for (let i = 0; i < 5; i++) stats.add(call(i, 'svc', `op${i}`, now - 30, 5));
    // svc/svc and the first two subsegment operations.
    assert.deepEqual(
      stats.operations().map((k) => k.name),
      ['op0', 'op1', 'svc'],
    );
    assert.equal(stats.footprint().droppedSpans, 3);
  });

  it('attributes orphaned subsegments to an unknown service rather than dropping them', () => {
    const stats = new OperationStats({ now: () => now });
    const id = traceId(777);
    const orphan = span({
      id: spanId(),
      traceId: id,
      name: 'lonely',
      parentId: 'missing',
      startTime: now - 60,
      endTime: now - 59.5,
      flags: ['orphan'],
    });
    stats.add(trace(id, [], [orphan]));
    assert.deepEqual(stats.operations(), [{ service: '(unknown service)', name: 'lonely' }]);
    assert.equal(stats.summary(undefined, 'lonely', '15m')!.p50Ms, (orphan.endTime! - orphan.startTime) * 1000);
  });
});

describe('analysis/stats/OperationStats kept merges', function () {
  this.timeout(60_000);

  it('answers as a fresh instance does, after late spans, re-added traces and windows moving on', () => {
    const rand = random(31);
    const next = logNormal(rand, 20, 1);
    const windows = ['15m', '1h', '6h', '24h'] as const;
    // Events over 3 hours, mostly in time order, one in eight late by up to 40 minutes, one in ten
    // an earlier trace coming back changed (failed, slower; half of them moved to the present, so
    // that their old bucket only loses a span).
    const events: Trace[] = [];
    const base = now - 3 * 3600;
    for (let i = 0; i < 3000; i++) {
      const late = rand() < 0.125 ? rand() * 2400 : 0;
      const at = base + (i / 3000) * 3 * 3600 - late;
      const op = `op${i % 3}`;
      events.push(call(i, 'svc', op, at, next(), { fault: rand() < 0.05 }));
      if (i > 10 && rand() < 0.1) {
        const j = Math.floor(rand() * i);
        const when = rand() < 0.5 ? base + (j / 3000) * 3 * 3600 : at;
        const again = call(j, 'svc', `op${j % 3}`, when, next() * 3, { fault: true });
        events.push(again);
      }
    }
    let clock = base;
    const queried = new OperationStats({ now: () => clock, exactLimit: 300 });
    let sketched = 0;
    events.forEach((t, i) => {
      clock = Math.max(clock, t.startTime + 5);
      queried.add(t);
      if (i % 61 !== 0 && i !== events.length - 1) return;
      const fresh = new OperationStats({ now: () => clock, exactLimit: 300 });
      fresh.addMany(events.slice(0, i + 1));
      for (const w of windows) {
        const want = fresh.compareAll(w);
        assert.deepEqual(queried.compareAll(w), want, `${w} after ${i + 1} events`);
        sketched += want.filter((c) => !c.current.exact).length;
      }
    });
    assert.ok(sketched > 0, 'some windows answered from the sketches');
  });

  it('voids a kept merge when a trace re-added elsewhere takes a span out of an older bucket', () => {
    const stats = new OperationStats({ now: () => now });
    const traces = Array.from({ length: 60 }, (_, m) => minutesAgo(m, 10 + m));
    stats.addMany(traces);
    const before = stats.summary('svc', 'op', '1h')!;
    assert.equal(before.calls, 60);
    // The slowest call (59 minutes ago) comes back as a call made just now, and fast.
    const moved = call(0, 'svc', 'op', now - 2, 5);
    stats.add({ ...moved, id: traces[59]!.id });
    const after = stats.summary('svc', 'op', '1h')!;
    assert.equal(after.calls, 60);
    const next = traces[58]!.segments[0]!.subsegments[0]!;
    assert.equal(after.maxMs, (next.endTime! - next.startTime) * 1000);
    assert.notEqual(after.slowest[0]!.traceId, traces[59]!.id);
  });
});
