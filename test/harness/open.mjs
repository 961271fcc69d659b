// `npm run vscode [-- --port N] [-- FOLDER]`: builds Trace Lens and opens it in a real VS Code
// (code-server) on the sample/ workspace, prints the URL, and runs until Ctrl-C.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { root, ensureNode24, ensureCodeServer, missingSystemPackages } from './toolchain.mjs';
import manifest from '../../package.json' with { type: 'json' };

const argv = process.argv.slice(2);
let port = Number(process.env.TRACE_LENS_PORT ?? 8080);
let folder = join(root, 'sample');
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--port') port = Number(argv[++i]);
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
console.log(`\nTrace Lens is running in VS Code (code-server) on ${folder}.\nOpen: ${server.workbenchUrl(folder)}\nPress Ctrl-C to stop.`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
