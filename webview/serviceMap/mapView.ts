// The service map: an SVG of nodes with health rings and edges with labels, laid out by elk in a
// worker. Pan and zoom are one transform on the drawing, so they never re-layout; a snapshot with
// the same nodes and edges only refreshes the figures, so positions, zoom and selection stay put.
import { edgeKey, type MapEdge, type MapNode, type ServiceMapSnapshot } from '../../src/protocol/serviceMap';
import { button, el } from '../shared/controls';
import { count, edgeLabel, edgeWidth, health, kindClass, ms, nodeInside, typeLabel, type MapMode } from './figures';
import { layoutInWorker, textWidth } from './layout';
import type { LayoutResult } from './layoutTypes';
import { renderEdge, renderNode, renderOverview, type PanelActions } from './panel';
import { svg, tooltip } from './svg';

/** The circle's diameter: the ring is drawn inside it, edges meet it at its left and right. */
const D = 72;
const ringWidth = 6;
const nameMax = 180;
const edgeLabelHeight = 18;

/** What the map asks of the host, and keeps across reloads. */
export interface MapActions extends Omit<PanelActions, 'selectNode' | 'selectEdge'> {
  saveState(state: SavedState): void;
}

/** What VS Code keeps for the view. */
export interface SavedState {
  mode: MapMode;
  selected?: { node: string } | { edge: string };
}

type Selected = SavedState['selected'];

const structureOf = (s: ServiceMapSnapshot) =>
  [...s.nodes.map((n) => n.id)].sort().join('\n') +
  '\n\n' +
  [...s.edges.map((e) => edgeKey(e.from, e.to))].sort().join('\n');

/** The mounted map; `update` takes every later snapshot. */
export class ServiceMapView {
  private snap: ServiceMapSnapshot;
  private mode: MapMode;
  private selected: Selected;
  private structure = '';
  private layout: LayoutResult | undefined;
  private job = 0;
  /** x, y, k: screen = drawing × k + (x, y). */
  private view = { x: 0, y: 0, k: 1 };
  private moved = false;
  private readonly stage: HTMLElement;
  private readonly drawing: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly panel: HTMLElement;
  private readonly sub: HTMLElement;
  private readonly modeButtons: Record<MapMode, HTMLElement>;
  private readonly message: HTMLElement;
  private nodeEls = new Map<string, SVGGElement>();
  private edgeEls = new Map<
    string,
    { line: SVGPathElement; group: SVGGElement; label: SVGGElement; text: SVGTextElement }
  >();
  private labelWidths: number[] = [];

  constructor(
    root: HTMLElement,
    snap: ServiceMapSnapshot,
    private readonly actions: MapActions,
    state?: Partial<SavedState>,
  ) {
    this.snap = snap;
    this.mode = state?.mode === 'requests' ? 'requests' : 'latency';
    this.selected = state?.selected;

    const header = el('header', 'header');
    const title = el('div', 'title');
    this.sub = el('div', 'sub');
    title.append(el('h1', '', 'Service map'), this.sub);
    const tools = el('div', 'tools');
    const modes = el('div', 'segmented');
    modes.setAttribute('role', 'group');
    modes.setAttribute('aria-label', 'Labels show');
    this.modeButtons = {
      latency: button('Latency', 'Edge labels show average and p99 latency; thicker edges are slower', () =>
        this.setMode('latency'),
      ),
      requests: button('Requests', 'Edge labels show requests and failures; thicker edges are busier', () =>
        this.setMode('requests'),
      ),
    };
    this.modeButtons.latency.classList.add('mode-latency');
    this.modeButtons.requests.classList.add('mode-requests');
    modes.append(this.modeButtons.latency, this.modeButtons.requests);
    const zoomOut = button('−', 'Zoom out (-)', () => this.zoomBy(1 / 1.25));
    const zoomIn = button('+', 'Zoom in (+)', () => this.zoomBy(1.25));
    const fit = button('Fit', 'Fit the map to the window (0)', () => this.fit());
    zoomOut.classList.add('zoom-out');
    zoomIn.classList.add('zoom-in');
    fit.classList.add('fit');
    tools.append(modes, zoomOut, zoomIn, fit);
    header.append(title, tools);

    const main = el('div', 'main');
    this.stage = el('div', 'stage');
    this.drawing = svg('svg', {
      class: 'map',
      role: 'group',
      'aria-label': 'Service map: Tab or arrow keys move between nodes, Enter selects',
    });
    this.drawing.append(this.markers());
    this.viewport = svg('g', { class: 'viewport' });
    this.drawing.append(this.viewport);
    this.message = el('div', 'message muted');
    this.stage.append(this.drawing, this.message);
    this.panel = el('aside', 'panel');
    this.panel.setAttribute('aria-label', 'Details');
    main.append(this.stage, this.panel);
    root.replaceChildren(header, main);

    this.panZoom();
    this.stage.addEventListener('keydown', (e) => this.key(e));
    new ResizeObserver(() => {
      if (!this.moved && this.layout) this.fit(false);
    }).observe(this.stage);
    this.paintMode();
    void this.update(snap);
  }

