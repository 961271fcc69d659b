import * as assert from 'node:assert/strict';
import { BinCounts, binCount, binOf, sketchAlpha, valueOfBin } from '../../../../src/analysis/stats/logSketch';
import { OperationStats } from '../../../../src/analysis/stats/operationStats';
import { bimodal, call, logNormal, random, referenceRank } from './synthetic';

/** The sketch's answer at the ceil(q·n)-th rank: walk the merged bins. */
function sketchRank(bins: Float64Array, n: number, permille: number): number {
  const rank = Math.max(1, Math.floor((permille * n + 999) / 1000));
  let seen = 0;
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b]!;
    if (seen >= rank) return valueOfBin(b);
  }
  throw new Error('rank past the counts');
}

const datasets: [string, (rand: () => number) => () => number][] = [
  ['log-normal (median 40 ms, σ 1.2)', (r) => logNormal(r, 40, 1.2)],
  ['bimodal (3 ms cache hits, 400 ms misses)', bimodal],
  ['Pareto (α 1.1, from 2 ms)', (r) => () => 2 / Math.pow(1 - r(), 1 / 1.1)],
];

describe('analysis/stats/logSketch', function () {
  this.timeout(120_000);

  for (const [label, make] of datasets) {
    for (const n of [100_000, 1_000_000]) {
      it(`answers every permille of ${n.toLocaleString('en')} ${label} within ${sketchAlpha * 100}% of the exact nearest rank`, () => {
        const next = make(random(n + label.length));
        const values = Float64Array.from({ length: n }, next);
        const sorted = Float64Array.from(values).sort();
        const counts = new BinCounts();
        for (const v of values) counts.add(binOf(v));
        const bins = new Float64Array(binCount);
        counts.addInto(bins);
        let worst = 0;
        for (let p = 1; p <= 1000; p++) {
          const exact = referenceRank(sorted, p);
          const err = Math.abs(sketchRank(bins, n, p) - exact) / exact;
          if (err > worst) worst = err;
        }
        assert.ok(worst <= sketchAlpha * (1 + 1e-9), `max relative error ${worst}`);
        assert.ok(worst < 0.01);
      });
    }
  }

  it('gives the engine’s p50/p90/p99 and p99 interval within 0.5% on 10^6 log-normal spans (sketch path)', () => {
    const n = 1_000_000;
    const next = logNormal(random(99), 25, 1);
    const t0 = 1_790_000_000;
    const durations = new Float64Array(n);
    // Spread over the last 50 minutes: the 1h window merges 50 one-minute buckets.
    const stats = new OperationStats({ now: () => t0 + 3600, rememberTraces: 1000 });
    function* traces() {
      for (let i = 0; i < n; i++) {
        const d = next();
        durations[i] = d;
        yield call(i, 'shop', 'checkout', t0 + 600 + (i / n) * 3000, d);
      }
    }
    stats.addMany(traces());
    const s = stats.summary('shop', 'checkout', '1h')!;
    assert.equal(s.calls, n);
    assert.equal(s.exact, false);
    // Durations went through epoch-second timestamps: compare with what the spans say, not what was drawn.
    const sorted = Float64Array.from(durations, (d, i) => {
      const start = t0 + 600 + (i / n) * 3000;
      return (start + d / 1000 - start) * 1000;
    }).sort();
    const within = (got: number, permille: number, label: string) => {
      const exact = referenceRank(sorted, permille);
      assert.ok(Math.abs(got - exact) / exact <= sketchAlpha, `${label}: ${got} vs ${exact}`);
    };
    within(s.p50Ms, 500, 'p50');
    within(s.p90Ms, 900, 'p90');
    within(s.p99Ms, 990, 'p99');
    assert.equal(s.maxMs, sorted[n - 1]);
    assert.ok(
      s.p99RangeMs &&
        s.p99RangeMs.low <= s.p99Ms &&
        s.p99RangeMs.high >= s.p99Ms &&
        s.p99RangeMs.high > s.p99RangeMs.low,
    );
    assert.equal(
      s.histogram.counts.reduce((a, b) => a + b, 0),
      n,
    );
  });

  it('merges: bins summed over many partial sketches equal one sketch of everything', () => {
    const rand = random(5);
    const next = bimodal(rand);
    const whole = new BinCounts();
    const parts = Array.from({ length: 37 }, () => new BinCounts());
    for (let i = 0; i < 200_000; i++) {
      const b = binOf(next());
      whole.add(b);
      parts[Math.floor(rand() * parts.length)]!.add(b);
    }
    const a = new Float64Array(binCount);
    const b = new Float64Array(binCount);
    whole.addInto(a);
    for (const p of parts) p.addInto(b);
    assert.deepEqual(a, b);
  });

  it('counts the same in its three forms (a few values, a list of bins, dense), values added and taken back', () => {
    const rand = random(17);
    const next = logNormal(rand, 20, 1.5);
    for (const n of [3, 16, 17, 40, 300, 5000]) {
      const counts = new BinCounts();
      const want = new Map<number, number>();
      const bins: number[] = [];
      for (let i = 0; i < n; i++) {
        const b = binOf(next());
        bins.push(b);
        counts.add(b);
        want.set(b, (want.get(b) ?? 0) + 1);
      }
      for (const b of bins.filter((_, i) => i % 3 === 0)) {
        assert.ok(counts.remove(b));
        want.set(b, want.get(b)! - 1);
      }
      const got = new Float64Array(binCount);
      counts.addInto(got);
      for (let b = 0; b < binCount; b++) assert.equal(got[b], want.get(b) ?? 0, `n=${n} bin ${b}`);
      const nonEmpty = [...want].filter(([, c]) => c > 0).map(([b]) => b);
      assert.equal(counts.highest(), Math.max(...nonEmpty));
      assert.equal(counts.lowest(), Math.min(...nonEmpty));
      assert.ok(counts.first <= counts.lowest() && counts.last >= counts.highest());
    }
  });

  it('widens 16-bit counts past 65,535 in one bin, and takes values back', () => {
    const c = new BinCounts();
    const bin = binOf(42);
    for (let i = 0; i < 70_000; i++) c.add(bin);
    const out = new Float64Array(binCount);
    c.addInto(out);
    assert.equal(out[bin], 70_000);
    assert.ok(c.remove(bin));
    assert.equal(c.remove(binOf(9000)), false);
    out.fill(0);
    c.addInto(out);
    assert.equal(out[bin], 69_999);
  });

  it('maps zero, sub-microsecond and enormous durations to the end bins', () => {
    assert.equal(binOf(0), 0);
    assert.equal(binOf(0.0004), 0);
    assert.equal(binOf(-3), 0);
    assert.equal(binOf(Number.NaN), 0);
    assert.equal(binOf(1e12), binCount - 1);
    for (const v of [0.001, 0.0173, 1, 42, 380, 12_345.678, 9.9e8])
      assert.ok(Math.abs(valueOfBin(binOf(v)) - v) / v <= sketchAlpha * (1 + 1e-9), String(v));
  });
});
