// `npm run test:electron`: the same test/vscode suites through @vscode/test-electron, for machines
// that can download VS Code (this one cannot; `npm test` uses code-server instead).
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { root } from './toolchain.mjs';

try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test/vscode/index.js'),
    launchArgs: [join(root, 'sample'), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`test:electron failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
