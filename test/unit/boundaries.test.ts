// The module boundaries of DESIGN.md are lint rules; these tests prove a violation fails the lint.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');

async function lintErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

const restricted = (errors: string[]) => errors.filter((e) => e.startsWith('no-restricted-imports'));

describe('import boundaries (eslint)', function () {
  this.timeout(60_000);

  it("rejects 'vscode' in src/model", async () => {
    const errors = await lintErrors('src/model/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n");
    assert.equal(restricted(errors).length, 1, errors.join('\n'));
  });

  it('rejects Node built-ins and the AWS SDK in src/protocol', async () => {
    const errors = await lintErrors(
      'src/protocol/x.ts',
      "import { readFileSync } from 'node:fs';\nimport { XRayClient } from '@aws-sdk/client-xray';\nexport const v = [readFileSync, XRayClient];\n",
    );
    assert.equal(restricted(errors).length, 2, errors.join('\n'));
  });

  it('rejects src/model reaching into src/collector', async () => {
    const errors = await lintErrors('src/model/x.ts', "import { y } from '../collector/store';\nexport const v = y;\n");
    assert.equal(restricted(errors).length, 1, errors.join('\n'));
  });

  it("rejects 'vscode' in core folders and the CLI", async () => {
    for (const file of [
      'src/sources/x.ts',
      'src/collector/x.ts',
      'src/analysis/x.ts',
      'src/mapping/x.ts',
      'src/cli.ts',
    ]) {
      const errors = await lintErrors(file, "import * as vscode from 'vscode';\nexport const v = vscode;\n");
      assert.equal(restricted(errors).length, 1, `${file}: ${errors.join('\n')}`);
    }
  });

  it('rejects host code, vscode and node in the webview, and allows protocol and model', async () => {
    const bad = await lintErrors(
      'webview/traceView/x.ts',
      "import * as vscode from 'vscode';\nimport { s } from '../../src/collector/store';\nimport * as fs from 'node:fs';\nexport const v = [vscode, s, fs];\n",
    );
    assert.equal(restricted(bad).length, 3, bad.join('\n'));
    const good = await lintErrors(
      'webview/traceView/x.ts',
      "import type { A } from '../../src/protocol/messages';\nimport type { B } from '../../src/model/trace';\nexport type V = [A, B];\n",
    );
    assert.deepEqual(restricted(good), []);
  });

  it("allows 'vscode' in src/vscode and src/extension.ts", async () => {
    for (const file of ['src/vscode/x.ts', 'src/extension.ts']) {
      const errors = await lintErrors(file, "import * as vscode from 'vscode';\nexport const v = vscode;\n");
      assert.deepEqual(restricted(errors), [], file);
    }
  });
});
