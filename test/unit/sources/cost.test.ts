// What reading X-Ray costs, and the session's tally.
import * as assert from 'node:assert/strict';
import { costEstimate, CostTally, estimateUsd, formatUsd, needsConfirmation } from '../../../src/sources/aws/cost';

describe('X-Ray cost', () => {
  it('prices traces read at $0.50 a million, before the free tier', () => {
    assert.equal(estimateUsd(1_000_000), 0.5);
    assert.equal(estimateUsd(0), 0);
    assert.equal(formatUsd(estimateUsd(2_000)), '$0.001');
    assert.equal(formatUsd(3.5), '$3.50');
    const e = costEstimate(250_000, true);
    assert.equal(
      e.text,
      'up to 250,000 traces, $0.13 at $0.50 per million (free for the first 1,000,000 a month per account)',
    );
    assert.ok(needsConfirmation(e, 100_000));
    assert.ok(!needsConfirmation(e, 0), '0 turns the warning off');
  });

  it('tallies a session and forecasts a window from the traces per hour seen', () => {
    const t = new CostTally();
    assert.equal(t.forecastScan(6), undefined);
    t.scan(1200, 12);
    t.retrieve(40);
    t.cached += 10;
    t.call('GetTraceSummaries');
    t.call('BatchGetTraces');
    t.call('BatchGetTraces');
    assert.equal(t.forecastScan(6), 600);
    assert.equal(
      t.line(),
      'X-Ray this session: 1,200 traces scanned, 40 retrieved ($0.0006 before the free tier); 3 calls; 10 from the cache',
    );
  });
});
