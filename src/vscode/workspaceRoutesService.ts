// Keeps what the open workspace declares as entry points and services: HTTP routes, Lambda
// functions from SAM/CloudFormation templates and serverless.yml, and the service names of its
// code and settings. A first scan a moment after start-up, then a debounced rescan when a file
// that can declare them is saved, created or deleted.
import * as vscode from 'vscode';
import { scanWorkspaceRoutes, type WorkspaceRoutes } from '../mapping/routes';

const watched = '**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts,py,java,yaml,yml,json,env,properties}';
const empty: WorkspaceRoutes = { routes: [], functions: [], services: [] };

/** The workspace's routes, Lambda functions and services, kept up to date. */
export class WorkspaceRoutesService implements vscode.Disposable {
  private current: WorkspaceRoutes = empty;
  private scanning?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private abort = new AbortController();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a scan changed what is declared. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(watched);
    const later = (u: vscode.Uri) => {
      if (!/[\\/](?:node_modules|\.git|dist|out|build)[\\/]/.test(u.fsPath)) this.schedule();
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(later),
      watcher.onDidChange(later),
      watcher.onDidDelete(later),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule()),
      this.changed,
    );
  }

  /** What the workspace declares (empty until the first scan is done). */
  get declared(): WorkspaceRoutes {
    return this.current;
  }

  /** Resolves when the first scan (or the one running) is done. */
  ready(): Promise<void> {
    this.scanning ??= this.scan();
    return this.scanning;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.scanning = (this.scanning ?? Promise.resolve()).then(() => this.scan());
    }, 1500);
  }

  private async scan(): Promise<void> {
    this.abort.abort();
    const abort = (this.abort = new AbortController());
    const started = Date.now();
    const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file') ?? [];
    try {
      const parts = await Promise.all(folders.map((f) => scanWorkspaceRoutes(f.uri.fsPath, { signal: abort.signal })));
      const next: WorkspaceRoutes = {
        routes: parts.flatMap((p) => p.routes),
        functions: parts.flatMap((p) => p.functions),
        services: parts.flatMap((p) => p.services),
      };
      const print = (w: WorkspaceRoutes) =>
        JSON.stringify([
          w.routes.map((r) => [r.method, r.pattern, r.path, r.line, r.service]),
          w.functions.map((f) => [f.fn.id, f.fn.template, f.fn.line, f.handler?.path, f.handler?.line]),
          w.services.map((s) => [s.name, s.source, s.line]),
        ]);
      const same = print(next) === print(this.current);
      this.current = next;
      this.log.info(
        `workspace: ${next.routes.length} routes, ${next.functions.length} Lambda functions, services ${[...new Set(next.services.map((s) => s.name))].join(', ') || '(none found)'} (${Date.now() - started} ms)`,
      );
      if (!same) this.changed.fire();
    } catch (e) {
      if (!abort.signal.aborted) this.log.warn(`workspace routes: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.abort.abort();
    this.disposables.forEach((d) => d.dispose());
  }
}