  /** Takes a snapshot: refreshes the figures in place when nodes and edges are the same, else lays out again. */
  async update(snap: ServiceMapSnapshot): Promise<void> {
    this.snap = snap;
    this.sub.textContent = `${snap.source} · ${snap.nodes.length} nodes · ${snap.edges.length} edges · ${snap.traces} traces${snap.nodes.length ? ` · ${new Date(snap.window.start * 1000).toLocaleTimeString()} – ${new Date(snap.window.end * 1000).toLocaleTimeString()}` : ''}`;
    const structure = structureOf(snap);
    if (this.selected && !this.find(this.selected)) this.selected = undefined;
    if (structure === this.structure && this.layout) {
      this.refresh();
      return;
    }
    this.structure = structure;
    if (!snap.nodes.length) {
      this.layout = undefined;
      this.viewport.replaceChildren();
      this.message.textContent = 'No traces in this window: nothing to draw yet.';
      this.showPanel();
      return;
    }
    this.message.textContent = this.layout ? '' : 'Laying out the map…';
    const job = ++this.job;
    const fonts = this.fonts();
    this.labelWidths = snap.edges.map(
      (e) =>
        Math.ceil(
          Math.max(textWidth(edgeLabel(e, 'latency'), fonts.edge), textWidth(edgeLabel(e, 'requests'), fonts.edge)),
        ) + 14,
    );
    const index = new Map(snap.nodes.map((n, i) => [n.id, i]));
    const started = performance.now();
    const result = await layoutInWorker(
      snap.nodes.map((n) => ({
        size: D,
        labelWidth:
          Math.ceil(Math.min(nameMax, Math.max(textWidth(n.name, fonts.name), textWidth(typeLabel(n), fonts.type)))) +
          8,
        labelHeight: 36,
      })),
      snap.edges.map((e, i) => ({
        from: index.get(e.from)!,
        to: index.get(e.to)!,
        labelWidth: this.labelWidths[i]!,
        labelHeight: edgeLabelHeight,
      })),
    );
    if (job !== this.job) return;
    // The benchmark reads this measure: the worker round trip, elk included.
    performance.measure('trace-lens:serviceMap:layout', {
      start: started,
      end: performance.now(),
      detail: { elkMs: result.elkMs, nodes: snap.nodes.length },
    });
    if (result.error) {
      this.message.textContent = `Could not lay out the map: ${result.error}`;
      return;
    }
    this.message.textContent = '';
    this.layout = result;
    this.draw();
    if (!this.moved) this.fit(false);
    this.showPanel();
    this.drawing.dataset.laidOut = String(job);
  }

  private fonts(): { name: string; type: string; edge: string } {
    const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
    return { name: `600 12px ${family}`, type: `11px ${family}`, edge: `11px ${family}` };
  }

  private find(s: NonNullable<Selected>): MapNode | MapEdge | undefined {
    if ('node' in s) return this.snap.nodes.find((n) => n.id === s.node);
    return this.snap.edges.find((e) => edgeKey(e.from, e.to) === s.edge);
  }

  private markers(): SVGDefsElement {
    const defs = svg('defs');
    for (const cls of ['ok', 'error', 'throttle', 'fault', 'selected']) {
      const m = svg('marker', {
        id: `arrow-${cls}`,
        class: `arrow ${cls}`,
        viewBox: '0 0 10 10',
        refX: 10,
        refY: 5,
        markerWidth: 10,
        markerHeight: 10,
        markerUnits: 'userSpaceOnUse',
        orient: 'auto',
      });
      m.append(svg('path', { d: 'M0,0.5 L10,5 L0,9.5 z' }));
      defs.append(m);
    }
    return defs;
  }

