import * as vscode from 'vscode';
import { pickListedTrace } from './traceViewCommands';
import { readSettings, settingsTarget, sourceLabels, type SourceKind } from './settings';
import type { LocalXRayService } from './localXRayService';
import type { TracesView } from './tracesView';
import type { CodeNavigator } from './codeNavigator';
import type { TracePanels } from './tracePanel';
import { forEachSpan } from '../model/assemble';
import type { Span, Trace } from '../model/trace';

/** What the commands act on. */
export interface CommandDeps {
  readonly log: vscode.LogOutputChannel;
  readonly tracesView: TracesView;
  readonly localXRay: LocalXRayService;
  readonly navigator: CodeNavigator;
  readonly panels: TracePanels;
}

/** What Go to Code takes: a span of a trace (from the tree, the waterfall, a lens or a link). */
interface SpanRef {
  readonly traceId: string;
  readonly spanId: string;
}

const isSpanRef = (v: unknown): v is SpanRef =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as SpanRef).traceId === 'string' &&
  typeof (v as SpanRef).spanId === 'string';

/** Registers every `traceLens.*` command the manifest contributes. */
export function registerCommands(deps: CommandDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('traceLens.refresh', () => deps.tracesView.refresh()),
    vscode.commands.registerCommand('traceLens.showLog', () => deps.log.show(true)),
    vscode.commands.registerCommand('traceLens.chooseSource', () => chooseSource(deps.log)),
    vscode.commands.registerCommand('traceLens.local.configurePorts', () => configurePorts()),
    vscode.commands.registerCommand('traceLens.local.restart', () => deps.localXRay.start(readSettings().local)),
    vscode.commands.registerCommand('traceLens.goToCode', (arg: unknown) => goToCode(deps, arg)),
    vscode.commands.registerCommand('traceLens.goToFrame', (arg: unknown) => goToFrame(deps, arg)),
    vscode.commands.registerCommand('traceLens.openTrace', (arg: unknown) => {
      const id =
        typeof arg === 'object' && arg !== null
          ? ((arg as { traceId?: unknown; row?: { id?: unknown } }).traceId ??
            (arg as { row?: { id?: unknown } }).row?.id)
          : undefined;
      if (typeof id === 'string') return deps.panels.open(id);
      if (arg !== undefined) {
        void vscode.window.showInformationMessage('Trace Lens: choose a trace in the Traces view to open it.');
        return undefined;
      }
      // From the palette: one of the listed traces.
      return pickListedTrace(deps.tracesView, 'Trace Lens: Open Trace Waterfall').then((picked) =>
        picked ? deps.panels.open(picked) : undefined,
      );
    }),
  );
}

/** The trace and span a reference names, or undefined after saying what is missing. */
async function findSpan(deps: CommandDeps, arg: SpanRef): Promise<{ trace: Trace; span: Span } | undefined> {
  const trace = await deps.tracesView.trace(arg.traceId);
  if (!trace) {
    void vscode.window.showWarningMessage(`Trace Lens: trace ${arg.traceId} is not available from the current source.`);
    return undefined;
  }
  let span: Span | undefined;
  forEachSpan(trace, (s) => {
    if (s.id === arg.spanId) span ??= s;
  });
  if (!span) {
    void vscode.window.showWarningMessage(`Trace Lens: trace ${arg.traceId} has no span ${arg.spanId}.`);
    return undefined;
  }
  return { trace, span };
}

/** Opens the code of a span; resolves to the editor, or undefined when it could not be located. */
async function goToCode(deps: CommandDeps, arg: unknown): Promise<vscode.TextEditor | undefined> {
  // Arguments come from tree items, webviews and command links: validate before use.
  if (!isSpanRef(arg)) {
    void vscode.window.showInformationMessage(
      'Trace Lens: choose a span in the Traces view (or the waterfall) to go to its code.',
    );
    return undefined;
  }
  const found = await findSpan(deps, arg);
  if (!found) return undefined;
  return deps.navigator.open(
    await deps.navigator.locateSpan(found.trace, found.span),
    `span '${found.span.otelName ?? found.span.name}'`,
  );
}

