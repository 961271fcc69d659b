import * as vscode from 'vscode';
import type { TraceSource, TraceSummaryRow } from '../sources/traceSource';

/** One row of the Traces view. */
export type TraceNode = vscode.TreeItem & { readonly row?: TraceSummaryRow };

/** How far back the view looks, and how many rows it shows. */
const windowHours = 24;
const maxRows = 200;

/** `3m ago`, `2h ago`. */
export function age(startSec: number, now = Date.now()): string {
  const s = Math.max(0, Math.round(now / 1000 - startSec));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '…';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** The tree item of one trace summary. */
export function traceItem(row: TraceSummaryRow): TraceNode {
  let path = row.url;
  try {
    if (row.url) path = new URL(row.url).pathname + new URL(row.url).search;
  } catch {
    // not a URL: shown as sent
  }
  const label = [row.method, path].filter(Boolean).join(' ') || row.service || row.id;
  const item: TraceNode = Object.assign(new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None), { row });
  item.id = row.id;
  item.description = `${formatMs(row.durationMs)} · ${row.service ?? ''} · ${age(row.start)}`;
  const outcome = row.fault ? 'fault' : row.throttle ? 'throttle' : row.error ? 'error' : 'ok';
  item.iconPath =
    outcome === 'fault' ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
    : outcome === 'throttle' ? new vscode.ThemeIcon('watch', new vscode.ThemeColor('editorWarning.foreground'))
    : outcome === 'error' ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'))
    : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  const md = new vscode.MarkdownString();
  md.appendText(`${row.id}\n${new Date(row.start * 1000).toLocaleString()} · ${formatMs(row.durationMs)}${row.status ? ` · HTTP ${row.status}` : ''} · ${outcome}\n`);
  if (row.url) md.appendText(`${row.method ?? ''} ${row.url}\n`);
  if (row.services.length) md.appendText(`services: ${row.services.join(', ')}`);
  item.tooltip = md;
  item.contextValue = 'trace';
  return item;
}

/**
 * The sidebar's Traces view: the most recent traces of the active source. With none, it has no
 * rows, so VS Code shows the view's welcome content (package.json `viewsWelcome`).
 */
export class TracesView implements vscode.TreeDataProvider<TraceNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TraceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private source: TraceSource | undefined;
  private unavailable: string | undefined;
  /** The rows shown last, for tests and commands. */
  rows: TraceSummaryRow[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Reads from this source from now on; undefined with a reason shows that reason. */
  setSource(source: TraceSource | undefined, unavailable?: string): void {
    this.source = source;
    this.unavailable = unavailable;
    this.refresh();
  }

  /** Asks VS Code to read the rows again. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TraceNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: TraceNode): Promise<TraceNode[]> {
    if (node) return [];
    if (!this.source) {
      this.rows = [];
      return this.unavailable ? [Object.assign(new vscode.TreeItem(this.unavailable), { iconPath: new vscode.ThemeIcon('info') })] : [];
    }
    try {
      const end = new Date();
      this.rows = await this.source.summaries({ start: new Date(end.getTime() - windowHours * 3600_000), end, limit: maxRows });
      return this.rows.map(traceItem);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`listing traces from ${this.source.label} failed: ${message}`);
      this.rows = [];
      return [Object.assign(new vscode.TreeItem(`Could not list traces: ${message}`), { iconPath: new vscode.ThemeIcon('error'), tooltip: message })];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
