// The layout worker (bundled into the view as text, started from a blob: URL): elk's layered
// algorithm, left to right, so a map of a thousand nodes never blocks the view's thread.
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { EdgeRoute, LayoutRequest, LayoutResult } from './layoutTypes';

// Inside a worker elk.bundled runs its engine in this thread (its fake worker), which is the point.
const elk = new ELK();

// Maps up to this many edges get elk's own edge labels (a dummy node per label, so labels never
// cover a node or each other); bigger ones get their labels at the middle of their routes, because
// label dummies double the graph and elk's time with it (bench/serviceMap.ts).
const elkLabelsUpTo = 100;

const common: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'SPLINES',
  // Linear-time placement; NETWORK_SIMPLEX (a little straighter edges) took 20× longer at 1,000 nodes.
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.spacing.edgeNodeBetweenLayers': '24',
  'elk.spacing.nodeNode': '36',
  'elk.spacing.edgeEdge': '12',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.componentComponent': '60',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.padding': '[top=20,left=20,bottom=20,right=20]',
};

/** The options for a map of this size: full quality for small maps, linear-ish time for big ones. */
function optionsFor(edges: number, maxLabelWidth: number): Record<string, string> {
  if (edges <= elkLabelsUpTo) return { ...common, 'elk.layered.spacing.nodeNodeBetweenLayers': '70' };
  return {
    ...common,
    // Room for a label in every gap between layers, since elk does not reserve it.
    'elk.layered.spacing.nodeNodeBetweenLayers': String(Math.max(70, maxLabelWidth + 40)),
    // The greedy-switch pass and more sweeps (thoroughness 7) cost more than half the time at 1,000
    // nodes for few crossings saved on layered fan-out graphs. ORTHOGONAL routing measured no
    // clearly faster than SPLINES, so big maps keep the same look as small ones.
    'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
    'elk.layered.thoroughness': '1',
  };
}

/** The point halfway along a route (cubic pieces sampled), where a label without elk's room goes. */
function midpoint(pts: readonly { x: number; y: number }[], curve: boolean): { x: number; y: number } {
  const poly: { x: number; y: number }[] = [];
  if (curve) {
    for (let i = 0; i + 3 < pts.length; i += 3) {
      const [a, b, c, d] = [pts[i]!, pts[i + 1]!, pts[i + 2]!, pts[i + 3]!];
      for (let k = 0; k <= 8; k++) {
        const t = k / 8;
        const u = 1 - t;
        poly.push({
          x: u * u * u * a.x + 3 * u * u * t * b.x + 3 * u * t * t * c.x + t * t * t * d.x,
          y: u * u * u * a.y + 3 * u * u * t * b.y + 3 * u * t * t * c.y + t * t * t * d.y,
        });
      }
    }
  } else poly.push(...pts);
  if (poly.length < 2) return poly[0] ?? { x: 0, y: 0 };
  const lens = [0];
  for (let i = 1; i < poly.length; i++)
    lens.push(lens[i - 1]! + Math.hypot(poly[i]!.x - poly[i - 1]!.x, poly[i]!.y - poly[i - 1]!.y));
  const half = lens[lens.length - 1]! / 2;
  let i = 1;
  while (i < poly.length - 1 && lens[i]! < half) i++;
  const f = (half - lens[i - 1]!) / Math.max(1e-9, lens[i]! - lens[i - 1]!);
  return {
    x: poly[i - 1]!.x + f * (poly[i]!.x - poly[i - 1]!.x),
    y: poly[i - 1]!.y + f * (poly[i]!.y - poly[i - 1]!.y),
  };
}

async function layout(req: LayoutRequest): Promise<LayoutResult> {
  const elkLabels = req.edges.length <= elkLabelsUpTo;
  const options = optionsFor(req.edges.length, Math.max(0, ...req.edges.map((e) => e.labelWidth)));
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
    labels: elkLabels
      ? [{ text: ' ', width: e.labelWidth, height: e.labelHeight, layoutOptions: { 'elk.edgeLabels.inline': 'true' } }]
      : [],
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
    const curve = pts.length >= 4 && (pts.length - 1) % 3 === 0;
    const label = e.labels?.[0];
    const mid = label ? undefined : midpoint(pts, curve);
    const size = req.edges[i]!;
    return {
      points: pts.flatMap((p) => [p.x, p.y]),
      curve,
      labelX: label?.x ?? mid!.x - size.labelWidth / 2,
      labelY: label?.y ?? mid!.y - size.labelHeight / 2,
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
      const failure: LayoutResult = {
        id: e.data.id,
        nodes: [],
        edges: [],
        width: 0,
        height: 0,
        elkMs: 0,
        error: err instanceof Error ? err.message : String(err),
      };
      self.postMessage(failure);
    },
  );
};