  /** Draws every node and edge at the layout's positions (text as SVG text nodes only). */
  private draw(): void {
    const L = this.layout!;
    const edgesG = svg('g', { class: 'edges' });
    const labelsG = svg('g', { class: 'edge-labels' });
    const nodesG = svg('g', { class: 'nodes' });
    this.nodeEls.clear();
    this.edgeEls.clear();
    this.snap.edges.forEach((e, i) => {
      const r = L.edges[i]!;
      const p = r.points;
      let d = `M${p[0]},${p[1]}`;
      if (r.curve)
        for (let k = 2; k < p.length; k += 6)
          d += ` C${p[k]},${p[k + 1]} ${p[k + 2]},${p[k + 3]} ${p[k + 4]},${p[k + 5]}`;
      else for (let k = 2; k < p.length; k += 2) d += ` L${p[k]},${p[k + 1]}`;
      const key = edgeKey(e.from, e.to);
      const group = svg('g', { class: 'edge' });
      group.dataset.key = key;
      group.append(svg('path', { class: 'hit', d }));
      const line = svg('path', { class: 'line', d });
      group.append(line);
      edgesG.append(group);
      const w = this.labelWidths[i]!;
      const label = svg('g', { class: 'edge-label', transform: `translate(${r.labelX},${r.labelY})` });
      label.dataset.key = key;
      label.append(svg('rect', { width: w, height: edgeLabelHeight, rx: 4 }));
      const text = svg('text', { x: w / 2, y: edgeLabelHeight / 2 + 0.5 });
      label.append(text);
      labelsG.append(label);
      this.edgeEls.set(key, { line, group, label, text });
    });
    // Tab order follows the drawing: left to right, then top to bottom.
    const order = this.snap.nodes
      .map((_, i) => i)
      .sort((a, b) => L.nodes[a]!.x - L.nodes[b]!.x || L.nodes[a]!.y - L.nodes[b]!.y);
    for (const i of order) {
      const n = this.snap.nodes[i]!;
      const { x, y } = L.nodes[i]!;
      const g = svg('g', {
        class: `node kind-${kindClass(n)}`,
        transform: `translate(${x},${y})`,
        tabindex: 0,
        role: 'button',
      });
      g.dataset.id = n.id;
      nodesG.append(g);
      this.nodeEls.set(n.id, g);
    }
    this.viewport.replaceChildren(edgesG, labelsG, nodesG);
    this.refresh();
  }

  /** Writes the figures (labels, rings, edge widths, selection) onto the drawn elements. */
  private refresh(): void {
    const max = { requests: 0, avgMs: 0 };
    for (const e of this.snap.edges) {
      max.requests = Math.max(max.requests, e.requests);
      max.avgMs = Math.max(max.avgMs, e.avgMs ?? 0);
    }
    const sel = this.selected;
    for (const e of this.snap.edges) {
      const key = edgeKey(e.from, e.to);
      const els = this.edgeEls.get(key);
      if (!els) continue;
      const h = health(e);
      const isSel = !!sel && 'edge' in sel && sel.edge === key;
      els.group.setAttribute('class', `edge h-${h}${isSel ? ' selected' : ''}`);
      els.label.setAttribute('class', `edge-label h-${h}${isSel ? ' selected' : ''}`);
      els.line.setAttribute('stroke-width', edgeWidth(e, this.mode, max).toFixed(2));
      els.line.setAttribute('marker-end', `url(#arrow-${isSel ? 'selected' : h})`);
      els.text.textContent = edgeLabel(e, this.mode);
      const name = (id: string) => this.snap.nodes.find((n) => n.id === id)?.name ?? id;
      for (const g of [els.group, els.label]) {
        g.querySelector('title')?.remove();
        tooltip(
          g,
          `${name(e.from)} → ${name(e.to)}: ${count(e.requests)} requests, avg ${ms(e.avgMs)}, p99 ${ms(e.p99Ms)}`,
        );
      }
    }
    for (const n of this.snap.nodes) {
      const g = this.nodeEls.get(n.id);
      if (!g) continue;
      this.drawNode(g, n, !!sel && 'node' in sel && sel.node === n.id);
    }
    this.showPanel();
  }

