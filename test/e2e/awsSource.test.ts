// A user with an AWS profile picks it and a region, and gets the account's traces: here "AWS" is
// the local X-Ray server (the same wire protocol) behind traceLens.aws.endpoint, and the profile
// is a real ~/.aws/config file given through AWS_CONFIG_FILE.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalXRay } from '../../src/collector/localXRay';
import { MemoryStore } from '../../src/collector/store';
import { repoRoot } from '../harness/paths';
import { movedToNow, xrayDocuments } from '../unit/fixtures';
import { openWorkbench, runCommand, showTracesView, type Workbench } from './workbench';

/**
 * Invocations of shop-receipts in the shape the X-Ray developer guide documents for Lambda (the
 * Lambda service writes these segments itself, so no SDK here can record them): the AWS::Lambda
 * service segment and its AWS::Lambda::Function segment, with Initialization on cold starts.
 */
function lambdaInvocations(): Record<string, unknown>[] {
  const t0 = Math.floor(Date.now() / 1000) - 600;
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return [40, 25, 31, 60, 22, 35].flatMap((ms, i) => {
    const cold = i === 0 || i === 3;
    const start = t0 + i * 20;
    const init = cold ? 0.21 : 0;
    const end = start + init + ms / 1000;
    const traceId = `1-${hex(start, 8)}-${hex(0xbeef00 + i, 24)}`;
    const svc = {
      trace_id: traceId,
      id: hex(0xa00 + i * 2, 16),
      name: 'shop-receipts',
      origin: 'AWS::Lambda',
      start_time: start,
      end_time: end + 0.003,
      http: { response: { status: 200 } },
    };
    const fn = {
      trace_id: traceId,
      id: hex(0xa01 + i * 2, 16),
      parent_id: svc.id,
      name: 'shop-receipts',
      origin: 'AWS::Lambda::Function',
      start_time: start,
      end_time: end,
      subsegments: [
        ...(cold
          ? [{ id: hex(0xb00 + i, 16), name: 'Initialization', start_time: start, end_time: start + init }]
          : []),
        { id: hex(0xc00 + i, 16), name: 'Invocation', start_time: start + init, end_time: end },
      ],
    };
    return [svc, fn];
  });
}

