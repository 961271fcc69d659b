// AWS X-Ray in the editor: the profile and region picker (remembered per workspace), the source
// opened with the user's own credentials, a status that says when X-Ray throttles, cost prompts,
// and one-sentence errors with their fix. No credential is ever logged, stored or shown.
import * as vscode from 'vscode';
import { AwsSource, awsDefaults, awsLabel } from '../sources/aws/awsSource';
import { CostTally, needsConfirmation } from '../sources/aws/cost';
import { listProfiles } from '../sources/aws/profiles';
import { environmentRegion, regionChoices } from '../sources/aws/regions';
import type { SummaryQuery, TraceSource, TraceSummaryRow } from '../sources/traceSource';
import type { Trace } from '../model/trace';

const profileKey = 'traceLens.aws.profile';
const regionKey = 'traceLens.aws.region';

/** What the AWS side is doing. */
export type AwsState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting'; readonly label: string }
  | { readonly kind: 'ready'; readonly label: string; readonly throttled: boolean }
  | { readonly kind: 'failed'; readonly label: string; readonly message: string };

/** The AWS source's lifecycle in the extension. */
export class AwsService implements vscode.Disposable {
  private source?: AwsSource;
  private current: AwsState = { kind: 'idle' };
  private readonly tally = new CostTally();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the state changes. */
  readonly onDidChange = this.changed.event;
  private unsubscribe?: () => void;
  private confirmedWindows = new Set<string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The current state. */
  get status(): AwsState {
    return this.current;
  }

  private set(s: AwsState): void {
    this.current = s;
    this.changed.fire();
  }

  /** The profile and region chosen for this workspace (the setting's region wins). */
  target(): { profile?: string; region?: string } {
    const c = vscode.workspace.getConfiguration('traceLens');
    return {
      profile: this.state.get<string>(profileKey),
      region: c.get<string>('aws.region') || this.state.get<string>(regionKey),
    };
  }

