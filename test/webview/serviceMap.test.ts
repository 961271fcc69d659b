// The service map bundle in Chromium with a fake host: elk layout in the worker, labels and modes,
// the panel's figures, histogram range and actions, keyboard, live updates, themes, and trace
// strings that must stay text.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildServiceGraph } from '../../src/analysis/serviceGraph';
import { serviceMapSnapshot } from '../../src/analysis/serviceMapSnapshot';
import { assembleTraces } from '../../src/model/assemble';
import { splitDatagram } from '../../src/model/datagram';
import { convertOtlpTraces } from '../../src/model/otlp';
import { decodeOtlpTraceRequest } from '../../src/model/otlpProtobuf';
import { Repairs } from '../../src/model/repairs';
import { parseSegmentJson } from '../../src/model/segmentDocument';
import type { Span } from '../../src/model/trace';
import type { Envelope } from '../../src/protocol/rpc';
import type { MapNode, ServiceMapSnapshot } from '../../src/protocol/serviceMap';
import { repoRoot } from '../harness/paths';
import { otlpBodies, xrayDatagrams } from '../unit/fixtures';
import { closeBrowser, openWebview, type FakeHostPage } from './fakeHost';

const shots = join(repoRoot, 'test-output');

/** The service map of every recorded trace: the X-Ray SDK shop and the OpenTelemetry one. */
function fixtureSnapshot(): ServiceMapSnapshot {
  const spans: Span[] = xrayDatagrams().map((d) =>
    parseSegmentJson((splitDatagram(d) as { document: string }).document, new Repairs())!,
  );
  for (const b of otlpBodies())
    spans.push(
      ...convertOtlpTraces(
        b.contentType.includes('protobuf') ? decodeOtlpTraceRequest(b.body) : JSON.parse(b.body.toString('utf8')),
        new Repairs(),
      ),
    );
  return serviceMapSnapshot(buildServiceGraph(assembleTraces(spans)), 'Local X-Ray');
}

const note = (params: ServiceMapSnapshot): Envelope => ({
  rpc: 1,
  type: 'notification',
  method: 'serviceMap/snapshot',
  params: JSON.parse(JSON.stringify(params)),
});

type Box = { id: string; x: number; y: number; w: number; h: number };

