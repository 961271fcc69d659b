// The service map webview: waits for the host's snapshot (after a ready handshake), mounts the map,
// and hands every later snapshot (live updates) to the same view.
import * as proto from '../../src/protocol/serviceMap';
import { host, viewState } from '../shared/host';
import { el } from '../shared/controls';
import { ServiceMapView, type SavedState } from './mapView';
import '../shared/base.css';
import './style.css';

const root = document.getElementById('app')!;
let view: ServiceMapView | undefined;
const saved = viewState.get() as Partial<SavedState> | undefined;

const said = (r: proto.MapActionResult) => r.message;

host.on(proto.snapshot, (params) => {
  const snap = params as proto.ServiceMapSnapshot;
  if (!snap || typeof snap !== 'object' || !Array.isArray(snap.nodes) || !Array.isArray(snap.edges)) {
    view = undefined;
    root.replaceChildren(el('div', 'error', 'The host sent a snapshot this view cannot read.'));
    return;
  }
  if (view) {
    void view.update(snap);
    return;
  }
  view = new ServiceMapView(
    root,
    snap,
    {
      openSlowest: (target) => host.request(proto.openSlowest, { target }).then(said),
      listTraces: (target, minMs, maxMs) =>
        host
          .request(proto.listTraces, {
            target,
            ...(minMs === undefined ? {} : { minMs }),
            ...(maxMs === undefined ? {} : { maxMs }),
          })
          .then(said),
      saveState: (s) => viewState.set(s),
    },
    saved,
  );
});

host.on(proto.failed, (params) => {
  const { message } = (params ?? {}) as { message?: unknown };
  view = undefined;
  root.replaceChildren(
    el('div', 'error', `Could not show the service map: ${typeof message === 'string' ? message : 'unknown error'}`),
  );
});

root.replaceChildren(el('div', 'muted loading', 'Loading service map…'));
host.notify(proto.ready, {});
