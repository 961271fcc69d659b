// The workspace's files, as trace data may name them, and the guard that keeps every path taken
// from a trace or a source map inside a workspace folder.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Folders never indexed: dependencies, VCS data and build outputs. */
export const skippedFolders = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  'target',
  'bin',
  'obj',
  '.gradle',
  '.idea',
  '.vscode-test',
  '.next',
  'coverage',
]);

/** Whether child is root or inside it (both absolute and normalized). */
function inside(root: string, child: string): boolean {
  const r = relative(root, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** Workspace folders and an index of their files by the suffixes of their paths. */
export class WorkspaceFiles {
  /** Real paths of the roots (symlinks resolved), to compare with resolved file paths. */
  private readonly realRoots: string[];
  /** Relative paths (forward slashes) of indexed files by lower-cased basename. */
  private readonly byBasename = new Map<string, string[]>();
  private readonly rootOf = new Map<string, string>();
  private indexed = false;

  constructor(
    readonly roots: readonly string[],
    private readonly options: { maxFiles?: number; includeBuildOutput?: boolean } = {},
  ) {
    this.realRoots = roots.map((r) => {
      try {
        return realpathSync(r);
      } catch {
        return resolve(r);
      }
    });
  }

  /** The absolute path if it is a file inside a workspace folder (after resolving symlinks), else why not. */
  confine(path: string): { path: string } | { refused: string } {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) && !path.startsWith('file://'))
      return { refused: `${path} is a URL, not a workspace file` };
    const abs = resolve(path.startsWith('file://') ? decodeURIComponent(path.slice(7)) : path);
    if (!this.realRoots.some((r) => inside(r, abs)) && !this.roots.some((r) => inside(resolve(r), abs)))
      return { refused: `${path} is outside the workspace` };
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return { refused: `${path} does not exist` };
    }
    if (!this.realRoots.some((r) => inside(r, real)))
      return { refused: `${path} leads outside the workspace (symlink)` };
    try {
      if (!statSync(real).isFile()) return { refused: `${path} is not a file` };
    } catch {
      return { refused: `${path} cannot be read` };
    }
    return { path: abs };
  }

  private walk(): void {
    const max = this.options.maxFiles ?? 200_000;
    let count = 0;
    for (const root of this.roots) {
      const stack = [root];
      while (stack.length && count < max) {
        const dir = stack.pop()!;
        let entries: import('node:fs').Dirent[];
        try {
          entries = readdirSync(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        for (const e of entries) {
          if (e.isDirectory()) {
            if (!skippedFolders.has(e.name) && !e.name.startsWith('.')) stack.push(join(dir, e.name));
          } else if (e.isFile()) {
            const rel = relative(root, join(dir, e.name)).split(sep).join('/');
            this.add(root, rel);
            if (++count >= max) break;
          }
        }
      }
    }
    this.indexed = true;
  }

  private add(root: string, rel: string): void {
    const base = rel.slice(rel.lastIndexOf('/') + 1).toLowerCase();
    const list = this.byBasename.get(base);
    const key = `${root}\u0000${rel}`;
    if (this.rootOf.has(key)) return;
    this.rootOf.set(key, root);
    if (list) list.push(key);
    else this.byBasename.set(base, [key]);
  }

  /** Tells the index a file appeared (the extension's watcher calls this). */
  fileAdded(abs: string): void {
    const root = this.roots.find((r) => inside(resolve(r), abs));
    if (root && this.indexed) this.add(root, relative(root, abs).split(sep).join('/'));
  }

  /** Tells the index a file went away. */
  fileRemoved(abs: string): void {
    const root = this.roots.find((r) => inside(resolve(r), abs));
    if (!root) return;
    const rel = relative(root, abs).split(sep).join('/');
    const key = `${root}\u0000${rel}`;
    this.rootOf.delete(key);
    const base = rel.slice(rel.lastIndexOf('/') + 1).toLowerCase();
    const list = this.byBasename.get(base);
    if (list)
      this.byBasename.set(
        base,
        list.filter((k) => k !== key),
      );
  }

  /**
   * Workspace files whose path ends with the most trailing segments of the given path, as
   * `{ path, matched }` (matched = how many segments agree), longest first.
   */
  bySuffix(segments: readonly string[]): { path: string; matched: number }[] {
    if (!this.indexed) this.walk();
    const base = segments[segments.length - 1]?.toLowerCase();
    if (!base) return [];
    const candidates = this.byBasename.get(base) ?? [];
    const out: { path: string; matched: number }[] = [];
    for (const key of candidates) {
      const [root, rel] = key.split('\u0000') as [string, string];
      const parts = rel.split('/');
      let matched = 0;
      while (
        matched < segments.length &&
        matched < parts.length &&
        parts[parts.length - 1 - matched] === segments[segments.length - 1 - matched]
      )
        matched++;
      // A case-only difference in the basename still counts (Windows-built frames).
      if (matched === 0 && parts[parts.length - 1]!.toLowerCase() === base) matched = 1;
      if (matched > 0) out.push({ path: join(root, ...parts), matched });
    }
    return out.sort((a, b) => b.matched - a.matched || a.path.length - b.path.length);
  }

  /** True when the path exists inside a workspace folder. */
  exists(abs: string): boolean {
    return existsSync(abs) && 'path' in this.confine(abs);
  }

  /** The path relative to its workspace folder, with forward slashes (for the CLI and the UI). */
  relative(abs: string): string {
    const root = this.roots.find((r) => inside(resolve(r), abs)) ?? this.roots[0] ?? '';
    return relative(root, abs).split(sep).join('/');
  }
}
