// The compare bundle in Chromium with a fake host: two recorded checkouts of the same request (the
// slow one given an extra, throttled payment retry), aligned rows and deltas, the filter, the
// keyboard, the summary, themes, virtualization, and trace strings that must stay text.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { compareTraces } from '../../src/analysis/compareTraces';
import { assembleTrace } from '../../src/model/assemble';
import { Repairs } from '../../src/model/repairs';
import { parseSegmentDocument } from '../../src/model/segmentDocument';
import type { Trace } from '../../src/model/trace';
import type { CompareSnapshot } from '../../src/protocol/compareView';
import type { Envelope } from '../../src/protocol/rpc';
import { repoRoot } from '../harness/paths';
import { xrayDocuments, type RecordedDoc } from '../unit/fixtures';
import { closeBrowser, openWebview, themes, type FakeHostPage } from './fakeHost';

const shots = join(repoRoot, 'test-output');
const normalId = '1-6b02651a-e9280e72ab26766a17d47c3a';
const slowId = '1-6b02651b-dd3fd9ed5475faa0d5887013';

function assemble(docs: RecordedDoc[]): Trace {
  const spans = docs.map((d) => parseSegmentDocument(d, new Repairs())!);
  return assembleTrace(spans[0]!.traceId, spans);
}

/** The recorded trace's documents, latest version of each. */
const docsOf = (id: string) => xrayDocuments().filter((d) => d.trace_id === id && !d.in_progress);

/** The slow checkout with its gateway call split in two: a throttled first attempt, then a retry. */
function slowWithRetry(): Trace {
  const docs = docsOf(slowId);
  const orders = docs.find((d) => d.name === 'orders')!;
  const charge = orders.subsegments!.find((s) => s.name === 'chargePayment')!;
  const first = charge.subsegments![0]!;
  const end = first.end_time!;
  const retry = {
    ...(JSON.parse(JSON.stringify(first)) as RecordedDoc),
    id: 'feedfacecafe0001',
    start_time: first.start_time! + 0.162,
    end_time: end,
  };
  Object.assign(first, { end_time: first.start_time! + 0.15, throttle: true, error: true });
  charge.subsegments!.push(retry);
  return assemble(docs);
}

function snapshotOf(a: Trace, b: Trace): CompareSnapshot {
  const c = compareTraces(a, b);
  const side = (t: Trace) => ({
    traceId: t.id,
    label: 'Local X-Ray',
    title: t.root?.name ?? 'trace',
    durationMs: t.durationMs,
    startTime: t.startTime,
  });
  return { a: side(a), b: side(b), rows: c.rows, summary: c.summary };
}

const envelope = (snap: CompareSnapshot): Envelope => ({
  rpc: 1,
  type: 'notification',
  method: 'compareView/snapshot',
  params: JSON.parse(JSON.stringify(snap)),
});
const requests = async (view: FakeHostPage, method: string) =>
  (await view.sent()).filter(
    (m): m is Extract<Envelope, { type: 'request' }> => m.type === 'request' && m.method === method,
  );

/** A one-service trace of n spans: items under the root, queries under each item. */
function bigTrace(n: number, id: string, slowEvery: number): Trace {
  const t0 = 1_795_000_000;
  const subs: Record<string, unknown>[] = [];
  let made = 1;
  for (let i = 0; made < n; i++) {
    const kids = [];
    for (let k = 0; k < 9 && made + 1 < n; k++, made++)
      kids.push({
        id: `${id}k${i}-${k}`,
        name: `query-${k}`,
        start_time: t0 + i * 0.01 + k * 0.001,
        end_time: t0 + i * 0.01 + k * 0.001 + (i % slowEvery === 0 ? 0.003 : 0.0008),
      });
    subs.push({
      id: `${id}s${i}`,
      name: `item-${i % 40}`,
      start_time: t0 + i * 0.01,
      end_time: t0 + i * 0.01 + 0.009,
      subsegments: kids,
    });
    made++;
  }
  const root = parseSegmentDocument(
    {
      trace_id: `1-6b000000-0000000000000000000000${id}`,
      id: `${id}root`,
      name: 'api',
      start_time: t0,
      end_time: t0 + subs.length * 0.01 + 0.01,
      subsegments: subs,
    },
    new Repairs(),
  )!;
  return assembleTrace(root.traceId, [root]);
}

