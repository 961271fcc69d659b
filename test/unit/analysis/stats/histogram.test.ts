import * as assert from 'node:assert/strict';
import { fillHistogram, histogramEdges, maxBars } from '../../../../src/analysis/stats/histogram';

describe('analysis/stats/histogram', () => {
  it('puts round-number edges around the range, coarser as it widens', () => {
    assert.deepEqual(histogramEdges(12, 480), [10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500]);
    assert.deepEqual(histogramEdges(42, 42), [30, 50]);
    assert.deepEqual(histogramEdges(0.0012, 0.0031), [0.001, 0.0015, 0.002, 0.003, 0.005]);
    // 1 ms to 10 minutes: too many bars on the fine ladder.
    const wide = histogramEdges(1, 600_000);
    assert.ok(wide.length - 1 <= maxBars && wide[0]! <= 1 && wide[wide.length - 1]! > 600_000, String(wide));
    assert.deepEqual(wide.slice(0, 4), [1, 2, 5, 10]);
    // Zero-length spans: a bar from 0.
    assert.deepEqual(histogramEdges(0, 0.0004).slice(0, 2), [0, 0.001]);
    assert.deepEqual(histogramEdges(Number.NaN, 3), []);
  });

  it('counts every value into one bar', () => {
    const edges = histogramEdges(3, 90);
    const values = [3, 3.5, 9.99, 10, 14, 15, 89, 90];
    const h = fillHistogram(edges, (visit) => values.forEach((v) => visit(v, 1)));
    assert.equal(
      h.counts.reduce((a, b) => a + b, 0),
      values.length,
    );
    assert.deepEqual(h.edgesMs, [3, 5, 7, 10, 15, 20, 30, 50, 70, 100]);
    assert.deepEqual(h.counts, [2, 0, 1, 2, 1, 0, 0, 0, 2]);
  });
});
