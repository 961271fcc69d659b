// Reads the trace files users have: `aws xray batch-get-traces` output, segment documents (one
// JSON document, an array, or JSON lines; daemon datagrams too), and OTLP/JSON exports.
import { splitDatagram } from './datagram';
import { convertOtlpTraces } from './otlp';
import { Repairs } from './repairs';
import { parseSegmentDocument } from './segmentDocument';
import type { Span } from './trace';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a file held. */
export interface TraceFileResult {
  readonly spans: Span[];
  readonly format: 'batch-get-traces' | 'otlp-json' | 'segment-documents' | 'empty';
  readonly repairs: Repairs;
}

/** Spans of a batch-get-traces answer (`{"Traces":[{"Id","Segments":[{"Id","Document"}]}]}`). */
export function parseBatchGetTraces(value: Obj, repairs: Repairs): Span[] {
  const out: Span[] = [];
  const traces = Array.isArray(value.Traces) ? value.Traces : [];
  traces.forEach((t, ti) => {
    if (!isObj(t) || !Array.isArray(t.Segments))
      return repairs.error('trace without Segments, left out', `Traces[${ti}]`);
    t.Segments.forEach((seg, si) => {
      const where = `Traces[${ti}].Segments[${si}]`;
      if (!isObj(seg)) return repairs.error('segment entry is not an object, left out', where);
      let doc: unknown = seg.Document;
      if (typeof doc === 'string') {
        try {
          doc = JSON.parse(doc);
        } catch {
          return repairs.error('segment Document is not JSON, left out', where);
        }
      }
      const span = parseSegmentDocument(doc, repairs, where);
      if (span) out.push(span);
    });
  });
  return out;
}

function fromValue(value: unknown, repairs: Repairs, where: string, out: Span[]): TraceFileResult['format'] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => void fromValue(v, repairs, `${where}[${i}]`, out));
    return 'segment-documents';
  }
  if (isObj(value) && Array.isArray(value.Traces)) {
    out.push(...parseBatchGetTraces(value, repairs));
    return 'batch-get-traces';
  }
  if (isObj(value) && Array.isArray(value.resourceSpans)) {
    out.push(...convertOtlpTraces(value, repairs));
    return 'otlp-json';
  }
  if (typeof value === 'string') {
    // A datagram kept as a string (header, newline, document).
    const d = splitDatagram(value);
    if (!d.ok) {
      repairs.error(d.message, where);
      return 'segment-documents';
    }
    try {
      value = JSON.parse(d.document);
    } catch {
      repairs.error('datagram document is not JSON, left out', where);
      return 'segment-documents';
    }
  }
  const span = parseSegmentDocument(value, repairs, where);
  if (span) out.push(span);
  return 'segment-documents';
}

const isDaemonHeader = (v: unknown): boolean => isObj(v) && v.format === 'json' && !('trace_id' in v);

/** Parses a trace file's text in any of the supported formats; bad parts are reported, never thrown. */
export function parseTraceFile(text: string, name = 'file'): TraceFileResult {
  const repairs = new Repairs();
  const spans: Span[] = [];
  const trimmed = text.trim();
  if (trimmed === '') return { spans, format: 'empty', repairs };
  try {
    const value: unknown = JSON.parse(trimmed);
    return { spans, format: fromValue(value, repairs, name, spans), repairs };
  } catch {
    // Not one JSON value: JSON lines, where a daemon header line applies to the line after it.
  }
  let format: TraceFileResult['format'] = 'segment-documents';
  const lines = trimmed.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      repairs.error(`line is not JSON (${e instanceof Error ? e.message : String(e)}), left out`, `${name}:${i + 1}`);
      continue;
    }
    if (isDaemonHeader(value)) continue;
    const f = fromValue(value, repairs, `${name}:${i + 1}`, spans);
    if (f !== 'segment-documents') format = f;
  }
  return { spans, format, repairs };
}