describe('compare view webview (Chromium, fake host)', function () {
  this.timeout(120_000);
  let view: FakeHostPage;
  const normal = assemble(docsOf(normalId));
  const slow = slowWithRetry();
  const snap = snapshotOf(normal, slow);
  const indexOf = (name: string, occurrence = 0) =>
    snap.rows.findIndex((r) => r.name === name && r.occurrence === occurrence);
  const retry = indexOf('PaymentGateway.authorize', 1);

  after(closeBrowser);
  afterEach(async () => view?.close());

  it('says it is ready, then draws the aligned rows with their deltas, the added retry and the dropped item marked', async () => {
    view = await openWebview('compareView', { width: 1400, height: 700 });
    assert.deepEqual(
      (await view.sent()).map((m) => ('method' in m ? m.method : m.type)),
      ['compareView/ready'],
    );
    await view.deliver(envelope(snap));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    assert.equal(await page.locator('.row').count(), snap.rows.length, 'a small comparison has all its rows');
    assert.equal(await page.locator('.total-delta').textContent(), '+328 ms');
    assert.match((await page.locator('.header').textContent()) ?? '', new RegExp(`${normalId}.*${slowId}`));

    const row = (i: number) => page.locator(`.row[data-index="${i}"]`);
    assert.ok(retry > 0);
    assert.match((await row(retry).getAttribute('class')) ?? '', /\badded\b/);
    assert.equal(await row(retry).locator('.mark').textContent(), '+');
    assert.equal(await row(retry).locator('.occurrence').textContent(), '#2');
    assert.equal(await row(retry).locator('.lane-a').getAttribute('class'), 'lane lane-a absent');
    const dropped = row(indexOf('price-item-2'));
    assert.match((await dropped.getAttribute('class')) ?? '', /\bremoved\b/);
    assert.equal(await dropped.locator('.mark').textContent(), '\u2212');
    const first = row(indexOf('PaymentGateway.authorize'));
    assert.match((await first.getAttribute('class')) ?? '', /\bslower\b/);
    assert.equal(await first.locator('.delta-ms').textContent(), '+103 ms');
    assert.equal(await first.locator('.badge').textContent(), 'ok → throttle');
    // A call that took the same time is not coloured.
    assert.match((await row(indexOf('price-item-1')).getAttribute('class')) ?? '', /\bsame\b/);
    // The retry leads "what changed", then the attempt that got slower.
    const items = await page.locator('.contributor .c-name').allTextContents();
    assert.deepEqual(items.slice(0, 2), ['PaymentGateway.authorize #2', 'PaymentGateway.authorize']);
    // The first contributor starts selected, so the answer is on screen at once.
    assert.equal(await page.locator('.row.selected').getAttribute('data-index'), String(retry));

    await view.theme('dark');
    await page.screenshot({ path: join(shots, 'compare-dark.png') });
    await view.theme('light');
    await page.screenshot({ path: join(shots, 'compare-light.png') });
  });

  it('keeps only the differences (and their ancestors) when asked', async () => {
    view = await openWebview('compareView');
    await view.deliver(envelope(snap));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    await page.locator('.tools vscode-checkbox').click();
    await page.waitForFunction((n) => document.querySelectorAll('.row').length < n, snap.rows.length);
    const shown = (
      await page.locator('.row').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.index)))
    ).sort((x, y) => x - y);
    for (const i of shown) {
      const r = snap.rows[i]!;
      const hasChangedDescendant = snap.rows.slice(i + 1, r.end + 1).some((d) => d.changed);
      assert.ok(r.changed || hasChangedDescendant, `${r.name} is shown without a difference`);
    }
    assert.ok(shown.includes(retry));
    assert.ok(!shown.includes(indexOf('price-item-1')), 'an unchanged leaf is hidden');
    assert.match(
      (await page.locator('.axis-name').textContent()) ?? '',
      new RegExp(`^${shown.length} of ${snap.rows.length} spans`),
    );
    await page.locator('.tools vscode-checkbox').click();
    await page.waitForFunction((n) => document.querySelectorAll('.row').length === n, snap.rows.length);
  });

  it('moves with the keyboard, jumps between differences, and asks for Go to Code on either side', async () => {
    view = await openWebview('compareView');
    await view.deliver(envelope(snap));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    await page.locator('.list').focus();
    await page.keyboard.press('Home');
    assert.equal(await page.locator('.row.selected').getAttribute('data-index'), '0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('.row.selected').getAttribute('data-index'), '2');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('.row.selected').getAttribute('data-index'), String(snap.rows[2]!.parent));
    // The focus is visible: the list has an outline while the keyboard is on it.
    assert.notEqual(await page.locator('.list').evaluate((e) => getComputedStyle(e).outlineStyle), 'none');
    await page.keyboard.press('n');
    const next = Number(await page.locator('.row.selected').getAttribute('data-index'));
    assert.ok(snap.rows[next]!.changed && next > snap.rows[2]!.parent);
    await page.keyboard.press('Shift+N');
    await page.keyboard.press('End');
    assert.equal(await page.locator('.row.selected').getAttribute('data-index'), String(snap.rows.length - 1));

    // Enter asks for B's span; the footer's A button for A's.
    const auth = indexOf('PaymentGateway.authorize');
    await page.locator(`.row[data-index="${auth}"]`).click();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      (window as unknown as { __sent: { method?: string }[] }).__sent.some((m) => m.method === 'compareView/goToCode'),
    );
    const [req] = await requests(view, 'compareView/goToCode');
    assert.deepEqual(req!.params, { side: 'b', spanId: snap.rows[auth]!.b!.spanId });
    await view.deliver({
      rpc: 1,
      type: 'response',
      id: req!.id,
      result: { opened: true, how: 'instrumentation site' },
    });
    await page.locator('.footer .status', { hasText: 'Opened via instrumentation site' }).waitFor();
    await page.locator('.footer .side-a vscode-button').click();
    await page.waitForFunction(
      () =>
        (window as unknown as { __sent: { method?: string }[] }).__sent.filter(
          (m) => m.method === 'compareView/goToCode',
        ).length === 2,
    );
    assert.deepEqual((await requests(view, 'compareView/goToCode'))[1]!.params, {
      side: 'a',
      spanId: snap.rows[auth]!.a!.spanId,
    });
    await page.locator('.side-b vscode-button', { hasText: 'Open B' }).click();
    await page.waitForFunction(() =>
      (window as unknown as { __sent: { method?: string }[] }).__sent.some((m) => m.method === 'compareView/openTrace'),
    );
    assert.deepEqual((await requests(view, 'compareView/openTrace'))[0]!.params, { side: 'b' });
  });

  it('a "what changed" entry scrolls to its row and selects it, even behind the filter', async () => {
    view = await openWebview('compareView', { width: 1300, height: 420 });
    const big = snapshotOf(bigTrace(3000, 'aa', 1e9), bigTrace(3000, 'bb', 37));
    await view.deliver(envelope(big));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    const target = big.summary.contributors.at(-1)!.row;
    assert.ok(target > 100, 'a row far below the fold');
    await page
      .locator('.contributor')
      .nth(big.summary.contributors.length - 1)
      .click();
    await page.locator(`.row.selected[data-index="${target}"]`).waitFor();
    assert.ok(await page.locator(`.row[data-index="${target}"]`).isVisible());
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'list');
    assert.equal(
      await page.locator('.footer .path').textContent(),
      `api › ${big.rows[big.rows[target]!.parent]!.name} › ${big.rows[target]!.name}`,
    );
  });

  it('virtualizes: 20,000 aligned rows keep only the rows in view in the DOM, and scroll', async () => {
    view = await openWebview('compareView');
    await view.deliver(envelope(snapshotOf(bigTrace(20_000, 'cc', 1e9), bigTrace(20_000, 'dd', 97))));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    const rows = await page.locator('.row').count();
    assert.ok(rows > 10 && rows < 80, `${rows} rows in the DOM`);
    await page.locator('.list').evaluate((e) => (e.scrollTop = 24 * 10_000));
    await page.waitForTimeout(100);
    const first = await page
      .locator('.row')
      .evaluateAll((els) => Math.min(...els.map((e) => Number((e as HTMLElement).dataset.index))));
    assert.ok(first > 9_900, `rows near the middle are drawn (first ${first})`);
  });

  it('follows the theme through --vscode-* variables', async () => {
    view = await openWebview('compareView');
    await view.deliver(envelope(snap));
    const { page } = view;
    await page.locator('.row.slower .delta-ms').first().waitFor();
    const colour = () =>
      page
        .locator('.row.slower .delta-ms')
        .first()
        .evaluate((e) => getComputedStyle(e).color);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const hex = (c: string) => `rgb(${[1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).join(', ')})`;
    await view.theme('dark');
    assert.equal(await colour(), hex(themes.dark.errorForeground));
    assert.equal(await background(), hex(themes.dark['editor-background']));
    await view.theme('light');
    assert.equal(await colour(), hex(themes.light.errorForeground));
    assert.equal(await background(), hex(themes.light['editor-background']));
  });

  it('shows every string from a trace as text: nothing in span names runs', async () => {
    view = await openWebview('compareView');
    const evil = '<img src=x onerror="window.__pwned=1">';
    const closer = '</script><script>window.__pwned=2</script>';
    const doc = (id: string, slow: number, extra: boolean) => ({
      trace_id: `1-6b000000-0000000000000000000000${id}`,
      id: `${id}01`,
      name: evil,
      start_time: 1_795_000_000,
      end_time: 1_795_000_001,
      subsegments: [
        { id: `${id}02`, name: closer, start_time: 1_795_000_000.1, end_time: 1_795_000_000.1 + slow },
        ...(extra
          ? [
              {
                id: `${id}03`,
                name: 'javascript:window.__pwned=3',
                start_time: 1_795_000_000.6,
                end_time: 1_795_000_000.7,
              },
            ]
          : []),
      ],
    });
    const t = (d: ReturnType<typeof doc>) => assembleTrace(d.trace_id, [parseSegmentDocument(d, new Repairs())!]);
    await view.deliver(envelope(snapshotOf(t(doc('e1', 0.1, false)), t(doc('e2', 0.4, true)))));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    for (const c of await page.locator('.contributor').all()) await c.click();
    await page.locator('.list').focus();
    await page.keyboard.press('Home');
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('#app script').count(), 0);
    const labels = await page.locator('.row .label').allTextContents();
    assert.ok(labels.includes(evil) && labels.includes(closer));
    assert.ok((await page.locator('.footer .path').textContent())!.startsWith(evil));
  });
});
