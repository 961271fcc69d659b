// Latency lenses and hovers in the real extension host, read through the VS Code API, on traffic
// the real X-Ray SDK recorded (moved into the lens window).
import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TraceLensApi } from '../../src/extension';
import { repoRoot } from '../harness/paths';
import { asDatagram, movedToNow, xrayDocuments, type RecordedDoc } from '../unit/fixtures';

/** The recorded traffic agoSec ago under new trace ids (the last 6 hex digits replaced by suffix). */
function movedWithNewIds(
  agoSec: number,
  suffix: string,
): { datagrams: string[]; loadCart: number; orderGets: number; slowestLoadCart: string } {
  const docs = movedToNow(xrayDocuments(), agoSec);
  let loadCart = 0;
  let slowest = { ms: -1, traceId: '' };
  // Completed orders segments of GET /orders/<id>, counted here with a plain regular expression.
  const requestOf = (d: RecordedDoc) => (d as { http?: { request?: { method?: string; url?: string } } }).http?.request;
  const orderGets = docs.filter(
    (d) =>
      d.name === 'orders' &&
      d.end_time &&
      !d.in_progress &&
      requestOf(d)?.method === 'GET' &&
      /\/orders\/[^/?#]+(?:[?#].*)?$/.test(requestOf(d)?.url ?? ''),
  ).length;
  // New traffic: new trace ids (other suites sent these documents at their recorded times).
  for (const d of docs) d.trace_id = d.trace_id!.replace(/.{6}$/, suffix);
  const count = (traceId: string) => (d: RecordedDoc) => {
    if (d.name === 'loadCart' && d.end_time && !d.in_progress) {
      loadCart++;
      // The slowest loadCart, worked out here on its own: the lens's click must open its trace.
      const ms = (d.end_time - d.start_time!) * 1000;
      if (ms > slowest.ms) slowest = { ms, traceId };
    }
    d.subsegments?.forEach(count(traceId));
  };
  for (const d of docs) count(d.trace_id!)(d);
  return { datagrams: docs.map(asDatagram), loadCart, orderGets, slowestLoadCart: slowest.traceId };
}

async function send(port: number, datagrams: string[]): Promise<void> {
  const sock = createSocket('udp4');
  for (const d of datagrams) await new Promise<void>((r) => sock.send(d, port, '127.0.0.1', () => r()));
  sock.close();
}

async function until<T>(what: string, get: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('latency lenses and hovers in the real extension host', function () {
  this.timeout(90_000);
  const checkout = vscode.Uri.file(join(repoRoot, 'sample', 'services', 'orders', 'checkout.js'));
  let expectedCalls = 0;
  let expectedRequests = 0;
  let slowestLoadCart = '';
  let udpPort = 0;

  before(async () => {
    const api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
    await api.localXRayReady();
    await api.instrumentationReady();
    assert.ok((await api.routesReady()) >= 7, 'the sample declares its routes');
    const state = api.localXRay().state;
    assert.ok(state.kind === 'running' && state.status.udp.state === 'listening');
    const traffic = movedWithNewIds(300, 'c0ffee');
    expectedCalls = traffic.loadCart;
    expectedRequests = traffic.orderGets;
    slowestLoadCart = traffic.slowestLoadCart;
    udpPort = state.kind === 'running' && state.status.udp.state === 'listening' ? state.status.udp.port : 0;
    await send(udpPort, traffic.datagrams);
  });

  it('shows p50, calls and errors above the instrumented call, saying when samples are few', async () => {
    const doc = await vscode.workspace.openTextDocument(checkout);
    const siteLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => /capture\(\s*'loadCart'/.test(l));
    assert.ok(siteLine >= 0);
    const lens = await until('the loadCart lens', async () => {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', checkout, 100)) ??
        [];
      const l = lenses.find(
        (x) => Math.abs(x.range.start.line - siteLine) <= 1 && x.command?.title.includes(`${expectedCalls} calls`),
      );
      return l;
    });
    assert.match(
      lens.command!.title,
      new RegExp(`^p50 ≈\\d+(\\.\\d)? ms · ${expectedCalls} calls \\(too few for p99\\)`),
    );
    assert.equal(lens.command!.command, 'traceLens.openTrace');
    assert.equal(
      (lens.command!.arguments?.[0] as { traceId: string }).traceId,
      slowestLoadCart,
      'a click opens the slowest loadCart\u2019s trace',
    );
  });

  it('reads the longer window again when the window setting changes', async () => {
    const lensLine = async () => {
      const doc = await vscode.workspace.openTextDocument(checkout);
      const siteLine = doc
        .getText()
        .split('\n')
        .findIndex((l) => /capture\(\s*'loadCart'/.test(l));
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', checkout, 100)) ??
        [];
      return lenses.find((x) => Math.abs(x.range.start.line - siteLine) <= 1 && /calls?\b/.test(x.command?.title ?? ''))
        ?.command?.title;
    };
    // The same traffic three hours ago: outside the default hour (and the hour before it).
    const earlier = movedWithNewIds(3 * 3600, 'ba5eba');
    await send(udpPort, earlier.datagrams);
    await new Promise((r) => setTimeout(r, 1500));
    assert.match((await lensLine()) ?? '', new RegExp(` ${expectedCalls} calls`));
    const lensConfig = vscode.workspace.getConfiguration('traceLens.lenses');
    await lensConfig.update('window', '6h', vscode.ConfigurationTarget.Global);
    try {
      await until(
        'the six-hour lens',
        async () => ((await lensLine()) ?? '').includes(` ${expectedCalls + earlier.loadCart} calls`) || undefined,
      );
    } finally {
      await lensConfig.update('window', undefined, vscode.ConfigurationTarget.Global);
    }
    await until(
      'the hour again',
      async () => ((await lensLine()) ?? '').includes(` ${expectedCalls} calls`) || undefined,
    );
  });

  it('shows the requests of an Express route above its declaration, and hovers with how they were matched', async () => {
    const server = vscode.Uri.file(join(repoRoot, 'sample', 'services', 'orders', 'server.js'));
    const doc = await vscode.workspace.openTextDocument(server);
    const routeLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes("app.get('/orders/:id',"));
    assert.ok(routeLine >= 0 && expectedRequests > 0);
    const lens = await until('the GET /orders/:id lens', async () => {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', server, 100)) ?? [];
      return lenses.find(
        (x) => x.range.start.line === routeLine && x.command?.title.includes(`${expectedRequests} request`),
      );
    });
    assert.match(lens.command!.title, /^p50 ≈\d+(\.\d)? ms · \d+ requests? \(too few for p99\)/);
    assert.equal(lens.command!.command, 'traceLens.openTrace');
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        server,
        new vscode.Position(routeLine, 4),
      )) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /GET \/orders\/:id/);
    assert.match(text, /express route declared at/);
  });

  it('shows lenses in every instrumented file, reports.js too (its invoice segment is sent in progress first)', async () => {
    const reports = vscode.Uri.file(join(repoRoot, 'sample', 'services', 'orders', 'reports.js'));
    const doc = await vscode.workspace.openTextDocument(reports);
    const lines = doc.getText().split('\n');
    for (const name of ['summarize', 'renderInvoicePdf']) {
      const siteLine = lines.findIndex((l) => l.includes(`capture('${name}'`));
      assert.ok(siteLine >= 0, name);
      await until(`the ${name} lens`, async () => {
        const lenses =
          (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', reports, 100)) ??
          [];
        return lenses.find(
          (x) => Math.abs(x.range.start.line - siteLine) <= 1 && /p50 .* calls/.test(x.command?.title ?? ''),
        );
      });
    }
  });

  it('hovers with the distribution, the percentiles and links to the slowest traces', async () => {
    const doc = await vscode.workspace.openTextDocument(checkout);
    const siteLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => /capture\(\s*'loadCart'/.test(l));
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        checkout,
        new vscode.Position(siteLine, 14),
      )) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /loadCart/);
    assert.match(text, /\| p50 \| p90 \| p99 \| max \| self p50 \|/);
    assert.match(text, /!\[latency distribution\]\(data:image\/svg\+xml;base64,/);
    assert.match(text, /\*\*Slowest:\*\* \[/);
    assert.match(text, /command:traceLens\.openTrace\?/);
  });

  it('hides the lenses with the toggle', async () => {
    await vscode.commands.executeCommand('traceLens.toggleLenses');
    try {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', checkout, 100)) ??
        [];
      assert.deepEqual(
        lenses.filter((l) => l.command?.title.includes('calls')),
        [],
      );
    } finally {
      await vscode.commands.executeCommand('traceLens.toggleLenses');
    }
  });
});
