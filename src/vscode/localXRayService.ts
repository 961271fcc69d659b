// Runs the local X-Ray inside the extension host while the source is `local`: starts it off the
// activation path, restarts it when its settings change, and tells the status bar and views.
import * as vscode from 'vscode';
import { LocalXRay, type LocalXRayStatus, type ListenerState } from '../collector/localXRay';
import { defaultStorePath, openStore } from '../collector/openStore';
import type { TraceStore } from '../collector/store';
import { localXRayClient, XRaySource } from '../sources/xray/xraySource';
import type { LocalSettings } from './settings';

/** What the service is doing. */
export type LocalXRayState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting' }
  | {
      readonly kind: 'running';
      readonly status: LocalXRayStatus;
      readonly store: 'sqlite' | 'memory';
      readonly storePath?: string;
    };

/** The local X-Ray's lifecycle in the extension. */
export class LocalXRayService implements vscode.Disposable {
  private xray?: LocalXRay;
  private store?: TraceStore;
  private source?: XRaySource;
  private current: LocalXRayState = { kind: 'stopped' };
  private traces = 0;
  private running: Promise<void> = Promise.resolve();
  private sweep?: NodeJS.Timeout;
  private warnedMemory = false;
  private readonly changed = new vscode.EventEmitter<'state' | 'traces'>();
  /** Fires when the state changes ('state') or new traces were stored ('traces'). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The current state. */
  get state(): LocalXRayState {
    return this.current;
  }

  /** How many traces the store holds. */
  get traceCount(): number {
    return this.traces;
  }

  /** The client-xray source reading this local X-Ray's API, while it listens. */
  get traceSource(): XRaySource | undefined {
    return this.source;
  }

  /** Starts (or restarts) with these settings; never throws, the state says what happened. */
  start(settings: LocalSettings): Promise<void> {
    this.running = this.running.then(() => this.doStop()).then(() => this.doStart(settings));
    return this.running;
  }

  /** Stops listening and closes the store. */
  stop(): Promise<void> {
    this.running = this.running.then(() => this.doStop());
    return this.running;
  }

  private setState(s: LocalXRayState): void {
    this.current = s;
    this.changed.fire('state');
  }

  private async doStart(settings: LocalSettings): Promise<void> {
    this.setState({ kind: 'starting' });
    const path = settings.storePath || defaultStorePath();
    const store = openStore(
      path,
      (m) => {
        this.log.warn(m);
        if (!this.warnedMemory) {
          this.warnedMemory = true;
          void vscode.window.showWarningMessage(`Trace Lens: ${m}`);
        }
      },
      (m) => this.log.info(m),
    );
    this.store = store;
    this.traces = store.traceCount();
    let pending: NodeJS.Timeout | undefined;
    const xray = new LocalXRay(store, {
      udp: { host: settings.host, port: settings.udpPort },
      api: { host: settings.host, port: settings.apiPort },
      otlp: { host: settings.host, port: settings.otlpPort },
      log: (level, m) => this.log[level](m),
      bindRetryMs: 3000,
      onStored: () => {
        // Many batches a second under load: count and notify at most every 250 ms.
        pending ??= setTimeout(() => {
          pending = undefined;
          if (this.store !== store) return;
          this.traces = store.traceCount();
          this.changed.fire('traces');
        }, 250);
      },
    });
    this.xray = xray;
    const status = await xray.start();
    if (status.api.state === 'listening')
      this.source = new XRaySource(
        'Local X-Ray',
        localXRayClient(`http://${hostForUrl(status.api.address)}:${status.api.port}`),
      );
    const retention = { maxAgeHours: settings.retentionHours, maxMegabytes: settings.maxStoreMegabytes };
    const applyRetention = () => {
      try {
        const n = store.applyRetention(retention);
        if (n) this.log.info(`retention removed ${n} old traces`);
      } catch (e) {
        this.log.warn(`retention failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    applyRetention();
    this.sweep = setInterval(applyRetention, 60_000);
    this.traces = store.traceCount();
    this.setState({ kind: 'running', status, store: store.kind, storePath: store.path });
  }

  private async doStop(): Promise<void> {
    clearInterval(this.sweep);
    this.source = undefined;
    const { xray, store } = this;
    this.xray = this.store = undefined;
    if (xray) await xray.stop();
    store?.close();
    if (this.current.kind !== 'stopped') this.setState({ kind: 'stopped' });
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}

function hostForUrl(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}

/** A listener's state in a few words. */
export function describeListener(name: string, s: ListenerState): string {
  if (s.state === 'listening') return `${name} ${s.address}:${s.port}`;
  if (s.state === 'failed') return `${name}: ${s.message}`;
  return `${name} off`;
}
