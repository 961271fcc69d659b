// An AWS source polled for new traces (traceLens.aws.pollSeconds): "AWS" is a local X-Ray API
// started in this extension host behind traceLens.aws.endpoint, with credentials from the
// environment (the SDK's default chain); a trace stored there later appears without a refresh.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LocalXRay } from '../../src/collector/localXRay';
import { MemoryStore } from '../../src/collector/store';
import type { TraceLensApi } from '../../src/extension';
import { filterProblem } from '../../src/vscode/traceQuery';

const api = () => vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A one-segment trace of the orders service (a service the sample workspace declares), ending now. */
function orders(seq: number): { id: string; doc: string } {
  const now = Date.now() / 1000;
  const id = `1-${Math.floor(now).toString(16)}-${seq.toString(16).padStart(24, 'a')}`;
  return {
    id,
    doc: JSON.stringify({
      trace_id: id,
      id: `00000000000000${seq.toString(16).padStart(2, '0')}`,
      name: 'orders',
      start_time: now - 0.05,
      end_time: now,
      http: { request: { method: 'GET', url: `http://localhost/orders/${seq}` }, response: { status: 200 } },
    }),
  };
}

describe('an AWS source polled for new traces', function () {
  this.timeout(120_000);
  let xray: LocalXRay;
  const config = () => vscode.workspace.getConfiguration('traceLens');
  const keys = ['aws.endpoint', 'aws.region', 'aws.pollSeconds', 'source'];

  before(async () => {
    xray = new LocalXRay(new MemoryStore(), { udp: false, api: { host: '127.0.0.1', port: 0 }, otlp: false });
    const s = await xray.start();
    assert.ok(s.api.state === 'listening');
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLEPOLLING00';
    process.env.AWS_SECRET_ACCESS_KEY = 'example/example/example/example/exampl';
    await config().update('aws.endpoint', `http://127.0.0.1:${s.api.port}`, vscode.ConfigurationTarget.Global);
    await config().update('aws.region', 'eu-west-1', vscode.ConfigurationTarget.Global);
    await config().update('aws.pollSeconds', 15, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const k of keys) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    await xray?.stop();
  });

  it('lists a trace stored after the first listing, within the polling interval', async () => {
    const a = await api();
    const first = orders(1);
    xray.ingest.document(first.doc);
    xray.ingest.flush();
    await config().update('source', 'aws', vscode.ConfigurationTarget.Global);
    await until(
      'the AWS source',
      () => a.statusText().includes('AWS X-Ray') && !a.statusText().includes('loading'),
      30_000,
    );
    await vscode.commands.executeCommand('workbench.view.extension.traceLens');
    await vscode.commands.executeCommand('traceLens.refresh');
    await until('the first trace', () => a.tracesInView().includes(first.id), 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    const later = orders(2);
    xray.ingest.document(later.doc);
    xray.ingest.flush();
    // No refresh from here on: the poll (every 15 s) lists again, twice within 40 s, and finds it.
    const listings = () => xray.api.calls.get('GetTraceSummaries') ?? 0;
    const before = listings();
    await until('the later trace, by polling', () => a.tracesInView().includes(later.id), 40_000);
    await until('a second listing by the poll', () => listings() >= before + 2, 40_000);
  });

  it('leaves keywords only X-Ray knows to X-Ray, and shows its error text in the view', async () => {
    const a = await api();
    const edge = 'edge("client", "orders") { fault }';
    // The local grammar lacks edge(); for AWS the input lets it through, a syntax error never.
    assert.match(filterProblem(edge) ?? '', /'edge' .*is not supported by the local X-Ray/);
    assert.equal(filterProblem(edge, true), undefined);
    assert.match(filterProblem('fault AND (', true) ?? '', /at character/);
    // "AWS" here is the local X-Ray's API, which refuses edge() in its own words, as X-Ray refuses what it cannot run.
    try {
      await a.setFilter(edge);
      await until(
        'the listing to fail with the service\u2019s text',
        () => /edge/.test(a.listingFailure() ?? ''),
        20_000,
      );
    } finally {
      await a.setFilter(undefined);
    }
    await until(
      'the listing to recover once the filter is cleared',
      () => a.listingFailure() === undefined && a.tracesInView().length > 0,
      20_000,
    );
  });
});