  private drawNode(g: SVGGElement, n: MapNode, selected: boolean): void {
    const c = D / 2;
    const ringR = c - ringWidth / 2;
    const parts: [string, number][] = [
      ['ok', n.ok],
      ['error', n.error - n.throttle],
      ['throttle', n.throttle],
      ['fault', n.fault],
    ];
    const children: SVGElement[] = [
      svg('circle', { class: 'halo', cx: c, cy: c, r: c + 5 }),
      svg('circle', { class: 'disc', cx: c, cy: c, r: c }),
      svg('circle', { class: 'ring-track', cx: c, cy: c, r: ringR }),
    ];
    let at = 0;
    for (const [cls, v] of parts) {
      if (!v || !n.requests) continue;
      const len = (v / n.requests) * 100;
      // One dashed circle per outcome, started where the previous ended (from 12 o'clock, clockwise).
      children.push(
        svg('circle', {
          class: `ring ${cls}`,
          cx: c,
          cy: c,
          r: ringR,
          pathLength: 100,
          'stroke-dasharray': `${len} ${100 - len}`,
          'stroke-dashoffset': -at,
          transform: `rotate(-90 ${c} ${c})`,
        }),
      );
      at += len;
    }
    const [big, small] = nodeInside(n, this.mode);
    children.push(
      svg('text', { class: 'big', x: c, y: c - 3 }, big),
      svg('text', { class: 'small', x: c, y: c + 12 }, small),
    );
    const fonts = this.fonts();
    children.push(
      svg('text', { class: 'name', x: c, y: D + 16 }, fit(n.name, fonts.name, nameMax)),
      svg('text', { class: 'type', x: c, y: D + 31 }, fit(typeLabel(n), fonts.type, nameMax)),
    );
    const t = svg(
      'title',
      {},
      `${n.name} (${typeLabel(n)}): ${count(n.requests)} requests, avg ${ms(n.avgMs)}, p99 ${ms(n.p99Ms)}, ${n.fault} faults, ${n.error} errors`,
    );
    children.push(t);
    g.replaceChildren(...children);
    g.classList.toggle('selected', selected);
    g.setAttribute('aria-pressed', String(selected));
    g.setAttribute(
      'aria-label',
      `${n.name}, ${typeLabel(n)}, ${count(n.requests)} requests, average ${ms(n.avgMs)}, ${n.fault} faults, ${n.error} errors`,
    );
  }

  private panelActions(): PanelActions {
    return {
      openSlowest: (t) => this.actions.openSlowest(t),
      listTraces: (t, a, b) => this.actions.listTraces(t, a, b),
      selectNode: (id) => this.select({ node: id }, true),
      selectEdge: (from, to) => this.select({ edge: edgeKey(from, to) }, true),
    };
  }

  private showPanel(): void {
    const s = this.selected;
    const item = s ? this.find(s) : undefined;
    if (!s || !item) renderOverview(this.panel, this.snap);
    else if ('node' in s) renderNode(this.panel, this.snap, item as MapNode, this.mode, this.panelActions());
    else renderEdge(this.panel, this.snap, item as MapEdge, this.panelActions());
  }

  /** Selects a node or an edge (or nothing), shows it in the panel, and keeps it across reloads. */
  select(s: Selected, reveal = false): void {
    this.selected = s && this.find(s) ? s : undefined;
    this.refresh();
    this.persist();
    if (reveal && s && 'node' in s) {
      const g = this.nodeEls.get(s.node);
      g?.focus({ preventScroll: true });
    }
  }

  private persist(): void {
    this.actions.saveState({ mode: this.mode, ...(this.selected ? { selected: this.selected } : {}) });
  }

  private setMode(mode: MapMode): void {
    this.mode = mode;
    this.paintMode();
    this.refresh();
    this.persist();
  }

  private paintMode(): void {
    for (const [m, b] of Object.entries(this.modeButtons) as [MapMode, HTMLElement][]) {
      if (m === this.mode) b.removeAttribute('secondary');
      else b.setAttribute('secondary', '');
      b.setAttribute('aria-pressed', String(m === this.mode));
    }
    this.stage.dataset.mode = this.mode;
  }

  private apply(): void {
    const { x, y, k } = this.view;
    this.viewport.setAttribute('transform', `translate(${x},${y}) scale(${k})`);
    // Zoomed far out the edge labels only cover the lines; they come back when they can be read.
    this.stage.classList.toggle('far', k < 0.5);
  }

  /** Fits the drawing into the stage; small maps are not blown up past 1.25×. */
  fit(byUser = true): void {
    if (!this.layout) return;
    const w = this.stage.clientWidth;
    const h = this.stage.clientHeight;
    const k = Math.max(
      0.05,
      Math.min(1.25, (w - 24) / Math.max(1, this.layout.width), (h - 24) / Math.max(1, this.layout.height)),
    );
    this.view = { k, x: (w - this.layout.width * k) / 2, y: (h - this.layout.height * k) / 2 };
    if (byUser) this.moved = false;
    this.apply();
  }

