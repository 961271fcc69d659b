// Waterfall benchmarks in Chromium: first paint and scroll frame times of the built waterfall
// (dist/webview/traceView.js) for traces of 1,000, 10,000 and 100,000 spans, against a plain
// non-virtualized render of the same rows (bench/plainWaterfall.ts) measured in the same browser.
// Timings are taken inside the page with performance.now(), so the devtools round trips of
// playwright are not in them.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import type { Envelope } from '../src/protocol/rpc';
import { launchChromium } from '../test/harness/browser';
import { repoRoot } from '../test/harness/paths';
import { themes } from '../test/webview/fakeHost';
import { bigTrace, headSnapshotOf, snapshotOf } from '../test/webview/traces';

/** Prints one figure. */
type Emit = (figure: Record<string, unknown>) => void;

const sizes = [1000, 10_000, 100_000];
const runs = 5;
const scrollFrames = 120;
/** The baseline stops at the first size where a paint or the scroll run takes longer than this. */
const baselineLimitMs = 10_000;
const viewport = { width: 1300, height: 800 };
const targets = { 10_000: 100, 100_000: 300 } as Record<number, number>;
const frameBudgetMs = 16;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
/** Nearest-rank percentile, as everywhere else in Trace Lens. */
const percentile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)]!;
const round = (v: number): number => +v.toFixed(1);

/** What the page records: milliseconds from the start of delivery. */
interface PaintTimes {
  /** JSON.parse of the message as the host's transport delivers it. */
  parsed: number;
  /** The message event reached the page with its data deserialized (structured clone). */
  received?: number;
  /** The view's message handler returned (rows built, first render done). */
  handled?: number;
  /**
   * The first row painted: the Element Timing renderTime of its label, marked the moment it enters
   * the DOM. This is the frame that shows it, wherever the view drew it (in its message handler or
   * in a ResizeObserver callback, which runs after the frame's animation callbacks).
   */
  paint?: number;
  /** The older, coarser clock: rows seen by an animation frame callback, then two more frames. */
  doubleRaf?: number;
}

interface ScrollTimes {
  /** Main-thread time of each frame: scroll event to the end of the frame's rendering. */
  work: number[];
  /** rAF-to-rAF intervals. */
  intervals: number[];
  /** Frames after which a row of the scrolled-to position was in the DOM. */
  drawn: number;
  stoppedEarly: boolean;
}

