// The waterfall: a fixed-height, virtualized list of rows (only the rows in view exist in the
// DOM), bars placed by time ratios of the visible window so zoom and pan only restyle the rows in
// view, the critical path marked, search with next/previous, and keyboard navigation.
import { frameKey, type TraceSnapshot } from '../../src/protocol/traceView';
import { button, checkbox, el, textField } from '../shared/controls';
import { renderDetails, type DetailsActions } from './details';
import { collapsedBelowLevel, collapsedToServices, flatten, ms, outcome, selfMs, visibleRows, type Row } from './rows';
import { drawPooled, rowHeight, rowsInView, tickStep, virtualList } from '../shared/virtualRows';

/** What the view asks the host for. */
export interface ViewActions extends DetailsActions {
  copyTraceId(): void;
  openInConsole(): void;
  saveState(state: { selected?: string; showCriticalPath: boolean }): void;
}

/** The mounted waterfall of one snapshot. */
export class WaterfallView {
  readonly rows: Row[];
  private visible: number[] = [];
  private readonly collapsed = new Set<number>();
  private readonly critical: Set<string>;
  /** The deepest level of the tree (1: roots only), and the one the Level button opened last. */
  private readonly levels: number;
  private level = 0;
  private levelLabel?: HTMLElement;
  private readonly unresolvable?: Readonly<Record<string, string>>;
  private showCritical = true;
  private selected = -1;
  private matches: number[] = [];
  private matchAt = -1;
  private query = '';
  /** The visible time window, as fractions of the trace's span of time. */
  private v0 = 0;
  private v1 = 1;
  private readonly t0: number;
  private readonly total: number;
  private readonly list: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly details: HTMLElement;
  private readonly searchInfo: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private frame = 0;
  /** What the axis was last drawn for: scrolling leaves it as it is. */
  private axisKey = '';
  /**
   * The list's size as its ResizeObserver last reported it, and its scroll offset as its scroll
   * events did: read from the element, they would force a layout of the whole page in the middle
   * of building it (twice on the first paint). Zero until the first layout.
   */
  private size = { width: 0, height: 0 };
  private scrollTop = 0;
  /** A row to scroll into view once the list has a size. */
  private pendingReveal = -1;

