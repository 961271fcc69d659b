// The statistics of the traces the real SDKs sent: the operations they name, and figures equal to
// those computed independently from the raw spans (nearest rank over the durations).
import * as assert from 'node:assert/strict';
import { OperationStats } from '../../../../src/analysis/stats/operationStats';
import { assembleTraces, forEachSpan } from '../../../../src/model/assemble';
import type { Span, Trace } from '../../../../src/model/trace';
import { otelTraces, xrayDocuments, xrayTraces } from './realTraces';
import { referenceRank } from './synthetic';

interface Raw {
  durations: number[];
  errors: number;
  faults: number;
  traces: Set<string>;
}

/** Per "service/name" (and OTel name), straight from the spans: durations, outcomes, traces. */
function rawOperations(traces: Trace[]): Map<string, Raw> {
  const out = new Map<string, Raw>();
  for (const t of traces) {
    const serviceOf = new Map<Span, string>();
    forEachSpan(t, (s, parent) => {
      const service = s.type === 'segment' ? s.name : serviceOf.get(parent!)!;
      serviceOf.set(s, service);
      if (s.inProgress || s.endTime === undefined) return;
      const key = `${service}/${s.otelName ?? s.name}`;
      const raw = out.get(key) ?? { durations: [], errors: 0, faults: 0, traces: new Set() };
      raw.durations.push((s.endTime - s.startTime) * 1000);
      if (s.error) raw.errors++;
      if (s.fault) raw.faults++;
      raw.traces.add(t.id);
      out.set(key, raw);
    });
  }
  return out;
}

/** A window holding every fixture trace: 7 days ending just after the last span. */
function windowOver(traces: Trace[]): { start: number; end: number } {
  const end = Math.max(...traces.map((t) => t.endTime ?? t.startTime)) + 60;
  return { start: end - 7 * 86_400, end };
}