async function nodeBoxes(view: FakeHostPage): Promise<Box[]> {
  return view.page.locator('.node').evaluateAll((els) =>
    els.map((e) => {
      const r = (e as SVGGElement).getBoundingClientRect();
      return { id: (e as SVGGElement).dataset.id!, x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
}

async function laidOut(view: FakeHostPage, job = 1): Promise<void> {
  await view.page.waitForFunction(
    (j) => Number(document.querySelector('svg.map')?.getAttribute('data-laid-out') ?? 0) >= j,
    job,
    { timeout: 30_000 },
  );
}

async function requests(view: FakeHostPage, method: string): Promise<Extract<Envelope, { type: 'request' }>[]> {
  return (await view.sent()).filter(
    (m): m is Extract<Envelope, { type: 'request' }> => m.type === 'request' && m.method === method,
  );
}

async function waitForRequest(
  view: FakeHostPage,
  method: string,
  n = 1,
): Promise<Extract<Envelope, { type: 'request' }>> {
  await view.page.waitForFunction(
    ([m, k]) =>
      (window as unknown as { __sent: { method?: string }[] }).__sent.filter((x) => x.method === m).length >=
      (k as number),
    [method, n] as const,
  );
  return (await requests(view, method))[n - 1]!;
}

describe('service map webview (Chromium, fake host)', function () {
  this.timeout(120_000);
  let view: FakeHostPage;
  const snap = fixtureSnapshot();
  const busiest = [...snap.nodes].filter((n) => n.type !== 'client').sort((a, b) => b.requests - a.requests)[0]!;

  after(closeBrowser);
  afterEach(async () => view?.close());

  it('says it is ready, lays the graph out in the worker without overlaps, and draws labelled edges (screenshots in three themes)', async () => {
    view = await openWebview('serviceMap', { width: 1400, height: 820 });
    assert.deepEqual(
      (await view.sent()).map((m) => ('method' in m ? m.method : m.type)),
      ['serviceMap/ready'],
    );
    await view.deliver(note(snap));
    await laidOut(view);
    const { page } = view;
    assert.ok(snap.nodes.length >= 5, `${snap.nodes.length} nodes in the fixtures' map`);
    const boxes = await nodeBoxes(view);
    assert.equal(boxes.length, snap.nodes.length);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        assert.ok(!overlap, `${a.id} overlaps ${b.id}`);
      }
    assert.equal(await page.locator('.edge').count(), snap.edges.length);
    const labels = await page.locator('.edge-label text').allTextContents();
    assert.equal(labels.length, snap.edges.length);
    for (const l of labels) assert.match(l, /avg · p99|no completed calls/);
    assert.ok(
      (await page.locator('.edge .line[marker-end]').count()) === snap.edges.length,
      'every edge has an arrowhead',
    );
    assert.ok((await page.locator('.node .name').allTextContents()).includes(busiest.name));
    // Inside the viewport after the fit.
    const stage = await page.locator('.stage').boundingBox();
    for (const b of boxes)
      assert.ok(b.x >= stage!.x - 1 && b.x + b.w <= stage!.x + stage!.width + 1, `${b.id} is in view`);
    await page.locator(`.node[data-id='${busiest.id.replace(/'/g, "\\'")}']`).click();
    for (const theme of ['dark', 'light', 'highContrast'] as const) {
      await view.theme(theme);
      await page.waitForTimeout(50);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, { dark: 'rgb(30, 30, 30)', light: 'rgb(255, 255, 255)', highContrast: 'rgb(0, 0, 0)' }[theme]);
      await page.screenshot({
        path: join(shots, `service-map-${theme === 'highContrast' ? 'high-contrast' : theme}.png`),
      });
    }
  });

  it('switches the labels between latency and requests', async () => {
    view = await openWebview('serviceMap');
    await view.deliver(note(snap));
    await laidOut(view);
    const { page } = view;
    await page.locator('vscode-button.mode-requests').click();
    const labels = await page.locator('.edge-label text').allTextContents();
    for (const l of labels) assert.match(l, /^\d[\d.]*[kM]? req( · [\d.]+% (fault|error))?$/);
    const total = snap.edges.reduce((n, e) => n + e.requests, 0);
    assert.equal(
      labels.reduce((n, l) => n + Number(/^(\d+)/.exec(l)![1]), 0),
      total,
      'the labels add up to the snapshot',
    );
    assert.equal(await page.locator('vscode-button.mode-requests').getAttribute('aria-pressed'), 'true');
    await page.locator('vscode-button.mode-latency').click();
    assert.match((await page.locator('.edge-label text').first().textContent())!, /avg|no completed/);
  });

  it('shows a clicked node in the panel with the snapshot figures; the histogram drag and the buttons ask the host', async () => {
    view = await openWebview('serviceMap');
    await view.deliver(note(snap));
    await laidOut(view);
    const { page } = view;
    await page.locator(`.node[data-id='${busiest.id.replace(/'/g, "\\'")}'] .disc`).click();
    await page.locator('.panel h2', { hasText: busiest.name }).waitFor();
    const kv = Object.fromEntries(
      await page
        .locator('.panel .kv tr')
        .evaluateAll((rows) =>
          rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent]),
        ),
    );
    const f = (v: number | undefined) =>
      v === undefined
        ? '–'
        : v < 10
          ? `${v.toFixed(1)} ms`
          : v < 1000
            ? `${Math.round(v)} ms`
            : `${(v / 1000).toFixed(2)} s`;
    assert.equal(kv.Requests, String(busiest.requests));
    assert.match(kv.OK!, new RegExp(`^${busiest.ok} `));
    assert.match(kv['Faults (5xx)']!, new RegExp(`^${busiest.fault} `));
    assert.match(kv['Errors (4xx)']!, new RegExp(`^${busiest.error} `));
    assert.equal(kv.p50, f(busiest.p50Ms));
    assert.equal(kv.p90, f(busiest.p90Ms));
    assert.equal(kv.p99, f(busiest.p99Ms));
    assert.equal(kv.Average, f(busiest.avgMs));
    assert.equal(await page.locator('.hist .hist-fill').count(), busiest.histogram.counts.length);

    // Drag from the first bar to the middle one: listTraces with the bars' edges.
    const box = (await page.locator('.hist').boundingBox())!;
    const n = busiest.histogram.counts.length;
    const barX = (i: number) => box.x + ((i + 0.5) / n) * box.width;
    const last = Math.max(0, Math.floor(n / 2));
    await page.mouse.move(barX(0), box.y + 20);
    await page.mouse.down();
    await page.mouse.move(barX(last), box.y + 30, { steps: 5 });
    await page.mouse.up();
    const list = await waitForRequest(view, 'serviceMap/listTraces');
    assert.deepEqual(list.params, {
      target: { node: busiest.id },
      minMs: busiest.histogram.edgesMs[0],
      maxMs: busiest.histogram.edgesMs[last + 1],
    });
    await view.deliver({
      rpc: 1,
      type: 'response',
      id: list.id,
      result: { ok: true, message: '7 traces shown in the sidebar' },
    });
    await page.locator('.panel .status', { hasText: '7 traces shown in the sidebar' }).waitFor();

    await page.locator('vscode-button.open-slowest').click();
    const slow = await waitForRequest(view, 'serviceMap/openSlowest');
    assert.deepEqual(slow.params, { target: { node: busiest.id } });
    await view.deliver({ rpc: 1, type: 'error', id: slow.id, message: 'trace expired' });
    await page.locator('.panel .status', { hasText: 'Failed: trace expired' }).waitFor();

    await page.locator('vscode-button.list-traces').click();
    const all = await waitForRequest(view, 'serviceMap/listTraces', 2);
    assert.deepEqual(all.params, { target: { node: busiest.id } });

    // An edge, from the node's list of calls: the panel shows the edge's own figures.
    const edge = snap.edges.find((e) => e.from === busiest.id || e.to === busiest.id)!;
    await page.locator('.panel button.link').first().click();
    await page.locator('.panel h2', { hasText: '→' }).waitFor();
    assert.equal(await page.locator('.edge.selected').count(), 1);
    const shownEdge = await page.locator('.panel h2').textContent();
    const name = (id: string) => snap.nodes.find((x) => x.id === id)!.name;
    const e2 = snap.edges.find((e) => `${name(e.from)} → ${name(e.to)}` === shownEdge) ?? edge;
    assert.equal(
      await page.locator('.panel .kv tr', { hasText: 'Requests' }).locator('td').textContent(),
      String(e2.requests),
    );
    await page.locator('vscode-button.open-slowest').click();
    const slowEdge = await waitForRequest(view, 'serviceMap/openSlowest', 2);
    assert.deepEqual(slowEdge.params, { target: { edge: { from: e2.from, to: e2.to } } });
  });

  it('moves between nodes with Tab and the arrow keys, selects with Enter, with a visible focus', async () => {
    view = await openWebview('serviceMap');
    await view.deliver(note(snap));
    await laidOut(view);
    const { page } = view;
    await page.locator('vscode-button.fit').focus();
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.id);
    assert.ok(first, 'Tab reaches a node');
    const halo = await page.locator('.node:focus-visible .halo').evaluate((e) => getComputedStyle(e).stroke);
    assert.notEqual(halo, 'rgba(0, 0, 0, 0)', 'the focused node shows a focus ring');
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.id);
    assert.ok(second && second !== first, 'ArrowRight moves to another node');
    await page.keyboard.press('Enter');
    const node = snap.nodes.find((n) => n.id === second)!;
    await page.locator('.panel h2', { hasText: node.name }).waitFor();
    assert.equal(await page.locator('.node.selected').getAttribute('data-id'), second);
    await page.keyboard.press('Escape');
    await page.locator('.panel h2', { hasText: 'Service map' }).waitFor();
  });

  it('keeps positions, zoom and selection on a live update with the same nodes; lays out again when they change', async () => {
    view = await openWebview('serviceMap');
    await view.deliver(note(snap));
    await laidOut(view);
    const { page } = view;
    await page.locator('vscode-button.zoom-in').click();
    await page.locator(`.node[data-id='${busiest.id.replace(/'/g, "\\'")}'] .disc`).click();
    const before = await nodeBoxes(view);
    const transform = await page.locator('.viewport').getAttribute('transform');
    // Twice the traffic, same services.
    const more: ServiceMapSnapshot = {
      ...snap,
      traces: snap.traces * 2,
      nodes: snap.nodes.map((n) => ({ ...n, requests: n.requests * 2, ok: n.ok * 2 })),
    };
    await view.deliver(note(more));
    await page
      .locator('.panel .kv tr', { hasText: 'Requests' })
      .locator('td', { hasText: String(busiest.requests * 2) })
      .waitFor();
    assert.deepEqual(await nodeBoxes(view), before, 'nodes did not move');
    assert.equal(await page.locator('.viewport').getAttribute('transform'), transform, 'zoom and pan kept');
    assert.equal(await page.locator('.node.selected').getAttribute('data-id'), busiest.id);
    assert.equal(await page.locator('svg.map').getAttribute('data-laid-out'), '1', 'no second layout');
    // A new service: a new layout, the selection still there.
    const extra: MapNode = { ...busiest, id: JSON.stringify(['', 'new-service']), name: 'new-service', root: false };
    await view.deliver(
      note({
        ...more,
        nodes: [...more.nodes, extra],
        edges: [...more.edges, { ...snap.edges[0]!, from: busiest.id, to: extra.id }],
      }),
    );
    await laidOut(view, 2);
    assert.equal(await page.locator('.node').count(), snap.nodes.length + 1);
    assert.equal(await page.locator('.node.selected').getAttribute('data-id'), busiest.id);
  });

  it('shows every string from a trace as text: node names with markup or script run nothing', async () => {
    view = await openWebview('serviceMap');
    const evil = [
      '<img src=x onerror="window.__pwned=1">',
      '</script><script>window.__pwned=2</script>',
      'javascript:window.__pwned=3',
      '<svg onload="window.__pwned=4">',
    ];
    const base = snap.nodes[0]!;
    const nodes: MapNode[] = evil.map((name, i) => ({
      ...base,
      id: JSON.stringify([i === 2 ? 'remote' : '', name]),
      name,
      type: i === 2 ? 'remote' : i === 3 ? '<b>AWS::Evil</b>' : undefined,
      root: i === 0,
    }));
    const edges = nodes.slice(1).map((n) => ({ ...snap.edges[0]!, from: nodes[0]!.id, to: n.id }));
    await view.deliver(note({ ...snap, source: '<i>src</i>', nodes, edges }));
    await laidOut(view);
    const { page } = view;
    for (let i = 0; i < nodes.length; i++) await page.locator('.node').nth(i).click();
    await page
      .locator('.panel button.link')
      .first()
      .click()
      .catch(() => undefined);
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('#app').locator('img, script, b, i').count(), 0);
    const names = await page.locator('.node .name').allTextContents();
    for (const name of evil)
      assert.ok(
        names.some((n) => n === name || (n.endsWith('…') && name.startsWith(n.slice(0, -1)))),
        `${name} drawn as text`,
      );
    assert.ok((await page.locator('.header .sub').textContent())!.includes('<i>src</i>'));
  });

  it('says when the host failed, and draws an empty window as a message', async () => {
    view = await openWebview('serviceMap');
    await view.deliver({
      rpc: 1,
      type: 'notification',
      method: 'serviceMap/failed',
      params: { message: '<b>no source</b>' },
    });
    await view.page.locator('.error', { hasText: 'Could not show the service map: <b>no source</b>' }).waitFor();
    await view.deliver(note({ nodes: [], edges: [], window: { start: 0, end: 0 }, source: 'Local X-Ray', traces: 0 }));
    await view.page.locator('.message', { hasText: 'No traces in this window' }).waitFor();
  });
});