  constructor(
    private readonly root: HTMLElement,
    snap: TraceSnapshot,
    private readonly actions: ViewActions,
    state?: { selected?: string; showCriticalPath?: boolean },
  ) {
    const { trace } = snap;
    this.rows = flatten(trace);
    this.levels = this.rows.reduce((max, r) => Math.max(max, r.depth + 1), 1);
    this.critical = new Set(snap.criticalPath);
    this.unresolvable = snap.unresolvableFrames;
    this.showCritical = state?.showCriticalPath ?? true;
    this.t0 = trace.startTime;
    const end = Math.max(
      trace.endTime ?? trace.startTime,
      ...this.rows.slice(0, 1).map((r) => r.span.endTime ?? trace.startTime),
    );
    this.total = Math.max((end - this.t0) * 1000, 0.001);

    root.replaceChildren();
    root.classList.toggle('no-critical', !this.showCritical);
    const header = el('header', 'header');
    const title = el('div', 'title');
    const rootSpan =
      trace.root ?? (snap.rootId === undefined ? undefined : trace.segments.find((s) => s.id === snap.rootId));
    const what = rootSpan?.http?.request
      ? `${rootSpan.http.request.method ?? ''} ${rootSpan.http.request.url ?? ''}`.trim()
      : (rootSpan?.name ?? 'trace');
    const services = new Set<string>();
    for (const r of this.rows) services.add(r.service);
    title.append(
      el('h1', '', what),
      el(
        'div',
        'sub',
        `${trace.id} · ${ms(trace.durationMs ?? this.total)} · ${this.rows.length} ${this.rows.length === 1 ? 'span' : 'spans'} · ${services.size} ${services.size === 1 ? 'service' : 'services'} · ${new Date(this.t0 * 1000).toLocaleString()} · ${snap.origin.source}`,
      ),
    );
    if (snap.partial)
      title.append(
        el(
          'div',
          'sub loading-rest',
          `Showing the first ${snap.partial.shownSpans.toLocaleString()} of ${snap.partial.totalSpans.toLocaleString()} spans; loading the rest…`,
        ),
      );
    const tools = el('div', 'tools');
    const search = textField(
      'Search spans (name, annotation, id)',
      (v) => this.search(v),
      (shift) => this.nextMatch(shift ? -1 : 1),
    );
    this.searchInfo = el('span', 'search-info', '');
    tools.append(
      search,
      this.searchInfo,
      button('↑', 'Previous match (Shift+Enter)', () => this.nextMatch(-1)),
      button('↓', 'Next match (Enter)', () => this.nextMatch(1)),
      checkbox('Critical path', this.showCritical, (on) => {
        this.showCritical = on;
        root.classList.toggle('no-critical', !on);
        this.persist();
      }),
      button('Expand all', 'Expand every span (*)', () => this.setCollapsed(new Set())),
      button('Services', "Open only the way to each service's segment (S)", () =>
        this.setCollapsed(collapsedToServices(this.rows)),
      ),
      this.levelButton(),
      button('Reset zoom', 'Show the whole trace (0)', () => this.zoomTo(0, 1)),
      button('Copy ID', 'Copy the trace id', () => actions.copyTraceId()),
    );
    if (snap.origin.consoleUrl)
      tools.append(
        button('Open in AWS Console', 'Open this trace in the X-Ray console', () => actions.openInConsole()),
      );
    header.append(title, tools);

    const main = el('div', 'main');
    const left = el('div', 'waterfall');
    this.axis = el('div', 'axis');
    const minimap = this.minimap();
    ({ list: this.list, spacer: this.spacer, layer: this.layer } = virtualList('Spans of the trace'));
    left.append(minimap, this.axis, this.list);
    this.details = el('aside', 'details');
    this.details.append(el('div', 'muted', 'Select a span to see its details.'));
    main.append(left, this.details);
    root.append(header, main);

    this.list.addEventListener('scroll', () => {
      this.scrollTop = this.list.scrollTop;
      this.schedule();
    });
    this.list.addEventListener('keydown', (e) => this.key(e));
    this.list.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    this.list.addEventListener('click', (e) => this.click(e));
    this.list.addEventListener('dblclick', (e) => {
      const i = this.rowAt(e);
      if (i >= 0) void this.actions.goToCode(this.rows[i]!.span);
    });
    // Called after layout and before paint: the rows drawn here are on the frame being painted.
    new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      this.size = { width: box.width, height: box.height };
      if (this.pendingReveal >= 0 && box.height > 0) {
        const i = this.pendingReveal;
        this.pendingReveal = -1;
        this.reveal(i);
      } else this.render();
    }).observe(this.list);

    this.visible = visibleRows(this.rows, this.collapsed);
    const keep = state?.selected ? this.rows.findIndex((r) => r.span.id === state.selected) : -1;
    this.render();
    if (keep >= 0) this.select(keep);
    else if (this.rows.length) this.select(0);
  }

  private persist(): void {
    this.actions.saveState({ selected: this.rows[this.selected]?.span.id, showCriticalPath: this.showCritical });
  }

  private minimap(): HTMLElement {
    const box = el('div', 'minimap');
    box.title = 'Drag to zoom into a time range; double-click to reset';
    const canvas = el('canvas');
    const windowEl = el('div', 'mm-window');
    box.append(canvas, windowEl);
    const draw = () => {
      const w = (canvas.width = Math.max(1, box.clientWidth * devicePixelRatio));
      const h = (canvas.height = Math.max(1, box.clientHeight * devicePixelRatio));
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      // Custom properties come back unresolved: read the colours through a probe element.
      const probe = el('span');
      box.append(probe);
      const colour = (o: string) => {
        probe.style.color = `var(--c-${o})`;
        return getComputedStyle(probe).color;
      };
      const palette: Record<string, string> = {
        ok: colour('ok'),
        error: colour('error'),
        fault: colour('fault'),
        throttle: colour('throttle'),
      };
      probe.remove();
      const n = this.rows.length;
      const step = Math.max(1, Math.floor(n / h));
      for (let i = 0; i < n; i += step) {
        const s = this.rows[i]!.span;
        const x0 = (((s.startTime - this.t0) * 1000) / this.total) * w;
        const x1 = s.endTime === undefined ? w : (((s.endTime - this.t0) * 1000) / this.total) * w;
        ctx.fillStyle = palette[outcome(s)]!;
        ctx.fillRect(x0, (i / n) * h, Math.max(1, x1 - x0), Math.max(1, h / n));
      }
    };
    new ResizeObserver(draw).observe(box);
    this.redrawMinimap = draw;
    this.updateMinimap = () => {
      windowEl.style.left = `${this.v0 * 100}%`;
      windowEl.style.width = `${(this.v1 - this.v0) * 100}%`;
    };
    let from: number | undefined;
    const at = (e: PointerEvent) =>
      Math.min(1, Math.max(0, (e.clientX - box.getBoundingClientRect().left) / box.clientWidth));
    box.addEventListener('pointerdown', (e) => {
      from = at(e);
      box.setPointerCapture(e.pointerId);
    });
    box.addEventListener('pointermove', (e) => {
      if (from === undefined) return;
      const to = at(e);
      if (Math.abs(to - from) > 0.002) this.zoomTo(Math.min(from, to), Math.max(from, to));
    });
    box.addEventListener('pointerup', () => (from = undefined));
    box.addEventListener('dblclick', () => this.zoomTo(0, 1));
    return box;
  }

  private updateMinimap = (): void => undefined;
  /** Redraws the overview (after a theme change). */
  redrawMinimap = (): void => undefined;

  /** Replaces the collapsed rows and keeps the selected row in view. */
  private setCollapsed(rows: ReadonlySet<number>): void {
    this.collapsed.clear();
    for (const i of rows) this.collapsed.add(i);
    this.visible = visibleRows(this.rows, this.collapsed);
    // A selection that is now hidden moves up to its ancestor that shows.
    if (this.selected >= 0 && !this.visible.includes(this.selected)) {
      const shown = new Set(this.visible);
      let a = this.rows[this.selected]!.parent;
      while (a >= 0 && !shown.has(a)) a = this.rows[a]!.parent;
      if (a >= 0) return this.select(a);
    }
    this.render();
  }

  /** Opens the tree to a level: levels 1 to 9 from the keyboard, or the button that steps through them. */
  private openToLevel(level: number): void {
    this.level = Math.max(1, Math.min(level, this.levels));
    this.levelLabel?.replaceChildren(`Level ${this.level} of ${this.levels}`);
    this.setCollapsed(collapsedBelowLevel(this.rows, this.level));
  }

  private levelButton(): HTMLElement {
    const b = button(
      'Level…',
      'Open the tree one level deeper each click, back to the roots after the deepest (keys 1-9)',
      () => this.openToLevel(this.level >= this.levels ? 1 : this.level + 1),
    );
    this.levelLabel = b;
    return b;
  }

  private toggle(i: number, open?: boolean): void {
    const r = this.rows[i]!;
    if (r.end === i) return;
    const isOpen = !this.collapsed.has(i);
    if (open === isOpen) return;
    if (isOpen) this.collapsed.add(i);
    else this.collapsed.delete(i);
    this.visible = visibleRows(this.rows, this.collapsed);
    this.render();
  }

  /** Expands every ancestor of row i so it is visible. */
  private reveal(i: number): void {
    let changed = false;
    for (let p = this.rows[i]!.parent; p >= 0; p = this.rows[p]!.parent) if (this.collapsed.delete(p)) changed = true;
    if (changed) this.visible = visibleRows(this.rows, this.collapsed);
    if (!this.size.height) {
      this.pendingReveal = i;
      return;
    }
    const pos = this.visible.indexOf(i);
    const top = pos * rowHeight;
    if (top < this.scrollTop || top + rowHeight > this.scrollTop + this.size.height) {
      // As the browser will clamp it; its scroll event then confirms it.
      this.scrollTop = Math.max(
        0,
        Math.min(top - this.size.height / 3, this.visible.length * rowHeight - this.size.height),
      );
      this.spacer.style.height = `${this.visible.length * rowHeight}px`;
      this.list.scrollTop = this.scrollTop;
    }
    this.render();
  }

  select(i: number): void {
    if (i < 0 || i >= this.rows.length) return;
    this.selected = i;
    this.reveal(i);
    const row = this.rows[i]!;
    renderDetails(
      this.details,
      row.span,
      row.service,
      this.t0,
      {
        ...this.actions,
        selectSpan: (id) => this.select(this.rows.findIndex((r) => r.span.id === id)),
        unresolvable: (s, ei, fi) => this.unresolvable?.[frameKey(s.id, ei, fi)],
      },
      selfMs(this.rows, i),
    );
    this.persist();
  }

  private search(q: string): void {
    this.query = q.trim().toLowerCase();
    this.matches = [];
    if (this.query) {
      this.rows.forEach((r, i) => {
        const s = r.span;
        const hay = [
          s.name,
          s.otelName,
          s.id,
          ...Object.entries(s.annotations).map(([k, v]) => `${k}=${v}`),
          s.http?.request?.url,
        ]
          .filter(Boolean)
          .join('\u0000')
          .toLowerCase();
        if (hay.includes(this.query)) this.matches.push(i);
      });
    }
    this.matchAt = -1;
    this.searchInfo.textContent = this.query ? `${this.matches.length} found` : '';
    if (this.matches.length) this.nextMatch(1);
    else this.render();
  }

  private nextMatch(dir: 1 | -1): void {
    if (!this.matches.length) return;
    this.matchAt = (this.matchAt + dir + this.matches.length) % this.matches.length;
    this.searchInfo.textContent = `${this.matchAt + 1} of ${this.matches.length}`;
    this.select(this.matches[this.matchAt]!);
  }

  private zoomTo(v0: number, v1: number): void {
    const min = 0.0005;
    if (v1 - v0 < min) {
      const mid = (v0 + v1) / 2;
      v0 = mid - min / 2;
      v1 = mid + min / 2;
    }
    this.v0 = Math.max(0, v0);
    this.v1 = Math.min(1, v1);
    this.schedule();
  }

  private wheel(e: WheelEvent): void {
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      const rect = this.layer.getBoundingClientRect();
      const barLeft = rect.left + this.nameWidth();
      const f = Math.min(1, Math.max(0, (e.clientX - barLeft) / Math.max(1, rect.width - this.nameWidth())));
      const at = this.v0 + f * (this.v1 - this.v0);
      const scale = Math.exp(e.deltaY * 0.002);
      this.zoomTo(at - (at - this.v0) * scale, at + (this.v1 - at) * scale);
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      const d = ((e.deltaX || e.deltaY) / Math.max(1, this.size.width)) * (this.v1 - this.v0);
      const w = this.v1 - this.v0;
      const v0 = Math.min(1 - w, Math.max(0, this.v0 + d));
      this.zoomTo(v0, v0 + w);
    }
  }

  private nameWidth(listWidth = this.size.width): number {
    return Math.min(360, Math.max(200, listWidth * 0.34));
  }

  private key(e: KeyboardEvent): void {
    const pos = this.visible.indexOf(this.selected);
    const page = Math.max(1, Math.floor(this.size.height / rowHeight) - 1);
    const go = (p: number) => this.select(this.visible[Math.min(this.visible.length - 1, Math.max(0, p))]!);
    const w = this.v1 - this.v0;
    switch (e.key) {
      case 'ArrowDown':
        go(pos + 1);
        break;
      case 'ArrowUp':
        go(pos - 1);
        break;
      case 'PageDown':
        go(pos + page);
        break;
      case 'PageUp':
        go(pos - page);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(this.visible.length - 1);
        break;
      case 'ArrowRight':
        if (this.collapsed.has(this.selected)) this.toggle(this.selected, true);
        else go(pos + 1);
        break;
      case 'ArrowLeft':
        if (this.rows[this.selected]!.end > this.selected && !this.collapsed.has(this.selected))
          this.toggle(this.selected, false);
        else if (this.rows[this.selected]!.parent >= 0) this.select(this.rows[this.selected]!.parent);
        break;
      case 'Enter':
        void this.actions.goToCode(this.rows[this.selected]!.span);
        break;
      case '+':
      case '=':
        this.zoomTo(this.v0 + w / 4, this.v1 - w / 4);
        break;
      case '-':
        this.zoomTo(this.v0 - w / 2, this.v1 + w / 2);
        break;
      case '0':
        this.zoomTo(0, 1);
        break;
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        this.openToLevel(Number(e.key));
        break;
      case '*':
        this.setCollapsed(new Set());
        break;
      case 's':
      case 'S':
        this.setCollapsed(collapsedToServices(this.rows));
        break;
      case '[':
        this.zoomTo(Math.max(0, this.v0 - w / 4), Math.max(0, this.v0 - w / 4) + w);
        break;
      case ']':
        this.zoomTo(Math.min(1, this.v1 + w / 4) - w, Math.min(1, this.v1 + w / 4));
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private rowAt(e: MouseEvent): number {
    const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.row');
    return rowEl ? Number(rowEl.dataset.index) : -1;
  }

  private click(e: MouseEvent): void {
    const i = this.rowAt(e);
    if (i < 0) return;
    if ((e.target as HTMLElement).closest('.twisty')) this.toggle(i);
    else this.select(i);
    this.list.focus({ preventScroll: true });
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws the time axis for a list of the given width. */
  private renderAxis(listWidth: number): void {
    const key = `${this.v0} ${this.v1} ${listWidth} ${this.visible.length}`;
    if (key === this.axisKey) return;
    this.axisKey = key;
    const nameW = this.nameWidth(listWidth);
    const span = (this.v1 - this.v0) * this.total;
    const width = Math.max(1, listWidth - nameW);
    const step = tickStep(span, width, 80);
    const start = this.v0 * this.total;
    const ticks: HTMLElement[] = [el('div', 'axis-name', `${this.visible.length} of ${this.rows.length} spans`)];
    for (let t = Math.ceil(start / step) * step; t <= start + span; t += step) {
      const tick = el('div', 'tick', ms(t));
      tick.style.left = `${nameW + ((t - start) / span) * width}px`;
      ticks.push(tick);
    }
    this.axis.replaceChildren(...ticks);
  }

  /** Renders the rows in view: reuses a small pool of row elements. */
  render(): void {
    // Not laid out yet: the ResizeObserver renders once the list has a size.
    if (!this.size.height) return;
    const n = this.visible.length;
    this.spacer.style.height = `${n * rowHeight}px`;
    const [first, last] = rowsInView(this.scrollTop, this.size.height, n);
    const listWidth = this.size.width;
    const nameW = this.nameWidth(listWidth);
    this.root.style.setProperty('--name-width', `${nameW}px`);
    const span = (this.v1 - this.v0) * this.total;
    const start = this.v0 * this.total;
    const matchSet = this.query ? new Set(this.matches) : undefined;
    const make = () => {
      const r = el('div', 'row');
      r.setAttribute('role', 'treeitem');
      const name = el('div', 'name');
      name.append(el('span', 'twisty'), el('span', 'dot'), el('span', 'label'), el('span', 'badges'));
      const lane = el('div', 'lane');
      lane.append(el('div', 'bar'), el('span', 'dur'));
      r.append(name, lane);
      return r;
    };
    drawPooled(this.pool, this.layer, first, last, make, (r, vi) => {
      const i = this.visible[vi]!;
      const row = this.rows[i]!;
      const s = row.span;
      r.dataset.index = String(i);
      r.style.transform = `translateY(${vi * rowHeight}px)`;
      r.className = `row ${outcome(s)}${i === this.selected ? ' selected' : ''}${this.critical.has(s.id) ? ' critical' : ''}${matchSet?.has(i) ? ' match' : ''}`;
      r.setAttribute('aria-level', String(row.depth + 1));
      r.setAttribute('aria-selected', String(i === this.selected));
      const [name, lane] = r.children as unknown as [HTMLElement, HTMLElement];
      name.style.paddingLeft = `${4 + row.depth * 14}px`;
      const [twisty, , label, badges] = name.children as unknown as HTMLElement[];
      const hasKids = row.end > i;
      twisty!.textContent = hasKids ? (this.collapsed.has(i) ? '▸' : '▾') : '';
      if (hasKids) r.setAttribute('aria-expanded', String(!this.collapsed.has(i)));
      else r.removeAttribute('aria-expanded');
      label!.textContent = s.otelName && s.type !== 'segment' ? s.otelName : s.name;
      label!.title = `${s.name}${s.otelName ? ` (${s.otelName})` : ''} · ${row.service}`;
      const marks = [...s.flags.filter((f) => f !== 'repaired'), ...(s.cause?.exceptions.length ? ['exception'] : [])];
      badges!.textContent = marks.length ? ` ${marks.join(' · ')}` : '';
      const [bar, dur] = lane.children as unknown as [HTMLElement, HTMLElement];
      const s0 = (s.startTime - this.t0) * 1000;
      const d = s.endTime === undefined ? undefined : (s.endTime - s.startTime) * 1000;
      const left = ((s0 - start) / span) * 100;
      const width = (((d ?? this.total - s0) as number) / span) * 100;
      bar.style.left = `${left}%`;
      bar.style.width = `max(1px, ${width}%)`;
      bar.classList.toggle('open-ended', d === undefined);
      dur.textContent = d === undefined ? 'in progress' : ms(d);
      // Beside the bar where there is room, else inside its right end.
      const inside = left + width > 88 && width > 12;
      dur.classList.toggle('inside', inside);
      dur.style.left = inside
        ? `calc(${Math.min(100, left + width)}% - 4px)`
        : `min(calc(${Math.max(0, left + width)}% + 4px), calc(100% - 70px))`;
    });
    this.renderAxis(listWidth);
    this.updateMinimap();
  }
}
