// The waterfall in the real workbench: opened from the Traces view, a double-click on a span row
// and a click on a frame link each open the editor at the line; a reloaded window brings it back.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';
import { failingTraceNow } from '../unit/fixtures';
import { openLocalWorkbench, runCommand, sendWhenListening, showTracesView, type Workbench } from './workbench';

describe('the trace waterfall in the real workbench (e2e)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let port: number;

  before(async () => ({ wb, port } = await openLocalWorkbench()));
  after(async () => wb?.close());

  it('opens from the Traces view; a span row and a frame link each open the editor at the line', async () => {
    const { page } = wb;
    await sendWhenListening(wb, port, failingTraceNow());
    await page
      .locator('.statusbar-item', { hasText: /Local X-Ray · 1 trace\b/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await showTracesView(wb);
    await page.locator('.sidebar .monaco-list-row .label-name', { hasText: 'POST /checkout' }).first().click();
    const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await view.locator('.row').first().waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('.row').count(), 11);
    await wb.screenshot('e2e-waterfall');
    const expected =
      readFileSync(join(repoRoot, 'sample', 'services', 'inventory', 'src', 'reservations.js'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(".split('-')")) + 1;
    await view.locator('.row', { hasText: 'reserveLines' }).dblclick();
    await page.locator('.tab.active', { hasText: 'reservations.js' }).waitFor({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: new RegExp(`Ln ${expected}, Col`) })
      .first()
      .waitFor({ timeout: 15_000 });
    // Back to the waterfall: a frame link of the span's exception.
    await page
      .locator('.tab', { hasText: /orders/ })
      .first()
      .click();
    await view.locator('.row', { hasText: 'reserveLines' }).click();
    await view.locator('.details h2', { hasText: 'reserveLines' }).waitFor({ timeout: 15_000 });
    await wb.screenshot('e2e-waterfall-details');
    await view.locator('.details .frame').first().click();
    await page.locator('.tab.active', { hasText: 'reservations.js' }).waitFor({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: new RegExp(`Ln ${expected}, Col`) })
      .first()
      .waitFor({ timeout: 15_000 });
  });

  it('comes back after the window reloads, on the span that was selected', async () => {
    const { page } = wb;
    await page
      .locator('.tab', { hasText: /orders/ })
      .first()
      .click();
    const view = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
    await view.locator('.row', { hasText: 'reserveLines' }).click();
    await view.locator('.details h2', { hasText: 'reserveLines' }).waitFor({ timeout: 15_000 });
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 });
    await runCommand(wb, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The panel is restored from its saved state: the same trace (read again from the local
    // X-Ray's store), the same span selected, and one tab for it.
    await view.locator('.details h2', { hasText: 'reserveLines' }).waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('.row').count(), 11);
    assert.equal(await page.locator('.tab', { hasText: /orders/ }).count(), 1);
    await wb.screenshot('e2e-waterfall-restored');
  });
});
