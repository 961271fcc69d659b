import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TraceLensApi } from '../../src/extension';

const extensionId = 'trace-lens.trace-lens';

describe('activation in the real extension host', () => {
  it('activates', async () => {
    const ext = vscode.extensions.getExtension<TraceLensApi>(extensionId);
    assert.ok(ext, `${extensionId} is installed`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.source, 'function');
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });

  it('follows the traceLens.source setting', async () => {
    const api = await vscode.extensions.getExtension<TraceLensApi>(extensionId)!.activate();
    const config = vscode.workspace.getConfiguration('traceLens');
    assert.equal(api.source(), 'local');
    await config.update('source', 'aws', vscode.ConfigurationTarget.Global);
    try {
      assert.equal(api.source(), 'aws');
    } finally {
      await config.update('source', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(api.source(), 'local');
  });
});
