// Trace ids as users paste them, converted to X-Ray's form for "open trace by id".
import * as assert from 'node:assert/strict';
import { toW3CTraceId, toXRayTraceId } from '../../../src/sources/aws/traceIds';

describe('trace ids', () => {
  it('converts W3C ids and traceparent headers to X-Ray ids, and back', () => {
    assert.equal(toXRayTraceId('6b02651a7c6dd22cac9a69dda04f0eca'), '1-6b02651a-7c6dd22cac9a69dda04f0eca');
    assert.equal(toXRayTraceId('  6B02651A7C6DD22CAC9A69DDA04F0ECA\n'), '1-6b02651a-7c6dd22cac9a69dda04f0eca');
    assert.equal(
      toXRayTraceId('00-6b02651a7c6dd22cac9a69dda04f0eca-00f067aa0ba902b7-01'),
      '1-6b02651a-7c6dd22cac9a69dda04f0eca',
    );
    assert.equal(toXRayTraceId('1-6b02651a-7c6dd22cac9a69dda04f0eca'), '1-6b02651a-7c6dd22cac9a69dda04f0eca');
    assert.equal(toW3CTraceId('1-6b02651a-7c6dd22cac9a69dda04f0eca'), '6b02651a7c6dd22cac9a69dda04f0eca');
  });

  it('refuses what is no trace id', () => {
    for (const bad of [
      '',
      'hello',
      '6b02651a7c6dd22cac9a69dda04f0ec',
      '00000000000000000000000000000000',
      '1-6b02651a-7c6dd22c',
      '2-6b02651a-7c6dd22cac9a69dda04f0eca',
    ])
      assert.equal(toXRayTraceId(bad), undefined, bad);
    assert.equal(toW3CTraceId('6b02651a7c6dd22cac9a69dda04f0eca'), undefined);
  });

  it('takes ids from links and the Open Trace by ID box: both forms, nothing else', () => {
    assert.equal(toXRayTraceId(' 1-5F84C7A1-0123456789abcdef01234567 '), '1-5f84c7a1-0123456789abcdef01234567');
    assert.equal(toXRayTraceId('5f84c7a10123456789abcdef01234567'), '1-5f84c7a1-0123456789abcdef01234567');
    for (const bad of [
      '',
      '1-5f84c7a1',
      '1-5f84c7a1-0123456789abcdef0123456',
      '00000000000000000000000000000000',
      '5f84c7a1-0123456789abcdef01234567',
      '<img src=x>',
      'javascript:alert(1)',
    ])
      assert.equal(toXRayTraceId(bad), undefined, bad);
  });
});
