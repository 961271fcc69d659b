import * as vscode from 'vscode';

/** Where traces come from; the manifest's `traceLens.source` enum. */
export type SourceKind = 'local' | 'aws';

/** The settings Trace Lens reads, resolved with their defaults. */
export interface Settings {
  readonly source: SourceKind;
}

/** The display names of the sources, as the picker and status bar show them. */
export const sourceLabels: Record<SourceKind, string> = { local: 'Local X-Ray', aws: 'AWS X-Ray' };

/** Reads `traceLens.*` for the current window; an unknown value falls back to the default. */
export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('traceLens');
  const source = config.get<string>('source');
  return { source: source === 'aws' ? 'aws' : 'local' };
}

/** Calls back when any `traceLens.*` setting changes. */
export function onSettingsChanged(callback: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('traceLens')) callback();
  });
}
