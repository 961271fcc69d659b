// The model against what the real aws-xray-sdk-core and OpenTelemetry JS SDK sent.
import * as assert from 'node:assert/strict';
import { assembleTraces, forEachSpan } from '../../../src/model/assemble';
import { splitDatagram } from '../../../src/model/datagram';
import { convertOtlpTraces } from '../../../src/model/otlp';
import { decodeOtlpTraceRequest } from '../../../src/model/otlpProtobuf';
import { Repairs } from '../../../src/model/repairs';
import { parseSegmentJson } from '../../../src/model/segmentDocument';
import { parseTraceFile } from '../../../src/model/traceFile';
import { toSegmentDocument } from '../../../src/model/toDocument';
import type { Span } from '../../../src/model/trace';
import { otlpBodies, xrayDatagrams } from '../fixtures';

function xraySpans(repairs = new Repairs()): Span[] {
  return xrayDatagrams().map((d, i) => {
    const split = splitDatagram(d);
    assert.ok(split.ok, `datagram ${i}`);
    const s = parseSegmentJson(split.document, repairs, `datagram ${i}`);
    assert.ok(s, `datagram ${i}: ${repairs.lines().join('; ')}`);
    return s;
  });
}

describe('model with real X-Ray SDK output (aws-xray-sdk-core)', () => {
  it('parses every datagram without losing one', () => {
    const repairs = new Repairs();
    const spans = xraySpans(repairs);
    assert.equal(spans.length, xrayDatagrams().length);
    assert.equal(repairs.errors, 0, repairs.lines().join('\n'));
  });

  it('assembles traces that span both services, with streamed subsegments attached and no orphans', () => {
    const traces = assembleTraces(xraySpans());
    assert.ok(traces.length >= 10);
    const crossService = traces.filter((t) => new Set(t.segments.map((s) => s.name)).size >= 2);
    assert.ok(crossService.length > 0, 'some trace has segments of two services');
    assert.deepEqual(
      traces.flatMap((t) => t.orphans.map((o) => o.name)),
      [],
    );
    const streamed = xraySpans().filter((s) => s.type === 'subsegment');
    assert.ok(streamed.length > 0, 'the SDK streamed subsegments');
    for (const t of traces) {
      const ids = new Set<string>();
      forEachSpan(t, (s) => ids.add(s.id));
      for (const s of streamed.filter((x) => x.traceId === t.id)) assert.ok(ids.has(s.id));
    }
  });

  it('keeps faults with their exception and stack frames, annotations and metadata', () => {
    const spans: Span[] = [];
    for (const t of assembleTraces(xraySpans())) forEachSpan(t, (s) => void spans.push(s));
    const withCause = spans.filter((s) => s.cause?.exceptions.some((e) => e.stack.length > 0));
    assert.ok(withCause.length > 0);
    assert.ok(spans.some((s) => s.fault));
    assert.ok(
      spans.some(
        (s) =>
          s.error &&
          s.http?.response?.status !== undefined &&
          s.http.response.status >= 400 &&
          s.http.response.status < 500,
      ),
    );
    assert.ok(spans.some((s) => Object.keys(s.annotations).length > 0));
    assert.ok(spans.some((s) => Object.keys(s.metadata).length > 0));
  });

  it('round-trips documents through toSegmentDocument', () => {
    for (const s of xraySpans()) {
      const again = parseSegmentJson(JSON.stringify(toSegmentDocument(s)), new Repairs())!;
      // Compared as JSON: a field left undefined and a field left out are the same document.
      assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(JSON.stringify(s)));
    }
  });

  it('reads the same datagrams as a JSON file (import)', () => {
    const r = parseTraceFile(JSON.stringify(xrayDatagrams()));
    assert.equal(r.spans.length, xrayDatagrams().length);
    assert.equal(r.repairs.errors, 0);
  });
});

describe('model with real OpenTelemetry JS output (OTLP JSON and protobuf)', () => {
  const bodies = otlpBodies();
  const decode = (b: (typeof bodies)[number]) =>
    b.contentType.includes('protobuf') ? decodeOtlpTraceRequest(b.body) : JSON.parse(b.body.toString('utf8'));

  it('has both encodings, and gzip, among the fixtures', () => {
    assert.ok(bodies.some((b) => b.contentType === 'application/json'));
    assert.ok(bodies.some((b) => b.contentType === 'application/x-protobuf'));
    assert.ok(bodies.some((b) => b.contentEncoding === 'gzip'));
  });

  it('converts every span, keeping kind and attributes, with server spans as segments', () => {
    for (const b of bodies) {
      const repairs = new Repairs();
      const spans = convertOtlpTraces(decode(b), repairs);
      assert.ok(spans.length > 0, b.file);
      assert.equal(repairs.errors, 0, `${b.file}: ${repairs.lines().join('; ')}`);
      for (const s of spans) {
        assert.match(s.traceId, /^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
        assert.ok(s.spanKind && s.attributes, b.file);
        if (s.spanKind === 'SERVER') assert.equal(s.type, 'segment');
      }
    }
  });

  it('decodes protobuf to the same spans as the JSON exporter would give (ids, times, attributes)', () => {
    const proto = bodies.filter((b) => b.contentType.includes('protobuf'));
    for (const b of proto) {
      const spans = convertOtlpTraces(decodeOtlpTraceRequest(b.body), new Repairs());
      for (const s of spans) {
        assert.match(s.id, /^[0-9a-f]{16}$/);
        assert.ok(s.startTime > 1.6e9 && s.startTime < 2.2e9, `start ${s.startTime}`);
        assert.ok(s.endTime! >= s.startTime);
      }
    }
  });

  it('keeps code.* attributes, recorded exceptions with frames, and error status', () => {
    const spans = bodies.flatMap((b) => convertOtlpTraces(decode(b), new Repairs()));
    assert.ok(
      spans.some(
        (s) => s.attributes?.['code.function'] !== undefined || s.attributes?.['code.function.name'] !== undefined,
      ),
    );
    const failed = spans.filter((s) => s.cause?.exceptions.length);
    assert.ok(failed.length > 0);
    assert.ok(failed.some((s) => s.cause!.exceptions[0]!.stack.some((f) => f.line !== undefined && f.path)));
    assert.ok(spans.some((s) => s.fault || s.error));
  });

  it('assembles OTLP spans into whole traces', () => {
    const spans = bodies.flatMap((b) => convertOtlpTraces(decode(b), new Repairs()));
    const traces = assembleTraces(spans);
    assert.ok(traces.length > 0);
    assert.ok(traces.some((t) => t.segments.length >= 1 && t.segments[0]!.subsegments.length > 0));
  });

  it('refuses truncated and wrong-encoding bodies with a clear error, never a crash', () => {
    const proto = bodies.find((b) => b.contentType.includes('protobuf'))!;
    assert.throws(
      () => decodeOtlpTraceRequest(proto.body.subarray(0, proto.body.length - 7)),
      /truncated|runs past|wire type/,
    );
    const json = bodies.find((b) => b.contentType === 'application/json')!;
    assert.throws(() => decodeOtlpTraceRequest(json.body));
    const repairs = new Repairs();
    assert.deepEqual(convertOtlpTraces({ resourceSpans: 'nope' }, repairs), []);
    assert.equal(repairs.errors, 1);
  });
});
