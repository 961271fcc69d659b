// The service graph of a set of traces, as X-Ray builds it: a node per service (segment name and
// origin), inferred nodes for remote and AWS calls nobody traced downstream, a client node in
// front of each entry point, and edges with their calls' durations and outcomes.
import type { Span, Trace } from '../model/trace';

/** What a node or edge counted. */
export interface GraphStats {
  ok: number;
  error: number;
  throttle: number;
  fault: number;
  total: number;
  /** Durations in seconds, one per call, for histograms and percentiles. */
  durations: number[];
  /** The trace id of each duration, in the same order: the map lists the traces of a latency range. */
  durationTraceIds: string[];
  start: number;
  end: number;
}

/** A node of the graph. */
export interface GraphNode {
  readonly id: number;
  readonly name: string;
  /** `client`, `remote`, an origin such as `AWS::Lambda::Function`, or undefined for a plain service. */
  readonly type?: string;
  readonly root: boolean;
  readonly stats: GraphStats;
  readonly edges: Map<number, GraphStats>;
  /** Trace ids that touched the node (bounded). */
  readonly traceIds: Set<string>;
}

/** The graph: nodes by id; every edge is stored on its caller. */
export interface ServiceGraph {
  readonly nodes: GraphNode[];
  readonly start: number;
  readonly end: number;
}

const newStats = (): GraphStats => ({
  ok: 0,
  error: 0,
  throttle: 0,
  fault: 0,
  total: 0,
  durations: [],
  durationTraceIds: [],
  start: Infinity,
  end: -Infinity,
});

function count(stats: GraphStats, s: Span): void {
  stats.total++;
  if (s.fault) stats.fault++;
  else if (s.throttle) {
    stats.throttle++;
    stats.error++;
  } else if (s.error) stats.error++;
  else stats.ok++;
  if (s.endTime !== undefined) {
    stats.durations.push(s.endTime - s.startTime);
    stats.durationTraceIds.push(s.traceId);
  }
  if (s.startTime < stats.start) stats.start = s.startTime;
  const end = s.endTime ?? s.startTime;
  if (end > stats.end) stats.end = end;
}

/** A readable type for an inferred AWS node: the SDK names the subsegment after the service. */
function awsType(s: Span): string {
  const name = s.name.replace(/^AWS::/, '');
  if (/dynamodb/i.test(name)) return 'AWS::DynamoDB::Table';
  if (/^s3$/i.test(name)) return 'AWS::S3::Bucket';
  if (/^sqs$/i.test(name)) return 'AWS::SQS::Queue';
  if (/^sns$/i.test(name)) return 'AWS::SNS::Topic';
  if (/lambda/i.test(name)) return 'AWS::Lambda';
  return `AWS::${name}`;
}

const maxTraceIdsPerNode = 200;

/** A remote call's node name: OpenTelemetry names HTTP client spans by their method, where X-Ray SDKs use the host: the host then. */
function remoteName(s: Span): string {
  if (!/^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|HTTP)( |$)/.test(s.name)) return s.name;
  const url = s.http?.request?.url;
  if (!url) return s.name;
  try {
    return new URL(url).hostname || s.name;
  } catch {
    return s.name;
  }
}

/** Builds the service graph of the traces. */
export function buildServiceGraph(traces: Iterable<Trace>): ServiceGraph {
  const nodes: GraphNode[] = [];
  const byKey = new Map<string, GraphNode>();
  const node = (name: string, type: string | undefined, root = false): GraphNode => {
    const key = `${type ?? ''}\u0000${name}`;
    let n = byKey.get(key);
    if (!n) {
      n = { id: nodes.length, name, type, root, stats: newStats(), edges: new Map(), traceIds: new Set() };
      nodes.push(n);
      byKey.set(key, n);
    } else if (root && !n.root) (n as { root: boolean }).root = true;
    return n;
  };
  const edge = (from: GraphNode, to: GraphNode): GraphStats => {
    let e = from.edges.get(to.id);
    if (!e) from.edges.set(to.id, (e = newStats()));
    return e;
  };
  let start = Infinity;
  let end = -Infinity;

  for (const trace of traces) {
    const spanOwner = new Map<string, Span>();
    const calledBy = new Map<string, Span>();
    for (const seg of trace.segments) {
      const stack: Span[] = [...seg.subsegments];
      while (stack.length) {
        const s = stack.pop()!;
        spanOwner.set(s.id, seg);
        stack.push(...s.subsegments);
      }
      spanOwner.set(seg.id, seg);
    }
    for (const seg of trace.segments) if (seg.parentId !== undefined) calledBy.set(seg.parentId, seg);

    for (const seg of trace.segments) {
      const me = node(seg.name, seg.origin);
      count(me.stats, seg);
      if (me.traceIds.size < maxTraceIdsPerNode) me.traceIds.add(trace.id);
      if (seg.startTime < start) start = seg.startTime;
      if ((seg.endTime ?? seg.startTime) > end) end = seg.endTime ?? seg.startTime;
      const callerSeg = seg.parentId === undefined ? undefined : spanOwner.get(seg.parentId);
      if (callerSeg && callerSeg !== seg) {
        count(edge(node(callerSeg.name, callerSeg.origin), me), seg);
      } else {
        // The request entered here: X-Ray draws a client in front of it.
        const client = node('client', 'client', true);
        count(client.stats, seg);
        count(edge(client, me), seg);
      }
      // Calls that left the service without a traced receiver become inferred nodes.
      const stack: Span[] = [...seg.subsegments];
      while (stack.length) {
        const s = stack.pop()!;
        stack.push(...s.subsegments);
        if ((s.namespace !== 'remote' && s.namespace !== 'aws') || calledBy.has(s.id)) continue;
        const target = node(
          s.namespace === 'remote' ? remoteName(s) : s.name,
          s.namespace === 'aws' ? awsType(s) : 'remote',
        );
        count(target.stats, s);
        if (target.traceIds.size < maxTraceIdsPerNode) target.traceIds.add(trace.id);
        count(edge(me, target), s);
      }
    }
  }
  return { nodes, start: start === Infinity ? 0 : start, end: end === -Infinity ? 0 : end };
}
