// The latency lens on screen above the instrumented call; a click opens the slowest trace's waterfall.
import * as assert from 'node:assert/strict';
import { asDatagram, movedToNow, xrayDocuments } from '../unit/fixtures';
import { openLocalWorkbench, sendWhenListening, type Workbench } from './workbench';

describe('latency lenses in the workbench (e2e)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let port: number;

  before(async () => ({ wb, port } = await openLocalWorkbench()));
  after(async () => wb?.close());

  it('shows the lens text above capture(\u2019loadCart\u2019) and opens the slowest trace on click', async () => {
    const { page } = wb;
    await sendWhenListening(wb, port, movedToNow(xrayDocuments(), 300).map(asDatagram));
    await page
      .locator('.statusbar-item', { hasText: /Local X-Ray · \d\d traces/ })
      .first()
      .waitFor({ timeout: 30_000 });
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
