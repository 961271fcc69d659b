// The service map panel: one per window, built from the traces the Traces view lists (its source,
// window and followed services), rebuilt when traces arrive, restored after a reload. A node or
// an edge opens its slowest trace, or lists its traces (optionally a latency range) in the sidebar.
import * as vscode from 'vscode';
import { buildServiceGraph, type ServiceGraph } from '../analysis/serviceGraph';
import { serviceMapSnapshot, slowestTrace, tracesInRange } from '../analysis/serviceMapSnapshot';
import type { Trace } from '../model/trace';
import { Endpoint } from '../protocol/rpc';
import * as proto from '../protocol/serviceMap';
import { formatMs } from '../model/duration';
import type { TraceSource, TraceSummaryRow } from '../sources/traceSource';
import { webviewHtml } from './webviewHtml';

/** The panel type, also the serializer's key. */
export const serviceMapPanelType = 'traceLens.serviceMap';

/** Where the map's traces come from, and what it can do with them. */
export interface ServiceMapHost {
  /** The active source, or undefined. */
  source(): TraceSource | undefined;
  /** The summaries the Traces view lists now (its window and filter), newest first. */
  rows(): Promise<readonly TraceSummaryRow[]>;
  /** Opens a trace's waterfall. */
  openTrace(traceId: string): unknown;
  /** Shows traces as a group at the top of the Traces view. */
  showInSidebar(title: string, rows: readonly TraceSummaryRow[]): void;
}

/** How many traces a map reads at most: the newest ones. */
const maxTraces = 1000;
const batch = 50;

/** A summary row for a trace the map holds (for the sidebar group). */
function rowOf(t: Trace): TraceSummaryRow {
  const root = t.root;
  const flags = { error: false, fault: false, throttle: false };
  for (const s of t.segments) {
    flags.error ||= s.error;
    flags.fault ||= s.fault;
    flags.throttle ||= s.throttle;
  }
  return {
    id: t.id,
    start: t.startTime,
    durationMs: t.endTime === undefined ? undefined : (t.endTime - t.startTime) * 1000,
    service: root?.name,
    method: root?.http?.request?.method,
    url: root?.http?.request?.url,
    status: root?.http?.response?.status,
    ...flags,
    partial: false,
    services: [...new Set(t.segments.map((s) => s.name))],
  };
}

/** The service map panel (at most one). */
export class ServiceMapPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private endpoint?: Endpoint;
  private graph?: ServiceGraph;
  private traces = new Map<string, Trace>();
  private building?: Promise<void>;
  private again = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: ServiceMapHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(serviceMapPanelType, {
        deserializeWebviewPanel: async (panel) => this.attach(panel),
      }),
    );
  }

  /** True while the panel is open (for tests). */
  get isOpen(): boolean {
    return !!this.panel;
  }

  /** The node names of the map shown now (for tests). */
  get nodeNames(): string[] {
    return this.graph?.nodes.map((n) => n.name) ?? [];
  }

  /** Opens (or reveals) the map. */
  open(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(serviceMapPanelType, 'Service Map', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    });
    this.attach(panel);
    return panel;
  }

  /** Rebuilds an open map (traces arrived, the source or window changed). */
  refresh(): void {
    if (!this.panel || !this.endpoint) return;
    if (this.building) {
      this.again = true;
      return;
    }
    this.building = this.build().finally(() => {
      this.building = undefined;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.traces = new Map();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'trace-lens.svg');
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'serviceMap', 'Service Map', { worker: true });
    const endpoint = new Endpoint(
      {
        send: (m) => void panel.webview.postMessage(m),
        onMessage: (listener) => {
          const d = panel.webview.onDidReceiveMessage(listener);
          return () => d.dispose();
        },
      },
      (problem) => this.log.warn(`service map: ${problem}`),
    );
    this.endpoint = endpoint;
    endpoint.on(proto.ready, () => this.refresh());
    endpoint.on(proto.openSlowest, async (params) => {
      const { target } = proto.parseOpenSlowest(params);
      const id = this.graph && slowestTrace(this.graph, target);
      if (!id) return { ok: false, message: 'no completed call to open' };
      this.host.openTrace(id);
      return { ok: true, message: `Opened ${id}` };
    });
    endpoint.on(proto.listTraces, async (params) => {
      const p = proto.parseListTraces(params);
      if (!this.graph) return { ok: false, message: 'the map is still loading' };
      const ids = tracesInRange(this.graph, p.target, p.minMs, p.maxMs);
      if (!ids.length) return { ok: false, message: 'no traces in that range' };
      const name =
        'node' in p.target
          ? (JSON.parse(p.target.node) as [string, string])[1]
          : `${(JSON.parse(p.target.edge.from) as [string, string])[1]} → ${(JSON.parse(p.target.edge.to) as [string, string])[1]}`;
      const range =
        p.minMs !== undefined || p.maxMs !== undefined
          ? ` ${formatMs(p.minMs ?? 0)}–${p.maxMs === undefined ? '…' : formatMs(p.maxMs)}`
          : '';
      this.host.showInSidebar(
        `Map: ${name}${range}`,
        ids.flatMap((id) => (this.traces.has(id) ? [rowOf(this.traces.get(id)!)] : [])),
      );
      return { ok: true, message: `${ids.length} ${ids.length === 1 ? 'trace' : 'traces'} listed in the Traces view` };
    });
    panel.onDidDispose(() => {
      endpoint.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.endpoint = undefined;
        this.graph = undefined;
      }
    });
  }

  /** Lists the view's traces, reads the ones not held yet, builds the graph and sends it. */
  private async build(): Promise<void> {
    const endpoint = this.endpoint;
    const source = this.host.source();
    if (!endpoint) return;
    if (!source) {
      endpoint.notify(proto.failed, { message: 'No trace source: choose one in the Traces view.' });
      return;
    }
    try {
      const rows = (await this.host.rows()).slice(0, maxTraces);
      const wanted = new Set(rows.map((r) => r.id));
      for (const id of this.traces.keys()) if (!wanted.has(id)) this.traces.delete(id);
      // A trace whose summary changed (documents of other services arrived) is read again.
      const stale = rows.filter((r) => {
        const t = this.traces.get(r.id);
        return (
          !t ||
          t.segments.length < r.services.length ||
          (t.endTime !== undefined &&
            r.durationMs !== undefined &&
            Math.abs((t.endTime - t.startTime) * 1000 - r.durationMs) > 1)
        );
      });
      for (let i = 0; i < stale.length; i += batch)
        for (const t of await source.traces(stale.slice(i, i + batch).map((r) => r.id))) this.traces.set(t.id, t);
      this.graph = buildServiceGraph(this.traces.values());
      if (this.endpoint !== endpoint) return;
      endpoint.notify(proto.snapshot, serviceMapSnapshot(this.graph, source.label));
      if (this.panel)
        this.panel.title = `Service Map · ${this.graph.nodes.filter((n) => n.type !== 'client').length} services`;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`service map: ${message}`);
      endpoint.notify(proto.failed, { message });
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
