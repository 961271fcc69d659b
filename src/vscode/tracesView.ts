// The sidebar's Traces view: Slowest, Failing and Recent groups (and one per saved filter) for the
// active source, window and followed services; a trace expands to its slowest spans and its
// services' span tree, spans to their exception frames. Fetches show progress in the view and can
// be cancelled; live sources refresh it, throttled, within a second.
import * as vscode from 'vscode';
import { frameWontResolve } from '../mapping/pathMapping';
import { slowestSpans } from '../analysis/tracePoints';
import type { Span, Trace } from '../model/trace';
import { formatMs } from '../model/duration';
import { childrenIndex, waterfallRoots } from '../model/traceTree';
import type { TraceSource, TraceSummaryRow } from '../sources/traceSource';
import { andFilters } from '../collector/filterExpression';
import { savedFilters, windowLength, type SavedFilter, type TraceQuery } from './traceQuery';

/** A trace row of the Traces view. */
export type TraceNode = vscode.TreeItem & { readonly kind: 'trace'; readonly row: TraceSummaryRow };
/** A span row under its trace. */
export type SpanNode = vscode.TreeItem & { readonly kind: 'span'; readonly traceId: string; readonly span: Span };
/** An exception stack frame under its span: a link to the code. */
export type FrameNode = vscode.TreeItem & { readonly kind: 'frame' };
/** A message row (an error, or why there is nothing). */
export type MessageNode = vscode.TreeItem & { readonly kind: 'message' };
/** A group of traces: the slowest, the failing, the most recent, or a saved filter's. */
export type GroupNode = vscode.TreeItem & {
  readonly kind: 'group';
  readonly group: 'selection' | 'slowest' | 'failing' | 'recent' | 'saved';
  readonly saved?: SavedFilter;
};
/** The slowest spans of a trace, under it. */
export type SlowSpansNode = vscode.TreeItem & { readonly kind: 'slow-spans'; readonly traceId: string };
/** Any row. */
export type Node = TraceNode | SpanNode | FrameNode | MessageNode | GroupNode | SlowSpansNode;

/** How many summaries one listing reads, and how many rows each group shows. */
const maxRows = 500;
const groupRows = { slowest: 10, failing: 25, recent: 200 } as const;
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

const message = (text: string, icon: string, tooltip?: string): MessageNode =>
  Object.assign(new vscode.TreeItem(text), { kind: 'message' as const, iconPath: new vscode.ThemeIcon(icon), tooltip });

/** The tree item of one trace summary; `group` keeps ids unique when a trace is in several groups. */
export function traceItem(row: TraceSummaryRow, group = '', consoleLink = false): TraceNode {
  let path = row.url;
  try {
    if (row.url) path = new URL(row.url).pathname + new URL(row.url).search;
  } catch {
    // not a URL: shown as sent
  }
  const label = [row.method, path].filter(Boolean).join(' ') || row.service || row.id;
  const item: TraceNode = Object.assign(new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed), {
    kind: 'trace' as const,
    row,
  });
  item.id = `${group}/${row.id}`;
  item.description = `${formatMs(row.durationMs)} · ${row.service ?? ''} · ${age(row.start)}`;
  item.iconPath = outcomeIcon(row);
  const outcome = row.fault ? 'fault' : row.throttle ? 'throttle' : row.error ? 'error' : 'ok';
  const md = new vscode.MarkdownString();
  md.appendText(
    `${row.id}\n${new Date(row.start * 1000).toLocaleString()} · ${formatMs(row.durationMs)}${row.status ? ` · HTTP ${row.status}` : ''} · ${outcome}\n`,
  );
  if (row.url) md.appendText(`${row.method ?? ''} ${row.url}\n`);
  if (row.services.length) md.appendText(`services: ${row.services.join(', ')}`);
  item.tooltip = md;
  item.contextValue = consoleLink ? 'trace-aws' : 'trace';
  item.command = { command: 'traceLens.openTrace', title: 'Open Trace', arguments: [{ traceId: row.id }] };
  return item;
}

