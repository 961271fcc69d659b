import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, vsixPath, type Workbench } from './workbench';

const sample = join(__dirname, '..', '..', '..', 'sample');

describe('Trace Lens in the workbench (installed from the .vsix)', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench(sample);
  });
  after(async () => {
    await wb?.close();
  });

  it('is packaged in a .vsix under 3 MB', () => {
    const size = statSync(vsixPath()).size;
    assert.ok(size < 3 * 1024 * 1024, `${size} bytes`);
  });

  it('activates: the status bar names the trace source', async () => {
    await wb.page.locator('.statusbar-item', { hasText: 'Local X-Ray' }).first().waitFor({ timeout: 60_000 });
  });

  it('shows the Trace Lens container in the activity bar, and its Traces view with the welcome text', async () => {
    const item = wb.page.locator('.activitybar .action-item a[aria-label^="Trace Lens"]');
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    // A container with a single view shows the view's name in the side bar title.
    const title = wb.page.locator('.sidebar .composite.title');
    await title.filter({ hasText: /Traces/i }).waitFor({ timeout: 30_000 });
    const welcome = wb.page.locator('.welcome-view-content', { hasText: 'No traces yet.' });
    await welcome.waitFor({ timeout: 30_000 });
    assert.ok(await wb.page.locator('.welcome-view-content a', { hasText: 'Choose Trace Source' }).isVisible());
    await wb.screenshot('e2e-traces-view');
  });
});
