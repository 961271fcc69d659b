import * as vscode from 'vscode';
import type { Span, Trace } from '../model/trace';
import { formatMs } from '../model/duration';
import { childrenIndex, waterfallRoots } from '../model/traceTree';
import type { TraceSource, TraceSummaryRow } from '../sources/traceSource';

/** A trace row of the Traces view. */
export type TraceNode = vscode.TreeItem & { readonly kind: 'trace'; readonly row: TraceSummaryRow };
/** A span row under its trace. */
export type SpanNode = vscode.TreeItem & { readonly kind: 'span'; readonly traceId: string; readonly span: Span };
/** An exception stack frame under its span: a link to the code. */
export type FrameNode = vscode.TreeItem & { readonly kind: 'frame' };
/** A message row (an error, or why there is nothing). */
export type MessageNode = vscode.TreeItem & { readonly kind: 'message' };
/** Any row. */
export type Node = TraceNode | SpanNode | FrameNode | MessageNode;

/** How far back the view looks, and how many rows it shows. */
const windowHours = 24;
const maxRows = 200;
const cachedTraces = 50;

/** `3m ago`, `2h ago`. */
export function age(startSec: number, now = Date.now()): string {
  const s = Math.max(0, Math.round(now / 1000 - startSec));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}


function outcomeIcon(o: { fault: boolean; throttle: boolean; error: boolean }): vscode.ThemeIcon {
  if (o.fault) return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  if (o.throttle) return new vscode.ThemeIcon('watch', new vscode.ThemeColor('editorWarning.foreground'));
  if (o.error) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
  return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
}

const message = (text: string, icon: string, tooltip?: string): MessageNode => Object.assign(new vscode.TreeItem(text), { kind: 'message' as const, iconPath: new vscode.ThemeIcon(icon), tooltip });

/** The tree item of one trace summary. */
export function traceItem(row: TraceSummaryRow): TraceNode {
  let path = row.url;
  try {
    if (row.url) path = new URL(row.url).pathname + new URL(row.url).search;
  } catch {
    // not a URL: shown as sent
  }
  const label = [row.method, path].filter(Boolean).join(' ') || row.service || row.id;
  const item: TraceNode = Object.assign(new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed), { kind: 'trace' as const, row });
  item.id = row.id;
  item.description = `${formatMs(row.durationMs)} · ${row.service ?? ''} · ${age(row.start)}`;
  item.iconPath = outcomeIcon(row);
  const outcome = row.fault ? 'fault' : row.throttle ? 'throttle' : row.error ? 'error' : 'ok';
  const md = new vscode.MarkdownString();
  md.appendText(`${row.id}\n${new Date(row.start * 1000).toLocaleString()} · ${formatMs(row.durationMs)}${row.status ? ` · HTTP ${row.status}` : ''} · ${outcome}\n`);
  if (row.url) md.appendText(`${row.method ?? ''} ${row.url}\n`);
  if (row.services.length) md.appendText(`services: ${row.services.join(', ')}`);
  item.tooltip = md;
  item.contextValue = 'trace';
  item.command = { command: 'traceLens.openTrace', title: 'Open Trace', arguments: [{ traceId: row.id }] };
  return item;
}

/** The tree item of one span. */
export function spanItem(traceId: string, span: Span, hasChildren: boolean): SpanNode {
  const name = span.otelName && span.otelName !== span.name ? `${span.name}: ${span.otelName}` : span.name;
  const item: SpanNode = Object.assign(new vscode.TreeItem(name, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None), { kind: 'span' as const, traceId, span });
  item.id = `${traceId}/${span.id}`;
  const ms = span.endTime === undefined ? undefined : (span.endTime - span.startTime) * 1000;
  const flags = span.flags.filter((f) => f !== 'repaired');
  item.description = `${formatMs(ms)}${span.http?.response?.status ? ` · ${span.http.response.status}` : ''}${flags.length ? ` · ${flags.join(', ')}` : ''}`;
  item.iconPath = outcomeIcon(span);
  item.tooltip = `${span.type} ${span.name} (${span.id})${span.cause?.exceptions[0] ? `\n${span.cause.exceptions[0].type ?? 'Error'}: ${span.cause.exceptions[0].message ?? ''}` : ''}\nClick to go to its code.`;
  item.contextValue = 'span';
  item.command = { command: 'traceLens.goToCode', title: 'Go to Code', arguments: [{ traceId, spanId: span.id }] };
  return item;
}

