// The README's first command, `npm run demo`, as a user runs it: it prints a URL, the workbench
// behind it fills with the sample shop's traces, and Ctrl-C (SIGINT) stops everything it started.
// With --desktop it hands the workspace to the `code` command instead; no desktop VS Code can run
// here, so a stand-in `code` on PATH records what it was asked to do.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { freePort } from '../harness/codeServer';
import { repoRoot } from '../harness/paths';
import { describeScreen, outputDir, runCommand } from './workbench';

/** The demo script as `npm run demo -- ARGS` starts it, with its output collected. */
function startDemo(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(repoRoot, 'test', 'harness', 'open.mjs'), ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** Resolves with the first match of pattern in the output, or rejects with the output so far. */
async function waitForOutput(
  demo: ReturnType<typeof startDemo>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void demo.exited.then(() => (done = true));
  for (;;) {
    const m = pattern.exec(demo.output());
    if (m) return m;
    if (done || Date.now() > deadline)
      throw new Error(
        `the demo did not print ${pattern} (${done ? 'it exited' : 'timed out'}); it printed:\n${demo.output()}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The processes whose command line holds text. */
function processesWith(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

describe('npm run demo (the README’s first command)', function () {
  this.timeout(300_000);
  let browser: Browser | undefined;
  let running: ReturnType<typeof startDemo> | undefined;
  const shop = join(repoRoot, 'sample', 'traffic.mjs');

  // After each test, so that a failed one leaves no shop behind for the next to find.
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    if (running?.child.exitCode === null) {
      running.child.kill('SIGINT');
      await running.exited;
    }
  });

  it('opens the sample in a real VS Code fed by the sample shop, and Ctrl-C stops all it started', async () => {
    const port = await freePort();
    const demo = (running = startDemo(['--port', String(port)]));
    const url = (await waitForOutput(demo, /^Open: (http\S+)$/m, 240_000))[1]!;
    assert.match(demo.output(), /The sample shop .* sends a request every/);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    try {
      // "Within a minute the Traces view is populated."
      await page
        .locator('.statusbar-item', { hasText: /Local X-Ray · [1-9]\d* traces?/ })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.locator('.activitybar .action-item a[aria-label^="Trace Lens"]').click();
      const trace = page.locator('.sidebar .monaco-list-row[aria-level="2"]').first();
      await trace.waitFor({ timeout: 30_000 });
      // "The waterfall and service map open."
      await trace.locator('.label-name').click();
      const view = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
      await view.locator('.row').first().waitFor({ timeout: 30_000 });
      await runCommand({ page }, 'Trace Lens: Show Service Map');
      await page
        .frameLocator('iframe.webview.ready >> visible=true')
        .frameLocator('#active-frame')
        .locator('g.node text.name', { hasText: 'orders' })
        .first()
        .waitFor({ timeout: 60_000 });
      // "The lenses show figures": the orders service's routes, which every request goes through.
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type('orders/server.js');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'server.js' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.codelens-decoration a:visible', { hasText: /^p50 / }).first().waitFor({ timeout: 60_000 });
    } catch (e) {
      throw new Error(
        `${e instanceof Error ? e.message : String(e)}\n${await describeScreen(page)}\nthe demo printed:\n${demo.output()}`,
        { cause: e },
      );
    } finally {
      await page.screenshot({ path: join(outputDir(), 'e2e-demo.png') });
    }
    assert.ok(processesWith(`${shop} --forever`).length > 0, 'the sample shop runs');
    await browser.close();
    browser = undefined;
    // Ctrl-C.
    demo.child.kill('SIGINT');
    assert.equal(await demo.exited, 0, demo.output());
    assert.equal(await accepts(port), false, 'code-server stopped');
    assert.deepEqual(processesWith(`${shop} --forever`), [], 'the sample shop stopped');
    assert.deepEqual(processesWith(`--bind-addr 127.0.0.1:${port}`), [], 'no code-server process is left');
  });

  it('--desktop opens the workspace with the extension under development in the desktop VS Code on PATH, and Ctrl-C stops the traffic', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'trace-lens-code-'));
    try {
      const argsFile = join(bin, 'args');
      writeFileSync(join(bin, 'code'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`);
      chmodSync(join(bin, 'code'), 0o755);
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
      const demo = (running = startDemo(['--desktop'], env));
      await waitForOutput(
        demo,
        /Trace Lens is running in your VS Code on .*Press Ctrl-C to stop the sample traffic/,
        120_000,
      );
      assert.deepEqual(readFileSync(argsFile, 'utf8').trim().split('\n'), [
        '--new-window',
        `--extensionDevelopmentPath=${repoRoot}`,
        join(repoRoot, 'sample'),
      ]);
      assert.ok(processesWith(`${shop} --forever`).length > 0, 'the sample shop runs');
      demo.child.kill('SIGINT');
      assert.equal(await demo.exited, 0, demo.output());
      assert.deepEqual(processesWith(`${shop} --forever`), [], 'the sample shop stopped');
      // Without traffic there is nothing to keep running.
      const quiet = startDemo(['--desktop', '--no-traffic'], env);
      assert.equal(await quiet.exited, 0, quiet.output());
      assert.match(quiet.output(), /Trace Lens is running in your VS Code on /);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('--desktop without a `code` command says how to get one', async function () {
    const path = `${dirname(process.execPath)}:/usr/bin:/bin`;
    if (spawnSync('which', ['code'], { env: { PATH: path } }).status === 0) this.skip();
    const demo = startDemo(['--desktop'], { ...process.env, PATH: path });
    assert.equal(await demo.exited, 1);
    assert.match(demo.output(), /--desktop needs the `code` command on PATH .*run without --desktop for code-server/);
  });
});
