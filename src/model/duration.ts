// How every host surface prints a duration (the sidebar, lenses, hovers, the CLI), so they agree.

/** Milliseconds with a unit that reads well: `4.2 ms`, `42 ms`, `1.25 s`, `12.5 s`; `…` when unknown (in progress). */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '…';
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
