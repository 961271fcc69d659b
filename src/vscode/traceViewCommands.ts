// The Traces view's title and context-menu commands: filter (validated, with history), time
// window, followed services, saved filters, cancel; and per trace: copy its id, open it in the
// AWS console, go to its code; and opening a trace by id (X-Ray or W3C form).
import * as vscode from 'vscode';
import { primarySpan } from '../analysis/tracePoints';
import { windowNames, type WindowName } from '../analysis/stats';
import { toXRayTraceId } from '../sources/aws/traceIds';
import type { CodeNavigator } from './codeNavigator';
import { settingsTarget } from './settings';
import { filterProblem, savedFilters, type TraceQuery } from './traceQuery';
import type { Node, TracesView } from './tracesView';

/** What the commands act on. */
export interface TraceViewCommandDeps {
  readonly log: vscode.LogOutputChannel;
  readonly view: TracesView;
  readonly query: TraceQuery;
  readonly navigator: CodeNavigator;
  readonly detectedServices: () => readonly string[];
  readonly openTrace: (traceId: string) => unknown;
  /** Opens two traces side by side: a the reference, b the one compared with it. */
  readonly compare: (a: string, b: string) => unknown;
  /** Whether the view reads AWS now (its filters are checked by AWS, not by the local grammar). */
  readonly readsAws: () => boolean;
}

/** A listed trace in a quick pick: its request in full, else its service or id. */
const pickLabel = (r: TracesView['rows'][number]): string => `${r.method ?? ''} ${r.url ?? r.service ?? r.id}`.trim();

/** A quick pick of the traces the view lists, for commands run from the palette without a trace. */
export async function pickListedTrace(
  view: TracesView,
  title: string,
  placeHolder = 'One of the traces the Traces view lists',
): Promise<string | undefined> {
  if (view.rows.length === 0) {
    void vscode.window.showInformationMessage(
      'Trace Lens: the Traces view lists no traces yet; refresh it, or open one with Trace Lens: Open Trace by ID.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    view.rows.map((r) => ({
      label: pickLabel(r),
      description: `${r.durationMs === undefined ? 'in progress' : `${Math.round(r.durationMs)} ms`}${r.fault ? ' · fault' : r.error ? ' · error' : r.throttle ? ' · throttle' : ''}${r.service ? ` · ${r.service}` : ''}`,
      detail: r.id,
      id: r.id,
    })),
    { title, placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.id;
}

/** The trace id of a tree node or a command argument. */
function traceIdOf(arg: unknown): string | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { traceId?: unknown; row?: { id?: unknown } };
  const id = a.traceId ?? a.row?.id;
  return typeof id === 'string' ? id : undefined;
}

const windowLabels: Record<WindowName, string> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
};

/** Asks for a filter expression: history to pick from, checked as it is typed; resolves when set (or left unchanged). */
async function editFilter(d: TraceViewCommandDeps): Promise<void> {
  const q = vscode.window.createQuickPick<vscode.QuickPickItem & { clear?: boolean; invalid?: boolean }>();
  q.title = 'Trace Lens: Filter Traces';
  q.placeholder =
    'An X-Ray filter expression, e.g. fault OR responsetime > 1, http.url CONTAINS "/orders", annotation.order_id = "42"';
  q.value = d.query.filter ?? '';
  q.ignoreFocusOut = true;
  const base = (): (vscode.QuickPickItem & { clear?: boolean; invalid?: boolean })[] => [
    ...(d.query.filter ? [{ label: '$(clear-all) Clear the filter', clear: true, alwaysShow: true }] : []),
    ...d.query.history.map((h) => ({ label: h, description: h === d.query.filter ? 'current' : 'used before' })),
  ];
  const update = () => {
    const v = q.value.trim();
    const problem = v ? filterProblem(v, d.readsAws()) : undefined;
    // QuickPick has no validation message in this API version: the first item says what is wrong.
    q.items = v
      ? [
          problem
            ? { label: `$(error) Invalid filter expression: ${problem}`, alwaysShow: true, invalid: true }
            : { label: v, description: 'press Enter to apply', alwaysShow: true },
          ...base().filter((i) => i.label !== v),
        ]
      : base();
  };
  update();
  q.onDidChangeValue(update);
  const picked = await new Promise<(vscode.QuickPickItem & { clear?: boolean }) | undefined>((resolve) => {
    q.onDidAccept(() => {
      const item = q.selectedItems[0];
      const v = item?.clear ? '' : (item && !item.invalid ? item.label : q.value).trim();
      if (v && filterProblem(v, d.readsAws())) return; // stays open on an invalid expression: the message says why
      resolve(item?.clear ? { label: '', clear: true } : { label: v });
      q.hide();
    });
    q.onDidHide(() => resolve(undefined));
    q.show();
  });
  q.dispose();
  if (!picked) return;
  await d.query.setFilter(picked.clear ? undefined : picked.label);
  d.log.info(`traces view filter: ${d.query.filter ?? '(none)'}`);
}

