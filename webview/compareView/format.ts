// How the compare view prints durations, deltas and ratios, and which rows the "only differences"
// filter keeps.
import { formatMs } from '../../src/model/duration';
import type { CompareRow } from '../../src/model/traceComparison';

/** A signed duration: `+345 ms`, `−8.0 ms` (a real minus sign), `±0 ms`. */
export function signedMs(ms: number | undefined): string {
  if (ms === undefined) return '…';
  if (Math.abs(ms) < 0.05) return '±0 ms';
  return `${ms > 0 ? '+' : '\u2212'}${formatMs(Math.abs(ms))}`;
}

/** B over A: `×8.3`, `×12`, `×0.50`; empty when there is no ratio. */
export function ratioText(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '';
  return `\u00d7${ratio >= 10 ? Math.round(ratio) : ratio >= 1 ? ratio.toFixed(1) : ratio.toFixed(2)}`;
}

/** The direction of a row's change, for its colour. */
export function trend(r: CompareRow): 'added' | 'removed' | 'slower' | 'faster' | 'same' {
  if (r.presence === 'b') return 'added';
  if (r.presence === 'a') return 'removed';
  if (!r.changed || r.deltaMs === undefined || r.deltaMs === 0) return 'same';
  return r.deltaMs > 0 ? 'slower' : 'faster';
}

/** Rows that differ, with their ancestors so the tree still reads (pre-order rows, by subtree end). */
export function differingRows(rows: readonly CompareRow[]): number[] {
  const keep = new Uint8Array(rows.length);
  for (let i = rows.length - 1; i >= 0; i--) {
    if (rows[i]!.changed) keep[i] = 1;
    const p = rows[i]!.parent;
    if (keep[i] && p >= 0 && p < i) keep[p] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (keep[i]) out.push(i);
  return out;
}