/** The tree item of one span. */
export function spanItem(traceId: string, span: Span, hasChildren: boolean, idPrefix = ''): SpanNode {
  const name = span.otelName && span.otelName !== span.name ? `${span.name}: ${span.otelName}` : span.name;
  const item: SpanNode = Object.assign(
    new vscode.TreeItem(
      name,
      hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    ),
    { kind: 'span' as const, traceId, span },
  );
  item.id = `${idPrefix}${traceId}/${span.id}`;
  const ms = span.endTime === undefined ? undefined : (span.endTime - span.startTime) * 1000;
  const flags = span.flags.filter((f) => f !== 'repaired');
  item.description = `${formatMs(ms)}${span.http?.response?.status ? ` · ${span.http.response.status}` : ''}${flags.length ? ` · ${flags.join(', ')}` : ''}`;
  item.iconPath = outcomeIcon(span);
  item.tooltip = `${span.type} ${span.name} (${span.id})${span.cause?.exceptions[0] ? `\n${span.cause.exceptions[0].type ?? 'Error'}: ${span.cause.exceptions[0].message ?? ''}` : ''}\nClick to go to its code.`;
  item.contextValue = 'span';
  item.command = { command: 'traceLens.goToCode', title: 'Go to Code', arguments: [{ traceId, spanId: span.id }] };
  return item;
}

/** The rows of a span's exception frames: each opens its code; runtime, dependency and line-less frames are shown with why they lead nowhere. */
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
      const why = frameWontResolve(f);
      if (why) {
        // Shown, not dropped, and not a link: it leads to no file of the project.
        item.iconPath = new vscode.ThemeIcon('debug-stackframe-dot', new vscode.ThemeColor('disabledForeground'));
        item.description = `${item.description} · ${why}`;
        item.tooltip = `${e.type ?? 'Error'}: ${e.message ?? ''}\n${f.label ?? ''} (${where})\nNot the project's code: ${why}.`;
        out.push(item);
        return;
      }
      item.command = {
        command: 'traceLens.goToFrame',
        title: 'Go to Frame',
        arguments: [{ traceId, spanId: span.id, exception: ei, frame: fi }],
      };
      out.push(item);
    });
  });
  return out;
}

/** What the view shows when asked to: the source and the services the workspace declares. */
export interface TracesViewContext {
  /** Service names the open workspace declares (literal names). */
  detectedServices(): readonly string[];
}

const group = (
  label: string,
  g: GroupNode['group'],
  state: vscode.TreeItemCollapsibleState,
  extra: Partial<GroupNode> = {},
): GroupNode =>
  Object.assign(new vscode.TreeItem(label, state), {
    kind: 'group' as const,
    group: g,
    id: `group/${g}/${extra.saved?.name ?? ''}`,
    contextValue: `group-${g}`,
    ...extra,
  });

/**
 * The sidebar's Traces view of the active source. With no source rows at all, it has no rows, so
 * VS Code shows the view's welcome content.
 */
