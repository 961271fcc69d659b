// The compare view: the aligned tree of two traces, a bar lane for each on one time scale (each
// relative to its own trace's start), and the delta of every row; a "what changed" list that jumps
// to its rows. Fixed-height rows, virtualized like the waterfall, so 20,000 rows stay smooth.
import { formatMs } from '../../src/model/duration';
import { rowPath, type CompareRow, type CompareSide, type Contributor } from '../../src/model/traceComparison';
import type { CompareSideName, CompareSnapshot, ComparedTrace } from '../../src/protocol/compareView';
import { button, checkbox, el } from '../shared/controls';
import { drawPooled, rowHeight, rowsInView, tickStep, virtualList } from '../shared/virtualRows';
import { differingRows, ratioText, signedMs, trend } from './format';

/** What the view asks the host for. */
export interface CompareActions {
  goToCode(side: CompareSideName, spanId: string): Promise<string>;
  openTrace(side: CompareSideName): void;
  saveState(state: CompareViewState): void;
}

/** What survives a reload of the view. */
export interface CompareViewState {
  readonly selected?: number;
  readonly onlyDifferences?: boolean;
}

const kindText: Record<Contributor['kind'], string> = {
  slower: 'slower',
  faster: 'faster',
  added: 'added',
  removed: 'removed',
};

