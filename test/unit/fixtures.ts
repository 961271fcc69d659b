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
  const manifest = JSON.parse(readFileSync(join(fixturesDir, 'otel-node', 'manifest.json'), 'utf8')) as { files: { file: string; contentType: string; contentEncoding: string | null }[] };
  return manifest.files.map((f) => {
    const raw = readFileSync(join(fixturesDir, 'otel-node', f.file));
    return { ...f, raw, body: f.contentEncoding === 'gzip' ? gunzipSync(raw) : raw };
  });
}
