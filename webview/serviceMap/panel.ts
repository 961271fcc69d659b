// The side panel of the map: the overview when nothing is selected, else the selected node's or
// edge's outcomes, latency and response-time distribution, where a drag picks a latency range to
// list; and the actions that go to the host.
import type {
  MapEdge,
  MapHistogram,
  MapNode,
  MapStats,
  MapTarget,
  ServiceMapSnapshot,
} from '../../src/protocol/serviceMap';
import { button, el } from '../shared/controls';
import { count, edgeLabel, ms, percent, typeLabel, type MapMode } from './figures';
import { svg, tooltip } from './svg';

/** What the panel asks of the host and of the map; the promises resolve to a line to show. */
export interface PanelActions {
  openSlowest(target: MapTarget): Promise<string>;
  listTraces(target: MapTarget, minMs?: number, maxMs?: number): Promise<string>;
  selectNode(id: string): void;
  selectEdge(from: string, to: string): void;
}

/** Below this many completed calls the panel says the percentiles rest on few samples. */
const fewSamples = 30;

/** The overview: what the map counted, the legend of the rings, how to use it. */
export function renderOverview(panel: HTMLElement, snap: ServiceMapSnapshot): void {
  const fmt = (s: number) => new Date(s * 1000).toLocaleString();
  const legend = el('ul', 'legend');
  for (const [cls, label] of [
    ['ok', 'OK'],
    ['error', 'Error (4xx)'],
    ['throttle', 'Throttled (429)'],
    ['fault', 'Fault (5xx)'],
  ] as const) {
    const li = el('li');
    li.append(el('span', `swatch ${cls}`), el('span', '', label));
    legend.append(li);
  }
  const kv = table([
    ['Nodes', String(snap.nodes.length)],
    ['Edges', String(snap.edges.length)],
    ['Traces', String(snap.traces)],
    ['From', snap.nodes.length ? fmt(snap.window.start) : '–'],
    ['To', snap.nodes.length ? fmt(snap.window.end) : '–'],
  ]);
  panel.replaceChildren(
    el('h2', '', 'Service map'),
    el('div', 'sub', snap.source),
    kv,
    el('h3', '', 'Health ring'),
    legend,
    el(
      'p',
      'muted hint',
      'Click a node or an edge (or Tab to a node and press Enter) to see its latency and list its traces. Drag to pan, scroll to zoom.',
    ),
  );
}

function table(rows: [string, string, string?][]): HTMLTableElement {
  const t = el('table', 'kv');
  for (const [k, v, cls] of rows) {
    const tr = el('tr', cls);
    tr.append(el('th', '', k), el('td', '', v));
    t.append(tr);
  }
  return t;
}

/** The stacked outcome bar and its table. */
function outcomes(s: MapStats): HTMLElement[] {
  const bar = el('div', 'outcome-bar');
  bar.setAttribute('aria-hidden', 'true');
  const parts: [string, number][] = [
    ['ok', s.ok],
    ['error', s.error - s.throttle],
    ['throttle', s.throttle],
    ['fault', s.fault],
  ];
  for (const [cls, n] of parts) {
    if (!n) continue;
    const seg = el('span', cls);
    seg.style.flexGrow = String(n);
    bar.append(seg);
  }
  const row = (label: string, n: number, cls: string): [string, string, string] => [
    label,
    `${count(n)} (${percent(n, s.requests)})`,
    `o-${cls}`,
  ];
  return [
    bar,
    table([
      ['Requests', count(s.requests)],
      row('OK', s.ok, 'ok'),
      row('Errors (4xx)', s.error, 'error'),
      row('Throttled (429)', s.throttle, 'throttle'),
      row('Faults (5xx)', s.fault, 'fault'),
    ]),
  ];
}

function latency(s: MapStats): HTMLElement[] {
  const note = s.samples < fewSamples ? ` (few samples: ${s.samples})` : ` (${count(s.samples)} completed calls)`;
  return [
    el('h3', '', 'Latency'),
    el('div', 'muted small', s.samples ? `Nearest-rank percentiles${note}` : 'No completed calls.'),
    table([
      ['Average', ms(s.avgMs)],
      ['p50', ms(s.p50Ms)],
      ['p90', ms(s.p90Ms)],
      ['p99', ms(s.p99Ms)],
      ['Max', ms(s.maxMs)],
    ]),
  ];
}

