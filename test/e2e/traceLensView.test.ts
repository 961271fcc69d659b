import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../harness/codeServer';
import { repoRoot } from '../harness/paths';
import { openWorkbench, vsixPath, type Workbench } from './workbench';

const sample = join(repoRoot, 'sample');

describe('Trace Lens in the workbench (installed from the .vsix)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let daemonPort: number;

  before(async () => {
    daemonPort = await freePort();
    wb = await openWorkbench(sample, {
      'traceLens.local.udpPort': daemonPort,
      'traceLens.local.apiPort': daemonPort,
      'traceLens.local.otlpPort': await freePort(),
    });
  });
  after(async () => {
    await wb?.close();
  });

  it('is packaged in a .vsix under 3 MB', () => {
    const size = statSync(vsixPath()).size;
    assert.ok(size < 3 * 1024 * 1024, `${size} bytes`);
  });

  it('activates: the status bar shows the local X-Ray and its trace count', async () => {
    await wb.page
      .locator('.statusbar-item', { hasText: /Local X-Ray · 0 traces/ })
      .first()
      .waitFor({ timeout: 60_000 });
  });

  it('shows the Trace Lens container in the activity bar, and its Traces view with the welcome text', async () => {
    const item = wb.page.locator('.activitybar .action-item a[aria-label^="Trace Lens"]');
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    // A container with a single view shows the view's name in the side bar title.
    await wb.page
      .locator('.sidebar .composite.title')
      .filter({ hasText: /Traces/i })
      .waitFor({ timeout: 30_000 });
    await wb.page.locator('.welcome-view-content', { hasText: 'No traces yet.' }).waitFor({ timeout: 30_000 });
    assert.ok(await wb.page.locator('.welcome-view-content a', { hasText: 'Choose Trace Source' }).isVisible());
    await wb.screenshot('e2e-traces-view-empty');
  });

  it('lists a trace sent to the local X-Ray, and counts it in the status bar', async () => {
    const now = Date.now() / 1000;
    const traceId = `1-${Math.floor(now).toString(16)}-${'c0ffee'.repeat(4)}`;
    const doc = {
      trace_id: traceId,
      id: '00000000000000e2',
      name: 'orders',
      start_time: now - 0.42,
      end_time: now,
      http: { request: { method: 'GET', url: 'http://localhost:3000/orders/42' }, response: { status: 500 } },
      fault: true,
    };
    const sock = createSocket('udp4');
    await new Promise<void>((r, j) =>
      sock.send(`{"format":"json","version":1}\n${JSON.stringify(doc)}`, daemonPort, '127.0.0.1', (e) =>
        e ? j(e) : r(),
      ),
    );
    sock.close();
    await wb.page
      .locator('.statusbar-item', { hasText: /Local X-Ray · 1 trace\b/ })
      .first()
      .waitFor({ timeout: 30_000 });
    // In the Slowest and the Failing group (it faulted).
    const row = wb.page.locator('.sidebar .monaco-list-row', { hasText: 'GET /orders/42' }).first();
    await wb.page
      .locator('.sidebar .monaco-list-row', { hasText: /^Failing/ })
      .first()
      .waitFor({ timeout: 30_000 });
    assert.equal(
      await wb.page.locator('.sidebar .monaco-list-row', { hasText: 'GET /orders/42' }).count(),
      2,
      'listed under Slowest and under Failing',
    );
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.textContent()) ?? '', /420 ms · orders/);
    await wb.screenshot('e2e-traces-view');
  });
});
