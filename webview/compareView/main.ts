// The compare webview: waits for the host's snapshot (after a ready handshake) and mounts the
// view; every action goes back through the typed protocol.
import * as proto from '../../src/protocol/compareView';
import type { GoToCodeResult } from '../../src/protocol/traceView';
import { host, viewState } from '../shared/host';
import { el } from '../shared/controls';
import { CompareView, type CompareViewState } from './view';
import '../shared/base.css';
import './style.css';

const root = document.getElementById('app')!;
let view: CompareView | undefined;
const saved = viewState.get() as (CompareViewState & { traceIdA?: string; traceIdB?: string }) | undefined;

const describe = (r: GoToCodeResult) => (r.opened ? `Opened via ${r.how}` : `Not found: ${r.how}`);

host.on(proto.snapshot, (params) => {
  const snap = params as proto.CompareSnapshot;
  if (!snap || typeof snap !== 'object' || !Array.isArray(snap.rows) || !snap.a || !snap.b || !snap.summary) {
    root.replaceChildren(el('div', 'error', 'The host sent a comparison this view cannot read.'));
    return;
  }
  // The trace ids go into the saved state so the host can reopen this comparison after a reload.
  const sameTraces = saved?.traceIdA === snap.a.traceId && saved?.traceIdB === snap.b.traceId;
  view = new CompareView(
    root,
    snap,
    {
      goToCode: (side, spanId) =>
        host.request(proto.goToCode, { side, spanId }).then(describe, (e: Error) => `Failed: ${e.message}`),
      openTrace: (side) => void host.request(proto.openTrace, { side }),
      saveState: (s) => viewState.set({ ...s, traceIdA: snap.a.traceId, traceIdB: snap.b.traceId }),
    },
    view || !sameTraces ? undefined : saved,
  );
});

host.on(proto.failed, (params) => {
  const { message } = (params ?? {}) as { message?: unknown };
  root.replaceChildren(
    el('div', 'error', `Could not compare the traces: ${typeof message === 'string' ? message : 'unknown error'}`),
  );
});

root.replaceChildren(el('div', 'muted loading', 'Loading both traces…'));
host.notify(proto.ready, {});
