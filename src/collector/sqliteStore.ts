// The SQLite store (node:sqlite): WAL so readers (the CLI, a second window) never block the
// collector, one transaction per batch so a crash loses at most the batch in flight, and a schema
// version with migrations.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { addDocument, newAggregate, type TraceAggregate } from './traceAggregate';
import {
  traceIdTime,
  type IncomingDocument,
  type Retention,
  type SummaryPage,
  type TimeRangeType,
  type TraceStore,
} from './store';

/** The schema version this code writes. */
export const schemaVersion = 1;

/** Migrations from version i to i+1, in order; index 0 creates the schema. */
const migrations: string[] = [
  `CREATE TABLE traces (
     id TEXT PRIMARY KEY,
     start REAL NOT NULL,
     id_time REAL NOT NULL,
     bytes INTEGER NOT NULL,
     aggregate TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX traces_by_start ON traces (start, id);
   CREATE INDEX traces_by_id_time ON traces (id_time, id);
   CREATE TABLE documents (
     trace_id TEXT NOT NULL,
     id TEXT NOT NULL,
     in_progress INTEGER NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (trace_id, id)
   ) WITHOUT ROWID;`,
];

/** node:sqlite's module, or undefined on a runtime without it (Node < 22.5, or an Electron built without it). */
export function loadSqlite(): typeof import('node:sqlite') | undefined {
  // Node 22 prints an ExperimentalWarning when node:sqlite loads; it says nothing a user can act on.
  const emit = process.emitWarning;
  process.emitWarning = ((w: string | Error, ...rest: unknown[]) => {
    if (!String(typeof w === 'string' ? w : w.message).includes('SQLite'))
      (emit as (...a: unknown[]) => void).call(process, w, ...rest);
  }) as typeof process.emitWarning;
  try {
    // A plain require, so a runtime without the module is a value here, not a failed bundle import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node:sqlite') as typeof import('node:sqlite');
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emit;
  }
}

/** Why a store file could not be opened, in words for the user. */
export class StoreOpenError extends Error {}

/** A SQLite-backed TraceStore. */
export class SqliteStore implements TraceStore {
  readonly kind = 'sqlite';
  private readonly db: DatabaseSync;
  private readonly stmt: Record<
    | 'getDoc'
    | 'putDoc'
    | 'getAgg'
    | 'putAgg'
    | 'docs'
    | 'count'
    | 'oldest'
    | 'deleteTrace'
    | 'deleteDocs'
    | 'totalBytes'
    | 'olderThan',
    StatementSync
  >;
  private readonly summaryStmts = new Map<string, StatementSync>();

  /** Opens (creating if needed) the store at path; a corrupt file is moved aside, never deleted. */
  constructor(
    readonly path: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    const sqlite = loadSqlite();
    if (!sqlite)
      throw new StoreOpenError('this runtime has no node:sqlite (Node 22.13 or later, VS Code 1.105 or later)');
    mkdirSync(dirname(path), { recursive: true });
    this.db = this.open(sqlite);
    this.stmt = {
      getDoc: this.db.prepare('SELECT in_progress FROM documents WHERE trace_id = ? AND id = ?'),
      putDoc: this.db.prepare(
        'INSERT INTO documents (trace_id, id, in_progress, body) VALUES (?, ?, ?, ?) ON CONFLICT (trace_id, id) DO UPDATE SET in_progress = excluded.in_progress, body = excluded.body',
      ),
      getAgg: this.db.prepare('SELECT aggregate FROM traces WHERE id = ?'),
      putAgg: this.db.prepare(
        'INSERT INTO traces (id, start, id_time, bytes, aggregate) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET start = excluded.start, bytes = excluded.bytes, aggregate = excluded.aggregate',
      ),
      docs: this.db.prepare('SELECT body FROM documents WHERE trace_id = ?'),
      count: this.db.prepare('SELECT count(*) AS n FROM traces'),
      oldest: this.db.prepare('SELECT id, bytes FROM traces ORDER BY start LIMIT ?'),
      deleteTrace: this.db.prepare('DELETE FROM traces WHERE id = ?'),
      deleteDocs: this.db.prepare('DELETE FROM documents WHERE trace_id = ?'),
      totalBytes: this.db.prepare('SELECT coalesce(sum(bytes), 0) AS n FROM traces'),
      olderThan: this.db.prepare('SELECT id FROM traces WHERE start < ? LIMIT 1000'),
    };
  }

  private open(sqlite: typeof import('node:sqlite')): DatabaseSync {
    const attempt = () => {
      const db = new sqlite.DatabaseSync(this.path, { timeout: 5000 });
      try {
        db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
        this.migrate(db);
        return db;
      } catch (e) {
        db.close();
        throw e;
      }
    };
    try {
      return attempt();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (/not a database|malformed|corrupt/i.test(message) && existsSync(this.path)) {
        const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        renameSync(this.path, aside);
        for (const suffix of ['-wal', '-shm'])
          if (existsSync(this.path + suffix)) renameSync(this.path + suffix, aside + suffix);
        this.log(
          `The trace store ${this.path} was corrupt (${message}); it was moved to ${aside} and a new store was started.`,
        );
        return attempt();
      }
      if (/readonly|read-only|permission|EACCES|unable to open/i.test(message)) {
        throw new StoreOpenError(
          `cannot write the trace store ${this.path} (${message}); check its permissions or choose another file`,
        );
      }
      throw new StoreOpenError(`cannot open the trace store ${this.path}: ${message}`);
    }
  }

