// The words and numbers the map prints: node and edge labels in each mode, type names, counts.
import { formatMs } from '../../src/model/duration';
import type { MapEdge, MapNode, MapStats } from '../../src/protocol/serviceMap';

/** What the labels and edge widths show. */
export type MapMode = 'latency' | 'requests';

/** 1234 → `1.2k`: labels inside a circle have little room. */
export function count(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
}

/** A share as a short percentage: `0.4%`, `12%`. */
export function percent(part: number, whole: number): string {
  if (!whole) return '0%';
  const p = (part / whole) * 100;
  return `${p > 0 && p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** `avg 12 ms`, or a dash when nothing completed. */
export const ms = (v: number | undefined): string => (v === undefined ? '–' : formatMs(v));

/** The readable kind of a node: `Client`, `Service`, `Remote`, or its AWS type. */
export function typeLabel(n: Pick<MapNode, 'type'>): string {
  if (n.type === undefined) return 'Service';
  if (n.type === 'client') return 'Client';
  if (n.type === 'remote') return 'Remote service';
  return n.type;
}

/** The node's kind as a CSS class, for its icon and outline. */
export function kindClass(n: Pick<MapNode, 'type'>): string {
  if (n.type === undefined) return 'service';
  if (n.type === 'client' || n.type === 'remote') return n.type;
  return 'aws';
}

/** The big and small lines inside a node's circle. */
export function nodeInside(n: MapNode, mode: MapMode): [string, string] {
  return mode === 'latency' ? [ms(n.avgMs), `${count(n.requests)} req`] : [count(n.requests), 'req'];
}

/** The failed share worth printing: faults first, then errors; empty when all went well. */
function failures(s: MapStats): string {
  if (s.fault) return `${percent(s.fault, s.requests)} fault`;
  if (s.error) return `${percent(s.error, s.requests)} error`;
  return '';
}

/** An edge's label in a mode. */
export function edgeLabel(e: MapEdge, mode: MapMode): string {
  if (mode === 'latency') return e.samples ? `${ms(e.avgMs)} avg · p99 ${ms(e.p99Ms)}` : 'no completed calls';
  const f = failures(e);
  return `${count(e.requests)} req${f ? ` · ${f}` : ''}`;
}

/** How healthy a node or edge is, for its colour: the worst class at 5% or more, else ok. */
export function health(s: MapStats): 'fault' | 'error' | 'throttle' | 'ok' {
  if (!s.requests) return 'ok';
  if (s.fault / s.requests >= 0.05) return 'fault';
  if (s.throttle / s.requests >= 0.05) return 'throttle';
  if (s.error / s.requests >= 0.05) return 'error';
  return 'ok';
}

/** An edge's stroke width in a mode, relative to the busiest (or slowest) edge: 1.5 to 5 px. */
export function edgeWidth(e: MapEdge, mode: MapMode, max: { requests: number; avgMs: number }): number {
  const f =
    mode === 'requests'
      ? Math.log1p(e.requests) / Math.log1p(Math.max(1, max.requests))
      : (e.avgMs ?? 0) / Math.max(1e-9, max.avgMs);
  return 1.5 + 3.5 * Math.min(1, Math.max(0, f));
}
