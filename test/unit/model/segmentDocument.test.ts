// Minimal hand-made documents, each showing one way real SDK output breaks the schema; the
// real-SDK fixtures are read in fixtures.test.ts.
import * as assert from 'node:assert/strict';
import { Repairs } from '../../../src/model/repairs';
import { parseSegmentDocument, parseSegmentJson } from '../../../src/model/segmentDocument';
import { splitDatagram } from '../../../src/model/datagram';

const traceId = '1-5759e988-bd862e3fe1be46a994272793';
const base = {
  trace_id: traceId,
  id: '70de5b6f19ff9a0a',
  name: 'api',
  start_time: 1478293361.271,
  end_time: 1478293361.449,
};

describe('model/segmentDocument', () => {
  it('reads a plain segment', () => {
    const r = new Repairs();
    const s = parseSegmentDocument(
      {
        ...base,
        http: { request: { method: 'GET', url: 'http://x/a' }, response: { status: 200 } },
        annotations: { a: 1, b: 'x', c: true },
      },
      r,
    )!;
    assert.equal(s.type, 'segment');
    assert.equal(s.http?.response?.status, 200);
    assert.deepEqual(s.annotations, { a: 1, b: 'x', c: true });
    assert.ok(r.empty, r.lines().join());
  });

  it('repairs exponent-notation string times, null and -1 lines, cause as an id', () => {
    const r = new Repairs();
    const s = parseSegmentDocument(
      {
        ...base,
        start_time: '1.478293361271E9',
        subsegments: [
          {
            id: 'a1',
            name: 'x',
            start_time: 1478293361.3,
            end_time: 1478293361.4,
            cause: {
              exceptions: [
                {
                  message: 'boom',
                  stack: [
                    { path: 'a.js', line: null, label: 'f' },
                    { path: 'A.java', line: -1 },
                  ],
                },
              ],
            },
          },
          { id: 'a2', name: 'y', start_time: 1478293361.3, end_time: 1478293361.4, cause: 'exception-id-1' },
        ],
      },
      r,
    )!;
    assert.equal(s.startTime, 1478293361.271);
    const [x, y] = s.subsegments;
    assert.equal(x!.cause!.exceptions[0]!.stack[0]!.line, undefined);
    assert.equal(x!.cause!.exceptions[0]!.stack[1]!.line, undefined);
    assert.equal(y!.cause!.exceptionId, 'exception-id-1');
    const lines = r.lines().join('\n');
    assert.match(lines, /start_time given as a string/);
    assert.match(lines, /line: null in a stack frame/);
    assert.match(lines, /line: -1 in a stack frame/);
  });

  it('keeps a document whose every field has the wrong type, saying what it repaired', () => {
    const r = new Repairs();
    const s = parseSegmentDocument(
      {
        trace_id: traceId,
        id: 7,
        name: 5,
        start_time: 1478293361,
        end_time: 'soon',
        in_progress: 'no',
        error: 'true',
        fault: {},
        throttle: [],
        http: 'x',
        aws: 1,
        sql: [],
        annotations: { ok: 1, bad: { x: 1 } },
        metadata: 3,
        cause: 42,
        subsegments: 'none',
        precursor_ids: 'a',
      },
      r,
    )!;
    assert.ok(s);
    assert.equal(s.id, '7');
    assert.equal(s.name, '5');
    assert.equal(s.error, true);
    assert.equal(s.fault, false);
    assert.equal(s.inProgress, true);
    assert.deepEqual(s.annotations, { ok: 1 });
    assert.ok(r.lines().length >= 8, r.lines().join('\n'));
    assert.equal(r.errors, 0);
  });

  it('leaves out only what cannot be used, and says why', () => {
    const r = new Repairs();
    assert.equal(parseSegmentDocument({ id: 'x', name: 'n', start_time: 1 }, r), undefined);
    assert.equal(parseSegmentDocument([1, 2], r), undefined);
    assert.equal(parseSegmentJson('{"trace_id": ', r), undefined);
    assert.equal(parseSegmentDocument({ ...base, type: 'subsegment' }, r), undefined);
    assert.equal(r.errors, 4);
    assert.match(r.lines().join('\n'), /without a trace_id/);
    assert.match(r.lines().join('\n'), /independent subsegment without a parent_id/);
  });

  it('stops at a hostile nesting depth instead of overflowing the stack', () => {
    const r = new Repairs();
    let doc: Record<string, unknown> = { id: 'leaf', name: 'leaf', start_time: 1478293361.3, end_time: 1478293361.31 };
    for (let i = 0; i < 5000; i++)
      doc = { id: `n${i}`, name: 'n', start_time: 1478293361.3, end_time: 1478293361.31, subsegments: [doc] };
    const s = parseSegmentDocument({ ...base, subsegments: [doc] }, r);
    assert.ok(s);
    assert.match(r.lines().join('\n'), /nested deeper than 64/);
  });
});

describe('model/datagram', () => {
  const doc = JSON.stringify(base);
  it('splits the Node/Python and Java header spellings', () => {
    for (const header of ['{"format": "json", "version": 1}', '{"format":"json","version":1}']) {
      const r = splitDatagram(`${header}\n${doc}`);
      assert.deepEqual(r, { ok: true, document: doc });
    }
  });
  it('accepts a bare document and says the header was missing', () => {
    const r = splitDatagram(doc);
    assert.ok(r.ok && r.headerRepaired);
  });
  it('rejects a wrong header, binary junk and a header without a document', () => {
    assert.match((splitDatagram(`{"format":"xml"}\n${doc}`) as { message: string }).message, /format "xml"/);
    assert.equal(splitDatagram('\u0000\u0001\u00ff garbage').ok, false);
    assert.equal(splitDatagram('{"format":"json","version":1}').ok, false);
  });
});
