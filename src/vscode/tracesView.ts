import * as vscode from 'vscode';

/** One row of the Traces view. */
export type TraceNode = vscode.TreeItem;

/**
 * The sidebar's Traces view. Until a source delivers traces it has no rows, so VS Code shows the
 * view's welcome content (package.json `viewsWelcome`) that says how to get some.
 */
export class TracesView implements vscode.TreeDataProvider<TraceNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TraceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: TraceNode[] = [];

  /** Replaces the rows and redraws the view. */
  setNodes(nodes: TraceNode[]): void {
    this.nodes = nodes;
    this.changed.fire(undefined);
  }

  /** Asks VS Code to read the rows again. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TraceNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: TraceNode): TraceNode[] {
    return node ? [] : this.nodes;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
