// Opens the real workbench (code-server with the packaged .vsix installed, as a user has it) in
// Chromium for the e2e suites, and takes screenshots into the test output folder.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { createSocket } from 'node:dgram';
import { freePort, startCodeServer, type CodeServer } from '../harness/codeServer';
import { repoRoot } from '../harness/paths';
import { testSettings } from '../harness/hostTests';

/** A workbench page and what it runs on. */
export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  /** Saves a PNG under the test output folder and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e tests through 'npm test' (test/harness/run.mjs)`);
  return v;
}

/** The folder screenshots and logs go to. */
export const outputDir = (): string => env('TRACE_LENS_TEST_OUTPUT');
/** The packaged extension under test. */
export const vsixPath = (): string => env('TRACE_LENS_VSIX');

// The workbenches open now, so that a failing test can say what was on screen (CI keeps only its log).
const openNow = new Set<Workbench>();

/** What a workbench shows: status bar items, notifications, an open quick input, the active tab. */
export async function describeScreen(page: Page): Promise<string> {
  const texts = async (selector: string) =>
    (
      await page
        .locator(selector)
        .allInnerTexts()
        .catch(() => [] as string[])
    )
      .map((t) => t.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
  const lines = [
    `status bar: ${(await texts('.statusbar-item')).join(' | ')}`,
    `notifications: ${(await texts('.notification-toast .notification-list-item-message')).join(' | ') || 'none'}`,
    `quick input: ${
      (await page
        .locator('.quick-input-widget')
        .isVisible()
        .catch(() => false))
        ? `${(await texts('.quick-input-widget .quick-input-title')).join(' ')} [${(await texts('.quick-input-widget .monaco-list-row')).slice(0, 5).join(' | ')}]`
        : 'closed'
    }`,
    `active tab: ${(await texts('.tab.active')).join(' | ') || 'none'}`,
  ];
  return lines.join('\n');
}

// Root hook: after a failed test, print each open workbench's screen and keep a screenshot of it.
afterEach(async function () {
  const test = this.currentTest;
  if (test?.state !== 'failed') return;
  for (const wb of openNow) {
    const shot = await wb
      .screenshot(`failed-${test.title.replace(/[^\w]+/g, '-').slice(0, 60)}`)
      .catch((e: unknown) => `(no screenshot: ${String(e)})`);
    process.stdout.write(
      `     on screen when it failed (${shot}):\n${(await describeScreen(wb.page)).replace(/^/gm, '       ')}\n`,
    );
  }
});

/** Starts code-server on folder with the .vsix installed and opens it; resolves when the workbench is up. */
export async function openWorkbench(
  folder: string,
  settings: Record<string, unknown> = {},
  processEnv: Record<string, string> = {},
): Promise<Workbench> {
  const server = await startCodeServer({
    node: env('TRACE_LENS_NODE24'),
    entry: env('TRACE_LENS_CODE_SERVER'),
    folder,
    vsix: vsixPath(),
    settings: { ...testSettings, ...settings },
    env: processEnv,
    logFile: join(outputDir(), 'code-server-e2e.log'),
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.workbenchUrl(folder));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const b = browser;
    const wb: Workbench = {
      page,
      server,
      async screenshot(name) {
        const path = join(outputDir(), `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      async close() {
        openNow.delete(wb);
        await b.close();
        await server.stop();
      },
    };
    openNow.add(wb);
    return wb;
  } catch (e) {
    await browser?.close();
    await server.stop();
    throw e;
  }
}

/** The sample workspace in a workbench whose local X-Ray listens on free ports; port is the daemon's (UDP and API), otlpPort the OTLP/HTTP receiver's. */
export async function openLocalWorkbench(): Promise<{ wb: Workbench; port: number; otlpPort: number }> {
  const port = await freePort();
  const otlpPort = await freePort();
  const wb = await openWorkbench(join(repoRoot, 'sample'), {
    'traceLens.local.udpPort': port,
    'traceLens.local.apiPort': port,
    'traceLens.local.otlpPort': otlpPort,
  });
  return { wb, port, otlpPort };
}

/** Shows the Trace Lens side bar; a click on its activity bar icon when already shown would hide it. */
export async function showTracesView(wb: Workbench): Promise<void> {
  const item = wb.page.locator('.activitybar .action-item', { has: wb.page.locator('a[aria-label^="Trace Lens"]') });
  await item.waitFor({ timeout: 30_000 });
  if (!(await item.evaluate((e) => e.classList.contains('checked')))) await item.locator('a').click();
  // A container with a single view shows the view's name in the side bar title.
  await wb.page
    .locator('.sidebar .composite.title')
    .filter({ hasText: /Traces/i })
    .waitFor({ timeout: 30_000 });
}

/** Runs the palette command with this title (as a user types it). */
export async function runCommand(wb: Pick<Workbench, 'page'>, title: string): Promise<void> {
  await wb.page.keyboard.press('Control+Shift+P');
  await wb.page.locator('.quick-input-widget input').waitFor();
  await wb.page.keyboard.type(title);
  await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await wb.page.keyboard.press('Enter');
}

/** Waits until the local X-Ray listens (UDP has no retry), then sends the datagrams to it. */
export async function sendWhenListening(wb: Workbench, port: number, datagrams: readonly string[]): Promise<void> {
  await wb.page
    .locator('.statusbar-item', { hasText: /Local X-Ray · 0 traces/ })
    .first()
    .waitFor({ timeout: 60_000 });
  const sock = createSocket('udp4');
  for (const d of datagrams)
    await new Promise<void>((r, j) => sock.send(d, port, '127.0.0.1', (e) => (e ? j(e) : r())));
  sock.close();
}
