// `npm run demo [-- --port N] [-- --no-traffic] [-- --desktop] [-- FOLDER]`: builds Trace Lens and
// opens it in a real VS Code (code-server) on the sample/ workspace, starts the instrumented sample
// shop sending traffic to the local X-Ray's default ports, prints the URL, and runs until Ctrl-C,
// which stops everything it started. With --desktop and a `code` on PATH, the desktop VS Code opens
// the workspace with the extension under development instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root, ensureNode24, ensureCodeServer, missingSystemPackages } from './toolchain.mjs';
import manifest from '../../package.json' with { type: 'json' };

const argv = process.argv.slice(2);
let port = Number(process.env.TRACE_LENS_PORT ?? 8080);
let folder = join(root, 'sample');
let traffic = true;
let desktop = false;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--port') port = Number(argv[++i]);
  else if (argv[i] === '--no-traffic') traffic = false;
  else if (argv[i] === '--desktop') desktop = true;
  else folder = resolve(argv[i]);
}

/** Starts the sample shop's traffic to the local X-Ray's default addresses; its output goes to log. */
function startShop(log) {
  if (!existsSync(join(root, 'sample', 'node_modules', '.package-lock.json'))) {
    spawnSync('npm', ['ci', '--prefix', join(root, 'sample'), '--no-audit', '--no-fund', '--loglevel=error'], {
      stdio: 'inherit',
    });
  }
  const fd = openSync(log, 'a');
  const child = spawn(
    process.execPath,
    [
      join(root, 'sample', 'traffic.mjs'),
      '--forever',
      '--quiet',
      '--xray',
      '127.0.0.1:2000',
      '--otlp',
      'http://127.0.0.1:4318',
    ],
    { stdio: ['ignore', fd, fd], detached: true },
  );
  console.log(
    `The sample shop (orders, inventory: X-Ray SDK; catalog: OpenTelemetry) sends a request every 1.5 s; log: ${log}`,
  );
  return child;
}

async function stopShop(shop) {
  if (!shop) return;
  try {
    process.kill(-shop.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  await new Promise((r) => (shop.exitCode !== null ? r() : shop.once('exit', r)));
}

if (desktop) {
  const code = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['code'], {
    encoding: 'utf8',
  }).stdout?.trim();
  if (!code) {
    console.error(
      '--desktop needs the `code` command on PATH (VS Code: "Shell Command: Install \'code\' command in PATH"); run without --desktop for code-server.',
    );
    process.exit(1);
  }
  if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
  const opened = spawnSync(code.split('\n')[0], ['--new-window', `--extensionDevelopmentPath=${root}`, folder], {
    stdio: 'inherit',
  });
  if (opened.status !== 0) {
    console.error(
      `\`${code.split('\n')[0]}\` failed (${opened.error?.message ?? `exit code ${opened.status}`}): VS Code did not open.`,
    );
    process.exit(1);
  }
  if (!traffic) {
    console.log(`\nTrace Lens is running in your VS Code on ${folder}.`);
    process.exit(0);
  }
  mkdirSync(join(root, 'test-output'), { recursive: true });
  const shop = startShop(join(root, 'test-output', 'sample-traffic.log'));
  console.log(`\nTrace Lens is running in your VS Code on ${folder}. Press Ctrl-C to stop the sample traffic.`);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await stopShop(shop);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The shop is what keeps this process running; if it ends on its own, say so.
  const status = await new Promise((r) => shop.once('exit', r));
  if (stopping) await new Promise(() => {}); // stop() exits
  console.error(
    `The sample traffic stopped by itself (exit code ${status}); its log: ${join(root, 'test-output', 'sample-traffic.log')}`,
  );
  process.exit(1);
}

let missing = missingSystemPackages().filter((p) => p === 'libkrb5-dev');
if (missing.length && process.getuid?.() === 0) {
  // code-server's native modules build against Kerberos headers; as root, install them as CI does.
  console.log(`installing ${missing.join(' ')} (apt-get)…`);
  spawnSync(
    'sh',
    ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`],
    { stdio: 'inherit' },
  );
  missing = missingSystemPackages().filter((p) => p === 'libkrb5-dev');
}
if (missing.length) {
  console.error(`missing Debian packages: apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
const node24Dir = ensureNode24();
const entry = ensureCodeServer(node24Dir);
if (spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: root, stdio: 'inherit' }).status !== 0)
  process.exit(1);

const { startCodeServer } = await import(join(root, 'out/test/harness/codeServer.js'));
const server = await startCodeServer({
  node: join(node24Dir, 'bin', 'node'),
  entry,
  folder,
  port,
  extensionFolder: { path: root, id: `${manifest.publisher}.${manifest.name}`, version: manifest.version },
});
// The shop sends to the local X-Ray's default addresses, where the extension listens once the
// workbench is open.
const shop = traffic ? startShop(join(server.dataDir, 'sample-traffic.log')) : undefined;
console.log(
  `\nTrace Lens is running in VS Code (code-server) on ${folder}.\nOpen: ${server.workbenchUrl(folder)}\nPress Ctrl-C to stop.`,
);
const stop = async () => {
  await stopShop(shop);
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
