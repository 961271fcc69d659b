// "Go to Code": resolves a span (or a frame) to a workspace line and opens it, saying how it was
// found. Trace data is untrusted: the mapping layer only ever returns files inside a workspace folder.
import * as vscode from 'vscode';
import type { Span, StackFrame, Trace } from '../model/trace';
import { forEachSpan } from '../model/assemble';
import { isLocation, type Resolution, type SourceLocation, type Via } from '../mapping/location';
import { Resolver, type SiteLookup } from '../mapping/resolve';
import { SourceMapResolver } from '../mapping/sourceMaps';
import { WorkspaceFiles } from '../mapping/workspaceFiles';

/** How each way of finding a location reads in the UI. */
export const viaLabels: Record<Via, string> = {
  'code-attributes': 'OTel code.* attributes',
  'stack-frame': 'exception stack frame',
  'source-map': 'stack frame through a source map',
  instrumentation: 'instrumentation site',
  symbol: 'workspace symbol',
};

/** Resolves and opens locations for the workspace folders open now. */
export class CodeNavigator implements vscode.Disposable {
  private files?: WorkspaceFiles;
  private maps?: SourceMapResolver;
  private readonly highlight = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
  });
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly sites: () => SiteLookup | undefined,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{js,cjs,mjs,map}');
    this.disposables.push(
      watcher,
      watcher.onDidChange((u) => this.maps?.invalidate(u.fsPath)),
      watcher.onDidCreate((u) => this.files?.fileAdded(u.fsPath)),
      watcher.onDidDelete((u) => {
        this.files?.fileRemoved(u.fsPath);
        this.maps?.invalidate(u.fsPath);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
    );
  }

  private reset(): void {
    this.maps?.dispose();
    this.maps = undefined;
    this.files = undefined;
  }

  /** A resolver over the current workspace folders, or undefined with none open. */
  resolver(): Resolver | undefined {
    const roots = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => f.uri.fsPath);
    if (roots.length === 0) return undefined;
    this.files ??= new WorkspaceFiles(roots);
    this.maps ??= new SourceMapResolver(this.files, { outputFolders: this.outputFolders(roots) });
    return new Resolver(this.files, this.maps, this.sites(), (name, signal) => this.symbol(name, signal));
  }

  private outputFolders(roots: string[]): string[] {
    const configured = vscode.workspace.getConfiguration('traceLens').get<string[]>('mapping.buildOutputFolders') ?? [];
    return roots.flatMap((r) => configured.map((c) => vscode.Uri.joinPath(vscode.Uri.file(r), c).fsPath));
  }

  private async symbol(name: string, signal?: AbortSignal): Promise<{ path: string; line: number } | undefined> {
    if (signal?.aborted) return undefined;
    const found =
      (await vscode.commands.executeCommand<vscode.SymbolInformation[]>(
        'vscode.executeWorkspaceSymbolProvider',
        name,
      )) ?? [];
    const fn = found.find(
      (s) =>
        s.name === name &&
        (s.kind === vscode.SymbolKind.Function || s.kind === vscode.SymbolKind.Method) &&
        s.location.uri.scheme === 'file',
    );
    return fn && { path: fn.location.uri.fsPath, line: fn.location.range.start.line + 1 };
  }

  /** Where a span of a trace is. */
  async locateSpan(trace: Trace, span: Span): Promise<Resolution> {
    const resolver = this.resolver();
    if (!resolver) return { unresolved: 'no workspace folder is open' };
    const byId = new Map<string, Span>();
    forEachSpan(trace, (s) => void byId.set(s.id, s));
    return resolver.span(span, byId);
  }

  /** Where a frame is; the frames inside it (its stack before it) narrow minified lines. */
  async locateFrame(frame: StackFrame, context: { below?: readonly StackFrame[] } = {}): Promise<Resolution> {
    const resolver = this.resolver();
    return resolver ? resolver.frame(frame, context) : { unresolved: 'no workspace folder is open' };
  }

  /** Opens the location, highlights its line, and says how it was found; or says why there is none. */
  async open(r: Resolution, what: string): Promise<vscode.TextEditor | undefined> {
    if (!isLocation(r)) {
      this.log.info(`Go to Code: ${what}: ${r.unresolved}`);
      void vscode.window.showInformationMessage(`Trace Lens could not locate ${what}: ${r.unresolved}.`);
      return undefined;
    }
    return this.show(r, what);
  }

  private async show(loc: SourceLocation, what: string): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(loc.path));
    const line = Math.min(Math.max(loc.line - 1, 0), doc.lineCount - 1);
    const range = doc.lineAt(line).range;
    const editor = await vscode.window.showTextDocument(doc, {
      selection: new vscode.Range(range.start, range.start),
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    editor.setDecorations(this.highlight, [range]);
    setTimeout(() => editor.setDecorations(this.highlight, []), 4000);
    const precision =
      loc.precision === 'function' ? ' (function-level)' : loc.precision === 'file' ? ' (file only)' : '';
    vscode.window.setStatusBarMessage(`Trace Lens: ${what} via ${viaLabels[loc.via]}${precision}`, 8000);
    this.log.info(
      `Go to Code: ${what} → ${loc.path}:${loc.line} via ${loc.via}${loc.detail ? ` (${loc.detail})` : ''}`,
    );
    return editor;
  }

  dispose(): void {
    this.reset();
    this.highlight.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
