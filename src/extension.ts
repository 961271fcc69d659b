// Composition root: construct, register, push disposables; nothing else.
import * as vscode from 'vscode';
import { AwsService } from './vscode/awsService';
import { CodeNavigator } from './vscode/codeNavigator';
import { registerCommands } from './vscode/commands';
import { InstrumentationService } from './vscode/instrumentationService';
import { LatencyLenses, readLensSettings } from './vscode/latencyLenses';
import { StatsService } from './vscode/statsService';
import { LocalXRayService, type LocalXRayState } from './vscode/localXRayService';
import { readSettings, onSettingsChanged, settingsTarget, type Settings } from './vscode/settings';
import { SourceStatusItem } from './vscode/sourceStatus';
import { TracesView } from './vscode/tracesView';
import { TracePanels } from './vscode/tracePanel';
import { WorkspaceRoutesService } from './vscode/workspaceRoutesService';
import { entryMatcher } from './mapping/routes';
import { FileSource } from './sources/file/fileSource';
import { TraceQuery } from './vscode/traceQuery';
import { registerTraceViewCommands } from './vscode/traceViewCommands';
import { traceLinkHandler } from './vscode/traceLinks';
import { ServiceMapPanel } from './vscode/serviceMapPanel';
import { ComparePanels } from './vscode/comparePanel';

/** What activate() returns: a small surface the integration tests read. */
export interface TraceLensApi {
  /** The source the extension reads traces from now. */
  readonly source: () => string;
  /** The local X-Ray's state and trace count. */
  readonly localXRay: () => { state: LocalXRayState; traces: number };
  /** Resolves when the local X-Ray has (re)started with the current settings. */
  readonly localXRayReady: () => Promise<void>;
  /** The status bar item's text. */
  readonly statusText: () => string;
  /** The ids of the traces the Traces view shows. */
  readonly tracesInView: () => string[];
  /** Why the Traces view's last listing failed, if it did. */
  readonly listingFailure: () => string | undefined;
  /** Sets the Traces view's filter expression, as the filter input does once it accepts one. */
  readonly setFilter: (expression: string | undefined) => Promise<void>;
  /** Resolves when the statistics have read the source's traces. */
  readonly statsReady: () => Promise<void>;
  /** The trace ids of the open waterfall panels. */
  readonly openTracePanels: () => string[];
  /** Whether the service map is open, and its node names. */
  readonly serviceMap: () => { open: boolean; nodes: string[] };
  /** The title of the Traces view's selection group (traces listed from the map), if any. */
  readonly selectionTitle: () => string | undefined;
  /** The (A, B) trace ids of the open compare panels. */
  readonly comparePairs: () => [string, string][];
  /** The link handler VS Code calls for vscode://trace-lens.trace-lens/… (code-server cannot route links to it in tests). */
  readonly handleUri: (uri: vscode.Uri) => vscode.ProviderResult<void>;
  /** Resolves when the instrumentation index has scanned the workspace; then, how many files it holds. */
  readonly instrumentationReady: () => Promise<number>;
  /** Resolves when the workspace's routes and functions are scanned; then, how many routes it declares. */
  readonly routesReady: () => Promise<number>;
}