/**
 * The response-time distribution: equal-width bars on the histogram's log-spaced edges. Dragging
 * (or Shift+arrows) picks bars; releasing (or Enter) reports the range [first bar's low edge,
 * last bar's high edge).
 */
export function histogram(h: MapHistogram, onRange: (minMs: number, maxMs: number) => void): HTMLElement {
  const box = el('div', 'histogram');
  const n = h.counts.length;
  if (!n) {
    box.append(el('div', 'muted small', 'No completed calls to draw.'));
    return box;
  }
  const W = 320;
  const H = 84;
  const bw = W / n;
  const max = Math.max(1, ...h.counts);
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H + 18}`,
    class: 'hist',
    role: 'slider',
    tabindex: 0,
    'aria-label':
      'Response-time distribution: drag or use Shift+arrow keys to select a latency range, Enter to list its traces',
  });
  const sel = svg('rect', { class: 'hist-sel', x: 0, y: 0, width: 0, height: H, visibility: 'hidden' });
  chart.append(sel);
  const bars: SVGRectElement[] = [];
  h.counts.forEach((c, i) => {
    const bh = c ? Math.max(2, (c / max) * (H - 4)) : 0;
    const g = svg('g', { class: 'hist-bar' });
    // A full-height transparent cell makes thin bars easy to hit and gives each a tooltip.
    g.append(svg('rect', { class: 'hist-cell', x: i * bw, y: 0, width: bw, height: H }));
    const r = svg('rect', { class: 'hist-fill', x: i * bw + 1, y: H - bh, width: Math.max(1, bw - 2), height: bh });
    g.append(r);
    tooltip(g, `${ms(h.edgesMs[i])} – ${ms(h.edgesMs[i + 1])}: ${c} call${c === 1 ? '' : 's'}`);
    bars.push(r);
    chart.append(g);
  });
  chart.append(svg('line', { class: 'hist-axis', x1: 0, x2: W, y1: H + 0.5, y2: H + 0.5 }));
  // Edge labels at the ends and the middle: the edges are round numbers, so they read at a glance.
  const ticks = n >= 4 ? [0, Math.round(n / 2), n] : [0, n];
  for (const t of ticks)
    chart.append(
      svg(
        'text',
        { class: 'hist-tick', x: t * bw, y: H + 13, 'text-anchor': t === 0 ? 'start' : t === n ? 'end' : 'middle' },
        ms(h.edgesMs[t]),
      ),
    );
  const info = el('div', 'muted small hist-info', 'Drag across the bars to list the traces in a latency range.');

  let a = -1;
  let b = -1;
  const show = () => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    sel.setAttribute('visibility', a < 0 ? 'hidden' : 'visible');
    sel.setAttribute('x', String(lo * bw));
    sel.setAttribute('width', String((hi - lo + 1) * bw));
    bars.forEach((r, i) => r.classList.toggle('in-range', a >= 0 && i >= lo && i <= hi));
    if (a >= 0) {
      const calls = h.counts.slice(lo, hi + 1).reduce((x, y) => x + y, 0);
      info.textContent = `${ms(h.edgesMs[lo])} – ${ms(h.edgesMs[hi + 1])}: ${calls} call${calls === 1 ? '' : 's'}`;
      chart.setAttribute('aria-valuetext', info.textContent);
    }
  };
  const commit = () => {
    if (a < 0) return;
    onRange(h.edgesMs[Math.min(a, b)]!, h.edgesMs[Math.max(a, b) + 1]!);
  };
  const barAt = (e: PointerEvent) => {
    const r = chart.getBoundingClientRect();
    return Math.min(n - 1, Math.max(0, Math.floor(((e.clientX - r.left) / Math.max(1, r.width)) * n)));
  };
  let dragging = false;
  chart.addEventListener('pointerdown', (e) => {
    dragging = true;
    chart.setPointerCapture(e.pointerId);
    a = b = barAt(e);
    show();
  });
  chart.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    b = barAt(e);
    show();
  });
  chart.addEventListener('pointerup', () => {
    if (!dragging) return;
    dragging = false;
    commit();
  });
  chart.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step) {
      if (a < 0) a = b = step > 0 ? 0 : n - 1;
      else if (e.shiftKey) b = Math.min(n - 1, Math.max(0, b + step));
      else a = b = Math.min(n - 1, Math.max(0, b + step));
      show();
    } else if (e.key === 'Enter') commit();
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  box.append(chart, info);
  return box;
}

/** The actions row and the line that says how the last one ended. */
function actions(target: MapTarget, stats: MapStats, act: PanelActions): { row: HTMLElement; status: HTMLElement } {
  const status = el('div', 'status');
  status.setAttribute('role', 'status');
  const run = (p: Promise<string>) => {
    status.textContent = 'Asking the host…';
    p.then(
      (m) => (status.textContent = m),
      (e: Error) => (status.textContent = `Failed: ${e.message}`),
    );
  };
  const row = el('div', 'actions');
  const slow = button(
    'Open slowest trace',
    stats.slowestTraceId ? `Open trace ${stats.slowestTraceId} (${ms(stats.maxMs)})` : 'No completed call',
    () => run(act.openSlowest(target)),
    false,
  );
  slow.classList.add('open-slowest');
  if (!stats.slowestTraceId) slow.setAttribute('disabled', '');
  const list = button('List traces in sidebar', 'Show the traces through here in the Traces view', () =>
    run(act.listTraces(target)),
  );
  list.classList.add('list-traces');
  row.append(slow, list);
  return { row, status };
}

function distribution(target: MapTarget, s: MapStats, act: PanelActions, status: HTMLElement): HTMLElement[] {
  const hist = histogram(s.histogram, (minMs, maxMs) => {
    status.textContent = 'Asking the host…';
    act.listTraces(target, minMs, maxMs).then(
      (m) => (status.textContent = m),
      (e: Error) => (status.textContent = `Failed: ${e.message}`),
    );
  });
  return [el('h3', '', 'Response time distribution'), hist];
}

/** A clickable line that selects another node or edge. */
function link(text: string, title: string, onClick: () => void): HTMLElement {
  const a = el('button', 'link', text);
  a.type = 'button';
  a.title = title;
  a.addEventListener('click', onClick);
  return a;
}

/** The panel of a selected node, with its callers and callees as links to their edges. */
export function renderNode(
  panel: HTMLElement,
  snap: ServiceMapSnapshot,
  n: MapNode,
  mode: MapMode,
  act: PanelActions,
): void {
  const target: MapTarget = { node: n.id };
  const name = (id: string) => snap.nodes.find((x) => x.id === id)?.name ?? id;
  const { row, status } = actions(target, n, act);
  const out = snap.edges.filter((e) => e.from === n.id);
  const inn = snap.edges.filter((e) => e.to === n.id);
  const edgeList = (title: string, edges: MapEdge[], other: (e: MapEdge) => string, arrow: string) => {
    if (!edges.length) return [];
    const ul = el('ul', 'links');
    for (const e of edges) {
      const li = el('li');
      li.append(
        link(`${arrow} ${name(other(e))}`, `Select the edge ${name(e.from)} → ${name(e.to)}`, () =>
          act.selectEdge(e.from, e.to),
        ),
        el('span', 'muted small', ` ${edgeLabel(e, mode)}`),
      );
      ul.append(li);
    }
    return [el('h3', '', title), ul];
  };
  const head = el('div', 'panel-head');
  head.append(el('h2', 'title', n.name));
  panel.replaceChildren(
    head,
    el('div', 'sub', typeLabel(n)),
    row,
    status,
    ...outcomes(n),
    ...latency(n),
    ...distribution(target, n, act, status),
    ...edgeList('Calls', out, (e) => e.to, '→'),
    ...edgeList('Called by', inn, (e) => e.from, '←'),
  );
}

/** The panel of a selected edge, with links to its two ends. */
export function renderEdge(panel: HTMLElement, snap: ServiceMapSnapshot, e: MapEdge, act: PanelActions): void {
  const target: MapTarget = { edge: { from: e.from, to: e.to } };
  const from = snap.nodes.find((x) => x.id === e.from);
  const to = snap.nodes.find((x) => x.id === e.to);
  const { row, status } = actions(target, e, act);
  const ends = el('div', 'ends');
  ends.append(
    link(from?.name ?? e.from, 'Select the caller', () => act.selectNode(e.from)),
    el('span', 'muted', ' → '),
    link(to?.name ?? e.to, 'Select the callee', () => act.selectNode(e.to)),
  );
  const head = el('div', 'panel-head');
  head.append(el('h2', 'title', `${from?.name ?? '?'} → ${to?.name ?? '?'}`));
  panel.replaceChildren(
    head,
    el('div', 'sub', 'Calls between two nodes'),
    ends,
    row,
    status,
    ...outcomes(e),
    ...latency(e),
    ...distribution(target, e, act, status),
  );
}
