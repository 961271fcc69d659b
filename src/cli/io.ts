// What every CLI command gets: output streams, the store, and the same errors.
import { defaultStorePath } from '../collector/openStore';
import { SqliteStore, loadSqlite } from '../collector/sqliteStore';

/** The command's output. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** A failure to report in one line, exit code 1. */
export class CliError extends Error {}

/** The minimum Node for the store. */
export const minimumNode = '22.13';

/** Opens the SQLite store at --db (or the default shared with the extension). */
export function openCliStore(db: string | undefined, io: Io): SqliteStore {
  if (!loadSqlite())
    throw new CliError(
      `trace-lens needs Node ${minimumNode} or later for its trace store (node:sqlite); this is Node ${process.versions.node}`,
    );
  return new SqliteStore(db ?? defaultStorePath(), (m) => io.err(`${m}\n`));
}
