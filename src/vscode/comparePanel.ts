// The compare panels: two traces of the same request side by side, one panel per pair, restored
// after a reload, talking to the webview only through the typed protocol and checking every
// message before acting on it.
import * as vscode from 'vscode';
import { compareTraces } from '../analysis/compareTraces';
import { forEachSpan } from '../model/assemble';
import type { Span, Trace } from '../model/trace';
import { isLocation } from '../mapping/location';
import * as proto from '../protocol/compareView';
import { Endpoint } from '../protocol/rpc';
import { viaLabels, type CodeNavigator } from './codeNavigator';
import type { TraceProvider } from './tracePanel';
import { webviewHtml } from './webviewHtml';

/** The panel type, also the serializer's key. */
export const comparePanelType = 'traceLens.compare';

/** What the compare panels need from where traces come from: the trace panels' provider fits. */
export type CompareTraceProvider = Pick<TraceProvider, 'trace' | 'label'>;

const keyOf = (a: string, b: string) => `${a}\u0000${b}`;

/** The header line of a trace: its request (`GET /checkout`) when the root has one, else the root's name. */
function titleOf(trace: Trace): string {
  const root = trace.root;
  const request = root?.http?.request;
  return request
    ? `${request.method ?? ''} ${request.url ?? ''}`.trim() || (root?.name ?? 'trace')
    : (root?.name ?? 'trace');
}

/** Compare panels by (A, B) trace ids. */
export class ComparePanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  /**
   * openTrace opens one trace in its own waterfall (pass `(id) => tracePanels.open(id)`); the
   * navigator is the one the trace panels use, so Go to Code behaves the same in both.
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly provider: () => CompareTraceProvider,
    private readonly navigator: CodeNavigator,
    private readonly log: vscode.LogOutputChannel,
    private readonly openTrace: (traceId: string) => unknown,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(comparePanelType, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const s =
            typeof state === 'object' && state !== null ? (state as { traceIdA?: unknown; traceIdB?: unknown }) : {};
          if (typeof s.traceIdA !== 'string' || typeof s.traceIdB !== 'string') {
            panel.dispose();
            return;
          }
          this.attach(panel, s.traceIdA, s.traceIdB);
        },
      }),
    );
  }

  /** The open panels' trace id pairs, [A, B] (for tests). */
  get openPairs(): [string, string][] {
    return [...this.panels.keys()].map((k) => k.split('\u0000') as [string, string]);
  }

  /** Opens (or reveals) the comparison of trace B against trace A (A is the reference, "the normal one"). */
  open(traceIdA: string, traceIdB: string): vscode.WebviewPanel {
    const existing = this.panels.get(keyOf(traceIdA, traceIdB));
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      comparePanelType,
      `Compare ${traceIdA.slice(2, 10)}… ↔ ${traceIdB.slice(2, 10)}…`,
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        // Rebuilding two large traces' alignment on every tab switch costs more than keeping it.
        retainContextWhenHidden: true,
        localResourceRoots: this.roots(),
      },
    );
    this.attach(panel, traceIdA, traceIdB);
    return panel;
  }

  private roots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')];
  }

  private attach(panel: vscode.WebviewPanel, idA: string, idB: string): void {
    const key = keyOf(idA, idB);
    this.panels.set(key, panel);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'trace-lens.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: this.roots() };
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'compareView', `Compare ${idA} and ${idB}`);
    const endpoint = new Endpoint(
      {
        send: (m) => void panel.webview.postMessage(m),
        onMessage: (listener) => {
          const d = panel.webview.onDidReceiveMessage(listener);
          return () => d.dispose();
        },
      },
      (problem) => this.log.warn(`compare view ${idA} ↔ ${idB}: ${problem}`),
    );
    const ids = { a: idA, b: idB };
    const traces: { a?: Trace; b?: Trace } = {};
    const spanOf = (side: proto.CompareSideName, id: unknown): Span | undefined => {
      const trace = traces[side];
      if (typeof id !== 'string' || !trace) return undefined;
      let found: Span | undefined;
      forEachSpan(trace, (s) => {
        if (s.id === id) found ??= s;
      });
      return found;
    };
    endpoint.on(proto.ready, () => {
      void (async () => {
        try {
          const p = this.provider();
          const [a, b] = await Promise.all([p.trace(idA), p.trace(idB)]);
          const missing = [!a && idA, !b && idB].filter(Boolean);
          if (!a || !b) {
            endpoint.notify(proto.failed, {
              message: `${missing.length > 1 ? 'traces' : 'trace'} ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not available from ${p.label}`,
            });
            return;
          }
          traces.a = a;
          traces.b = b;
          panel.title = `Compare ${a.root?.name ?? 'trace'} · ${idA.slice(2, 10)}… ↔ ${idB.slice(2, 10)}…`;
          const { rows, summary } = compareTraces(a, b);
          const side = (t: Trace): proto.ComparedTrace => ({
            traceId: t.id,
            label: p.label,
            title: titleOf(t),
            durationMs: t.durationMs,
            startTime: t.startTime,
          });
          endpoint.notify(proto.snapshot, { a: side(a), b: side(b), rows, summary });
        } catch (e) {
          endpoint.notify(proto.failed, { message: e instanceof Error ? e.message : String(e) });
        }
      })();
    });
    endpoint.on(proto.goToCode, async (params) => {
      const p = params as { side?: unknown; spanId?: unknown } | undefined;
      if (!proto.isSideName(p?.side)) throw new Error('no such side');
      const trace = traces[p.side];
      const span = spanOf(p.side, p.spanId);
      if (!span || !trace) throw new Error(`no such span in trace ${p.side.toUpperCase()}`);
      const r = await this.navigator.locateSpan(trace, span);
      await this.navigator.open(r, `span '${span.otelName ?? span.name}'`);
      return isLocation(r)
        ? { opened: true, how: `${viaLabels[r.via]}${r.precision === 'function' ? ' (function-level)' : ''}` }
        : { opened: false, how: r.unresolved };
    });
    endpoint.on(proto.openTrace, async (params) => {
      const side = (params as { side?: unknown } | undefined)?.side;
      if (!proto.isSideName(side)) throw new Error('no such side');
      await this.openTrace(ids[side]);
      return true;
    });
    panel.onDidDispose(() => {
      endpoint.dispose();
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
  }

  dispose(): void {
    this.panels.forEach((p) => p.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}
