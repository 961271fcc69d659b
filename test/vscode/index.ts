// Entry point VS Code loads as `extensionTestsPath`: runs every test/vscode suite inside the real
// extension host and reports the counts through a file the harness names.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { runMocha, testFiles } from '../harness/mochaRun';
import { hostLinePrefix } from '../harness/hostLines';

/** Called by the workbench; a rejection makes it exit with code 1. */
export async function run(): Promise<void> {
  const lines: string[] = [];
  // Console lines reach the harness through the workbench; format them here so no %s is left.
  const write = (line: string) => {
    lines.push(line);
    console.log(`${hostLinePrefix}${line}`);
  };
  write(
    `[vscode] running in VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost}), Node ${process.version}`,
  );
  const result = await runMocha(testFiles(__dirname), {
    timeout: 30_000,
    grep: process.env.TRACE_LENS_TEST_GREP,
    write,
  });
  const out = process.env.TRACE_LENS_TEST_RESULTS;
  if (out) writeFileSync(out, JSON.stringify({ ...result, vscodeVersion: vscode.version, lines }));
  if (result.failed > 0) throw new Error(`${result.failed} test(s) failed`);
}
