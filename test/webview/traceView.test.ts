// The waterfall bundle in Chromium with a fake host: layout, virtualization, critical path,
// search, keyboard, Go to Code requests, themes, and trace strings that must stay text.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { assembleTrace, assembleTraces, forEachSpan } from '../../src/model/assemble';
import { splitDatagram } from '../../src/model/datagram';
import { Repairs } from '../../src/model/repairs';
import { parseSegmentDocument, parseSegmentJson } from '../../src/model/segmentDocument';
import type { Span, Trace } from '../../src/model/trace';
import type { Envelope } from '../../src/protocol/rpc';
import { selfTimeMs } from '../../src/model/selfTime';
import { childrenIndex } from '../../src/model/traceTree';
import { ms } from '../../webview/traceView/rows';
import { repoRoot } from '../harness/paths';
import { xrayDatagrams } from '../unit/fixtures';
import { closeBrowser, openWebview, themes, type FakeHostPage } from './fakeHost';
import { bigTrace, headSnapshotOf, snapshotOf } from './traces';

const shots = join(repoRoot, 'test-output');

function fixtureTraces(): Trace[] {
  const spans = xrayDatagrams().map((d) =>
    parseSegmentJson((splitDatagram(d) as { document: string }).document, new Repairs())!,
  );
  return assembleTraces(spans);
}

