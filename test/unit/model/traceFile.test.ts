// Trace files as users have them: `aws xray batch-get-traces` output (here the answer the real
// @aws-sdk/client-xray got over HTTP from the local X-Ray, which is what the CLI prints), OTLP/JSON
// exports of the real OpenTelemetry SDK, segment documents as JSON lines; and broken files.
import * as assert from 'node:assert/strict';
import { BatchGetTracesCommand, XRayClient } from '@aws-sdk/client-xray';
import { LocalXRay } from '../../../src/collector/localXRay';
import { MemoryStore } from '../../../src/collector/store';
import { assembleTraces } from '../../../src/model/assemble';
import { parseTraceFile } from '../../../src/model/traceFile';
import { otlpBodies, xrayDocuments } from '../fixtures';

describe('trace files', () => {
  it('reads batch-get-traces output: every segment document of every trace', async function () {
    this.timeout(20_000);
    const xray = new LocalXRay(new MemoryStore(), { udp: false, api: { host: '127.0.0.1', port: 0 }, otlp: false });
    const s = await xray.start();
    assert.ok(s.api.state === 'listening');
    const client = new XRayClient({
      endpoint: `http://127.0.0.1:${s.api.port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIAEXAMPLEFILE00000', secretAccessKey: 'example' },
    });
    try {
      const docs = xrayDocuments();
      for (const d of docs) xray.ingest.document(JSON.stringify(d));
      xray.ingest.flush();
      const ids = [...new Set(docs.map((d) => d.trace_id!))].slice(0, 5);
      const { $metadata: _, ...answer } = await client.send(new BatchGetTracesCommand({ TraceIds: ids }));
      const stored = answer.Traces!.reduce((n, t) => n + t.Segments!.length, 0);
      assert.ok(stored >= ids.length);
      const r = parseTraceFile(JSON.stringify(answer, null, 2), 'traces.json');
      assert.equal(r.format, 'batch-get-traces');
      assert.equal(r.repairs.errors, 0, r.repairs.lines().join('\n'));
      assert.equal(r.spans.length, stored);
      assert.deepEqual(
        assembleTraces(r.spans)
          .map((t) => t.id)
          .sort(),
        [...ids].sort(),
      );
    } finally {
      client.destroy();
      await xray.stop();
    }
  });

  it('reads an OTLP/JSON export of the OpenTelemetry SDK', () => {
    const json = otlpBodies().filter((b) => b.contentType === 'application/json' && !b.contentEncoding);
    assert.ok(json.length > 0);
    for (const b of json) {
      const r = parseTraceFile(b.body.toString('utf8'), b.file);
      assert.equal(r.format, 'otlp-json', b.file);
      assert.ok(r.spans.length > 0, b.file);
      assert.equal(r.repairs.errors, 0, r.repairs.lines().join('\n'));
    }
  });

  it('reads segment documents as JSON lines, with daemon headers', () => {
    const docs = xrayDocuments();
    const text = docs
      .map((d, i) => (i % 2 ? `{"format":"json","version":1}\n${JSON.stringify(d)}` : JSON.stringify(d)))
      .join('\n');
    const r = parseTraceFile(text);
    assert.equal(r.format, 'segment-documents');
    assert.equal(r.spans.length, docs.length);
  });

  it('keeps what it can of a broken file and says what it left out, never throwing', () => {
    const good = JSON.stringify(xrayDocuments()[0]);
    const r = parseTraceFile(
      JSON.stringify({
        Traces: [
          { Id: '1-6b000000-000000000000000000000001' },
          {
            Id: '1-6b000000-000000000000000000000002',
            Segments: [{ Id: 'a', Document: '{"trace_id": ' }, { Id: 'b', Document: good }, 7],
          },
        ],
      }),
    );
    assert.equal(r.format, 'batch-get-traces');
    assert.equal(r.spans.length, 1);
    assert.deepEqual(r.repairs.lines().sort(), [
      '1× segment Document is not JSON, left out (first: Traces[1].Segments[0])',
      '1× segment entry is not an object, left out (first: Traces[1].Segments[2])',
      '1× trace without Segments, left out (first: Traces[0])',
    ]);
    const lines = parseTraceFile(`${good}\n{"trace_id": "1-6b0`);
    assert.equal(lines.spans.length, 1);
    assert.match(lines.repairs.lines().join('\n'), /line is not JSON .*left out/);
    assert.equal(parseTraceFile('  \n').format, 'empty');
  });
});
