import * as vscode from 'vscode';

/** Where traces come from; the manifest's `traceLens.source` enum. */
export type SourceKind = 'local' | 'aws' | 'file';

/** The local X-Ray's settings. */
export interface LocalSettings {
  readonly host: string;
  readonly udpPort: number;
  readonly apiPort: number;
  readonly otlpPort: number;
  readonly storePath: string;
  readonly retentionHours: number;
  readonly maxStoreMegabytes: number;
}

/** The settings Trace Lens reads, resolved with their defaults. */
export interface Settings {
  readonly source: SourceKind;
  readonly local: LocalSettings;
  /** The traceLens.aws.* settings, compared to know when to reopen the AWS source. */
  readonly aws: Readonly<Record<string, unknown>>;
  /** Seconds between listings of an AWS source (0: only on refresh). */
  readonly pollSeconds: number;
}

/** The display names of the sources, as the picker and status bar show them. */
export const sourceLabels: Record<SourceKind, string> = { local: 'Local X-Ray', aws: 'AWS X-Ray', file: 'Trace file' };

const port = (v: unknown, fallback: number) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535 ? (v as number) : fallback;
const nonNegative = (v: unknown, fallback: number) => (typeof v === 'number' && v >= 0 ? v : fallback);

/** Reads `traceLens.*` for the current window; an unusable value falls back to the default. */
export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('traceLens');
  return {
    source: (['aws', 'file'] as const).find((k) => k === c.get<string>('source')) ?? 'local',
    local: {
      host: c.get<string>('local.host')?.trim() || '127.0.0.1',
      udpPort: port(c.get('local.udpPort'), 2000),
      apiPort: port(c.get('local.apiPort'), 2000),
      otlpPort: port(c.get('local.otlpPort'), 4318),
      storePath: c.get<string>('local.storePath')?.trim() ?? '',
      retentionHours: nonNegative(c.get('local.retentionHours'), 168),
      maxStoreMegabytes: nonNegative(c.get('local.maxStoreMegabytes'), 1024),
    },
    pollSeconds: nonNegative(c.get('aws.pollSeconds'), 0),
    aws: Object.fromEntries(
      [
        'region',
        'endpoint',
        'concurrency',
        'maxTracesScanned',
        'cacheMaxMegabytes',
        'cacheFolder',
        'transactionSearch',
        'retrievalTimeoutSeconds',
      ].map((k) => [k, c.get(`aws.${k}`)]),
    ),
  };
}

/** Where a choice for this project is written: the workspace's settings when a folder is open, else the user's. */
export function settingsTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
}

/** Calls back when any `traceLens.*` setting changes. */
export function onSettingsChanged(callback: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('traceLens')) callback();
  });
}