/** The two pages: the waterfall bundle with a fake VS Code API, and the plain baseline. */
function writePages(dir: string, plainJs: string): { ours: string; plain: string } {
  const dist = join(repoRoot, 'dist', 'webview');
  const theme = `:root{${Object.entries(themes.dark)
    .map(([k, v]) => `--vscode-${k}:${v}`)
    .join(';')}}`;
  const page = (script: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><style>${theme}</style>
<link rel="stylesheet" href="${pathToFileURL(join(dist, 'traceView.css'))}">
<script>
  window.__sent = []; let state;
  // Registered before the view's own listener, so it sees the snapshot arrive before the view handles it.
  window.addEventListener('message', (e) => { const b = window.__bench; if (b && b.received === undefined) { void e.data; b.received = performance.now() - b.t0; } });
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__sent.push(JSON.parse(JSON.stringify(m))), getState: () => state, setState: (s) => { state = s; } });
</script></head><body><div id="app"></div><script src="${script}"></script></body></html>`;
  writeFileSync(
    join(dir, 'blank.html'),
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>',
  );
  const plainFile = join(dir, 'plainWaterfall.js');
  writeFileSync(plainFile, plainJs);
  const ours = join(dir, 'ours.html');
  const plain = join(dir, 'plain.html');
  writeFileSync(ours, page(pathToFileURL(join(dist, 'traceView.js')).href));
  writeFileSync(plain, page(pathToFileURL(plainFile).href));
  return { ours: pathToFileURL(ours).href, plain: pathToFileURL(plain).href };
}

/**
 * The script that delivers the snapshot. The host's message reaches a real webview as JSON that is
 * parsed and then structured-cloned into the frame, so the clock starts before JSON.parse and
 * includes postMessage's clone; the string literal itself is compiled before the clock starts.
 */
function deliveryScript(message: Envelope): string {
  return `(() => {
  const json = ${JSON.stringify(JSON.stringify(message))};
  const b = (window.__bench = { t0: performance.now() });
  const seen = () => {
    if (document.querySelector('.list .row')) requestAnimationFrame(() => requestAnimationFrame(() => (b.doubleRaf = performance.now() - b.t0)));
    else requestAnimationFrame(seen);
  };
  requestAnimationFrame(seen);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.identifier === 'first-row' && b.paint === undefined) b.paint = e.renderTime - b.t0;
  }).observe({ type: 'element', buffered: true });
  // Mutation callbacks run right after the script that inserted the row, before the frame paints it.
  const marker = new MutationObserver(() => {
    const label = document.querySelector('.list .row .label');
    if (!label || !label.textContent) return;
    label.setAttribute('elementtiming', 'first-row');
    marker.disconnect();
  });
  marker.observe(document.body, { childList: true, subtree: true, characterData: true });
  // Registered after the view's listener: runs once the view has handled the snapshot.
  window.addEventListener('message', () => (b.handled = performance.now() - b.t0), { once: true });
  const message = JSON.parse(json);
  b.parsed = performance.now() - b.t0;
  window.postMessage(message, '*');
})();`;
}

/**
 * The script that delivers the whole trace after a first screen (when the view asked for the rest):
 * its own clock, stopped two frames after the first screen's notice is gone and rows are drawn.
 */
function restScript(message: Envelope): string {
  return `(() => {
  const json = ${JSON.stringify(JSON.stringify(message))};
  const b = (window.__rest = { t0: performance.now() });
  const seen = () => {
    if (!document.querySelector('.loading-rest') && document.querySelector('.list .row')) requestAnimationFrame(() => requestAnimationFrame(() => (b.paint = performance.now() - b.t0)));
    else requestAnimationFrame(seen);
  };
  requestAnimationFrame(seen);
  window.postMessage(JSON.parse(json), '*');
})();`;
}

/**
 * The transport alone if the snapshot carried the trace as one JSON string: the same parse of the
 * message, a clone that copies one string, and the view's own JSON.parse of it. A comparison only:
 * the protocol sends the trace as an object.
 */
async function stringTransport(
  browser: Browser,
  dir: string,
  message: Envelope & { params: unknown },
): Promise<number> {
  const file = join(dir, 'string-transport.js');
  writeFileSync(
    file,
    `(() => {
  const json = ${JSON.stringify(JSON.stringify({ ...message, params: JSON.stringify(message.params) }))};
  const b = (window.__bench = { t0: performance.now() });
  window.addEventListener('message', (e) => { JSON.parse(e.data.params); b.done = performance.now() - b.t0; }, { once: true });
  window.postMessage(JSON.parse(json), '*');
})();`,
  );
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage({ viewport });
    await page.goto(pathToFileURL(join(dir, 'blank.html')).href);
    await page.addScriptTag({ url: pathToFileURL(file).href });
    await page.waitForFunction(
      () => (window as unknown as { __bench: { done?: number } }).__bench.done !== undefined,
      undefined,
      { timeout: 60_000, polling: 50 },
    );
    times.push(await page.evaluate(() => (window as unknown as { __bench: { done: number } }).__bench.done));
    await page.close();
  }
  rmSync(file);
  return median(times);
}

/** Opens a fresh page, delivers the snapshot and waits for its first painted frame (undefined past the limit). */
async function firstPaint(
  browser: Browser,
  url: string,
  script: string,
  limitMs: number,
): Promise<{ page: Page; times?: PaintTimes }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  // The waterfall asks for its snapshot first; the baseline listens from the start.
  if (url.endsWith('ours.html'))
    await page.waitForFunction(() => (window as unknown as { __sent: unknown[] }).__sent.length > 0);
  await page.addScriptTag({ url: script });
  try {
    await page.waitForFunction(
      () => (window as unknown as { __bench: PaintTimes }).__bench.paint !== undefined,
      undefined,
      { timeout: limitMs, polling: 50 },
    );
  } catch {
    return { page };
  }
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return { page, times: await page.evaluate(() => (window as unknown as { __bench: PaintTimes }).__bench) };
}

/**
 * Scrolls the list top to bottom in equal steps, one step a frame: every frame shows rows that
 * were not in view, the worst case for a virtualized list and for painting a plain one.
 */
function scroll(page: Page, limitMs: number): Promise<ScrollTimes> {
  return page.evaluate(
    async ({ frames, limitMs, rowHeight }) => {
      const list = document.querySelector<HTMLElement>('.list')!;
      const max = list.scrollHeight - list.clientHeight;
      const work: number[] = [];
      const intervals: number[] = [];
      let drawn = 0;
      // Capture on the document sees the list's scroll event before the list's own listeners.
      let scrolled: number | undefined;
      document.addEventListener('scroll', () => (scrolled ??= performance.now()), { capture: true });
      // A message posted during a frame's callbacks runs once the frame's style, layout and paint are done.
      const afterFrame = () =>
        new Promise<void>((resolve) => {
          const c = new MessageChannel();
          c.port1.onmessage = () => resolve();
          c.port2.postMessage(0);
        });
      const started = performance.now();
      let last: number | undefined;
      for (let k = 1; k <= frames; k++) {
        if (performance.now() - started > limitMs) return { work, intervals, drawn, stoppedEarly: true };
        scrolled = undefined;
        // Requested before the scroll, so it runs first in the frame that handles the scroll.
        const frame = new Promise<number>((resolve) => requestAnimationFrame(resolve));
        const top = Math.round((max * k) / frames);
        list.scrollTop = top;
        const ts = await frame;
        const t0 = scrolled ?? performance.now();
        await afterFrame();
        work.push(performance.now() - t0);
        if (last !== undefined) intervals.push(ts - last);
        last = ts;
        const want = Math.floor(list.scrollTop / rowHeight) + 1;
        if (list.querySelector(`.row[data-index="${want}"]`)) drawn++;
      }
      return { work, intervals, drawn, stoppedEarly: false };
    },
    { frames: scrollFrames, limitMs, rowHeight: 24 },
  );
}

interface Measured {
  paintMs?: number;
  doubleRafMs?: number;
  paintRunsMs: number[];
  parseMs?: number;
  /** Parse and structured clone: the snapshot's cost before any code of the view runs. */
  transportMs?: number;
  /** The view's message handler: flatten, header, first render. */
  handlerMs?: number;
  /** After a first screen: from delivering the whole trace to its rows painted. */
  wholeTraceMs?: number;
  scroll?: ScrollTimes;
  stopped?: string;
}

/** After a first screen, waits for the view's `rest` request, delivers the whole trace and times its paint. */
async function wholeTrace(page: Page, rest: string, limitMs: number): Promise<number> {
  await page.waitForFunction(
    () => (window as unknown as { __sent: { method?: string }[] }).__sent.some((m) => m.method === 'traceView/rest'),
    undefined,
    { timeout: limitMs, polling: 20 },
  );
  await page.addScriptTag({ url: rest });
  await page.waitForFunction(
    () => (window as unknown as { __rest: { paint?: number } }).__rest.paint !== undefined,
    undefined,
    { timeout: limitMs, polling: 50 },
  );
  return page.evaluate(() => (window as unknown as { __rest: { paint: number } }).__rest.paint);
}

/** Medians of fresh-page first paints (and, after a first screen, of the whole trace's), then one scroll run in the last page. */
async function measure(
  browser: Browser,
  url: string,
  script: string,
  limitMs: number,
  rest?: string,
): Promise<Measured> {
  const all: PaintTimes[] = [];
  const whole: number[] = [];
  let lastPage: Page | undefined;
  for (let r = 0; r < runs; r++) {
    await lastPage?.close();
    const { page, times } = await firstPaint(browser, url, script, limitMs);
    lastPage = page;
    if (!times) {
      await page.close();
      return {
        paintRunsMs: all.map((t) => round(t.paint!)),
        stopped: `first paint took over ${limitMs / 1000} s (run ${r + 1})`,
      };
    }
    all.push(times);
    if (rest) whole.push(await wholeTrace(page, rest, limitMs));
  }
  const scrollTimes = await scroll(lastPage!, limitMs);
  await lastPage!.close();
  return {
    paintMs: median(all.map((t) => t.paint!)),
    paintRunsMs: all.map((t) => round(t.paint!)),
    ...(all.every((t) => t.doubleRaf !== undefined) ? { doubleRafMs: median(all.map((t) => t.doubleRaf!)) } : {}),
    parseMs: median(all.map((t) => t.parsed)),
    transportMs: median(all.map((t) => t.received!)),
    handlerMs: median(all.map((t) => t.handled! - t.received!)),
    ...(whole.length ? { wholeTraceMs: median(whole) } : {}),
    scroll: scrollTimes,
    ...(scrollTimes.stoppedEarly
      ? { stopped: `scrolling took over ${limitMs / 1000} s (${scrollTimes.work.length} of ${scrollFrames} frames)` }
      : {}),
  };
}

const scrollFigures = (prefix: string, s: ScrollTimes | undefined): Record<string, unknown> =>
  s && s.work.length
    ? {
        [`${prefix}ScrollFrameP50Ms`]: round(percentile(s.work, 0.5)),
        [`${prefix}ScrollFrameP95Ms`]: round(percentile(s.work, 0.95)),
        [`${prefix}ScrollFrameMaxMs`]: round(Math.max(...s.work)),
        [`${prefix}RafIntervalP95Ms`]: s.intervals.length ? round(percentile(s.intervals, 0.95)) : null,
        [`${prefix}FramesWithRowsInView`]: `${s.drawn} of ${s.work.length}`,
      }
    : {};

/** Emits one figure per trace size: our first paint and scroll frames, and the baseline's. */
export async function benchWaterfall(emit: Emit): Promise<void> {
  const dir = join(repoRoot, 'test-output', 'bench-webview');
  mkdirSync(dir, { recursive: true });
  const built = await esbuild.build({
    entryPoints: [join(repoRoot, 'bench', 'plainWaterfall.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const pages = writePages(dir, built.outputFiles[0]!.text);
  const browser = await launchChromium();
  let baselineStopped: string | undefined;
  try {
    for (const n of sizes) {
      const trace = bigTrace(n);
      const message = snapshotOf(trace);
      // As the host sends it: a huge trace's first screen, then the whole trace when the view asks.
      const head = headSnapshotOf(trace);
      const scriptFile = join(dir, `snapshot-${n}.js`);
      const script = deliveryScript(message);
      writeFileSync(scriptFile, script);
      const url = pathToFileURL(scriptFile).href;
      const headFile = join(dir, `head-${n}.js`);
      const restFile = join(dir, `rest-${n}.js`);
      if (head) {
        writeFileSync(headFile, deliveryScript(head));
        writeFileSync(restFile, restScript(message));
      }
      const ours = head
        ? await measure(browser, pages.ours, pathToFileURL(headFile).href, 60_000, pathToFileURL(restFile).href)
        : await measure(browser, pages.ours, url, 60_000);
      const plain = baselineStopped ? undefined : await measure(browser, pages.plain, url, baselineLimitMs);
      if (head) {
        rmSync(headFile);
        rmSync(restFile);
      }
      const asString = await stringTransport(browser, dir, message as Envelope & { params: unknown });
      if (plain?.stopped) baselineStopped = `${plain.stopped} at ${n} spans`;
      rmSync(scriptFile);
      const paintTarget = targets[n];
      const oursScrollP95 = ours.scroll?.work.length ? percentile(ours.scroll.work, 0.95) : Infinity;
      const paintMet = paintTarget === undefined || (ours.paintMs ?? Infinity) < paintTarget;
      const opt = (v: number | undefined) => (v === undefined ? null : round(v));
      emit({
        figure: 'waterfall first paint and scroll in Chromium vs a plain non-virtualized render',
        spans: n,
        messageMB: +(script.length / 1e6).toFixed(1),
        runs,
        oursFirstPaintMs: opt(ours.paintMs),
        oursFirstScreen: head
          ? `the first ${(head as { params: { partial: { shownSpans: number } } }).params.partial.shownSpans} rows, then the whole trace when the view asks`
          : 'the whole trace',
        oursWholeTraceMs: opt(ours.wholeTraceMs),
        oursFirstPaintRunsMs: ours.paintRunsMs,
        oursRowsSeenPlusTwoFramesMs: opt(ours.doubleRafMs),
        oursJsonParseMs: opt(ours.parseMs),
        oursParseAndCloneMs: opt(ours.transportMs),
        oursHandlerMs: opt(ours.handlerMs),
        traceAsJsonStringParseAndCloneMs: round(asString),
        oursViewMs:
          ours.paintMs === undefined || ours.transportMs === undefined ? null : round(ours.paintMs - ours.transportMs),
        ...scrollFigures('ours', ours.scroll),
        baselineFirstPaintMs: plain?.paintMs === undefined ? null : round(plain.paintMs),
        baselineFirstPaintRunsMs: plain?.paintRunsMs ?? [],
        baselineRowsSeenPlusTwoFramesMs: opt(plain?.doubleRafMs),
        ...scrollFigures('baseline', plain?.scroll),
        ...(plain?.stopped || (!plain && baselineStopped)
          ? { baselineStopped: plain?.stopped ?? `not run: ${baselineStopped}` }
          : {}),
        firstPaintRatio:
          plain?.paintMs !== undefined && ours.paintMs ? +(plain.paintMs / ours.paintMs).toFixed(2) : null,
        target: 'first paint < 100 ms at 10k, < 300 ms at 100k; scroll frames < 16 ms',
        meetsTarget: paintMet && oursScrollP95 < frameBudgetMs,
        ...(paintTarget !== undefined && !paintMet && (ours.transportMs ?? 0) >= paintTarget
          ? {
              missedBecause: `parsing and cloning the snapshot message alone takes ${round(ours.transportMs!)} ms, before the view runs`,
            }
          : {}),
        note: 'noisy: shared 2-core machine. First paint: median of fresh pages, from JSON.parse of the message (as the host transport delivers it) through its structured clone to the Element Timing renderTime of the first row (RowsSeenPlusTwoFrames: the older clock, an animation frame that sees rows plus two frames, late by a frame when rows are drawn in a ResizeObserver callback); oursViewMs is the part after the message arrived. Scroll frames: main-thread time from the scroll event to the end of the frame, 120 frames top to bottom, p95 against the target',
      });
    }
  } finally {
    await browser.close();
  }
}
