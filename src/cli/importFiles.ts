// `trace-lens import`: trace files into the store, saying what was loaded and repaired.
import { readFileSync } from 'node:fs';
import { Ingest } from '../collector/ingest';
import { parseTraceFile } from '../model/traceFile';
import { traceFileText } from '../sources/file/fileSource';
import { parseArgs, UsageError } from './args';
import { openCliStore, type Io } from './io';

/** Usage of import. */
export const importUsage = `trace-lens import [--db FILE] FILE...
  Loads segment documents (.json, .jsonl: one document or datagram per line), 'aws xray
  batch-get-traces' output, or OTLP JSON (.gz too) into the store.`;

/** Runs import; exit code 1 when a file could not be read or held nothing usable. */
export async function importFiles(argv: string[], io: Io): Promise<number> {
  const a = parseArgs(argv, { value: ['db'], bool: [] });
  if (a.positionals.length === 0) throw new UsageError('import needs at least one FILE');
  const store = openCliStore(a.flags.get('db'), io);
  const ingest = new Ingest(store, { maxBatch: 5000, flushMs: 1_000_000 });
  let failed = 0;
  try {
    for (const file of a.positionals) {
      let text: string;
      try {
        const raw = readFileSync(file);
        text = traceFileText(raw);
      } catch (e) {
        io.err(`${file}: cannot read (${e instanceof Error ? e.message : String(e)})\n`);
        failed++;
        continue;
      }
      const r = parseTraceFile(text, file);
      ingest.spans(r.spans);
      ingest.flush();
      const traces = new Set(r.spans.map((s) => s.traceId)).size;
      io.out(`${file}: ${r.spans.length} documents in ${traces} traces (${r.format})\n`);
      for (const line of r.repairs.lines()) io.out(`  ${line}\n`);
      if (r.spans.length === 0) failed++;
    }
  } finally {
    ingest.close();
    io.out(`store ${store.path}: ${store.traceCount()} traces\n`);
    store.close();
  }
  return failed ? 1 : 0;
}
