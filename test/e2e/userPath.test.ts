// The user's path, end to end, in the real workbench with the packaged extension: the instrumented
// sample shop runs (real X-Ray and OpenTelemetry SDKs) and sends to the local X-Ray, the Traces
// view fills, the slowest trace opens as a waterfall, its slowest span lands in the editor at its
// instrumentation site, the lens above it shows figures, the service map shows the shop's
// services. The screenshots are the README's.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';
import { openLocalWorkbench, runCommand, showTracesView, type Workbench } from './workbench';

/** Where in the sample's sources a subsegment is named: the file and 1-based line of `'NAME'`. */
function siteOf(name: string): { file: string; line: number } {
  for (const file of [
    'orders/checkout.js',
    'orders/reports.js',
    'orders/db.js',
    'orders/inventoryClient.js',
    'orders/server.js',
    'inventory/src/reservations.js',
    'inventory/src/stock.js',
    'catalog/products.js',
    'catalog/stockClient.js',
  ]) {
    const lines = readFileSync(join(repoRoot, 'sample', 'services', file), 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes(`'${name}'`) || l.includes(`\`${name}`));
    if (i >= 0) return { file: file.split('/').pop()!, line: i + 1 };
  }
  throw new Error(`no instrumentation site names ${name}`);
}

describe('the user path (e2e: sample app → Traces view → waterfall → code → lens → service map)', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let port: number;
  let otlpPort: number;

  before(async () => ({ wb, port, otlpPort } = await openLocalWorkbench()));
  after(async () => wb?.close());

  it('follows a slow request from the sidebar to its line of code', async () => {
    const { page } = wb;
    await page
      .locator('.statusbar-item', { hasText: /Local X-Ray · 0 traces/ })
      .first()
      .waitFor({ timeout: 60_000 });
    // The real shop: orders and inventory on the X-Ray SDK, catalog on OpenTelemetry.
    const shop = spawn(
      process.execPath,
      [
        join(repoRoot, 'sample', 'traffic.mjs'),
        '--xray',
        `127.0.0.1:${port}`,
        '--otlp',
        `http://127.0.0.1:${otlpPort}`,
        '--requests',
        '24',
        '--quiet',
      ],
      { stdio: 'ignore' },
    );
    const shopDone = new Promise<number | null>((r) => shop.on('exit', r));
    try {
      assert.equal(await shopDone, 0, 'the sample traffic ran');
    } finally {
      shop.kill();
    }
    await page
      .locator('.statusbar-item', { hasText: /Local X-Ray · \d\d+ traces/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await showTracesView(wb);
    await page
      .locator('.sidebar .monaco-list-row', { hasText: /^Slowest/ })
      .first()
      .waitFor({ timeout: 30_000 });
    // The view says it follows the services the workspace declares.
    await page
      .locator('.sidebar')
      .getByText(/Following .*orders/)
      .first()
      .waitFor({ timeout: 30_000 });
    // The slowest trace (the first under Slowest, level 2: a slow checkout or an invoice): expand it
    // (twistie), then its Slowest spans.
    const slowest = page.locator('.sidebar .monaco-list-row[aria-level="2"]').first();
    await slowest.waitFor({ timeout: 30_000 });
    await wb.screenshot('readme-sidebar');
    await slowest.locator('.monaco-tl-twistie').click();
    const slowSpans = page.locator('.sidebar .monaco-list-row', { hasText: /^Slowest spans/ }).first();
    await slowSpans.waitFor({ timeout: 15_000 });
    // Its services come first, in the order they started.
    assert.match(
      (await page.locator('.sidebar .monaco-list-row[aria-level="3"]').first().innerText()).replace(/\s+/g, ' '),
      /^Services \(\d\) ?orders \d/,
    );
    await slowSpans.locator('.monaco-tl-twistie').click();
    const top = page.locator('.sidebar .monaco-list-row[aria-level="4"]').first();
    await top.waitFor({ timeout: 15_000 });
    const spanName = ((await top.locator('.label-name').textContent()) ?? '').trim();
    const site = siteOf(spanName);
    await wb.screenshot('e2e-sidebar-slowest-spans');

    // The waterfall of the slowest trace: a click on the trace's label.
    await slowest.locator('.label-name').click();
    const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await view.locator('.row').first().waitFor({ timeout: 30_000 });
    await view.locator('.row', { hasText: spanName }).first().click();
    await view.locator('.details h2', { hasText: spanName }).waitFor({ timeout: 15_000 });
    await wb.screenshot('readme-waterfall');
    // A double click on the slowest span lands on its instrumentation site.
    await view.locator('.row', { hasText: spanName }).first().dblclick();
    await page.locator('.tab.active', { hasText: site.file }).waitFor({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: new RegExp(`Ln ${site.line}, Col`) })
      .first()
      .waitFor({ timeout: 15_000 });

    // The lens above it shows the figures of that operation.
    await wb.screenshot('e2e-user-path-editor');
    // The lens of that operation, above the site (the editor scrolled there; others are out of view).
    const lens = page.locator('.codelens-decoration a:visible', { hasText: /p50 .* (calls?|requests?)\b/ }).first();
    await lens.waitFor({ timeout: 60_000 });
    assert.match((await lens.textContent()) ?? '', /p50 ≈?\d+(\.\d+)? (ms|s)/);
    await wb.screenshot('readme-lens');
  });

  it('shows the service map of the shop', async () => {
    const { page } = wb;
    await runCommand(wb, 'Trace Lens: Show Service Map');
    // The waterfall's webview stays alive (hidden) behind the map's.
    const map = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
    for (const name of ['orders', 'inventory', 'catalog'])
      await map.locator('g.node text.name', { hasText: name }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await wb.screenshot('readme-service-map');
    // A node's panel, and its slowest trace opened from it.
    await map
      .locator('g.node', { has: map.locator('text.name', { hasText: 'orders' }) })
      .first()
      .click();
    await map.locator('.panel, aside, .side').getByText(/p99/).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('e2e-service-map-node');
    // Its traces, listed as a group of the Traces view.
    await map.getByText('List traces in sidebar').click();
    await page
      .locator('.sidebar .monaco-list-row', { hasText: /^Map: orders/ })
      .first()
      .waitFor({ timeout: 15_000 });
  });
});