/** The rows of a span's exception frames: each opens its code (runtime and dependency frames too, said so when clicked). */
export function frameItems(traceId: string, span: Span): FrameNode[] {
  const out: FrameNode[] = [];
  (span.cause?.exceptions ?? []).forEach((e, ei) => {
    e.stack.forEach((f, fi) => {
      const where = `${f.path ?? '?'}${f.line !== undefined ? `:${f.line}` : ''}`;
      const item: FrameNode = Object.assign(new vscode.TreeItem(f.label || '(anonymous)'), { kind: 'frame' as const });
      item.id = `${traceId}/${span.id}/e${ei}/f${fi}`;
      // The last two path parts say enough in a narrow side bar; the tooltip has the whole path.
      item.description = `${(f.path ?? '?').split(/[\\/]/).slice(-2).join('/')}${f.line !== undefined ? `:${f.line}` : ''}`;
      item.iconPath = new vscode.ThemeIcon('debug-stackframe');
      item.tooltip = `${e.type ?? 'Error'}: ${e.message ?? ''}
${f.label ?? ''} (${where})
Click to go to this frame's code.`;
      item.contextValue = 'frame';
      item.command = { command: 'traceLens.goToFrame', title: 'Go to Frame', arguments: [{ traceId, spanId: span.id, exception: ei, frame: fi }] };
      out.push(item);
    });
  });
  return out;
}

/**
 * The sidebar's Traces view: the most recent traces of the active source, each expanding to its
 * spans. With none, it has no rows, so VS Code shows the view's welcome content.
 */
export class TracesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private source: TraceSource | undefined;
  private unavailable: string | undefined;
  private readonly traces = new Map<string, Trace>();
  /** The rows shown last, for tests and commands. */
  rows: TraceSummaryRow[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Reads from this source from now on; undefined with a reason shows that reason. */
  setSource(source: TraceSource | undefined, unavailable?: string): void {
    this.source = source;
    this.unavailable = unavailable;
    this.traces.clear();
    this.refresh();
  }

  /** Asks VS Code to read the rows again. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The active source's name, for the views that show a trace. */
  get sourceLabel(): string {
    return this.source?.label ?? 'no source';
  }

  /** A whole trace, from the cache or the source. */
  async trace(id: string, signal?: AbortSignal): Promise<Trace | undefined> {
    const hit = this.traces.get(id);
    if (hit) return hit;
    const [t] = (await this.source?.traces([id], signal)) ?? [];
    if (t) {
      this.traces.set(id, t);
      for (const k of this.traces.keys()) if (this.traces.size > cachedTraces) this.traces.delete(k);
    }
    return t;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.roots();
    if (node.kind === 'message' || node.kind === 'frame') return [];
    try {
      const trace = await this.trace(node.kind === 'trace' ? node.row.id : node.traceId);
      if (!trace) return [message('The trace is no longer available from the source.', 'info')];
      const childrenOf = childrenIndex(trace);
      const spans = node.kind === 'trace' ? waterfallRoots(trace) : childrenOf(node.span);
      const frames = node.kind === 'span' ? frameItems(trace.id, node.span) : [];
      return [...frames, ...spans.map((s) => spanItem(trace.id, s, childrenOf(s).length > 0 || !!s.cause?.exceptions.some((e) => e.stack.length)))];
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      this.log.error(`loading trace failed: ${text}`);
      return [message(`Could not load the trace: ${text}`, 'error', text)];
    }
  }

  private async roots(): Promise<Node[]> {
    if (!this.source) {
      this.rows = [];
      return this.unavailable ? [message(this.unavailable, 'info')] : [];
    }
    try {
      const end = new Date();
      this.rows = await this.source.summaries({ start: new Date(end.getTime() - windowHours * 3600_000), end, limit: maxRows });
      return this.rows.map(traceItem);
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      this.log.error(`listing traces from ${this.source.label} failed: ${text}`);
      this.rows = [];
      return [message(`Could not list traces: ${text}`, 'error', text)];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