/** Called by VS Code once, after start-up finishes (no `*` activation). */
export function activate(context: vscode.ExtensionContext): TraceLensApi {
  const log = vscode.window.createOutputChannel('Trace Lens', { log: true });
  let settings = readSettings();
  const query = new TraceQuery(context.workspaceState, context.globalState);
  const routes = new WorkspaceRoutesService(log);
  const detectedServices = () => routes.declared.services.filter((x) => !x.pattern).map((x) => x.name);
  const tracesView = new TracesView(log, query, { detectedServices });
  const status = new SourceStatusItem();
  const localXRay = new LocalXRayService(log);
  const aws = new AwsService(context.workspaceState, log);
  const instrumentation = new InstrumentationService(log);
  const navigator = new CodeNavigator(log, () => instrumentation.sites);
  const stats = new StatsService(log);
  const lenses = new LatencyLenses(stats, instrumentation, routes);
  const lensSelector = [
    { scheme: 'file', language: 'yaml' },
    { scheme: 'file', language: 'javascript' },
    { scheme: 'file', language: 'typescript' },
    { scheme: 'file', language: 'javascriptreact' },
    { scheme: 'file', language: 'typescriptreact' },
    { scheme: 'file', language: 'python' },
    { scheme: 'file', language: 'java' },
    { scheme: 'file', language: 'go' },
    { scheme: 'file', language: 'csharp' },
  ];
  let ready: Promise<void> = Promise.resolve();
  /** What the entry points were last counted for, lines left out. */
  let entryKey: string | undefined;
  // Panels ask for their trace once the source has opened: a panel restored after a reload asks
  // while a trace file or AWS is still opening, and would otherwise find no source.
  const panelSource = () => ({
    trace: async (id: string) => {
      await ready.catch(() => undefined);
      return tracesView.trace(id);
    },
    get label() {
      return tracesView.sourceLabel;
    },
    consoleUrl: (id: string) => tracesView.activeSource?.consoleUrl?.(id),
  });
  const panels = new TracePanels(context.extensionUri, panelSource, navigator, log);
  const map = new ServiceMapPanel(
    context.extensionUri,
    {
      source: () => tracesView.activeSource,
      rows: () => tracesView.listing(),
      openTrace: (id) => panels.open(id),
      showInSidebar: (title, rows) => {
        tracesView.showSelection(title, rows);
        void vscode.commands.executeCommand('traceLens.traces.focus');
      },
    },
    log,
  );
  const setViewSource = (source: Parameters<TracesView['setSource']>[0], unavailable?: string) => {
    tracesView.setSource(source, unavailable);
    map.refresh();
  };
  /** The source every surface reads from now (the view, an open map, the lenses' figures). */
  const useSource = (source: Parameters<TracesView['setSource']>[0], unavailable?: string) => {
    setViewSource(source, unavailable);
    stats.setSource(source, readLensSettings().window);
  };
  const compare = new ComparePanels(context.extensionUri, panelSource, navigator, log, (id) => panels.open(id));
  let file: FileSource | undefined;
  const fileKey = 'traceLens.traceFile';

  const showStatus = () =>
    status.show(settings.source, { state: localXRay.state, traces: localXRay.traceCount }, aws.status, file?.label);
  const closeFile = () => {
    file?.dispose();
    file = undefined;
  };
  const openFile = () => {
    closeFile();
    setViewSource(undefined);
    const path = context.workspaceState.get<string>(fileKey);
    if (!path) {
      setViewSource(undefined, 'Trace file: choose a file with Trace Lens: Open Trace File.');
      return;
    }
    ready = FileSource.open(path).then(
      (f) => {
        if (settings.source !== 'file') return f.dispose();
        file = f;
        log.info(
          `${f.label}: ${f.traceCount} traces${f.repairs.length ? `; ${f.repairs.length} repairs:\n  ${f.repairs.slice(0, 20).join('\n  ')}` : ''}`,
        );
        useSource(f);
        showStatus();
      },
      (e: unknown) => {
        const m = e instanceof Error ? e.message : String(e);
        log.error(`trace file: ${m}`);
        setViewSource(undefined, `Trace file: ${m}`);
        void vscode.window.showErrorMessage(`Trace Lens: ${m}`);
      },
    );
  };
  const openAws = () => {
    setViewSource(undefined);
    ready = aws.open().then((src) => {
      if (settings.source !== 'aws') return;
      useSource(
        aws.traceSource(),
        src
          ? undefined
          : `AWS X-Ray: ${aws.status.kind === 'failed' ? aws.status.message : 'choose a profile and region'}`,
      );
    });
  };
  const applySource = (previous?: Settings) => {
    if (settings.source !== 'file') closeFile();
    tracesView.setPolling(settings.source === 'aws' ? settings.pollSeconds : 0);
    if (settings.source === 'file') {
      void localXRay.stop();
      aws.close();
      if (!previous || previous.source !== 'file') openFile();
    } else if (settings.source === 'local') {
      if (
        !previous ||
        previous.source !== 'local' ||
        JSON.stringify(previous.local) !== JSON.stringify(settings.local)
      ) {
        // Off the activation path: binding ports and opening the store never delay the host.
        ready = new Promise<void>((r) => setImmediate(r)).then(() => localXRay.start(settings.local));
      }
      aws.close();
    } else {
      void localXRay.stop();
      const awsChanged =
        !previous || previous.source !== 'aws' || JSON.stringify(previous.aws) !== JSON.stringify(settings.aws);
      if (awsChanged) openAws();
    }
    showStatus();
  };

  const uriHandler = traceLinkHandler({
    useAws: async (profile, region) => {
      const t = aws.target();
      if (settings.source === 'aws' && t.region === region && (profile === undefined || t.profile === profile))
        return true;
      // A link is someone else's text: it switches where Trace Lens reads from only when the user says so.
      const where = `AWS X-Ray (${profile ?? t.profile ?? 'default credentials'}, ${region})`;
      const go = await vscode.window.showWarningMessage(
        `Trace Lens: the link opens a trace from ${where}. Switch this workspace's trace source to it?`,
        { modal: true },
        'Switch and Open',
      );
      if (go !== 'Switch and Open') return false;
      await aws.use(profile ?? t.profile, region);
      if (settings.source === 'aws') openAws();
      else await vscode.workspace.getConfiguration('traceLens').update('source', 'aws', settingsTarget());
      return true;
    },
    ready: () => ready,
    openTrace: (id) => panels.open(id),
  });

  context.subscriptions.push(
    log,
    tracesView,
    status,
    localXRay,
    aws,
    aws.onDidChange(() => showStatus()),
    vscode.commands.registerCommand('traceLens.aws.chooseProfile', async () => {
      if (!(await aws.choose())) return false;
      if (settings.source === 'aws') openAws();
      else await vscode.workspace.getConfiguration('traceLens').update('source', 'aws', settingsTarget());
      return true;
    }),
    navigator,
    instrumentation,
    panels,
    stats,
    routes,
    routes.onDidChange(() => {
      // A save that only moves a route to another line changes where its lens sits, not its figures.
      const declared = { routes: routes.declared.routes, functions: routes.declared.functions.map((f) => f.fn) };
      const key = JSON.stringify(declared, (k, v: unknown) =>
        k === 'line' || k === 'column' || k === 'endLine' ? undefined : v,
      );
      if (key === entryKey) return;
      entryKey = key;
      stats.setEntryPoints(entryMatcher(declared));
    }),
    lenses,
    vscode.languages.registerCodeLensProvider(lensSelector, lenses),
    vscode.languages.registerHoverProvider(lensSelector, lenses),
    vscode.commands.registerCommand('traceLens.toggleLenses', () =>
      vscode.workspace
        .getConfiguration('traceLens.lenses')
        .update('enabled', !readLensSettings().enabled, vscode.ConfigurationTarget.Global),
    ),
    registerCommands({ log, tracesView, localXRay, navigator, panels }),
    registerTraceViewCommands({
      log,
      view: tracesView,
      query,
      navigator,
      detectedServices,
      openTrace: (id) => panels.open(id),
      compare: (a, b) => compare.open(a, b),
      readsAws: () => settings.source === 'aws',
    }),
    map,
    compare,
    vscode.commands.registerCommand('traceLens.showServiceMap', () => map.open()),
    vscode.commands.registerCommand('traceLens.traces.clearSelection', () => tracesView.clearSelection()),
    query.onDidChange(() => map.refresh()),
    query,
    query.onDidChange(() => tracesView.refresh()),
    routes.onDidChange(() => tracesView.refresh()),
    vscode.commands.registerCommand('traceLens.openTraceFile', async (arg?: unknown) => {
      const given = arg instanceof vscode.Uri ? arg : undefined;
      const picked = given
        ? [given]
        : await vscode.window.showOpenDialog({
            title: 'Trace Lens: Open Trace File',
            canSelectMany: false,
            openLabel: 'Open Traces',
            filters: { 'Trace files': ['json', 'jsonl', 'ndjson', 'gz', 'txt'], 'All files': ['*'] },
          });
      const uri = picked?.[0];
      if (!uri) return false;
      await context.workspaceState.update(fileKey, uri.fsPath);
      if (settings.source === 'file') openFile();
      else await vscode.workspace.getConfiguration('traceLens').update('source', 'file', settingsTarget());
      return true;
    }),
    vscode.window.registerUriHandler(uriHandler),
    localXRay.onDidChange((what) => {
      showStatus();
      if (settings.source !== 'local') return;
      if (what === 'state') {
        useSource(localXRay.traceSource);
      } else {
        tracesView.refreshSoon();
        stats.refresh();
        map.refresh();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Another window needs its traces (and the window before it) read again.
      if (e.affectsConfiguration('traceLens.lenses.window'))
        stats.setSource(tracesView.activeSource, readLensSettings().window);
      if (e.affectsConfiguration('traceLens.lenses')) lenses.refresh();
    }),
    // AWS sends no word of new traces: the lenses read what the view's refreshes and polls find.
    tracesView.onDidRefresh(() => {
      if (settings.source === 'aws') stats.refresh();
    }),
    onSettingsChanged(() => {
      const previous = settings;
      settings = readSettings();
      if (previous.source !== settings.source) log.info(`source is now ${settings.source}`);
      applySource(previous);
    }),
  );
  const treeView = vscode.window.createTreeView('traceLens.traces', {
    treeDataProvider: tracesView,
    showCollapseAll: true,
    canSelectMany: true,
  });
  tracesView.bind(treeView);
  context.subscriptions.push(treeView, { dispose: closeFile });
  applySource();
  // The index is read by Go to Code; build it a moment after start-up, in the background.
  setTimeout(() => void instrumentation.ready().then(() => routes.ready()), 1500);
  log.info(
    `Trace Lens ${context.extension.packageJSON.version} activated in VS Code ${vscode.version}; source: ${settings.source}`,
  );
  return {
    source: () => settings.source,
    localXRay: () => ({ state: localXRay.state, traces: localXRay.traceCount }),
    localXRayReady: () => ready,
    statusText: () => status.text,
    tracesInView: () => tracesView.rows.map((r) => r.id),
    listingFailure: () => tracesView.lastFailure,
    setFilter: (expression) => query.setFilter(expression),
    openTracePanels: () => panels.openTraceIds,
    serviceMap: () => ({ open: map.isOpen, nodes: map.nodeNames }),
    selectionTitle: () => tracesView.selectionTitle(),
    comparePairs: () => compare.openPairs,
    handleUri: (uri) => uriHandler.handleUri(uri),
    statsReady: () => stats.ready(),
    instrumentationReady: () => instrumentation.ready().then(() => instrumentation.index.size),
    routesReady: () => routes.ready().then(() => routes.declared.routes.length),
  };
}

/** Nothing to do: every resource is a disposable in context.subscriptions. */
export function deactivate(): void {}
