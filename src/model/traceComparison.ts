// The shape of two traces compared span by span (analysis/compareTraces computes it). It lives in
// the model so the protocol and the compare webview can name it without reaching into analysis.

/** How a span ended, most severe first: fault (5xx), throttle (429), error (4xx), else ok. */
export type SpanStatus = 'ok' | 'error' | 'fault' | 'throttle';

/** Which trace(s) an aligned row exists in. */
export type Presence = 'both' | 'a' | 'b';

/** One side of an aligned row: the span of that trace, its times relative to that trace's start. */
export interface CompareSide {
  readonly spanId: string;
  /** Start, in ms after its own trace's start. */
  readonly startMs: number;
  /** Missing while the span is in progress. */
  readonly durationMs?: number;
  /** Time outside its children (missing while in progress). */
  readonly selfMs?: number;
  readonly status: SpanStatus;
}

/** One row of the aligned tree, in pre-order. */
export interface CompareRow {
  readonly depth: number;
  /** Row index of the parent, or -1. */
  readonly parent: number;
  /** Index of the last row of this row's subtree (itself when it has none). */
  readonly end: number;
  readonly name: string;
  /** The segment (service) the span belongs to. */
  readonly service: string;
  readonly type: 'segment' | 'subsegment';
  /** Which same-named sibling this is (0 for the first, 1 for a second call such as a retry). */
  readonly occurrence: number;
  readonly presence: Presence;
  readonly a?: CompareSide;
  readonly b?: CompareSide;
  /** B's duration minus A's, in ms, when both ended. */
  readonly deltaMs?: number;
  /** B's duration over A's, when both ended and A's is above zero. */
  readonly ratio?: number;
  /** B's self time minus A's: an added span counts its whole self time, a removed one its negative. */
  readonly selfDeltaMs?: number;
  /** The row is a difference worth showing: added, removed, status changed, or slower/faster beyond noise. */
  readonly changed: boolean;
}

/** Why a row is in the "what changed" list. */
export type ContributorKind = 'slower' | 'faster' | 'added' | 'removed';

/** A row that explains part of the total delta. */
export interface Contributor {
  readonly row: number;
  readonly kind: ContributorKind;
  /** What it adds to B's time (negative when it saves time): self-time delta, or a whole added/removed subtree. */
  readonly ms: number;
}

/** The comparison in a few figures, and the rows that explain most of the difference. */
export interface CompareSummary {
  readonly aDurationMs?: number;
  readonly bDurationMs?: number;
  /** B minus A, when both ended. */
  readonly deltaMs?: number;
  readonly counts: {
    readonly both: number;
    readonly onlyA: number;
    readonly onlyB: number;
    readonly changed: number;
    readonly statusChanged: number;
  };
  /** Largest contributions first, in the direction of the total delta. */
  readonly contributors: readonly Contributor[];
  /** Rows whose status differs between the two sides (ok in A, fault in B, …), in tree order. */
  readonly statusChanges: readonly number[];
}

/** Two traces aligned: the rows in tree order and their summary. */
export interface TraceComparison {
  readonly rows: readonly CompareRow[];
  readonly summary: CompareSummary;
}

/** The names from the top of the aligned tree down to row i (what the row was matched by). */
export function rowPath(rows: readonly CompareRow[], i: number): string[] {
  const path: string[] = [];
  // A parent always comes before its child: anything else would loop, so it stops there.
  for (let j = i; j >= 0 && j < rows.length;) {
    const r = rows[j]!;
    path.push(r.name);
    if (r.parent >= j) break;
    j = r.parent;
  }
  return path.reverse();
}