  private zoomBy(f: number, cx = this.stage.clientWidth / 2, cy = this.stage.clientHeight / 2): void {
    const k = Math.min(4, Math.max(0.05, this.view.k * f));
    const r = k / this.view.k;
    this.view = { k, x: cx - (cx - this.view.x) * r, y: cy - (cy - this.view.y) * r };
    this.moved = true;
    this.apply();
  }

  private panZoom(): void {
    let drag: { x: number; y: number; vx: number; vy: number; id: number; far: boolean } | undefined;
    this.drawing.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y, id: e.pointerId, far: false };
    });
    this.drawing.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.far && Math.hypot(dx, dy) < 4) return;
      if (!drag.far) this.drawing.setPointerCapture(e.pointerId);
      drag.far = true;
      this.stage.classList.add('panning');
      this.view = { ...this.view, x: drag.vx + dx, y: drag.vy + dy };
      this.moved = true;
      this.apply();
    });
    const end = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const click = !drag.far;
      drag = undefined;
      this.stage.classList.remove('panning');
      if (click && e.type === 'pointerup') this.click(e);
    };
    this.drawing.addEventListener('pointerup', end);
    this.drawing.addEventListener('pointercancel', end);
    this.drawing.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = this.stage.getBoundingClientRect();
        this.zoomBy(Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), e.clientX - r.left, e.clientY - r.top);
      },
      { passive: false },
    );
  }

  private click(e: PointerEvent): void {
    const t = e.target as Element;
    const node = t.closest<SVGGElement>('.node');
    const edge = t.closest<SVGGElement>('.edge, .edge-label');
    if (node?.dataset.id) {
      this.select({ node: node.dataset.id });
      node.focus({ preventScroll: true });
    } else if (edge?.dataset.key) this.select({ edge: edge.dataset.key });
    else this.select(undefined);
  }

  /** The node nearest the focused one in the arrow's direction (within a 45° cone either side). */
  private neighbour(from: string, dx: number, dy: number): string | undefined {
    const L = this.layout!;
    const at = (id: string) => L.nodes[this.snap.nodes.findIndex((n) => n.id === id)]!;
    const p = at(from);
    let best: string | undefined;
    let bestScore = Infinity;
    for (const n of this.snap.nodes) {
      if (n.id === from) continue;
      const q = at(n.id);
      const vx = q.x - p.x;
      const vy = q.y - p.y;
      const along = vx * dx + vy * dy;
      const across = Math.abs(vx * dy - vy * dx);
      if (along <= 0 || across > along) continue;
      const score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = n.id;
      }
    }
    return best;
  }

  private key(e: KeyboardEvent): void {
    const focused = (document.activeElement as Element | null)?.closest?.<SVGGElement>('.node')?.dataset.id;
    const dirs: Record<string, [number, number]> = {
      ArrowRight: [1, 0],
      ArrowLeft: [-1, 0],
      ArrowDown: [0, 1],
      ArrowUp: [0, -1],
    };
    if (e.key in dirs && this.layout) {
      const [dx, dy] = dirs[e.key]!;
      const next = focused
        ? this.neighbour(focused, dx, dy)
        : this.viewport.querySelector<SVGGElement>('.node')?.dataset.id;
      if (next) this.focusNode(next);
    } else if ((e.key === 'Enter' || e.key === ' ') && focused) this.select({ node: focused });
    else if (e.key === 'Escape') this.select(undefined);
    else if (e.key === '+' || e.key === '=') this.zoomBy(1.25);
    else if (e.key === '-') this.zoomBy(1 / 1.25);
    else if (e.key === '0') this.fit();
    else return;
    e.preventDefault();
  }

  /** Focuses a node, panning it into view when it is outside. */
  private focusNode(id: string): void {
    const g = this.nodeEls.get(id);
    if (!g) return;
    g.focus({ preventScroll: true });
    const L = this.layout!;
    const p = L.nodes[this.snap.nodes.findIndex((n) => n.id === id)]!;
    const sx = p.x * this.view.k + this.view.x;
    const sy = p.y * this.view.k + this.view.y;
    const w = this.stage.clientWidth;
    const h = this.stage.clientHeight;
    if (sx < 0 || sy < 0 || sx + D * this.view.k > w || sy + D * this.view.k > h) {
      this.view = { ...this.view, x: w / 2 - (p.x + D / 2) * this.view.k, y: h / 2 - (p.y + D / 2) * this.view.k };
      this.moved = true;
      this.apply();
    }
  }
}

/** Text cut with an ellipsis to fit a width in a font. */
function fit(text: string, font: string, max: number): string {
  if (textWidth(text, font) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${text.slice(0, mid)}…`, font) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
