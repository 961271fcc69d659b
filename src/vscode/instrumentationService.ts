// Keeps the instrumentation index of the open workspace: a first scan in small batches off the
// activation path (the extension host stays responsive), then file events and unsaved edits
// update single files, debounced, so typing never waits on it.
import * as vscode from 'vscode';
import { InstrumentationIndex, languageOf } from '../mapping/instrumentation';
import type { SiteLookup } from '../mapping/resolve';

/** Source files the index reads. */
const sourceGlob = '**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts,py,java,go,cs}';
/** Folders it skips: dependencies, VCS data, build output and caches. */
const excludeGlob =
  '{**/node_modules/**,**/.git/**,**/dist/**,**/dist-min/**,**/out/**,**/build/**,**/target/**,**/bin/**,**/obj/**,**/.venv/**,**/venv/**,**/__pycache__/**,**/.vscode-test/**,**/coverage/**}';
const maxFiles = 20_000;
const maxBytes = 1024 * 1024;
const batch = 50;

/** The index, built and kept up to date in the background. */
export class InstrumentationService implements vscode.Disposable {
  readonly index = new InstrumentationIndex();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the first scan and after each file update. */
  readonly onDidChange = this.changed.event;
  private scan?: Promise<void>;
  private cancel = new vscode.CancellationTokenSource();

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(sourceGlob);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => this.schedule(u)),
      watcher.onDidChange((u) => this.schedule(u)),
      watcher.onDidDelete((u) => {
        this.index.remove(u.fsPath);
        this.changed.fire();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && e.document.uri.scheme === 'file' && languageOf(e.document.uri.fsPath))
          this.schedule(e.document.uri, e.document);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
      this.changed,
    );
  }

  /** The lookup Go to Code uses. */
  get sites(): SiteLookup {
    return this.index;
  }

  /** Resolves when the first scan is done (starting it if needed). */
  ready(): Promise<void> {
    this.scan ??= this.scanAll(this.cancel.token);
    return this.scan;
  }

  private rescan(): Promise<void> {
    this.cancel.cancel();
    this.cancel = new vscode.CancellationTokenSource();
    this.scan = this.scanAll(this.cancel.token);
    return this.scan;
  }

  private async scanAll(token: vscode.CancellationToken): Promise<void> {
    const started = Date.now();
    const uris = await vscode.workspace.findFiles(sourceGlob, excludeGlob, maxFiles, token);
    for (let i = 0; i < uris.length && !token.isCancellationRequested; i += batch) {
      await Promise.all(uris.slice(i, i + batch).map((u) => this.read(u)));
      // Give the extension host back between batches.
      await new Promise((r) => setImmediate(r));
    }
    this.log.info(
      `instrumentation index: ${this.index.size} files scanned in ${Date.now() - started} ms${uris.length >= maxFiles ? ` (stopped at ${maxFiles} files)` : ''}`,
    );
    this.changed.fire();
  }

  private async read(uri: vscode.Uri, doc?: vscode.TextDocument): Promise<void> {
    try {
      if (doc) {
        this.index.update(uri.fsPath, doc.getText());
        return;
      }
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > maxBytes) return;
      this.index.update(uri.fsPath, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    } catch (e) {
      this.log.debug(`instrumentation index: ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Updates one file a moment after its last change. */
  private schedule(uri: vscode.Uri, doc?: vscode.TextDocument): void {
    const key = uri.fsPath;
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.read(uri, doc).then(() => this.changed.fire());
      }, 300),
    );
  }

  dispose(): void {
    this.cancel.cancel();
    this.pending.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
  }
}