describe('AWS X-Ray source (e2e, profile picker)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let xray: LocalXRay;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-aws-e2e-'));
    writeFileSync(join(dir, 'config'), '[profile shop-prod]\nregion = eu-west-1\n');
    writeFileSync(
      join(dir, 'credentials'),
      '[shop-prod]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = example/example/example/example/exampl\n',
    );
    xray = new LocalXRay(new MemoryStore(), { udp: false, api: { host: '127.0.0.1', port: 0 }, otlp: false });
    const s = await xray.start();
    assert.ok(s.api.state === 'listening');
    // The account's traces: the recorded ones, moved to the last minutes.
    for (const d of movedToNow(xrayDocuments(), 120)) xray.ingest.document(JSON.stringify(d));
    xray.ingest.flush();
    // Its own workspace: choosing the source writes the workspace's settings.
    const workspace = join(dir, 'shop');
    cpSync(join(repoRoot, 'sample', 'services'), join(workspace, 'services'), {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    });
    // And a Lambda function of the account, declared in a SAM template with its handler beside it.
    writeFileSync(
      join(workspace, 'template.yaml'),
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  ReceiptsFunction:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      FunctionName: shop-receipts',
        '      Handler: receipts/app.handler',
        '      Runtime: nodejs20.x',
        '      CodeUri: .',
        '',
      ].join('\n'),
    );
    mkdirSync(join(workspace, 'receipts'));
    writeFileSync(
      join(workspace, 'receipts', 'app.js'),
      '// Sends the receipt of an order.\nexports.handler = async (event) => {\n  return { statusCode: 200, body: JSON.stringify({ sent: event.orderId }) };\n};\n',
    );
    for (const d of lambdaInvocations()) xray.ingest.document(JSON.stringify(d));
    xray.ingest.flush();
    wb = await openWorkbench(
      workspace,
      { 'traceLens.aws.endpoint': `http://127.0.0.1:${s.api.port}` },
      { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') },
    );
  });
  after(async () => {
    await wb?.close();
    await xray?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('picks the profile and region, then lists the account\u2019s traces', async () => {
    const { page } = wb;
    await page
      .locator('.statusbar-item', { hasText: /Local X-Ray/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await page.keyboard.press('F1');
    await page.keyboard.type('Trace Lens: Choose AWS Profile and Region');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Choose AWS Profile and Region' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'shop-prod' }).first().click();
    // The region picker is a second quick input: wait for its title, since the profile's row also
    // says eu-west-1 and may still be on screen while the first picker closes.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'region for shop-prod' }).waitFor();
    const regions = page.locator('.quick-input-list .monaco-list-row');
    // The profile's region comes first.
    assert.match(await regions.first().innerText(), /^eu-west-1(?!\d)/);
    await regions.first().click();
    await page
      .locator('.statusbar-item', { hasText: 'AWS X-Ray (shop-prod, eu-west-1)' })
      .first()
      .waitFor({ timeout: 30_000 });
    await showTracesView(wb);
    await page
      .locator('.sidebar .monaco-list-row .label-name', { hasText: 'POST /checkout' })
      .first()
      .waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-aws-source');
    assert.ok(xray.api.calls.get('GetTraceSummaries')! >= 1, 'the list came from the X-Ray API');
  });

  it('opens the slowest AWS trace as a waterfall with its console link, lands on a span’s line, and maps the services', async () => {
    const { page } = wb;
    // The slowest checkout (under Slowest, level 2).
    const slowest = page.locator('.sidebar .monaco-list-row[aria-level="2"]', { hasText: 'POST /checkout' }).first();
    await slowest.locator('.label-name').click();
    const view = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
    await view.locator('.row').first().waitFor({ timeout: 30_000 });
    await view.getByText('Open in AWS Console').first().waitFor({ timeout: 15_000 });
    await view.locator('.row', { hasText: 'loadCart' }).first().dblclick();
    const line =
      readFileSync(join(repoRoot, 'sample', 'services', 'orders', 'checkout.js'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes("capture('loadCart'")) + 1;
    await page.locator('.tab.active', { hasText: 'checkout.js' }).waitFor({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col`) })
      .first()
      .waitFor({ timeout: 15_000 });
    await runCommand(wb, 'Trace Lens: Show Service Map');
    const map = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
    for (const name of ['orders', 'inventory'])
      await map.locator('g.node text.name', { hasText: name }).first().waitFor({ timeout: 60_000 });
    await wb.screenshot('e2e-aws-service-map');
  });

  it('shows the Lambda handler’s invocations and cold starts in a lens above it', async () => {
    const { page } = wb;
    await page.keyboard.press('Control+P');
    await page.keyboard.type('receipts/app.js');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'app.js' }).first().waitFor();
    await page.keyboard.press('Enter');
    const lens = page.locator('.codelens-decoration a:visible', { hasText: /invocations/ }).first();
    await lens.waitFor({ timeout: 60_000 });
    assert.match(
      (await lens.textContent()) ?? '',
      /^p50 ≈\d+(\.\d+)? ms · 6 invocations \(too few for p99\) · 2 cold starts \(p50 210 ms\)$/,
    );
    await wb.screenshot('e2e-lambda-lens');
  });

  it('opens a trace file from disk as the source', async () => {
    const { page } = wb;
    const file = join(dir, 'exported-traces.json');
    writeFileSync(file, JSON.stringify(xrayDocuments()));
    await runCommand(wb, 'Trace Lens: Open Trace File…');
    // code-server's file dialog is a quick input holding a path: replace it with the file's.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(file);
    // Pick the file once the dialog has read the folder and lists it (Enter alone may take whichever
    // row is active while the dialog is still completing the path).
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'exported-traces.json' }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Enter');
    try {
      await page.locator('.statusbar-item', { hasText: 'exported-traces.json' }).first().waitFor({ timeout: 30_000 });
    } finally {
      await wb.screenshot('e2e-trace-file-dialog');
    }
    await showTracesView(wb);
    await page
      .locator('.sidebar .monaco-list-row .label-name', { hasText: 'POST /checkout' })
      .first()
      .waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-trace-file');
  });

  it('brings back a trace file’s waterfall after the window reloads, once the file has opened again', async () => {
    const { page } = wb;
    await page.locator('.sidebar .monaco-list-row .label-name', { hasText: 'POST /checkout' }).first().click();
    const view = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
    await view.locator('.row').first().waitFor({ timeout: 30_000 });
    const rows = await view.locator('.row').count();
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 });
    await runCommand(wb, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'exported-traces.json' }).first().waitFor({ timeout: 60_000 });
    await view.locator('.row').first().waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('.row').count(), rows);
    assert.equal(await view.locator('.error').count(), 0, 'no "not available" in the restored panel');
    assert.match((await view.locator('.header .sub').first().textContent()) ?? '', /exported-traces\.json/);
  });
});
