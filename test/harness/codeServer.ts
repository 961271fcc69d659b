// Starts and stops a real VS Code (code-server) in its own process group, with throwaway
// profile, extension and temp folders, so nothing leaks between runs or outlives the harness.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Where code-server runs from. */
export interface CodeServerInstall {
  /** Node 24's executable. */
  readonly node: string;
  /** code-server's out/node/entry.js. */
  readonly entry: string;
}

/** How to start one code-server. */
export interface CodeServerOptions extends CodeServerInstall {
  /** The folder the workbench opens. */
  readonly folder: string;
  /** Load this extension folder unpacked (a symlink in the extensions folder). */
  readonly extensionFolder?: { readonly path: string; readonly id: string; readonly version: string };
  /** Install this .vsix into the fresh extensions folder first, as a user would. */
  readonly vsix?: string;
  /** Let the workbench run extension tests from the URL payload. */
  readonly smokeTestDriver?: boolean;
  /** Extra environment for the server and its extension host. */
  readonly env?: Record<string, string>;
  /** Extra user settings. */
  readonly settings?: Record<string, unknown>;
  /** Where the server's log goes (else a temp file). */
  readonly logFile?: string;
  /** A fixed port (else a free one). */
  readonly port?: number;
}

/** A running code-server. */
export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly logFile: string;
  readonly dataDir: string;
  /** The URL that opens a folder, optionally with a test payload. */
  workbenchUrl(folder: string, payload?: [string, string][]): string;
  /** Stops the whole process group and removes the throwaway folders. */
  stop(): Promise<void>;
}

const quietSettings = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'telemetry.telemetryLevel': 'off',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'remote.autoForwardPorts': false,
};

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function isolatedEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(dataDir, 'xdg', 'config'),
    XDG_DATA_HOME: join(dataDir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(dataDir, 'xdg', 'cache'),
    TMPDIR: join(dataDir, 'tmp'),
    ...extra,
  };
  // The harness may itself run under VS Code; its variables would confuse the server.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  return env;
}

/** code-server's own version line, for example `4.139.1 <commit> with Code 1.139.1`. */
export function codeServerVersion(install: CodeServerInstall): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'trace-lens-cs-'));
  try {
    for (const d of ['xdg/config', 'xdg/data', 'xdg/cache', 'tmp']) mkdirSync(join(dataDir, d), { recursive: true });
    const r = spawnSync(install.node, [install.entry, '--version'], { env: isolatedEnv(dataDir), encoding: 'utf8' });
    const line = r.stdout.split('\n').find((l) => / with Code /.test(l));
    return line?.trim() ?? `unknown (${r.stderr.trim()})`;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Installs a .vsix into an extensions folder with code-server's own CLI. */
export function installVsix(install: CodeServerInstall, vsix: string, dataDir: string): void {
  const r = spawnSync(
    install.node,
    [
      install.entry,
      '--user-data-dir',
      join(dataDir, 'ud'),
      '--extensions-dir',
      join(dataDir, 'exts'),
      '--install-extension',
      vsix,
    ],
    { env: isolatedEnv(dataDir), encoding: 'utf8' },
  );
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout)) {
    throw new Error(`installing ${vsix} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  }
}

async function waitHealthy(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode}; log:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `code-server did not answer /healthz within ${timeoutMs} ms; log:\n${readFileSync(logFile, 'utf8').slice(-4000)}`,
  );
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
process.once('exit', () => running.forEach((c) => killGroup(c, 'SIGKILL')));

/** Starts code-server and waits until it answers. */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trace-lens-cs-'));
  for (const d of ['ud/User', 'exts', 'xdg/config', 'xdg/data', 'xdg/cache', 'tmp'])
    mkdirSync(join(dataDir, d), { recursive: true });
  writeFileSync(
    join(dataDir, 'ud', 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...opts.settings }, null, 2),
  );
  if (opts.extensionFolder) {
    const { path, id, version } = opts.extensionFolder;
    symlinkSync(path, join(dataDir, 'exts', `${id}-${version}`), 'dir');
  }
  if (opts.vsix) installVsix(opts, opts.vsix, dataDir);

  const port = opts.port ?? (await freePort());
  const logFile = opts.logFile ?? join(dataDir, 'code-server.log');
  const args = [
    opts.entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    join(dataDir, 'ud'),
    '--extensions-dir',
    join(dataDir, 'exts'),
  ];
  if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(opts.folder);

  const fd = openSync(logFile, 'a');
  const child = spawn(opts.node, args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: isolatedEnv(dataDir, opts.env),
  });
  closeSync(fd);
  running.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    // Children of the group may outlive the leader for a moment.
    killGroup(child, 'SIGKILL');
    running.delete(child);
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitHealthy(url, child, logFile, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    port,
    logFile,
    dataDir,
    workbenchUrl(folder, payload) {
      let u = `${url}/?folder=${encodeURIComponent(folder)}`;
      if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    stop,
  };
}
