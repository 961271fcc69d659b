// The text of a latency lens, from an operation's comparison and the lens settings: kept apart
// from VS Code so the exact wording the issue asks for is unit-tested on real figures.
import type { Comparison, WindowName } from './stats';
import { formatMs } from '../model/duration';

/** The lens settings, resolved. */
export interface LensSettings {
  readonly enabled: boolean;
  readonly window: WindowName;
  readonly figures: readonly string[];
  readonly minSamples: number;
}

/** `950`, `1.2k`, `3.4M`. */
export function count(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** The lens text of an operation, as the issue shows it: `p50 42 ms · p99 380 ms · 1.2k calls · 3 errors`; noun counts the calls (`invocations`, `requests`). */
export function lensTitle(
  c: Comparison,
  settings: LensSettings,
  noun = 'calls',
  extra: readonly string[] = [],
): string {
  const s = c.current;
  const parts: string[] = [];
  const failed = s.errors + s.faults + s.throttles;
  if (s.fewSamples) {
    // Few samples: no false precision, just the median as an indication and the count.
    parts.push(
      `p50 ≈${formatMs(s.p50Ms)}`,
      `${s.calls} ${s.calls === 1 ? noun.replace(/s$/, '') : noun} (too few for p99)`,
    );
  } else {
    for (const f of settings.figures) {
      if (f === 'p50') parts.push(`p50 ${formatMs(s.p50Ms)}`);
      else if (f === 'p90') parts.push(`p90 ${formatMs(s.p90Ms)}`);
      else if (f === 'p99') parts.push(`p99 ${formatMs(s.p99Ms)}`);
      else if (f === 'max') parts.push(`max ${formatMs(s.maxMs)}`);
      else if (f === 'calls') parts.push(`${count(s.calls)} ${noun}`);
    }
  }
  parts.push(...extra);
  if (settings.figures.includes('errors') && failed > 0)
    parts.push(`${count(failed)} ${failed === 1 ? 'error' : 'errors'}`);
  const mark = c.regression ? `$(arrow-up) ${c.regression.message} · ` : '';
  return `${mark}${parts.join(' · ')}`;
}
