// Messages between the host and the service map webview. The snapshot is plain JSON (arrays, not
// Maps or Sets) so it crosses postMessage as it is, and every request's params can be checked here
// by the host before it acts on them.
import { notification, request } from './rpc';

/** A response-time distribution: counts[i] calls took [edgesMs[i], edgesMs[i + 1]) ms. */
export interface MapHistogram {
  readonly edgesMs: readonly number[];
  readonly counts: readonly number[];
}

/** What a node or an edge counted over the window (X-Ray's outcome classes). */
export interface MapStats {
  readonly requests: number;
  readonly ok: number;
  /** 4xx, throttles included (as X-Ray counts them). */
  readonly error: number;
  /** 429: also counted in `error`. */
  readonly throttle: number;
  /** 5xx. */
  readonly fault: number;
  /** Completed calls the latency figures rest on (in-progress ones have no duration). */
  readonly samples: number;
  readonly avgMs?: number;
  readonly p50Ms?: number;
  readonly p90Ms?: number;
  readonly p99Ms?: number;
  readonly maxMs?: number;
  readonly histogram: MapHistogram;
  /** The trace of the slowest call, for "Open slowest trace". */
  readonly slowestTraceId?: string;
}

/** One node: a service, the client in front of entry points, or an inferred remote/AWS resource. */
export interface MapNode extends MapStats {
  /** Stable across snapshots (built from type and name), so a live update keeps the layout. */
  readonly id: string;
  readonly name: string;
  /** `client`, `remote`, an origin such as `AWS::Lambda::Function`, or undefined for a plain service. */
  readonly type?: string;
  readonly root: boolean;
}

/** One edge, from caller to callee. */
export interface MapEdge extends MapStats {
  readonly from: string;
  readonly to: string;
}

/** Everything the map shows, sent whole (also on each live update). */
export interface ServiceMapSnapshot {
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  /** Epoch seconds of the first and last call the graph counted. */
  readonly window: { readonly start: number; readonly end: number };
  /** Where the traces came from, for the header: `Local X-Ray`, `AWS X-Ray (eu-west-1)`, … */
  readonly source: string;
  /** How many traces the graph was built from. */
  readonly traces: number;
}

/** A node or an edge the user picked. */
export type MapTarget = { readonly node: string } | { readonly edge: { readonly from: string; readonly to: string } };

/** List the traces of a node or edge, optionally only those whose call took [minMs, maxMs). */
export interface ListTracesParams {
  readonly target: MapTarget;
  readonly minMs?: number;
  readonly maxMs?: number;
}

/** How a request ended, for the panel to say. */
export interface MapActionResult {
  readonly ok: boolean;
  /** `12 traces shown in the sidebar`, `Opened 1-…`, or why not. */
  readonly message: string;
}

/** The webview is ready for a snapshot. */
export const ready = notification<Record<string, never>>('serviceMap/ready');
/** The host's full snapshot (first, and after every change of the traces). */
export const snapshot = notification<ServiceMapSnapshot>('serviceMap/snapshot');
/** The host could not build the map. */
export const failed = notification<{ message: string }>('serviceMap/failed');
/** Open the slowest trace of a node or edge in the waterfall. */
export const openSlowest = request<{ target: MapTarget }, MapActionResult>('serviceMap/openSlowest');
/** Show the traces of a node or edge (in a latency range) in the sidebar. */
export const listTraces = request<ListTracesParams, MapActionResult>('serviceMap/listTraces');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 4096;

/** The target in untrusted params, or undefined when it is not one. */
export function parseTarget(v: unknown): MapTarget | undefined {
  if (!isObject(v)) return undefined;
  if ('node' in v) return isId(v.node) ? { node: v.node } : undefined;
  if (isObject(v.edge) && isId(v.edge.from) && isId(v.edge.to)) return { edge: { from: v.edge.from, to: v.edge.to } };
  return undefined;
}

/** openSlowest's params, checked; throws (the host sends it back as an error) when they are not. */
export function parseOpenSlowest(v: unknown): { target: MapTarget } {
  const target = isObject(v) ? parseTarget(v.target) : undefined;
  if (!target) throw new Error('openSlowest needs a node or an edge');
  return { target };
}

/** listTraces' params, checked; throws when they are not usable. */
export function parseListTraces(v: unknown): ListTracesParams {
  const target = isObject(v) ? parseTarget(v.target) : undefined;
  if (!target || !isObject(v)) throw new Error('listTraces needs a node or an edge');
  const bound = (b: unknown, name: string): number | undefined => {
    if (b === undefined || b === null) return undefined;
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0)
      throw new Error(`listTraces: ${name} must be a number of milliseconds`);
    return b;
  };
  const minMs = bound(v.minMs, 'minMs');
  const maxMs = bound(v.maxMs, 'maxMs');
  if (minMs !== undefined && maxMs !== undefined && maxMs < minMs) throw new Error('listTraces: maxMs is below minMs');
  return { target, ...(minMs === undefined ? {} : { minMs }), ...(maxMs === undefined ? {} : { maxMs }) };
}

/** The id of an edge, as the view keys it. */
export const edgeKey = (from: string, to: string): string => JSON.stringify([from, to]);
