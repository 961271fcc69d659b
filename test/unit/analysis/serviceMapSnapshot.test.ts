import * as assert from 'node:assert/strict';
import { buildServiceGraph } from '../../../src/analysis/serviceGraph';
import {
  mapNodeId,
  serviceMapSnapshot,
  slowestTrace,
  statsOf,
  tracesInRange,
} from '../../../src/analysis/serviceMapSnapshot';
import { nearestRank } from '../../../src/analysis/stats/percentiles';
import { assembleTraces } from '../../../src/model/assemble';
import { splitDatagram } from '../../../src/model/datagram';
import { Repairs } from '../../../src/model/repairs';
import { parseSegmentJson } from '../../../src/model/segmentDocument';
import { parseListTraces, parseOpenSlowest, type MapTarget } from '../../../src/protocol/serviceMap';
import { xrayDatagrams } from '../fixtures';

function fixtureGraph() {
  const spans = xrayDatagrams().map((d) =>
    parseSegmentJson((splitDatagram(d) as { document: string }).document, new Repairs())!,
  );
  return buildServiceGraph(assembleTraces(spans));
}

describe('analysis/serviceMapSnapshot', () => {
  const graph = fixtureGraph();
  const snap = serviceMapSnapshot(graph, 'Local X-Ray');

  it('turns the graph into plain JSON with stable ids and every edge', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap, 'survives a JSON round trip unchanged');
    assert.equal(snap.nodes.length, graph.nodes.length);
    assert.equal(
      snap.edges.length,
      graph.nodes.reduce((n, g) => n + g.edges.size, 0),
    );
    const ids = new Set(snap.nodes.map((n) => n.id));
    assert.equal(ids.size, snap.nodes.length, 'ids are unique');
    for (const e of snap.edges) assert.ok(ids.has(e.from) && ids.has(e.to));
    const client = snap.nodes.find((n) => n.type === 'client')!;
    assert.ok(client.root);
    assert.equal(client.id, mapNodeId({ name: 'client', type: 'client' }));
    // Rebuilt in another order, a node keeps its id.
    const again = serviceMapSnapshot(
      buildServiceGraph(
        [
          ...assembleTraces(
            xrayDatagrams().map((d) =>
              parseSegmentJson((splitDatagram(d) as { document: string }).document, new Repairs())!,
            ),
          ),
        ].reverse(),
      ),
      'x',
    );
    assert.deepEqual(new Set(again.nodes.map((n) => n.id)), ids);
    assert.ok(snap.traces > 0 && snap.window.end >= snap.window.start && snap.window.start > 1e9);
  });

  it('has the counts, nearest-rank percentiles and a histogram of every call', () => {
    for (const n of snap.nodes) {
      const g = graph.nodes.find((x) => mapNodeId(x) === n.id)!;
      assert.equal(n.requests, g.stats.total);
      assert.equal(n.ok + n.error + n.fault, n.requests, `${n.name}: every call has one outcome`);
      const ms = g.stats.durations.map((d) => d * 1000).sort((a, b) => a - b);
      assert.equal(n.samples, ms.length);
      if (!ms.length) continue;
      assert.equal(n.p50Ms, nearestRank(ms, 0.5));
      assert.equal(n.p99Ms, nearestRank(ms, 0.99));
      assert.ok(Math.abs(n.avgMs! - ms.reduce((a, b) => a + b, 0) / ms.length) < 1e-9);
      assert.equal(
        n.histogram.counts.reduce((a, b) => a + b, 0),
        ms.length,
      );
      assert.equal(n.histogram.edgesMs.length, n.histogram.counts.length + 1);
      assert.ok(n.histogram.edgesMs[0]! <= ms[0]! && n.histogram.edgesMs.at(-1)! > ms.at(-1)!);
    }
  });

  it('answers the map requests: slowest trace and the traces of a latency range', () => {
    const busiest = [...snap.edges].sort((a, b) => b.requests - a.requests)[0]!;
    const target: MapTarget = { edge: { from: busiest.from, to: busiest.to } };
    const s = statsOf(graph, target)!;
    assert.equal(s.total, busiest.requests);
    const slowest = slowestTrace(graph, target)!;
    assert.equal(slowest, busiest.slowestTraceId);
    const all = tracesInRange(graph, target);
    assert.equal(all[0], slowest, 'slowest first');
    assert.equal(new Set(all).size, all.length);
    const bars = busiest.histogram;
    const last = bars.counts.length - 1;
    const top = tracesInRange(graph, target, bars.edgesMs[last]!, bars.edgesMs[last + 1]!);
    assert.ok(top.length >= 1 && top.length <= bars.counts[last]!);
    assert.ok(top.includes(slowest));
    assert.deepEqual(tracesInRange(graph, target, 1e9), []);
    assert.deepEqual(tracesInRange(graph, { node: 'nope' }), []);
  });

  it('checks request params from the view', () => {
    assert.deepEqual(parseOpenSlowest({ target: { node: 'a' } }), { target: { node: 'a' } });
    assert.deepEqual(parseListTraces({ target: { edge: { from: 'a', to: 'b' } }, minMs: 10, maxMs: 20 }), {
      target: { edge: { from: 'a', to: 'b' } },
      minMs: 10,
      maxMs: 20,
    });
    assert.deepEqual(parseListTraces({ target: { node: 'a' } }), { target: { node: 'a' } });
    assert.throws(() => parseListTraces({ target: { node: 'a' }, minMs: 20, maxMs: 10 }), /below/);
    assert.throws(() => parseListTraces({ target: { node: 'a' }, minMs: '1' }), /milliseconds/);
    assert.throws(() => parseListTraces({ target: { node: '' } }), /node or an edge/);
    assert.throws(() => parseOpenSlowest({ target: { edge: { from: 'a' } } }), /node or an edge/);
    assert.throws(() => parseOpenSlowest(null), /node or an edge/);
  });
});
