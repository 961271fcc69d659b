// The waterfall in the real workbench: opened from the Traces view, a double-click on a span row
// and a click on a frame link each open the editor at the line.
import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../harness/codeServer';
import { repoRoot } from '../harness/paths';
import { splitDatagram } from '../../src/model/datagram';
import { xrayDatagrams } from '../unit/fixtures';
import { openWorkbench, type Workbench } from './workbench';

type Doc = { trace_id: string; name: string; start_time?: number; end_time?: number; subsegments?: Doc[]; cause?: { exceptions?: unknown[] } };
const has = (d: Doc, name: string): boolean => (d.name === name && !!d.cause?.exceptions?.length) || (d.subsegments ?? []).some((s) => has(s, name));

function failingTraceNow(): string[] {
  const byTrace = new Map<string, Doc[]>();
  for (const d of xrayDatagrams()) {
    const doc = JSON.parse((splitDatagram(d) as { document: string }).document) as Doc;
    byTrace.set(doc.trace_id, [...(byTrace.get(doc.trace_id) ?? []), doc]);
  }
  const docs = [...byTrace.values()].find((ds) => ds.some((d) => d.name === 'inventory' && has(d, 'reserveLines')) && ds.some((d) => d.name === 'orders'))!;
  const shift = Date.now() / 1000 - 5 - Math.min(...docs.map((d) => d.start_time ?? Infinity));
  const move = (d: Doc) => {
    if (d.start_time) d.start_time += shift;
    if (d.end_time) d.end_time += shift;
    d.subsegments?.forEach(move);
  };
  docs.forEach(move);
  return docs.map((d) => `{"format":"json","version":1}\n${JSON.stringify(d)}`);
}

describe('the trace waterfall in the real workbench (e2e)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let port: number;

  before(async () => {
    port = await freePort();
    wb = await openWorkbench(join(repoRoot, 'sample'), { 'traceLens.local.udpPort': port, 'traceLens.local.apiPort': port, 'traceLens.local.otlpPort': await freePort() });
  });
  after(async () => wb?.close());

  it('opens from the Traces view; a span row and a frame link each open the editor at the line', async () => {
    const { page } = wb;
    await page.locator('.statusbar-item', { hasText: /Local X-Ray · 0 traces/ }).first().waitFor({ timeout: 60_000 });
    const sock = createSocket('udp4');
    for (const d of failingTraceNow()) await new Promise<void>((r) => sock.send(d, port, '127.0.0.1', () => r()));
    sock.close();
    await page.locator('.statusbar-item', { hasText: /Local X-Ray · 1 trace\b/ }).first().waitFor({ timeout: 60_000 });
    await page.locator('.activitybar .action-item a[aria-label^="Trace Lens"]').click();
    await page.locator('.sidebar .monaco-list-row .label-name', { hasText: 'POST /checkout' }).click();
    const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await view.locator('.row').first().waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('.row').count(), 11);
    await wb.screenshot('e2e-waterfall');
    const expected = readFileSync(join(repoRoot, 'sample', 'services', 'inventory', 'src', 'reservations.js'), 'utf8').split('\n').findIndex((l) => l.includes(".split('-')")) + 1;
    await view.locator('.row', { hasText: 'reserveLines' }).dblclick();
    await page.locator('.tab.active', { hasText: 'reservations.js' }).waitFor({ timeout: 15_000 });
    await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${expected}, Col`) }).first().waitFor({ timeout: 15_000 });
    // Back to the waterfall: a frame link of the span's exception.
    await page.locator('.tab', { hasText: /orders/ }).first().click();
    await view.locator('.row', { hasText: 'reserveLines' }).click();
    await view.locator('.details h2', { hasText: 'reserveLines' }).waitFor({ timeout: 15_000 });
    await wb.screenshot('e2e-waterfall-details');
    await view.locator('.details .frame').first().click();
    await page.locator('.tab.active', { hasText: 'reservations.js' }).waitFor({ timeout: 15_000 });
    await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${expected}, Col`) }).first().waitFor({ timeout: 15_000 });
  });
});