/** Opens the code of one exception frame of a span. */
async function goToFrame(deps: CommandDeps, arg: unknown): Promise<vscode.TextEditor | undefined> {
  const ref = arg as { exception?: unknown; frame?: unknown };
  if (!isSpanRef(arg) || !Number.isInteger(ref.exception) || !Number.isInteger(ref.frame)) return undefined;
  const found = await findSpan(deps, arg);
  const exception = found?.span.cause?.exceptions[ref.exception as number];
  const frame = exception?.stack[ref.frame as number];
  if (!exception || !frame) return undefined;
  return deps.navigator.open(
    await deps.navigator.locateFrame(frame, { below: exception.stack.slice(0, ref.frame as number) }),
    `frame ${frame.label ?? ''} (${frame.path ?? '?'}:${frame.line ?? '?'})`,
  );
}

/** Lets the user pick the trace source and stores it in the workspace settings. */
async function chooseSource(log: vscode.LogOutputChannel): Promise<SourceKind | undefined> {
  const current = vscode.workspace.getConfiguration('traceLens').get<string>('source');
  const items: (vscode.QuickPickItem & { source: SourceKind })[] = [
    {
      source: 'local',
      label: `$(vm) ${sourceLabels.local}`,
      description: current === 'local' ? 'current' : '',
      detail: 'Traces your app sends from this machine (UDP 2000, OTLP 4318). No AWS account needed.',
    },
    {
      source: 'aws',
      label: `$(cloud) ${sourceLabels.aws}`,
      description: current === 'aws' ? 'current' : '',
      detail: 'Traces in your AWS account, through your AWS profiles.',
    },
    {
      source: 'file',
      label: `$(file) ${sourceLabels.file}…`,
      description: current === 'file' ? 'current' : '',
      detail: "A file on disk: 'aws xray batch-get-traces' output, segment documents, or OTLP JSON.",
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Trace Lens: Choose Trace Source',
    placeHolder: 'Where should Trace Lens read traces from?',
  });
  if (!picked) return undefined;
  // AWS needs a profile and region first; choosing them switches the source.
  if (picked.source === 'aws')
    return (await vscode.commands.executeCommand<boolean>('traceLens.aws.chooseProfile')) ? 'aws' : undefined;
  if (picked.source === 'file')
    return (await vscode.commands.executeCommand<boolean>('traceLens.openTraceFile')) ? 'file' : undefined;
  const target = settingsTarget();
  await vscode.workspace.getConfiguration('traceLens').update('source', picked.source, target);
  log.info(`source set to ${picked.source}`);
  return picked.source;
}

function validPort(v: string): string | undefined {
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 65535
    ? undefined
    : 'A port is a whole number from 0 to 65535 (0 picks a free one).';
}

/** Asks for the local X-Ray's ports (the daemon's UDP and API share one, as the real daemon's do). */
async function configurePorts(): Promise<void> {
  const s = readSettings().local;
  const daemon = await vscode.window.showInputBox({
    title: 'Local X-Ray: daemon port (UDP for the X-Ray SDKs, TCP for the X-Ray API)',
    prompt: 'Apps then need AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:PORT. Another X-Ray daemon usually holds 2000.',
    value: String(s.udpPort === s.apiPort ? s.udpPort : s.apiPort),
    validateInput: validPort,
  });
  if (daemon === undefined) return;
  const otlp = await vscode.window.showInputBox({
    title: 'Local X-Ray: OTLP/HTTP port',
    prompt: 'Apps then need OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:PORT.',
    value: String(s.otlpPort),
    validateInput: validPort,
  });
  if (otlp === undefined) return;
  const c = vscode.workspace.getConfiguration('traceLens');
  await c.update('local.udpPort', Number(daemon), vscode.ConfigurationTarget.Global);
  await c.update('local.apiPort', Number(daemon), vscode.ConfigurationTarget.Global);
  await c.update('local.otlpPort', Number(otlp), vscode.ConfigurationTarget.Global);
}
