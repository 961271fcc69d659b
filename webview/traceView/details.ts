// The details panel of the selected span: timing, http, aws, sql, annotations, metadata (a
// collapsible tree), exceptions with frames as links, and Go to Code. Every string is text.
import type { Span } from '../../src/model/trace';
import { button, el } from '../shared/controls';
import { ms, outcome } from './rows';

/** What the panel can ask the host for. */
export interface DetailsActions {
  goToCode(span: Span): Promise<string>;
  goToFrame(span: Span, exception: number, frame: number): Promise<string>;
  /** Selects another span of the trace (where a cause points). */
  selectSpan?(id: string): void;
  /** Why an exception frame cannot lead to the project's code, if it cannot. */
  unresolvable?(span: Span, exception: number, frame: number): string | undefined;
}

function section(title: string): HTMLElement {
  const s = el('section', 'section');
  s.append(el('h3', '', title));
  return s;
}

function table(entries: [string, unknown][]): HTMLElement {
  const t = el('table', 'kv');
  for (const [k, v] of entries) {
    if (v === undefined || v === null || v === '') continue;
    const tr = el('tr');
    tr.append(el('th', '', k), el('td', '', typeof v === 'string' ? v : JSON.stringify(v)));
    t.append(tr);
  }
  return t;
}

/** A collapsible tree of any JSON value; objects fold, everything is text. */
export function jsonTree(value: unknown, label: string, open = false, depth = 0): HTMLElement {
  if (value === null || typeof value !== 'object' || depth > 12) {
    const line = el('div', 'leaf');
    line.append(
      el('span', 'key', `${label}: `),
      el(
        'span',
        `val ${value === null ? 'null' : typeof value}`,
        typeof value === 'string' ? JSON.stringify(value) : String(value),
      ),
    );
    return line;
  }
  const d = el('details', 'node');
  d.open = open;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  d.append(el('summary', '', `${label} ${Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}`));
  for (const [k, v] of entries.slice(0, 500)) d.append(jsonTree(v, k, false, depth + 1));
  if (entries.length > 500) d.append(el('div', 'leaf', `… ${entries.length - 500} more`));
  return d;
}

/** Renders the details of span into root; t0 is the trace's start (epoch seconds). */
export function renderDetails(
  root: HTMLElement,
  span: Span,
  service: string,
  t0: number,
  actions: DetailsActions,
  selfTimeMs?: number,
): void {
  root.replaceChildren();
  const head = el('div', 'details-head');
  head.append(
    el('span', `dot ${outcome(span)}`),
    el('h2', '', span.otelName && span.otelName !== span.name ? `${span.name} · ${span.otelName}` : span.name),
  );
  const status = el('div', 'status', '');
  const go = button(
    'Go to Code',
    'Open the code of this span (Enter)',
    () => {
      status.textContent = 'Locating…';
      void actions.goToCode(span).then((how) => (status.textContent = how));
    },
    false,
  );
  go.classList.add('go');
  root.append(head, go, status);

  const dur = span.endTime === undefined ? undefined : (span.endTime - span.startTime) * 1000;
  const timing = section('Timing');
  timing.append(
    table([
      ['service', service],
      [
        'type',
        span.type + (span.spanKind ? ` (${span.spanKind})` : '') + (span.namespace ? ` · ${span.namespace}` : ''),
      ],
      ['start', `+${ms((span.startTime - t0) * 1000)}  (${new Date(span.startTime * 1000).toISOString()})`],
      ['duration', dur === undefined ? 'in progress' : ms(dur)],
      // Outside its children (their union, clipped to it): where the span itself spent its time.
      [
        'self time',
        selfTimeMs === undefined || dur === undefined
          ? undefined
          : `${ms(selfTimeMs)} (${dur > 0 ? Math.round((selfTimeMs / dur) * 100) : 100}%)`,
      ],
      [
        'status',
        [span.fault && 'fault', span.error && 'error', span.throttle && 'throttle'].filter(Boolean).join(', ') || 'ok',
      ],
      ['flags', span.flags.join(', ')],
      ['id', span.id],
      ['origin', span.origin],
      ['user', span.user],
      ['resource ARN', span.resourceArn],
    ]),
  );
  root.append(timing);
  if (span.http) {
    const s = section('HTTP');
    s.append(
      table([
        ['method', span.http.request?.method],
        ['url', span.http.request?.url],
        ['status', span.http.response?.status],
        ['user agent', span.http.request?.userAgent],
        ['client ip', span.http.request?.clientIp],
      ]),
    );
    root.append(s);
  }
  if (span.sql) {
    const s = section('SQL');
    s.append(table(Object.entries(span.sql)));
    root.append(s);
  }
  if (span.aws && Object.keys(span.aws).length) {
    const s = section('AWS');
    s.append(jsonTree(span.aws, 'aws', true));
    root.append(s);
  }
  if (Object.keys(span.annotations).length) {
    const s = section('Annotations');
    s.append(table(Object.entries(span.annotations)));
    root.append(s);
  }
  if (span.attributes && Object.keys(span.attributes).length) {
    const s = section('Attributes');
    s.append(jsonTree(span.attributes, 'attributes', true));
    root.append(s);
  }
  const meta = Object.entries(span.metadata).filter(([k]) => k !== 'otel');
  if (meta.length) {
    const s = section('Metadata');
    for (const [ns, v] of meta) s.append(jsonTree(v, ns, false));
    root.append(s);
  }
  const exceptions = span.cause?.exceptions ?? [];
  if (exceptions.length || span.cause?.exceptionId) {
    const s = section('Exceptions');
    if (!exceptions.length) {
      const line = el('div', 'muted', 'The exception is recorded on ');
      const a = el('a', 'jump', `span ${span.cause!.exceptionId}`);
      a.href = '#';
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        actions.selectSpan?.(span.cause!.exceptionId!);
      });
      line.append(a);
      s.append(line);
    }
    exceptions.forEach((e, ei) => {
      const box = el('div', 'exception');
      box.append(el('div', 'exc-title', `${e.type ?? 'Error'}: ${e.message ?? ''}`));
      const list = el('ol', 'frames');
      e.stack.forEach((f, fi) => {
        const li = el('li');
        const text = `${f.label ?? '(anonymous)'}  ${f.path ?? '?'}${f.line !== undefined ? `:${f.line}` : ''}`;
        const why = actions.unresolvable?.(span, ei, fi);
        if (why) {
          // Shown, not dropped, and not a link: it leads to no file of the project.
          const frame = el('span', 'frame unresolvable', text);
          frame.title = `Not the project's code: ${why}`;
          li.append(frame, el('span', 'why', ` (${why})`));
          list.append(li);
          return;
        }
        const a = el('a', 'frame', text);
        a.href = '#';
        a.title = 'Go to this frame\u2019s code';
        a.addEventListener('click', (ev) => {
          ev.preventDefault();
          status.textContent = 'Locating frame…';
          void actions.goToFrame(span, ei, fi).then((how) => (status.textContent = how));
        });
        li.append(a);
        list.append(li);
      });
      box.append(list);
      if (e.truncated) box.append(el('div', 'muted', `${e.truncated} frames truncated by the SDK`));
      s.append(box);
    });
    root.append(s);
  }
}