describe('trace waterfall webview (Chromium, fake host)', function () {
  this.timeout(120_000);
  let view: FakeHostPage;
  const traces = fixtureTraces();
  const failing = traces.find(
    (t) => t.segments.some((s) => s.name === 'inventory' && s.fault) && t.segments.some((s) => s.name === 'orders'),
  )!;

  after(closeBrowser);
  afterEach(async () => view?.close());

  it('says it is ready, then draws the rows of the snapshot with the critical path marked', async () => {
    view = await openWebview('traceView');
    assert.deepEqual(
      (await view.sent()).map((m) => ('method' in m ? m.method : m.type)),
      ['traceView/ready'],
    );
    await view.deliver(snapshotOf(failing));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    let n = 0;
    forEachSpan(failing, () => n++);
    assert.equal(await page.locator('.row').count(), n, 'a small trace has all its rows');
    assert.ok((await page.locator('.row.critical').count()) >= 3);
    assert.match(
      (await page.locator('.header .sub').textContent()) ?? '',
      new RegExp(`${failing.id} .* ${n} spans · 2 services`),
    );
    // The minimap's canvas is drawn again in the new theme's colours (ok: charts-green).
    const minimapHas = (hex: string) =>
      page.locator('.minimap canvas').evaluate(
        (c, [r, g, b]) => {
          const { data } = (c as HTMLCanvasElement)
            .getContext('2d')!
            .getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height);
          for (let i = 0; i < data.length; i += 4)
            if (Math.abs(data[i]! - r!) < 3 && Math.abs(data[i + 1]! - g!) < 3 && Math.abs(data[i + 2]! - b!) < 3)
              return true;
          return false;
        },
        [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)),
      );
    await view.theme('dark');
    assert.ok(await minimapHas(themes.dark['charts-green']), 'dark minimap');
    await page.screenshot({ path: join(shots, 'webview-trace-dark.png') });
    await view.theme('light');
    assert.ok(await minimapHas(themes.light['charts-green']), 'light minimap');
    assert.ok(!(await minimapHas(themes.dark['charts-green'])), 'no dark green left');
    await page.screenshot({ path: join(shots, 'webview-trace-light.png') });
  });

  it('virtualizes: a 100,000-span trace keeps only the rows in view in the DOM, and scrolls', async () => {
    view = await openWebview('traceView');
    const big = bigTrace(100_000);
    await view.deliver(snapshotOf(big));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    const rows = await page.locator('.row').count();
    assert.ok(rows > 10 && rows < 120, `${rows} rows in the DOM`);
    assert.match((await page.locator('.axis-name').textContent()) ?? '', /100000 of 100000 spans/);
    await page.locator('.list').evaluate((e) => (e.scrollTop = 24 * 50_000));
    await page.waitForTimeout(100);
    const first = await page
      .locator('.row')
      .evaluateAll((els) => Math.min(...els.map((e) => Number((e as HTMLElement).dataset.index))));
    assert.ok(first > 49_000, `rows near the middle are drawn (first ${first})`);
  });

  it('paints a huge trace’s first screen, asks for the rest, and keeps the selection when the whole trace arrives', async () => {
    view = await openWebview('traceView');
    const big = bigTrace(20_000);
    const head = headSnapshotOf(big)!;
    assert.ok(head, 'a 20,000-span trace is sent head first');
    await view.deliver(head);
    const { page } = view;
    await page.locator('.loading-rest', { hasText: /first 200 of 20,000 spans/ }).waitFor();
    // Once the first screen is painted (the view asks for the rest then), select a row by its name:
    // one near the top, as a row scrolled into view for the click would be redrawn under the pointer.
    await page.waitForFunction(() =>
      (window as unknown as { __sent: { method?: string }[] }).__sent.some((m) => m.method === 'traceView/rest'),
    );
    await page
      .locator('.row')
      .filter({ has: page.locator('.label', { hasText: /^item-1$/ }) })
      .first()
      .click();
    await page.locator('.details h2', { hasText: /^item-1$/ }).waitFor();
    await view.deliver(snapshotOf(big));
    await page.locator('.axis-name', { hasText: /20000 of 20000 spans/ }).waitFor();
    assert.equal(await page.locator('.loading-rest').count(), 0);
    // The selection survives the swap (the details may draw a frame later).
    await page.locator('.details h2', { hasText: /^item-1$/ }).waitFor({ timeout: 5000 });
    assert.match((await page.locator('h1').textContent()) ?? '', /api/, 'the root is found by id');
  });

  it('searches by name, annotation and id, with next and previous', async () => {
    view = await openWebview('traceView');
    await view.deliver(snapshotOf(failing));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    await page.locator('vscode-textfield input').fill('warehouse');
    await page.locator('.search-info', { hasText: /1 of \d+/ }).waitFor();
    const total = Number(/of (\d+)/.exec((await page.locator('.search-info').textContent())!)![1]);
    assert.ok(total >= 1);
    assert.equal(await page.locator('.row.match').count(), total);
    await page.locator('vscode-textfield input').press('Enter');
    if (total > 1) await page.locator('.search-info', { hasText: /^2 of/ }).waitFor();
    assert.match((await page.locator('.row.selected .label').textContent()) ?? '', /Warehouse/i);
  });

  it('moves with the keyboard and asks the host for Go to Code, showing the answer', async () => {
    view = await openWebview('traceView');
    await view.deliver(snapshotOf(failing));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    await page.locator('.list').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const selected = await page.locator('.row.selected').getAttribute('data-index');
    assert.equal(selected, '2');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      (window as unknown as { __sent: { method?: string }[] }).__sent.some((m) => m.method === 'traceView/goToCode'),
    );
    const req = (await view.sent()).find((m) => 'method' in m && m.method === 'traceView/goToCode') as Extract<
      Envelope,
      { type: 'request' }
    >;
    assert.equal(typeof (req.params as { spanId: string }).spanId, 'string');
    await page.locator('.details vscode-button.go').click();
    await page.waitForFunction(
      () =>
        (window as unknown as { __sent: { method?: string }[] }).__sent.filter((m) => m.method === 'traceView/goToCode')
          .length === 2,
    );
    const second = (await view.sent()).filter((m) => 'method' in m && m.method === 'traceView/goToCode')[1] as Extract<
      Envelope,
      { type: 'request' }
    >;
    await view.deliver({
      rpc: 1,
      type: 'response',
      id: second.id,
      result: { opened: true, how: 'stack frame through a source map' },
    });
    await page.locator('.details .status', { hasText: 'Opened via stack frame through a source map' }).waitFor();
    // Collapse and expand with the arrows, as in a tree.
    await page.locator('.list').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('.row').count(), 1);
    await page.keyboard.press('ArrowRight');
    assert.ok((await page.locator('.row').count()) > 1);
  });

  it('opens the tree to a level, to the services only, or all of it, and shows a span’s self time', async () => {
    view = await openWebview('traceView');
    await view.deliver(snapshotOf(failing));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    const children = childrenIndex(failing);
    const depthOf = new Map<string, number>();
    const walk = (s: Span, d: number) => {
      depthOf.set(s.id, d);
      for (const c of children(s)) walk(c, d + 1);
    };
    walk(failing.root!, 0);
    const labels = () => page.locator('.row .label').allTextContents();
    await page.locator('.list').focus();
    for (const level of [1, 2, 3]) {
      await page.keyboard.press(String(level));
      assert.equal((await labels()).length, [...depthOf.values()].filter((d) => d < level).length, `level ${level}`);
    }
    assert.match((await page.locator('vscode-button', { hasText: /^Level/ }).textContent()) ?? '', /Level 3 of \d+/);
    // Services: the way to the inventory segment opens, nothing else does.
    await page.locator('vscode-button', { hasText: 'Services' }).click();
    const services = await labels();
    assert.ok(services.includes('inventory') && services.includes('reserveStock'), services.join(', '));
    assert.ok(!services.includes('reserveLines') && !services.includes('CustomersTable.get'), services.join(', '));
    await page.locator('.list').focus();
    await page.keyboard.press('S');
    assert.deepEqual(await labels(), services);
    await page.keyboard.press('*');
    assert.equal((await labels()).length, depthOf.size);
    // Self time: reserveStock's duration minus the call to inventory it made.
    const reserve = page.locator('.row', { hasText: 'reserveStock' }).first();
    await reserve.click();
    let stock: Span | undefined;
    forEachSpan(failing, (s) => {
      if (s.name === 'reserveStock') stock ??= s;
    });
    const expected = ms(selfTimeMs(stock!, children(stock!)));
    const row = page.locator('.details tr', { hasText: 'self time' });
    assert.match((await row.textContent()) ?? '', new RegExp(`self time${expected.replace('.', '\\.')} \\(\\d+%\\)`));
  });

  it('zooms and pans by ratio with the keyboard without losing rows', async () => {
    view = await openWebview('traceView');
    await view.deliver(snapshotOf(failing));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    const width = () =>
      page.locator('.row[data-index="0"] .bar').evaluate((e) => (e as HTMLElement).getBoundingClientRect().width);
    const before = await width();
    await page.locator('.list').focus();
    await page.keyboard.press('+');
    await page.waitForTimeout(50);
    assert.ok((await width()) > before * 1.5, 'zoomed in');
    await page.keyboard.press('0');
    await page.waitForTimeout(50);
    assert.ok(Math.abs((await width()) - before) < 2, 'reset');
  });

  it('shows runtime, dependency and line-less frames as unresolvable, with why, and the others as links', async () => {
    view = await openWebview('traceView');
    const doc = {
      trace_id: '1-6b000000-0000000000000000000000f1',
      id: 'f1',
      name: 'orders',
      start_time: 1_795_000_000,
      end_time: 1_795_000_001,
      fault: true,
      cause: {
        exceptions: [
          {
            message: 'boom',
            type: 'Error',
            stack: [
              { path: '/var/task/src/stock.js', line: 12, label: 'reserve' },
              { path: '/var/task/src/stock.js', label: 'reserveAll' },
              { path: '/var/task/node_modules/express/lib/router/layer.js', line: 95, label: 'handle' },
              { path: 'node:internal/process/task_queues', line: 95, label: 'processTicksAndRejections' },
            ],
          },
        ],
      },
    };
    const span: Span = parseSegmentDocument(doc, new Repairs())!;
    await view.deliver(snapshotOf(assembleTrace(span.traceId, [span])));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    await page.locator('.details .exception').waitFor();
    assert.deepEqual(await page.locator('.details a.frame').allTextContents(), ['reserve  /var/task/src/stock.js:12']);
    const notes = (await page.locator('.details .frames li').allTextContents()).slice(1);
    assert.match(notes[0]!, /^reserveAll {2}\/var\/task\/src\/stock\.js \(the SDK recorded no line for .*\)$/);
    assert.match(notes[1]!, /^handle .* \(a dependency frame \(node_modules\)\)$/);
    assert.match(
      notes[2]!,
      /^processTicksAndRejections {2}node:internal\/process\/task_queues:95 \(a Node\.js runtime frame/,
    );
    await page.screenshot({ path: join(shots, 'webview-trace-frames.png') });
    await page.locator('.details .frame.unresolvable').first().click();
    await page.waitForTimeout(100);
    assert.equal(
      (await view.sent()).filter((m) => 'method' in m && m.method === 'traceView/goToFrame').length,
      0,
      'an unresolvable frame asks for nothing',
    );
  });

  it('shows every string from a trace as text: nothing in names, annotations or messages runs', async () => {
    view = await openWebview('traceView');
    const evil = '<img src=x onerror="window.__pwned=1">';
    const doc = {
      trace_id: '1-6b000000-0000000000000000000000ee',
      id: 'e1',
      name: evil,
      start_time: 1_795_000_000,
      end_time: 1_795_000_001,
      annotations: { note: '</script><script>window.__pwned=2</script>' },
      metadata: { default: { link: 'javascript:window.__pwned=3' } },
      subsegments: [
        {
          id: 'e2',
          name: 'javascript:window.__pwned=4',
          start_time: 1_795_000_000.1,
          end_time: 1_795_000_000.5,
          cause: {
            exceptions: [
              {
                message: evil,
                type: '<b>Bold</b>',
                stack: [{ path: 'javascript:window.__pwned=5', line: 1, label: evil }],
              },
            ],
          },
        },
      ],
    };
    const span: Span = parseSegmentDocument(doc, new Repairs())!;
    await view.deliver(snapshotOf(assembleTrace(span.traceId, [span])));
    const { page } = view;
    await page.locator('.row').first().waitFor();
    await page.locator('.row[data-index="1"]').click();
    await page.locator('.details .frame').click();
    await page.locator('.row[data-index="0"]').click();
    await page.locator('.details details.node summary').first().click();
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('img').count(), 0);
    assert.ok((await page.locator('.row .label').allTextContents()).includes(evil));
    assert.ok((await page.locator('.details').textContent())!.includes('</script>'));
  });
});