/** Lets the user choose which services the view follows. */
async function editFollow(d: TraceViewCommandDeps): Promise<void> {
  const detected = [...new Set(d.detectedServices())];
  const f = d.query.follow;
  const current = new Set(f.kind === 'list' ? f.services : f.kind === 'workspace' ? detected : []);
  const names = [...new Set([...detected, ...current])];
  const items: (vscode.QuickPickItem & { name?: string })[] = [
    ...names.map((n) => ({
      label: n,
      name: n,
      picked: current.has(n),
      description: detected.includes(n) ? 'declared in this workspace' : 'added by you',
    })),
  ];
  const q = vscode.window.createQuickPick<vscode.QuickPickItem & { name?: string }>();
  q.title = 'Trace Lens: Services the Traces view follows';
  q.placeholder =
    'Check the services to show traces of; type a name and press Enter to add one. None checked shows every service.';
  q.canSelectMany = true;
  q.items = items;
  q.selectedItems = items.filter((i) => i.picked);
  const chosen = await new Promise<string[] | undefined>((resolve) => {
    q.onDidAccept(() => {
      const typed = q.value.trim();
      if (typed && !q.items.some((i) => i.label === typed)) {
        const added = { label: typed, name: typed, description: 'added by you' };
        q.items = [...q.items, added];
        q.selectedItems = [...q.selectedItems, added];
        q.value = '';
        return;
      }
      resolve(q.selectedItems.map((i) => i.name!).filter(Boolean));
      q.hide();
    });
    q.onDidHide(() => resolve(undefined));
    q.show();
  });
  q.dispose();
  if (!chosen) return;
  const same = chosen.length === detected.length && chosen.every((c) => detected.includes(c));
  await d.query.setFollow(
    chosen.length === 0 ? { kind: 'all' } : same ? { kind: 'workspace' } : { kind: 'list', services: chosen },
  );
}

