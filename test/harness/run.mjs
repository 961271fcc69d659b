// `npm test`: unit tests (mocha, Node 24), then the test/vscode suites inside a real VS Code
// extension host (code-server), then the test/e2e UI tests (Playwright driving that workbench in
// Chromium). Prints the VS Code version, forwards output, ends with `N passed, N failed`, exits
// non-zero on any failure or timeout, and leaves no process behind.
//   --layer unit|webview|vscode|e2e   run one layer (repeatable)
//   --grep TEXT               only tests whose title matches
//   --bench                   run the benchmarks instead
//   --only NAME               with --bench: only these benchmarks (repeatable; names in bench/run.ts)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root, ensureNode24, ensureCodeServer, missingSystemPackages } from './toolchain.mjs';

const argv = process.argv.slice(2);
const layers = [];
let grep;
let bench = false;
const only = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--layer') layers.push(argv[++i]);
  else if (argv[i] === '--grep') grep = argv[++i];
  else if (argv[i] === '--bench') bench = true;
  else if (argv[i] === '--only') only.push(argv[++i]);
  else {
    console.error(`unknown argument ${argv[i]}`);
    process.exit(2);
  }
}
const want = (l) => layers.length === 0 || layers.includes(l);
const outputDir = join(root, 'test-output');
rmSync(outputDir, { recursive: true, force: true });
mkdirSync(outputDir, { recursive: true });

const children = new Set();
const killAll = () =>
  children.forEach((c) => {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });

/** Runs a command in its own process group, forwarding output; kills the group on timeout. */
function runStep(cmd, args, { timeoutMs, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, ...env } });
    children.add(child);
    const timer =
      timeoutMs &&
      setTimeout(() => {
        console.log(`[harness] ${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms: stopping it`);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* group already empty */
      }
      children.delete(child);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

function readResult(file, exitCode) {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // A crash after the results were written still counts as a failure.
  return { passed: r.passed, failed: r.failed + (exitCode !== 0 && r.failed === 0 ? 1 : 0) };
}

const missing = missingSystemPackages();
if (missing.length) {
  console.error(`[harness] missing Debian packages: apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
const node24Dir = ensureNode24();
const node24 = join(node24Dir, 'bin', 'node');
const needVscode = !bench && (want('vscode') || want('e2e'));
const codeServerEntry = needVscode ? ensureCodeServer(node24Dir) : undefined;
const totals = { passed: 0, failed: 0 };
const add = (name, r) => {
  totals.passed += r.passed;
  totals.failed += r.failed;
  console.log(`[harness] ${name}: ${r.passed} passed, ${r.failed} failed`);
};

if (!bench && layers.length === 0) {
  // The full run also gates on the static checks: strict types for host, webview and tests, and lint.
  for (const script of ['check-types', 'lint']) {
    console.log(`[harness] npm run ${script}`);
    const code = await runStep('npm', ['run', '--silent', script], { timeoutMs: 300_000 });
    add(script, code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  }
}
if (!bench && want('e2e')) {
  // The e2e layer installs the packaged .vsix, as a user would.
  const code = await runStep('npm', ['run', '--silent', 'package'], { timeoutMs: 300_000 });
  if (code !== 0) add('package', { passed: 0, failed: 1 });
}
if ((await runStep(process.execPath, ['esbuild.mjs', '--tests'], { timeoutMs: 120_000 })) !== 0) {
  console.log('[harness] build failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

if (bench) {
  const code = await runStep(node24, ['out/bench/run.js', ...only], { timeoutMs: 1_800_000 });
  process.exit(code);
}

const { codeServerVersion } = await import(join(root, 'out/test/harness/codeServer.js'));
if (needVscode)
  console.log(`[harness] VS Code: code-server ${codeServerVersion({ node: node24, entry: codeServerEntry })}`);
console.log(`[harness] Node for tests: ${spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);

const mochaArgs = (dir, results) => [
  'out/test/harness/mochaRun.js',
  '--results',
  results,
  ...(grep ? ['--grep', grep] : []),
  dir,
];

if (
  (want('unit') || want('e2e')) &&
  !bench &&
  !existsSync(join(root, 'sample', 'node_modules', '.package-lock.json'))
) {
  // The sample shop runs the real X-Ray and OpenTelemetry SDKs in the live tests and the e2e path.
  console.log('[harness] npm ci in sample/');
  await runStep('npm', ['ci', '--prefix', 'sample', '--no-audit', '--no-fund', '--loglevel=error'], {
    timeoutMs: 300_000,
  });
}

if (want('unit')) {
  console.log('\n[harness] unit tests (mocha, plain Node)');
  const results = join(outputDir, 'unit-results.json');
  const code = await runStep(node24, mochaArgs('out/test/unit', results), { timeoutMs: 900_000 });
  add('unit', readResult(results, code));
}

if (want('webview')) {
  console.log('\n[harness] webview bundles in Chromium with a fake host');
  const results = join(outputDir, 'webview-results.json');
  const code = await runStep(node24, mochaArgs('out/test/webview', results), { timeoutMs: 600_000 });
  add('webview', readResult(results, code));
}

if (want('vscode') || want('e2e')) {
  // The demo workspace's bundled service, as the recorded traces saw it (the fixtures keep the
  // exact bundle and map whose frames they hold; a build from changed sources would not match).
  const dist = join(root, 'sample', 'services', 'inventory', 'dist');
  mkdirSync(dist, { recursive: true });
  for (const f of ['server.js', 'server.js.map'])
    copyFileSync(join(root, 'test', 'fixtures', 'xray-sdk-node', 'inventory-dist', f), join(dist, f));
}

if (want('vscode')) {
  console.log('\n[harness] test/vscode suites in the real VS Code extension host');
  const { runHostTests } = await import(join(root, 'out/test/harness/hostTests.js'));
  const r = await runHostTests({
    node: node24,
    entry: codeServerEntry,
    extensionPath: root,
    testsIndex: join(root, 'out/test/vscode/index.js'),
    folder: join(root, 'sample'),
    timeoutMs: 600_000,
    logDir: outputDir,
    grep,
  }).catch((e) => {
    console.log(`[harness] vscode layer could not run: ${e.stack ?? e}`);
    return { passed: 0, failed: 1 };
  });
  add('vscode', r);
}

if (want('e2e')) {
  console.log('\n[harness] test/e2e UI tests (Playwright, Chromium, real workbench)');
  const results = join(outputDir, 'e2e-results.json');
  const code = await runStep(node24, mochaArgs('out/test/e2e', results), {
    timeoutMs: 900_000,
    env: {
      TRACE_LENS_NODE24: node24,
      TRACE_LENS_CODE_SERVER: codeServerEntry,
      TRACE_LENS_VSIX: join(root, 'trace-lens.vsix'),
      TRACE_LENS_TEST_OUTPUT: outputDir,
    },
  });
  add('e2e', readResult(results, code));
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
