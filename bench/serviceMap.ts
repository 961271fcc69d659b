// Service map layout benchmark: the built webview in Chromium (fake host), fed generated maps of
// 50, 200 and 1,000 nodes shaped like real ones (layers that fan out, ~1.5 edges per node, a few
// calls back up), timing the same path a user waits on: the view's request to the layout worker,
// elk inside it, and the answer (the view's `trace-lens:serviceMap:layout` measure). Each run
// renames the nodes so the view lays out again; the first run (worker start-up, cold JIT) is
// reported apart from the median of the rest.
import { availableParallelism, loadavg } from 'node:os';
import type { MapEdge, MapNode, ServiceMapSnapshot } from '../src/protocol/serviceMap';
import type { Envelope } from '../src/protocol/rpc';
import { random } from '../test/unit/analysis/stats/synthetic';
import { closeBrowser, openWebview } from '../test/webview/fakeHost';

/** Prints one figure. */
type Emit = (figure: Record<string, unknown>) => void;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const stats = (rand: () => number) => {
  const requests = 1 + Math.floor(rand() * 5000);
  const fault = Math.floor(requests * rand() * rand() * 0.1);
  const error = Math.floor(requests * rand() * 0.05);
  const avg = 1 + rand() * 300;
  return {
    requests,
    ok: requests - fault - error,
    error,
    throttle: 0,
    fault,
    samples: requests,
    avgMs: avg,
    p50Ms: avg * 0.8,
    p90Ms: avg * 2,
    p99Ms: avg * 4,
    maxMs: avg * 6,
    histogram: { edgesMs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], counts: [1, 3, 8, 20, 30, 20, 10, 5, 2] },
    slowestTraceId: '1-6b000000-000000000000000000000001',
  };
};

/** A map of n nodes in layers that widen with depth; every node but the client has a caller. */
export function generatedMap(n: number, seed = 7, tag = ''): ServiceMapSnapshot {
  const rand = random(seed);
  const depth = Math.max(3, Math.round(2 * Math.log10(n) + 2));
  // Layer sizes grow with depth (1 : 2 : 3 …): entry services up front, many resources at the back.
  const weights = Array.from({ length: depth - 1 }, (_, i) => i + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const layers: number[][] = [[0]];
  let next = 1;
  weights.forEach((w, i) => {
    const size = i === weights.length - 1 ? n - next : Math.max(1, Math.round(((n - 1) * w) / total));
    layers.push(Array.from({ length: size }, () => next++));
  });
  const nodes: MapNode[] = [];
  const layerOf: number[] = [];
  layers.forEach((l, d) => l.forEach((i) => (layerOf[i] = d)));
  for (let i = 0; i < n; i++) {
    const d = layerOf[i]!;
    const type =
      i === 0
        ? 'client'
        : d === depth - 1 && rand() < 0.4
          ? 'AWS::DynamoDB::Table'
          : d === depth - 1 && rand() < 0.3
            ? 'remote'
            : undefined;
    nodes.push({
      id: `${tag}n${i}`,
      name: i === 0 ? 'client' : `service-${i}${type ? '-table' : ''}`,
      ...(type ? { type } : {}),
      root: i === 0,
      ...stats(rand),
    });
  }
  const edges = new Map<string, MapEdge>();
  const add = (a: number, b: number) => {
    if (a !== b && !edges.has(`${a}>${b}`))
      edges.set(`${a}>${b}`, { from: nodes[a]!.id, to: nodes[b]!.id, ...stats(rand) });
  };
  const pick = (l: number[]) => l[Math.floor(rand() * l.length)]!;
  for (let d = 1; d < layers.length; d++) for (const i of layers[d]!) add(pick(layers[d - 1]!), i);
  // Extra calls to deeper layers, and about 2% back up (X-Ray maps do have cycles): ~1.5 edges a node.
  while (edges.size < Math.round(n * 1.5)) {
    const a = 1 + Math.floor(rand() * (n - 1));
    const da = layerOf[a]!;
    if (rand() < 0.02 && da > 1) add(a, pick(layers[1 + Math.floor(rand() * (da - 1))]!));
    else if (da < depth - 1) add(a, pick(layers[da + 1 + Math.floor(rand() * (depth - 1 - da))]!));
  }
  return {
    nodes,
    edges: [...edges.values()],
    window: { start: 1_795_000_000, end: 1_795_003_600 },
    source: 'generated',
    traces: n * 10,
  };
}

/** Lays out generated maps of 50, 200 and 1,000 nodes in the map webview; one figure per size. */
export async function benchServiceMapLayout(emit: Emit): Promise<void> {
  const sizes: [number, string, number, number][] = [
    [50, '< 200 ms', 200, 7],
    [200, '< 200 ms', 200, 7],
    [1000, '< 2000 ms', 2000, 5],
  ];
  try {
    for (const [n, target, limit, runs] of sizes) {
      const view = await openWebview('serviceMap', { width: 1400, height: 900 });
      const round = async (r: number) => {
        const snap = generatedMap(n, 7, `r${r}-`);
        const m: Envelope = { rpc: 1, type: 'notification', method: 'serviceMap/snapshot', params: snap };
        await view.deliver(m);
        await view.page.waitForFunction(
          (j) => Number(document.querySelector('svg.map')?.getAttribute('data-laid-out') ?? 0) >= j,
          r,
          { timeout: 120_000 },
        );
        return view.page.evaluate(() => {
          const all = performance.getEntriesByName('trace-lens:serviceMap:layout') as PerformanceMeasure[];
          const last = all[all.length - 1]!;
          return { ms: last.duration, elkMs: (last.detail as { elkMs: number }).elkMs };
        });
      };
      const cold = await round(1);
      const warm: { ms: number; elkMs: number }[] = [];
      for (let r = 2; r <= runs + 1; r++) warm.push(await round(r));
      const ms = median(warm.map((w) => w.ms));
      const shape = generatedMap(n);
      emit({
        figure: 'service map layout (elk layered in a Web Worker, Chromium)',
        nodes: n,
        edges: shape.edges.length,
        runs,
        medianMs: +ms.toFixed(1),
        elkMedianMs: +median(warm.map((w) => w.elkMs)).toFixed(1),
        coldMs: +cold.ms.toFixed(1),
        target,
        pass: ms < limit,
        // The machines are shared: a figure read under load says so.
        cpus: availableParallelism(),
        load1: +loadavg()[0]!.toFixed(1),
      });
      await view.close();
    }
  } finally {
    await closeBrowser();
  }
}
