// Picks the store: SQLite at the given path, or, when that cannot be had, memory with one clear
// message, so the collector and the extension keep working.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type TraceStore } from './store';
import { SqliteStore, StoreOpenError } from './sqliteStore';

/**
 * The default store file, shared by the extension and the CLI: TRACE_LENS_DB, else the user's data
 * folder (XDG_DATA_HOME or ~/.local/share on Linux, Application Support on macOS, LOCALAPPDATA on Windows).
 */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.TRACE_LENS_DB) return env.TRACE_LENS_DB;
  const home = env.HOME ?? homedir();
  const base =
    platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_DATA_HOME ?? join(home, '.local', 'share'));
  return join(base, 'trace-lens', 'traces.db');
}

/** Opens the store at path; on failure returns a MemoryStore and says why through warn (once). */
export function openStore(
  path: string,
  warn: (message: string) => void,
  info: (message: string) => void = () => undefined,
): TraceStore {
  try {
    return new SqliteStore(path, info);
  } catch (e) {
    const why = e instanceof StoreOpenError || e instanceof Error ? e.message : String(e);
    warn(`Trace Lens keeps traces in memory for now: ${why}. Traces received now are lost when it stops.`);
    return new MemoryStore();
  }
}