/** The mounted comparison of one snapshot. */
export class CompareView {
  readonly rows: readonly CompareRow[];
  private visible: number[];
  private readonly differing: number[];
  private onlyDifferences: boolean;
  private selected = -1;
  private readonly total: number;
  private readonly list: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private frame = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly snap: CompareSnapshot,
    private readonly actions: CompareActions,
    state?: CompareViewState,
  ) {
    this.rows = snap.rows;
    this.differing = differingRows(this.rows);
    this.onlyDifferences = state?.onlyDifferences ?? false;
    this.visible = this.filtered();
    // One scale for both lanes: the longer trace fills its lane, the shorter one shows how much shorter.
    let end = Math.max(snap.a.durationMs ?? 0, snap.b.durationMs ?? 0);
    for (const r of this.rows) for (const s of [r.a, r.b]) if (s) end = Math.max(end, s.startMs + (s.durationMs ?? 0));
    this.total = Math.max(end, 0.001);

    root.replaceChildren();
    root.append(this.header());
    const tools = el('div', 'tools');
    const c = snap.summary.counts;
    tools.append(
      checkbox('Only differences', this.onlyDifferences, (on) => this.setOnlyDifferences(on)),
      el(
        'span',
        'counts',
        `${c.both} aligned · ${c.onlyA} only in A · ${c.onlyB} only in B · ${c.changed} changed${c.statusChanged ? ` · ${c.statusChanged} status changes` : ''}`,
      ),
      el('span', 'hint', 'N / Shift+N: next / previous difference · Enter: Go to Code'),
    );
    root.append(tools);

    this.axis = el('div', 'axis');
    ({ list: this.list, spacer: this.spacer, layer: this.layer } = virtualList('Spans of both traces, aligned'));
    this.footer = el('footer', 'footer');
    root.append(this.axis, this.list, this.footer);

    this.list.addEventListener('scroll', () => this.schedule());
    this.list.addEventListener('keydown', (e) => this.key(e));
    this.list.addEventListener('click', (e) => {
      const i = this.rowAt(e);
      if (i < 0) return;
      this.select(i);
      this.list.focus({ preventScroll: true });
    });
    this.list.addEventListener('dblclick', (e) => {
      const i = this.rowAt(e);
      if (i >= 0) void this.goToCode(i);
    });
    new ResizeObserver(() => this.schedule()).observe(this.list);

    const keep = state?.selected;
    this.render();
    this.select(
      keep !== undefined && keep >= 0 && keep < this.rows.length ? keep : (this.snap.summary.contributors[0]?.row ?? 0),
    );
  }

  private header(): HTMLElement {
    const { a, b, summary } = this.snap;
    const header = el('header', 'header');
    const traces = el('div', 'traces');
    const line = (side: CompareSideName, t: ComparedTrace) => {
      const row = el('div', `trace side-${side}`);
      const open = button(`Open ${side.toUpperCase()}`, `Open trace ${side.toUpperCase()} in its own waterfall`, () =>
        this.actions.openTrace(side),
      );
      row.append(
        el('span', `side-tag ${side}`, side.toUpperCase()),
        el('span', 'trace-title', t.title),
        el('span', 'trace-id', t.traceId),
        el(
          'span',
          'trace-meta',
          `${formatMs(t.durationMs)} · ${new Date(t.startTime * 1000).toLocaleString()} · ${t.label}`,
        ),
        open,
      );
      return row;
    };
    traces.append(line('a', a), line('b', b));
    const total = el(
      'div',
      `total ${summary.deltaMs === undefined ? '' : summary.deltaMs > 0 ? 'slower' : summary.deltaMs < 0 ? 'faster' : ''}`,
    );
    const ratio = a.durationMs && b.durationMs ? ratioText(b.durationMs / a.durationMs) : '';
    total.append(
      el('div', 'total-label', 'B vs A'),
      el('div', 'total-delta', signedMs(summary.deltaMs)),
      el('div', 'total-ratio', ratio ? `${ratio} the time` : ''),
    );
    const top = el('div', 'header-top');
    top.append(traces, total);

    const changes = el('section', 'changes');
    changes.setAttribute('aria-label', 'What changed');
    changes.append(el('h2', '', 'What changed'));
    if (!summary.contributors.length && !summary.statusChanges.length)
      changes.append(el('div', 'muted', 'No span got noticeably slower or faster, and none was added or removed.'));
    const list = el('ol', 'contributors');
    for (const c of summary.contributors) {
      const r = this.rows[c.row];
      if (!r) continue;
      const li = el('li');
      const item = el('button', `contributor ${c.kind}`);
      item.type = 'button';
      item.title = rowPath(this.rows, c.row).join(' › ');
      const detail =
        c.kind === 'slower' || c.kind === 'faster'
          ? `self ${formatMs(r.a?.selfMs)} → ${formatMs(r.b?.selfMs)}`
          : c.kind === 'added'
            ? `only in B · ${formatMs(r.b?.durationMs)}`
            : `only in A · ${formatMs(r.a?.durationMs)}`;
      item.append(
        el('span', 'c-ms', signedMs(c.ms)),
        el(
          'span',
          'c-kind',
          c.kind === 'added' ? '+ added' : c.kind === 'removed' ? '\u2212 removed' : kindText[c.kind],
        ),
        el('span', 'c-name', `${r.name}${r.occurrence ? ` #${r.occurrence + 1}` : ''}`),
        el('span', 'c-detail', detail),
      );
      item.addEventListener('click', () => this.jumpTo(c.row));
      li.append(item);
      list.append(li);
    }
    for (const i of summary.statusChanges.slice(0, 3)) {
      const r = this.rows[i];
      if (!r?.a || !r.b) continue;
      const li = el('li');
      const item = el('button', `contributor status ${r.b.status}`);
      item.type = 'button';
      item.title = rowPath(this.rows, i).join(' › ');
      item.append(
        el('span', 'c-ms', ''),
        el('span', 'c-kind', `${r.a.status} → ${r.b.status}`),
        el('span', 'c-name', r.name),
        el('span', 'c-detail', 'status changed'),
      );
      item.addEventListener('click', () => this.jumpTo(i));
      li.append(item);
      list.append(li);
    }
    changes.append(list);
    header.append(top, changes);
    return header;
  }

  private filtered(): number[] {
    return this.onlyDifferences ? this.differing : Array.from(this.rows, (_, i) => i);
  }

  private setOnlyDifferences(on: boolean): void {
    this.onlyDifferences = on;
    this.visible = this.filtered();
    this.root.classList.toggle('only-differences', on);
    if (this.selected >= 0 && !this.visible.includes(this.selected)) this.selected = this.visible[0] ?? -1;
    this.reveal();
    this.persist();
  }

  private persist(): void {
    this.actions.saveState({ selected: this.selected, onlyDifferences: this.onlyDifferences });
  }

  /** Selects a row from the summary: shows it even when the filter hides it, and focuses the list. */
  private jumpTo(i: number): void {
    if (this.onlyDifferences && !this.visible.includes(i)) {
      const box = this.root.querySelector<HTMLElement & { checked: boolean }>('.tools vscode-checkbox');
      if (box) box.checked = false;
      this.setOnlyDifferences(false);
    }
    this.select(i);
    this.list.focus({ preventScroll: true });
  }

  /** Selects row i (a row index) and scrolls it into view. */
  select(i: number): void {
    if (i < 0 || i >= this.rows.length) return;
    this.selected = i;
    this.reveal();
    this.renderFooter();
    this.persist();
  }

  private reveal(): void {
    const pos = this.visible.indexOf(this.selected);
    if (pos >= 0) {
      const top = pos * rowHeight;
      if (top < this.list.scrollTop || top + rowHeight > this.list.scrollTop + this.list.clientHeight)
        this.list.scrollTop = Math.max(0, top - this.list.clientHeight / 3);
    }
    this.render();
  }

  private goToCode(i: number, side?: CompareSideName): Promise<void> {
    const r = this.rows[i]!;
    const which = side ?? (r.b ? 'b' : 'a');
    const s = r[which];
    if (!s) return Promise.resolve();
    const status = this.footer.querySelector('.status');
    if (status) status.textContent = `Locating ${which.toUpperCase()}…`;
    return this.actions.goToCode(which, s.spanId).then((how) => {
      const now = this.footer.querySelector('.status');
      if (now && this.selected === i) now.textContent = how;
    });
  }

  private renderFooter(): void {
    const r = this.rows[this.selected];
    this.footer.replaceChildren();
    if (!r) return;
    const path = el('div', 'path', rowPath(this.rows, this.selected).join(' › '));
    path.title = path.textContent ?? '';
    const side = (name: CompareSideName, s: CompareSide | undefined) => {
      const box = el('div', `side side-${name}`);
      box.append(el('span', `side-tag ${name}`, name.toUpperCase()));
      if (!s) box.append(el('span', 'muted', 'not in this trace'));
      else {
        box.append(
          el('span', `dot ${s.status}`),
          el(
            'span',
            '',
            `${formatMs(s.durationMs)} · self ${formatMs(s.selfMs)} · at +${formatMs(s.startMs)}${s.status === 'ok' ? '' : ` · ${s.status}`}`,
          ),
        );
        box.append(
          button(
            'Go to Code',
            `Open the code of this span in trace ${name.toUpperCase()}`,
            () => void this.goToCode(this.selected, name),
          ),
        );
      }
      return box;
    };
    const delta = el('div', `side delta ${trend(r)}`);
    delta.append(
      el(
        'span',
        'delta-main',
        r.presence === 'both'
          ? `${signedMs(r.deltaMs)} ${ratioText(r.ratio)}`
          : r.presence === 'b'
            ? `+ added ${formatMs(r.b?.durationMs)}`
            : `\u2212 removed ${formatMs(r.a?.durationMs)}`,
      ),
      el('span', 'muted', `self ${signedMs(r.selfDeltaMs)}`),
    );
    const line = el('div', 'sides');
    line.append(side('a', r.a), side('b', r.b), delta, el('span', 'status', ''));
    this.footer.append(path, line);
  }

  private key(e: KeyboardEvent): void {
    const pos = this.visible.indexOf(this.selected);
    const page = Math.max(1, Math.floor(this.list.clientHeight / rowHeight) - 1);
    const go = (p: number) => this.select(this.visible[Math.min(this.visible.length - 1, Math.max(0, p))]!);
    const r = this.rows[this.selected];
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
      case 'ArrowLeft':
        if (r && r.parent >= 0) this.select(r.parent);
        break;
      case 'ArrowRight':
        if (r && r.end > this.selected) go(pos + 1);
        break;
      case 'Enter':
        if (r) void this.goToCode(this.selected);
        break;
      case 'n':
      case 'N':
        this.nextDifference(e.shiftKey ? -1 : 1);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private nextDifference(dir: 1 | -1): void {
    const n = this.rows.length;
    for (let k = 1; k <= n; k++) {
      const i = (this.selected + dir * k + n) % n;
      if (this.rows[i]!.changed) return this.select(i);
    }
  }

  private rowAt(e: MouseEvent): number {
    const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.row');
    return rowEl ? Number(rowEl.dataset.index) : -1;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private nameWidth(): number {
    return Math.round(Math.min(380, Math.max(220, this.list.clientWidth * 0.28)));
  }

  private renderAxis(laneWidth: number): void {
    const step = tickStep(this.total, laneWidth, 70);
    const head = (cls: string, text: string) => el('div', `axis-cell ${cls}`, text);
    const lane = (side: CompareSideName) => {
      const cell = el('div', `axis-cell axis-lane lane-${side}`);
      cell.append(el('span', `side-tag ${side}`, side.toUpperCase()));
      // No tick so near the lane's end that its label would be cut.
      for (let t = step; t <= this.total && (t / this.total) * laneWidth <= laneWidth - 48; t += step) {
        const tick = el('div', 'tick', formatMs(t));
        tick.style.left = `${(t / this.total) * 100}%`;
        cell.append(tick);
      }
      return cell;
    };
    this.axis.replaceChildren(
      head('axis-name', `${this.visible.length} of ${this.rows.length} spans`),
      lane('a'),
      lane('b'),
      head('axis-delta', 'Δ B − A'),
    );
  }

  /** Renders the rows in view, reusing a small pool of row elements. */
  render(): void {
    const n = this.visible.length;
    this.spacer.style.height = `${n * rowHeight}px`;
    const [first, last] = rowsInView(this.list.scrollTop, this.list.clientHeight, n);
    const nameW = this.nameWidth();
    this.root.style.setProperty('--name-width', `${nameW}px`);
    const laneWidth = Math.max(60, (this.list.clientWidth - nameW - 148) / 2);
    const make = () => {
      const r = el('div', 'row');
      r.setAttribute('role', 'treeitem');
      const name = el('div', 'name');
      name.append(
        el('span', 'mark'),
        el('span', 'dot'),
        el('span', 'label'),
        el('span', 'occurrence'),
        el('span', 'badge'),
      );
      const laneA = el('div', 'lane lane-a');
      laneA.append(el('div', 'bar'), el('span', 'dur'));
      const laneB = el('div', 'lane lane-b');
      laneB.append(el('div', 'ghost'), el('div', 'bar'), el('span', 'dur'));
      const delta = el('div', 'delta');
      delta.append(el('span', 'delta-ms'), el('span', 'delta-ratio'));
      r.append(name, laneA, laneB, delta);
      return r;
    };
    drawPooled(this.pool, this.layer, first, last, make, (r, vi) => this.fill(r, this.visible[vi]!, vi));
    this.renderAxis(laneWidth);
  }

  private fill(r: HTMLElement, i: number, vi: number): void {
    const row = this.rows[i]!;
    const t = trend(row);
    const statusChanged = !!row.a && !!row.b && row.a.status !== row.b.status;
    r.dataset.index = String(i);
    r.style.transform = `translateY(${vi * rowHeight}px)`;
    r.className = `row ${t} presence-${row.presence}${row.changed ? ' changed' : ''}${i === this.selected ? ' selected' : ''}`;
    r.setAttribute('aria-level', String(row.depth + 1));
    r.setAttribute('aria-selected', String(i === this.selected));
    r.setAttribute(
      'aria-label',
      `${row.name}: ${row.presence === 'both' ? `A ${formatMs(row.a?.durationMs)}, B ${formatMs(row.b?.durationMs)}, ${signedMs(row.deltaMs)}` : row.presence === 'b' ? 'only in B' : 'only in A'}`,
    );
    const [name, laneA, laneB, delta] = r.children as unknown as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
    name.style.paddingLeft = `${6 + row.depth * 14}px`;
    const [mark, dot, label, occurrence, badge] = name.children as unknown as HTMLElement[];
    mark!.textContent = row.presence === 'b' ? '+' : row.presence === 'a' ? '\u2212' : '';
    const shown = row.b ?? row.a!;
    dot!.className = `dot ${shown.status}`;
    label!.textContent = row.name;
    label!.title = `${row.name} · ${row.service}`;
    occurrence!.textContent = row.occurrence ? `#${row.occurrence + 1}` : '';
    badge!.textContent = statusChanged ? `${row.a!.status} → ${row.b!.status}` : '';
    badge!.className = `badge${statusChanged ? ` ${row.b!.status}` : ''}`;
    this.lane(laneA, row.a);
    // The ghost only where it tells something: on rows that changed.
    this.lane(laneB, row.b, row.changed ? row.a : undefined);
    const [ms, ratio] = delta.children as unknown as [HTMLElement, HTMLElement];
    ms.textContent = signedMs(row.deltaMs);
    ratio.textContent = row.presence === 'both' ? ratioText(row.ratio) : row.presence === 'b' ? 'added' : 'removed';
  }

  /** Places one side's bar; on lane B, A's duration is drawn as a ghost from B's start, so the growth shows. */
  private lane(lane: HTMLElement, s: CompareSide | undefined, reference?: CompareSide): void {
    const ghost = lane.querySelector<HTMLElement>('.ghost');
    const bar = lane.querySelector<HTMLElement>('.bar')!;
    const dur = lane.querySelector<HTMLElement>('.dur')!;
    lane.classList.toggle('absent', !s);
    bar.style.display = s ? '' : 'none';
    if (!s) {
      dur.textContent = '';
      if (ghost) ghost.style.display = 'none';
      return;
    }
    const left = (s.startMs / this.total) * 100;
    const width = ((s.durationMs ?? this.total - s.startMs) / this.total) * 100;
    bar.className = `bar ${s.status}${s.durationMs === undefined ? ' open-ended' : ''}`;
    bar.style.left = `${left}%`;
    bar.style.width = `max(2px, ${width}%)`;
    const ref = reference?.durationMs;
    const refWidth = ref === undefined ? 0 : (ref / this.total) * 100;
    if (ghost) {
      ghost.style.display = ref === undefined ? 'none' : '';
      if (ref !== undefined) {
        ghost.style.left = `${left}%`;
        ghost.style.width = `max(2px, ${refWidth}%)`;
      }
    }
    dur.textContent = s.durationMs === undefined ? 'in progress' : formatMs(s.durationMs);
    // Beside the bar (and past the ghost) where there is room, else inside the bar's right end.
    const inside = left + width > 80 && width > 15;
    const after = left + Math.max(width, refWidth);
    dur.classList.toggle('inside', inside);
    dur.style.left = inside
      ? `calc(${Math.min(100, left + width)}% - 4px)`
      : `min(calc(${after}% + 4px), calc(100% - 56px))`;
  }
}
