// Fills an index from a folder on disk: walks it with a bounded number of file operations in
// flight, skipping dependency, VCS and build-output folders, symbolic links and big files.
import { opendir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstrumentationIndex } from './instrumentationIndex';
import { languageOf } from './language';

/** Folder names never walked into: dependencies, VCS data, build output, virtual environments. */
export const excludedFolders: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'out',
  'build',
  '.venv',
  'venv',
  '__pycache__',
  'target',
  'bin',
  'obj',
  '.next',
  '.nuxt',
  'coverage',
  '.gradle',
  '.idea',
  '.vscode-test',
  'vendor',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
]);

/** Options of indexWorkspace. */
export interface IndexWorkspaceOptions {
  readonly signal?: AbortSignal;
  /** Return true to skip a file or folder, in addition to the built-in exclusions. */
  readonly exclude?: (path: string, isDirectory: boolean) => boolean;
  /** Larger files are skipped (generated or minified code); 1 MB unless given. */
  readonly maxFileBytes?: number;
  /** File operations in flight at once; 16 unless given. */
  readonly concurrency?: number;
}

/** What a walk did. */
export interface IndexWorkspaceResult {
  /** Files read into the index. */
  readonly files: number;
  /** Source files left out for their size or because they could not be read. */
  readonly skipped: number;
}

// Generated code that names no spans of the project's own, and declaration files that call nothing.
const generatedFile = /\.min\.[cm]?js$|\.d\.[cm]?ts$|\.bundle\.js$/;

/** Walks root and updates the index with every source file in it. Rejects with the signal's reason when aborted. */
export async function indexWorkspace(
  root: string,
  index: InstrumentationIndex,
  opts: IndexWorkspaceOptions = {},
): Promise<IndexWorkspaceResult> {
  const { signal, exclude, maxFileBytes = 1 << 20, concurrency = 16 } = opts;
  let files = 0;
  let skipped = 0;
  let active = 0;
  const waiting: (() => void)[] = [];
  /** Runs op when fewer than concurrency operations are in flight; a finished one hands its slot on. */
  const limited = async <T>(op: () => Promise<T>): Promise<T> => {
    if (active < concurrency) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      signal?.throwIfAborted();
      return await op();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };

  const indexFile = async (path: string): Promise<void> => {
    const text = await limited(async () => {
      try {
        if ((await stat(path)).size > maxFileBytes) return undefined;
        return await readFile(path, 'utf8');
      } catch {
        return undefined; // deleted or unreadable meanwhile
      }
    });
    signal?.throwIfAborted();
    if (text === undefined) skipped++;
    else {
      index.update(path, text);
      files++;
    }
  };

  const walk = async (dir: string): Promise<void> => {
    const entries = await limited(async () => {
      const out: { path: string; dir: boolean }[] = [];
      try {
        for await (const e of await opendir(dir)) {
          if (e.isDirectory()) {
            if (!excludedFolders.has(e.name)) out.push({ path: join(dir, e.name), dir: true });
          } else if (e.isFile() && languageOf(e.name) && !generatedFile.test(e.name))
            out.push({ path: join(dir, e.name), dir: false });
        }
      } catch {
        // An unreadable folder is left out, not fatal.
      }
      return out;
    });
    await Promise.all(
      entries.filter((e) => !exclude?.(e.path, e.dir)).map((e) => (e.dir ? walk(e.path) : indexFile(e.path))),
    );
  };

  signal?.throwIfAborted();
  await walk(root);
  return { files, skipped };
}