/** Registers the Traces view's commands. */
export function registerTraceViewCommands(d: TraceViewCommandDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('traceLens.traces.filter', () => editFilter(d)),
    vscode.commands.registerCommand('traceLens.traces.clearFilter', () => d.query.setFilter(undefined)),
    vscode.commands.registerCommand('traceLens.traces.window', async () => {
      const picked = await vscode.window.showQuickPick(
        windowNames.map((w) => ({
          label: windowLabels[w],
          description: w === d.query.window ? 'current' : undefined,
          w,
        })),
        { title: 'Trace Lens: Time Window', placeHolder: 'Which traces should the Traces view list?' },
      );
      if (picked) await d.query.setWindow(picked.w);
    }),
    vscode.commands.registerCommand('traceLens.traces.follow', () => editFollow(d)),
    vscode.commands.registerCommand('traceLens.traces.followAll', () => d.query.setFollow({ kind: 'all' })),
    vscode.commands.registerCommand('traceLens.traces.followWorkspace', () => d.query.setFollow({ kind: 'workspace' })),
    vscode.commands.registerCommand('traceLens.traces.saveFilter', async () => {
      const filter =
        d.query.filter ??
        (await vscode.window.showInputBox({
          title: 'Trace Lens: Save Filter',
          prompt: 'The X-Ray filter expression to save',
          validateInput: (v) => (v.trim() ? filterProblem(v.trim(), d.readsAws()) : 'Type a filter expression'),
        }));
      if (!filter) return;
      const name = await vscode.window.showInputBox({
        title: 'Trace Lens: Save Filter',
        prompt: `A name for "${filter}" (its group in the Traces view)`,
        validateInput: (v) => (v.trim() ? undefined : 'Type a name'),
      });
      if (!name) return;
      const list = [
        ...savedFilters().filter((s) => s.name !== name.trim()),
        { name: name.trim(), filter: filter.trim() },
      ];
      await vscode.workspace.getConfiguration('traceLens').update('savedFilters', list, settingsTarget());
    }),
    vscode.commands.registerCommand('traceLens.traces.cancel', () => d.view.cancelFetch()),
    vscode.commands.registerCommand('traceLens.copyTraceId', async (arg: unknown) => {
      const id =
        traceIdOf(arg) ?? (arg === undefined ? await pickListedTrace(d.view, 'Trace Lens: Copy Trace ID') : undefined);
      if (!id) return false;
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(`Trace Lens: copied ${id}`, 3000);
      return true;
    }),
    vscode.commands.registerCommand('traceLens.openInConsole', async (arg: unknown) => {
      const id =
        traceIdOf(arg) ??
        (arg === undefined && d.view.activeSource?.consoleUrl
          ? await pickListedTrace(d.view, 'Trace Lens: Open in AWS Console')
          : undefined);
      const url = id ? d.view.activeSource?.consoleUrl?.(id) : undefined;
      if (!url) {
        void vscode.window.showInformationMessage(
          'Trace Lens: only traces from an AWS source have a page in the AWS console.',
        );
        return false;
      }
      return vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    vscode.commands.registerCommand('traceLens.traces.goToCode', async (arg: Node | undefined) => {
      if (arg?.kind === 'span')
        return vscode.commands.executeCommand('traceLens.goToCode', { traceId: arg.traceId, spanId: arg.span.id });
      const id =
        traceIdOf(arg) ??
        (arg === undefined
          ? await pickListedTrace(d.view, 'Trace Lens: Go to Code', 'Where the trace failed, else its slowest span')
          : undefined);
      if (!id && arg === undefined) return undefined;
      const trace = id ? await d.view.trace(id) : undefined;
      const span = trace && primarySpan(trace);
      if (!trace || !span) {
        void vscode.window.showInformationMessage('Trace Lens: choose a trace in the Traces view to go to its code.');
        return undefined;
      }
      return vscode.commands.executeCommand('traceLens.goToCode', { traceId: trace.id, spanId: span.id });
    }),
    vscode.commands.registerCommand('traceLens.compareTraces', async (arg?: Node, selected?: readonly Node[]) => {
      const picked = (selected ?? []).filter((n): n is Extract<Node, { kind: 'trace' }> => n.kind === 'trace');
      if (picked.length === 2) {
        // The faster one is the reference: the slow one's extra spans and deltas stand out.
        const [x, y] = [...picked].sort((p, q) => (p.row.durationMs ?? 0) - (q.row.durationMs ?? 0));
        return d.compare(x!.row.id, y!.row.id);
      }
      const chosen =
        arg === undefined
          ? await pickListedTrace(d.view, 'Trace Lens: Compare Traces', 'The first trace of the two')
          : undefined;
      if (arg === undefined && !chosen) return undefined;
      const first = arg?.kind === 'trace' ? arg.row : d.view.rows.find((r) => r.id === chosen);
      if (!first) {
        void vscode.window.showInformationMessage(
          'Trace Lens: right-click a trace in the Traces view (or select two) to compare.',
        );
        return undefined;
      }
      const same = (r: (typeof d.view.rows)[number]) =>
        r.method === first.method && r.url === first.url && r.service === first.service;
      const others = d.view.rows
        .filter((r) => r.id !== first.id)
        .sort((p, q) => Number(same(q)) - Number(same(p)) || (p.durationMs ?? 0) - (q.durationMs ?? 0));
      const choice = await vscode.window.showQuickPick(
        others.map((r) => ({
          label: pickLabel(r),
          description: `${r.durationMs === undefined ? '' : `${Math.round(r.durationMs)} ms`}${r.fault ? ' · fault' : r.error ? ' · error' : ''}${same(r) ? ' · same request' : ''}`,
          detail: r.id,
          id: r.id,
          ms: r.durationMs ?? 0,
        })),
        {
          title: `Trace Lens: compare ${first.id} with…`,
          placeHolder: 'A trace of the same request, usually a normal one; the faster becomes the reference',
          matchOnDetail: true,
        },
      );
      if (!choice) return undefined;
      return (first.durationMs ?? 0) <= choice.ms ? d.compare(first.id, choice.id) : d.compare(choice.id, first.id);
    }),
    vscode.commands.registerCommand('traceLens.openTraceById', async (arg?: unknown) => {
      const given = typeof arg === 'string' ? arg : undefined;
      const text =
        given ??
        (await vscode.window.showInputBox({
          title: 'Trace Lens: Open Trace by ID',
          prompt: 'An X-Ray trace id (1-5f84c7a1-…) or a W3C trace id (32 hex digits, as in traceparent)',
          validateInput: (v) =>
            !v.trim() || toXRayTraceId(v)
              ? undefined
              : 'Not a trace id: expected 1-XXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX or 32 hex digits',
        }));
      if (!text) return undefined;
      const id = toXRayTraceId(text);
      if (!id) {
        void vscode.window.showErrorMessage(`Trace Lens: '${text.slice(0, 80)}' is not an X-Ray or W3C trace id.`);
        return undefined;
      }
      return d.openTrace(id);
    }),
  );
}
