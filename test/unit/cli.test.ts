import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli';
import { version } from '../../package.json';

const cliJs = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function runCli(...args: string[]) {
  return spawnSync(process.execPath, [cliJs, ...args], { encoding: 'utf8' });
}

describe('cli', () => {
  it('--version prints the package version', () => {
    const r = runCli('--version');
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), version);
  });

  it('--help prints usage and exits 0', () => {
    const r = runCli('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^trace-lens \d+\.\d+\.\d+/);
    assert.match(r.stdout, /Usage: trace-lens <command>/);
  });

  it('no arguments prints usage and exits 2', async () => {
    const out: string[] = [];
    assert.equal(
      await main(
        [],
        (s) => out.push(s),
        () => undefined,
      ),
      2,
    );
    assert.match(out.join(''), /Usage/);
  });

  it('an unknown command says so on stderr and exits 2', () => {
    const r = runCli('frobnicate');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command or option 'frobnicate'/);
    assert.equal(r.stdout, '');
  });
});