  /** Asks for a profile, then a region, and remembers both for this workspace; true when chosen. */
  async choose(): Promise<boolean> {
    let profiles;
    try {
      profiles = listProfiles();
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Trace Lens: could not read your AWS profiles: ${e instanceof Error ? e.message : String(e)}`,
      );
      return false;
    }
    const items: (vscode.QuickPickItem & { profile?: string; region?: string })[] = profiles.map((p) => ({
      label: `$(account) ${p.name}`,
      description: [p.region, p.accountId].filter(Boolean).join(' · '),
      detail: p.description,
      profile: p.name,
      region: p.region,
    }));
    items.push({
      label: '$(key) Default credential chain',
      description: 'environment variables, instance or container role',
      detail: 'Credentials the AWS SDK finds without a profile',
    });
    if (profiles.length === 0)
      items.unshift({
        label: 'No profiles in ~/.aws/config or ~/.aws/credentials',
        kind: vscode.QuickPickItemKind.Separator,
      });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Trace Lens: AWS profile',
      placeHolder: 'Which AWS profile should Trace Lens read X-Ray traces with?',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return false;
    const regions = regionChoices(picked.region ?? this.target().region ?? environmentRegion());
    const region = await vscode.window.showQuickPick(
      regions.map((r) => ({ label: r.code, description: r.name })),
      {
        title: `Trace Lens: region for ${picked.profile ?? 'the default credentials'}`,
        placeHolder: 'The region your traces are in',
      },
    );
    if (!region) return false;
    await this.state.update(profileKey, picked.profile);
    await this.state.update(regionKey, region.label);
    this.log.info(`AWS: profile ${picked.profile ?? '(default chain)'}, region ${region.label}`);
    return true;
  }

  /** Remembers a profile and region for this workspace without asking (a link that names them). */
  async use(profile: string | undefined, region: string): Promise<void> {
    await this.state.update(profileKey, profile);
    await this.state.update(regionKey, region);
    this.log.info(`AWS: profile ${profile ?? '(default chain)'}, region ${region} (from a link)`);
  }

  /** Opens the source for the chosen profile and region; resolves to it, or undefined after saying why. */
  async open(): Promise<AwsSource | undefined> {
    this.close();
    const { profile, region } = this.target();
    const resolvedRegion = region ?? listProfiles().find((p) => p.name === profile)?.region ?? environmentRegion();
    if (!resolvedRegion) {
      this.set({ kind: 'failed', label: 'AWS X-Ray', message: 'choose a profile and region first' });
      return undefined;
    }
    const c = vscode.workspace.getConfiguration('traceLens');
    const target = { profile, region: resolvedRegion, endpoint: c.get<string>('aws.endpoint') || undefined };
    const label = awsLabel(target);
    this.set({ kind: 'connecting', label });
    try {
      const source = await AwsSource.open({
        target,
        cacheDir: c.get<string>('aws.cacheFolder') || undefined,
        cacheMaxMegabytes: c.get<number>('aws.cacheMaxMegabytes') ?? awsDefaults.cacheMaxMegabytes,
        concurrency: c.get<number>('aws.concurrency') ?? awsDefaults.concurrency,
        scanCap: c.get<number>('aws.maxTracesScanned') ?? awsDefaults.scanCap,
        transactionSearch: c.get<'auto' | 'on' | 'off'>('aws.transactionSearch') ?? 'auto',
        retrievalTimeoutSec: c.get<number>('aws.retrievalTimeoutSeconds') ?? awsDefaults.retrievalTimeoutSec,
        tally: this.tally,
        log: (level, m) => this.log[level](m),
      });
      this.source = source;
      this.unsubscribe = source.onThrottle((t) => {
        if (this.current.kind === 'ready' && this.current.throttled !== t.throttled) {
          if (t.throttled) this.log.warn(`X-Ray is throttling: slowing down to ${t.concurrency} call(s) at a time`);
          this.set({ kind: 'ready', label: source.label, throttled: t.throttled });
        }
      });
      this.set({ kind: 'ready', label: source.label, throttled: false });
      return source;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.set({ kind: 'failed', label, message });
      this.log.error(`AWS: ${message}`);
      const sso = /aws sso login --profile ([\w.@-]+)/.exec(message)?.[0];
      const actions = [sso ? 'Copy Command' : undefined, 'Choose Profile'].filter((a): a is string => !!a);
      void vscode.window.showErrorMessage(`Trace Lens: ${message}`, ...actions).then(async (a) => {
        if (a === 'Copy Command' && sso) await vscode.env.clipboard.writeText(sso);
        if (a === 'Choose Profile') await vscode.commands.executeCommand('traceLens.aws.chooseProfile');
      });
      return undefined;
    }
  }

  /** A TraceSource over the open AWS source that asks before a costly query and logs the tally. */
  traceSource(): TraceSource | undefined {
    const source = this.source;
    if (!source) return undefined;
    const threshold =
      vscode.workspace.getConfiguration('traceLens').get<number>('aws.costWarningTraces') ??
      awsDefaults.costWarningTraces;
    return {
      label: source.label,
      consoleUrl: (traceId: string) => source.consoleUrl(traceId),
      summaries: async (q: SummaryQuery, signal?: AbortSignal): Promise<TraceSummaryRow[]> => {
        const estimate = source.estimate({ start: q.start, end: q.end });
        const key = `${Math.round(q.start.getTime() / 3600_000)}-${Math.round(q.end.getTime() / 3600_000)}-${q.filter ?? ''}`;
        if (needsConfirmation(estimate, threshold) && !this.confirmedWindows.has(key)) {
          const go = await vscode.window.showWarningMessage(
            `Trace Lens: this query may scan ${estimate.text}. Run it?`,
            { modal: true },
            'Run Query',
          );
          if (go !== 'Run Query') return [];
          this.confirmedWindows.add(key);
        }
        try {
          return await source.summaries(q, signal);
        } finally {
          this.log.info(this.tally.line());
        }
      },
      traces: async (ids: readonly string[], signal?: AbortSignal): Promise<Trace[]> => {
        try {
          return await source.traces(ids, signal);
        } finally {
          this.log.info(this.tally.line());
        }
      },
    };
  }

  /** Closes the open source. */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.source?.dispose();
    this.source = undefined;
    if (this.current.kind !== 'idle') this.set({ kind: 'idle' });
  }

  dispose(): void {
    this.close();
    this.changed.dispose();
  }
}
