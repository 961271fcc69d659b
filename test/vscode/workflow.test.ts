// The daily path's commands in the real extension host: a trace file as the source, a trace
// opened by its W3C id, the service map of the listed traces, and two traces compared.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TraceLensApi } from '../../src/extension';
import { repoRoot } from '../harness/paths';
import { xrayDocuments } from '../unit/fixtures';

const api = () => vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Accepts the first item of the quick pick a command shows (as Enter does), once it is shown; resolves with the command's result. */
async function acceptingPick<T>(running: Thenable<T>): Promise<T> {
  let done = false;
  const result = Promise.resolve(running).finally(() => (done = true));
  const deadline = Date.now() + 15_000;
  while (!done && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

describe('the Traces view workflow in the real extension host', function () {
  this.timeout(90_000);
  let dir: string;
  let ids: string[];

  before(async () => {
    const a = await api();
    await a.localXRayReady();
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-file-'));
    // The recorded documents as one JSON array, at their recorded (old) times: a file is shown whole.
    const docs = xrayDocuments();
    ids = [...new Set(docs.map((d) => d.trace_id!))];
    writeFileSync(join(dir, 'checkout.json'), JSON.stringify(docs));
    // Global, so the sample workspace's settings file is left alone.
    await vscode.workspace.getConfiguration('traceLens').update('source', 'file', vscode.ConfigurationTarget.Global);
    assert.equal(
      await vscode.commands.executeCommand('traceLens.openTraceFile', vscode.Uri.file(join(dir, 'checkout.json'))),
      true,
    );
    await vscode.commands.executeCommand('workbench.view.extension.traceLens');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('traceLens').update('source', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the traces of a file opened as the source, and names it in the status bar', async () => {
    const a = await api();
    await until('the status bar to name the file', () => a.statusText().includes('checkout.json'));
    await vscode.commands.executeCommand('traceLens.refresh');
    await until('the Traces view to list the file', () => ids.every((id) => a.tracesInView().includes(id)));
  });

  it("shows lenses for a file of past traffic, over the file's last hour", async () => {
    const a = await api();
    await a.statsReady();
    const checkout = vscode.Uri.file(join(repoRoot, 'sample', 'services', 'orders', 'checkout.js'));
    await vscode.workspace.openTextDocument(checkout);
    const deadline = Date.now() + 20_000;
    let lens: vscode.CodeLens | undefined;
    while (!lens) {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', checkout, 100)) ??
        [];
      lens = lenses.find((l) => /^p50 .* calls?\b/.test(l.command?.title ?? ''));
      if (!lens && Date.now() > deadline) throw new Error('no lens over the file\u2019s traces');
      if (!lens) await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(lens.command!.tooltip ?? '', /the trace file's last 1h \(to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/);
  });

  it('opens a trace by its W3C id', async () => {
    const a = await api();
    const id = ids[0]!;
    await vscode.commands.executeCommand('traceLens.openTraceById', id.slice(2).replace('-', ''));
    await until('the waterfall of the trace', () => a.openTracePanels().includes(id));
  });

  it('opens a trace from a vscode:// link (W3C id), and refuses a link that names no trace', async () => {
    const a = await api();
    const id = ids[1] ?? ids[0]!;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The handler VS Code calls for the link (code-server routes such links to a browser tab instead).
    const before = a.openTracePanels().length;
    await a.handleUri(vscode.Uri.parse(`${vscode.env.uriScheme}://trace-lens.trace-lens/trace?id=%3Cimg%20src%3Dx%3E`));
    await a.handleUri(vscode.Uri.parse(`${vscode.env.uriScheme}://trace-lens.trace-lens/other?id=${id}`));
    assert.equal(a.openTracePanels().length, before, 'links that name no trace open nothing');
    await a.handleUri(
      vscode.Uri.parse(`${vscode.env.uriScheme}://trace-lens.trace-lens/trace?id=${id.slice(2).replace('-', '')}`),
    );
    await until('the waterfall of the linked trace', () => a.openTracePanels().includes(id));
  });

  it('runs the per-trace commands from the palette on a trace picked from the list', async () => {
    const a = await api();
    // Every command is in the palette except the two bound to a span or a frame of an open view.
    const manifest = vscode.extensions.getExtension('trace-lens.trace-lens')!.packageJSON as {
      contributes: { menus: { commandPalette: { command: string; when: string }[] } };
    };
    assert.deepEqual(
      manifest.contributes.menus.commandPalette
        .filter((m) => m.when === 'false')
        .map((m) => m.command)
        .sort(),
      ['traceLens.goToCode', 'traceLens.goToFrame'],
    );
    await vscode.env.clipboard.writeText('');
    await until('the listed traces', () => a.tracesInView().length > 0);
    // The waterfall the link test opened takes the focus when it loads, which would close the pick.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('no open waterfall', () => a.openTracePanels().length === 0);
    assert.equal(await acceptingPick(vscode.commands.executeCommand<boolean>('traceLens.copyTraceId')), true);
    const copied = await vscode.env.clipboard.readText();
    assert.ok(a.tracesInView().includes(copied), `copied ${copied}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await acceptingPick(vscode.commands.executeCommand('traceLens.openTrace'));
    await until(
      'the picked trace\u2019s waterfall',
      () => a.openTracePanels().length === 1 && a.tracesInView().includes(a.openTracePanels()[0]!),
    );
  });

  it("shows the service map of the view's traces", async () => {
    const a = await api();
    await vscode.commands.executeCommand('traceLens.showServiceMap');
    await until('the map to hold the sample services', () =>
      ['client', 'orders', 'inventory'].every((n) => a.serviceMap().nodes.includes(n)),
    );
    assert.ok(a.serviceMap().open);
  });

  it('compares two selected traces, the faster as the reference', async () => {
    const a = await api();
    const node = (id: string, durationMs: number) => ({ kind: 'trace', row: { id, durationMs } });
    const [x, y] = ids;
    await vscode.commands.executeCommand('traceLens.compareTraces', node(x!, 900), [node(x!, 900), node(y!, 100)]);
    await until('the compare panel', () => a.comparePairs().some(([p, q]) => p === y && q === x));
  });
});
