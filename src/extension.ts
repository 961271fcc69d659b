// Composition root: construct, register, push disposables; nothing else.
import * as vscode from 'vscode';
import { registerCommands } from './vscode/commands';
import { readSettings, onSettingsChanged } from './vscode/settings';
import { SourceStatusItem } from './vscode/sourceStatus';
import { TracesView } from './vscode/tracesView';

/** What activate() returns: a small surface the integration tests read. */
export interface TraceLensApi {
  /** The source the extension reads traces from now. */
  readonly source: () => string;
}

/** Called by VS Code once, after start-up finishes (no `*` activation). */
export function activate(context: vscode.ExtensionContext): TraceLensApi {
  const log = vscode.window.createOutputChannel('Trace Lens', { log: true });
  let settings = readSettings();
  const tracesView = new TracesView();
  const status = new SourceStatusItem();
  status.show(settings.source);

  context.subscriptions.push(
    log,
    tracesView,
    status,
    vscode.window.createTreeView('traceLens.traces', { treeDataProvider: tracesView, showCollapseAll: true }),
    registerCommands({ log, tracesView }),
    onSettingsChanged(() => {
      settings = readSettings();
      status.show(settings.source);
      tracesView.refresh();
      log.info(`source is now ${settings.source}`);
    }),
  );
  log.info(`Trace Lens ${context.extension.packageJSON.version} activated in VS Code ${vscode.version}; source: ${settings.source}`);
  return { source: () => settings.source };
}

/** Nothing to do: every resource is a disposable in context.subscriptions. */
export function deactivate(): void {}
