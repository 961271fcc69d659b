// Windows and the bucket tiers that answer them. Each span is counted in three tiers at once;
// a window is answered by the finest tier that still holds it and the previous window before it,
// as whole buckets: the one holding the window's end and those before it.

/** The window settings the lenses offer. */
export type WindowName = '15m' | '1h' | '6h' | '24h' | '7d';

/** A window in epoch seconds, end exclusive. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Length of each named window, in seconds. */
export const windowSeconds: Readonly<Record<WindowName, number>> = {
  '15m': 900,
  '1h': 3600,
  '6h': 21_600,
  '24h': 86_400,
  '7d': 604_800,
};

/** The named windows, shortest first. */
export const windowNames = Object.keys(windowSeconds) as readonly WindowName[];

/** A ring of buckets of one size; slots × seconds covers a window and its previous window, plus slack. */
export interface Tier {
  readonly seconds: number;
  readonly slots: number;
}

/**
 * 1-minute buckets for 2 h 8 min (15m and 1h windows), 15-minute buckets for 50 h (6h, 24h), 2-hour
 * buckets for 14 days 8 h (7d). Each size divides the next, so all align on the same minutes.
 */
export const tiers: readonly Tier[] = [
  { seconds: 60, slots: 128 },
  { seconds: 900, slots: 200 },
  { seconds: 7200, slots: 172 },
];

/** How far back from the newest span anything is kept: the longest window and its previous window. */
export const retentionMinutes = (tiers[tiers.length - 1]!.seconds * tiers[tiers.length - 1]!.slots) / 60;

/** A window placed on a tier: buckets [start, end) and the previous window [start - count, start). */
export interface PlacedWindow {
  readonly tier: number;
  readonly bucketSeconds: number;
  readonly startBucket: number;
  readonly endBucket: number;
  readonly count: number;
}

/** Minutes per bucket of a tier. */
export const minutesPerBucket = (tier: number): number => tiers[tier]!.seconds / 60;

/**
 * Places a window on the finest tier whose ring still holds it and its previous window, given the
 * newest minute any span was counted in; a window longer than every ring gets the coarsest tier.
 */
export function placeWindow(window: WindowName | TimeWindow, end: number, newestMinute: number): PlacedWindow {
  const length = typeof window === 'string' ? windowSeconds[window] : Math.max(1, window.end - window.start);
  const until = typeof window === 'string' ? end : window.end;
  for (let t = 0; t < tiers.length; t++) {
    const { seconds, slots } = tiers[t]!;
    const endBucket = Math.ceil(until / seconds);
    const count = Math.max(1, Math.ceil(length / seconds - 1e-9));
    const newest = Math.floor(newestMinute / (seconds / 60));
    const oldestHeld = (Number.isFinite(newest) ? Math.max(newest, endBucket - 1) : endBucket - 1) - slots + 1;
    if (endBucket - 2 * count >= oldestHeld || t === tiers.length - 1) {
      return { tier: t, bucketSeconds: seconds, startBucket: endBucket - count, endBucket, count };
    }
  }
  throw new Error('unreachable');
}
