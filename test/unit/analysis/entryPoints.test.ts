// Entry points counted as operations: the sample shop's Express routes against the segments the
// real X-Ray SDK recorded (figures equal to nearest rank over the matching segments, found here
// with a plain regular expression), and Lambda invocations and cold starts of a SAM template's
// function, in the segment shape AWS documents for Lambda (the Lambda service writes those
// segments itself, so no SDK here can record them).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { entrySamples } from '../../../src/analysis/entryPoints';
import { OperationStats } from '../../../src/analysis/stats/operationStats';
import { assembleTraces } from '../../../src/model/assemble';
import { Repairs } from '../../../src/model/repairs';
import { parseSegmentDocument } from '../../../src/model/segmentDocument';
import type { Span, Trace } from '../../../src/model/trace';
import { coldStartOperation, entryMatcher, invocationOperation } from '../../../src/mapping/routes/entryMatcher';
import { readTemplate } from '../../../src/mapping/routes/templates';
import { scanWorkspaceRoutes } from '../../../src/mapping/routes/workspace';
import { repoRoot } from '../../harness/paths';
import { xrayTraces } from './stats/realTraces';
import { referenceRank } from './stats/synthetic';

const windowOver = (traces: Trace[]) => {
  const end = Math.max(...traces.map((t) => t.endTime ?? t.startTime)) + 60;
  return { start: end - 7 * 86_400, end };
};

