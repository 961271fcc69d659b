// Runs the test/vscode suites inside a real VS Code extension host: code-server with the smoke-test
// driver, the workbench opened in Chromium with the extension-development payload.
import { appendFileSync, existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { hostLinePrefix } from './hostLines';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser';
import { startCodeServer, type CodeServerInstall } from './codeServer';
import type { MochaResult } from './mochaRun';

/** Settings every test workbench starts with: the local X-Ray on free ports, never a real daemon's. */
export const testSettings = {
  'traceLens.local.udpPort': 0,
  'traceLens.local.apiPort': 0,
  'traceLens.local.otlpPort': 0,
};

/** Options of one in-host run. */
export interface HostTestOptions extends CodeServerInstall {
  readonly extensionPath: string;
  readonly testsIndex: string;
  readonly folder: string;
  readonly timeoutMs: number;
  readonly logDir: string;
  readonly grep?: string;
}

/** Runs the suites; resolves with their counts, or with one failure when the run never reported. */
export async function runHostTests(opts: HostTestOptions): Promise<MochaResult & { vscodeVersion?: string }> {
  const work = mkdtempSync(join(tmpdir(), 'trace-lens-host-'));
  const resultsFile = join(work, 'results.json');
  const workbenchLog = join(opts.logDir, 'workbench-vscode-layer.log');
  const server = await startCodeServer({
    ...opts,
    smokeTestDriver: true,
    settings: testSettings,
    logFile: join(opts.logDir, 'code-server-vscode-layer.log'),
    env: { TRACE_LENS_TEST_RESULTS: resultsFile, ...(opts.grep ? { TRACE_LENS_TEST_GREP: opts.grep } : {}) },
  });
  const browser = await launchChromium();
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
        const text =
          Array.isArray(args) && typeof args[0] === 'string'
            ? format(...(args as [string, ...unknown[]]))
            : format(args);
        // Our suites' lines go to the terminal; the workbench's own chatter only to the log file.
        const at = text.indexOf(hostLinePrefix);
        if (at >= 0) process.stdout.write(`${text.slice(at + hostLinePrefix.length)}\n`);
        else appendFileSync(workbenchLog, `[${type}] ${text}\n`);
      });
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      timer = setTimeout(() => resolve(-1), opts.timeoutMs);
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    await page.goto(
      server.workbenchUrl(opts.folder, [
        ['extensionDevelopmentPath', remote(opts.extensionPath)],
        ['extensionTestsPath', remote(opts.testsIndex)],
      ]),
    );
    const code = await exit;
    if (code === -1) {
      console.log(
        `[vscode] timed out after ${opts.timeoutMs} ms; server log: ${server.logFile}, workbench log: ${workbenchLog}`,
      );
      return { passed: 0, failed: 1, pending: 0 };
    }
    if (!existsSync(resultsFile)) {
      console.log(
        `[vscode] the extension host exited with ${code} before reporting results; server log: ${server.logFile}`,
      );
      return { passed: 0, failed: 1, pending: 0 };
    }
    const r = JSON.parse(readFileSync(resultsFile, 'utf8')) as MochaResult & { vscodeVersion: string };
    return { passed: r.passed, failed: r.failed, pending: r.pending, vscodeVersion: r.vscodeVersion };
  } finally {
    clearTimeout(timer);
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
