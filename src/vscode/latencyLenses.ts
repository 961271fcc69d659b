// Code lenses and hovers above instrumented code: p50/p99 latency, calls and errors of the
// operation the site names, a regression mark against the previous window, few samples said so,
// and a click that opens the slowest trace. No lens where there is no data.
import * as vscode from 'vscode';
import type { Comparison, OperationSummary, WindowName } from '../analysis/stats';
import { count, lensTitle, type LensSettings } from '../analysis/lensText';
import type { InstrumentationSite } from '../mapping/instrumentation';
import { coldStartOperation, invocationOperation, routeOperation } from '../mapping/routes';
import { formatMs } from '../model/duration';
import type { InstrumentationService } from './instrumentationService';
import type { StatsService } from './statsService';
import type { WorkspaceRoutesService } from './workspaceRoutesService';

/** Reads traceLens.lenses.*. */
export function readLensSettings(): LensSettings {
  const c = vscode.workspace.getConfiguration('traceLens.lenses');
  const window = c.get<string>('window') ?? '1h';
  return {
    enabled: c.get<boolean>('enabled') ?? true,
    window: (['15m', '1h', '6h', '24h', '7d'].includes(window) ? window : '1h') as WindowName,
    figures: c.get<string[]>('figures') ?? ['p50', 'p99', 'calls', 'errors'],
    minSamples: Math.max(1, c.get<number>('minSamples') ?? 30),
  };
}

/** The comparison of a site's operation (a literal name, or the busiest name a pattern matches). */
export function siteComparison(
  stats: StatsService,
  site: InstrumentationSite,
  settings: LensSettings,
): Comparison | undefined {
  const s = stats.stats;
  if (site.name)
    return s.compare(undefined, site.name, settings.window, { minSamples: settings.minSamples, end: stats.end });
  if (!site.pattern) return undefined;
  let re: RegExp;
  try {
    re = new RegExp(site.pattern);
  } catch {
    return undefined;
  }
  let best: Comparison | undefined;
  for (const op of s.operations()) {
    if (!re.test(op.name) && !(op.otelName && re.test(op.otelName))) continue;
    const c = s.compare(op.service, op.name, settings.window, { minSamples: settings.minSamples, end: stats.end });
    if (c && (!best || c.current.calls > best.current.calls)) best = c;
  }
  return best;
}

/** One place in a document that gets a lens: an instrumentation site, a route, a Lambda handler. */
interface LensTarget {
  /** 1-based. */
  readonly line: number;
  /** What the hover's heading names: the span name, `GET /orders/:id`, `λ OrdersFunction`. */
  readonly label: string;
  readonly comparison: Comparison;
  /** `calls`, `requests`, `invocations`. */
  readonly noun: string;
  /** Further lens parts, such as the cold starts. */
  readonly extra: readonly string[];
  /** How the place was found, for the hover. */
  readonly how: string;
}