describe('analysis/entryPoints', () => {
  it('counts the sample shop segments under the Express route they hit, with exact figures', async () => {
    const declared = await scanWorkspaceRoutes(join(repoRoot, 'sample'));
    const traces = xrayTraces();
    const stats = new OperationStats();
    const samples = entrySamples(
      entryMatcher({ routes: declared.routes, functions: declared.functions.map((f) => f.fn) }),
    );
    for (const t of traces) stats.add(t, samples);
    const window = windowOver(traces);

    // Independently: orders segments whose URL path is /orders/<one segment>, GET.
    const raw: number[] = [];
    let failed = 0;
    for (const t of traces) {
      for (const s of t.segments) {
        const url = s.http?.request?.url ?? '';
        if (
          s.name !== 'orders' ||
          s.inProgress ||
          s.endTime === undefined ||
          s.http?.request?.method !== 'GET' ||
          !/^(?:https?:\/\/[^/]+)?\/orders\/[^/?#]+(?:[?#].*)?$/.test(url)
        )
          continue;
        raw.push((s.endTime - s.startTime) * 1000);
        if (s.error || s.fault || s.throttle) failed++;
      }
    }
    assert.ok(raw.length >= 3, `the fixtures hold GET /orders/:id requests (${raw.length})`);
    raw.sort((a, b) => a - b);
    const sum = stats.summary('orders', 'GET /orders/:id', window, { minSamples: 1 });
    assert.ok(
      sum,
      `an operation for GET /orders/:id among ${stats
        .operations()
        .map((o) => `${o.service}/${o.name}`)
        .join(', ')}`,
    );
    assert.equal(sum.calls, raw.length);
    assert.equal(sum.failed, failed);
    assert.equal(sum.p50Ms, referenceRank(raw, 500));
    assert.equal(sum.p99Ms, referenceRank(raw, 990));
    assert.equal(sum.maxMs, raw[raw.length - 1]);

    // The more specific route wins: /orders/:id/invoice is not counted under /orders/:id.
    const names = new Set(stats.operations().map((o) => `${o.service}/${o.name}`));
    for (const n of ['orders/POST /checkout', 'inventory/POST /reserve'])
      assert.ok(names.has(n), `${n} in ${[...names].join(', ')}`);
    for (const n of names)
      assert.ok(
        !n.startsWith('inventory/GET /orders'),
        `a route of orders is not matched on inventory's segments (${n})`,
      );
  });

  it('counts Lambda invocations, cold starts and errors of a template function, on its function segment', () => {
    const template = readTemplate(
      '/ws/template.yaml',
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  OrdersFunction:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      FunctionName: shop-orders',
        '      Handler: src/orders.handler',
        '      Runtime: nodejs20.x',
        '      CodeUri: .',
        '  OtherFunction:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      FunctionName: shop-other',
        '      Handler: src/other.handler',
        '      Runtime: nodejs20.x',
        '',
      ].join('\n'),
    )!;
    assert.equal(template.functions.length, 2);
    const t0 = Math.floor(Date.now() / 1000) - 600;
    const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
    // Per the X-Ray developer guide: the service segment (AWS::Lambda) and the function segment
    // (AWS::Lambda::Function, its child) with Initialization on a cold start, Invocation, Overhead.
    const invocation = (i: number, cold: boolean, ms: number, error: boolean): Span[] => {
      const traceId = `1-${hex(t0 + i, 8)}-${hex(i + 1, 24)}`;
      const start = t0 + i;
      const initMs = cold ? 180 : 0;
      const end = start + (initMs + ms) / 1000;
      const svc = {
        trace_id: traceId,
        id: hex(i * 4 + 1, 16),
        name: 'shop-orders',
        origin: 'AWS::Lambda',
        start_time: start,
        end_time: end + 0.002,
        http: { response: { status: 200 } },
        aws: { request_id: `r${i}` },
      };
      const subs = [
        ...(cold
          ? [{ id: hex(i * 4 + 3, 16), name: 'Initialization', start_time: start, end_time: start + initMs / 1000 }]
          : []),
        {
          id: hex(i * 4 + 4, 16),
          name: 'Invocation',
          start_time: start + initMs / 1000,
          end_time: end,
          ...(error ? { error: true } : {}),
        },
      ];
      const fn = {
        trace_id: traceId,
        id: hex(i * 4 + 2, 16),
        parent_id: svc.id,
        name: 'shop-orders',
        origin: 'AWS::Lambda::Function',
        start_time: start,
        end_time: end,
        subsegments: subs,
        ...(error ? { error: true } : {}),
      };
      return [svc, fn].map((d) => parseSegmentDocument(d, new Repairs())!);
    };
    const docs = [
      invocation(0, true, 40, false),
      invocation(1, false, 20, false),
      invocation(2, false, 30, true),
      invocation(3, true, 50, false),
    ].flat();
    const traces = assembleTraces(docs);
    const stats = new OperationStats();
    const samples = entrySamples(entryMatcher({ routes: [], functions: template.functions }));
    for (const t of traces) stats.add(t, samples);
    const orders = template.functions.find((f) => f.id === 'OrdersFunction')!;
    const window = { start: t0 - 60, end: t0 + 600 };
    const inv = stats.summary('shop-orders', invocationOperation(orders), window, { minSamples: 1 })!;
    assert.equal(inv.calls, 4, 'one invocation per trace: the function segment, not also the service segment');
    assert.equal(inv.errors, 1);
    assert.ok(Math.abs(inv.maxMs - 230) < 0.01, `max ${inv.maxMs}`);
    const cold = stats.summary('shop-orders', coldStartOperation(orders), window, { minSamples: 1 })!;
    assert.equal(cold.calls, 2);
    assert.ok(Math.abs(cold.p50Ms - 180) < 0.01, `cold p50 ${cold.p50Ms}`);
    assert.equal(stats.operations().length, 2, 'nothing for the other function or the other segments');

    // With only the service segment (no function segment in the trace), the service segment counts.
    const only = assembleTraces(invocation(7, false, 25, false).filter((s) => s.origin === 'AWS::Lambda'));
    const s2 = new OperationStats();
    for (const t of only) s2.add(t, samples);
    assert.equal(s2.summary('shop-orders', invocationOperation(orders), window, { minSamples: 1 })?.calls, 1);
  });
});