describe('analysis/stats on the real SDK traces', () => {
  const xray = xrayTraces();
  const otel = otelTraces();

  it('finds the X-Ray operations: orders/loadCart, inventory/reserveLines, the segments themselves', () => {
    const stats = new OperationStats();
    stats.addMany(xray);
    const keys = stats.operations().map((k) => `${k.service}/${k.name}`);
    for (const k of [
      'orders/orders',
      'orders/loadCart',
      'orders/chargePayment',
      'orders/PaymentGateway.authorize',
      'orders/reserveStock',
      'inventory/inventory',
      'inventory/reserveLines',
      'inventory/WarehouseTable.getItem',
    ]) {
      assert.ok(keys.includes(k), `${k} in ${keys.join(', ')}`);
    }
  });

  it('gives figures equal to nearest rank over the raw durations, exactly, for every operation', () => {
    for (const traces of [xray, otel]) {
      const stats = new OperationStats();
      stats.addMany(traces);
      const raw = rawOperations(traces);
      const window = windowOver(traces);
      const summaries = stats.query(window, { end: window.end });
      assert.equal(summaries.length, raw.size);
      for (const s of summaries) {
        const r = raw.get(`${s.service}/${s.otelName ?? s.name}`)!;
        const sorted = Float64Array.from(r.durations).sort();
        const label = `${s.service}/${s.name}`;
        assert.equal(s.calls, r.durations.length, label);
        assert.equal(s.exact, true, label);
        assert.equal(s.p50Ms, referenceRank(sorted, 500), label);
        assert.equal(s.p90Ms, referenceRank(sorted, 900), label);
        assert.equal(s.p99Ms, referenceRank(sorted, 990), label);
        assert.equal(s.maxMs, sorted[sorted.length - 1], label);
        assert.equal(s.errors, r.errors, label);
        assert.equal(s.faults, r.faults, label);
        assert.equal(s.traces, r.traces.size, label);
        assert.equal(s.fewSamples, s.calls < 30, label);
        assert.equal(
          s.histogram.counts.reduce((a, b) => a + b, 0),
          s.calls,
          label,
        );
        assert.ok(s.selfP50Ms <= s.p50Ms + 1e-9 || s.calls > 1, label);
        assert.ok(s.slowest.length === Math.min(5, s.calls) && s.slowest[0]!.durationMs === s.maxMs, label);
      }
    }
  });

  it('keys OTel server spans by their span name too: a lens on startActiveSpan("GET /products") finds them', () => {
    const stats = new OperationStats();
    stats.addMany(otel);
    const window = windowOver(otel);
    const routes = stats.query(window, { end: window.end, service: 'catalog', name: 'catalog' });
    assert.deepEqual(routes.map((s) => s.otelName).sort(), [
      'GET /products',
      'GET /products/:id',
      'GET /products/:id/reviews',
    ]);
    const products = stats.summary('catalog', 'GET /products', window, { end: window.end })!;
    assert.equal(products.name, 'catalog');
    assert.equal(products.otelName, 'GET /products');
    assert.equal(products.calls, 7);
    // By X-Ray name: the service's segments, all routes merged.
    const segment = stats.summary('catalog', 'catalog', window, { end: window.end })!;
    assert.equal(
      segment.calls,
      routes.reduce((a, s) => a + s.calls, 0),
    );
    assert.equal(segment.exact, true);
    // Without a service: whoever names it.
    assert.equal(stats.summary(undefined, 'catalog.search', window, { end: window.end })?.calls, 7);
    assert.equal(stats.summary('catalog', 'nope', window, { end: window.end }), undefined);
  });

  it('counts errors and faults as recorded, lists the failing traces and the top exception messages', () => {
    const stats = new OperationStats();
    stats.addMany([...xray, ...otel]);
    const window = windowOver([...xray, ...otel]);
    const lines = stats.summary('inventory', 'reserveLines', window, { end: window.end })!;
    assert.ok(lines.faults >= 2);
    assert.ok(
      lines.exceptions.some(
        (e) =>
          e.type === 'TypeError' && e.message === "Cannot read properties of null (reading 'split')" && e.count >= 2,
      ),
      JSON.stringify(lines.exceptions),
    );
    const failed = new Map<string, string>();
    for (const t of xray)
      forEachSpan(
        t,
        (s) => void (s.name === 'reserveLines' && (s.fault || s.error || s.throttle) && failed.set(s.id, t.id)),
      );
    assert.equal(lines.failing.length, Math.min(5, failed.size));
    for (const f of lines.failing) {
      assert.equal(failed.get(f.spanId), f.traceId);
      assert.ok(f.fault || f.error || f.throttle);
    }
    // The orders segment's cause only points at the subsegment that threw: the message is followed.
    const orders = stats.summary('orders', 'orders', window, { end: window.end })!;
    assert.ok(
      orders.exceptions.some((e) => e.message === 'payment declined for c-declined: card expired'),
      JSON.stringify(orders.exceptions),
    );
    assert.ok(
      orders.failing.length > 0 && orders.failing.every((f, i, all) => i === 0 || all[i - 1]!.time >= f.time),
      'latest failing first',
    );
    const reviews = stats.summary('catalog', 'GET /products/:id/reviews', window, { end: window.end })!;
    assert.ok(reviews.faults > 0);
    assert.ok(
      stats
        .summary('catalog', 'catalog.reviews', window, { end: window.end })!
        .exceptions[0]!.message.startsWith('reviews for p-grinder are unavailable'),
    );
  });

  it('does not count in-progress spans, and counts the completed document once it arrives', () => {
    const docs = xrayDocuments();
    const inProgress = docs.find((d) => d.inProgress && d.type === 'segment')!;
    const traceId = inProgress.traceId;
    // The trace as it looked before the completed segment arrived.
    const early = assembleTraces(
      docs.filter((d) => d.traceId === traceId && !(d.id === inProgress.id && !d.inProgress)),
    )[0]!;
    const full = assembleTraces(xrayDocuments().filter((d) => d.traceId === traceId))[0]!;
    const window = windowOver([full]);
    const stats = new OperationStats();
    stats.add(early);
    assert.equal(stats.summary(inProgress.name, inProgress.name, window, { end: window.end }), undefined);
    const subsBefore = stats.query(window, { end: window.end }).reduce((a, s) => a + s.calls, 0);
    stats.add(full);
    assert.equal(stats.summary(inProgress.name, inProgress.name, window, { end: window.end })?.calls, 1);
    let completed = 0;
    forEachSpan(full, (s) => void (completed += s.inProgress ? 0 : 1));
    assert.equal(
      stats.query(window, { end: window.end }).reduce((a, s) => a + s.calls, 0),
      completed,
    );
    assert.ok(completed > subsBefore);
  });

  it('counts a trace added twice (re-fetched) once', () => {
    const stats = new OperationStats();
    stats.addMany(xray);
    const window = windowOver(xray);
    const once = stats.query(window, { end: window.end });
    stats.addMany(xrayTraces());
    stats.addMany(xrayTraces());
    const thrice = stats.query(window, { end: window.end });
    assert.deepEqual(thrice, once);
  });
});
