import * as vscode from 'vscode';
import type { AwsState } from './awsService';
import type { LocalXRayState } from './localXRayService';
import { describeListener } from './localXRayService';
import { sourceLabels, type SourceKind } from './settings';

/** The status bar item that names the active trace source, its state, and opens the source picker. */
export class SourceStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('traceLens.source', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Trace Lens Source';
  }

  /** The text on screen now (for tests and logs). */
  get text(): string {
    return this.item.text;
  }

  /** Shows the given source, with the local X-Ray's state and trace count, AWS's state, or the open file. */
  show(
    source: SourceKind,
    local?: { state: LocalXRayState; traces: number },
    aws?: AwsState,
    fileLabel?: string,
  ): void {
    const label = sourceLabels[source];
    this.item.backgroundColor = undefined;
    this.item.command = 'traceLens.chooseSource';
    if (source === 'file') {
      this.item.text = `$(file) ${fileLabel ?? 'Trace file: none open'}`;
      this.item.tooltip = fileLabel
        ? `Trace Lens shows the traces of ${fileLabel.replace(/^Trace file /, '')}. Click to choose another source.`
        : 'Click to choose a trace file or another source.';
    } else if (source === 'aws' && aws) {
      this.item.command = 'traceLens.aws.chooseProfile';
      if (aws.kind === 'connecting') {
        this.item.text = `$(loading~spin) ${aws.label}`;
        this.item.tooltip = `Connecting to ${aws.label}…`;
      } else if (aws.kind === 'ready') {
        this.item.text = aws.throttled ? `$(warning) ${aws.label}: throttled, slowing down` : `$(cloud) ${aws.label}`;
        this.item.tooltip = aws.throttled
          ? 'X-Ray is throttling Trace Lens; it is making fewer calls at once until that stops.'
          : `Trace Lens reads traces from ${aws.label}. Click to choose another profile or region.`;
        if (aws.throttled) this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      } else if (aws.kind === 'failed') {
        this.item.text = `$(error) ${aws.label}`;
        this.item.tooltip = `${aws.message}\n\nClick to choose a profile and region.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      } else {
        this.item.text = `$(cloud) ${label}: choose a profile`;
        this.item.tooltip = 'Click to choose the AWS profile and region to read traces from.';
      }
    } else if (source !== 'local' || !local) {
      this.item.text = `$(cloud) ${label}`;
      this.item.tooltip = `Trace Lens reads traces from ${label}. Click to choose another source.`;
    } else if (local.state.kind !== 'running') {
      this.item.text = `$(loading~spin) ${label}`;
      this.item.tooltip = `The local X-Ray is ${local.state.kind}.`;
    } else {
      const { status, store, storePath } = local.state;
      const failed = [status.udp, status.api, status.otlp].filter((s) => s.state === 'failed');
      const tooltip = new vscode.MarkdownString(undefined, true);
      tooltip.appendMarkdown(`**Local X-Ray**: ${local.traces} traces\n\n`);
      for (const [n, s] of [
        ['UDP (X-Ray SDKs)', status.udp],
        ['X-Ray API', status.api],
        ['OTLP/HTTP', status.otlp],
      ] as const)
        tooltip.appendText(`${describeListener(n, s)}\n\n`);
      tooltip.appendText(store === 'sqlite' ? `Store: ${storePath}` : 'Store: in memory (lost when VS Code closes)');
      if (failed.length) {
        const first = failed[0] as { message: string };
        this.item.text = `$(warning) ${label}: ${/already in use/.test(first.message) ? 'port in use' : 'not listening'}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        this.item.command = 'traceLens.local.configurePorts';
        tooltip.appendMarkdown('\n\nClick to choose other ports.');
      } else {
        this.item.text = `$(pulse) ${label} · ${local.traces} ${local.traces === 1 ? 'trace' : 'traces'}`;
        tooltip.appendMarkdown('\n\nClick to choose another source.');
      }
      this.item.tooltip = tooltip;
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
