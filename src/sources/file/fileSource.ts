// A trace file opened as a source: `aws xray batch-get-traces` output, segment documents (one per
// line or an array, daemon datagrams too) or OTLP JSON, gzipped or not. Its documents go into an
// in-memory store answered by a local X-Ray API on a free loopback port, so the file is browsed,
// filtered and opened exactly as the local X-Ray's traces are.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LocalXRay } from '../../collector/localXRay';
import { MemoryStore } from '../../collector/store';
import { parseTraceFile } from '../../model/traceFile';
import type { Trace } from '../../model/trace';
import type { SummaryQuery, TraceSource, TraceSummaryRow } from '../traceSource';
import { localXRayClient, XRaySource } from '../xray/xraySource';

/** A trace file's text: gunzipped when it starts with gzip's magic bytes (throws when that fails). */
export function traceFileText(raw: Buffer): string {
  return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
}

/** Files larger than this are refused: the store holds them in memory. */
const maxFileBytes = 512 * 1024 * 1024;

/** A trace file, loaded. */
export class FileSource implements TraceSource {
  readonly label: string;

  private constructor(
    readonly path: string,
    private readonly xray: LocalXRay,
    private readonly source: XRaySource,
    /** The file's traces' time range, epoch seconds: the view shows the file whatever its age. */
    readonly range: { readonly start: number; readonly end: number },
    /** What the parser repaired or left out, one line each. */
    readonly repairs: readonly string[],
    readonly traceCount: number,
  ) {
    this.label = `Trace file ${basename(path)}`;
  }

  /** Reads and loads the file; rejects with one sentence when it cannot be read or holds no trace. */
  static async open(path: string): Promise<FileSource> {
    let raw: Buffer;
    try {
      const size = statSync(path).size;
      if (size > maxFileBytes)
        throw new Error(`it is ${Math.round(size / 1e6)} MB; the limit is ${maxFileBytes / 1e6} MB`);
      raw = readFileSync(path);
    } catch (e) {
      throw new Error(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    let text: string;
    try {
      text = traceFileText(raw);
    } catch (e) {
      throw new Error(`${path} looks gzipped but does not unzip: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
    const parsed = parseTraceFile(text, basename(path));
    if (parsed.spans.length === 0)
      throw new Error(
        `${basename(path)} holds no trace documents (${parsed.format}${parsed.repairs.lines().length ? `: ${parsed.repairs.lines()[0]}` : ''})`,
      );
    const store = new MemoryStore();
    const xray = new LocalXRay(store, { udp: false, api: { host: '127.0.0.1', port: 0 }, otlp: false });
    const status = await xray.start();
    if (status.api.state !== 'listening') {
      await xray.stop();
      throw new Error(
        `could not serve ${basename(path)}: ${status.api.state === 'failed' ? status.api.message : 'no API port'}`,
      );
    }
    xray.ingest.spans(parsed.spans);
    xray.ingest.flush();
    let start = Infinity;
    let end = -Infinity;
    for (const s of parsed.spans) {
      start = Math.min(start, s.startTime);
      end = Math.max(end, s.endTime ?? s.startTime);
    }
    const source = new XRaySource('file', localXRayClient(`http://127.0.0.1:${status.api.port}`));
    return new FileSource(
      path,
      xray,
      source,
      { start: Math.floor(start) - 1, end: Math.ceil(end) + 1 },
      parsed.repairs.lines(),
      store.traceCount(),
    );
  }

  summaries(q: SummaryQuery, signal?: AbortSignal): Promise<TraceSummaryRow[]> {
    return this.source.summaries(q, signal);
  }

  traces(ids: readonly string[], signal?: AbortSignal): Promise<Trace[]> {
    return this.source.traces(ids, signal);
  }

  dispose(): void {
    void this.xray.stop();
  }
}
