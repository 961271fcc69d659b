// Go to Code in the real extension host: spans recorded by the real SDKs land on their lines,
// through stack frames in plain code, through the bundle's source map, and through OTel code.*.
import * as assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import * as vscode from 'vscode';
import type { TraceLensApi } from '../../src/extension';
import { splitDatagram } from '../../src/model/datagram';
import { otlpBodies, xrayDatagrams } from '../unit/fixtures';

type Doc = {
  trace_id: string;
  id: string;
  name: string;
  subsegments?: Doc[];
  cause?: { exceptions?: { message?: string; stack?: { path?: string }[] }[] };
  fault?: boolean;
};

function findSpan(pred: (d: Doc) => boolean): { traceId: string; span: Doc } {
  for (const d of xrayDatagrams()) {
    const doc = JSON.parse((splitDatagram(d) as { document: string }).document) as Doc;
    const stack: Doc[] = [doc];
    while (stack.length) {
      const s = stack.pop()!;
      if (pred(s)) return { traceId: doc.trace_id, span: s };
      stack.push(...(s.subsegments ?? []));
    }
  }
  throw new Error('no such span in the fixtures');
}

async function setUp(): Promise<TraceLensApi> {
  const api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
  await api.localXRayReady();
  const state = api.localXRay().state;
  assert.ok(
    state.kind === 'running' && state.status.udp.state === 'listening' && state.status.otlp.state === 'listening',
  );
  const sock = createSocket('udp4');
  for (const d of xrayDatagrams())
    await new Promise<void>((r) =>
      sock.send(d, state.status.udp.state === 'listening' ? state.status.udp.port : 0, '127.0.0.1', () => r()),
    );
  sock.close();
  for (const b of otlpBodies()) {
    await fetch(`http://127.0.0.1:${state.status.otlp.port}/v1/traces`, {
      method: 'POST',
      body: new Uint8Array(b.raw),
      headers: {
        'content-type': b.contentType,
        ...(b.contentEncoding ? { 'content-encoding': b.contentEncoding } : {}),
      },
    });
  }
  await new Promise((r) => setTimeout(r, 300));
  return api;
}

async function goTo(traceId: string, spanId: string): Promise<{ path: string; lineText: string; line: number }> {
  const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('traceLens.goToCode', {
    traceId,
    spanId,
  });
  assert.ok(editor, 'an editor opened');
  assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
  const line = editor.selection.active.line;
  return {
    path: editor.document.uri.fsPath.replace(/\\/g, '/'),
    lineText: editor.document.lineAt(line).text,
    line: line + 1,
  };
}

describe('Go to Code in the real extension host', function () {
  this.timeout(60_000);
  before(setUp);

  it('opens plain source at the line of the exception frame (X-Ray SDK, unbundled service)', async () => {
    const { traceId, span } = findSpan(
      (s) => !!s.cause?.exceptions?.some((e) => e.stack?.[0]?.path?.includes('/services/orders/')),
    );
    const at = await goTo(traceId, span.id);
    assert.match(at.path, /services\/orders\/[\w]+\.js$/);
    assert.match(at.lineText, /throw|Error\(/);
  });

  it('opens the original source through the bundle\u2019s source map (X-Ray SDK, bundled service)', async () => {
    const { traceId, span } = findSpan(
      (s) =>
        s.name === 'reserveLines' &&
        !!s.cause?.exceptions?.some((e) => e.stack?.some((f) => f.path?.includes('/dist/'))),
    );
    const at = await goTo(traceId, span.id);
    assert.match(at.path, /services\/inventory\/src\/[\w]+\.js$/);
    const message = span.cause!.exceptions![0]!.message ?? '';
    // The TypeError says what it read ('split'); the line that failed reads it.
    const read = /reading '(\w+)'/.exec(message)?.[1];
    if (read)
      assert.ok(
        at.lineText.includes(`.${read}(`) || at.lineText.includes(`.${read}`),
        `${at.path}:${at.line} ${at.lineText}`,
      );
    else assert.match(at.lineText, /throw/);
  });

  it('opens the instrumentation site of a span without an exception, through the project\u2019s wrapper', async () => {
    const api = await vscode.extensions.getExtension<TraceLensApi>('trace-lens.trace-lens')!.activate();
    assert.ok((await api.instrumentationReady()) > 5, 'the sample workspace is indexed');
    const { traceId, span } = findSpan((s) => s.name === 'loadCart' && !s.cause);
    const at = await goTo(traceId, span.id);
    assert.match(at.path, /services\/orders\/\w+\.js$/);
    assert.match(at.lineText, /capture\(\s*'loadCart'/);
  });

  it('opens the file and line that OTel code.* attributes name', async () => {
    let found: { traceId: string; spanId: string; file: string; line: number } | undefined;
    for (const b of otlpBodies().filter((x) => x.contentType === 'application/json')) {
      const body = JSON.parse(b.body.toString('utf8')) as {
        resourceSpans: {
          scopeSpans: {
            spans: {
              traceId: string;
              spanId: string;
              attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
            }[];
          }[];
        }[];
      };
      for (const s of body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((ss) => ss.spans))) {
        const a = Object.fromEntries(s.attributes.map((kv) => [kv.key, kv.value.stringValue ?? kv.value.intValue]));
        const file = a['code.filepath'] ?? a['code.file.path'];
        const line = a['code.lineno'] ?? a['code.line.number'];
        if (typeof file === 'string' && line !== undefined)
          found ??= {
            traceId: `1-${s.traceId.slice(0, 8)}-${s.traceId.slice(8)}`,
            spanId: s.spanId,
            file,
            line: Number(line),
          };
      }
    }
    assert.ok(found, 'the OTel fixtures carry code.* attributes');
    const at = await goTo(found.traceId, found.spanId);
    assert.ok(
      at.path.endsWith(found.file.replace(/\\/g, '/').split('/').slice(-3).join('/')),
      `${at.path} vs ${found.file}`,
    );
    assert.equal(at.line, found.line);
  });
});