/** The code lenses and hovers. */
export class LatencyLenses implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly stats: StatsService,
    private readonly instrumentation: InstrumentationService,
    private readonly routes: WorkspaceRoutesService,
  ) {
    this.subscriptions = [
      stats.onDidChange(() => this.changed.fire()),
      instrumentation.onDidChange(() => this.changed.fire()),
      routes.onDidChange(() => this.changed.fire()),
    ];
  }

  /** Redraws every lens (settings changed). */
  refresh(): void {
    this.changed.fire();
  }

  /** The window the figures cover: the last hour, or a trace file's last hour (files are not live). */
  private windowText(settings: LensSettings): string {
    const end = this.stats.end;
    return end === undefined
      ? `the last ${settings.window}`
      : `the trace file's last ${settings.window} (to ${new Date(end * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC)`;
  }

  /** Every place of the file with figures, in line order: one per operation and file (the first place that names it). */
  private targets(fsPath: string, settings: LensSettings): LensTarget[] {
    const out: LensTarget[] = [];
    const shown = new Set<string>();
    const sites = [...this.instrumentation.index.sitesIn(fsPath)].sort((a, b) => a.line - b.line);
    for (const site of sites) {
      const key = site.name ?? site.pattern ?? '';
      if (shown.has(key)) continue;
      shown.add(key);
      const c = siteComparison(this.stats, site, settings);
      if (c && c.current.calls > 0)
        out.push({
          line: site.line,
          label: site.name ?? site.pattern ?? '',
          comparison: c,
          noun: 'calls',
          extra: [],
          how: `Located by ${site.api} at line ${site.line}.`,
        });
    }
    const entries = this.stats.entries;
    const options = { minSamples: settings.minSamples, end: this.stats.end };
    const same = (a: string, b: string) =>
      process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
    const declared = this.routes.declared;
    for (const r of declared.routes) {
      if (!same(r.path, fsPath)) continue;
      const name = routeOperation(r);
      const c = entries.compare(r.service, name, settings.window, options);
      if (c && c.current.calls > 0)
        out.push({
          line: r.line,
          label: name,
          comparison: c,
          noun: 'requests',
          extra: [],
          how: `Requests whose URL matches the ${r.framework} route declared at ${vscode.workspace.asRelativePath(r.declared.path)}:${r.declared.line}.`,
        });
    }
    for (const { fn, handler } of declared.functions) {
      const inTemplate = same(fn.template, fsPath);
      if (!inTemplate && !(handler && same(handler.path, fsPath))) continue;
      const c = entries.compare(undefined, invocationOperation(fn), settings.window, options);
      if (!c || c.current.calls === 0) continue;
      const cold = entries.summary(undefined, coldStartOperation(fn), settings.window, options);
      const extra = cold?.calls
        ? [`${count(cold.calls)} cold ${cold.calls === 1 ? 'start' : 'starts'} (p50 ${formatMs(cold.p50Ms)})`]
        : [];
      const how = `Invocations of Lambda function ${fn.id} (${fn.handler ?? 'no Handler'}), declared in ${vscode.workspace.asRelativePath(fn.template)}:${fn.line}${handler ? `, handler ${handler.detail}` : ''}.`;
      out.push({
        line: inTemplate ? fn.line : handler!.line,
        label: `λ ${fn.id}`,
        comparison: c,
        noun: 'invocations',
        extra,
        how,
      });
    }
    return out.sort((a, b) => a.line - b.line);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const settings = readLensSettings();
    if (!settings.enabled || doc.uri.scheme !== 'file') return [];
    return this.targets(doc.uri.fsPath, settings).map((t) => {
      const c = t.comparison;
      const line = Math.min(Math.max(t.line - 1, 0), doc.lineCount - 1);
      const slowest = c.current.slowest[0];
      return new vscode.CodeLens(doc.lineAt(line).range, {
        title: lensTitle(c, settings, t.noun, t.extra),
        tooltip: `${c.current.service} · ${t.label}: ${this.windowText(settings)}, ${c.current.calls} ${t.noun} in ${c.current.traces} traces${c.current.exact ? '' : ' (percentiles within 0.5%)'}${slowest ? `. Click to open the slowest trace (${formatMs(slowest.durationMs)}).` : ''}`,
        command: slowest ? 'traceLens.openTrace' : '',
        arguments: slowest ? [{ traceId: slowest.traceId, spanId: slowest.spanId }] : [],
      });
    });
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const settings = readLensSettings();
    if (!settings.enabled || doc.uri.scheme !== 'file') return undefined;
    const target = this.targets(doc.uri.fsPath, settings).find((t) => t.line - 1 === pos.line);
    if (!target) return undefined;
    return new vscode.Hover(hoverMarkdown(target, settings, this.windowText(settings)), doc.lineAt(pos.line).range);
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

/** A small latency histogram as an SVG data URI, in colours that suit the current theme. */
export function histogramSvg(s: OperationSummary, dark: boolean): string {
  const { counts } = s.histogram;
  const max = Math.max(1, ...counts);
  const w = 240;
  const h = 48;
  const bw = w / Math.max(1, counts.length);
  const fill = dark ? '#4fc1ff' : '#0066b8';
  const axis = dark ? '#858585' : '#6e6e6e';
  const bars = counts
    .map(
      (n, i) =>
        `<rect x="${(i * bw).toFixed(1)}" y="${(h - (n / max) * (h - 2)).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${((n / max) * (h - 2)).toFixed(1)}" fill="${fill}"/>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + 1}">${bars}<line x1="0" y1="${h}" x2="${w}" y2="${h}" stroke="${axis}"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

function hoverMarkdown(target: LensTarget, settings: LensSettings, windowText: string): vscode.MarkdownString {
  const c = target.comparison;
  const s = c.current;
  const dark =
    vscode.window.activeColorTheme.kind !== vscode.ColorThemeKind.Light &&
    vscode.window.activeColorTheme.kind !== vscode.ColorThemeKind.HighContrastLight;
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['traceLens.openTrace'] };
  md.supportHtml = false;
  const esc = (t: string) => t.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (ch) => `\\${ch}`);
  md.appendMarkdown(
    `**${esc(s.service)} · ${esc(target.label)}** — ${esc(windowText)}, ${s.calls} ${target.noun} in ${s.traces} traces${s.fewSamples ? ' *(few samples: indicative only)*' : ''}\n\n`,
  );
  if (s.histogram.counts.length)
    md.appendMarkdown(
      `![latency distribution](${histogramSvg(s, dark)})\n\n${formatMs(s.histogram.edgesMs[0] ?? 0)} … ${formatMs(s.histogram.edgesMs[s.histogram.edgesMs.length - 1] ?? 0)}\n\n`,
    );
  md.appendMarkdown(
    `| p50 | p90 | p99 | max | self p50 |\n|---|---|---|---|---|\n| ${formatMs(s.p50Ms)} | ${formatMs(s.p90Ms)} | ${formatMs(s.p99Ms)} | ${formatMs(s.maxMs)} | ${formatMs(s.selfP50Ms)} |\n\n`,
  );
  if (c.regression)
    md.appendMarkdown(`$(arrow-up) **Worse than the previous ${settings.window}:** ${esc(c.regression.message)}\n\n`);
  else if (c.previous.calls)
    md.appendMarkdown(
      `Previous ${settings.window}: p50 ${formatMs(c.previous.p50Ms)}, p99 ${formatMs(c.previous.p99Ms)}, ${c.previous.calls} calls\n\n`,
    );
  if (s.errors + s.faults + s.throttles)
    md.appendMarkdown(`Errors ${s.errors} · faults ${s.faults} · throttles ${s.throttles}\n\n`);
  for (const e of s.exceptions.slice(0, 3))
    md.appendMarkdown(`- ${e.count}× ${esc(e.type ?? 'Error')}: ${esc(e.message.slice(0, 120))}\n`);
  const link = (label: string, traceId: string, spanId: string) =>
    `[${esc(label)}](command:traceLens.openTrace?${encodeURIComponent(JSON.stringify([{ traceId, spanId }]))})`;
  if (s.slowest.length)
    md.appendMarkdown(
      `\n**Slowest:** ${s.slowest
        .slice(0, 5)
        .map((t) => link(formatMs(t.durationMs), t.traceId, t.spanId))
        .join(' · ')}\n\n`,
    );
  if (s.failing.length)
    md.appendMarkdown(
      `**Failing:** ${s.failing
        .slice(0, 5)
        .map((t) =>
          link(
            `${t.fault ? 'fault' : t.throttle ? 'throttle' : 'error'} ${formatMs(t.durationMs)}`,
            t.traceId,
            t.spanId,
          ),
        )
        .join(' · ')}\n\n`,
    );
  if (target.extra.length) md.appendMarkdown(`${target.extra.map(esc).join(' · ')}\n\n`);
  md.appendMarkdown(`*${esc(target.how)}*`);
  return md;
}
