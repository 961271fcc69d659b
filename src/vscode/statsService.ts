// Feeds the statistics engine from the active trace source: the lens window and the one before it
// at start, then the traces that arrive. Work is split into small slices so the extension host
// never holds for long.
import * as vscode from 'vscode';
import { entrySamples, type EntryMatcher } from '../analysis/entryPoints';
import { OperationStats, windowSeconds, type SampleSource, type WindowName } from '../analysis/stats';
import type { TraceSource } from '../sources/traceSource';

/** How many traces the first load reads at most (each window), and per refresh. */
const maxInitialTraces = 2000;
const batch = 50;

/** The statistics of the active source. */
export class StatsService implements vscode.Disposable {
  stats = new OperationStats();
  /** The same traces counted by entry point: the routes and Lambda functions the workspace declares. */
  entries = new OperationStats();
  private entrySamples?: SampleSource;
  private source?: TraceSource;
  /** What each trace looked like when it was read: a trace that grows or changes is read again. */
  private seen = new Map<string, string>();
  private windowMs = 0;
  private generation = 0;
  private pending?: NodeJS.Timeout;
  private loading: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (debounced) when the figures changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /**
   * The end of the lens window, epoch seconds: the end of a trace file's traces (a file of
   * yesterday's traces has figures too), else undefined for now.
   */
  get end(): number | undefined {
    return this.source?.range?.end;
  }

  /** Now, for the lens window: the file's end for a trace file. */
  private nowMs(source: TraceSource): number {
    return source.range ? source.range.end * 1000 + 1 : Date.now();
  }

  /** Resolves when the current load is done. */
  ready(): Promise<void> {
    return this.loading;
  }

  /** Starts over with a source: loads the window and the previous one. */
  setSource(source: TraceSource | undefined, window: WindowName): void {
    this.generation++;
    this.source = source;
    this.stats = new OperationStats();
    this.entries = new OperationStats();
    this.seen = new Map();
    this.fire();
    if (!source) return;
    const now = this.nowMs(source);
    this.windowMs = 2 * windowSeconds[window] * 1000;
    this.loading = this.load(source, new Date(now - this.windowMs), new Date(now), this.generation);
  }

  /**
   * Counts entry points with this matcher from now on: the window's traces are read again for them
   * into new figures, which replace the old ones once read (the lenses keep theirs meanwhile).
   */
  setEntryPoints(matcher: EntryMatcher | undefined): void {
    this.entrySamples = matcher && entrySamples(matcher);
    const source = this.source;
    if (!source || !this.entrySamples) {
      this.entries = new OperationStats();
      this.fire();
      return;
    }
    const generation = this.generation;
    const next = new OperationStats();
    // Loads run one after another: this one reads up to the moment it starts, after every earlier one.
    this.loading = this.loading.then(async () => {
      const now = this.nowMs(source);
      await this.load(source, new Date(now - this.windowMs), new Date(now), generation, next);
      if (generation !== this.generation) return;
      this.entries = next;
      this.fire();
    });
  }

  /**
   * Reads the traces not seen yet (the local X-Ray calls this when it stores traces). The whole
   * window is listed, not just the last seconds: a trace that arrives now may have started long ago.
   */
  refresh(): void {
    const source = this.source;
    if (!source) return;
    const now = this.nowMs(source);
    this.loading = this.loading.then(() =>
      this.load(source, new Date(now - this.windowMs), new Date(now), this.generation),
    );
  }

  /** Reads the window's traces not seen yet into both figures; given entriesInto: every trace, into those entry-point figures only. */
  private async load(
    source: TraceSource,
    start: Date,
    end: Date,
    generation: number,
    entriesInto?: OperationStats,
  ): Promise<void> {
    const entriesOnly = entriesInto !== undefined;
    try {
      const rows = await source.summaries({ start, end, limit: maxInitialTraces });
      // A trace is read again when its summary changed: documents of other services arrive later.
      const print = (r: (typeof rows)[number]) =>
        `${r.start}|${r.durationMs}|${r.services.join(',')}|${r.partial}|${r.error}|${r.fault}|${r.throttle}`;
      const fresh = entriesOnly ? rows : rows.filter((r) => this.seen.get(r.id) !== print(r));
      const ids = fresh.map((r) => r.id);
      const prints = new Map(fresh.map((r) => [r.id, print(r)]));
      for (let i = 0; i < ids.length && generation === this.generation; i += batch) {
        const traces = await source.traces(ids.slice(i, i + batch));
        if (generation !== this.generation) return;
        for (const t of traces) {
          if (this.entrySamples) (entriesInto ?? this.entries).add(t, this.entrySamples);
          if (entriesOnly) continue;
          this.stats.add(t);
          this.seen.set(t.id, prints.get(t.id) ?? '');
        }
        this.fire();
        await new Promise((r) => setImmediate(r));
      }
    } catch (e) {
      this.log.warn(
        `statistics: could not read traces from ${source.label}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private fire(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire();
    }, 300);
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.changed.dispose();
  }
}
