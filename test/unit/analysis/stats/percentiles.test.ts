import * as assert from 'node:assert/strict';
import { nearestRank, quantileRankInterval, rankOf } from '../../../../src/analysis/stats/percentiles';
import { random, referenceRank } from './synthetic';

describe('analysis/stats/percentiles', () => {
  it('nearestRank is the ceil(q·n)-th smallest of a full sort, at every n up to 1,000 and some large n', () => {
    const rand = random(1);
    const ns = [...Array.from({ length: 1000 }, (_, i) => i + 1), 1023, 1024, 1025, 4999, 10_000, 65_537, 100_000];
    const permilles = [1, 10, 70, 100, 250, 290, 500, 570, 900, 950, 990, 999, 1000];
    let checked = 0;
    for (const n of ns) {
      const values = Float64Array.from({ length: n }, () => Math.exp(rand() * 8));
      const sorted = Float64Array.from(values).sort();
      for (const p of permilles) {
        assert.equal(nearestRank(sorted, p / 1000), referenceRank(sorted, p), `n=${n} q=${p / 1000}`);
        checked++;
      }
    }
    assert.ok(checked > 13_000);
  });

  it('does not skip a rank where q·n lands a hair above a whole number in floating point', () => {
    assert.equal(0.07 * 100, 7.000000000000001);
    assert.equal(rankOf(0.07, 100), 7);
    assert.equal(rankOf(0.5, 1), 1);
    assert.equal(rankOf(0.99, 100), 99);
    assert.equal(rankOf(1, 7), 7);
    assert.ok(Number.isNaN(nearestRank([], 0.5)));
  });

  it('brackets the true p99 about 95% of the time with the order-statistic interval', () => {
    const rand = random(7);
    const n = 2000;
    const interval = quantileRankInterval(0.99, n)!;
    // Uniform(0,1): the true p99 is 0.99.
    let covered = 0;
    const runs = 1000;
    for (let r = 0; r < runs; r++) {
      const sorted = Float64Array.from({ length: n }, rand).sort();
      if (sorted[interval.low - 1]! < 0.99 && sorted[interval.high - 1]! > 0.99) covered++;
    }
    assert.ok(covered / runs > 0.93 && covered / runs < 0.98, `coverage ${covered / runs}`);
  });

  it('has no p99 interval below 563 samples, where the upper rank would pass the maximum', () => {
    assert.equal(quantileRankInterval(0.99, 500), undefined);
    assert.equal(quantileRankInterval(0.99, 560), undefined);
    assert.ok(quantileRankInterval(0.99, 600));
    let first = 0;
    for (let n = 1; n < 2000 && !first; n++) if (quantileRankInterval(0.99, n)) first = n;
    assert.equal(first, 563);
  });
});
