// A user expands a failing trace in the Traces view, clicks the span that failed inside the
// bundled inventory service, and lands on the original source line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';
import { failingTraceNow } from '../unit/fixtures';
import { openLocalWorkbench, sendWhenListening, showTracesView, type Workbench } from './workbench';

describe('Go to Code from the Traces view (e2e)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let port: number;

  before(async () => ({ wb, port } = await openLocalWorkbench()));
  after(async () => wb?.close());

  it('clicks the failing span and finds the editor at its original line', async () => {
    const { page } = wb;
    await sendWhenListening(wb, port, failingTraceNow());
    await page
      .locator('.statusbar-item', { hasText: /Local X-Ray · 1 trace\b/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await showTracesView(wb);
    const row = (text: string) =>
      page
        .locator('.sidebar .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${text}$`) }) })
        .first();
    // Expand the trace (its twistie: a click on the label opens the waterfall) in the Slowest group
    // (the first trace row, at level 2), then down the call path to the span that failed.
    await page.locator('.sidebar .monaco-list-row[aria-level="2"]').first().locator('.monaco-tl-twistie').click();
    for (const name of ['orders', 'reserveStock', '127.0.0.1', 'inventory']) {
      await row(name).waitFor({ timeout: 15_000 });
      await row(name).locator('.monaco-tl-twistie').click();
    }
    await row('reserveLines').click();
    const expected =
      readFileSync(join(repoRoot, 'sample', 'services', 'inventory', 'src', 'reservations.js'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(".split('-')")) + 1;
    await page.locator('.tab.active', { hasText: 'reservations.js' }).waitFor({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: new RegExp(`Ln ${expected}, Col`) })
      .first()
      .waitFor({ timeout: 15_000 });
    await wb.screenshot('e2e-go-to-code');
  });
});