export class TracesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<void>();
  /** Fires when the view lists again (a refresh, a poll, a new filter): other readers of the source may follow. */
  readonly onDidRefresh = this.refreshed.event;
  private source: TraceSource | undefined;
  private unavailable: string | undefined;
  private readonly traces = new Map<string, Trace>();
  private view?: vscode.TreeView<Node>;
  /** The listings in flight, by what they fill: the groups ('') or a saved filter's group (its name). */
  private readonly fetching = new Map<string, AbortController>();
  private throttle?: NodeJS.Timeout;
  private lastRefresh = 0;
  private poll?: NodeJS.Timeout;
  /** The rows listed last (every group's source), for tests and commands. */
  rows: TraceSummaryRow[] = [];
  /** Why the last listing failed, if it did. */
  private failure?: string;
  /** Traces another view asked to list (the service map's node or latency range), shown first. */
  private selection?: { readonly title: string; readonly rows: readonly TraceSummaryRow[] };

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly query: TraceQuery,
    private readonly context: TracesViewContext,
  ) {}

  /** The tree view this provider fills: its title line says what it shows. */
  bind(view: vscode.TreeView<Node>): void {
    this.view = view;
    this.describe();
  }

  /** Reads from this source from now on; undefined with a reason shows that reason. */
  setSource(source: TraceSource | undefined, unavailable?: string): void {
    this.source = source;
    this.unavailable = unavailable;
    this.traces.clear();
    this.refresh();
  }

  /** The active source. */
  get activeSource(): TraceSource | undefined {
    return this.source;
  }

  /** Re-lists every `seconds` (0 stops): for sources that do not say when traces arrive. */
  setPolling(seconds: number): void {
    clearInterval(this.poll);
    this.poll = seconds > 0 ? setInterval(() => this.refresh(), Math.max(15, seconds) * 1000) : undefined;
  }

  /** Asks VS Code to read the rows again. */
  refresh(): void {
    clearTimeout(this.throttle);
    this.throttle = undefined;
    this.lastRefresh = Date.now();
    this.describe();
    this.changed.fire(undefined);
    this.refreshed.fire();
  }

  /** A refresh for traces that just arrived: at most one every 500 ms, so a burst never floods the view, and never later than that. */
  refreshSoon(): void {
    if (this.throttle) return;
    const wait = Math.max(0, 500 - (Date.now() - this.lastRefresh));
    this.throttle = setTimeout(() => this.refresh(), wait);
  }

  /** Shows these traces as a group at the top of the view (until cleared or replaced). */
  showSelection(title: string, rows: readonly TraceSummaryRow[]): void {
    this.selection = { title, rows };
    void vscode.commands.executeCommand('setContext', 'traceLens.selection', true);
    this.refresh();
  }

  /** Removes the selection group. */
  clearSelection(): void {
    this.selection = undefined;
    void vscode.commands.executeCommand('setContext', 'traceLens.selection', false);
    this.refresh();
  }

  /** The group titles shown now (for tests). */
  selectionTitle(): string | undefined {
    return this.selection?.title;
  }

  /** Lists what the view lists (source, window, filter), without touching the tree: for the service map. */
  async listing(signal?: AbortSignal): Promise<TraceSummaryRow[]> {
    const source = this.source;
    if (!source) return [];
    return source.summaries(
      { ...this.timeRange(source), limit: 1000, filter: this.expression(), timeRangeType: 'Event' },
      signal,
    );
  }

  /** What the view lists: a file's own range, else the window ending now. */
  private timeRange(source: TraceSource): { start: Date; end: Date } {
    const range = source.range;
    const end = range ? new Date(range.end * 1000) : new Date();
    return {
      start: range ? new Date(range.start * 1000) : new Date(end.getTime() - windowLength(this.query.window) * 1000),
      end,
    };
  }

  /** Stops the listing in progress, if any. */
  cancelFetch(): void {
    this.abortAll('cancelled');
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

  /** The filter the view sends now (followed services and the user's filter; a file is shown whole). */
  expression(): string | undefined {
    if (this.source?.range) return this.query.filter;
    return this.query.expression(this.context.detectedServices());
  }

  /** The view's title line: source, window, followed services and filter. */
  private describe(): void {
    if (!this.view) return;
    const range = this.source?.range;
    this.view.description = this.source
      ? `${this.source.label} · ${range ? 'whole file' : `last ${this.query.window}`}`
      : undefined;
    const followed = this.source && !range ? this.query.followed(this.context.detectedServices()) : [];
    const parts: string[] = [];
    if (followed.length)
      parts.push(
        `Following ${followed.join(', ')}${this.query.follow.kind === 'workspace' ? ' (this workspace)' : ''}`,
      );
    if (this.query.filter) parts.push(`Filter: ${this.query.filter}`);
    // Slowest and Failing are drawn from the listing: say when it stopped short of the window.
    if (this.rows.length >= maxRows)
      parts.push(`Showing the newest ${maxRows} traces of the window: narrow it, or filter, to see older ones`);
    this.view.message = parts.length ? parts.join(' · ') : undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.roots();
    if (node.kind === 'group') return this.groupChildren(node);
    if (node.kind === 'message' || node.kind === 'frame') return [];
    try {
      const trace = await this.trace(node.kind === 'trace' ? node.row.id : node.traceId);
      if (!trace) return [message('The trace is no longer available from the source.', 'info')];
      const childrenOf = childrenIndex(trace);
      const has = (s: Span) => childrenOf(s).length > 0 || !!s.cause?.exceptions.some((e) => e.stack.length);
      if (node.kind === 'slow-spans') {
        return slowestSpans(trace, 5).map((x) => {
          const item = spanItem(trace.id, x.span, false, 'slow/');
          item.description = `self ${formatMs(x.selfMs)} of ${formatMs(x.durationMs)} · ${x.service}`;
          return item;
        });
      }
      if (node.kind === 'trace') {
        const slow: SlowSpansNode = Object.assign(
          new vscode.TreeItem('Slowest spans', vscode.TreeItemCollapsibleState.Collapsed),
          {
            kind: 'slow-spans' as const,
            traceId: trace.id,
            id: `${node.id}/slow`,
            iconPath: new vscode.ThemeIcon('flame'),
            tooltip: 'The spans with the most time of their own (children excluded). Click one to go to its code.',
          },
        );
        // The services the request went through, in the order they started, with their own segments' time.
        const services = new Map<string, number>();
        for (const seg of [...trace.segments].sort((x, y) => x.startTime - y.startTime))
          services.set(
            seg.name,
            (services.get(seg.name) ?? 0) + (seg.endTime === undefined ? 0 : (seg.endTime - seg.startTime) * 1000),
          );
        const serviceList = [...services].map(([n, ms]) => `${n} ${formatMs(ms)}`).join(' → ');
        const servicesItem = Object.assign(
          message(
            `Services (${services.size})`,
            'server-environment',
            `The services of this trace, in the order they started, with the time of their segments:\n${serviceList}`,
          ),
          { id: `${node.id}/services`, description: serviceList },
        );
        return [servicesItem, slow, ...waterfallRoots(trace).map((s) => spanItem(trace.id, s, has(s)))];
      }
      const frames = frameItems(trace.id, node.span);
      return [...frames, ...childrenOf(node.span).map((s) => spanItem(trace.id, s, has(s)))];
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      this.log.error(`loading trace failed: ${text}`);
      return [message(`Could not load the trace: ${text}`, 'error', text)];
    }
  }

  /**
   * Lists summaries with progress in the view. A newer listing for the same slot (the groups, or
   * one saved filter's group) or Cancel stops it; the slots run side by side, so expanding saved
   * groups does not cancel the main listing or each other.
   */
  private async list(filter: string | undefined, slot = ''): Promise<TraceSummaryRow[]> {
    const source = this.source!;
    this.fetching.get(slot)?.abort(new Error('superseded'));
    const abort = new AbortController();
    this.fetching.set(slot, abort);
    void vscode.commands.executeCommand('setContext', 'traceLens.fetching', true);
    try {
      return await vscode.window.withProgress({ location: { viewId: 'traceLens.traces' } }, async () => {
        return source.summaries(
          { ...this.timeRange(source), limit: maxRows, filter, timeRangeType: 'Event' },
          abort.signal,
        );
      });
    } finally {
      if (this.fetching.get(slot) === abort) {
        this.fetching.delete(slot);
        if (this.fetching.size === 0) void vscode.commands.executeCommand('setContext', 'traceLens.fetching', false);
      }
    }
  }

  /** Stops every listing in flight. */
  private abortAll(reason: string): void {
    for (const a of this.fetching.values()) a.abort(new Error(reason));
  }

  private async roots(): Promise<Node[]> {
    this.failure = undefined;
    if (!this.source) {
      this.rows = [];
      return this.unavailable ? [message(this.unavailable, 'info')] : [];
    }
    const filter = this.expression();
    try {
      this.rows = await this.list(filter);
      this.describe();
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      // A listing superseded by a newer one (or cancelled) keeps the rows it had: the palette's
      // trace pick and the map read them meanwhile.
      if (/superseded/i.test(text)) return [];
      if (/cancelled|aborted/i.test(text)) return [message('Listing cancelled. Refresh to list again.', 'debug-stop')];
      this.rows = [];
      this.failure = text;
      this.log.error(`listing traces from ${this.source.label} failed: ${text}`);
      const rows: Node[] = [message(`Could not list traces: ${text}`, 'error', text)];
      if (this.query.filter && /filter/i.test(text))
        rows.push(
          Object.assign(message('Edit the filter…', 'filter'), {
            command: { command: 'traceLens.traces.filter', title: 'Edit Filter' },
          }),
        );
      return rows;
    }
    const saved = savedFilters().map((f) =>
      group(f.name, 'saved', vscode.TreeItemCollapsibleState.Collapsed, {
        saved: f,
        description: f.filter,
        iconPath: new vscode.ThemeIcon('bookmark'),
        tooltip: `Saved filter: ${f.filter}`,
      }),
    );
    if (this.rows.length === 0) {
      const followed = this.source.range ? [] : this.query.followed(this.context.detectedServices());
      if (!followed.length && !this.query.filter) return saved;
      const what = [followed.length ? `of ${followed.join(', ')}` : '', this.query.filter ? 'matching the filter' : '']
        .filter(Boolean)
        .join(' ');
      const out: Node[] = [message(`No traces ${what} in the last ${this.query.window}.`, 'info')];
      if (followed.length)
        out.push(
          Object.assign(message('Show traces of all services', 'eye'), {
            command: { command: 'traceLens.traces.followAll', title: 'Show All Services' },
          }),
        );
      if (this.query.filter)
        out.push(
          Object.assign(message('Clear the filter', 'clear-all'), {
            command: { command: 'traceLens.traces.clearFilter', title: 'Clear Filter' },
          }),
        );
      out.push(
        Object.assign(message('Choose another time window…', 'history'), {
          command: { command: 'traceLens.traces.window', title: 'Time Window' },
        }),
      );
      return [...out, ...saved];
    }
    const failing = this.rows.filter((r) => r.error || r.fault || r.throttle).length;
    const E = vscode.TreeItemCollapsibleState.Expanded;
    const selection = this.selection
      ? [
          group(this.selection.title, 'selection', E, {
            description: `${this.selection.rows.length}`,
            iconPath: new vscode.ThemeIcon('type-hierarchy'),
            tooltip: 'Traces listed from the service map. Clear with the × on this row.',
          }),
        ]
      : [];
    return [
      ...selection,
      group('Slowest', 'slowest', E, {
        description: `${Math.min(groupRows.slowest, this.rows.length)} of ${this.rows.length}`,
        iconPath: new vscode.ThemeIcon('dashboard'),
      }),
      group('Failing', 'failing', failing ? E : vscode.TreeItemCollapsibleState.Collapsed, {
        description: `${failing}`,
        iconPath: new vscode.ThemeIcon('error'),
      }),
      group('Recent', 'recent', vscode.TreeItemCollapsibleState.Collapsed, {
        description: `${this.rows.length}${this.rows.length >= maxRows ? '+' : ''}`,
        iconPath: new vscode.ThemeIcon('history'),
      }),
      ...saved,
    ];
  }

  private async groupChildren(node: GroupNode): Promise<Node[]> {
    const link = !!this.source?.consoleUrl;
    const items = (rows: TraceSummaryRow[]) =>
      rows.map((r) => traceItem(r, node.group === 'saved' ? `saved:${node.saved!.name}` : node.group, link));
    if (node.group === 'selection') return items([...(this.selection?.rows ?? [])]);
    if (node.group === 'slowest')
      return items(
        [...this.rows].sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0)).slice(0, groupRows.slowest),
      );
    if (node.group === 'failing') {
      const failing = this.rows.filter((r) => r.error || r.fault || r.throttle).slice(0, groupRows.failing);
      return failing.length ? items(failing) : [message(`No failing traces in the last ${this.query.window}.`, 'pass')];
    }
    if (node.group === 'recent') return items(this.rows.slice(0, groupRows.recent));
    if (!this.source) return [];
    try {
      const rows = await this.list(
        andFilters(
          this.source.range ? undefined : this.query.expression(this.context.detectedServices()),
          node.saved!.filter,
        ),
        `saved:${node.saved!.name}`,
      );
      return rows.length ? items(rows.slice(0, groupRows.recent)) : [message('No traces match this filter.', 'info')];
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      if (/cancelled|superseded|aborted/i.test(text))
        return [message('Listing cancelled. Refresh to list again.', 'debug-stop')];
      return [message(`Could not list the saved filter's traces: ${text}`, 'error', text)];
    }
  }

  /** Why the last listing failed, if it did (for tests and the filter input). */
  get lastFailure(): string | undefined {
    return this.failure;
  }

  dispose(): void {
    clearTimeout(this.throttle);
    clearInterval(this.poll);
    this.abortAll('cancelled');
    this.changed.dispose();
    this.refreshed.dispose();
  }
}
