// What the Traces view asks its source for: the time window, the user's filter expression (with a
// history), and the services it follows — by default the ones the open workspace is, so the view
// shows the project's traces — all remembered per workspace. Saved filters are a setting.
import * as vscode from 'vscode';
import { windowSeconds, type WindowName } from '../analysis/stats';
import { andFilters, compileFilter, serviceFilter } from '../collector/filterExpression';

const windowKey = 'traceLens.traces.window';
const filterKey = 'traceLens.traces.filter';
const historyKey = 'traceLens.traces.filterHistory';
const followKey = 'traceLens.traces.follow';
const maxHistory = 15;

/** Which services the view follows: the workspace's, all, or a list the user edited. */
export type Follow =
  | { readonly kind: 'workspace' }
  | { readonly kind: 'all' }
  | { readonly kind: 'list'; readonly services: readonly string[] };

/** A filter saved in `traceLens.savedFilters`, shown as a group of its own. */
export interface SavedFilter {
  readonly name: string;
  readonly filter: string;
}

/** Reads `traceLens.savedFilters`, leaving out entries without a name or a filter. */
export function savedFilters(): SavedFilter[] {
  const raw = vscode.workspace.getConfiguration('traceLens').get<unknown[]>('savedFilters') ?? [];
  return raw.flatMap((v) => {
    const o = v as { name?: unknown; filter?: unknown };
    return typeof o?.name === 'string' && typeof o.filter === 'string' && o.name.trim() && o.filter.trim()
      ? [{ name: o.name.trim(), filter: o.filter.trim() }]
      : [];
  });
}

/** The view's query state. */
export class TraceQuery {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the window, filter or followed services change. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly workspace: vscode.Memento,
    private readonly global: vscode.Memento,
  ) {}

  /** The time window (default 1h). */
  get window(): WindowName {
    const w = this.workspace.get<string>(windowKey);
    return w && w in windowSeconds ? (w as WindowName) : '1h';
  }

  /** The user's filter expression, if any. */
  get filter(): string | undefined {
    return this.workspace.get<string>(filterKey) || undefined;
  }

  /** Filters used before, most recent first. */
  get history(): readonly string[] {
    return this.global.get<string[]>(historyKey) ?? [];
  }

  /** What the view follows. */
  get follow(): Follow {
    const f = this.workspace.get<Follow>(followKey);
    if (f?.kind === 'all' || f?.kind === 'workspace') return f;
    if (f?.kind === 'list' && Array.isArray(f.services))
      return { kind: 'list', services: f.services.filter((s) => typeof s === 'string') };
    return { kind: 'workspace' };
  }

  /** The services followed, given the ones the workspace declares (literal names only: X-Ray matches service names exactly). */
  followed(detected: readonly string[]): readonly string[] {
    const f = this.follow;
    if (f.kind === 'all') return [];
    return f.kind === 'list' ? f.services : [...new Set(detected)];
  }

  /** The expression sent to the source: the followed services and the user's filter. */
  expression(detected: readonly string[]): string | undefined {
    return andFilters(serviceFilter(this.followed(detected)), this.filter);
  }

  async setWindow(w: WindowName): Promise<void> {
    await this.workspace.update(windowKey, w);
    this.changed.fire();
  }

  /** Sets the filter (empty clears it) and puts it first in the history. */
  async setFilter(filter: string | undefined): Promise<void> {
    const f = filter?.trim() || undefined;
    await this.workspace.update(filterKey, f);
    if (f) await this.global.update(historyKey, [f, ...this.history.filter((h) => h !== f)].slice(0, maxHistory));
    this.changed.fire();
  }

  async setFollow(f: Follow): Promise<void> {
    await this.workspace.update(followKey, f);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Why a filter expression is invalid, in X-Ray's words, or undefined when it may be run. For AWS,
 * a keyword only the local X-Ray lacks (edge, rootcause.*, group.name, json…) is left for AWS to
 * judge: its own error text then shows in the view.
 */
export function filterProblem(expression: string, forAws = false): string | undefined {
  const r = compileFilter(expression);
  if (r.ok || (forAws && /is not supported by the local X-Ray/.test(r.message))) return undefined;
  return `${r.message} (at character ${r.position + 1})`;
}

/** The window's length in seconds. */
export const windowLength = (w: WindowName): number => windowSeconds[w];
