// The service map's snapshot of a ServiceGraph (plain arrays for postMessage), and the host's
// answers to the map's requests: the slowest trace of a node or edge, and its traces in a latency
// range. Percentiles are nearest-rank, as everywhere else (DESIGN.md).
import type { MapEdge, MapNode, MapStats, MapTarget, ServiceMapSnapshot } from '../protocol/serviceMap';
import type { GraphNode, GraphStats, ServiceGraph } from './serviceGraph';
import { fillHistogram, histogramEdges } from './stats/histogram';
import { nearestRank } from './stats/percentiles';

/** A node's stable id: the same service gets the same id in every snapshot, whatever the build order. */
export const mapNodeId = (n: Pick<GraphNode, 'name' | 'type'>): string => JSON.stringify([n.type ?? '', n.name]);

function mapStats(s: GraphStats): MapStats {
  const ms = s.durations.map((d) => Math.max(0, d * 1000)).sort((a, b) => a - b);
  const n = ms.length;
  let slowest = -1;
  for (let i = 0; i < s.durations.length; i++) if (slowest < 0 || s.durations[i]! > s.durations[slowest]!) slowest = i;
  const base = { requests: s.total, ok: s.ok, error: s.error, throttle: s.throttle, fault: s.fault, samples: n };
  if (n === 0) return { ...base, histogram: { edgesMs: [], counts: [] } };
  const histogram = fillHistogram(histogramEdges(ms[0]!, ms[n - 1]!), (visit) => ms.forEach((v) => visit(v, 1)));
  return {
    ...base,
    avgMs: ms.reduce((a, b) => a + b, 0) / n,
    p50Ms: nearestRank(ms, 0.5),
    p90Ms: nearestRank(ms, 0.9),
    p99Ms: nearestRank(ms, 0.99),
    maxMs: ms[n - 1]!,
    histogram: { edgesMs: [...histogram.edgesMs], counts: [...histogram.counts] },
    slowestTraceId: s.durationTraceIds[slowest],
  };
}

/** The snapshot the map webview draws; `source` labels where the traces came from. */
export function serviceMapSnapshot(graph: ServiceGraph, source: string): ServiceMapSnapshot {
  const ids = graph.nodes.map(mapNodeId);
  const nodes: MapNode[] = graph.nodes.map((n, i) => ({
    id: ids[i]!,
    name: n.name,
    ...(n.type === undefined ? {} : { type: n.type }),
    root: n.root,
    ...mapStats(n.stats),
  }));
  const edges: MapEdge[] = [];
  for (const n of graph.nodes)
    for (const [to, s] of n.edges) edges.push({ from: ids[n.id]!, to: ids[to]!, ...mapStats(s) });
  const traces = new Set<string>();
  for (const n of graph.nodes) for (const t of n.stats.durationTraceIds) traces.add(t);
  return { nodes, edges, window: { start: graph.start, end: graph.end }, source, traces: traces.size };
}

/** The stats of a node or edge of the graph, by the ids the snapshot gave them. */
export function statsOf(graph: ServiceGraph, target: MapTarget): GraphStats | undefined {
  const byId = new Map(graph.nodes.map((n) => [mapNodeId(n), n]));
  if ('node' in target) return byId.get(target.node)?.stats;
  const from = byId.get(target.edge.from);
  const to = byId.get(target.edge.to);
  return from && to ? from.edges.get(to.id) : undefined;
}

/** The trace of the slowest call of a node or edge. */
export function slowestTrace(graph: ServiceGraph, target: MapTarget): string | undefined {
  const s = statsOf(graph, target);
  return s ? mapStats(s).slowestTraceId : undefined;
}

/** Trace ids whose call at the node or edge took [minMs, maxMs), slowest first, each once. */
export function tracesInRange(graph: ServiceGraph, target: MapTarget, minMs = 0, maxMs = Infinity): string[] {
  const s = statsOf(graph, target);
  if (!s) return [];
  const picked: { id: string; ms: number }[] = [];
  s.durations.forEach((d, i) => {
    const ms = d * 1000;
    if (ms >= minMs && ms < maxMs) picked.push({ id: s.durationTraceIds[i]!, ms });
  });
  picked.sort((a, b) => b.ms - a.ms);
  return [...new Set(picked.map((p) => p.id))];
}
