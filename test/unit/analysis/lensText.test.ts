import * as assert from 'node:assert/strict';
import { count, lensTitle, type LensSettings } from '../../../src/analysis/lensText';
import { OperationStats } from '../../../src/analysis/stats';
import { formatMs } from '../../../src/model/duration';
import { call, referenceRank } from './stats/synthetic';

const defaults: LensSettings = {
  enabled: true,
  window: '1h',
  figures: ['p50', 'p99', 'calls', 'errors'],
  minSamples: 30,
};
const end = Math.floor(Date.UTC(2026, 10, 22, 12, 0, 0) / 1000);
let serial = 0;

/** n calls of shop/loadCart spread over the hour that ends hoursAgo before `end`; ms(i) their durations, failed(i) the errors. */
function hour(
  stats: OperationStats,
  hoursAgo: number,
  n: number,
  ms: (i: number) => number,
  failed: (i: number) => boolean = () => false,
): number[] {
  const from = end - (hoursAgo + 1) * 3600 + 60;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = ms(i);
    out.push(d);
    stats.add(call(serial++, 'shop', 'loadCart', from + (i * 3400) / n, d, failed(i) ? { error: true } : {}));
  }
  return out.sort((a, b) => a - b);
}

describe('the lens text', () => {
  it('reads `p50 42 ms · p99 380 ms · 1.2k calls · 3 errors`, with nearest-rank percentiles', () => {
    const stats = new OperationStats();
    const durations = hour(
      stats,
      0,
      1200,
      (i) => 20 + ((i * 37) % 400),
      (i) => i % 400 === 7,
    );
    const c = stats.compare('shop', 'loadCart', '1h', { end })!;
    assert.equal(
      lensTitle(c, defaults),
      `p50 ${formatMs(referenceRank(durations, 500))} · p99 ${formatMs(referenceRank(durations, 990))} · 1.2k calls · 3 errors`,
    );
    // The same figures under other names.
    assert.equal(
      lensTitle(c, defaults, 'requests'),
      `p50 ${formatMs(referenceRank(durations, 500))} · p99 ${formatMs(referenceRank(durations, 990))} · 1.2k requests · 3 errors`,
    );
  });

  it('shows the figures the setting names, in its order', () => {
    const stats = new OperationStats();
    const durations = hour(
      stats,
      0,
      300,
      (i) => 5 + (i % 50),
      (i) => i === 3,
    );
    const c = stats.compare('shop', 'loadCart', '1h', { end })!;
    assert.equal(
      lensTitle(c, { ...defaults, figures: ['max', 'p90', 'calls'] }),
      `max ${formatMs(durations[durations.length - 1]!)} · p90 ${formatMs(referenceRank(durations, 900))} · 300 calls`,
    );
  });

  it('marks a regression against the previous window, saying by how much', () => {
    const stats = new OperationStats();
    // The hour before: 10-30 ms. This hour: the same, but one call in twenty takes 400-500 ms.
    const before = hour(stats, 1, 1200, (i) => 10 + (i % 21));
    const now = hour(stats, 0, 1200, (i) => (i % 20 === 0 ? 400 + (i % 101) : 10 + (i % 21)));
    const c = stats.compare('shop', 'loadCart', '1h', { end })!;
    assert.ok(c.regression?.p99, 'p99 regressed');
    const title = lensTitle(c, defaults);
    const ratio = Math.round((referenceRank(now, 990) / referenceRank(before, 990) - 1) * 100);
    assert.match(
      title,
      new RegExp(
        `^\\$\\(arrow-up\\) p99 \\d+ ms vs \\d+(\\.\\d)? ms \\(\\+${ratio}%\\) than the previous window · p50 `,
      ),
    );
    // No mark when the windows look alike.
    const calm = new OperationStats();
    hour(calm, 1, 1200, (i) => 10 + (i % 21));
    hour(calm, 0, 1200, (i) => 10 + ((i + 5) % 21));
    assert.ok(!lensTitle(calm.compare('shop', 'loadCart', '1h', { end })!, defaults).includes('arrow-up'));
  });

  it('says when samples are few instead of giving a p99', () => {
    const stats = new OperationStats();
    const durations = hour(stats, 0, 5, (i) => 10 * (i + 1));
    assert.equal(
      lensTitle(stats.compare('shop', 'loadCart', '1h', { end })!, defaults),
      `p50 ≈${formatMs(referenceRank(durations, 500))} · 5 calls (too few for p99)`,
    );
    const one = new OperationStats();
    hour(one, 0, 1, () => 12);
    assert.equal(
      lensTitle(one.compare('shop', 'loadCart', '1h', { end })!, defaults, 'invocations'),
      `p50 ≈${formatMs(12)} · 1 invocation (too few for p99)`,
    );
  });

  it('counts as 950, 1.2k, 12k, 3.4M', () => {
    assert.deepEqual([950, 1200, 12_345, 3_400_000].map(count), ['950', '1.2k', '12k', '3.4M']);
  });
});
