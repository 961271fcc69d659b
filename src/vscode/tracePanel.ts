// The trace waterfall panels: one per trace, restored after a reload, talking to the webview only
// through the typed protocol, and checking every message before acting on it.
import * as vscode from 'vscode';
import { criticalPath } from '../analysis/criticalPath';
import { forEachSpan } from '../model/assemble';
import type { Span, Trace } from '../model/trace';
import { isLocation } from '../mapping/location';
import { frameWontResolve } from '../mapping/pathMapping';
import { Endpoint } from '../protocol/rpc';
import * as proto from '../protocol/traceView';
import { viaLabels as viewLabels, type CodeNavigator } from './codeNavigator';
import { webviewHtml } from './webviewHtml';

/** The panel type, also the serializer's key. */
export const tracePanelType = 'traceLens.trace';

/** Where panels get traces from. */
export interface TraceProvider {
  trace(id: string, signal?: AbortSignal): Promise<Trace | undefined>;
  readonly label: string;
  consoleUrl?(traceId: string): string | undefined;
}

/** Panels by trace id. */
export class TracePanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly provider: () => TraceProvider,
    private readonly navigator: CodeNavigator,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(tracePanelType, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const id =
            typeof state === 'object' && state !== null && typeof (state as { traceId?: unknown }).traceId === 'string'
              ? (state as { traceId: string }).traceId
              : undefined;
          if (!id) {
            panel.dispose();
            return;
          }
          this.attach(panel, id);
        },
      }),
    );
  }

  /** The open panels' trace ids (for tests). */
  get openTraceIds(): string[] {
    return [...this.panels.keys()];
  }

  /** Opens (or reveals) the waterfall of a trace. */
  open(traceId: string): vscode.WebviewPanel {
    const existing = this.panels.get(traceId);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      tracePanelType,
      `Trace ${traceId.slice(0, 14)}…`,
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        // Rebuilding a 100,000-span waterfall on every tab switch costs more than keeping it.
        retainContextWhenHidden: true,
        localResourceRoots: [
          vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
          vscode.Uri.joinPath(this.extensionUri, 'media'),
        ],
      },
    );
    this.attach(panel, traceId);
    return panel;
  }

  private attach(panel: vscode.WebviewPanel, traceId: string): void {
    this.panels.set(traceId, panel);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'trace-lens.svg');
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'traceView', `Trace ${traceId}`);
    const endpoint = new Endpoint(
      {
        send: (m) => void panel.webview.postMessage(m),
        onMessage: (listener) => {
          const d = panel.webview.onDidReceiveMessage(listener);
          return () => d.dispose();
        },
      },
      (problem) => this.log.warn(`trace view ${traceId}: ${problem}`),
    );
    let trace: Trace | undefined;
    // The whole snapshot, held until the view has painted the first screen of a huge trace.
    let full: proto.TraceSnapshot | undefined;
    endpoint.on(proto.rest, () => {
      if (full) endpoint.notify(proto.snapshot, full);
    });
    const spanById = (id: unknown): Span | undefined => {
      if (typeof id !== 'string' || !trace) return undefined;
      let found: Span | undefined;
      forEachSpan(trace, (s) => {
        if (s.id === id) found ??= s;
      });
      return found;
    };
    const describe = (r: Awaited<ReturnType<CodeNavigator['locateSpan']>>) =>
      isLocation(r)
        ? { opened: true, how: `${viewLabels[r.via]}${r.precision === 'function' ? ' (function-level)' : ''}` }
        : { opened: false, how: r.unresolved };
    endpoint.on(proto.ready, () => {
      void (async () => {
        try {
          const p = this.provider();
          trace = await p.trace(traceId);
          if (!trace) {
            endpoint.notify(proto.failed, { message: `trace ${traceId} is not available from ${p.label}` });
            return;
          }
          panel.title = `${trace.root?.name ?? 'Trace'} · ${traceId.slice(2, 10)}…`;
          const origin = { source: p.label, consoleUrl: p.consoleUrl?.(traceId) };
          const path = criticalPath(trace);
          const { first, whole } = proto.traceSnapshots(trace, path, origin, proto.frameNotes(trace, frameWontResolve));
          full = whole;
          endpoint.notify(proto.snapshot, first ?? whole);
        } catch (e) {
          endpoint.notify(proto.failed, { message: e instanceof Error ? e.message : String(e) });
        }
      })();
    });
    endpoint.on(proto.goToCode, async (params) => {
      const span = spanById((params as { spanId?: unknown } | undefined)?.spanId);
      if (!span || !trace) throw new Error('no such span in this trace');
      const r = await this.navigator.locateSpan(trace, span);
      await this.navigator.open(r, `span '${span.otelName ?? span.name}'`);
      return describe(r);
    });
    endpoint.on(proto.goToFrame, async (params) => {
      const p = params as { spanId?: unknown; exception?: unknown; frame?: unknown } | undefined;
      const span = spanById(p?.spanId);
      if (!span || !Number.isInteger(p?.exception) || !Number.isInteger(p?.frame))
        throw new Error('no such frame in this trace');
      const exception = span.cause?.exceptions[p!.exception as number];
      const frame = exception?.stack[p!.frame as number];
      if (!exception || !frame) throw new Error('no such frame in this trace');
      const r = await this.navigator.locateFrame(frame, { below: exception.stack.slice(0, p!.frame as number) });
      await this.navigator.open(r, `frame ${frame.label ?? ''}`);
      return describe(r);
    });
    endpoint.on(proto.copyTraceId, async () => {
      await vscode.env.clipboard.writeText(traceId);
      vscode.window.setStatusBarMessage(`Trace Lens: copied ${traceId}`, 3000);
      return true;
    });
    endpoint.on(proto.openInConsole, async () => {
      const url = this.provider().consoleUrl?.(traceId);
      if (!url) return false;
      return vscode.env.openExternal(vscode.Uri.parse(url));
    });
    panel.onDidDispose(() => {
      endpoint.dispose();
      if (this.panels.get(traceId) === panel) this.panels.delete(traceId);
    });
  }

  dispose(): void {
    this.panels.forEach((p) => p.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}
