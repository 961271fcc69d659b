// The fixed-height virtualized lists of the waterfall and the compare view: only the rows in view
// (and a few either side) exist in the DOM, drawn into a small pool of reused row elements; and
// the ticks of their time axes.

/** Row height in px: fixed, so positions are computed instead of measured. */
export const rowHeight = 24;
const overscan = 8;

/** The scrolling list of a virtualized tree: a spacer gives it the full height, the layer holds the pooled rows. */
export function virtualList(label: string): { list: HTMLElement; spacer: HTMLElement; layer: HTMLElement } {
  const part = (className: string) => Object.assign(document.createElement('div'), { className });
  const list = part('list');
  list.tabIndex = 0;
  list.setAttribute('role', 'tree');
  list.setAttribute('aria-label', label);
  const spacer = part('spacer');
  const layer = part('layer');
  list.append(spacer, layer);
  return { list, spacer, layer };
}

/** The rows [first, last) of a list of count rows, scrolled to scrollTop in a viewport of height px, to draw: those in view and a few either side. */
export function rowsInView(scrollTop: number, height: number, count: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return [first, last];
}

/** Draws rows [first, last) with pooled elements: makes the missing ones, fills each with its row index, detaches the rest. */
export function drawPooled(
  pool: HTMLElement[],
  layer: HTMLElement,
  first: number,
  last: number,
  make: () => HTMLElement,
  fill: (row: HTMLElement, index: number) => void,
): void {
  while (pool.length < last - first) pool.push(make());
  for (let k = 0; k < pool.length; k++) {
    const r = pool[k]!;
    if (k >= last - first) {
      r.remove();
      continue;
    }
    fill(r, first + k);
    if (!r.isConnected) layer.append(r);
  }
}

/** Nice tick steps (ms) for the lists' time axes. */
const tickSteps = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 60_000,
  120_000, 300_000, 600_000, 1_800_000, 3_600_000,
];

/** The smallest nice tick step (ms) that puts at least minPx between ticks when spanMs fills widthPx. */
export function tickStep(spanMs: number, widthPx: number, minPx: number): number {
  return tickSteps.find((s) => (s / spanMs) * widthPx >= minPx) ?? tickSteps[tickSteps.length - 1]!;
}
