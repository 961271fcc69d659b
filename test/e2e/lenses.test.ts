// The latency lens on screen above the instrumented call; a click opens the slowest trace's waterfall.
import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { freePort } from '../harness/codeServer';
import { repoRoot } from '../harness/paths';
import { splitDatagram } from '../../src/model/datagram';
import { xrayDatagrams } from '../unit/fixtures';
import { openWorkbench, type Workbench } from './workbench';

type Doc = { start_time?: number; end_time?: number; subsegments?: Doc[] };

describe('latency lenses in the workbench (e2e)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let port: number;

  before(async () => {
    port = await freePort();
    wb = await openWorkbench(join(repoRoot, 'sample'), { 'traceLens.local.udpPort': port, 'traceLens.local.apiPort': port, 'traceLens.local.otlpPort': await freePort() });
  });
  after(async () => wb?.close());

  it('shows the lens text above capture(\u2019loadCart\u2019) and opens the slowest trace on click', async () => {
    const { page } = wb;
    await page.locator('.statusbar-item', { hasText: /Local X-Ray · 0 traces/ }).first().waitFor({ timeout: 60_000 });
    const docs = xrayDatagrams().map((d) => JSON.parse((splitDatagram(d) as { document: string }).document) as Doc);
    const shift = Date.now() / 1000 - 300 - Math.min(...docs.map((d) => d.start_time ?? Infinity));
    const move = (d: Doc) => {
      if (d.start_time) d.start_time += shift;
      if (d.end_time) d.end_time += shift;
      d.subsegments?.forEach(move);
    };
    const sock = createSocket('udp4');
    for (const d of docs) {
      move(d);
      await new Promise<void>((r) => sock.send(`{"format":"json","version":1}\n${JSON.stringify(d)}`, port, '127.0.0.1', () => r()));
    }
    sock.close();
    await page.locator('.statusbar-item', { hasText: /Local X-Ray · \d\d traces/ }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+P');
    await page.keyboard.type('checkout.js');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'checkout.js' }).first().waitFor();
    await page.keyboard.press('Enter');
    const lens = page.locator('.codelens-decoration a', { hasText: /p50 .* calls/ }).first();
    await lens.waitFor({ timeout: 60_000 });
    assert.match((await lens.textContent()) ?? '', /p50 ≈?\d+(\.\d)? ms · \d+ calls/);
    await wb.screenshot('e2e-lens');
    await lens.click();
    const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await view.locator('.row').first().waitFor({ timeout: 30_000 });
    assert.ok((await view.locator('.row').count()) > 1);
  });
});
