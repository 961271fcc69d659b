// `npm run vscode [-- --port N] [-- --no-traffic] [-- FOLDER]`: builds Trace Lens and opens it in a
// real VS Code (code-server) on the sample/ workspace, starts the instrumented sample shop sending
// traffic to the local X-Ray's default ports, prints the URL, and runs until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root, ensureNode24, ensureCodeServer, missingSystemPackages } from './toolchain.mjs';
import manifest from '../../package.json' with { type: 'json' };

const argv = process.argv.slice(2);
let port = Number(process.env.TRACE_LENS_PORT ?? 8080);
let folder = join(root, 'sample');
let traffic = true;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--port') port = Number(argv[++i]);
  else if (argv[i] === '--no-traffic') traffic = false;
  else folder = resolve(argv[i]);
}

const missing = missingSystemPackages().filter((p) => p === 'libkrb5-dev');
if (missing.length) {
  console.error(`missing Debian packages: apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
const node24Dir = ensureNode24();
const entry = ensureCodeServer(node24Dir);
if (spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const { startCodeServer } = await import(join(root, 'out/test/harness/codeServer.js'));
const server = await startCodeServer({
  node: join(node24Dir, 'bin', 'node'),
  entry,
  folder,
  port,
  extensionFolder: { path: root, id: `${manifest.publisher}.${manifest.name}`, version: manifest.version },
});
let shop;
if (traffic) {
  if (!existsSync(join(root, 'sample', 'node_modules', '.package-lock.json'))) {
    spawnSync('npm', ['ci', '--prefix', join(root, 'sample'), '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
  }
  // The shop sends to the local X-Ray's default addresses, where the extension listens once the
  // workbench is open; its own output goes to a log file.
  const log = join(server.dataDir, 'sample-traffic.log');
  const fd = openSync(log, 'a');
  shop = spawn(process.execPath, [join(root, 'sample', 'traffic.mjs'), '--forever', '--quiet', '--xray', '127.0.0.1:2000', '--otlp', 'http://127.0.0.1:4318'], { stdio: ['ignore', fd, fd], detached: true });
  console.log(`The sample shop (orders, inventory: X-Ray SDK; catalog: OpenTelemetry) sends a request every 1.5 s; log: ${log}`);
}
console.log(`\nTrace Lens is running in VS Code (code-server) on ${folder}.\nOpen: ${server.workbenchUrl(folder)}\nPress Ctrl-C to stop.`);
const stop = async () => {
  if (shop) {
    try { process.kill(-shop.pid, 'SIGTERM'); } catch { /* gone */ }
    await new Promise((r) => (shop.exitCode !== null ? r() : shop.once('exit', r)));
  }
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
