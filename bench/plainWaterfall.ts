// The baseline of the waterfall benchmark, run in the browser (bench/webview.ts bundles it): the
// same rows as the waterfall, flattened the same way and drawn with the same elements, text and
// bar geometry, but one DOM row per span and no virtualization.
import type { TraceSnapshot } from '../src/protocol/traceView';
import { flatten, ms, outcome } from '../webview/traceView/rows';

const rowHeight = 24;

/** Draws every row of the snapshot into root, in normal flow inside the same scrolling list. */
function render(root: HTMLElement, snap: TraceSnapshot): void {
  const { trace } = snap;
  const rows = flatten(trace);
  const critical = new Set(snap.criticalPath);
  const t0 = trace.startTime;
  const total = Math.max(((trace.endTime ?? t0) - t0) * 1000, 0.001);
  const nameW = Math.min(360, Math.max(200, root.clientWidth * 0.34));
  root.style.setProperty('--name-width', `${nameW}px`);
  const make = (tag: string, cls: string) => {
    const e = document.createElement(tag);
    e.className = cls;
    return e;
  };
  const list = make('div', 'list');
  const box = make('div', 'waterfall');
  // Without it the column grows to every row's height and the list never scrolls.
  box.style.minHeight = '0';
  box.append(list);
  rows.forEach((row, i) => {
    const s = row.span;
    const r = make('div', `row ${outcome(s)}${critical.has(s.id) ? ' critical' : ''}`);
    r.style.position = 'relative';
    r.style.height = `${rowHeight}px`;
    r.dataset.index = String(i);
    const name = make('div', 'name');
    name.style.paddingLeft = `${4 + row.depth * 14}px`;
    const twisty = make('span', 'twisty');
    twisty.textContent = row.end > i ? '▾' : '';
    const label = make('span', 'label');
    label.textContent = s.otelName && s.type !== 'segment' ? s.otelName : s.name;
    label.title = `${s.name}${s.otelName ? ` (${s.otelName})` : ''} · ${row.service}`;
    const marks = [...s.flags.filter((f) => f !== 'repaired'), ...(s.cause?.exceptions.length ? ['exception'] : [])];
    const badges = make('span', 'badges');
    badges.textContent = marks.length ? ` ${marks.join(' · ')}` : '';
    name.append(twisty, make('span', 'dot'), label, badges);
    const lane = make('div', 'lane');
    const bar = make('div', 'bar');
    const dur = make('span', 'dur');
    const s0 = (s.startTime - t0) * 1000;
    const d = s.endTime === undefined ? undefined : (s.endTime - s.startTime) * 1000;
    const left = (s0 / total) * 100;
    const width = ((d ?? total - s0) / total) * 100;
    bar.style.left = `${left}%`;
    bar.style.width = `max(1px, ${width}%)`;
    dur.textContent = d === undefined ? 'in progress' : ms(d);
    const inside = left + width > 88 && width > 12;
    if (inside) dur.classList.add('inside');
    dur.style.left = inside
      ? `calc(${Math.min(100, left + width)}% - 4px)`
      : `min(calc(${Math.max(0, left + width)}% + 4px), calc(100% - 70px))`;
    lane.append(bar, dur);
    r.append(name, lane);
    list.append(r);
  });
  root.replaceChildren(box);
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as { method?: string; params?: TraceSnapshot };
  if (m?.method === 'traceView/snapshot' && m.params) render(document.getElementById('app')!, m.params);
});