  private migrate(db: DatabaseSync): void {
    const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    if (version > schemaVersion) {
      throw new StoreOpenError(
        `the trace store ${this.path} has schema ${version}, written by a newer Trace Lens (this one reads ${schemaVersion}); update Trace Lens or choose another file`,
      );
    }
    // A write check up front: a read-only file fails here with a clear message, not at the first trace.
    db.exec('BEGIN IMMEDIATE');
    try {
      for (let v = version; v < schemaVersion; v++) db.exec(migrations[v]!);
      db.exec(`PRAGMA user_version = ${schemaVersion}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }

  put(docs: readonly IncomingDocument[]): { stored: number; traces: string[] } {
    const aggs = new Map<string, TraceAggregate>();
    let stored = 0;
    this.db.exec('BEGIN');
    try {
      for (const { span, json } of docs) {
        const prev = this.stmt.getDoc.get(span.traceId, span.id) as { in_progress: number } | undefined;
        if (prev && prev.in_progress === 0 && span.inProgress) continue;
        this.stmt.putDoc.run(span.traceId, span.id, span.inProgress ? 1 : 0, json);
        let agg = aggs.get(span.traceId);
        if (!agg) {
          const row = this.stmt.getAgg.get(span.traceId) as { aggregate: string } | undefined;
          agg = row ? (JSON.parse(row.aggregate) as TraceAggregate) : newAggregate(span.traceId);
          if (agg.start === null) agg.start = Infinity;
          aggs.set(span.traceId, agg);
        }
        addDocument(agg, span, json.length, prev !== undefined);
        stored++;
      }
      for (const agg of aggs.values()) {
        this.stmt.putAgg.run(agg.id, agg.start, traceIdTime(agg.id) ?? agg.start, agg.bytes, JSON.stringify(agg));
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    return { stored, traces: [...aggs.keys()] };
  }

  summaries(q: {
    start: number;
    end: number;
    timeRangeType?: TimeRangeType;
    limit: number;
    cursor?: string;
  }): SummaryPage {
    const col = q.timeRangeType === 'TraceId' ? 'id_time' : 'start';
    const bar = q.cursor ? q.cursor.indexOf('|') : -1;
    const after = bar > 0 ? { at: Number(q.cursor!.slice(0, bar)), id: q.cursor!.slice(bar + 1) } : undefined;
    const key = `${col}|${after ? 'after' : 'first'}`;
    let stmt = this.summaryStmts.get(key);
    if (!stmt) {
      const where = after ? `AND (${col} < ? OR (${col} = ? AND id < ?))` : '';
      stmt = this.db.prepare(
        `SELECT ${col} AS at, aggregate FROM traces WHERE ${col} >= ? AND ${col} <= ? ${where} ORDER BY ${col} DESC, id DESC LIMIT ?`,
      );
      this.summaryStmts.set(key, stmt);
    }
    const params: (number | string)[] = [q.start, q.end];
    if (after) params.push(after.at, after.at, after.id);
    params.push(q.limit + 1);
    const rows = stmt.all(...params) as { at: number; aggregate: string }[];
    const page = rows.slice(0, q.limit).map((r) => ({ at: r.at, agg: JSON.parse(r.aggregate) as TraceAggregate }));
    const last = page[page.length - 1];
    return {
      items: page.map((p) => p.agg),
      next: rows.length > q.limit && last ? `${last.at}|${last.agg.id}` : undefined,
    };
  }

  aggregate(traceId: string): TraceAggregate | undefined {
    const row = this.stmt.getAgg.get(traceId) as { aggregate: string } | undefined;
    return row ? (JSON.parse(row.aggregate) as TraceAggregate) : undefined;
  }

  documents(traceId: string): string[] {
    return (this.stmt.docs.all(traceId) as { body: string }[]).map((r) => r.body);
  }

  traceCount(): number {
    return Number((this.stmt.count.get() as { n: number }).n);
  }

  private deleteTraces(ids: string[]): void {
    this.db.exec('BEGIN');
    try {
      for (const id of ids) {
        this.stmt.deleteDocs.run(id);
        this.stmt.deleteTrace.run(id);
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  applyRetention(retention: Retention, now = Date.now() / 1000): number {
    let removed = 0;
    if (retention.maxAgeHours > 0) {
      for (;;) {
        const ids = (this.stmt.olderThan.all(now - retention.maxAgeHours * 3600) as { id: string }[]).map((r) => r.id);
        if (ids.length === 0) break;
        this.deleteTraces(ids);
        removed += ids.length;
      }
    }
    if (retention.maxMegabytes > 0) {
      const limit = retention.maxMegabytes * 1024 * 1024;
      let total = Number((this.stmt.totalBytes.get() as { n: number }).n);
      while (total > limit) {
        const rows = this.stmt.oldest.all(500) as { id: string; bytes: number }[];
        if (rows.length === 0) break;
        const ids: string[] = [];
        for (const r of rows) {
          if (total <= limit) break;
          ids.push(r.id);
          total -= r.bytes;
        }
        this.deleteTraces(ids);
        removed += ids.length;
      }
    }
    return removed;
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
