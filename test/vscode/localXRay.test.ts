// The local X-Ray inside the real extension host: it starts with the extension, the status bar
// shows it and its trace count, and traces sent by the real X-Ray SDK reach the Traces view.
import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import * as vscode from 'vscode';
import type { TraceLensApi } from '../../src/extension';
import { splitDatagram } from '../../src/model/datagram';
import { xrayDatagrams } from '../unit/fixtures';

const api = () => vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function send(port: number, datagrams: (string | Buffer)[]): Promise<void> {
  const sock = createSocket('udp4');
  for (const d of datagrams)
    await new Promise<void>((r, j) => sock.send(d, port, '127.0.0.1', (e) => (e ? j(e) : r())));
  sock.close();
}

describe('local X-Ray in the extension host', function () {
  this.timeout(60_000);

  it('starts with the extension and shows itself and its trace count in the status bar', async () => {
    const a = await api();
    await a.localXRayReady();
    const { state, traces } = a.localXRay();
    assert.equal(state.kind, 'running');
    if (state.kind !== 'running') return;
    assert.equal(state.status.udp.state, 'listening');
    assert.equal(state.status.api.state, 'listening');
    assert.equal(state.status.otlp.state, 'listening');
    assert.equal(state.store, 'sqlite');
    assert.match(a.statusText(), new RegExp(`Local X-Ray · ${traces} traces?`));
  });

  it('stores what the X-Ray SDK sent, updates the count, and lists the traces in the view', async () => {
    const a = await api();
    await a.localXRayReady();
    const state = a.localXRay().state;
    assert.ok(state.kind === 'running' && state.status.udp.state === 'listening');
    const datagrams = xrayDatagrams();
    const ids = new Set(
      datagrams.map(
        (d) => (JSON.parse((splitDatagram(d) as { document: string }).document) as { trace_id: string }).trace_id,
      ),
    );
    await send(state.status.udp.port, datagrams);
    // Other suites may have sent the same fixtures: the count covers them at least once.
    await until('the trace count to cover the sent traces', () => a.localXRay().traces >= ids.size);
    await until('the status bar to show the count', () => a.statusText().includes(`${a.localXRay().traces} traces`));
    // The fixtures are older than the view's window: send one fresh trace the view must list (of
    // orders, a service the sample workspace declares: the view follows the workspace's services).
    const fresh = `1-${Math.floor(Date.now() / 1000).toString(16)}-${'ab'.repeat(12)}`;
    const now = Date.now() / 1000;
    await send(state.status.udp.port, [
      `{"format":"json","version":1}\n${JSON.stringify({ trace_id: fresh, id: '00000000000000f1', name: 'orders', start_time: now - 0.2, end_time: now })}`,
    ]);
    await vscode.commands.executeCommand('workbench.view.extension.traceLens');
    await until('the Traces view to list the fresh trace', () => a.tracesInView().includes(fresh), 15_000);
  });

  it('says which port is taken and keeps the rest running; recovers when the port changes', async () => {
    const a = await api();
    const blocker = createSocket('udp4');
    const port = await new Promise<number>((r) => blocker.bind(0, '127.0.0.1', () => r(blocker.address().port)));
    const config = vscode.workspace.getConfiguration('traceLens');
    try {
      await config.update('local.udpPort', port, vscode.ConfigurationTarget.Global);
      await until('a restart with the taken port', () => {
        const s = a.localXRay().state;
        return s.kind === 'running' && s.status.udp.state === 'failed';
      });
      await a.localXRayReady();
      const s = a.localXRay().state;
      assert.ok(s.kind === 'running' && s.status.udp.state === 'failed');
      assert.match((s.status.udp as { message: string }).message, new RegExp(`127.0.0.1:${port} is already in use`));
      assert.equal(s.status.api.state, 'listening');
      assert.match(a.statusText(), /Local X-Ray: port in use/);
    } finally {
      blocker.close();
      await config.update('local.udpPort', 0, vscode.ConfigurationTarget.Global);
    }
    await until('a restart on a free port', () => {
      const s = a.localXRay().state;
      return s.kind === 'running' && s.status.udp.state === 'listening';
    });
    assert.match(a.statusText(), /Local X-Ray · \d+ traces?/);
  });
});
