// Real X-Ray SDK documents (test/fixtures/xray-sdk-node) copied into as many traces as a test needs,
// each moved to its own time with its own id, and a local X-Ray to serve them over HTTP.
import { LocalXRay } from '../../../src/collector/localXRay';
import { SqliteStore } from '../../../src/collector/sqliteStore';
import { splitDatagram } from '../../../src/model/datagram';
import { xrayDatagrams } from '../fixtures';

/** One fixture trace's documents, grouped by trace id, with its earliest start. */
function fixtureTraces(): { id: string; base: number; docs: string[] }[] {
  const byId = new Map<string, { id: string; base: number; docs: string[] }>();
  for (const d of xrayDatagrams()) {
    const doc = (splitDatagram(d) as { document: string }).document;
    const o = JSON.parse(doc) as { trace_id: string; start_time: number };
    let t = byId.get(o.trace_id);
    if (!t) byId.set(o.trace_id, (t = { id: o.trace_id, base: Infinity, docs: [] }));
    t.base = Math.min(t.base, o.start_time);
    t.docs.push(doc);
  }
  return [...byId.values()];
}

/** A copied trace: its new id and start (epoch seconds). */
export interface SpreadTrace {
  readonly id: string;
  readonly start: number;
}

/**
 * `count` traces spread evenly over the spanSec seconds before endSec (the first is the newest),
 * each a fixture trace with its times shifted and a new id whose time part matches its start.
 */
export function spreadTraces(
  count: number,
  endSec: number,
  spanSec: number,
): { docs: string[]; traces: SpreadTrace[] } {
  const fixtures = fixtureTraces();
  const docs: string[] = [];
  const traces: SpreadTrace[] = [];
  for (let i = 0; i < count; i++) {
    const f = fixtures[i % fixtures.length]!;
    const start = Math.floor((endSec - ((i + 0.5) * spanSec) / count) * 1000) / 1000;
    const shift = start - f.base;
    const id = `1-${Math.floor(start).toString(16).padStart(8, '0')}-${i.toString(16).padStart(8, '0')}${f.id.slice(19)}`;
    for (const d of f.docs) {
      docs.push(
        d
          .split(f.id)
          .join(id)
          .replace(
            /"(start_time|end_time)":(\d+(?:\.\d+)?)/g,
            (_m, k: string, v: string) => `"${k}":${(Number(v) + shift).toFixed(6)}`,
          ),
      );
    }
    traces.push({ id, start });
  }
  return { docs, traces };
}

/** A local X-Ray API (no UDP, no OTLP) over a SQLite store in dir, loaded with docs. */
export async function localXRayWith(
  dbPath: string,
  docs: readonly string[],
): Promise<{ xray: LocalXRay; endpoint: string }> {
  const xray = new LocalXRay(new SqliteStore(dbPath), { udp: false, otlp: false, api: { host: '127.0.0.1', port: 0 } });
  const s = await xray.start();
  if (s.api.state !== 'listening') throw new Error('the local X-Ray API did not start');
  for (const d of docs) {
    const why = xray.ingest.document(d);
    if (why) throw new Error(`fixture document refused: ${why}`);
  }
  xray.ingest.flush();
  return { xray, endpoint: `http://127.0.0.1:${s.api.port}` };
}

/** Stops the local X-Ray and closes its store. */
export async function stopLocalXRay(xray: LocalXRay): Promise<void> {
  await xray.stop();
  xray.store.close();
}

/** Counts per trace id how many times the local X-Ray served it (BatchGetTraces or ListRetrievedTraces). */
export function countServed(xray: LocalXRay): Map<string, number> {
  const served = new Map<string, number>();
  xray.api.probe = {
    ...xray.api.probe,
    served: (_op, ids) => ids.forEach((id) => served.set(id, (served.get(id) ?? 0) + 1)),
  };
  return served;
}
