import * as vscode from 'vscode';
import { sourceLabels, type SourceKind } from './settings';
import type { TracesView } from './tracesView';

/** What the commands act on. */
export interface CommandDeps {
  readonly log: vscode.LogOutputChannel;
  readonly tracesView: TracesView;
}

/** Registers every `traceLens.*` command the manifest contributes. */
export function registerCommands(deps: CommandDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('traceLens.refresh', () => deps.tracesView.refresh()),
    vscode.commands.registerCommand('traceLens.showLog', () => deps.log.show(true)),
    vscode.commands.registerCommand('traceLens.chooseSource', () => chooseSource(deps.log)),
  );
}

/** Lets the user pick the trace source and stores it in the workspace settings. */
async function chooseSource(log: vscode.LogOutputChannel): Promise<SourceKind | undefined> {
  const current = vscode.workspace.getConfiguration('traceLens').get<string>('source');
  const items: (vscode.QuickPickItem & { kind2: SourceKind })[] = [
    { kind2: 'local', label: `$(vm) ${sourceLabels.local}`, description: current === 'local' ? 'current' : '', detail: 'Traces your app sends from this machine (UDP 2000, OTLP 4318). No AWS account needed.' },
    { kind2: 'aws', label: `$(cloud) ${sourceLabels.aws}`, description: current === 'aws' ? 'current' : '', detail: 'Traces in your AWS account, through your AWS profiles.' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Trace Lens: Choose Trace Source', placeHolder: 'Where should Trace Lens read traces from?' });
  if (!picked) return undefined;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('traceLens').update('source', picked.kind2, target);
  log.info(`source set to ${picked.kind2}`);
  return picked.kind2;
}
