// What lenient parsing repaired or had to leave out, told to the user instead of thrown.

/** Where a repair happened; spelled out (toString) only for the first of its kind. */
export type Place = string | { toString(): string };

/** A bounded record of repairs and problems, counted by kind so a huge bad input stays small. */
export class Repairs {
  private readonly counts = new Map<string, number>();
  private readonly examples = new Map<string, string>();
  /** Problems that cost data: a document or field that could not be used at all. */
  errors = 0;

  /** Notes a repair of the given kind; where says in which document or field. */
  note(kind: string, where?: Place): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    if (where !== undefined && !this.examples.has(kind)) this.examples.set(kind, String(where));
  }

  /** Notes something that could not be used. */
  error(kind: string, where?: Place): void {
    this.errors++;
    this.note(kind, where);
  }

  /** Adds another record into this one. */
  merge(other: Repairs): void {
    for (const [k, n] of other.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
    for (const [k, w] of other.examples) if (!this.examples.has(k)) this.examples.set(k, w);
    this.errors += other.errors;
  }

  /** True when nothing was noted. */
  get empty(): boolean {
    return this.counts.size === 0;
  }

  /** One line per kind, most frequent first: `3× line: null in a stack frame (first: doc 4)`. */
  lines(): string[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${n}× ${k}${this.examples.has(k) ? ` (first: ${this.examples.get(k)})` : ''}`);
  }

  /** The counts by kind. */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
