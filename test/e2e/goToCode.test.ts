// A user expands a failing trace in the Traces view, clicks the span that failed inside the
// bundled inventory service, and lands on the original source line.
import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../harness/codeServer';
import { repoRoot } from '../harness/paths';
import { splitDatagram } from '../../src/model/datagram';
import { xrayDatagrams } from '../unit/fixtures';
import { openWorkbench, type Workbench } from './workbench';

type Doc = { trace_id: string; id: string; name: string; start_time?: number; end_time?: number; subsegments?: Doc[]; cause?: { exceptions?: { message?: string }[] } };

/** The recorded documents of one trace, moved to now so the view's time window shows them. */
function traceNow(pick: (docs: Doc[]) => boolean): { traceId: string; datagrams: string[] } {
  const byTrace = new Map<string, Doc[]>();
  for (const d of xrayDatagrams()) {
    const doc = JSON.parse((splitDatagram(d) as { document: string }).document) as Doc;
    byTrace.set(doc.trace_id, [...(byTrace.get(doc.trace_id) ?? []), doc]);
  }
  const [traceId, docs] = [...byTrace].find(([, ds]) => pick(ds))!;
  const shift = Date.now() / 1000 - 5 - Math.min(...docs.map((d) => d.start_time ?? Infinity));
  const move = (d: Doc) => {
    if (d.start_time) d.start_time += shift;
    if (d.end_time) d.end_time += shift;
    d.subsegments?.forEach(move);
  };
  docs.forEach(move);
  return { traceId, datagrams: docs.map((d) => `{"format":"json","version":1}\n${JSON.stringify(d)}`) };
}

const has = (d: Doc, name: string): boolean => (d.name === name && !!d.cause?.exceptions?.length) || (d.subsegments ?? []).some((s) => has(s, name));

describe('Go to Code from the Traces view (e2e)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let port: number;

  before(async () => {
    port = await freePort();
    wb = await openWorkbench(join(repoRoot, 'sample'), { 'traceLens.local.udpPort': port, 'traceLens.local.apiPort': port, 'traceLens.local.otlpPort': await freePort() });
  });
  after(async () => wb?.close());

  it('clicks the failing span and finds the editor at its original line', async () => {
    const { page } = wb;
    const { datagrams } = traceNow((docs) => docs.some((d) => d.name === 'inventory' && has(d, 'reserveLines')) && docs.some((d) => d.name === 'orders'));
    // UDP has no retry: send once the local X-Ray listens.
    await page.locator('.statusbar-item', { hasText: /Local X-Ray · 0 traces/ }).first().waitFor({ timeout: 60_000 });
    const sock = createSocket('udp4');
    for (const d of datagrams) await new Promise<void>((r) => sock.send(d, port, '127.0.0.1', () => r()));
    sock.close();
    await page.locator('.statusbar-item', { hasText: /Local X-Ray · 1 trace\b/ }).first().waitFor({ timeout: 60_000 });
    await page.locator('.activitybar .action-item a[aria-label^="Trace Lens"]').click();
    const row = (text: string) => page.locator('.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${text}$`) }) }).first();
    // Expand the trace (its twistie: a click on the label opens the waterfall), then down the call
    // path to the span that failed.
    await page.locator('.sidebar .monaco-list-row').first().locator('.monaco-tl-twistie').click();
    for (const name of ['orders', 'reserveStock', '127.0.0.1', 'inventory']) {
      await row(name).waitFor({ timeout: 15_000 });
      await row(name).locator('.monaco-tl-twistie').click();
    }
    await row('reserveLines').click();
    const expected = readFileSync(join(repoRoot, 'sample', 'services', 'inventory', 'src', 'reservations.js'), 'utf8').split('\n').findIndex((l) => l.includes(".split('-')")) + 1;
    await page.locator('.tab.active', { hasText: 'reservations.js' }).waitFor({ timeout: 15_000 });
    await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${expected}, Col`) }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('e2e-go-to-code');
    const messages = await page.locator('.statusbar-item').allTextContents();
    assert.ok(messages.some((m) => /through a source map/.test(m)), messages.join(' | '));
  });
});
