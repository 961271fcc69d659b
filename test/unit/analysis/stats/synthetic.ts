// Generated traces for the statistics tests and benchmark: large, seeded, heavy-tailed samples no
// SDK run could provide. Built with the model's own types (no trace JSON); real SDK output is
// covered by the fixture tests.
import type { Span, Trace } from '../../../../src/model/trace';

/** A seeded PRNG (mulberry32): the same numbers on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates (Box–Muller) from a uniform source. */
export function normal(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Log-normal durations in ms: median × e^(σ·N(0,1)). */
export function logNormal(rand: () => number, medianMs: number, sigma: number): () => number {
  const n = normal(rand);
  return () => medianMs * Math.exp(sigma * n());
}

/** Bimodal durations in ms: a fast cache-hit mode and a slow miss mode, each log-normal. */
export function bimodal(rand: () => number): () => number {
  const fast = logNormal(rand, 3, 0.4);
  const slow = logNormal(rand, 400, 0.7);
  return () => (rand() < 0.8 ? fast() : slow());
}

/** A span with the model's defaults; times in epoch seconds. */
export function span(fields: Partial<Span> & Pick<Span, 'id' | 'traceId' | 'name' | 'startTime'>): Span {
  return {
    type: 'subsegment',
    inProgress: false,
    error: false,
    fault: false,
    throttle: false,
    annotations: {},
    metadata: {},
    subsegments: [],
    flags: [],
    ...fields,
  };
}

/** A trace around its top-level segments (no orphans). */
export function trace(id: string, segments: Span[], orphans: Span[] = []): Trace {
  const all = [...segments, ...orphans];
  const start = Math.min(...all.map((s) => s.startTime));
  const ends = all.map((s) => s.endTime).filter((e): e is number => e !== undefined);
  return {
    id,
    segments,
    orphans,
    startTime: start,
    endTime: ends.length ? Math.max(...ends) : undefined,
    inProgress: all.some((s) => s.inProgress),
    root: segments[0],
  };
}

let counter = 0;
/** A fresh 16-hex span id. */
export const spanId = (): string => (counter++).toString(16).padStart(16, '0');
/** An X-Ray trace id for serial n. */
export const traceId = (n: number): string => `1-6b000000-${n.toString(16).padStart(24, '0')}`;

/**
 * One trace: a `service` segment whose subsegment `name` took durationMs, starting at start
 * (epoch seconds). The segment lasts 1 ms longer. Flags go on the subsegment.
 */
export function call(
  n: number,
  service: string,
  name: string,
  start: number,
  durationMs: number,
  flags: Partial<Pick<Span, 'error' | 'fault' | 'throttle'>> = {},
): Trace {
  const id = traceId(n);
  const end = start + durationMs / 1000;
  const sub = span({ id: spanId(), traceId: id, name, startTime: start, endTime: end, ...flags });
  const seg = span({
    id: spanId(),
    traceId: id,
    name: service,
    type: 'segment',
    startTime: start,
    endTime: end + 0.001,
    subsegments: [sub],
  });
  return trace(id, [seg]);
}

/** The ceil(q·n)-th smallest, written out with integer arithmetic (q in thousandths). */
export function referenceRank(sortedAsc: ArrayLike<number>, permille: number): number {
  const n = sortedAsc.length;
  const rank = Math.max(1, Math.floor((permille * n + 999) / 1000));
  return sortedAsc[rank - 1]!;
}
