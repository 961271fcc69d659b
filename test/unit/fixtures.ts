// Reads the fixtures the real SDKs produced (sample/record-fixtures.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../harness/paths';

/** The repository's test/fixtures folder (tests run from out/test/...). */
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

/** The raw UDP datagrams aws-xray-sdk-core sent. */
export function xrayDatagrams(): string[] {
  return JSON.parse(readFileSync(join(fixturesDir, 'xray-sdk-node', 'datagrams.json'), 'utf8')) as string[];
}

/** One OTLP export the OpenTelemetry JS SDK sent. */
export interface OtlpBody {
  readonly file: string;
  readonly contentType: string;
  readonly contentEncoding: string | null;
  /** As sent on the wire (compressed when contentEncoding is gzip). */
  readonly raw: Buffer;
  /** Decompressed. */
  readonly body: Buffer;
}

/** Every OTLP body the OpenTelemetry JS SDK sent, in order. */
export function otlpBodies(): OtlpBody[] {
  const manifest = JSON.parse(readFileSync(join(fixturesDir, 'otel-node', 'manifest.json'), 'utf8')) as {
    files: { file: string; contentType: string; contentEncoding: string | null }[];
  };
  return manifest.files.map((f) => {
    const raw = readFileSync(join(fixturesDir, 'otel-node', f.file));
    return { ...f, raw, body: f.contentEncoding === 'gzip' ? gunzipSync(raw) : raw };
  });
}

/** A recorded X-Ray segment document: the fields tests move in time and pick traces by. */
export interface RecordedDoc {
  trace_id?: string;
  id?: string;
  name: string;
  type?: string;
  parent_id?: string;
  start_time?: number;
  end_time?: number;
  in_progress?: boolean;
  fault?: boolean;
  cause?: { exceptions?: { message?: string; stack?: { path?: string }[] }[] };
  subsegments?: RecordedDoc[];
}

/** The documents of the recorded datagrams, parsed. */
export function xrayDocuments(): RecordedDoc[] {
  return xrayDatagrams().map((d) => JSON.parse(d.slice(d.indexOf('\n') + 1)) as RecordedDoc);
}

/** Moves documents (in place) so the earliest starts agoSec before now: views and lenses look at recent windows. */
export function movedToNow(docs: RecordedDoc[], agoSec: number): RecordedDoc[] {
  const shift = Date.now() / 1000 - agoSec - Math.min(...docs.map((d) => d.start_time ?? Infinity));
  const move = (d: RecordedDoc) => {
    if (d.start_time) d.start_time += shift;
    if (d.end_time) d.end_time += shift;
    d.subsegments?.forEach(move);
  };
  docs.forEach(move);
  return docs;
}

/** A document as the daemon's UDP datagram. */
export const asDatagram = (d: RecordedDoc): string => `{"format":"json","version":1}\n${JSON.stringify(d)}`;

/** One recorded trace that failed inside the bundled inventory service, moved to now. */
export function failingTraceNow(): string[] {
  const has = (d: RecordedDoc, name: string): boolean =>
    (d.name === name && !!d.cause?.exceptions?.length) || (d.subsegments ?? []).some((s) => has(s, name));
  const byTrace = new Map<string, RecordedDoc[]>();
  for (const d of xrayDocuments()) byTrace.set(d.trace_id!, [...(byTrace.get(d.trace_id!) ?? []), d]);
  const docs = [...byTrace.values()].find(
    (ds) => ds.some((d) => d.name === 'inventory' && has(d, 'reserveLines')) && ds.some((d) => d.name === 'orders'),
  )!;
  return movedToNow(docs, 5).map(asDatagram);
}
