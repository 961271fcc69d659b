// Trace ids from links and the Open Trace by ID box: both forms accepted, anything else refused.
import * as assert from 'node:assert/strict';
import { parseTraceId } from '../../../src/model/traceId';

describe('model/traceId', () => {
  it('keeps an X-Ray id and converts a W3C id', () => {
    assert.equal(parseTraceId(' 1-5F84C7A1-0123456789abcdef01234567 '), '1-5f84c7a1-0123456789abcdef01234567');
    assert.equal(parseTraceId('5f84c7a10123456789abcdef01234567'), '1-5f84c7a1-0123456789abcdef01234567');
  });

  it('refuses what is not a trace id, the all-zero W3C id included', () => {
    for (const bad of ['', '1-5f84c7a1', '1-5f84c7a1-0123456789abcdef0123456', '00000000000000000000000000000000', '5f84c7a1-0123456789abcdef01234567', '<img src=x>', 'javascript:alert(1)']) assert.equal(parseTraceId(bad), undefined, bad);
  });
});
