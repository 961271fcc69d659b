// The real SDK fixtures (aws-xray-sdk-core and OpenTelemetry JS), parsed and assembled as the
// extension does, for the statistics tests.
import { assembleTraces } from '../../../../src/model/assemble';
import { splitDatagram } from '../../../../src/model/datagram';
import { convertOtlpTraces } from '../../../../src/model/otlp';
import { decodeOtlpTraceRequest } from '../../../../src/model/otlpProtobuf';
import { Repairs } from '../../../../src/model/repairs';
import { parseSegmentJson } from '../../../../src/model/segmentDocument';
import type { Span, Trace } from '../../../../src/model/trace';
import { otlpBodies, xrayDatagrams } from '../../fixtures';

/** Every document the X-Ray SDK sent, parsed (in-progress versions included). */
export function xrayDocuments(): Span[] {
  return xrayDatagrams().map((d, i) => {
    const split = splitDatagram(d);
    if (!split.ok) throw new Error(`datagram ${i}`);
    const s = parseSegmentJson(split.document, new Repairs());
    if (!s) throw new Error(`datagram ${i} did not parse`);
    return s;
  });
}

/** Every span the OpenTelemetry SDK exported, converted to the model. */
export function otelSpans(): Span[] {
  return otlpBodies().flatMap((b) =>
    convertOtlpTraces(
      b.contentType.includes('protobuf') ? decodeOtlpTraceRequest(b.body) : JSON.parse(b.body.toString('utf8')),
      new Repairs(),
    ),
  );
}

/** The X-Ray SDK's traces, assembled. */
export const xrayTraces = (): Trace[] => assembleTraces(xrayDocuments());
/** The OpenTelemetry SDK's traces, assembled. */
export const otelTraces = (): Trace[] => assembleTraces(otelSpans());
