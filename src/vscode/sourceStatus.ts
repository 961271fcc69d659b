import * as vscode from 'vscode';
import { sourceLabels, type SourceKind } from './settings';

/** The status bar item that names the active trace source and opens the source picker. */
export class SourceStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('traceLens.source', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Trace Lens Source';
    this.item.command = 'traceLens.chooseSource';
  }

  /** Shows the given source. */
  show(source: SourceKind): void {
    this.item.text = `$(pulse) ${sourceLabels[source]}`;
    this.item.tooltip = `Trace Lens reads traces from ${sourceLabels[source]}. Click to choose another source.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
