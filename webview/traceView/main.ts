// The trace waterfall webview: waits for the host's snapshot (after a ready handshake) and mounts
// the view; every action goes back through the typed protocol.
import * as proto from '../../src/protocol/traceView';
import { host, viewState } from '../shared/host';
import { button, checkbox, el, textField } from '../shared/controls';
import { WaterfallView } from './view';
import '../shared/base.css';
import './style.css';

const root = document.getElementById('app')!;
const saved = viewState.get() as { selected?: string; showCriticalPath?: boolean } | undefined;
/** The view's state as it last saved it: the whole trace replaces a first screen without losing it. */
let current: { selected?: string; showCriticalPath?: boolean } | undefined = saved;
let view: WaterfallView | undefined;
// VS Code announces a theme change on the body's class and the root's style (its --vscode-*
// variables); the rows follow through CSS, the minimap's canvas has to be drawn again.
const themeWatch = new MutationObserver(() => view?.redrawMinimap());
themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

const describe = (r: proto.GoToCodeResult) => (r.opened ? `Opened via ${r.how}` : `Not found: ${r.how}`);

host.on(proto.snapshot, (params) => {
  const snap = params as proto.TraceSnapshot;
  if (!snap || typeof snap !== 'object' || !snap.trace || !Array.isArray(snap.trace.segments)) {
    root.replaceChildren(el('div', 'error', 'The host sent a snapshot this view cannot read.'));
    return;
  }
  view = new WaterfallView(
    root,
    snap,
    {
      goToCode: (span) =>
        host.request(proto.goToCode, { spanId: span.id }).then(describe, (e: Error) => `Failed: ${e.message}`),
      goToFrame: (span, exception, frame) =>
        host
          .request(proto.goToFrame, { spanId: span.id, exception, frame })
          .then(describe, (e: Error) => `Failed: ${e.message}`),
      copyTraceId: () => void host.request(proto.copyTraceId, {}),
      openInConsole: () => void host.request(proto.openInConsole, {}),
      saveState: (s) => {
        current = s;
        viewState.set({ ...s, traceId: snap.trace.id });
      },
    },
    current,
  );
  // A first screen: once it is on screen, ask for the whole trace.
  if (snap.partial) requestAnimationFrame(() => requestAnimationFrame(() => host.notify(proto.rest, {})));
});

host.on(proto.failed, (params) => {
  const { message } = (params ?? {}) as { message?: unknown };
  root.replaceChildren(
    el('div', 'error', `Could not show the trace: ${typeof message === 'string' ? message : 'unknown error'}`),
  );
});

root.replaceChildren(el('div', 'muted loading', 'Loading trace…'));
host.notify(proto.ready, {});
// The header's date is the first toLocaleString of the page, which loads the locale data (25-40 ms);
// do it now, while the host loads the trace, instead of before the first paint.
new Date(0).toLocaleString();
// Likewise the controls: the first of each kind compiles its templates and styles. One of each,
// off screen while the host loads the trace, makes the header's the second.
const warm = el('div');
warm.setAttribute('aria-hidden', 'true');
warm.style.cssText = 'position:absolute;left:-10000px;top:0;visibility:hidden';
warm.append(
  button('-', '', () => undefined),
  textField(
    '',
    () => undefined,
    () => undefined,
  ),
  checkbox('', false, () => undefined),
);
document.body.append(warm);
requestAnimationFrame(() => requestAnimationFrame(() => warm.remove()));
