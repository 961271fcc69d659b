// The layout worker (bundled into the view as text, started from a blob: URL): elk's layered
// algorithm, left to right, so a map of a thousand nodes never blocks the view's thread.
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { EdgeRoute, LayoutRequest, LayoutResult } from './layoutTypes';

// Inside a worker elk.bundled runs its engine in this thread (its fake worker), which is the point.
const elk = new ELK();

// Measured with bench/serviceMap.ts. BRANDES_KOEPF places nodes in linear time, where
// NETWORK_SIMPLEX (a little straighter edges) grows much faster with size and misses the 1,000-node
// target; thoroughness 7 (elk's default) costs crossing minimization the most time for little
// visible gain over 4 on these fan-out graphs. Splines read like X-Ray's console and route around
// the inline labels.
const options: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'SPLINES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.thoroughness': '4',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  'elk.layered.spacing.edgeNodeBetweenLayers': '24',
  'elk.spacing.nodeNode': '36',
  'elk.spacing.edgeEdge': '12',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.componentComponent': '60',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.padding': '[top=20,left=20,bottom=20,right=20]',
};

async function layout(req: LayoutRequest): Promise<LayoutResult> {
  const children: ElkNode[] = req.nodes.map((n, i) => ({
    id: `n${i}`,
    width: n.size,
    height: n.size,
    // One port a side at the circle's middle: edges meet the circle, not the box's corners.
    ports: [
      { id: `n${i}w`, x: 0, y: n.size / 2, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'WEST' } },
      { id: `n${i}e`, x: n.size, y: n.size / 2, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'EAST' } },
    ],
    labels: [{ text: ' ', width: n.labelWidth, height: n.labelHeight }],
    layoutOptions: { 'elk.portConstraints': 'FIXED_POS', 'elk.nodeLabels.placement': 'OUTSIDE V_BOTTOM H_CENTER' },
  }));
  const edges: ElkExtendedEdge[] = req.edges.map((e, i) => ({
    id: `e${i}`,
    sources: [`n${e.from}e`],
    targets: [`n${e.to}w`],
    // Inline is a label option, not a graph one: the label then sits on its edge, not beside it.
    labels: [{ text: ' ', width: e.labelWidth, height: e.labelHeight, layoutOptions: { 'elk.edgeLabels.inline': 'true' } }],
  }));
  const t0 = performance.now();
  const graph: ElkNode = { id: 'root', layoutOptions: options, children, edges };
  const out: ElkNode = await elk.layout(graph);
  const elkMs = performance.now() - t0;
  const placed = new Map((out.children ?? []).map((c) => [c.id, c]));
  const routed = new Map((out.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const routes: EdgeRoute[] = req.edges.map((_, i) => {
    const e = routed.get(`e${i}`);
    if (!e) return { points: [], curve: false, labelX: 0, labelY: 0 };
    const s = e.sections?.[0];
    const pts = s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [];
    const label = e.labels?.[0];
    return {
      points: pts.flatMap((p) => [p.x, p.y]),
      curve: pts.length >= 4 && (pts.length - 1) % 3 === 0,
      labelX: label?.x ?? 0,
      labelY: label?.y ?? 0,
    };
  });
  return {
    id: req.id,
    nodes: req.nodes.map((_, i) => {
      const c = placed.get(`n${i}`);
      return { x: c?.x ?? 0, y: c?.y ?? 0 };
    }),
    edges: routes,
    width: out.width ?? 0,
    height: out.height ?? 0,
    elkMs,
  };
}

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  layout(e.data).then(
    (r) => self.postMessage(r),
    (err: unknown) => {
      const failure: LayoutResult = { id: e.data.id, nodes: [], edges: [], width: 0, height: 0, elkMs: 0, error: err instanceof Error ? err.message : String(err) };
      self.postMessage(failure);
    },
  );
};
